"""Use case: ingest inputs (files, directories, stdin) into the database.

Inputs stream through reader -> parser -> batched writes; each batch is one
transaction, so an interruption loses at most the batch in flight and a re-run
completes the job (stored cables are recognised by content hash and skipped).
Then references are resolved (see :mod:`refdb.service.resolve`).

A large ingest (one that has written a few batches and at least as many cables as the
database held before it) stops keeping the full-text index row by row (see
:func:`refdb.store.search.defer`).  On SQLite a
:class:`~refdb.service.search_fill.SideIndexBuilder` builds the index in a file of its
own while this process resolves, and copies it in at the end; if a stored cable
changed behind it, the index is rebuilt in place.  On PostgreSQL a
:class:`~refdb.service.search_fill.SearchFiller` computes the search vectors of each
committed batch on a second connection while the writer goes on (and on a third once
resolving is done, with ``jobs`` > 1), an
:class:`~refdb.service.search_fill.IndexBuilder` builds the GIN indexes over them while
this process resolves, and the ingest catches up on the rest at the end.

Parsing is the CPU-heavy step, so with ``jobs`` > 1 it runs in worker processes:
one process reads the input files, ``jobs`` processes parse chunks of raw cables, and
this process only writes the database (SQLite has one writer), taking results in
input order.  Queues are bounded, so memory stays at a few chunks per process
whatever the input size.  Small inputs never start workers; stdin is read here.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import islice

from sqlalchemy.engine import Engine

from refdb.model import InputProblem, ParsedCable, RawCable
from refdb.parse import UnreadableCable, parse_cable, read_path
from refdb.service.resolve import ResolveReport, resolve_pending
from refdb.service.search_fill import IndexBuilder, SearchFiller, SideIndexBuilder
from refdb.service.workers import mp_context, worker_setup
from refdb.store import queries, writes
from refdb.store import search as search_store
from refdb.store import search_side as side_store
from refdb.store.engine import write_tx

BATCH = 500
# Parallel parsing: raw cables per task, tasks in flight per worker, and how many raw
# cables must be seen before starting workers is worth it.
CHUNK = 64
IN_FLIGHT_PER_JOB = 4
PARALLEL_THRESHOLD = 2 * CHUNK
# Batches written before the search index may be deferred: small ingests keep it row
# by row (a rebuild reads every stored cable).
DEFER_SEARCH_AFTER = 4
# Planner statistics are refreshed whenever the database has doubled since they last
# were (from this many cables on): a handful of cheap samplings for a whole corpus.
STATISTICS_FROM = 2000


@dataclass
class IngestReport:
    inputs: int = 0  # cables read (stored or not)
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    references: int = 0
    mentions: int = 0
    problems: list[InputProblem] = field(default_factory=list)
    resolve: ResolveReport = field(default_factory=ResolveReport)
    seconds: float = 0.0
    bytes_read: int = 0
    # where the time went (wall clock): reading + parsing + writing, resolving, and
    # rebuilding a deferred search index
    store_seconds: float = 0.0
    resolve_seconds: float = 0.0
    search_index_seconds: float = 0.0
    search_index_deferred: bool = False
    # PostgreSQL: search vectors computed beside the writer (see SearchFiller)
    search_vectors_filled_behind: int = 0
    # SQLite: the index built beside the database while resolving, and copied in
    # (see SideIndexBuilder); False when it was rebuilt in place
    search_index_built_beside: bool = False

    @property
    def stored(self) -> int:
        return self.new + self.replaced

    def as_dict(self) -> dict:
        return {
            "cables_read": self.inputs,
            "cables_new": self.new,
            "cables_replaced": self.replaced,
            "cables_unchanged": self.unchanged,
            "references_stored": self.references,
            "mentions_stored": self.mentions,
            "references_examined": self.resolve.references,
            "links_made": self.resolve.newly_resolved,
            "resolution_by_status": dict(sorted(self.resolve.by_status.items())),
            "inputs_refused": len(self.problems),
            "problems": [str(p) for p in self.problems],
            "seconds": round(self.seconds, 2),
            "seconds_storing": round(self.store_seconds, 2),
            "seconds_resolving": round(self.resolve_seconds, 2),
            "seconds_search_index": round(self.search_index_seconds, 2),
            "search_index_deferred": self.search_index_deferred,
            "search_vectors_filled_behind": self.search_vectors_filled_behind,
            "search_index_built_beside": self.search_index_built_beside,
        }


def parse_inputs(paths: Iterable[str], *, jobs: int = 1) -> Iterator[ParsedCable | InputProblem]:
    """Every cable of every input, parsed (in input order); unreadable ones become problems.

    With ``jobs`` > 1 the parsing runs in that many worker processes, and the reading
    in one more (files only: stdin is read here)."""
    paths = list(paths)
    raws = _raw_inputs(paths)
    if jobs <= 1:
        for item in raws:
            yield item if isinstance(item, InputProblem) else _parse_one(item)
        return
    # Read ahead a little: an input this small is parsed here, without workers.
    head = list(islice(raws, PARALLEL_THRESHOLD))
    if len(head) < PARALLEL_THRESHOLD:
        for item in head:
            yield item if isinstance(item, InputProblem) else _parse_one(item)
        return
    if "-" in paths:  # stdin cannot be read twice: read it here, parse in workers
        yield from _parse_parallel(_chain(head, raws), jobs)
        return
    raws.close()
    yield from _pipeline(paths, jobs)


def _raw_inputs(paths: Iterable[str]) -> Iterator[RawCable | InputProblem]:
    for path in paths:
        yield from read_path(path)


def _chain(head: list, rest: Iterator) -> Iterator:  # type: ignore[type-arg]
    yield from head
    yield from rest


def _parse_one(raw: RawCable) -> ParsedCable | InputProblem:
    try:
        return parse_cable(raw)
    except UnreadableCable as exc:
        return InputProblem(raw.source, raw.locator, str(exc))
    except Exception as exc:  # a parser bug must not sink the batch: report it, go on
        return InputProblem(raw.source, raw.locator, f"internal parser error ({type(exc).__name__}: {exc})")


def _parse_chunk(chunk: list[RawCable | InputProblem]) -> list[ParsedCable | InputProblem]:
    """Worker side: parse one chunk (problems from the readers pass through in place)."""
    return [item if isinstance(item, InputProblem) else _parse_one(item) for item in chunk]


def _parse_parallel(raws: Iterator[RawCable | InputProblem], jobs: int) -> Iterator[ParsedCable | InputProblem]:
    """Chunks of raw cables read here to a process pool, results in input order, a
    bounded number of chunks in flight (``Pool.imap`` would read the whole input ahead)."""
    max_in_flight = jobs * IN_FLIGHT_PER_JOB
    pool = mp_context().Pool(jobs, initializer=worker_setup)
    try:
        pending: deque = deque()
        while True:
            chunk = list(islice(raws, CHUNK))
            if chunk:
                pending.append(pool.apply_async(_parse_chunk, (chunk,)))
            while pending and (len(pending) >= max_in_flight or not chunk):
                yield from pending.popleft().get()
            if not chunk:
                break
        pool.close()
    finally:
        pool.terminate()
        pool.join()


# The file pipeline: one reader process -> ``jobs`` parser processes -> this process,
# which only writes.  Queues are bounded, so a slow writer holds the readers back and
# memory stays at a few chunks per process.
_DONE = "done"


def _reader_main(paths: list[str], raw_q, jobs: int) -> None:  # type: ignore[no-untyped-def]
    worker_setup()
    try:
        seq = 0
        raws = _raw_inputs(paths)
        while True:
            chunk = list(islice(raws, CHUNK))
            if not chunk:
                break
            raw_q.put((seq, chunk))
            seq += 1
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        raw_q.put((-1, f"{type(exc).__name__}: {exc}"))
    finally:
        for _ in range(jobs):
            raw_q.put(None)


def _parser_main(raw_q, out_q) -> None:  # type: ignore[no-untyped-def]
    worker_setup()
    while True:
        task = raw_q.get()
        if task is None:
            out_q.put(None)
            return
        seq, chunk = task
        out_q.put((seq, chunk if seq < 0 else _parse_chunk(chunk)))


def _pipeline(paths: list[str], jobs: int) -> Iterator[ParsedCable | InputProblem]:
    ctx = mp_context()
    raw_q = ctx.Queue(maxsize=jobs * IN_FLIGHT_PER_JOB)
    out_q = ctx.Queue(maxsize=jobs * IN_FLIGHT_PER_JOB)
    procs = [ctx.Process(target=_reader_main, args=(paths, raw_q, jobs), daemon=True)]
    procs += [ctx.Process(target=_parser_main, args=(raw_q, out_q), daemon=True) for _ in range(jobs)]
    for p in procs:
        p.start()
    try:
        waiting: dict[int, list] = {}
        next_seq, finished = 0, 0
        while finished < jobs:
            msg = out_q.get()
            if msg is None:
                finished += 1
                continue
            seq, results = msg
            if seq < 0:
                raise RuntimeError(f"reading the inputs failed: {results}")
            waiting[seq] = results
            while next_seq in waiting:
                yield from waiting.pop(next_seq)
                next_seq += 1
        for seq in sorted(waiting):  # nothing should be left; never lose results
            yield from waiting.pop(seq)
        for p in procs:
            p.join()
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join()


def ingest(engine: Engine, paths: Iterable[str], *, jobs: int = 1, **options) -> IngestReport:  # type: ignore[no-untyped-def]
    """Ingest files, directories and ``-`` (stdin), parsing and resolving in ``jobs``
    processes; other options as for :func:`ingest_parsed`."""
    return ingest_parsed(engine, parse_inputs(paths, jobs=jobs), resolve_jobs=jobs, **options)


def ingest_parsed(
    engine: Engine,
    items: Iterable[ParsedCable | InputProblem],
    *,
    batch_size: int = BATCH,
    resolve: bool = True,
    resolve_jobs: int = 1,
    on_problem: Callable[[InputProblem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    batch: list[ParsedCable] = []
    # Cables stored before this run and batches written by it: what decides deferring
    # the search index.
    before = {"cables": 0, "batches": 0}
    # Cables stored when the planner statistics were last refreshed (see STATISTICS_FROM).
    sampled_at = 0
    filler: SearchFiller | None = None
    side: SideIndexBuilder | None = None
    builder: IndexBuilder | None = None

    def flush() -> None:
        nonlocal filler, sampled_at
        if not batch:
            return
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with write_tx(engine) as conn:
            if before["batches"] == 0:
                before["cables"] = sampled_at = queries.count_cables(conn)
            else:
                if (stored := before["cables"] + report.stored) >= max(2 * sampled_at, STATISTICS_FROM):
                    writes.refresh_statistics(conn)
                    sampled_at = stored
                if (
                    not report.search_index_deferred
                    and before["batches"] >= DEFER_SEARCH_AFTER
                    and report.stored >= before["cables"]
                    and search_store.can_defer(conn)
                ):
                    search_store.defer(conn, now)  # with this batch: both or neither
                    report.search_index_deferred = True
                    if search_store.can_fill(conn):
                        filler = SearchFiller(engine)
            saved = writes.save_cables(conn, batch, now)
        if filler is not None:
            filler.add([*saved.new, *saved.changed])
        before["batches"] += 1
        report.new += len(saved.new)
        report.replaced += len(saved.changed)
        report.unchanged += len(saved.unchanged)
        report.references += saved.references
        report.mentions += saved.mentions
        if on_progress:
            on_progress(len(batch))
        batch.clear()

    try:
        for item in items:
            if isinstance(item, InputProblem):
                report.problems.append(item)
                if on_problem:
                    on_problem(item)
                continue
            report.inputs += 1
            report.bytes_read += len(item.text)
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
        flush()
        report.store_seconds = time.perf_counter() - started
        if report.search_index_deferred and (db_file := side_store.database_file(engine)):
            side = SideIndexBuilder(side_store.SideBuild(db_file))
        if filler is not None:
            builder = IndexBuilder(engine, filler)
        if resolve:
            # The filler or the side build goes on meanwhile.  The side build takes a
            # core of its own, so resolving keeps to this process: forked workers would
            # only compete with it for the cores (251,287 cables: no faster) and each
            # would copy the pages of the lookup it reads (150 MB more at the peak).
            jobs = 1 if side is not None else resolve_jobs
            report.resolve = resolve_pending(engine, jobs=jobs)
        if filler is not None and resolve_jobs > 1:
            # The filler is behind (storing and resolving kept every core busy); the
            # core the resolver leaves computes vectors too.
            filler.widen()
    except BaseException:
        if builder is not None:
            builder.abandon()  # the filler with it
        elif filler is not None:
            filler.close(abandon=True)
        if side is not None:
            side.abandon()
        raise
    report.resolve_seconds = time.perf_counter() - started - report.store_seconds
    if builder is not None:
        builder.finish()  # it closed the filler before building
    if filler is not None:
        report.search_vectors_filled_behind = filler.filled
    if side is not None:
        report.search_index_built_beside = side.finish()
    # The deferral of this run, or one an interrupted ingest left behind; not one that
    # a concurrent ingest has ended meanwhile (its rebuild covered our batches).
    with write_tx(engine) as conn:
        search_store.rebuild_if_deferred(conn)
    report.seconds = time.perf_counter() - started
    report.search_index_seconds = report.seconds - report.store_seconds - report.resolve_seconds
    return report
