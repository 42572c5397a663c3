"""Use case: resolve references.

Resolution runs in passes over cables flagged ``links_pending``: for each chunk of
such cables, their own references and every reference waiting for them (by the ID
the reference names) are resolved against a lookup of everything stored, then the
flag is cleared in the same transaction.  An interrupted pass leaves flags set and
the next run finishes it; ``resolve_all`` simply flags every cable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from itertools import chain
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from refdb.ids import CableId
from refdb.model import RefItem, RefKind, Resolution, Status, YearSource
from refdb.resolve.lookup import MemoryLookup, StoredCable, bundled_catalogue
from refdb.resolve.pipeline import Citing, resolve_item, wait_key
from refdb.store import catalog as catalog_store
from refdb.store import manual as manual_store
from refdb.store import queries, writes
from refdb.store.engine import read_tx, write_tx

CHUNK = 2000


@dataclass
class ResolveReport:
    references: int = 0  # references examined
    changed: int = 0  # references whose outcome changed
    transitions: Counter = field(default_factory=Counter)  # (old status, new status) -> count
    by_status: Counter = field(default_factory=Counter)  # outcome of the examined references

    @property
    def newly_resolved(self) -> int:
        return sum(n for (old, new), n in self.transitions.items() if new == "resolved" and old != "resolved")


@dataclass(frozen=True)
class LookupSnapshot:
    """The resolver's lookup and how many cables were stored when it was built: a pass
    rebuilds it when another process has stored cables since."""

    lookup: MemoryLookup
    cables: int


def build_lookup(conn: Connection) -> LookupSnapshot:
    """Everything stored and catalogued, as the resolver's lookup."""
    stored = [
        StoredCable(
            id=r.id,
            real=CableId.try_parse(r.real_id) if r.real_id else None,
            date=r.date,
            dtg=r.dtg,
            origin=r.origin,
        )
        for r in queries.all_cables_for_lookup(conn)
    ]
    # The bundled Cablegate catalogue (read once per process) and any loaded by the user.
    lookup = MemoryLookup(stored, chain(bundled_catalogue().ids, catalog_store.real_ids(conn)))
    return LookupSnapshot(lookup, len(stored))


def item_from_row(r: Row) -> RefItem:
    """The parsed REF item as stored (the resolver's input)."""
    return RefItem(
        ordinal=r.ordinal,
        letter=r.letter,
        raw=r.raw,
        kind=RefKind(r.kind),
        cited=CableId.try_parse(r.cited_id) if r.cited_id else None,
        origin_written=r.origin_written,
        serial=r.serial,
        year=r.year,
        year_source=YearSource(r.year_source) if r.year_source else None,
        qualifiers=tuple((r.qualifiers or "").split()),
        dtg_sender=r.dtg_sender,
        dtg=r.dtg,
        block=r.block,
        note=r.note,
    )


def resolve_pending(
    engine: Engine, *, lookup: LookupSnapshot | None = None, progress: Callable[[int], None] | None = None
) -> ResolveReport:
    """Resolve the references of every cable flagged pending, and those waiting for them."""
    report = ResolveReport()
    with write_tx(engine) as conn:
        writes.lock_resolution(conn)
        # Year-less items of settled cables whose year is read from a post's timeline
        # must be looked at again when cables of that post and year arrive.
        watchers = queries.settled_citers_watching(conn, queries.pending_posts_years(conn))
        writes.mark_pending(conn, sorted(watchers))
    while True:
        with write_tx(engine) as conn:
            writes.lock_resolution(conn)
            pending = queries.pending_cables(conn, CHUNK)
            if not pending:
                break
            # Built only when there is work (it reads every stored cable), and again when
            # another process stored cables meanwhile: a stale lookup could undo a link
            # that process just made.
            if lookup is None or lookup.cables != queries.count_cables(conn):
                lookup = build_lookup(conn)
            ids = [p.id for p in pending]
            waiting = ids + [p.real_id for p in pending if p.real_id]
            refs, citing = queries.references_to_resolve(conn, ids, waiting)
            decisions = manual_store.decisions_for(conn, sorted({r.citing_id for r in refs}))
            rows = []
            for r in refs:
                res = _resolve_row(r, citing[r.citing_id], lookup.lookup, decisions.get((r.citing_id, r.ordinal)))
                report.references += 1
                report.by_status[str(res.status)] += 1
                row = writes.resolution_row(r.id, res, _wait(r, res))
                if _differs(r, row):
                    report.changed += 1
                    report.transitions[(r.status if r.reason != "pending" else "pending", str(res.status))] += 1
                    rows.append(row)
            writes.write_resolutions(conn, rows)
            writes.clear_pending(conn, ids)
        if progress:
            progress(len(ids))
    return report


def resolve_all(engine: Engine, *, progress: Callable[[int], None] | None = None) -> ResolveReport:
    """Re-resolve every reference (after a rule or catalogue change)."""
    with write_tx(engine) as conn:
        conn.execute(sa.update(writes.CABLE).values(links_pending=True))
    return resolve_pending(engine, progress=progress)


def _resolve_row(r: Row, citing: queries.CitingInfo, lookup: MemoryLookup, decision) -> Resolution:  # type: ignore[no-untyped-def]
    # A decision made on a different text of the item (the cable was re-ingested with
    # another REF block) is stale: it is kept for review but not applied.
    if decision is not None and decision.raw == r.raw:
        return manual_store.as_resolution(decision)
    real = CableId.try_parse(citing.real_id) if citing.real_id else None
    return resolve_item(Citing(id=real, published_id=citing.id, date=citing.date), item_from_row(r), lookup)


def _wait(r: Row, res: Resolution) -> str | None:
    if res.status == Status.RESOLVED:
        return None
    return wait_key(item_from_row(r), res)


_COMPARED = ("status", "method", "confidence", "target_id", "resolved_id", "wait_id", "reason", "evidence", "candidates")


def _differs(r: Row, row: dict) -> bool:
    current = r._mapping
    return any(current[k] != row[k] for k in _COMPARED)
