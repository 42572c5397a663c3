"""``cables.csv``, the full-release file, read as a stream of rows.

No header row; 8 columns ``row, created ("12/28/1966 18:48"), refid, origin ("Embassy
Tokyo"), classification, references, header, content``; every field quoted; quotes and
apostrophes escaped MySQL-style (``\\"``, ``\\'``); fields span lines.  The real file is
1.7 GB in ~35 million short lines, so it is read in 256 KB chunks, cut into rows at row
starts (a line opening with ``"N","M/D/YYYY H:MM","``) found by one regex scan, and each
row is parsed on its own: memory stays at one chunk plus one row, and no Python code
runs per line.

Damage handled:
- a split chunk starts inside the previous chunk's last row (``wikileaks/aa`` starts with
  a lone ``"`` line): lines before the first row start are skipped;
- the last row is cut off (no closing quote): read best-effort, with a warning;
- a row cut off mid-file (the next row starts while a quoted field is still open, and
  its number follows the current row's): the cut row is read best-effort; a row-start
  look-alike inside a field, with another number, stays part of the field;
- a row that does not have 8 columns, or grows past the record cap: an InputProblem.

Column 6 (references) is WikiLeaks' own list of cited IDs and is unreliable: it is kept
as ``meta["references"]`` only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from refdb.model import InputProblem, RawCable
from refdb.parse.formats.decoding import decode, normalise_newlines
from refdb.parse.formats.lines import MAX_RECORD_BYTES

__all__ = ["read_cables_csv", "looks_like_cables_csv"]

# A row start after a newline: "12","2/19/1985 13:22"," (the literal newline first lets
# the regex engine skip ahead fast).
_ROW_AT = re.compile(rb'\n(?="(\d{1,9})","\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}",")')
_CHUNK = 1 << 18
_ROW_START_TEXT = re.compile(r'\n"\d{1,9}","\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}","[^"\n]{0,80}","')
_COLUMNS = ("row", "date", "id", "origin_name", "classification", "references", "header", "content")


def looks_like_cables_csv(head: str) -> bool:
    """A row start (``"1","12/28/1966 18:48","66BUENOSAIRES2481",``) near the top."""
    return _ROW_START_TEXT.search("\n" + head[:65536]) is not None  # a leading "\n": a literal to scan for


def _quotes(line: bytes) -> int:
    """Unescaped double quotes in a line."""
    if b"\\" not in line:
        return line.count(b'"')
    if b"\\\\" not in line:  # the usual case: counted in place, no copies (a row is ~7 KB)
        return line.count(b'"') - line.count(b'\\"')
    return line.replace(b"\\\\", b"").replace(b'\\"', b"").count(b'"')


def _unescape(value: str) -> str:
    """MySQL-style escapes: ``\\"`` -> ``"``, ``\\'`` -> ``'``, ``\\\\`` -> ``\\``."""
    if "\\" not in value:
        return value
    if "\\\\" not in value:  # the usual case
        return value.replace('\\"', '"').replace("\\'", "'")
    # Escaped backslashes first: what remains of a backslash after splitting on them
    # starts an escape.
    return "\\".join(part.replace('\\"', '"').replace("\\'", "'") for part in value.split("\\\\"))


def _closing_quote(record: str, pos: int) -> int:
    """Index of the quote closing the field opened at ``pos``, or -1 (str.find, no regex:
    fields are kilobytes long and hold few quotes)."""
    i = pos + 1
    while True:
        j = record.find('"', i)
        if j < 0:
            return -1
        k = j - 1
        while k > pos and record[k] == "\\":
            k -= 1
        if (j - 1 - k) % 2 == 0:  # an even run of backslashes: the quote is not escaped
            return j
        i = j + 1


def _fields(record: str) -> tuple[list[str], bool]:
    """Split a row into unescaped fields; True when the last quoted field is unterminated."""
    fields: list[str] = []
    pos, end = 0, len(record)
    while True:
        if pos < end and record[pos] == '"':
            close = _closing_quote(record, pos)
            if close < 0:  # an unterminated quote: the rest of the row is that field
                fields.append(_unescape(record[pos + 1 :]))
                return fields, True
            fields.append(_unescape(record[pos + 1 : close]))
            pos = close + 1
        else:
            comma = record.find(",", pos)
            stop = end if comma < 0 else comma
            fields.append(record[pos:stop].strip("\n"))
            pos = stop
        if pos < end and record[pos] == ",":
            pos += 1
            continue
        if record[pos:].strip():
            # Text after a closing quote: keep it with the field (a stray quote inside it).
            fields[-1] += record[pos:].rstrip("\n")
        return fields, False


class _Rows:
    """Row assembly state for one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.ordinal = 0

    def build(self, record: bytes, first_line: int, cut: str | None) -> RawCable | InputProblem:
        self.ordinal += 1
        locator = f"row={self.ordinal}"
        decoded = decode(record)
        text = normalise_newlines(decoded.text).rstrip("\n")
        fields, unterminated = _fields(text)
        if len(fields) != len(_COLUMNS):
            what = f" ({cut})" if cut else ""
            return InputProblem(
                self.source, locator, f"expected 8 columns, found {len(fields)} (row starts at line {first_line}){what}"
            )
        warnings: list[str] = []
        if decoded.warning:
            warnings.append(decoded.warning)
        if cut or unterminated:
            warnings.append(f"row cut off: {cut or 'unterminated quoted field'}; text may be incomplete")
        values = dict(zip(_COLUMNS, fields))
        header, content = values.pop("header").strip("\n"), values.pop("content")
        body = f"{header}\n\n{content}" if header.strip() else content
        meta = {k: v.strip() for k, v in values.items() if v.strip()}
        return RawCable(self.source, locator, "cables_csv", body, meta, tuple(warnings))


