"""The quick read path: a database opened straight through its DBAPI driver (stdlib
sqlite3, or psycopg 3), without SQLAlchemy or Alembic, whose imports take longer than
``refdb refs`` takes to answer.

It opens only a database that is plainly in order: an existing SQLite file, or a
PostgreSQL server that lets us in, whose ``alembic_version`` names this refdb's head
revision.  For anything else ``open_at_head`` returns None and the caller opens the
database the full way (``engine.create`` + ``migrate.ensure_schema``), which reports
what is wrong, or migrates, exactly as it always has.  The queries it serves live in
``cable_reads.py``."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from refdb.store.schema_head import HEAD

SQLITE_PREFIX = "sqlite:///"
PSYCOPG_PREFIX = "postgresql+psycopg://"


class DirectDb:
    """A DBAPI connection on a database at head.  ``dispose()`` closes it, as
    ``Engine.dispose()`` does an engine's, so callers can hold either."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.sqlite = isinstance(connection, sqlite3.Connection)

    @contextmanager
    def read(self) -> Iterator[Any]:
        """One read transaction (a consistent snapshot), yielding the DBAPI connection."""
        if self.sqlite:
            # Opened in autocommit (isolation_level=None), as engine.py's connections
            # are: the transaction is ours to begin.
            self.connection.execute("BEGIN")
            try:
                yield self.connection
            finally:
                self.connection.execute("ROLLBACK")
        else:
            try:
                yield self.connection  # psycopg begins a transaction at the first query
            finally:
                self.connection.rollback()

    def dispose(self) -> None:
        self.connection.close()


def read_tx(source: Any) -> AbstractContextManager[Any]:
    """A read transaction on a DirectDb, or on an Engine (``engine.read_tx``)."""
    if isinstance(source, DirectDb):
        return source.read()
    # Imported here: only an Engine's caller has paid for SQLAlchemy already.
    from refdb.store.engine import read_tx as engine_read_tx

    return engine_read_tx(source)


def open_at_head(url: str) -> DirectDb | None:
    """A DirectDb on the database at ``url`` (as ``urls.normalise_url`` gives it) if it
    is plainly at head; else None."""
    if url.startswith(SQLITE_PREFIX):
        return _sqlite(url[len(SQLITE_PREFIX):])
    if url.startswith(PSYCOPG_PREFIX):
        # psycopg takes the URL itself as a libpq conninfo, once SQLAlchemy's driver name is gone.
        return _postgresql("postgresql://" + url[len(PSYCOPG_PREFIX):])
    return None


def _sqlite(path: str) -> DirectDb | None:
    # In-memory databases, URL options (?mode=ro ...) and %-escapes SQLAlchemy would
    # decode are left to the full path; so is a file that is not there.
    if not path or path.startswith(":memory:") or "?" in path or "%" in path or not os.path.isfile(path):
        return None
    conn = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        # As engine.py: wait for a writer instead of failing at once.  WAL is already
        # set on the file by whoever created it.
        conn.execute("PRAGMA busy_timeout=60000")
        if _at_head(conn):
            return DirectDb(conn)
    except sqlite3.Error:  # not a database, no alembic_version table ...
        pass
    conn.close()
    return None


def _postgresql(conninfo: str) -> DirectDb | None:
    try:
        import psycopg
    except ImportError:
        return None
    try:
        conn = psycopg.connect(conninfo)
    except psycopg.Error:  # the full path says why, with the password masked
        return None
    try:
        if _at_head(conn):
            conn.rollback()  # end the check's transaction: each read takes its own snapshot
            return DirectDb(conn)
    except psycopg.Error:
        pass
    conn.close()
    return None


def _at_head(conn: Any) -> bool:
    cur = conn.cursor()
    try:
        cur.execute("SELECT version_num FROM alembic_version")
        return [tuple(r) for r in cur.fetchall()] == [(HEAD,)]
    finally:
        cur.close()
