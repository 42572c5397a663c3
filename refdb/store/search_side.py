"""SQLite: the deferred full-text index built in a file beside the database, then
copied in (revision 0008).

A large ingest defers the FTS5 index (``refdb.store.search.defer``) and used to
rebuild it after resolving, on one core, holding the database's one write lock: 56 s
of 217 s at 251,287 cables.  Resolving holds that lock too, so the two could not
overlap in the database itself.  Instead a :class:`SideBuild` builds the same FTS5
table in a file of its own, ``<database>.search-build``, while the ingest resolves, in
passes that each index the cables committed since the last (WAL readers do not wait
for the writer; the ingest makes one pass, after storing).  At the end, in one write
transaction, its shadow tables replace the database's and the deferral ends.

The copy is right only if the passes indexed exactly what ``cable`` holds when it is
copied.  Triggers of revision 0008 count every cable row inserted, deleted, or given a
new subject or text while the index is deferred (``deferred_index.changes``); each pass
reads the count, the number of cables and the highest rowid in the snapshot it
indexes.  :meth:`SideBuild.current` holds the copy to: no row deleted or rewritten
since the first pass (the count grew by exactly the rows added), and nothing added
since the last.  Otherwise :meth:`SideBuild.adopt` says no and the caller rebuilds
in place.  So a build beside the database only saves time; it never decides what is
indexed.  One assumption: a row inserted takes a rowid above every existing one, as
refdb's inserts do; a row that SQL outside refdb inserts with a lower rowid of its
own choosing, during the ingest, would be missed (``refdb check`` would report the
index out of step, and ``refdb search --reindex`` mends it).

The FTS5 table is created in the side file from the database's own ``CREATE VIRTUAL
TABLE`` statement, by the same SQLite library, and the copy is refused if the two
report different FTS5 format versions: the shadow tables are then what a build in
place would have written (tests compare search results and run FTS5's integrity
check).

Disk: the side file is as large as the index (about 840 MB at 251,287 cables) and
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
    """What one pass of a build read, in one snapshot of the database: the deferral,
    and the cables it indexed up to (``cables`` rows, the highest rowid ``top``)."""

    since: str
    changes: int
    cables: int
    top: int


class SideBuild:
    """Builds the index in passes (:meth:`catch_up`), each indexing the cables stored
    since the last, then copies it in (:meth:`adopt`).  One thread runs the passes;
    :meth:`interrupt` may be called from another."""

    def __init__(self, db_file: str) -> None:
        self.db_file = db_file
        self.path = db_file + SUFFIX
        self.first: Snapshot | None = None
        self.last: Snapshot | None = None
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._interrupted = False

    def start(self) -> None:
        """Create the side file with the database's own FTS5 table (empty)."""
        self.discard()
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60.0)
        with self._lock:
            self._conn = conn
        self._stop_if_interrupted()
        # A scratch file: no journal, no syncing; it is thrown away if anything fails.
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("ATTACH DATABASE ? AS src", (self.db_file,))
        (create,) = conn.execute(
            "SELECT sql FROM src.sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
        ).fetchone()
        conn.execute(create)  # the database's own definition, made in the side file (main)
        # Settings of the side file only (its config table is not copied): a large term
        # buffer, and segments merged 16 at a time rather than 4, so that less of the
        # index is rewritten while it grows (251,287 cables: 52.5 / 55.0 s against 58.9 s
        # with FTS5's defaults; 256 MB of buffer: 64.1 s).
        for option, value in (("hashsize", REBUILD_HASHSIZE), ("automerge", 16), ("crisismerge", 64)):
            conn.execute(f"INSERT INTO main.{FTS_TABLE}({FTS_TABLE}, rank) VALUES ('{option}', {value})")

    def catch_up(self) -> bool:
        """One pass: index the cables stored since the last pass (blocking; SQLite works
        without the GIL).  False when the index is no longer deferred, or deferred
        anew since the first pass: the build is then of no use."""
        conn = self._conn
        assert conn is not None, "start() first"
        self._stop_if_interrupted()
        conn.execute("BEGIN")
        try:
            # The deferral, the count and the cables are read in one snapshot.
            row = conn.execute(_DEFERRAL.format(schema="src")).fetchone()
            if row is None or (self.first is not None and row[0] != self.first.since):
                conn.execute("ROLLBACK")
                return False
            # Two statements: count(*) alone reads the smallest index, not the table.
            (cables,) = conn.execute("SELECT count(*) FROM src.cable").fetchone()
            (top,) = conn.execute("SELECT coalesce(max(rowid), 0) FROM src.cable").fetchone()
            done = self.last.top if self.last is not None else 0
            conn.execute(
                f"INSERT INTO main.{FTS_TABLE}(rowid, subject, text) "
                "SELECT rowid, subject, text FROM src.cable WHERE rowid > ? AND rowid <= ?",
                (done, top),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self.last = Snapshot(since=row[0], changes=row[1], cables=cables, top=top)
        self.first = self.first or self.last
        return True

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _stop_if_interrupted(self) -> None:
        # SQLite's interrupt stops only a statement that is running when it arrives.
        if self._interrupted:
            raise sqlite3.OperationalError("interrupted")

    def interrupt(self) -> None:
        """Stop a pass running in another thread (it raises ``sqlite3.OperationalError``)."""
        with self._lock:
            self._interrupted = True
            if self._conn is not None:
                self._conn.interrupt()

    def current(self, conn: sqlite3.Connection) -> bool:
        """Whether the passes indexed exactly what ``cable`` holds now (read in the
        caller's transaction on ``conn``).

        Since the first pass, the triggers counted every row inserted, deleted or
        rewritten.  If that count grew by exactly as many rows as ``cable`` gained,
        every change was an insert; refdb's inserts take rowids above every existing
        one, so each was indexed by the first pass that saw it, and if ``cable`` now
        has the rows and the highest rowid of the last pass, nothing came after it."""
        first, last = self.first, self.last
        if first is None or last is None:
            return False
        row = conn.execute(_DEFERRAL.format(schema="main")).fetchone()
        (cables,) = conn.execute("SELECT count(*) FROM main.cable").fetchone()
        (top,) = conn.execute("SELECT coalesce(max(rowid), 0) FROM main.cable").fetchone()
        return (
            row is not None
            and row[0] == first.since
            and row[1] - first.changes == cables - first.cables
            and (cables, top) == (last.cables, last.top)
        )

    def adopt(self, *, timeout: float = 60.0) -> bool:
        """Copy the built index into the database and end the deferral, in one write
        transaction of a connection of its own; False (nothing written) unless the
        passes indexed exactly what ``cable`` holds (:meth:`current`) with the same FTS5
        format: the caller then rebuilds in place."""
        self.close()
        conn = sqlite3.connect(self.db_file, isolation_level=None, timeout=timeout)
        try:
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("ATTACH DATABASE ? AS side", (self.path,))
            conn.execute("BEGIN IMMEDIATE")
            try:
                versions = {conn.execute(_VERSION.format(schema=s)).fetchone() for s in ("main", "side")}
                if not self.current(conn) or len(versions) != 1:
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
        self.close()
        for path in (self.path, self.path + "-journal"):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
