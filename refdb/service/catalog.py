"""Use case: catalogues of released cable IDs used by triage.

The Cablegate catalogue ships with refdb and is read in-process (see
``refdb.resolve.lookup.bundled_catalogue``); the database holds the catalogues a user
loads on top of it (PlusD lists, a newer release ...)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from refdb.catalog import read_catalog
from refdb.resolve.lookup import real_catalogue_id
from refdb.store import catalog as catalog_store
from refdb.store.engine import write_tx


def load_catalog(engine: Engine, path: Path, *, name: str) -> int:
    """Replace catalogue ``name`` with the IDs in ``path``.

    Each published ID is read once here (garbles repaired) so that resolve passes need
    no parsing.  The file is read completely before anything is written: a malformed
    file changes nothing."""
    entries = [(published, real_catalogue_id(published), month) for published, month in read_catalog(path)]
    with write_tx(engine) as conn:
        return catalog_store.replace(conn, name, entries)
