"""Reads the hand-written fixture tables of tests/fixtures/refs (format in their headers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from refdb.ids import CableId

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "refs"


@dataclass(frozen=True)
class Row:
    id: str
    citing: CableId | None
    about: str
    text: str
    expect: tuple[str, ...]


def read_rows(name: str) -> list[Row]:
    """Rows of a fixture table: ``=== id | citing | about``, text, ``--- expect``, lines."""
    rows: list[Row] = []
    head: list[str] | None = None
    text: list[str] = []
    expect: list[str] = []
    in_expect = False

    def flush() -> None:
        if head is None:
            return
        citing = None if head[1] == "-" else CableId.parse(head[1])
        rows.append(Row(head[0], citing, head[2], "\n".join(text), tuple(e for e in expect if e.strip())))

    for line in (FIXTURES / name).read_text(encoding="utf-8").split("\n"):
        if line.startswith("=== "):
            flush()
            head = [part.strip() for part in line[4:].split("|", 2)]
            text, expect, in_expect = [], [], False
        elif head is None:
            continue  # the file's own header comments
        elif line == "--- expect":
            in_expect = True
        elif in_expect:
            expect.append(line)
        else:
            text.append(line)
    flush()
    return rows


def spaced(value: str) -> str:
    """Fixture values write spaces as "_" so that lines split on blanks."""
    return value.replace("_", " ")
