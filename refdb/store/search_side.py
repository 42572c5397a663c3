"""SQLite: the deferred full-text index built in a file beside the database, then
copied in (revision 0008).

A large ingest defers the FTS5 index (``refdb.store.search.defer``) and used to
rebuild it after resolving, on one core, holding the database's one write lock: 56 s
of 217 s at 251,287 cables.  Resolving holds that lock too, so the two could not
overlap in the database itself.  Instead, while the ingest resolves, a
:class:`SideBuild` reads a snapshot of ``cable`` (WAL readers do not wait for the
writer) and builds the same FTS5 table in a file of its own, ``<database>.search-build``.
At the end, in one write transaction, its shadow tables replace the database's and
the deferral ends.

The copy is right only if the index was built from what ``cable`` holds when it is
copied.  Triggers of revision 0008 count every cable row written while the index is
deferred (``deferred_index.changes``); the build reads that count with its snapshot,
and the copy is made only if the deferral (its ``since``) and the count are the same
in the copying transaction.  Otherwise :meth:`SideBuild.adopt` says no and the caller
rebuilds as before.  So a build beside the database only saves time; it never
decides what is indexed.

The FTS5 table is created in the side file from the database's own ``CREATE VIRTUAL
TABLE`` statement, by the same SQLite library, and the copy is refused if the two
report different FTS5 format versions: the shadow tables are then byte-for-byte what
a rebuild in place would have written (tests compare search results and run FTS5's
integrity check).

Disk: the side file is as large as the index (about 830 MB at 251,287 cables) and
exists until the copy; a file left by a killed ingest is replaced by the next build.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from refdb.store.search import DEFERRED_NAME, FTS_TABLE, REBUILD_HASHSIZE

SUFFIX = ".search-build"
# Shadow tables that hold the index (FTS5's "config" holds settings and the format
# version, which are compared, not copied).
_SHADOW = ("data", "idx", "docsize")
_DEFERRAL = f"SELECT since, changes FROM {{schema}}.deferred_index WHERE name = '{DEFERRED_NAME}'"
_VERSION = f"SELECT v FROM {{schema}}.{FTS_TABLE}_config WHERE k = 'version'"


def database_file(engine: Engine) -> str | None:
    """The file of a file-backed SQLite database (None for other backends and for
    in-memory databases: nothing can be built beside them)."""
    if engine.dialect.name != "sqlite":
        return None
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return name


@dataclass(frozen=True)
class Snapshot:
    """The deferral the index was built under, as read with the cables it indexes."""

    since: str
    changes: int


class SideBuild:
    def __init__(self, db_file: str) -> None:
        self.db_file = db_file
        self.path = db_file + SUFFIX
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._interrupted = False

    def build(self) -> Snapshot | None:
        """Build the index of every stored cable into :attr:`path` (blocking; meant for
        a thread: SQLite works without the GIL).  None when the index is not deferred
        (nothing to build)."""
        self.discard()
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60.0)
        with self._lock:
            self._conn = conn
        try:
            self._stop_if_interrupted()
            # A scratch file: no journal, no syncing; it is thrown away if anything fails.
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("ATTACH DATABASE ? AS src", (self.db_file,))
            (create,) = conn.execute(
                "SELECT sql FROM src.sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
            ).fetchone()
            conn.execute(create)  # the database's own definition, made in the side file (main)
            conn.execute(f"INSERT INTO main.{FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', {REBUILD_HASHSIZE})")
            conn.execute("BEGIN")
            # The deferral and the cables are read in one snapshot of the database.
            row = conn.execute(_DEFERRAL.format(schema="src")).fetchone()
            if row is None:
                conn.execute("ROLLBACK")
                return None
            self._stop_if_interrupted()
            conn.execute(f"INSERT INTO main.{FTS_TABLE}(rowid, subject, text) SELECT rowid, subject, text FROM src.cable")
            conn.execute("COMMIT")
            return Snapshot(since=row[0], changes=row[1])
        finally:
            with self._lock:
                self._conn = None
            conn.close()

    def _stop_if_interrupted(self) -> None:
        # SQLite's interrupt stops only a statement that is running when it arrives.
        if self._interrupted:
            raise sqlite3.OperationalError("interrupted")

    def interrupt(self) -> None:
        """Stop a build running in another thread (it raises ``sqlite3.OperationalError``)."""
        with self._lock:
            self._interrupted = True
            if self._conn is not None:
                self._conn.interrupt()

    def adopt(self, snapshot: Snapshot, *, timeout: float = 60.0) -> bool:
        """Copy the built index into the database and end the deferral, in one write
        transaction of a connection of its own; False (nothing written) when the
        deferral or the cables have changed since the snapshot, or the FTS5 formats
        differ: the caller then rebuilds in place."""
        conn = sqlite3.connect(self.db_file, isolation_level=None, timeout=timeout)
        try:
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("ATTACH DATABASE ? AS side", (self.path,))
            conn.execute("BEGIN IMMEDIATE")
            try:
                current = conn.execute(_DEFERRAL.format(schema="main")).fetchone()
                versions = {conn.execute(_VERSION.format(schema=s)).fetchone() for s in ("main", "side")}
                if current != (snapshot.since, snapshot.changes) or len(versions) != 1:
                    conn.execute("ROLLBACK")
                    return False
                for shadow in _SHADOW:
                    table = f"{FTS_TABLE}_{shadow}"
                    conn.execute(f"DELETE FROM main.{table}")
                    conn.execute(f"INSERT INTO main.{table} SELECT * FROM side.{table}")
                conn.execute(f"DELETE FROM main.deferred_index WHERE name = '{DEFERRED_NAME}'")
                conn.execute("COMMIT")
                return True
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    def discard(self) -> None:
        """Remove the side file (and a journal a killed build may have left)."""
        for path in (self.path, self.path + "-journal"):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
