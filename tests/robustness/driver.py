"""Run the refdb command line with a self-inflicted SIGKILL at a chosen point.

Used by the crash tests as ``python driver.py KILL_AT -- refdb-arguments...``; without
a kill point (``none``) it is the plain ``refdb`` command.  ``KILL_AT`` is
``<point>:<n>``, the n-th (1-based) time the point is reached:

``batch-inside``    inside an ingest batch's transaction, its rows written, not committed
``batch-after``     just after an ingest batch committed
``resolve-inside``  inside a resolve chunk's transaction, resolutions written, flags not cleared
``resolve-after``   just after a resolve chunk committed

The process kills itself with SIGKILL (no cleanup, no rollback by Python: exactly a
``kill -9`` or a power cut as far as the database is concerned).  ``REFDB_TEST_CHUNK``
makes resolve work in small chunks so that there are points between chunks.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager


def _die() -> None:
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def install(point: str, nth: int) -> None:
    from refdb.service import ingest, resolve
    from refdb.store import writes

    seen = {"n": 0}

    def reached() -> bool:
        seen["n"] += 1
        return seen["n"] == nth

    def inside(fn):  # type: ignore[no-untyped-def]
        def wrapped(*args, **kwargs):  # type: ignore[no-untyped-def]
            out = fn(*args, **kwargs)
            if reached():
                _die()
            return out

        return wrapped

    def after(tx):  # type: ignore[no-untyped-def]
        @contextmanager
        def wrapped(engine):  # type: ignore[no-untyped-def]
            with tx(engine) as conn:
                yield conn
            if reached():
                _die()

        return wrapped

    if point == "batch-inside":
        writes.save_cables = inside(writes.save_cables)
    elif point == "batch-after":
        ingest.write_tx = after(ingest.write_tx)
    elif point == "resolve-inside":
        writes.write_resolutions = inside(writes.write_resolutions)
    elif point == "resolve-after":
        resolve.write_tx = after(resolve.write_tx)
    else:
        raise SystemExit(f"driver: unknown kill point {point!r}")


def main() -> None:
    kill_at, sep, *args = sys.argv[1:]
    assert sep == "--", "usage: driver.py KILL_AT -- refdb-arguments..."
    chunk = os.environ.get("REFDB_TEST_CHUNK")
    if chunk:
        from refdb.service import resolve

        resolve.CHUNK = int(chunk)
    if kill_at != "none":
        point, nth = kill_at.split(":")
        install(point, int(nth))
    from refdb.cli.app import main as refdb_main

    sys.argv = ["refdb", *args]
    refdb_main()


if __name__ == "__main__":
    main()
