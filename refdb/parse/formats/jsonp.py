"""JSONP cable-API responses: ``cablegrab({"info": ..., "items": [{...}, ...]})``.

Each item has ``id``, ``date``, ``classification``, ``origin``, ``subject``, ``tags``,
``header`` (routing header) and ``text`` (body in the newspaper layout: a date line
first, ``¶``, ``EO 12958 DECL:`` without dots).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from refdb.model import InputProblem, RawCable
from refdb.parse.formats.decoding import normalise_newlines

__all__ = ["read_jsonp", "looks_like_jsonp"]

_CALL = re.compile(r"\s*([A-Za-z_$][\w$.]{0,60})\s*\(")
_SPACE = re.compile(r"\s*")
_DECODER = json.JSONDecoder(strict=False)
_META = {
    "id": "id",
    "date": "date",
    "classification": "classification",
    "origin": "origin_name",
    "subject": "subject",
    "tags": "tags",
    "priority": "precedence",
}


def looks_like_jsonp(head: str) -> bool:
    m = _CALL.match(head)
    return m is not None and head[m.end() :].lstrip().startswith(("{", "["))


def read_jsonp(document: str, source: str, warnings: tuple[str, ...] = ()) -> Iterator[RawCable | InputProblem]:
    m = _CALL.match(document)
    if m is None:
        yield InputProblem(source, "", "not a JSONP call")
        return
    start = _SPACE.match(document, m.end()).end()  # type: ignore[union-attr]
    try:
        payload, _end = _DECODER.raw_decode(document, start)
    except ValueError as exc:
        yield InputProblem(source, "", f"JSONP {m.group(1)}(...) payload is not JSON: {exc.msg} at char {exc.pos}")
        return
    items = payload.get("items") if isinstance(payload, dict) else payload
    if not isinstance(items, list) or not items:
        yield InputProblem(source, "", f"JSONP {m.group(1)}(...) holds no items list")
        return
    for index, item in enumerate(items):
        locator = f"items[{index}]"
        if not isinstance(item, dict):
            yield InputProblem(source, locator, "item is not an object")
            continue
        body = item.get("text")
        if not isinstance(body, str) or not body.strip():
            yield InputProblem(source, locator, "item without cable text")
            continue
        header = item.get("header") if isinstance(item.get("header"), str) else ""
        text = normalise_newlines(f"{header.strip()}\n\n{body}" if header.strip() else body)
        meta = {key: str(item[field]).strip() for field, key in _META.items() if item.get(field)}
        yield RawCable(source, locator, "jsonp", text, meta, warnings)
