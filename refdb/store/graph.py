"""The citation graph as SQL: edges are references resolved to a stored cable
(``status = 'resolved'`` with a ``target_id``), from the citing cable to the target.

Traversals fetch one BFS level at a time with ``IN (...)`` chunks (see
:mod:`refdb.service.graph`); exports stream nodes and edges with ``yield_per``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from refdb.store.tables import Cable, Mention, Reference
from refdb.store.writes import chunks

CABLE = Cable.__table__
REFERENCE = Reference.__table__
MENTION = Mention.__table__

RESOLVED = "resolved"
OPEN = ("unresolved", "ambiguous")

_EDGE_COLUMNS = (
    REFERENCE.c.citing_id,
    REFERENCE.c.ordinal,
    REFERENCE.c.letter,
    REFERENCE.c.raw,
    REFERENCE.c.kind,
    REFERENCE.c.cited_id,
    REFERENCE.c.status,
    REFERENCE.c.method,
    REFERENCE.c.confidence,
    REFERENCE.c.target_id,
)


def _linked():  # type: ignore[no-untyped-def]
    """Resolved references with a target.  The status is wrapped so that no index on
    it can be used: without statistics SQLite would otherwise pick ix_reference_status
    and scan every resolved reference for each BFS level instead of looking the
    frontier up by citing_id or target_id (measured: 4 ms a level instead of 0.3 ms)."""
    return sa.and_(
        sa.func.coalesce(REFERENCE.c.status, sa.literal_column("''")) == RESOLVED,
        REFERENCE.c.target_id.is_not(None),
    )


def out_edges(conn: Connection, citing_ids: Sequence[str]) -> list[Row]:
    """Resolved references of the given citing cables, by citing cable and REF order."""
    rows: list[Row] = []
    for part in chunks(list(citing_ids)):
        rows.extend(conn.execute(sa.select(*_EDGE_COLUMNS).where(REFERENCE.c.citing_id.in_(part), _linked())))
    rows.sort(key=lambda r: (r.citing_id, r.ordinal))
    return rows


def in_edges(conn: Connection, target_ids: Sequence[str]) -> list[Row]:
    """Resolved references that link to the given cables, with the citing cable's date
    (``citing_date``); oldest citing cable first."""
    rows: list[Row] = []
    for part in chunks(list(target_ids)):
        rows.extend(
            conn.execute(
                sa.select(*_EDGE_COLUMNS, CABLE.c.date.label("citing_date"))
                .join(CABLE, CABLE.c.id == REFERENCE.c.citing_id)
                .where(REFERENCE.c.target_id.in_(part), _linked())
            )
        )
    rows.sort(key=lambda r: (r.citing_date is None, r.citing_date or datetime.min, r.citing_id, r.ordinal))
    return rows


def cable_facts(conn: Connection, ids: Collection[str]) -> dict[str, Row]:
    """id, date, year, origin, classification, subject of the given stored cables."""
    out: dict[str, Row] = {}
    for part in chunks(sorted(ids)):
        for r in conn.execute(sa.select(*NODE_COLUMNS).where(CABLE.c.id.in_(part))):
            out[r.id] = r
    return out


def mentions_of_items(conn: Connection, items: Collection[tuple[str, int]]) -> dict[tuple[str, int], list[Row]]:
    """Mentions attached to the given REF items ((citing_id, ordinal) pairs)."""
    wanted = set(items)
    out: dict[tuple[str, int], list[Row]] = {}
    for part in chunks(sorted({c for c, _ in wanted})):
        for m in conn.execute(
            sa.select(MENTION).where(MENTION.c.citing_id.in_(part)).order_by(MENTION.c.citing_id, MENTION.c.ordinal)
        ):
            key = (m.citing_id, m.ref_ordinal)
            if key in wanted:
                out.setdefault(key, []).append(m)
    return out


# --- exports ---------------------------------------------------------------------

NODE_COLUMNS = (
    CABLE.c.id,
    CABLE.c.date,
    CABLE.c.year,
    CABLE.c.origin,
    CABLE.c.classification,
    CABLE.c.subject,
)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which stored cables an export covers: all, by origin and date range, or a
    given set of IDs.  Edges are those whose two ends are both covered."""

    origins: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    ids: frozenset[str] | None = None

    @property
    def filtered(self) -> bool:
        return bool(self.origins) or self.since is not None or self.until is not None


def _cable_filter(table, scope: Scope):  # type: ignore[no-untyped-def]
    conds = []
    if scope.origins:
        conds.append(table.c.origin.in_(scope.origins))
    if scope.since is not None:
        conds.append(table.c.date >= scope.since)
    if scope.until is not None:
        conds.append(table.c.date < scope.until)
    return sa.and_(sa.true(), *conds)


