"""Use case: resolve references.

Resolution runs in passes over cables flagged pending (table ``pending_cable``): for
each chunk of such cables, their own references and every reference waiting for them
(by the ID the reference names) are resolved against a lookup of everything stored,
then the flag is cleared in the same transaction.  An interrupted pass leaves flags set and
the next run finishes it; ``resolve_all`` simply flags every cable.

Resolving is pure CPU work over the lookup, so with ``jobs`` > 1 (on Linux) the items
of a chunk are resolved in forked worker processes that inherit the lookup; this
process keeps all database work and applies manual decisions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy.engine import Connection, Engine, Row

from refdb.ids import CableId
from refdb.model import RefItem, RefKind, Resolution, Status, YearSource
from refdb.resolve.lookup import MemoryLookup, StoredCable, bundled_catalogue
from refdb.resolve.pipeline import Citing, resolve_item, wait_key
from refdb.service.workers import can_fork, mp_context, worker_setup
from refdb.store import catalog as catalog_store
from refdb.store import manual as manual_store
from refdb.store import queries, writes
from refdb.store.engine import write_tx

CHUNK = 2000
# Items per chunk below which forking workers costs more than it saves.
PARALLEL_MIN_ITEMS = 400


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
    stored = (
        StoredCable(
            id=r.id,
            real=CableId.from_canonical(r.real_id) if r.real_id else None,
            date=r.date,
            dtg=r.dtg,
            origin=r.origin,
        )
        for r in queries.all_cables_for_lookup(conn)
    )  # streamed: the lookup keeps a compact copy, not these objects
    # The bundled Cablegate catalogue (read once per process) and any loaded by the user.
    lookup = MemoryLookup(stored, chain(bundled_catalogue().ids, catalog_store.real_ids(conn)))
    return LookupSnapshot(lookup, len(lookup))


def item_from_row(r: queries.StoredReference | Row) -> RefItem:
    """The parsed REF item as stored (the resolver's input)."""
    return RefItem(
        ordinal=r.ordinal,
        letter=r.letter,
        raw=r.raw,
        kind=RefKind(r.kind),
        cited=CableId.from_canonical(r.cited_id) if r.cited_id else None,
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
    engine: Engine,
    *,
    lookup: LookupSnapshot | None = None,
    progress: Callable[[int], None] | None = None,
    jobs: int = 1,
    parallel_min_items: int = PARALLEL_MIN_ITEMS,
) -> ResolveReport:
    """Resolve the references of every cable flagged pending, and those waiting for them."""
    report = ResolveReport()
    watched_at: int | None = None  # cables stored when settled watchers were last flagged
    with _Resolvers(jobs, parallel_min_items) as resolvers:
        while True:
            with write_tx(engine) as conn:
                stored = queries.count_cables(conn)
                if watched_at != stored:
                    # Year-less items of settled cables whose year is read from a post's
                    # timeline must be looked at again when cables of that post and year
                    # arrive.  Done in the transaction that reads the pending cables, and
                    # again whenever another process has stored cables since: that
                    # process's cables may be resolved (and unflagged) by this pass, and
                    # its own pass would then find no pending post to watch.
                    watchers = queries.settled_citers_watching(conn, queries.pending_posts_years(conn))
                    writes.mark_pending(conn, sorted(watchers))
                    watched_at = stored
                pending = queries.pending_cables(conn, CHUNK)
                if not pending:
                    break
                # Built only when there is work (it reads every stored cable), and again when
                # another process stored cables meanwhile: a stale lookup could undo a link
                # that process just made.
                if lookup is None or lookup.cables != stored:
                    lookup = build_lookup(conn)
                ids = [p.id for p in pending]
                waiting = ids + [p.real_id for p in pending if p.real_id]
                refs, citing = queries.references_to_resolve(conn, ids, waiting)
                decisions = manual_store.decisions_for(conn, sorted({r.citing_id for r in refs}))
                outcomes = _outcomes(refs, citing, decisions, lookup.lookup, resolvers)
                rows = []
                for r, (res, wait) in zip(refs, outcomes):
                    report.references += 1
                    report.by_status[str(res.status)] += 1
                    row = writes.resolution_row(r.id, res, wait)
                    if _differs(r, row):
                        report.changed += 1
                        report.transitions[(r.status if r.reason != "pending" else "pending", str(res.status))] += 1
                        rows.append(row)
                writes.write_resolutions(conn, rows)
                writes.clear_pending(conn, ids)
            if progress:
                progress(len(ids))
    return report


def resolve_all(engine: Engine, *, progress: Callable[[int], None] | None = None, jobs: int = 1) -> ResolveReport:
    """Re-resolve every reference (after a rule or catalogue change)."""
    with write_tx(engine) as conn:
        writes.mark_all_pending(conn)
    return resolve_pending(engine, progress=progress, jobs=jobs)


# What a worker gets for one reference: the citing cable's facts and the stored row
# (plain picklable tuples; the worker builds the resolver's input from them).
Task = tuple[queries.CitingInfo, queries.StoredReference]
Outcome = tuple[Resolution, "str | None"]  # the resolution and the ID it waits for


def _outcomes(
    refs: Sequence[queries.StoredReference],
    citing: dict[str, queries.CitingInfo],
    decisions: dict,
    lookup: MemoryLookup,
    resolvers: "_Resolvers",
) -> list[Outcome]:
    """The outcome of every reference, in order: manual decisions here, the rest by the
    resolver (in worker processes when there are enough)."""
    outcomes: list[Outcome | None] = []
    tasks: list[Task] = []
    for r in refs:
        decision = decisions.get((r.citing_id, r.ordinal))
        # A decision made on a different text of the item (the cable was re-ingested
        # with another REF block) is stale: it is kept for review but not applied.
        if decision is not None and decision.raw == r.raw:
            outcomes.append((manual_store.as_resolution(decision), None))
            continue
        tasks.append((citing[r.citing_id], r))
        outcomes.append(None)
    resolved = iter(resolvers.run(tasks, lookup))
    return [o if o is not None else next(resolved) for o in outcomes]


def _resolve_tasks(tasks: Sequence[Task], lookup: MemoryLookup) -> list[Outcome]:
    out = []
    for info, r in tasks:
        citing = Citing(id=CableId.from_canonical(info.real_id) if info.real_id else None, published_id=info.id, date=info.date)
        item = item_from_row(r)
        res = resolve_item(citing, item, lookup)
        out.append((res, None if res.status == Status.RESOLVED else wait_key(item, res)))
    return out


# The lookup a forked worker inherits from its parent (set just before the fork).
_WORKER_LOOKUP: MemoryLookup | None = None


def _worker_resolve(tasks: Sequence[Task]) -> list[Outcome]:
    assert _WORKER_LOOKUP is not None
    return _resolve_tasks(tasks, _WORKER_LOOKUP)


class _Resolvers:
    """Resolves tasks here, or in ``jobs`` forked processes that share the lookup
    copy-on-write (forked again if the lookup is rebuilt).  Fork only: other start
    methods would pickle the lookup to every worker."""

    def __init__(self, jobs: int, min_items: int) -> None:
        self.jobs, self.min_items = jobs, min_items
        self.pool = None
        self.pool_lookup: MemoryLookup | None = None

    def __enter__(self) -> "_Resolvers":
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def run(self, tasks: Sequence[Task], lookup: MemoryLookup) -> list[Outcome]:
        if self.jobs <= 1 or len(tasks) < self.min_items or not can_fork():
            return _resolve_tasks(tasks, lookup)
        if self.pool is None or self.pool_lookup is not lookup:
            self._start(lookup)
        size = -(-len(tasks) // (self.jobs * 4))
        parts = [tasks[i : i + size] for i in range(0, len(tasks), size)]
        return [o for part in self.pool.map(_worker_resolve, parts) for o in part]  # type: ignore[union-attr]

    def _start(self, lookup: MemoryLookup) -> None:
        global _WORKER_LOOKUP
        self._close()
        # Set for as long as the pool lives: a worker the pool forks again (one died)
        # inherits it too.
        _WORKER_LOOKUP = lookup
        self.pool = mp_context().Pool(self.jobs, initializer=worker_setup)
        self.pool_lookup = lookup

    def _close(self) -> None:
        global _WORKER_LOOKUP
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
            self.pool_lookup = None
            _WORKER_LOOKUP = None


def _differs(r: queries.StoredReference, row: dict) -> bool:
    return any(getattr(r, k) != row[k] for k in writes.RESOLUTION_COLUMNS)
