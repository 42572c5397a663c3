"""Assemble a :class:`~refdb.model.ParsedCable`: header fields, REF items, mentions.

:func:`parse_cable` never raises on odd text except :class:`UnreadableCable`, when no
cable ID can be read at all (callers turn it into an InputProblem).  Everything else
is best effort, with ``warnings``.  Parsing is deterministic: the same bytes give the
same ParsedCable.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from refdb.model import InputProblem, ParsedCable, RawCable
from refdb.parse.formats import read_bytes, read_path
from refdb.parse.header import read_header
from refdb.parse.mentions import find_mentions
from refdb.parse.refblock import parse_refs

__all__ = ["UnreadableCable", "parse_cable", "parse_path", "parse_bytes", "parse_items"]


class UnreadableCable(ValueError):
    """No cable ID can be read from a cable (no metadata ID, banner or DE line)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_cable(raw: RawCable) -> ParsedCable:
    header = read_header(raw)
    if header.id is None:
        raise UnreadableCable(header.reason or "no cable ID could be read")
    refs = parse_refs(raw.text, header.id, citing_origin=header.origin)
    mentions = find_mentions(raw.text, refs)
    return ParsedCable(
        id=header.id,
        published_id=header.published_id,
        id_source=header.id_source,
        format=raw.format,
        source=raw.source,
        locator=raw.locator,
        text=raw.text,
        date=header.date,
        dtg=header.dtg,
        precedence=header.precedence,
        origin=header.origin,
        origin_name=header.origin_name,
        routing_indicator=header.routing_indicator,
        to=header.to,
        info=header.info,
        classification=header.classification,
        caveats=header.caveats,
        declassify_on=header.declassify_on,
        tags=header.tags,
        subject=header.subject,
        classified_by=header.classified_by,
        signer=header.signer,
        refs=refs,
        mentions=mentions,
        warnings=header.warnings,
    )


def parse_items(items: Iterator[RawCable | InputProblem]) -> Iterator[ParsedCable | InputProblem]:
    """Parse what a reader yields; problems pass through, unreadable cables become problems.

    An unexpected exception is a parser bug: it is reported as an InputProblem whose
    message starts with ``internal parser error`` (the corpus test asserts there are
    none) instead of ending the whole run.
    """
    for item in items:
        if isinstance(item, InputProblem):
            yield item
            continue
        try:
            yield parse_cable(item)
        except UnreadableCable as exc:
            yield InputProblem(item.source, item.locator, exc.reason)
        except Exception as exc:  # noqa: BLE001 - see the docstring
            yield InputProblem(item.source, item.locator, f"internal parser error ({type(exc).__name__}: {exc})")


def parse_path(path: str | os.PathLike[str]) -> Iterator[ParsedCable | InputProblem]:
    """Every cable in a file, directory or ``-`` (stdin), parsed."""
    return parse_items(read_path(path))


def parse_bytes(data: bytes, source: str) -> Iterator[ParsedCable | InputProblem]:
    """Every cable in ``data``, parsed; ``source`` names it in results."""
    return parse_items(read_bytes(data, source))