def count_nodes(conn: Connection, scope: Scope) -> int:
    if scope.ids is not None:
        return len(scope.ids)
    return conn.execute(sa.select(sa.func.count()).select_from(CABLE).where(_cable_filter(CABLE, scope))).scalar_one()


def iter_nodes(conn: Connection, scope: Scope) -> Iterator[Row]:
    """The covered cables, in ID order, streamed."""
    if scope.ids is not None:
        for part in chunks(sorted(scope.ids)):
            yield from conn.execute(sa.select(*NODE_COLUMNS).where(CABLE.c.id.in_(part)).order_by(CABLE.c.id))
        return
    q = sa.select(*NODE_COLUMNS).where(_cable_filter(CABLE, scope)).order_by(CABLE.c.id)
    yield from conn.execute(q.execution_options(yield_per=2000))


def _edge_select(scope: Scope, statuses: Sequence[str]):  # type: ignore[no-untyped-def]
    citing = CABLE.alias("citing")
    q = (
        sa.select(*_EDGE_COLUMNS, REFERENCE.c.resolved_id, REFERENCE.c.cited_origin, REFERENCE.c.year.label("cited_year"))
        .join(citing, citing.c.id == REFERENCE.c.citing_id)
        .where(REFERENCE.c.status.in_(statuses))
    )
    if scope.filtered:
        q = q.where(_cable_filter(citing, scope))
    return q


def count_edges(conn: Connection, scope: Scope, *, with_open: bool) -> int:
    """An upper bound of the edges an export writes (for progress bars)."""
    statuses = (RESOLVED, *OPEN) if with_open else (RESOLVED,)
    if scope.ids is not None:
        n = 0
        for part in chunks(sorted(scope.ids)):
            n += conn.execute(
                sa.select(sa.func.count()).where(REFERENCE.c.citing_id.in_(part), REFERENCE.c.status.in_(statuses))
            ).scalar_one()
        return n
    q = _edge_select(scope, statuses).with_only_columns(sa.func.count())
    return conn.execute(q).scalar_one()


def iter_edges(conn: Connection, scope: Scope, *, with_open: bool) -> Iterator[Row]:
    """References from covered citing cables, by citing cable and REF order, streamed:
    resolved ones, and with ``with_open`` unresolved and ambiguous ones too.  The
    caller keeps those whose other end it covers."""
    statuses = (RESOLVED, *OPEN) if with_open else (RESOLVED,)
    if scope.ids is not None:
        for part in chunks(sorted(scope.ids)):
            q = _edge_select(Scope(), statuses).where(REFERENCE.c.citing_id.in_(part))
            yield from conn.execute(q.order_by(REFERENCE.c.citing_id, REFERENCE.c.ordinal))
        return
    q = _edge_select(scope, statuses).order_by(REFERENCE.c.citing_id, REFERENCE.c.ordinal)
    yield from conn.execute(q.execution_options(yield_per=5000))


def stored_ids(conn: Connection, scope: Scope) -> set[str]:
    if scope.ids is not None:
        return set(scope.ids)
    q = sa.select(CABLE.c.id).where(_cable_filter(CABLE, scope))
    return set(conn.execute(q.execution_options(yield_per=20_000)).scalars())


def existing_ids(conn: Connection, ids: Collection[str]) -> set[str]:
    out: set[str] = set()
    for part in chunks(sorted(ids)):
        out.update(conn.execute(sa.select(CABLE.c.id).where(CABLE.c.id.in_(part))).scalars())
    return out


# --- the recursive-CTE alternative (measured, not used) --------------------------------


def reachable_cte(conn: Connection, start: str, *, incoming: bool, max_depth: int) -> dict[str, int]:
    """Cables within ``max_depth`` links of ``start`` (start excluded) with their
    smallest depth, by one recursive CTE that works on SQLite and PostgreSQL.

    Not what the service uses: a recursive CTE walks every path up to the depth bound
    (the UNION only removes repeated (id, depth) pairs), so dense or cyclic parts of
    the graph cost far more than a BFS that visits each cable once.
    ``benchmarks/graph_latency.py`` measures both; tests check they agree."""
    near, far = (REFERENCE.c.target_id, REFERENCE.c.citing_id) if incoming else (REFERENCE.c.citing_id, REFERENCE.c.target_id)
    seed = sa.select(sa.literal(start, sa.String).label("id"), sa.literal(0).label("depth")).cte("reach", recursive=True)
    step = (
        sa.select(far.label("id"), (seed.c.depth + 1).label("depth"))
        .select_from(seed.join(REFERENCE, near == seed.c.id))
        .where(_linked(), seed.c.depth < max_depth)
    )
    reach = seed.union(step)
    q = sa.select(reach.c.id, sa.func.min(reach.c.depth)).where(reach.c.id != start).group_by(reach.c.id)
    return {i: d for i, d in conn.execute(q)}
