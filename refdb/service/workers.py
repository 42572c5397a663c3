"""Worker processes, as the parse pipeline (:mod:`refdb.service.ingest`) and the
resolve passes (:mod:`refdb.service.resolve`) start them."""

from __future__ import annotations

import os
import sys


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether workers can be forked: they then start in milliseconds with everything
    imported, and share the parent's memory (the resolver's lookup) copy-on-write."""
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def mp_context():  # type: ignore[no-untyped-def]
    """fork where it can (see :func:`can_fork`); elsewhere (macOS, Windows) spawn."""
    import multiprocessing

    return multiprocessing.get_context("fork" if can_fork() else "spawn")


def worker_setup() -> None:
    """In a worker process: leave Ctrl-C to the parent (which stops the work), and die
    with the parent if it is killed outright (Linux), instead of lingering."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
