"""Pure parsing: bytes in, :mod:`refdb.model` dataclasses out (no database, no network).

- :mod:`refdb.parse.formats`: readers, one module per input format, detection by content;
- :mod:`refdb.parse.header`: header fields (ID, dates, routing, classification, TAGS ...);
- :mod:`refdb.parse.refblock` / :mod:`refdb.parse.mentions`: REF items and mentions;
- :mod:`refdb.parse.cable`: assembles a ParsedCable;
- :mod:`refdb.parse.render`: ParsedCable -> plain dict for JSON output.
"""

from refdb.parse.cable import UnreadableCable, parse_bytes, parse_cable, parse_items, parse_path
from refdb.parse.formats import FORMATS, read_bytes, read_path, read_stream

__all__ = [
    "FORMATS",
    "UnreadableCable",
    "parse_bytes",
    "parse_cable",
    "parse_items",
    "parse_path",
    "read_bytes",
    "read_path",
    "read_stream",
]
