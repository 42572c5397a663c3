"""The SQL behind ``refdb check``: counts and consistency queries.

Every query here is read-only.  Each problem query returns a :class:`Found` (how many
rows are wrong, and a few of them as examples); the service layer words the messages.
The queries are set-based (``NOT EXISTS`` over indexed columns) so a check of the whole
Cablegate release takes seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from refdb.store import search
from refdb.store.engine import write_tx
from refdb.store.migrate import script_location
from refdb.store.tables import Cable, CatalogEntry, ManualDecision, Mention, PendingCable, Reference

CABLE = Cable.__table__
REFERENCE = Reference.__table__
MENTION = Mention.__table__
DECISION = ManualDecision.__table__
CATALOG = CatalogEntry.__table__
PENDING = PendingCable.__table__

STATUSES = ("resolved", "unresolved", "ambiguous", "not_a_cable")
EXAMPLES = 5


@dataclass(frozen=True, slots=True)
class Found:
    count: int
    examples: tuple[tuple, ...] = ()


# --- the database itself ----------------------------------------------------------------


def sqlite_file_missing(engine: Engine) -> str | None:
    """The path of a SQLite database file that does not exist (connecting would create
    it), or None (the file exists, an in-memory database, or another backend)."""
    url = engine.url
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return None if Path(database).exists() else database


def known_revisions() -> set[str]:
    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    return {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction that sees one state of the database throughout, so a check
    running beside an ingest never reports a half-seen batch as a problem.  (SQLite in
    WAL mode reads a snapshot by default; PostgreSQL needs REPEATABLE READ.)"""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


# --- counts -------------------------------------------------------------------------------


def _count(conn: Connection, table: sa.Table, *where: sa.ColumnElement) -> int:
    q = sa.select(sa.func.count()).select_from(table)
    if where:
        q = q.where(*where)
    return conn.execute(q).scalar_one()


def counts(conn: Connection) -> dict[str, int]:
    return {
        "cables": _count(conn, CABLE),
        "cables_pending": _count(conn, PENDING),
        "references": _count(conn, REFERENCE),
        "mentions": _count(conn, MENTION),
        "manual_decisions": _count(conn, DECISION),
        "catalogue_ids": _count(conn, CATALOG),
    }


def references_by_status(conn: Connection) -> dict[str, int]:
    rows = conn.execute(
        sa.select(REFERENCE.c.status, sa.func.count()).group_by(REFERENCE.c.status).order_by(REFERENCE.c.status)
    )
    return {status: n for status, n in rows}


# --- problems -----------------------------------------------------------------------------


