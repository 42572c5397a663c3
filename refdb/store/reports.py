"""Aggregate reads for reports: what is missing and how often it is cited, counts for
``refdb stats``, the most-cited stored cables."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from refdb.store.tables import Cable, Mention, Reference
from refdb.store.writes import chunks

CABLE = Cable.__table__
REFERENCE = Reference.__table__
MENTION = Mention.__table__

OPEN = ("unresolved", "ambiguous")


@dataclass(frozen=True, slots=True)
class OpenFilter:
    """Filters on unresolved references: the cited cable's post and year (as written
    or inferred, else the citing cable's year), and the triage reason."""

    origin: str | None = None
    year: int | None = None
    reason: str | None = None


def _missing_id():  # type: ignore[no-untyped-def]
    # The ID after the resolver's repairs when it made one, else the ID as cited.
    return sa.func.coalesce(REFERENCE.c.resolved_id, REFERENCE.c.cited_id)


def _year():  # type: ignore[no-untyped-def]
    return sa.func.coalesce(REFERENCE.c.year, CABLE.c.year)


def _open(q, f: OpenFilter):  # type: ignore[no-untyped-def]
    q = q.select_from(REFERENCE.join(CABLE, CABLE.c.id == REFERENCE.c.citing_id)).where(
        REFERENCE.c.status.in_(OPEN)
    )
    if f.reason is not None:
        q = q.where(REFERENCE.c.reason == f.reason)
    if f.year is not None:
        q = q.where(_year() == f.year)
    if f.origin is not None:
        q = q.where(REFERENCE.c.cited_origin == f.origin)
    return q


def missing_ranked(conn: Connection, f: OpenFilter, limit: int | None) -> list[Row]:
    """Cited IDs that did not resolve, most-cited first: missing_id, cited_by_count
    (distinct citing cables), references, origin, year, first_cited, last_cited."""
    missing = _missing_id().label("missing_id")
    cited_by = sa.func.count(sa.distinct(REFERENCE.c.citing_id)).label("cited_by_count")
    refs = sa.func.count().label("references")
    q = _open(
        sa.select(
            missing,
            cited_by,
            refs,
            sa.func.max(REFERENCE.c.cited_origin).label("origin"),
            sa.func.max(REFERENCE.c.year).label("year"),
            sa.func.min(CABLE.c.date).label("first_cited"),
            sa.func.max(CABLE.c.date).label("last_cited"),
        ),
        f,
    ).where(_missing_id().is_not(None))
    q = q.group_by(_missing_id()).order_by(sa.desc(cited_by), sa.desc(refs), _missing_id())
    if limit is not None:
        q = q.limit(limit)
    return list(conn.execute(q))


def open_details(conn: Connection, f: OpenFilter, missing_ids: Collection[str]) -> list[Row]:
    """For the given missing IDs: each unresolved reference's citing cable, reason,
    status and candidates (oldest citing cable first)."""
    rows: list[Row] = []
    for part in chunks(sorted(missing_ids)):
        q = _open(
            sa.select(
                _missing_id().label("missing_id"),
                REFERENCE.c.citing_id,
                REFERENCE.c.letter,
                REFERENCE.c.status,
                REFERENCE.c.reason,
                REFERENCE.c.candidates,
                CABLE.c.date.label("citing_date"),
            ),
            f,
        ).where(_missing_id().in_(part))
        rows.extend(conn.execute(q))
    rows.sort(key=lambda r: (r.citing_date is None, r.citing_date or datetime.min, r.citing_id))
    return rows


_DIMENSIONS = {
    # Literal '' (not a bound parameter): PostgreSQL matches GROUP BY expressions
    # textually, and each bound parameter is a different placeholder.
    "reason": lambda: sa.func.coalesce(REFERENCE.c.reason, sa.literal_column("''")),
    "origin": lambda: sa.func.coalesce(REFERENCE.c.cited_origin, sa.literal_column("''")),
    "year": lambda: _year(),
    "status": lambda: REFERENCE.c.status,
    "kind": lambda: REFERENCE.c.kind,
}


def open_counts(conn: Connection, f: OpenFilter, dimension: str) -> list[Row]:
    """Unresolved references grouped by ``dimension`` (reason, origin, year, status,
    kind): value, references, missing (distinct missing IDs), citing (distinct citing
    cables); biggest group first."""
    key = _DIMENSIONS[dimension]().label("value")
    refs = sa.func.count().label("references")
    q = _open(
        sa.select(
            key,
            refs,
            sa.func.count(sa.distinct(_missing_id())).label("missing"),
            sa.func.count(sa.distinct(REFERENCE.c.citing_id)).label("citing"),
        ),
        f,
    )
    q = q.group_by(_DIMENSIONS[dimension]()).order_by(sa.desc(refs), _DIMENSIONS[dimension]())
    return list(conn.execute(q))


