"""Filling a deferred search index behind the ingest's writer and building its GIN
index while the ingest resolves (PostgreSQL), or building it beside the database
while the ingest resolves (SQLite).

While a large ingest has the search index deferred, its writer stores cables without
search vectors.  A :class:`SearchFiller` computes them on a connection of its own, a
batch at a time as the writer commits them: the server computes a vector in the
backend of the connection that asks, so the vectors (about 1.1 ms of server CPU a
cable) are computed beside the writer's inserts instead of inside them, on another
core.

The filler only ever saves time; it never decides what is indexed.  Whatever it has
not done when the ingest ends, or could not do (an error stops it; the error is kept
in ``error``), is done by ``refdb.store.search.catch_up``, which the ingest runs last.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Sequence

from sqlalchemy.engine import Engine

from refdb.store import search as search_store
from refdb.store.search_side import SideBuild

# Cable IDs per statement when the filler has fallen behind and takes several batches
# at once (fewer round trips; a bounded statement).
MAX_IDS = 5000


class SearchFiller:
    """Computes the vectors of the batches handed to :meth:`add` on a connection of
    its own (in the order they came); :meth:`widen` adds another once a core is free,
    and the two take batches as they go."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._queue: queue.SimpleQueue[list[str] | None] = queue.SimpleQueue()
        self._abandon = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.error: BaseException | None = None
        self.filled = 0
        self._start()

    def _start(self) -> None:
        thread = threading.Thread(target=self._run, name=f"refdb-search-filler-{len(self._threads)}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def add(self, cable_ids: Sequence[str]) -> None:
        """Cables the writer has committed."""
        if cable_ids:
            self._queue.put(list(cable_ids))

    def widen(self) -> None:
        """Fill on one more connection (so one more server backend): for when the
        writer and the resolver are done and the filler, which fell behind while they
        ran, is all that is left (251,287 cables on 2 cores: one filler alone for the
        last 40 s, one core idle)."""
        with self._lock:
            if self._abandon.is_set() or self.error is not None:
                return
            self._start()

    def close(self, *, abandon: bool = False) -> None:
        """Wait until the cables added so far are done; ``abandon``: stop at once
        (the ingest failed; catching up is left to the next run)."""
        if abandon:
            self._abandon.set()
        # One end marker for every thread: each puts it back as it leaves.
        self._queue.put(None)
        while True:  # again for a thread that widen() started meanwhile
            with self._lock:
                running = [t for t in self._threads if t.is_alive()]
            if not running:
                return
            for thread in running:
                thread.join()

    def _next(self) -> list[str] | None:
        ids = self._queue.get()
        if ids is None:
            self._queue.put(None)  # for the other threads, and one widen() starts later
            return None
        while len(ids) < MAX_IDS:
            try:
                more = self._queue.get_nowait()
            except queue.Empty:
                break
            if more is None:
                self._queue.put(None)  # seen again by the next call
                break
            ids += more
        return ids

    def _run(self) -> None:
        try:
            with self._engine.connect() as conn:
                while (ids := self._next()) is not None:
                    if self._abandon.is_set() or self.error is not None:
                        continue  # drain to the end marker
                    with conn.begin():
                        search_store.fill(conn, ids)
                    with self._lock:
                        self.filled += len(ids)
        except Exception as exc:  # noqa: BLE001 - catch_up does the rest; kept for diagnostics
            with self._lock:
                self.error = self.error or exc
            while self._next() is not None:  # to the end marker, to let close() return
                pass


class IndexBuilder:
    """PostgreSQL: once the filler has computed the vectors of every committed batch,
    builds the GIN index of each partition of ``cable_search``
    (``refdb.store.search.build_index``), each on a connection and a thread of its own,
    while the ingest resolves: the server builds them at once, on other cores (251,284
    vectors, idle server: 40-41 s for both partitions at once, 75-97 s for one index
    over all).  Starting the build as soon as storing ended instead (the filler's later
    vectors then going through the index's pending list) held the filler back for the
    whole build and was slower (251,287 cables, one run each: 379.8 s against 358.1 s).

    Like the filler it only saves time: catching up at the end computes what is still
    missing and builds any index this did not (an error stops a build; the first error
    is kept in ``error``)."""

    def __init__(self, engine: Engine, filler: SearchFiller) -> None:
        self._engine, self._filler = engine, filler
        self.error: BaseException | None = None
        self._abandon = threading.Event()
        self._lock = threading.Lock()
        self._building: list = []  # the building connections, to cancel their statements
        self._thread = threading.Thread(target=self._run, name="refdb-search-index-build", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._filler.close()  # every committed batch's vectors first
        builds = [
            threading.Thread(target=self._build, args=(part,), name=f"refdb-search-index-build-{part}", daemon=True)
            for part in search_store.PG_PARTITIONS
        ]
        for t in builds:
            t.start()
        for t in builds:
            t.join()

    def _build(self, partition: str) -> None:
        if self._abandon.is_set():
            return
        try:
            with self._engine.connect() as conn:
                dbapi_conn = conn.connection.driver_connection
                with self._lock:
                    if self._abandon.is_set():
                        return
                    self._building.append(dbapi_conn)
                try:
                    with conn.begin():
                        search_store.build_index(conn, partition)
                finally:
                    with self._lock:
                        self._building.remove(dbapi_conn)
        except Exception as exc:  # noqa: BLE001 - catch_up does it; kept for diagnostics
            with self._lock:
                self.error = self.error or exc

    def finish(self) -> None:
        """Wait for the filler and the builds."""
        self._thread.join()

    def abandon(self) -> None:
        """Stop at once (the ingest failed): the filler, and any build under way."""
        self._abandon.set()
        self._filler.close(abandon=True)
        # Again until the builds have stopped: a cancel reaches only a statement already
        # running, and a build may be between its check of the flag and its statement.
        while self._thread.is_alive():
            with self._lock:
                for dbapi_conn in self._building:
                    dbapi_conn.cancel()
            self._thread.join(timeout=0.05)


class SideIndexBuilder:
    """SQLite: builds a deferred search index beside the database while the ingest
    resolves (:class:`refdb.store.search_side.SideBuild`, one pass over everything
    stored), in a thread: SQLite works without the GIL, so the build takes the other
    core while this process resolves.  Started only once storing is done: passes
    during storing (tried, 50,000 cables) slowed the parsers and the writer by more
    than they saved, and merging their segments cost more CPU in all.

    Like :class:`SearchFiller` it only saves time: :meth:`finish` says whether the
    index was copied in, and when it was not (the cables changed behind it, or the
    build failed: the error is kept in ``error``) the ingest rebuilds in place."""

    def __init__(self, build: SideBuild) -> None:
        self._build = build
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="refdb-search-side-build", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._build.start()
            self._build.catch_up()
        except Exception as exc:  # noqa: BLE001 - the ingest rebuilds in place; kept for diagnostics
            self.error = exc
        finally:
            self._build.close()

    def finish(self) -> bool:
        """Wait for the build and copy it in; whether the index is now current."""
        self._thread.join()
        try:
            return self.error is None and self._build.adopt()
        except sqlite3.Error as exc:  # the side file lost or damaged: rebuilt in place
            self.error = exc
            return False
        finally:
            self._build.discard()

    def abandon(self) -> None:
        """Stop at once and throw the build away (the ingest failed)."""
        self._build.interrupt()
        self._thread.join()
        self._build.discard()
