"""The cable-ID type: the one place that knows how cable IDs are written.

A cable sent from TOKYO in 2008 with serial 1002 has the canonical ID ``08TOKYO1002``
and is printed in the cable itself as ``TOKYO 001002``.  Everything else in refdb works
with :class:`CableId` values and never slices ID strings itself.

WikiLeaks published about 200 IDs that are garbled (``08SCTION02OF02SAOPAULO335``,
``10EFTOKABUL668``).  Those published strings are kept as they are (see
:func:`repair_published`), and their real form is recovered where the damage is one
of the known kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from refdb.pickling import plain_pickle

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "CableId",
    "InvalidCableId",
    "full_year",
    "normalise_dtg",
    "normalise_origin",
    "repair_published",
]


class InvalidCableId(ValueError):
    """Raised when a string cannot be read as a cable ID."""


# The years a cable ID can hold.  A canonical ID writes its year in two digits
# (``08TOKYO1002``), read back as 66-99 -> 19xx and 00-65 -> 20xx: only a year of this
# window survives the round trip (a 1965 cable would read back as 2065).  Cablegate's
# cables run from 1966 to 2010.
FIRST_YEAR = 1966
LAST_YEAR = FIRST_YEAR + 99  # 2065


def full_year(two_or_four: int) -> int:
    """Expand a cable year: 66-99 are 19xx, 00-65 are 20xx; four-digit years pass
    (they may lie outside the window: :class:`CableId` refuses those)."""
    if two_or_four >= 100:
        return two_or_four
    return 1900 + two_or_four if two_or_four >= FIRST_YEAR % 100 else 2000 + two_or_four


_NOT_ORIGIN = re.compile(r"[^A-Z0-9]")


def normalise_origin(text: str) -> str:
    """Upper-case a post name and drop everything but letters and digits.

    ``"New Delhi"`` -> ``"NEWDELHI"``, ``"USUN NEW YORK"`` -> ``"USUNNEWYORK"``.
    """
    return _NOT_ORIGIN.sub("", text.upper())


# 2-digit year, origin (letters, starting with a letter), serial without a year suffix.
_CANONICAL = re.compile(r"^(\d{2})([A-Z][A-Z]*?)0*(\d{1,7})$")
# "08 TOKYO 1002", "2008 TOKYO 001002": year, spaced origin, serial.
_SPACED = re.compile(r"^(\d{2}|\d{4})\s+([A-Z][A-Z .'-]*?)\s+0*(\d{1,7})$")
# "TOKYO 001002" (no year: only usable with a year from elsewhere).
_DISPLAY = re.compile(r"^([A-Z][A-Z .'-]*?)\s+0*(\d{1,7})$")


@plain_pickle
@dataclass(frozen=True, order=True, slots=True)
class CableId:
    """A well-formed cable ID: four-digit year (FIRST_YEAR..LAST_YEAR, the years whose
    canonical form reads back the same), origin (no spaces, upper case), serial."""

    year: int
    origin: str
    serial: int

    def __post_init__(self) -> None:
        if not (FIRST_YEAR <= self.year <= LAST_YEAR):
            raise InvalidCableId(f"year {self.year} out of range ({FIRST_YEAR}-{LAST_YEAR})")
        if not self.origin or not self.origin.isalnum() or not self.origin.isupper():
            raise InvalidCableId(f"origin {self.origin!r} is not an upper-case post name")
        if self.serial < 0 or self.serial > 9_999_999:
            raise InvalidCableId(f"serial {self.serial} out of range")

    @classmethod
    def of(cls, year: int, origin: str, serial: int) -> "CableId":
        """Build from parts as written: two- or four-digit year, origin with spaces."""
        return cls(full_year(year), normalise_origin(origin), serial)

    @classmethod
    def parse(cls, text: str, *, year: int | None = None) -> "CableId":
        """Read an ID as people write it.

        Accepts ``08TOKYO1002``, ``08 TOKYO 1002``, ``2008 TOKYO 001002`` and, when
        ``year`` is given, ``TOKYO 001002``.  Raises :class:`InvalidCableId` otherwise.
        """
        s = " ".join(text.strip().upper().split())
        m = _CANONICAL.match(s.replace(" ", "")) if not _DISPLAY.match(s) else None
        if m:
            return cls.of(int(m.group(1)), m.group(2), int(m.group(3)))
        m = _SPACED.match(s)
        if m:
            return cls.of(int(m.group(1)), m.group(2), int(m.group(3)))
        m = _DISPLAY.match(s)
        if m and year is not None:
            return cls.of(year, m.group(1), int(m.group(2)))
        if m:
            raise InvalidCableId(f"{text!r} has no year: write it as YYORIGINSERIAL, e.g. 08TOKYO1002")
        raise InvalidCableId(f"{text!r} is not a cable ID (expected e.g. 08TOKYO1002)")

    @classmethod
    def from_canonical(cls, text: str) -> "CableId | None":
        """Read back an ID as refdb writes it (``08TOKYO1002``), as :meth:`try_parse`
        would, without its general normalising: the resolver reads every stored and
        cited ID back this way, hundreds of thousands per pass."""
        m = _CANONICAL.match(text)
        if m is None:
            return cls.try_parse(text)
        try:
            return _from_canonical_match(m)
        except InvalidCableId:
            return None

    @classmethod
    def try_parse(cls, text: str, *, year: int | None = None) -> "CableId | None":
        try:
            return cls.parse(text, year=year)
        except InvalidCableId:
            return None

    @staticmethod
    def display_parts(text: str) -> tuple[str, int] | None:
        """Split a year-less display form ``TOKYO 001002`` into (origin, serial)."""
        m = _DISPLAY.match(" ".join(text.strip().upper().split()))
        if not m:
            return None
        return normalise_origin(m.group(1)), int(m.group(2))

    @property
    def yy(self) -> str:
        return f"{self.year % 100:02d}"

    @property
    def canonical(self) -> str:
        """``08TOKYO1002``: the key refdb stores and links by."""
        return f"{self.yy}{self.origin}{self.serial}"

    @property
    def display(self) -> str:
        """``TOKYO 001002``: the form printed in the cable's banner line."""
        return f"{self.origin} {self.serial:06d}"

    def with_origin(self, origin: str) -> "CableId":
        return CableId(self.year, origin, self.serial)

    def __str__(self) -> str:
        return self.canonical