# --- stats -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CableFilter:
    """Filters on stored cables (for references: on the citing cable)."""

    origins: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None  # exclusive


def _cables(q, f: CableFilter, table=CABLE):  # type: ignore[no-untyped-def]
    if f.origins:
        q = q.where(table.c.origin.in_(f.origins))
    if f.since is not None:
        q = q.where(table.c.date >= f.since)
    if f.until is not None:
        q = q.where(table.c.date < f.until)
    return q


def cable_counts(conn: Connection, f: CableFilter, column: str) -> list[tuple]:
    """(value, cables) for a column of ``cable`` (year, origin, classification)."""
    col = CABLE.c[column]
    n = sa.func.count().label("n")
    q = _cables(sa.select(col, n).select_from(CABLE), f).group_by(col).order_by(col)
    return [tuple(r) for r in conn.execute(q)]


def reference_counts(conn: Connection, f: CableFilter, *columns: str, where=None) -> list[tuple]:  # type: ignore[no-untyped-def]
    """(values..., references) grouped by columns of ``reference``, over references of
    the covered citing cables."""
    cols = [REFERENCE.c[c] for c in columns]
    n = sa.func.count().label("n")
    q = sa.select(*cols, n).select_from(REFERENCE.join(CABLE, CABLE.c.id == REFERENCE.c.citing_id))
    q = _cables(q, f)
    if where is not None:
        q = q.where(where)
    q = q.group_by(*cols).order_by(*cols)
    return [tuple(r) for r in conn.execute(q)]


def resolution_by_year(conn: Connection, f: CableFilter) -> list[tuple]:
    """(citing year, cable items, resolved) for references of kind cable."""
    resolved = sa.func.sum(sa.case((REFERENCE.c.status == "resolved", 1), else_=0))
    q = sa.select(CABLE.c.year, sa.func.count(), resolved).select_from(
        REFERENCE.join(CABLE, CABLE.c.id == REFERENCE.c.citing_id)
    )
    q = _cables(q, f).where(REFERENCE.c.kind == "cable").group_by(CABLE.c.year).order_by(CABLE.c.year)
    return [(y, n, int(r or 0)) for y, n, r in conn.execute(q)]


def mention_counts(conn: Connection, f: CableFilter) -> tuple[int, int]:
    """(mentions, mentions attached to a REF item) in the covered cables."""
    attached = sa.func.sum(sa.case((MENTION.c.ref_ordinal.is_not(None), 1), else_=0))
    q = sa.select(sa.func.count(), attached).select_from(MENTION.join(CABLE, CABLE.c.id == MENTION.c.citing_id))
    n, a = conn.execute(_cables(q, f)).one()
    return n, int(a or 0)


def graph_counts(conn: Connection, f: CableFilter) -> tuple[int, int, int]:
    """(distinct citing->target links, cables citing a stored cable, stored cables cited)
    among references of the covered citing cables."""
    base = _cables(
        sa.select(REFERENCE.c.citing_id, REFERENCE.c.target_id)
        .select_from(REFERENCE.join(CABLE, CABLE.c.id == REFERENCE.c.citing_id))
        .where(REFERENCE.c.status == "resolved", REFERENCE.c.target_id.is_not(None))
        .distinct(),
        f,
    ).subquery()
    q = sa.select(
        sa.func.count(),
        sa.func.count(sa.distinct(base.c.citing_id)),
        sa.func.count(sa.distinct(base.c.target_id)),
    ).select_from(base)
    return tuple(conn.execute(q).one())  # type: ignore[return-value]


# --- top -------------------------------------------------------------------------------


def most_cited(conn: Connection, f: CableFilter, limit: int) -> list[Row]:
    """Stored cables (filtered on the cited cable) by how many distinct stored cables
    cite them: id, date, origin, classification, subject, cited_by_count, references,
    first_cited, last_cited."""
    citing = CABLE.alias("citing")
    cited_by = sa.func.count(sa.distinct(REFERENCE.c.citing_id)).label("cited_by_count")
    refs = sa.func.count().label("references")
    q = (
        sa.select(
            CABLE.c.id,
            CABLE.c.date,
            CABLE.c.origin,
            CABLE.c.classification,
            CABLE.c.subject,
            cited_by,
            refs,
            sa.func.min(citing.c.date).label("first_cited"),
            sa.func.max(citing.c.date).label("last_cited"),
        )
        .select_from(
            REFERENCE.join(CABLE, CABLE.c.id == REFERENCE.c.target_id).join(
                citing, citing.c.id == REFERENCE.c.citing_id
            )
        )
        .where(REFERENCE.c.status == "resolved")
    )
    q = _cables(q, f)
    q = (
        q.group_by(CABLE.c.id, CABLE.c.date, CABLE.c.origin, CABLE.c.classification, CABLE.c.subject)
        .order_by(sa.desc(cited_by), sa.desc(refs), CABLE.c.id)
        .limit(limit)
    )
    return list(conn.execute(q))
