"""mongoexport JSON lines: ``{ "_id" : ..., "origin" : ..., "date_time" : ..., "body" : ... }``.

Not valid JSON as found: ``\\'`` escapes, raw newlines inside strings (a record then
spans lines), unescaped ``"`` inside the body, trailing junk after the closing brace.
Each record is repaired in steps, cheapest first: lenient JSON (raw control characters
allowed), ``\\'`` -> ``'``, first object only (trailing junk), and last the key-by-key
read that finds each known key's separator with ``str.find`` (linear) and takes the
body up to the last ``"`` before the closing brace.  A record none of these can read is
an InputProblem naming its line.

Two export variants exist.  The first-release dump (``wikileaks-11-28-10.json``) has a
``reference_id`` key holding the refid (``_id`` repeats it) and a ``header`` key with
the routing header; the others hold the cables.csv *references* column in ``_id``:
there the refid is not stated and the parser derives it from the body's banner, the
origin and the year of ``date_time`` (``id_source="derived"``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from refdb.model import InputProblem, RawCable
from refdb.parse.formats.decoding import decode, normalise_newlines
from refdb.parse.formats.lines import MAX_RECORD_BYTES, iter_lines

__all__ = ["read_mongo_json", "looks_like_mongo_json"]

_RECORD_START = re.compile(rb'\s*\{\s*"_id"\s*:')
_HEAD = re.compile(r'\n[ \t]*\{[ \t]*"_id"[ \t]*:')
_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|.)', re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "\\": "\\", '"': '"', "'": "'"}
# Keys in export order; the key-by-key repair relies on this order.
_KEYS = ("_id", "origin", "date_time", "classification", "body", "header", "reference_id")
_KEY_SEP = re.compile(r'"\s*,\s*"(%s)"\s*:\s*"' % "|".join(_KEYS))
_DECODER = json.JSONDecoder(strict=False)


def looks_like_mongo_json(head: str) -> bool:
    """A record start (``{ "_id" :``) opening a line near the top."""
    return _HEAD.search("\n" + head[:65536]) is not None  # a leading "\n": a literal to scan for


def _unescape(value: str) -> str:
    """JSON string escapes, leniently: an unknown escape keeps its character."""

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if len(code) == 5:
            return chr(int(code[1:], 16))
        return _SIMPLE_ESCAPES.get(code, code)

    return _ESCAPE.sub(one, value) if "\\" in value else value


def _key_by_key(chunk: str) -> dict[str, str] | None:
    """Read a record whose strings hold unescaped quotes, relying on the key order."""
    first = re.match(r'\s*\{\s*"_id"\s*:\s*"', chunk)
    close = chunk.rfind("}")
    if first is None or close < 0:
        return None
    end_quote = chunk.rfind('"', first.end(), close)
    if end_quote < 0:
        return None
    inner = chunk[first.end() : end_quote]
    record: dict[str, str] = {}
    key, pos = "_id", 0
    # Each key's separator is searched from the previous one on: linear over the chunk.
    # A value may contain a look-alike separator only for a key that comes later, so
    # only the next keys in export order are accepted.
    order = list(_KEYS)
    for m in _KEY_SEP.finditer(inner):
        nxt = m.group(1)
        if nxt not in order or order.index(nxt) <= order.index(key):
            continue
        record[key] = _unescape(inner[pos : m.start()])
        key, pos = nxt, m.end()
    record[key] = _unescape(inner[pos:])
    return record if "body" in record else None


def _parse(chunk: str) -> tuple[dict[str, object] | None, str | None]:
    """(record, repair note) for one record's text; (None, reason) when unreadable."""
    try:
        value = _DECODER.decode(chunk)
        return (value, None) if isinstance(value, dict) else (None, "a JSON value that is not an object")
    except ValueError:
        pass
    fixed = chunk.replace("\\'", "'")
    try:
        value = _DECODER.decode(fixed)
        if isinstance(value, dict):
            return value, None  # \' escapes are this exporter's normal output
    except ValueError:
        pass
    try:
        value, end = _DECODER.raw_decode(fixed.lstrip())
        if isinstance(value, dict):
            return value, "repaired JSON record: junk after the closing brace ignored"
    except ValueError:
        pass
    record = _key_by_key(chunk)
    if record is not None:
        return record, "repaired JSON record: unescaped quotes inside a value"
    return None, "not JSON and not repairable (no \"_id\" ... \"body\" record found)"


def _cable(record: dict[str, object], source: str, locator: str, warnings: list[str]) -> RawCable | InputProblem:
    def text(key: str) -> str:
        value = record.get(key)
        return value if isinstance(value, str) else ""

    body = normalise_newlines(text("body"))
    if not body.strip():
        return InputProblem(source, locator, "JSON record without cable text (empty body)")
    header = normalise_newlines(text("header")).strip("\n")
    meta = {
        "date": text("date_time").strip(),
        "origin_name": text("origin").strip(),
        "classification": text("classification").strip(),
    }
    if text("reference_id").strip():
        meta["id"] = text("reference_id").strip()
    elif "reference_id" in record and text("_id").strip():
        meta["id"] = text("_id").strip()
    else:
        meta["references"] = text("_id").strip()
    meta = {k: v for k, v in meta.items() if v}
    full = f"{header}\n\n{body}" if header.strip() else body
    return RawCable(source, locator, "mongo_json", full, meta, tuple(warnings))


def read_mongo_json(stream: BinaryIO, source: str) -> Iterator[RawCable | InputProblem]:
    ordinal = 0
    parts: list[bytes] = []
    size = 0
    start_line = 0

    def finish() -> RawCable | InputProblem:
        nonlocal ordinal
        ordinal += 1
        decoded = decode(b"".join(parts))
        warnings = [decoded.warning] if decoded.warning else []
        record, note = _parse(decoded.text.strip())
        if record is None:
            return InputProblem(source, f"line={start_line}", f"JSON record {ordinal}: {note}")
        if note:
            warnings.append(note)
        if len(parts) > 1:
            warnings.append(f"record spans {len(parts)} lines (raw newlines inside strings)")
        return _cable(record, source, f"record={ordinal}", warnings)

    skipped: list[int] = []

    def flush_skipped() -> Iterator[InputProblem]:
        if skipped:
            where = f"line={skipped[0]}" if len(skipped) == 1 else f"line={skipped[0]}-{skipped[-1]}"
            yield InputProblem(source, where, f"{len(skipped)} line(s) outside any JSON record skipped")
            skipped.clear()

    for line in iter_lines(stream, MAX_RECORD_BYTES):
        if line.too_long:
            if parts:
                yield finish()
                parts, size = [], 0
            yield InputProblem(source, f"line={line.number}", f"line of {line.too_long} bytes exceeds the record cap; skipped")
            continue
        if _RECORD_START.match(line.data):
            if parts:
                yield finish()
            yield from flush_skipped()
            parts, size, start_line = [line.data], len(line.data), line.number
            continue
        if not parts:
            if line.data.strip():
                skipped.append(line.number)
            continue
        parts.append(line.data)
        size += len(line.data)
        if size > MAX_RECORD_BYTES:
            ordinal += 1
            yield InputProblem(source, f"line={start_line}", f"JSON record {ordinal} exceeds {MAX_RECORD_BYTES} bytes; skipped")
            parts, size = [], 0
    if parts:
        yield finish()
    yield from flush_skipped()
