"""Input dispatch: paths, streams and bytes -> RawCable or InputProblem, format by content.

The first 64 KB of an input decide its format (file names are never consulted): gzip
is unwrapped by its magic bytes (some ``.html`` files are gzip), PDFs and binary data
are refused, cables.csv and JSON lines are streamed record by record, and the rest
(viewer HTML, JSONP, plain text) is read whole up to :data:`MAX_DOCUMENT_BYTES`.

Nothing here raises on bad input: every failure is an InputProblem with a one-line
reason.  Cost is bounded: documents are capped, streamed records are capped
(:data:`~refdb.parse.formats.lines.MAX_RECORD_BYTES`), and every scan is linear.
"""

from __future__ import annotations

import io
import os
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from refdb.model import InputProblem, RawCable
from refdb.parse.formats.cables_csv import looks_like_cables_csv, read_cables_csv
from refdb.parse.formats.decoding import decode, looks_binary, strip_bom
from refdb.parse.formats.jsonp import looks_like_jsonp, read_jsonp
from refdb.parse.formats.mongo_json import looks_like_mongo_json, read_mongo_json
from refdb.parse.formats.plain_text import read_plain_text
from refdb.parse.formats.viewer_html import looks_like_html, read_viewer_html

__all__ = ["read_bytes", "read_path", "read_stream", "MAX_DOCUMENT_BYTES"]

HEAD_BYTES = 64 << 10
MAX_DOCUMENT_BYTES = 64 << 20  # one cable page or text; real ones are < 1 MB
_MAX_GZIP_DEPTH = 3
_GZIP_MAGIC = b"\x1f\x8b"
_PDF_PROBLEM = "PDF is not supported; extract its text first (e.g. pdftotext) and ingest the .txt"
_MAGIC = {
    b"PK\x03\x04": "a zip archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"BZh": "bzip2 data",
    b"\xfd7zXZ": "xz data",
    b"7z\xbc\xaf": "a 7-zip archive",
    b"SQLite format 3": "an SQLite database",
    b"\xd0\xcf\x11\xe0": "an MS Office (OLE) document",
    b"{\\rtf": "an RTF document",
}


class _Chain(io.RawIOBase):
    """The bytes already read (``head``) followed by the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Gunzip(io.RawIOBase):
    """Streaming gzip decompression that keeps what it got from a truncated stream."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._inflate = zlib.decompressobj(wbits=31)
        self._pending = b""
        self.truncated = False  # the compressed stream ended before its end marker
        self.reported = False  # a reader already turned the truncation into a warning

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = self._inflate.unconsumed_tail or self._stream.read(1 << 16)
            if not chunk:
                if not self._inflate.eof:
                    self.truncated = True
                return 0
            if self._inflate.eof:  # a multi-member file: next member
                leftover = self._inflate.unused_data + chunk
                if not leftover.strip(b"\x00"):
                    return 0  # zero padding after the last member
                self._inflate = zlib.decompressobj(wbits=31)
                chunk = leftover
            try:
                self._pending = self._inflate.decompress(chunk, len(buffer))
            except zlib.error as exc:
                raise _BadInput(f"corrupt gzip data ({exc})") from exc
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


class _BadInput(Exception):
    """Raised inside the readers, turned into one InputProblem by :func:`read_stream`."""


def _read_up_to(stream: BinaryIO, n: int) -> bytes:
    parts: list[bytes] = []
    while n > 0:
        data = stream.read(min(n, 1 << 20))
        if not data:
            break
        parts.append(data)
        n -= len(data)
    return b"".join(parts)


def read_stream(stream: BinaryIO, source: str = "-") -> Iterator[RawCable | InputProblem]:
    """Every cable in a binary stream (a file, stdin, a socket): format detected by content."""
    produced = 0
    try:
        for item in _read(stream, source, 0):
            produced += 1
            yield item
    except _BadInput as exc:
        yield InputProblem(source, "", f"{exc}" + (f" after {produced} item(s)" if produced else ""))
    except (OSError, EOFError, MemoryError) as exc:
        yield InputProblem(source, "", f"read error: {type(exc).__name__}: {exc}")


def read_bytes(data: bytes, source: str) -> Iterator[RawCable | InputProblem]:
    """Every cable in ``data`` (one file's content); ``source`` names it in results."""
    return read_stream(io.BytesIO(data), source)


def read_path(path: str | os.PathLike[str]) -> Iterator[RawCable | InputProblem]:
    """Every cable in a file, a directory (recursively, sorted) or ``-`` (stdin)."""
    if str(path) == "-":
        yield from read_stream(sys.stdin.buffer, "-")
        return
    p = Path(path)
    if p.is_dir():
        for file in _walk(p):
            yield from _read_file(file)
    elif p.exists():
        yield from _read_file(p)
    else:
        yield InputProblem(str(path), "", "no such file or directory")


