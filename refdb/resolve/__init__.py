"""Resolve parsed references to stored cables: pure code over a :class:`Lookup`.

See :mod:`refdb.resolve.pipeline` for the steps, methods and triage reasons.
"""

from refdb.resolve.lookup import Lookup, MemoryLookup, StoredCable, load_catalogue
from refdb.resolve.pipeline import Citing, resolve_item, timeline_keys, wait_key

__all__ = [
    "Citing",
    "Lookup",
    "MemoryLookup",
    "StoredCable",
    "load_catalogue",
    "resolve_item",
    "timeline_keys",
    "wait_key",
]
