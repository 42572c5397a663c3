"""The resolver's public surface: every name in ``__all__`` exists, and storage's entry
points are importable from the package."""

from __future__ import annotations

import importlib

import pytest

MODULES = ["refdb.resolve", "refdb.resolve.lookup", "refdb.resolve.pipeline", "refdb.resolve.posts",
           "refdb.resolve.siblings", "refdb.resolve.years", "refdb.stations"]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert module.__all__ and not missing


def test_package_exports_what_storage_calls() -> None:
    import refdb.resolve as resolve

    assert {"Citing", "Lookup", "MemoryLookup", "StoredCable", "load_catalogue", "resolve_item", "wait_key"} <= set(
        resolve.__all__
    )
