"""The origin a REF item's post stands for, read exactly as written.

A REF item names the sending post the way the drafter typed it: ``SECSTATE``,
``USUN NEW YORK``, ``AMEMBASSY TOKYO``, ``Mexico City``.  Cable IDs spell some posts
differently (``STATE``, ``USUNNEWYORK``, ``TOKYO``, ``MEXICO``).  The well-known writer
forms live in :mod:`refdb.stations` (one table for the whole project); this module adds
only what is particular to REF text (OCR zeros) and keeps every other form as written:
misspellings and truncations (``BRASILA``, ``KUALA LUMP``) are the resolver's to repair,
with fuzzy matching, from ``RefItem.origin_written``.
"""

from __future__ import annotations

from refdb.ids import normalise_origin
from refdb.stations import stations

__all__ = ["cited_origin"]


def cited_origin(written: str) -> str:
    """The origin a written post name stands for, without any fuzzy repair.

    ``"SECSTATE"`` -> ``"STATE"``, ``"USUN NEW YORK"`` -> ``"USUNNEWYORK"``,
    ``"AMEMBASSY Tokyo"`` -> ``"TOKYO"``, ``"T0KYO"`` -> ``"TOKYO"``,
    ``"BRASILA"`` -> ``"BRASILA"`` (left for the resolver).
    """
    if any(ch.isalpha() for ch in written):
        # A digit inside a post name is an OCR zero for the letter O: no post has one.
        written = written.replace("0", "O")
    return stations().canonical(written) or normalise_origin(written)
