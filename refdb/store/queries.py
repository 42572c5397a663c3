"""Reads: everything the service layer asks of the database.  Those behind ``show``,
``refs`` and ``cited-by`` are plain SQL in ``cable_reads`` (the quick read path runs
them without SQLAlchemy) and are re-exported here."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from refdb.store.cable_reads import (  # noqa: F401  (re-exported)
    cable,
    cables_by_origin_serial,
    cables_by_real_id,
    citing,
    count_citing,
    decode_json_list,
    mentions_of,
    references_of,
)
from refdb.store.membership import one_of
from refdb.store.tables import Cable, Mention, PendingCable, Reference
from refdb.store.writes import chunks

CABLE = Cable.__table__
REFERENCE = Reference.__table__
MENTION = Mention.__table__
PENDING = PendingCable.__table__


def unresolved(
    conn: Connection, *, origin: str | None = None, year: int | None = None, reason: str | None = None
) -> list[Row]:
    """References that did not resolve (unresolved or ambiguous), in citing order.
    ``origin`` and ``year`` filter on the cited cable (its year as written or inferred)."""
    q = (
        sa.select(
            REFERENCE,
            CABLE.c.date.label("citing_date"),
            CABLE.c.origin.label("citing_origin"),
        )
        .join(CABLE, CABLE.c.id == REFERENCE.c.citing_id)
        .where(REFERENCE.c.status.in_(("unresolved", "ambiguous")))
    )
    if reason:
        q = q.where(REFERENCE.c.reason == reason)
    if year is not None:
        q = q.where(sa.func.coalesce(REFERENCE.c.year, CABLE.c.year) == year)
    if origin:
        q = q.where(REFERENCE.c.cited_origin == origin)
    return list(conn.execute(q.order_by(REFERENCE.c.citing_id, REFERENCE.c.ordinal).execution_options(yield_per=2000)))


# --- what the resolver needs -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredRow:
    id: str
    real_id: str | None
    date: datetime | None
    dtg: str | None
    origin: str | None


def all_cables_for_lookup(conn: Connection) -> Iterator[StoredRow]:
    rows = conn.execute(
        sa.select(CABLE.c.id, CABLE.c.real_id, CABLE.c.date, CABLE.c.dtg, CABLE.c.origin).execution_options(
            yield_per=5000
        )
    )
    for r in rows:
        yield StoredRow(r.id, r.real_id, r.date, r.dtg, r.origin)


def pending_cables(conn: Connection, limit: int) -> list[Row]:
    return list(
        conn.execute(
            sa.select(PENDING.c.id, CABLE.c.real_id)
            .join(CABLE, CABLE.c.id == PENDING.c.id)
            .order_by(PENDING.c.id)
            .limit(limit)
        )
    )


@dataclass(frozen=True, slots=True)
class CitingInfo:
    id: str
    real_id: str | None
    date: datetime | None


# A reference row as the resolver takes it: a plain named tuple (cheap to build, and
# picklable, so chunks of them go to worker processes as they are).
StoredReference = namedtuple("StoredReference", [c.name for c in REFERENCE.columns])  # type: ignore[misc]


def waiting_for_statement(conn: Connection, cable_ids: Sequence[str]) -> sa.Select:
    """References that name, or wait for, one of ``cable_ids``.  No join with cable
    here: SQLite answers the OR of three IN lists from three indexes only when
    reference is the one table; joined, it scanned every settled cable for every chunk
    of a resolve pass (quadratic: 136 s of resolving at 251k cables)."""
    return sa.select(REFERENCE).where(
        sa.or_(
            one_of(conn, REFERENCE.c.wait_id, cable_ids),
            one_of(conn, REFERENCE.c.resolved_id, cable_ids),
            one_of(conn, REFERENCE.c.cited_id, cable_ids),
        )
    )


def references_to_resolve(
    conn: Connection, citing_ids: Sequence[str] | None, waiting_for: Sequence[str]
) -> tuple[list[StoredReference], dict[str, CitingInfo]]:
    """References of the given citing cables (all when None) plus those of settled
    cables waiting for one of ``waiting_for``; with the citing cables' facts the
    resolver needs.  References of other pending cables are left to their own chunk:
    resolving them here too would only be done again."""
    refs: dict[int, StoredReference] = {}
    if citing_ids is None:
        for r in conn.execute(sa.select(REFERENCE).execution_options(yield_per=5000)):
            refs[r.id] = StoredReference._make(r)
    else:
        for part in chunks(list(citing_ids)):
            for r in conn.execute(sa.select(REFERENCE).where(one_of(conn, REFERENCE.c.citing_id, part))):
                refs[r.id] = StoredReference._make(r)
    for part in chunks(sorted(set(waiting_for))):
        for r in conn.execute(waiting_for_statement(conn, part)):
            refs.setdefault(r.id, StoredReference._make(r))
    citing_info: dict[str, CitingInfo] = {}
    pending: set[str] = set()
    needed = sorted({r.citing_id for r in refs.values()})
    for part in chunks(needed):
        for c in conn.execute(
            sa.select(CABLE.c.id, CABLE.c.real_id, CABLE.c.date, PENDING.c.id.label("pending"))
            .select_from(CABLE.outerjoin(PENDING, PENDING.c.id == CABLE.c.id))
            .where(one_of(conn, CABLE.c.id, part))
        ):
            citing_info[c.id] = CitingInfo(c.id, c.real_id, c.date)
            if c.pending is not None:
                pending.add(c.id)
    own = set(citing_ids) if citing_ids is not None else None
    ordered = sorted(
        (r for r in refs.values() if own is None or r.citing_id in own or r.citing_id not in pending),
        key=lambda r: (r.citing_id, r.ordinal),
    )
    return ordered, citing_info


def count_cables(conn: Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(CABLE)).scalar_one()


def pending_posts_years(conn: Connection) -> set[tuple[str, int]]:
    """(origin, year) of every cable waiting for resolution."""
    rows = conn.execute(
        sa.select(CABLE.c.origin, CABLE.c.year)
        .join(PENDING, PENDING.c.id == CABLE.c.id)
        .where(CABLE.c.origin.is_not(None), CABLE.c.year.is_not(None))
        .distinct()
    )
    return {(o, y) for o, y in rows}


def settled_citers_watching(conn: Connection, posts_years: set[tuple[str, int]]) -> set[str]:
    """Cables not pending whose year-less REF items read their year from the timeline of
    one of ``posts_years`` (the item's post in its year or the year after): new cables
    there can change how such an item resolves.  See ``resolve.pipeline.timeline_keys``."""
    if not posts_years:
        return set()
    origins = sorted({o for o, _ in posts_years})
    found: set[str] = set()
    for part in chunks(origins):
        rows = conn.execute(
            sa.select(REFERENCE.c.citing_id, REFERENCE.c.cited_origin, REFERENCE.c.year)
            .where(
                ~sa.exists().where(PENDING.c.id == REFERENCE.c.citing_id),
                REFERENCE.c.kind == "cable",
                REFERENCE.c.year_source == "citing_year",
                REFERENCE.c.cited_origin.in_(part),
                sa.or_(REFERENCE.c.status != "resolved", REFERENCE.c.method == "year_inferred"),
            )
        )
        for citing_id, origin, year in rows:
            if year is not None and ((origin, year) in posts_years or (origin, year - 1) in posts_years):
                found.add(citing_id)
    return found
