"""Use case: ingest inputs (files, directories, stdin) into the database.

Inputs stream through reader -> parser -> batched writes; each batch is one
transaction, so an interruption loses at most the batch in flight and a re-run
completes the job (stored cables are recognised by content hash and skipped).
Then references are resolved (see :mod:`refdb.service.resolve`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy.engine import Engine

from refdb.model import InputProblem, ParsedCable, RawCable
from refdb.parse import UnreadableCable, parse_cable, read_path
from refdb.service.catalog import ensure_catalog
from refdb.service.resolve import ResolveReport, resolve_pending
from refdb.store import writes
from refdb.store.engine import write_tx

BATCH = 500


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
        }


def parse_inputs(paths: Iterable[str]) -> Iterator[ParsedCable | InputProblem]:
    """Every cable of every input, parsed; unreadable ones become problems."""
    for path in paths:
        for item in read_path(path):
            if isinstance(item, InputProblem):
                yield item
                continue
            yield _parse_one(item)


def _parse_one(raw: RawCable) -> ParsedCable | InputProblem:
    try:
        return parse_cable(raw)
    except UnreadableCable as exc:
        return InputProblem(raw.source, raw.locator, str(exc))
    except Exception as exc:  # a parser bug must not sink the batch: report it, go on
        return InputProblem(raw.source, raw.locator, f"internal parser error ({type(exc).__name__}: {exc})")


def ingest(engine: Engine, paths: Iterable[str], **options) -> IngestReport:  # type: ignore[no-untyped-def]
    """Ingest files, directories and ``-`` (stdin); options as for :func:`ingest_parsed`."""
    return ingest_parsed(engine, parse_inputs(paths), **options)


def ingest_parsed(
    engine: Engine,
    items: Iterable[ParsedCable | InputProblem],
    *,
    batch_size: int = BATCH,
    resolve: bool = True,
    on_problem: Callable[[InputProblem], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    batch: list[ParsedCable] = []

    def flush() -> None:
        if not batch:
            return
        with write_tx(engine) as conn:
            saved = writes.save_cables(conn, batch, datetime.now(timezone.utc).replace(tzinfo=None))
        report.new += len(saved.new)
        report.replaced += len(saved.changed)
        report.unchanged += len(saved.unchanged)
        report.references += saved.references
        report.mentions += saved.mentions
        if on_progress:
            on_progress(len(batch))
        batch.clear()

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
    if resolve:
        ensure_catalog(engine)
        report.resolve = resolve_pending(engine)
    report.seconds = time.perf_counter() - started
    return report
