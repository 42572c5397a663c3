"""WikiLeaks cable-viewer HTML pages (every page generation in the corpus).

A page is ~40-190 KB of navigation around one cable: ``<h3>Viewing cable ID, SUBJECT``,
a metadata table (``<table class='cable'>``: Reference ID, Created or Date, Released,
Classification, Origin), then ``<code><pre>`` blocks: the routing header and the body
(early "partial extract" pages put a note in the first block instead of a header).
Newlines are ``&#x000A;``, paragraphs start with ``<a ...>¶</a>``, TAGs are links.

Only the stdlib and linear scans are used: ``str.find`` for block boundaries (a missing
``</pre>`` must not make a regex rescan the rest of the page for every ``<pre``),
and tag removal with a character class that cannot backtrack.  Nothing is fetched or
executed; entity expansion is :func:`html.unescape` (no external entities exist in it).

A ``<pre>`` fragment without the metadata table (the tathagata TXT files) is read as
body text.
"""

from __future__ import annotations

import html
import re

from refdb.model import InputProblem, RawCable
from refdb.parse.formats.debris import clean_debris
from refdb.parse.formats.decoding import normalise_newlines

__all__ = ["looks_like_html", "read_viewer_html", "html_to_text"]

_TABLE = re.compile(r"""<table\s+class\s*=\s*['"]?cable['"]?\s*>""", re.I)
_TITLE = re.compile(r"<h3>\s*Viewing cable ([^<]{0,400})</h3>")
_TITLE_AT = "<h3>Viewing cable"
_TABLE_LITERAL = "<table class='cable'>"  # every page generation writes it so: found fast
_TAG = re.compile(r"<[^<>]*>")
_PRE_OPEN = re.compile(r"<pre\b[^<>]*>", re.I)
_PRE_CLOSE = re.compile(r"</pre\s*>", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_WS = re.compile(r"\s+")
# WikiLeaks exported a few bodies from a database dump with MySQL-escaped newlines.
_ESCAPED_NEWLINE = re.compile(r"\\\n")
# Metadata labels as the page generations print them -> RawCable.meta keys.
_LABELS = {
    "reference id": "id",
    "created": "date",
    "date": "date",
    "released": "released",
    "classification": "classification",
    "origin": "origin_name",
}
_TABLE_SPAN = 20_000  # the metadata table is ~600 bytes; never scan further for its end
_HTML_START = re.compile(r"\s*(?:<\?xml|<!DOCTYPE\s+html|<html|<head|<body|<code>|<pre|<div|<table)", re.I)


def looks_like_html(head: str) -> bool:
    return _HTML_START.match(head) is not None


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment: tags dropped (link text kept), entities expanded."""
    text = _BR.sub("\n", fragment) if "<br" in fragment or "<BR" in fragment else fragment
    text = _TAG.sub("", text)
    # Newlines come as "&#x000A;" on every line: replaced here, html.unescape (one Python
    # call per entity) then sees only the rare other entities.
    text = text.replace("&#x000A;", "\n")
    if "&" in text:
        text = html.unescape(text)
    text = normalise_newlines(text)
    return _ESCAPED_NEWLINE.sub("\n", text) if "\\\n" in text else text


def _pre_blocks(page: str, start: int) -> tuple[list[str], bool]:
    """The ``<pre>`` contents after ``start``; True when the last one is not closed."""
    blocks: list[str] = []
    pos = start
    while True:
        opening = _PRE_OPEN.search(page, pos)
        if opening is None:
            return blocks, False
        closing = _PRE_CLOSE.search(page, opening.end())
        if closing is None:
            blocks.append(page[opening.end() :])
            return blocks, True
        blocks.append(page[opening.end() : closing.start()])
        pos = closing.end()


def _metadata(page: str, table_at: int) -> dict[str, str]:
    end = page.find("</table>", table_at, table_at + _TABLE_SPAN)
    region = page[table_at : end if end >= 0 else table_at + _TABLE_SPAN]
    labels = [_cell_text(part.split("</th>", 1)[0]) for part in region.split("<th")[1:]]
    values = [_cell_text(part.split("</td>", 1)[0]) for part in region.split("<td")[1:]]
    meta: dict[str, str] = {}
    for label, value in zip(labels, values):
        key = _LABELS.get(label.lower())
        if key and value and key not in meta:
            meta[key] = value
    return meta


def _cell_text(cell: str) -> str:
    # ``cell`` starts inside the opening tag (after "<td"): drop up to its ">".
    inner = cell.split(">", 1)[1] if ">" in cell else ""
    return _WS.sub(" ", html.unescape(_TAG.sub("", inner))).strip()


def read_viewer_html(page: str, source: str, warnings: tuple[str, ...] = ()) -> RawCable | InputProblem:
    """One viewer page (or a bare ``<pre>`` fragment) -> RawCable, else a problem."""
    literal = page.find(_TABLE_LITERAL)
    table = _TABLE.match(page, literal) if literal >= 0 else _TABLE.search(page)
    start = table.start() if table else 0
    blocks, truncated = _pre_blocks(page, start)
    if truncated:
        warnings = (*warnings, "truncated HTML: the last <pre> block is not closed")
    texts = [html_to_text(b).strip("\n") for b in blocks]
    texts = [t for t in texts if t.strip()]
    if table is None:
        if not texts:
            return InputProblem(source, "", "HTML without a cable: no metadata table and no <pre> block")
        text = clean_debris("\n\n".join(texts))
        return RawCable(source, "", "body_text", text, {}, warnings)
    meta = _metadata(page, table.start())
    title_at = page.rfind(_TITLE_AT, 0, table.start())
    title = _TITLE.match(page, title_at) if title_at >= 0 else None
    if title:
        meta["title"] = _WS.sub(" ", html.unescape(title.group(1))).strip()
    if not texts:
        ref = meta.get("id", "?")
        return InputProblem(source, "", f"viewer page for {ref} has no cable text (no <pre> block)")
    text = texts[0] + "\n\n" + "\n\n".join(texts[1:]) if len(texts) > 1 else texts[0]
    return RawCable(source, "", "viewer_html", text, meta, warnings)
