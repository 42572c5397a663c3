"""Opening a database: URL handling, engine set-up per backend, transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from refdb.errors import DatabaseError
from refdb.store.urls import DEFAULT_URL, normalise_url  # noqa: F401  (re-exported: callers open URLs here)


def safe_url(url: str) -> str:
    """The URL with any password masked: safe for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL may still contain a password: show nothing of it
        return "<unparsable database URL>"


def create(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise DatabaseError(f"cannot read database URL {safe_url(url)}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    engine = sa.create_engine(url, pool_pre_ping=True)
    if parsed.get_backend_name() == "postgresql":

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            # Plan every statement for its own values.  psycopg prepares a statement run
            # five times, and PostgreSQL may then keep one generic plan for the session:
            # planned while a bulk ingest's tables were small (a sequential scan of a
            # few thousand cables), it stayed a scan as they grew, and storing 251,287
            # cables went quadratic.
            # And price a random page read as a cached or solid-state one (1.1, not the
            # default 4 for spinning disks): at 251,287 cables the default judged a
            # scan of every reference cheaper than finding a resolve chunk's 900 IDs
            # through three indexes (99 ms against 8 ms a chunk).
            with dbapi_conn.cursor() as cur:
                cur.execute("SET plan_cache_mode = force_custom_plan")
                cur.execute("SET random_page_cost = 1.1")
            dbapi_conn.commit()

    return engine


def _sqlite_engine(url: str) -> Engine:
    engine = sa.create_engine(url, connect_args={"timeout": 60})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy emit BEGIN itself (below): pysqlite's own transaction handling
        # autocommits DDL, which would make migrations non-atomic.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # WAL lets readers work while an ingest writes; busy_timeout makes a second
        # writer wait instead of failing at once.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front (BEGIN IMMEDIATE): a deferred transaction
        # that later upgrades to a writer cannot wait on busy_timeout in WAL mode.
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))

    return engine


# An arbitrary constant naming refdb's writer lock among PostgreSQL advisory locks.
WRITE_LOCK = 0x7265_6664_57  # "refdW"


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back on any error.

    Writers take turns on both backends: SQLite's BEGIN IMMEDIATE takes the database's
    write lock; PostgreSQL takes a transaction-scoped advisory lock.  Without it two
    ingests storing the same new cable both find it absent, and the second fails on
    the duplicate key when the first commits."""
    with engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            yield conn


@contextmanager
def read_tx(engine: Engine) -> Iterator[Connection]:
    """One read transaction: a consistent snapshot for a query."""
    with engine.connect() as conn:
        with conn.begin():
            yield conn
