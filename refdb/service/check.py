"""Use case: check a database for consistency (``refdb check``).

What is checked, each a problem ``kind`` in the report:

``schema_outdated``          the schema is not at this refdb's head revision (nothing else is checked)
``sqlite_integrity``         SQLite's own structural check (``PRAGMA quick_check``) failed
``orphan_references``        references whose citing cable is not stored
``orphan_mentions``          mentions whose citing cable is not stored
``links_to_missing_cables``  references linked (``target_id``) to a cable that is not stored
``mentions_without_item``    mentions attached to a REF item that does not exist
``duplicate_mentions``       the same mention stored twice
``status_target_mismatch``   ``resolved`` without a target, or a target on another status
``unknown_status``           a status refdb never writes
``never_resolved``           references left as stored although their cable's resolution is done
``resolution_unfinished``    cables still flagged pending (an interrupted run: ``refdb resolve``)
``stale_manual_decisions``   manual decisions whose REF item changed or disappeared since
``search_index_deferred``    a large ingest deferred the search index and has not rebuilt it yet
``search_index``             the full-text search index disagrees with the cables

``resolution_unfinished`` and ``search_index_deferred`` are the states an interrupted (or
running) ingest legitimately leaves behind; every other kind means something is wrong
with the data.  ``INTERRUPTED`` names them so callers (and the crash tests) can tell
the two apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from refdb.errors import NotFound
from refdb.store import check as store
from refdb.store import search as search_store
from refdb.store.migrate import current_revision, head_revision, is_empty

UNFINISHED = "resolution_unfinished"
SEARCH_DEFERRED = "search_index_deferred"
INTERRUPTED = frozenset({UNFINISHED, SEARCH_DEFERRED})
SCHEMA = "schema_outdated"

__all__ = ["Problem", "CheckReport", "check", "UNFINISHED", "SEARCH_DEFERRED", "INTERRUPTED", "SCHEMA"]


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str
    count: int
    message: str  # one line, examples included
    examples: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"kind": self.kind, "count": self.count, "message": self.message, "examples": list(self.examples)}


@dataclass
class CheckReport:
    database: str
    schema: str | None
    head: str
    counts: dict[str, int] = field(default_factory=dict)
    references_by_status: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def schema_outdated(self) -> bool:
        return any(p.kind == SCHEMA for p in self.problems)

    @property
    def damaged(self) -> list[Problem]:
        """Problems other than unfinished work: the data itself is wrong."""
        return [p for p in self.problems if p.kind not in INTERRUPTED]

    def as_dict(self) -> dict:
        return {
            "database": self.database,
            "schema": {"current": self.schema, "head": self.head},
            "counts": dict(self.counts),
            "references_by_status": dict(self.references_by_status),
            "ok": self.ok,
            "problems": [p.as_dict() for p in self.problems],
        }


def _ref(citing_id: str, letter: str | None, ordinal: int) -> str:
    """A REF item as people name it: ``08TOKYO1002 A`` (or ``item 3`` without a letter)."""
    return f"{citing_id} {letter}" if letter else f"{citing_id} item {ordinal + 1}"


def _line(count: int, what: str, examples: list[str], action: str = "") -> str:
    """``3 references linked to a cable that is not stored (08A B -> 08X, ... and 1 more)``."""
    shown = ", ".join(examples)
    more = f" and {count - len(examples)} more" if count > len(examples) else ""
    listing = f" ({shown}{more})" if shown else ""
    return f"{count} {what}{listing}{': ' + action if action else ''}"


def check(engine: Engine, *, quick: bool = False) -> CheckReport:
    """Check the database behind ``engine``; never writes to it.

    ``quick`` skips the two checks that read every page of a SQLite database (its own
    structural check and the full-text index check): about a minute on the whole
    Cablegate release, against seconds for the rest."""
    missing = store.sqlite_file_missing(engine)
    if missing is not None:
        raise NotFound(f"no database at {missing}", hint="give the right path with --db (or REFDB_DB)")
    head = head_revision()
    current = current_revision(engine)
    report = CheckReport(database=engine.url.render_as_string(hide_password=True), schema=current, head=head)
    if current != head:
        if current is None and is_empty(engine):
            message = "the database is empty (no refdb schema): run `refdb migrate` or `refdb ingest`"
        elif current is not None and current not in store.known_revisions():
            message = f"schema revision {current} is unknown to this refdb (written by a newer version?)"
        else:
            message = f"schema at revision {current or 'none'}, this refdb needs {head}: run `refdb migrate`"
        report.problems.append(Problem(SCHEMA, 1, message))
        return report

    with store.snapshot(engine) as conn:
        report.counts = store.counts(conn)
        report.references_by_status = store.references_by_status(conn)
        problems = report.problems

        bad = [] if quick else store.sqlite_integrity(conn)
        if bad:
            problems.append(
                Problem("sqlite_integrity", len(bad), _line(len(bad), "SQLite integrity errors", bad[:5]), tuple(bad[:5]))
            )

        def add(kind: str, found: store.Found, what: str, fmt, action: str = "") -> None:  # type: ignore[no-untyped-def]
            if found.count:
                examples = [fmt(*row) for row in found.examples]
                problems.append(Problem(kind, found.count, _line(found.count, what, examples, action), tuple(examples)))

        add(
            "orphan_references",
            store.orphan_references(conn),
            "references whose citing cable is not stored",
            lambda cid, ordinal: f"{cid} item {ordinal + 1}",
        )
        add(
            "orphan_mentions",
            store.orphan_mentions(conn),
            "mentions whose citing cable is not stored",
            lambda cid, ordinal: f"{cid} mention {ordinal + 1}",
        )
        add(
            "links_to_missing_cables",
            store.links_to_missing_cables(conn),
            "references linked to a cable that is not stored",
            lambda cid, letter, ordinal, target: f"{_ref(cid, letter, ordinal)} -> {target}",
        )
        add(
            "mentions_without_item",
            store.mentions_without_item(conn),
            "mentions attached to a REF item that does not exist",
            lambda cid, ordinal, text, ref_ordinal: f"{cid} {text!r} -> item {ref_ordinal + 1}",
        )
        add(
            "duplicate_mentions",
            store.duplicate_mentions(conn),
            "mentions stored more than once",
            lambda cid, ordinal, copies: f"{cid} mention {ordinal + 1} x{copies}",
        )
        add(
            "status_target_mismatch",
            store.status_target_mismatch(conn),
            "references whose status disagrees with their link",
            lambda cid, letter, ordinal, status, target: f"{_ref(cid, letter, ordinal)} {status} -> {target or 'nothing'}",
        )
        add(
            "unknown_status",
            store.unknown_statuses(conn),
            "references with an unknown status",
            lambda cid, ordinal, status: f"{cid} item {ordinal + 1} {status!r}",
        )
        add(
            "never_resolved",
            store.never_resolved(conn),
            "references never resolved although their cable is marked done",
            lambda cid, letter, ordinal: _ref(cid, letter, ordinal),
            "run `refdb resolve --all`",
        )
        pending = store.pending_cables(conn)
        if pending.count:
            examples = [cid for (cid,) in pending.examples]
            problems.append(
                Problem(
                    UNFINISHED,
                    pending.count,
                    "resolution unfinished: "
                    + _line(pending.count, "cables still pending", examples, "run `refdb resolve`"),
                    tuple(examples),
                )
            )
        add(
            "stale_manual_decisions",
            store.stale_decisions(conn),
            "stale manual decisions, made on a REF item that changed since",
            lambda cid, letter, ordinal, action, raw, now: (
                f"{_ref(cid, letter, ordinal)} {action} made on {raw!r}, now "
                + (repr(now) if now is not None else "no such item")
            ),
            "review with `refdb refs`, then link again or `refdb unlink --forget`",
        )
        deferred = search_store.deferred_since(conn)
        if deferred is not None:
            problems.append(
                Problem(
                    SEARCH_DEFERRED,
                    1,
                    f"the search index has been deferred since {deferred:%Y-%m-%d %H:%M} by a large ingest that is "
                    "running or was interrupted: re-run it, or `refdb search --reindex`",
                )
            )
    if deferred is None and not quick and store.search_index_ok(engine) is False:
        report.problems.append(
            Problem(
                "search_index",
                1,
                "the full-text search index disagrees with the stored cables: run `refdb search --reindex`",
            )
        )
    return report
