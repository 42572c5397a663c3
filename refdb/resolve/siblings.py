"""Other posts a reference may mean when the post it names has no such cable.

Two kinds of sibling:

- **Renamed posts** (KIEV -> KYIV): one post, one serial sequence under two names, so
  the other name with the same year and serial is the same cable.
- **Posts sharing a city** (TAIPEI/AITTAIPEI, BRUSSELS/USEUBRUSSELS/USNATO ...).  Some
  share one communications centre and so one serial sequence (TAIPEI and AITTAIPEI
  interleave: 248 and 256 IDs in 2008, 3 common serials where ~35 would collide by
  chance); others number their own cables (BRUSSELS and USNATO: 107 common serials in
  2009).  Only in a shared sequence does "the sibling has this serial" mean "the
  sibling sent this cable"; in separate sequences it is a coincidence, so the sibling is
  only reported as evidence.  Sharing is measured on the lookup's own IDs.
"""

from __future__ import annotations

from collections.abc import Callable
from weakref import WeakKeyDictionary

from refdb.ids import FIRST_YEAR, CableId
from refdb.resolve.lookup import Lookup
from refdb.stations import stations

__all__ = ["exists", "renamed_forms", "shares_serials", "city_siblings"]

# Below this many expected chance collisions the data cannot tell shared from separate.
MIN_EXPECTED_COLLISIONS = 3.0
# A shared sequence may still show a few common serials (republished cables): allow a
# quarter of what chance would give; separate sequences show about as many as chance.
MAX_COLLISION_RATIO = 0.25
_YEARS = range(FIRST_YEAR, 2011)  # Cablegate's years

_cache: WeakKeyDictionary[object, dict[tuple[str, str], bool]] = WeakKeyDictionary()


def exists(lookup: Lookup, cid: CableId) -> bool:
    """Stored or in the catalogue."""
    return bool(lookup.stored(cid)) or lookup.in_catalogue(cid)


def renamed_forms(cid: CableId) -> tuple[tuple[CableId, str], ...]:
    """The same cable under a post's other name: ``(06KYIV3998, "post_rename:KIEV->KYIV")``."""
    out = []
    for rename in stations().renamed(cid.origin):
        other = rename.new if cid.origin == rename.old else rename.old
        out.append((cid.with_origin(other), f"post_rename:{cid.origin}->{other}"))
    return tuple(out)


def city_siblings(origin: str) -> tuple[str, ...]:
    """Posts sharing ``origin``'s city, without ``origin`` itself."""
    return tuple(o for o in stations().city_group(origin) if o != origin)


def shares_serials(lookup: Lookup, a: str, b: str) -> bool:
    """True when posts ``a`` and ``b`` number their cables in one sequence (see module doc)."""
    key = (a, b) if a < b else (b, a)
    try:
        memo = _cache.setdefault(lookup, {})
    except TypeError:  # a lookup that cannot be weakly referenced: measure every time
        return _measure(lookup, *key)
    if key not in memo:
        memo[key] = _measure(lookup, *key)
    return memo[key]


def _measure(lookup: Lookup, a: str, b: str) -> bool:
    """Compare common serials with the number chance would give, pooled over the years."""
    expected = 0.0
    common = 0
    for year in _YEARS:
        ra, rb = lookup.serial_range(a, year), lookup.serial_range(b, year)
        if ra is None or rb is None:
            continue
        low, high = max(ra[0], rb[0]), min(ra[1], rb[1])
        if low > high:
            continue
        has_a = _existence(lookup, a, year)
        has_b = _existence(lookup, b, year)
        in_a = in_b = 0
        for serial in range(low, high + 1):
            x, y = has_a(serial), has_b(serial)
            in_a += x
            in_b += y
            common += x and y
        expected += in_a * in_b / (high - low + 1)
    return expected >= MIN_EXPECTED_COLLISIONS and common <= MAX_COLLISION_RATIO * expected


def _existence(lookup: Lookup, origin: str, year: int) -> Callable[[int], bool]:
    return lambda serial: exists(lookup, CableId(year, origin, serial))
