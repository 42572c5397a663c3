"""Use case: the catalogue of released cable IDs used by triage."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from refdb.catalog import read_catalog
from refdb.store import catalog as catalog_store
from refdb.store.engine import read_tx, write_tx


def ensure_catalog(engine: Engine) -> None:
    """Load the bundled Cablegate catalogue into a database that has none yet."""
    with read_tx(engine) as conn:
        if catalog_store.count(conn):
            return
    load_catalog(engine, None, name="cablegate")


def load_catalog(engine: Engine, path: Path | None, *, name: str) -> int:
    """Replace catalogue ``name`` with the IDs in ``path`` (the bundled file when None).
    The file is read completely before anything is written: a malformed file changes nothing."""
    entries = list(read_catalog(path))
    with write_tx(engine) as conn:
        return catalog_store.replace(conn, name, entries)