def _complete(record: bytes) -> bool:
    """A row ends with its closing quote, with every quote of it paired."""
    return record.rstrip(b"\r\n").endswith(b'"') and _quotes(record) % 2 == 0


def read_cables_csv(stream: BinaryIO, source: str) -> Iterator[RawCable | InputProblem]:
    """Rows of a cables.csv stream, read in chunks (no per-line Python work: the file has
    ~35 million short lines).

    Rows are cut at row starts (a line opening with ``"N","M/D/YYYY H:MM","``) where the
    text before ends a row (closing quote, quotes paired); a row start inside an open
    field is taken as a row boundary only when its number follows the current row's
    (the current row was cut off), otherwise it is part of the field.
    """
    rows = _Rows(source)
    buf = bytearray(b"\n")  # a virtual newline: a row start at the top also follows one
    buf_line = 0  # line number of buf[0] (the virtual newline is line 0)
    row_at: int | None = None  # where the current row starts in buf; None between rows
    row_number = 0
    search_from = 0
    junk_lines = 0  # lines outside any row that carried text
    junk_first = 0
    skipping = False  # after an oversized row: junk until the next row start is expected
    eof = False

    counted = [0, 0]  # (offset in buf, newlines before it): offsets asked for only grow

    def line_at(offset: int) -> int:
        if offset < counted[0]:
            counted[:] = [0, 0]
        counted[1] += buf.count(b"\n", counted[0], offset)
        counted[0] = offset
        return buf_line + counted[1]

    def flush_junk() -> Iterator[InputProblem]:
        nonlocal junk_lines
        if junk_lines:
            where = f"line={junk_first}" if junk_lines == 1 else f"line={junk_first}-{junk_first + junk_lines - 1}"
            yield InputProblem(source, where, f"{junk_lines} line(s) outside any row skipped (not a cables.csv row)")
            junk_lines = 0

    def note_junk(data: bytes | bytearray, first_line: int) -> None:
        nonlocal junk_lines, junk_first
        if skipping:
            return
        for n, text in enumerate(bytes(data).split(b"\n")):
            if text.strip(b' \t\r"'):
                if not junk_lines:
                    junk_first = first_line + n
                junk_lines = first_line + n - junk_first + 1

    while True:
        for m in _ROW_AT.finditer(buf, search_from):
            at = m.start() + 1
            number = int(m.group(1))
            if row_at is None:
                note_junk(buf[: m.start()], buf_line)
                yield from flush_junk()
                row_at, row_number, skipping = at, number, False
                continue
            if at <= row_at:
                continue
            record = bytes(buf[row_at : m.start() + 1])
            if _complete(record):
                yield rows.build(record, line_at(row_at), None)
            elif number == row_number + 1:
                yield rows.build(record, line_at(row_at), f"next row starts at line {line_at(at)}")
            else:
                continue  # a row-start look-alike inside a field
            row_at, row_number = at, number
        # Drop what is consumed; keep the open row (or a little tail of junk).
        keep = row_at if row_at is not None else max(0, len(buf) - 64)
        if row_at is None:
            note_junk(buf[:keep], buf_line)
        buf_line += buf.count(b"\n", 0, keep)
        del buf[:keep]
        counted[:] = [0, 0]
        if row_at is not None:
            row_at = 0
            if len(buf) > MAX_RECORD_BYTES:
                rows.ordinal += 1
                yield InputProblem(
                    source,
                    f"row={rows.ordinal}",
                    f"row starting at line {buf_line} exceeds the record cap ({MAX_RECORD_BYTES} bytes); skipped",
                )
                buf_line += buf.count(b"\n")
                buf = bytearray(b"\n") if buf.endswith(b"\n") else bytearray()
                buf_line -= 1 if buf else 0
                counted[:] = [0, 0]
                row_at, skipping = None, True
        if eof:
            break
        search_from = max(0, len(buf) - 64)  # a row start may straddle the chunk boundary
        data = stream.read(_CHUNK)
        if data:
            buf += data
        else:
            eof = True
            buf += b"\n"  # so a last row start without a newline after it is still found
    if row_at is not None and buf[row_at:].strip():
        record = bytes(buf[row_at:]).rstrip(b"\n") + b"\n"
        cut = None if _complete(record) else "end of file inside a quoted field"
        yield rows.build(record, line_at(row_at), cut)
    elif row_at is None:
        note_junk(buf, buf_line)
    yield from flush_junk()
