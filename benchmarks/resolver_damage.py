"""Damage a REF item the ways real cables are damaged, for the resolver benchmark.

Each function takes a clean cable item (one the resolver links exactly) and returns the
item the parser would produce from the damaged text, or None when the damage does not
apply (no letter O to confuse, no written year to drop ...).  The items are built
directly, not by re-parsing text, so that the benchmark measures the resolver alone:
``origin_written`` is the damaged post as written and ``cited`` the ID read literally
from it (as the parser does for a post it does not know).

Damage kinds (seen in the corpus, see docs/cable-format.md section 4):

- ``post_typo``: one letter of the post deleted, doubled, replaced or swapped with its
  neighbour (``BRASILA``, ``SECTATE``).
- ``o0_post``: the digit 0 for the letter O in the post (``T0KYO``).
- ``o0_number``: the letter O for the digit 0 in the year or serial (``TOKYO 1OO2``);
  the parser cannot read the item, so ``cited`` and ``serial`` are None.
- ``dropped_year``: the year not written; the item is read with the citing year.
- ``split_post``: a post cut short to 80% of its letters (``KUALA LUMP``: 9 of 11) or
  losing its first word to a line break (``LUMPUR``).
- ``garbled_id``: a caveat or section line fused into the ID (``10EFTOKABUL668``,
  ``08SECTION01OF02TOKYO1002``), as in WikiLeaks' own garbled IDs.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import replace

from refdb.ids import CableId, InvalidCableId, normalise_origin
from refdb.model import RefItem, YearSource

__all__ = ["DAMAGES", "damage", "rng_for"]

Damage = Callable[[RefItem, CableId, random.Random], RefItem | None]


def rng_for(*parts: object) -> random.Random:
    """A generator seeded from the item's identity: the same damage on every run."""
    return random.Random("|".join(map(str, parts)))


def _with_post(item: RefItem, written: str) -> RefItem | None:
    """The item as read with post ``written`` (literally: no alias, no repair)."""
    if item.year is None or item.serial is None:
        return None
    try:
        cited: CableId | None = CableId.of(item.year, written, item.serial)
    except InvalidCableId:
        cited = None
    return replace(item, cited=cited, origin_written=written, raw=f"{written} {item.serial}")


def _letter_positions(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch.isalpha()]


def post_typo(item: RefItem, citing: CableId, rng: random.Random) -> RefItem | None:
    written = (item.origin_written or "").upper()
    positions = _letter_positions(written)
    if len(positions) < 3:
        return None
    i = rng.choice(positions)
    kind = rng.choice(("delete", "double", "replace", "swap"))
    if kind == "delete":
        damaged = written[:i] + written[i + 1 :]
    elif kind == "double":
        damaged = written[:i] + written[i] + written[i:]
    elif kind == "replace":
        letter = rng.choice([c for c in string.ascii_uppercase if c != written[i]])
        damaged = written[:i] + letter + written[i + 1 :]
    else:
        j = i + 1 if i + 1 < len(written) and written[i + 1].isalpha() else i - 1
        if j < 0 or not written[j].isalpha() or written[i] == written[j]:
            return None
        a, b = sorted((i, j))
        damaged = written[:a] + written[b] + written[a] + written[b + 1 :]
    return _with_post(item, damaged) if damaged != written else None


def o0_post(item: RefItem, citing: CableId, rng: random.Random) -> RefItem | None:
    written = (item.origin_written or "").upper()
    spots = [i for i, ch in enumerate(written) if ch == "O"]
    if not spots:
        return None
    i = rng.choice(spots)
    return _with_post(item, written[:i] + "0" + written[i + 1 :])


def o0_number(item: RefItem, citing: CableId, rng: random.Random) -> RefItem | None:
    if not item.origin_written or item.serial is None or item.year is None:
        return None
    serial = str(item.serial)
    year = f"{item.year % 100:02d}"
    if "0" in serial:
        i = rng.choice([k for k, ch in enumerate(serial) if ch == "0"])
        serial = serial[:i] + "O" + serial[i + 1 :]
    elif "0" in year:
        year = year.replace("0", "O", 1)
    else:
        return None
    raw = f"{year} {item.origin_written.upper()} {serial}"
    return replace(item, raw=raw, cited=None, serial=None, year=None, year_source=None)


def dropped_year(item: RefItem, citing: CableId, rng: random.Random) -> RefItem | None:
    if item.year_source not in (YearSource.EXPLICIT, YearSource.CARRIED) or item.cited is None:
        return None
    cited = CableId(citing.year, item.cited.origin, item.cited.serial)
    raw = f"{item.origin_written or item.cited.origin} {item.cited.serial}"
    return replace(item, raw=raw, cited=cited, year=citing.year, year_source=YearSource.CITING_YEAR)


def split_post(item: RefItem, citing: CableId, rng: random.Random) -> RefItem | None:
    written = " ".join((item.origin_written or "").upper().split())
    letters = normalise_origin(written)
    if len(letters) < 6:
        return None
    words = written.split()
    if len(words) > 1 and rng.random() < 0.5:
        damaged = " ".join(words[1:])  # the first word left on the line before
    else:
        keep = max(4, round(len(letters) * 0.8))
        damaged, seen = "", 0
        for ch in written:  # keep `keep` letters of the written form, spaces included
            if seen == keep:
                break
            damaged += ch
            seen += ch.isalpha()
    damaged = damaged.strip()
    return _with_post(item, damaged) if normalise_origin(damaged) != letters else None


def garbled_id(item: RefItem, citing: CableId, rng: random.Random) -> RefItem | None:
    if item.cited is None:
        return None
    if rng.random() < 0.5:
        fused = rng.choice(("EFTO", "NOFORN")) + item.cited.origin
    else:
        total = rng.randint(2, 4)
        fused = f"SECTION{rng.randint(1, total):02d}OF{total:02d}{item.cited.origin}"
    cited = CableId(item.cited.year, fused, item.cited.serial)
    return replace(item, cited=cited, origin_written=fused, raw=cited.canonical)


DAMAGES: dict[str, Damage] = {
    "post_typo": post_typo,
    "o0_post": o0_post,
    "o0_number": o0_number,
    "dropped_year": dropped_year,
    "split_post": split_post,
    "garbled_id": garbled_id,
}


def damage(kind: str, item: RefItem, citing: CableId) -> RefItem | None:
    """Apply damage ``kind`` to ``item`` (deterministically for a given item)."""
    return DAMAGES[kind](item, citing, rng_for(kind, citing.canonical, item.ordinal, item.raw))
