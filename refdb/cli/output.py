"""Rendering command results: tables for people, JSON / JSONL / CSV for programs.

Data goes to stdout, messages to stderr.  Rich markup is off everywhere: cable text
contains brackets (``[b]``, ``[/NOTAL]``) that Rich would otherwise eat or choke on.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import Enum
from typing import Any

from refdb.errors import UsageError


class Format(str, Enum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


def choose(json_: bool, jsonl: bool, csv_: bool) -> Format:
    picked = [f for f, on in ((Format.JSON, json_), (Format.JSONL, jsonl), (Format.CSV, csv_)) if on]
    if len(picked) > 1:
        raise UsageError("choose one of --json, --jsonl, --csv")
    return picked[0] if picked else Format.TABLE


def _console(stderr: bool = False):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=stderr, markup=False, highlight=False, emoji=False, soft_wrap=False)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def emit_rows(rows: Sequence[dict], fmt: Format, columns: Sequence[str], title: str | None = None) -> None:
    """Rows of dicts in the chosen format; ``columns`` picks and orders the table/CSV columns
    (JSON and JSONL carry every field)."""
    if fmt is Format.JSON:
        emit_json(list(rows))
    elif fmt is Format.JSONL:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt is Format.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_flat(row.get(c)) for c in columns])
    else:
        table(rows, columns, title=title)


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def table(rows: Sequence[dict], columns: Sequence[str], title: str | None = None) -> None:
    from rich.table import Table

    t = Table(title=title, title_justify="left", expand=False, show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for row in rows:
        t.add_row(*[_flat(row.get(c)) for c in columns])
    _console().print(t)


def key_values(pairs: Sequence[tuple[str, Any]], title: str | None = None) -> None:
    from rich.table import Table

    t = Table(title=title, title_justify="left", show_header=False, box=None, pad_edge=False)
    t.add_column("field", style="bold", no_wrap=True)
    t.add_column("value", overflow="fold")
    for k, v in pairs:
        if v not in (None, "", [], ()):
            t.add_row(k, _flat(v))
    _console().print(t)


def message(text: str) -> None:
    """A message for the person at the terminal (stderr)."""
    sys.stderr.write(text + "\n")
