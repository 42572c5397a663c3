"""The exception tree.  The CLI maps each branch to an exit code:

    RefdbError                 base of everything refdb raises on purpose
    ├── NotFound               exit 1: no such cable / reference
    ├── AmbiguousId            exit 1: an ID as written fits several stored cables
    ├── UsageError             exit 2: arguments that cannot be acted on
    ├── DatabaseError          exit 1: the database cannot be opened or used
    │   └── SchemaOutdated     exit 3: the database needs ``refdb migrate``
"""

from __future__ import annotations


class RefdbError(Exception):
    """Base class: a failure refdb explains in one line (plus an optional hint)."""

    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class NotFound(RefdbError):
    pass


class AmbiguousId(RefdbError):
    def __init__(self, written: str, candidates: list[str]) -> None:
        super().__init__(
            f"{written!r} fits {len(candidates)} stored cables: {', '.join(candidates)}",
            hint="write the full ID with its year, e.g. " + candidates[0],
        )
        self.candidates = candidates


class UsageError(RefdbError):
    pass


class DatabaseError(RefdbError):
    pass


class SchemaOutdated(DatabaseError):
    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(
            f"the database schema is at revision {current or 'none'}, this refdb needs {head}",
            hint="run `refdb migrate` (back up the database first if it matters)",
        )
        self.current = current
        self.head = head
