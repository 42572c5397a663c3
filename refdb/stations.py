"""Known posts, their aliases and routing indicators: immutable lookups over ``refdb/data``.

A post (an "origin") is the middle part of a cable ID: ``TOKYO`` in ``08TOKYO1002``.
Cables and REF blocks write posts in other ways (``SECSTATE WASHDC``, ``AMEMBASSY
TOKYO``, ``USUN``, routing indicator ``RUEHKO``); this module maps such writer forms to
origins, exactly: nothing here is fuzzy (the resolver owns fuzzy matching).

Data (see ``refdb/data/README.md``):

- ``origins.csv``: every origin seen in Cablegate IDs; those seen only inside garbled
  IDs (``BRUSSQLS``, ``EFTOKABUL``) are not posts.
- ``routing_indicators.csv``: routing indicator -> station name (``RUEHKO`` ->
  ``AMEMBASSY TOKYO``); ``X THRU Y`` rows name a range of indicators.
- ``post_aliases.csv``: writer forms that are not the origin itself (``SECSTATE`` ->
  ``STATE``), each with the reason it holds.
- ``post_renames.csv``: posts whose ID origin changed (``KIEV`` -> ``KYIV`` in 2006).

Posts sharing a city (TAIPEI and AITTAIPEI ...) are derived from the data, not listed
by hand: two real origins share a city when one contains the other (``AITTAIPEI`` ⊃
``TAIPEI``, ``IRANRPODUBAI`` ⊃ ``RPODUBAI`` ⊃ ``DUBAI``), or when a routing indicator's
station name is one origin followed by another (``US MISSION USNATO BRUSSELS BE``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from refdb.ids import normalise_origin

__all__ = ["Rename", "Stations", "stations", "load_stations"]

# First words of a station name that say what kind of office it is, not where it is.
# "US MISSION" is two words; the rest is the place (or the mission's own origin).
_OFFICE_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("US", "MISSION"),
    ("AMEMBASSY",),
    ("AMEMB",),
    ("EMBASSY",),
    ("AMCONSUL",),
    ("AMCONSULATE",),
    ("AMCONGEN",),
    ("CONSULATE",),
    ("CONGEN",),
    ("USMISSION",),
    ("USMISSIN",),  # sic: the name of RUEHUNV (USMISSIN UNVIE VIENNA)
    ("MISSION",),
    ("USINT",),  # interests section (USINT HAVANA)
    ("USOFFICE",),
    ("REO",),  # regional embassy office (REO BASRAH)
)
# Words that may close a station name without being part of the origin.
_CITY_WORD = "CITY"  # AMEMBASSY VATICAN CITY -> VATICAN (when VATICANCITY is not a post)


@dataclass(frozen=True, slots=True)
class Rename:
    """A post whose ID origin changed: ``old`` IDs up to the change, ``new`` IDs from ``year``."""

    old: str
    new: str
    year: int


@dataclass(frozen=True, slots=True)
class Stations:
    """Immutable lookups over the bundled post data.  Build with :func:`stations`."""

    origins: frozenset[str]  # real posts (origins of well-formed Cablegate IDs)
    garbled_origins: frozenset[str]  # origins seen only inside garbled IDs
    aliases: Mapping[str, str]  # normalised writer form -> origin
    ri_names: Mapping[str, str]  # routing indicator -> station name
    ri_origins: Mapping[str, str]  # routing indicator -> origin, when the name says it
    groups: Mapping[str, tuple[str, ...]]  # origin -> posts sharing its city (sorted, itself included)
    renames: tuple[Rename, ...]

    def is_known(self, origin: str) -> bool:
        """True for a real post, given as an origin (``TOKYO``, ``USUNNEWYORK``)."""
        return origin in self.origins

    def alias(self, origin_written: str) -> str | None:
        """The origin a well-known writer form stands for, or None.

        ``SECSTATE`` -> ``STATE``, ``USUN`` -> ``USUNNEWYORK``, ``AMEMBASSY TOKYO`` ->
        ``TOKYO``, ``USMISSION USUN NEW YORK NY`` -> ``USUNNEWYORK``, ``Embassy New
        Delhi`` -> ``NEWDELHI``.  A form that already is an origin (``TOKYO``) is not an
        alias: use :meth:`canonical` to accept both.
        """
        key = normalise_origin(origin_written)
        if not key or key in self.origins:
            return None
        origin, _city = _station_origin(origin_written, self.origins, self.aliases)
        return origin

    def canonical(self, origin_written: str) -> str | None:
        """The origin for a writer form: itself when it is a post, else its alias, else None."""
        key = normalise_origin(origin_written)
        if key in self.origins:
            return key
        return self.alias(origin_written)

    def routing_indicator_name(self, ri: str) -> str | None:
        """Station name of a routing indicator: ``RUEHKO`` -> ``AMEMBASSY TOKYO``."""
        return self.ri_names.get(ri.strip().upper())

    def origin_for_ri(self, ri: str) -> str | None:
        """The post a routing indicator stands for, when its station name names one."""
        return self.ri_origins.get(ri.strip().upper())

    def city_group(self, origin: str) -> tuple[str, ...]:
        """Posts sharing ``origin``'s city, itself included, sorted: ``(AITTAIPEI, TAIPEI)``."""
        return self.groups.get(origin, (origin,))

    def renamed(self, origin: str) -> tuple[Rename, ...]:
        """Renames involving ``origin`` (as the old or the new name)."""
        return tuple(r for r in self.renames if origin in (r.old, r.new))


