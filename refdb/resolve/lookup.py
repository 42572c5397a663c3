"""What the resolver may ask about stored cables and the release catalogue.

The resolver never touches storage: it asks a :class:`Lookup`.  :class:`MemoryLookup`
is the one implementation; storage loads its rows into it for a resolve pass and tests
build it from a handful of real IDs.  All indexes are plain dicts and sets so that the
common case (the cited ID is stored) costs one dict look-up.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from importlib import resources
from typing import Protocol

from refdb.ids import CableId, InvalidCableId, normalise_dtg, repair_published
from refdb.resolve.posts import match_post
from refdb.stations import stations

__all__ = [
    "CatalogueLoad",
    "Lookup",
    "MemoryLookup",
    "StoredCable",
    "bundled_catalogue",
    "load_catalogue",
    "read_catalogue",
    "read_published",
    "real_catalogue_id",
]


@dataclass(frozen=True, slots=True)
class StoredCable:
    """A stored cable as the resolver sees it."""

    id: str  # the ID as published = storage key (may be garbled: 08SCTION02OF02SAOPAULO335)
    real: CableId | None  # its real canonical form
    date: datetime | None
    dtg: str | None  # "110626Z APR 08"
    origin: str | None  # "TOKYO"


class Lookup(Protocol):
    def stored(self, cid: CableId) -> Sequence[StoredCable]:
        """Stored cables whose published or real ID is ``cid``; published-equal first."""
        ...

    def in_catalogue(self, cid: CableId) -> bool:
        """True when ``cid`` is in the release catalogue, stored or not."""
        ...

    def origins(self) -> frozenset[str]:
        """Known posts: catalogue origins and stored origins (the same object every call)."""
        ...

    def serial_range(self, origin: str, year: int) -> tuple[int, int] | None:
        """(lowest, highest) serial known at ``origin`` in ``year``, stored or catalogued."""
        ...

    def by_dtg(self, sender_origin: str, dtg: str) -> Sequence[StoredCable]:
        """Stored cables from ``sender_origin`` with date-time group ``dtg`` (any spelling)."""
        ...

    def serial_after(self, origin: str, year: int, when: datetime) -> int | None:
        """Second-lowest serial of the stored cables of ``origin`` in ``year`` dated after
        ``when``.  Serials grow through the year, so a serial above it was sent after
        ``when``; the second-lowest, so that one misdated cable cannot decide alone.
        None with fewer than two such cables, or when that post's serials do not run in
        date order that year (numbering restarted, as at 44 posts in February 2010)."""
        ...


class MemoryLookup:
    """A :class:`Lookup` over in-memory indexes.

    ``stored``: the stored cables; ``catalogue``: real IDs of the release (see
    :func:`load_catalogue`).  Query results do not depend on the order of either.

    A resolve pass holds one over every stored cable, and each forked worker copies
    the pages it touches, so the stored cables are kept compact: one row each in
    parallel lists and arrays (dates as integer microseconds), indexes from the real
    canonical ID to row numbers, and :class:`StoredCable` objects built only when a
    query returns them.  At 251,287 cables that is 119 MB of process memory against
    258 MB for the objects (measured), and a look-up still costs one hash.  Published IDs that differ from the real form (about 200
    garbled ones in Cablegate) sit in a small side index.
    """

    __slots__ = (
        "_ids", "_reals", "_dates", "_aware", "_dtgs", "_senders",
        "_by_real", "_by_published", "_catalogue", "_origins", "_ranges", "_dtg", "_timeline", "__weakref__",
    )  # fmt: skip

    def __init__(self, stored: Iterable[StoredCable] = (), catalogue: Iterable[CableId] = ()) -> None:
        ids: list[str] = []
        reals: list[str | None] = []  # real canonical ID (the same str object as the published one when equal)
        dates = array("q")
        aware: dict[int, datetime] = {}  # rows whose date has a time zone: given back as they came
        dtgs: list[str | None] = []
        senders: list[str | None] = []
        # Index values: a bare row number, or a list of them when several rows share the
        # key (rare: made once, the common case allocates nothing).
        by_real: dict[str, int | list[int]] = {}
        by_published: dict[CableId | str, list[int]] = {}
        ranges: dict[tuple[str, int], list[int]] = {}
        # Keyed by the DTG alone (the string the row already holds, no key object per
        # row); the sender is checked when asked.
        dtg_index: dict[str, int | list[int]] = {}
        dated: dict[tuple[str, int], list[tuple[int, int]]] = {}
        intern = sys.intern

        def widen(origin: str, year: int, serial: int) -> None:
            key = (origin, year)
            span = ranges.get(key)
            if span is None:
                ranges[(intern(origin), year)] = [serial, serial]
            elif serial < span[0]:
                span[0] = serial
            elif serial > span[1]:
                span[1] = serial

        for row, cable in enumerate(stored):
            real = cable.real
            canonical = None
            if real is not None:
                canonical = real.canonical
                if canonical == cable.id:
                    canonical = cable.id  # one string object for both
            ids.append(cable.id)
            reals.append(canonical)
            if cable.date is None:
                dates.append(_NO_DATE)
            else:
                dates.append(_micros(cable.date))
                if cable.date.tzinfo is not None:
                    aware[row] = cable.date
            dtgs.append(cable.dtg)
            senders.append(intern(cable.origin) if cable.origin else None)
            if real is None or cable.id.upper() != canonical:
                # Published under another form: findable by that form too.
                published = cable.id.upper()
                key: CableId | str = CableId.try_parse(published) or published
                by_published.setdefault(key, []).append(row)
            if real is not None and canonical is not None:
                _add(by_real, canonical, row)
                widen(real.origin, real.year, real.serial)
                if cable.date is not None:
                    dated.setdefault((intern(real.origin), real.year), []).append((dates[row], real.serial))
            if (cable.origin or real is not None) and cable.dtg:
                dtg = cable.dtg if _NORMAL_DTG.match(cable.dtg) else normalise_dtg(cable.dtg)
                if dtg:
                    _add(dtg_index, dtg, row)

        catalogue_ids = frozenset(catalogue)
        for cid in catalogue_ids:
            widen(cid.origin, cid.year, cid.serial)

        self._ids, self._reals, self._dates, self._aware = ids, reals, dates, aware
        self._dtgs, self._senders = dtgs, senders

        def by_id(rows: list[int]) -> tuple[int, ...]:
            return tuple(sorted(rows, key=ids.__getitem__))

        # Several cables under one key: for a real ID published-equal first, then by
        # published ID, so that answers do not depend on the order the cables were given in.
        for k, v in by_real.items():
            if isinstance(v, list):
                by_real[k] = tuple(sorted(v, key=lambda r: (ids[r].upper() != k, ids[r])))  # type: ignore[misc]
        for k, v in dtg_index.items():
            if isinstance(v, list):
                dtg_index[k] = by_id(v)  # type: ignore[assignment]
        self._by_real: dict[str, int | tuple[int, ...]] = by_real  # type: ignore[assignment]
        self._by_published = {k: by_id(v) for k, v in by_published.items()}
        self._catalogue = catalogue_ids
        self._origins = frozenset(origin for origin, _year in ranges)
        self._ranges: dict[tuple[str, int], tuple[int, int]] = {k: (v[0], v[1]) for k, v in ranges.items()}
        self._dtg: dict[str, int | tuple[int, ...]] = dtg_index  # type: ignore[assignment]
        self._timeline = {k: _Timeline.build(v) for k, v in dated.items() if len(v) >= 2}

    def __len__(self) -> int:
        """Stored cables held."""
        return len(self._ids)

    def _cable(self, row: int, real: CableId | None = None) -> StoredCable:
        """Row ``row`` as a StoredCable; ``real``: its real ID when the caller has it."""
        if real is None:
            canonical = self._reals[row]
            real = CableId.from_canonical(canonical) if canonical is not None else None
        micros = self._dates[row]
        date = None if micros == _NO_DATE else self._aware.get(row) or _EPOCH + timedelta(microseconds=micros)
        return StoredCable(self._ids[row], real, date, self._dtgs[row], self._senders[row])

    def stored(self, cid: CableId) -> Sequence[StoredCable]:
        canonical = cid.canonical
        held = self._by_real.get(canonical)
        real: tuple[StoredCable, ...]
        if held is None:
            real = ()
        elif isinstance(held, int):
            real = (self._cable(held, cid),)
        else:
            real = tuple(self._cable(r, cid) for r in held)
        if not self._by_published:
            return real
        rows = self._by_published.get(cid, ())
        if not cid.origin.isalpha():  # a garbled form cited literally: 08SCTION02OF02SAOPAULO335
            rows += self._by_published.get(canonical, ())
        if not rows:
            return real
        published = tuple(self._cable(r) for r in rows)
        first = tuple(c for c in real if c.id.upper() == canonical)
        return first + published + tuple(c for c in real if c not in first and c not in published)

    def in_catalogue(self, cid: CableId) -> bool:
        return cid in self._catalogue

    def origins(self) -> frozenset[str]:
        return self._origins

    def serial_range(self, origin: str, year: int) -> tuple[int, int] | None:
        return self._ranges.get((origin, year))

    def by_dtg(self, sender_origin: str, dtg: str) -> Sequence[StoredCable]:
        key = normalise_dtg(dtg)
        held = self._dtg.get(key) if key else None
        if held is None:
            return ()
        found = (self._cable(r) for r in ((held,) if isinstance(held, int) else held))
        return tuple(c for c in found if (c.origin or (c.real.origin if c.real else None)) == sender_origin)

    def serial_after(self, origin: str, year: int, when: datetime) -> int | None:
        timeline = self._timeline.get((origin, year))
        return timeline.second_lowest_after(_micros(when)) if timeline is not None else None

    def __repr__(self) -> str:
        return (
            f"MemoryLookup({len(self._by_real)} stored real IDs, {len(self._catalogue)} catalogued, "
            f"{len(self._origins)} posts)"
        )


# A DTG already in normalise_dtg's spelling: the usual case, checked without re-parsing.
_NORMAL_DTG = re.compile(r"\d{6}Z [A-Z]{3} \d{2}$")


def _add(index: dict, key: object, row: int) -> None:
    held = index.get(key)
    if held is None:
        index[key] = row
    elif isinstance(held, int):
        index[key] = [held, row]
    else:
        held.append(row)


_EPOCH = datetime(1970, 1, 1)
_NO_DATE = -(2**63)  # no date (microseconds)


def _micros(when: datetime) -> int:
    """Microseconds since 1970 of ``when`` as naive UTC: refdb's naive datetimes are UTC
    (cable dates come from DTGs, which are Zulu).  Exact, and ordered as the datetimes."""
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    d = when - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


@dataclass(frozen=True, slots=True)
class _Timeline:
    """Dated serials of one post in one year, for "which serials came after this date"."""

    times: array  # sorted dates, in microseconds (see _micros)
    low_after: array  # low_after[i]: 2nd-lowest serial among entries i.. (-1: fewer than two)
    ordered: bool  # serials run in date order (one stray cable tolerated)

    @classmethod
    def build(cls, entries: list[tuple[int, int]]) -> "_Timeline":
        entries.sort()
        n = len(entries)
        low_after = [-1] * (n + 1)
        low1 = low2 = sys.maxsize
        for i in range(n - 1, -1, -1):
            serial = entries[i][1]
            if serial < low1:
                low1, low2 = serial, low1
            elif serial < low2:
                low2 = serial
            low_after[i] = low2 if low2 != sys.maxsize else -1
        # Ordered when, at every point, the 2nd-highest serial before it is below the
        # 2nd-lowest after it.  In February 2010, 44 posts restarted their numbering: a
        # year like that proves nothing about which serial came when.
        ordered = True
        high1 = high2 = -1
        for i in range(n):
            if high2 >= 0 and low_after[i] >= 0 and high2 > low_after[i]:
                ordered = False
                break
            serial = entries[i][1]
            if serial > high1:
                high1, high2 = serial, high1
            elif serial > high2:
                high2 = serial
        return cls(array("q", [t for t, _ in entries]), array("q", low_after), ordered)

    def second_lowest_after(self, when: int) -> int | None:
        """``when``: in microseconds (see _micros)."""
        if not self.ordered:
            return None
        low = self.low_after[bisect_right(self.times, when)]
        return low if low >= 0 else None


@dataclass(frozen=True, slots=True)
class CatalogueLoad:
    """How the published IDs of a catalogue were read (see :func:`read_catalogue`)."""

    ids: tuple[CableId, ...]
    canonical: int  # well-formed, known post
    repaired: int  # garbled (fused caveat/section, dropped letter ...) and repaired
    post_matched: int  # post name repaired by the resolver's post matching
    skipped: tuple[str, ...]  # unreadable, or post matches no known post


def real_catalogue_id(published: str) -> CableId | None:
    """The real ID of one published catalogue ID, read as :func:`read_catalogue` reads
    them (None when unreadable; see :func:`read_published`).  Storage calls it once per
    ID when a catalogue is loaded."""
    return read_published(published)[0]


def read_published(published: str) -> tuple[CableId | None, str]:
    """The real ID of one published catalogue ID, and how it was read:

    ``canonical`` (well-formed, known post), ``repaired`` (garbled: fused caveat or
    section line, dropped letter, via :func:`refdb.ids.repair_published`),
    ``post_matched`` (post repaired by the same matching as REF items,
    :func:`refdb.resolve.posts.match_post`: ``07BUENOSQRES633``), or ``unreadable``
    with None (``092OF5``).
    """
    known = stations().origins
    try:
        cid, how = repair_published(published, known)
    except InvalidCableId:  # e.g. a serial beyond seven digits: 08EFTOKABUL10000000
        return None, "unreadable"
    if cid is not None and cid.origin in known:
        return cid, "canonical" if how == "canonical" else "repaired"
    if cid is not None:
        post = match_post(cid.origin, known)
        if post is not None and post.origin is not None:
            return cid.with_origin(post.origin), "post_matched"
    return None, "unreadable"


def read_catalogue(published_ids: Iterable[str]) -> CatalogueLoad:
    """Turn published catalogue IDs into real IDs (see :func:`read_published`); the
    unreadable ones are skipped and listed."""
    ids: list[CableId] = []
    counts = {"canonical": 0, "repaired": 0, "post_matched": 0}
    skipped: list[str] = []
    for published in published_ids:
        cid, how = read_published(published)
        if cid is None:
            skipped.append(published)
        else:
            ids.append(cid)
            counts[how] += 1
    return CatalogueLoad(tuple(ids), counts["canonical"], counts["repaired"], counts["post_matched"], tuple(skipped))


def _bundled_ids() -> Iterator[str]:
    raw = resources.files("refdb.data").joinpath("cablegate_ids.csv.gz").read_bytes()
    reader = csv.reader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    for row in reader:
        if row and row[0] != "refid":
            yield row[0].strip().upper()


@cache
def bundled_catalogue() -> CatalogueLoad:
    """The bundled Cablegate catalogue, read once per process (251,287 published IDs)."""
    return read_catalogue(_bundled_ids())


def load_catalogue() -> Iterator[CableId]:
    """Real IDs of the bundled Cablegate catalogue (``refdb/data/cablegate_ids.csv.gz``).

    Garbled IDs are repaired (:func:`read_catalogue`); the few that cannot be read are
    skipped (``bundled_catalogue().skipped`` lists them).
    """
    return iter(bundled_catalogue().ids)
