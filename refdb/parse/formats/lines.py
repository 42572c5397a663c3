"""Bounded line reading for the streamed multi-cable formats (cables.csv, JSON lines).

A 1.7 GB cables.csv is read line by line from a binary file object; a line longer than
the record cap (a file with no newlines at all, say) is skipped in chunks instead of
being loaded whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["Line", "iter_lines", "MAX_RECORD_BYTES"]

MAX_RECORD_BYTES = 16 << 20  # one cable record; the biggest real cable is well under 1 MB


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based
    data: bytes  # with its newline; empty when the line was too long
    too_long: int = 0  # the length of a skipped overlong line


def iter_lines(stream: BinaryIO, limit: int = MAX_RECORD_BYTES) -> Iterator[Line]:
    number = 0
    readline = stream.readline
    while True:
        data = readline(limit)
        if not data:
            return
        number += 1
        if len(data) < limit or data.endswith(b"\n"):
            yield Line(number, data)
            continue
        skipped = len(data)
        while not data.endswith(b"\n"):
            data = readline(limit)
            if not data:
                break
            skipped += len(data)
        yield Line(number, b"", skipped)