def _place_parts(tokens: list[str]) -> Iterable[list[str]]:
    """Candidate place parts of a station name, most literal first.

    ``AMEMBASSY TOKYO`` -> ``TOKYO``; ``USMISSION USUN NEW YORK NY`` -> ``USUN NEW YORK
    NY``, then without the state/country code; ``AMEMBASSY VATICAN CITY`` -> then
    ``VATICAN``.
    """
    rest = tokens
    for prefix in _OFFICE_PREFIXES:
        if tuple(tokens[: len(prefix)]) == prefix and len(tokens) > len(prefix):
            rest = tokens[len(prefix) :]
            break
    yield rest
    if len(rest) >= 2 and len(rest[-1]) == 2 and rest[-1].isalpha():
        yield rest[:-1]  # a trailing country or state code: TOKYO JA, NEW YORK NY
    if len(rest) >= 2 and rest[-1] == _CITY_WORD:
        yield rest[:-1]


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("refdb.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _expand_ri(key: str) -> list[str]:
    """``RUEAWJA THRU RUEAWJD`` -> the four indicators; a single indicator -> itself."""
    if " THRU " not in key:
        return [key.strip()]
    first, last = (part.strip() for part in key.split(" THRU "))
    if first[:-1] != last[:-1] or not (first[-1].isalpha() and last[-1].isalpha()):
        return [first, last]  # not a simple last-letter range: keep the two ends only
    return [first[:-1] + chr(c) for c in range(ord(first[-1]), ord(last[-1]) + 1)]


def _station_origin(
    name: str, origins: frozenset[str], aliases: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """(origin, city) a station name or writer form stands for, exactly.

    ``AMEMBASSY TOKYO`` -> (TOKYO, None); ``US MISSION USNATO BRUSSELS BE`` -> (USNATO,
    BRUSSELS): a name that is an origin followed by another origin names a mission and
    the city it sits in.
    """
    key = normalise_origin(name)
    if key in aliases:
        return aliases[key], None
    tokens = name.upper().split()
    for rest in _place_parts(tokens):
        joined = normalise_origin(" ".join(rest))
        if joined in origins:
            return joined, None
        # Before the alias list, which knows USNATO BRUSSELS too but not that it is a city.
        for cut in range(1, len(rest)):
            head, city = normalise_origin(" ".join(rest[:cut])), normalise_origin(" ".join(rest[cut:]))
            if head in origins and city in origins:
                return head, city
        if joined in aliases:
            return aliases[joined], None
    return None, None


def _city_groups(origins: frozenset[str], pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Union of containment pairs (AITTAIPEI ⊃ TAIPEI) and the given (mission, city) pairs."""
    parent = {o: o for o in origins}

    def find(o: str) -> str:
        while parent[o] != o:
            parent[o] = parent[parent[o]]
            o = parent[o]
        return o

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for a in origins:
        for b in origins:
            # Four letters at least: a shorter origin inside a longer one would be chance.
            if a != b and len(b) >= 4 and b in a:
                union(a, b)
    for a, b in pairs:
        union(a, b)
    members: dict[str, list[str]] = {}
    for o in origins:
        members.setdefault(find(o), []).append(o)
    return {o: tuple(sorted(group)) for group in members.values() if len(group) > 1 for o in group}


def load_stations() -> Stations:
    """Build :class:`Stations` from the files bundled in ``refdb/data`` (uncached)."""
    origin_rows = _read_csv("origins.csv")
    origins = frozenset(r["origin"] for r in origin_rows if r["only_in_garbled_ids"] == "no")
    garbled = frozenset(r["origin"] for r in origin_rows if r["only_in_garbled_ids"] == "yes")
    aliases = {normalise_origin(r["written"]): r["origin"] for r in _read_csv("post_aliases.csv")}
    unknown = sorted(set(aliases.values()) - origins)
    if unknown:
        raise ValueError(f"post_aliases.csv maps to unknown origins: {unknown}")

    ri_names: dict[str, str] = {}
    ri_origins: dict[str, str] = {}
    conflicting: set[str] = set()
    mission_city: set[tuple[str, str]] = set()
    for row in _read_csv("routing_indicators.csv"):
        name = " ".join(row["name"].split())
        origin, city = _station_origin(name, origins, aliases)
        if city is not None and origin is not None:
            mission_city.add((origin, city))
        for ri in _expand_ri(row["routing_indicator"].upper()):
            ri_names.setdefault(ri, name)  # the first name listed wins for display
            if ri in conflicting:
                continue
            if ri in ri_origins and ri_origins[ri] != origin:
                # Two names for one indicator naming different posts: trust neither.
                del ri_origins[ri]
                conflicting.add(ri)
            elif origin is not None:
                ri_origins[ri] = origin

    renames = tuple(
        Rename(r["old"], r["new"], int(r["year"])) for r in _read_csv("post_renames.csv")
    )
    for r in renames:
        if r.old not in origins or r.new not in origins:
            raise ValueError(f"post_renames.csv: {r.old} -> {r.new} names an unknown origin")

    return Stations(
        origins=origins,
        garbled_origins=garbled,
        aliases=MappingProxyType(aliases),
        ri_names=MappingProxyType(ri_names),
        ri_origins=MappingProxyType(ri_origins),
        groups=MappingProxyType(_city_groups(origins, mission_city)),
        renames=renames,
    )


@cache
def stations() -> Stations:
    """The bundled post data, loaded once per process."""
    return load_stations()