def _found(conn: Connection, query: sa.Select, limit: int = EXAMPLES) -> Found:
    """Count the rows of ``query`` and keep the first ``limit`` (in the query's order)."""
    n = conn.execute(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    if not n:
        return Found(0)
    return Found(n, tuple(tuple(r) for r in conn.execute(query.limit(limit))))


def _no_cable(column: sa.Column) -> sa.ColumnElement:
    return ~sa.exists().where(CABLE.c.id == column)


def orphan_references(conn: Connection) -> Found:
    """References whose citing cable is not stored: (citing_id, ordinal)."""
    q = sa.select(REFERENCE.c.citing_id, REFERENCE.c.ordinal).where(_no_cable(REFERENCE.c.citing_id))
    return _found(conn, q.order_by(REFERENCE.c.citing_id, REFERENCE.c.ordinal))


def orphan_mentions(conn: Connection) -> Found:
    """Mentions whose citing cable is not stored: (citing_id, ordinal)."""
    q = sa.select(MENTION.c.citing_id, MENTION.c.ordinal).where(_no_cable(MENTION.c.citing_id))
    return _found(conn, q.order_by(MENTION.c.citing_id, MENTION.c.ordinal))


def links_to_missing_cables(conn: Connection) -> Found:
    """References linked (``target_id``) to a cable that is not stored:
    (citing_id, letter, ordinal, target_id)."""
    q = sa.select(REFERENCE.c.citing_id, REFERENCE.c.letter, REFERENCE.c.ordinal, REFERENCE.c.target_id).where(
        REFERENCE.c.target_id.is_not(None), _no_cable(REFERENCE.c.target_id)
    )
    return _found(conn, q.order_by(REFERENCE.c.citing_id, REFERENCE.c.ordinal))


def mentions_without_item(conn: Connection) -> Found:
    """Mentions attached (``ref_ordinal``) to a REF item that does not exist:
    (citing_id, ordinal, text, ref_ordinal)."""
    ref = REFERENCE.alias("r")
    q = sa.select(MENTION.c.citing_id, MENTION.c.ordinal, MENTION.c.text, MENTION.c.ref_ordinal).where(
        MENTION.c.ref_ordinal.is_not(None),
        ~sa.exists().where(ref.c.citing_id == MENTION.c.citing_id, ref.c.ordinal == MENTION.c.ref_ordinal),
    )
    return _found(conn, q.order_by(MENTION.c.citing_id, MENTION.c.ordinal))


def duplicate_mentions(conn: Connection) -> Found:
    """(citing_id, ordinal) pairs stored more than once: (citing_id, ordinal, copies)."""
    copies = sa.func.count().label("copies")
    q = (
        sa.select(MENTION.c.citing_id, MENTION.c.ordinal, copies)
        .group_by(MENTION.c.citing_id, MENTION.c.ordinal)
        .having(sa.func.count() > 1)
    )
    return _found(conn, q.order_by(MENTION.c.citing_id, MENTION.c.ordinal))


def status_target_mismatch(conn: Connection) -> Found:
    """References resolved without a target, or with a target but another status:
    (citing_id, letter, ordinal, status, target_id)."""
    q = sa.select(
        REFERENCE.c.citing_id, REFERENCE.c.letter, REFERENCE.c.ordinal, REFERENCE.c.status, REFERENCE.c.target_id
    ).where(
        sa.or_(
            sa.and_(REFERENCE.c.status == "resolved", REFERENCE.c.target_id.is_(None)),
            sa.and_(REFERENCE.c.status != "resolved", REFERENCE.c.target_id.is_not(None)),
        )
    )
    return _found(conn, q.order_by(REFERENCE.c.citing_id, REFERENCE.c.ordinal))


def unknown_statuses(conn: Connection) -> Found:
    """References with a status refdb does not write: (citing_id, ordinal, status)."""
    q = sa.select(REFERENCE.c.citing_id, REFERENCE.c.ordinal, REFERENCE.c.status).where(
        REFERENCE.c.status.not_in(STATUSES)
    )
    return _found(conn, q.order_by(REFERENCE.c.citing_id, REFERENCE.c.ordinal))


def never_resolved(conn: Connection) -> Found:
    """References still as stored (reason ``pending``) although their cable is no longer
    flagged pending: the resolution pass that cleared the flag skipped them.
    (citing_id, letter, ordinal)."""
    q = sa.select(REFERENCE.c.citing_id, REFERENCE.c.letter, REFERENCE.c.ordinal).where(
        REFERENCE.c.reason == "pending",
        ~sa.exists().where(PENDING.c.id == REFERENCE.c.citing_id),
    )
    return _found(conn, q.order_by(REFERENCE.c.citing_id, REFERENCE.c.ordinal))


def pending_cables(conn: Connection) -> Found:
    """Cables still flagged pending (table ``pending_cable``): (id,)."""
    return _found(conn, sa.select(PENDING.c.id).order_by(PENDING.c.id))


def stale_decisions(conn: Connection) -> Found:
    """Manual decisions whose REF item no longer exists or has another text now:
    (citing_id, letter, ordinal, action, decided raw, current raw or None)."""
    ref = REFERENCE.alias("r")
    q = (
        sa.select(DECISION.c.citing_id, DECISION.c.letter, DECISION.c.ordinal, DECISION.c.action, DECISION.c.raw, ref.c.raw)
        .select_from(
            DECISION.outerjoin(ref, sa.and_(ref.c.citing_id == DECISION.c.citing_id, ref.c.ordinal == DECISION.c.ordinal))
        )
        .where(sa.or_(ref.c.id.is_(None), ref.c.raw != DECISION.c.raw))
    )
    return _found(conn, q.order_by(DECISION.c.citing_id, DECISION.c.ordinal))


def sqlite_integrity(conn: Connection) -> list[str]:
    """SQLite's own structural check (``PRAGMA quick_check``): its messages, an empty
    list when it passes or on another backend.  (Rows that break a foreign key are
    found by the orphan queries above, on both backends.)"""
    if conn.dialect.name != "sqlite":
        return []
    return [m for (m,) in conn.exec_driver_sql("PRAGMA quick_check") if m != "ok"]


def search_index_ok(engine: Engine) -> bool | None:
    """Whether the full-text index agrees with the cables; None when it cannot be
    checked because the database is opened read-only.

    PostgreSQL: every cable has a current search vector (:func:`search.integrity_check`).
    SQLite: FTS5's integrity-check is written as an INSERT and needs the write lock (it
    changes nothing): it runs in a transaction of its own, after any ingest batch in
    flight."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return search.integrity_check(conn)
    if engine.dialect.name != "sqlite":
        return True
    try:
        with write_tx(engine) as conn:
            try:
                conn.exec_driver_sql(
                    f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
                )
            except sa.exc.DatabaseError as exc:
                if _read_only(exc):
                    return None
                return False  # SQLITE_CORRUPT_VTAB: the index and the cables differ
    except sa.exc.DatabaseError as exc:
        if _read_only(exc):
            return None
        raise
    return True


def _read_only(exc: sa.exc.DatabaseError) -> bool:
    return "readonly" in str(exc.orig).replace("-", "").replace(" ", "").lower()
