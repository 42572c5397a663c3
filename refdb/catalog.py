"""Catalogues of released cable IDs (``refid,month`` CSV, optionally gzipped).

refdb ships the Cablegate catalogue (251,287 IDs) in ``refdb/data``; a user can load
another one (``refdb catalog load FILE``).  Knowing that a cited cable exists in the
release but is not loaded is the most useful thing triage can say about it.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

BUNDLED = "cablegate_ids.csv.gz"


class CatalogError(ValueError):
    pass


def read_catalog(path: Path | None = None) -> Iterator[tuple[str, int | None]]:
    """Yield (published ID, month or None) from a catalogue file, the bundled one by default.

    Raises :class:`CatalogError` naming the file and line for a malformed row."""
    if path is None:
        raw = resources.files("refdb.data").joinpath(BUNDLED).read_bytes()
        name = f"refdb/data/{BUNDLED}"
    else:
        raw = path.read_bytes()
        name = str(path)
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig")))
    for lineno, row in enumerate(reader, start=1):
        if not row or (lineno == 1 and row[0].strip().lower() in ("refid", "id")):
            continue
        refid = row[0].strip().upper()
        if not refid or not refid.isalnum():
            raise CatalogError(f"{name}:{lineno}: {row[0]!r} is not a cable ID")
        month: int | None = None
        if len(row) > 1 and row[1].strip():
            try:
                month = int(row[1])
            except ValueError:
                raise CatalogError(f"{name}:{lineno}: month {row[1]!r} is not a number") from None
        yield refid, month