def _walk(root: Path) -> Iterator[Path]:
    """Regular files under ``root`` in a deterministic order (byte order of names)."""
    for dirpath, dirnames, filenames in os.walk(root, onerror=None, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath, name)


def _read_file(path: Path) -> Iterator[RawCable | InputProblem]:
    try:
        stream = open(path, "rb")
    except OSError as exc:
        yield InputProblem(str(path), "", f"cannot open: {exc.strerror or exc}")
        return
    with stream:
        yield from read_stream(stream, str(path))


def _read(
    stream: BinaryIO, source: str, depth: int, gunzip: _Gunzip | None = None
) -> Iterator[RawCable | InputProblem]:
    """``gunzip``, when the stream is decompressed, tells whether the gzip data ended early."""
    head = _read_up_to(stream, HEAD_BYTES)
    if head.startswith(_GZIP_MAGIC):
        if depth >= _MAX_GZIP_DEPTH:
            yield InputProblem(source, "", f"gzip nested more than {_MAX_GZIP_DEPTH} levels deep")
            return
        gunzip = _Gunzip(_Chain(head, stream))  # type: ignore[arg-type]
        for item in _read(io.BufferedReader(gunzip, 1 << 16), source, depth + 1, gunzip):  # type: ignore[arg-type]
            if gunzip.truncated and isinstance(item, InputProblem) and item.message == "empty input":
                continue  # the truncation below says it better
            yield item
        if gunzip.truncated and not gunzip.reported:
            yield InputProblem(source, "", "gzip data is truncated (read what was there)")
        return
    refusal = _refusal(head)
    if refusal:
        yield InputProblem(source, "", refusal)
        return
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16: re-encode as UTF-8 once, then read like any other input.
        data = head + _read_up_to(stream, MAX_DOCUMENT_BYTES + 1 - len(head))
        if len(data) > MAX_DOCUMENT_BYTES:
            yield InputProblem(source, "", f"UTF-16 input larger than {MAX_DOCUMENT_BYTES >> 20} MB: convert it to UTF-8")
            return
        decoded = decode(data)
        yield from _read(io.BytesIO(decoded.text.encode("utf-8")), source, depth)
        return
    text_head = decode(strip_bom(head)).text.lstrip()
    markup = looks_like_html(text_head) or looks_like_jsonp(text_head)  # cheap checks first
    if not markup and looks_like_cables_csv(text_head):
        yield from read_cables_csv(io.BufferedReader(_Chain(head, stream), 1 << 16), source)  # type: ignore[arg-type]
        return
    if not markup and looks_like_mongo_json(text_head):
        yield from read_mongo_json(io.BufferedReader(_Chain(head, stream), 1 << 16), source)  # type: ignore[arg-type]
        return
    data = head + _read_up_to(stream, MAX_DOCUMENT_BYTES + 1 - len(head))
    if len(data) > MAX_DOCUMENT_BYTES:
        yield InputProblem(
            source, "", f"input larger than {MAX_DOCUMENT_BYTES >> 20} MB is not a single cable, and no multi-cable format was recognised"
        )
        return
    decoded = decode(data)
    warnings = (decoded.warning,) if decoded.warning else ()
    if gunzip is not None and gunzip.truncated and data.strip():
        warnings = (*warnings, "gzip data is truncated: the text may be incomplete")
        gunzip.reported = True
    document = decoded.text
    if looks_like_jsonp(text_head):
        yield from read_jsonp(document, source, warnings)
    elif text_head.startswith(("{", "[")):
        yield InputProblem(source, "", "JSON that is not a known cable export (no mongoexport \"_id\" records, no JSONP call)")
    elif looks_like_html(text_head):
        yield read_viewer_html(document, source, warnings)
    else:
        yield read_plain_text(document, source, warnings)


def _refusal(head: bytes) -> str | None:
    """Why ``head`` cannot be a cable input, or None."""
    if not head.strip():
        return "empty input" if not head else "input holds only whitespace"
    if head.lstrip().startswith(b"%PDF-"):
        return _PDF_PROBLEM
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return f"binary data ({what}), not cable text"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if looks_binary(head):
        if head[1:2000:2].count(0) > 600 or head[0:2000:2].count(0) > 600:
            return "binary data: looks like UTF-16 without a byte-order mark; save it as UTF-8"
        return "binary data (control bytes), not cable text"
    return None