# Damage seen in published WikiLeaks IDs, in the order it is tried.  Each pattern
# removes a fused-in fragment; what is left must read as a canonical ID.
# A SECTION line, its word garbled or lost: "SCTION02OF02", "ECTION01OF02", "SECTION01GF02",
# "SECTION0QF05", "SECTION01O02", bare "01OF02".
_SECTION_FUSED = re.compile(r"^(\d{2})(?:[SE][A-Z]{0,7})?\d{1,2}[A-Z]{1,2}\d{0,2}([A-Z]+?)0*(\d+)$")
_CAVEAT_FUSED = re.compile(r"^(\d{2})(?:EFTO|NOFORN|SIFIED|AMEMBASSY|AMCONSUL)([A-Z]+?)0*(\d+)$")
_SUFFIX_FUSED = re.compile(r"^(\d{2})([A-Z]+?)0*(\d+)(?:TOSEC\d+|Z[A-Z]{2}\d+|SUSPECTEDDUPLICATE\d+)$")


def _from_canonical_match(m: re.Match[str]) -> CableId:
    """The ID a match of ``_CANONICAL`` names.  Its origin is letters only, already
    normal: this skips ``CableId.of``'s normalising, which the resolver and the
    catalogue reader would otherwise pay hundreds of thousands of times."""
    return CableId(full_year(int(m.group(1))), m.group(2), int(m.group(3)))


