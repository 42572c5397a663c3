"""Lookups for the resolver tests, built from real cables (tests/fixtures/resolve/stored.csv,
copied from the corpus with their dates and DTGs) and the bundled Cablegate catalogue."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from refdb.ids import CableId
from refdb.resolve.lookup import MemoryLookup, StoredCable, bundled_catalogue

STORED_CSV = Path(__file__).resolve().parent.parent / "fixtures" / "resolve" / "stored.csv"


def read_stored() -> list[StoredCable]:
    with STORED_CSV.open(encoding="utf-8") as handle:
        return [
            StoredCable(
                id=row["id"],
                real=CableId.parse(row["real"]),
                date=datetime.fromisoformat(row["date"]),
                dtg=row["dtg"] or None,
                origin=row["origin"],
            )
            for row in csv.DictReader(handle)
        ]


@pytest.fixture(scope="session")
def stored_cables() -> list[StoredCable]:
    return read_stored()


@pytest.fixture(scope="session")
def lookup(stored_cables: list[StoredCable]) -> MemoryLookup:
    """The fixture cables stored, the whole bundled catalogue known."""
    return MemoryLookup(stored_cables, bundled_catalogue().ids)


@pytest.fixture(scope="session")
def lookup_reversed(stored_cables: list[StoredCable]) -> MemoryLookup:
    """The same lookup built from its inputs in the opposite order."""
    return MemoryLookup(list(reversed(stored_cables)), tuple(reversed(bundled_catalogue().ids)))


@pytest.fixture(scope="session")
def by_id(stored_cables: list[StoredCable]) -> dict[str, StoredCable]:
    return {c.id: c for c in stored_cables}
