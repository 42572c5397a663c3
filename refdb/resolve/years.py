"""The year of a reference that writes none.

A REF item without a year (``TOKYO 1002``) usually means the citing cable's year, but
not always: early in January ``STATE 123456`` is last year's cable.  Serials grow
through the year at each post, which gives three tests:

- ``year_inferred_from_serial_order``: the cited post is the citing post and the serial
  is above the citing cable's own (the parser usually settles this one already).

- ``year_inferred_from_date``: at least two stored cables of that post, dated after the
  citing cable (plus a day), carry lower serials.  A cable with this serial in the
  citing year would then be newer than the citing cable, so it is last year's.
- ``year_inferred_from_serial``: the serial is above every serial known (stored or
  catalogued) at that post in the citing year, and last year's cable with this serial
  is known.  The known range of a small post can stop short of its real end, so this
  weaker test only counts when the earlier cable exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from refdb.ids import FIRST_YEAR, CableId
from refdb.resolve.lookup import Lookup
from refdb.resolve.siblings import exists

__all__ = ["earlier_year", "year_before"]

# Cable dates come with minutes but from different clocks (DTG, release metadata).
_SLACK = timedelta(days=1)


def year_before(cid: CableId) -> CableId | None:
    """The same post and serial a year earlier (None in FIRST_YEAR: no ID holds the
    year before)."""
    return CableId(cid.year - 1, cid.origin, cid.serial) if cid.year > FIRST_YEAR else None


def earlier_year(
    lookup: Lookup, cid: CableId, citing_id: CableId | None, citing_date: datetime | None
) -> tuple[CableId, str] | None:
    """Last year's reading of a year-less reference, with its evidence code, or None."""
    prior = year_before(cid)
    if prior is None:
        return None
    if citing_id is not None and (citing_id.origin, citing_id.year) == (cid.origin, cid.year):
        if cid.serial > citing_id.serial:
            return prior, "year_inferred_from_serial_order"
    if citing_date is not None:
        after = lookup.serial_after(cid.origin, cid.year, citing_date + _SLACK)
        if after is not None and cid.serial > after:
            return prior, "year_inferred_from_date"
    span = lookup.serial_range(cid.origin, cid.year)
    if span is not None and cid.serial > span[1] and exists(lookup, prior):
        return prior, "year_inferred_from_serial"
    return None