def repair_published(published: str, known_origins: Iterable[str] = ()) -> tuple[CableId | None, str]:
    """Read an ID as WikiLeaks published it; return (real ID or None, how it was read).

    The method is ``"canonical"`` for a well-formed ID, one of ``"section_fused"``,
    ``"caveat_fused"``, ``"suffix_fused"``, ``"origin_repaired"`` for a repaired garble,
    or ``"unreadable"``.  ``known_origins`` (posts that really send cables) lets a
    dropped-letter origin such as ``SOIA`` be restored to ``SOFIA`` when exactly one
    known origin is one insertion away; failing that, an origin of five letters or more
    one substitution or one swap of neighbours away (``MINSI``, ``AITTAIPIE``) when
    exactly one known origin is.
    """
    try:
        return _repair(published, frozenset(known_origins))
    except InvalidCableId:  # a fused fragment left a serial or origin no cable can have
        return None, "unreadable"


def _repair(published: str, origins: frozenset[str]) -> tuple[CableId | None, str]:
    s = published.strip().upper()
    m = _CANONICAL.match(s)
    if m:
        cid = _from_canonical_match(m)
        if not origins or cid.origin in origins:
            return cid, "canonical"
        fixed = _one_insertion_away(cid.origin, origins)
        if fixed:
            return cid.with_origin(fixed), "origin_repaired"
        # An unknown origin may hide a fused caveat or section line: try those first.
        repaired = _unfuse(s, origins)
        if repaired[0] is not None:
            return repaired
        fixed = _one_change_away(cid.origin, origins)
        return (cid.with_origin(fixed), "origin_repaired") if fixed else (cid, "canonical")
    return _unfuse(s, origins)


def _unfuse(s: str, origins: frozenset[str]) -> tuple[CableId | None, str]:
    for method, pattern in (
        ("caveat_fused", _CAVEAT_FUSED),
        ("section_fused", _SECTION_FUSED),
        ("suffix_fused", _SUFFIX_FUSED),
    ):
        m = pattern.match(s)
        if m:
            origin = m.group(2)
            if origins and origin not in origins:
                fixed = _one_insertion_away(origin, origins) or _one_change_away(origin, origins)
                if fixed is None:
                    continue
                origin = fixed
            return CableId.of(int(m.group(1)), origin, int(m.group(3))), method
    return None, "unreadable"


def _one_insertion_away(origin: str, origins: frozenset[str]) -> str | None:
    """The single known origin that ``origin`` becomes by inserting one letter, if unique."""
    hits = {
        known
        for known in origins
        if len(known) == len(origin) + 1
        and any(known[:i] + known[i + 1 :] == origin for i in range(len(known)))
    }
    return hits.pop() if len(hits) == 1 else None


def _one_change_away(origin: str, origins: frozenset[str]) -> str | None:
    """The single known origin one substitution or one neighbour swap from ``origin``.

    Only for origins of five letters or more: shorter ones are too often one change
    from several posts, or from a post they are not.
    """
    if len(origin) < 5:
        return None
    hits = set()
    for known in origins:
        if len(known) != len(origin):
            continue
        diff = [i for i in range(len(known)) if known[i] != origin[i]]
        if len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and known[diff[0]] == origin[diff[1]] and known[diff[1]] == origin[diff[0]]
        ):
            hits.add(known)
    return hits.pop() if len(hits) == 1 else None


# A date-time group as cables write it: "162245Z OCT 08", "R 162245Z OCT 08" (with a
# precedence letter), "162245ZOCT08", "162245Z Oct 2008", "16 2245Z OCT 08".
_DTG = re.compile(
    r"(?<![0-9A-Z])(?:[ROPZ]\s?)?(\d{2})\s?(\d{2})(\d{2})\s?Z\s?"
    r"(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\.?\s?'?(\d{4}|\d{2})(?![0-9])"
)


def normalise_dtg(text: str) -> str | None:
    """The first date-time group in ``text`` in one spelling: ``"162245Z OCT 08"``.

    A message known only by its sender and DTG (``SECDEF R162245Z OCT 08``) is matched
    against stored cables by this exact string, so parser and lookup must both use it.
    Returns None when no valid DTG (day 01-31, hour 00-23, minute 00-59, a year) is found.
    """
    for m in _DTG.finditer(text.upper()):
        day, hour, minute = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= day <= 31 and hour <= 23 and minute <= 59:
            return f"{m.group(1)}{m.group(2)}{m.group(3)}Z {m.group(4)} {m.group(5)[-2:]}"
    return None
