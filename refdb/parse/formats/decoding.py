"""Bytes -> text: UTF-8, then UTF-16 (BOM), then Windows-1252/Latin-1 with a warning.

Cable sources are mostly UTF-8; the PlusD text extracts are Latin-1 (their pilcrow is
byte 0xB6) and a user may bring UTF-16 files saved by Windows tools.  Decoding never
fails: the last resort (Latin-1) maps every byte to a character.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["Decoded", "decode", "looks_binary", "strip_bom", "normalise_newlines"]

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Control characters that never occur in text (tab, LF, FF, CR are allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None


def decode(data: bytes) -> Decoded:
    """Decode one document or record; the warning says which fallback was needed."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith(_UTF16_BOMS):
        text = data.decode("utf-16", errors="replace")
        warning = "UTF-16 text with undecodable bytes (replaced)" if "\ufffd" in text else None
        return Decoded(text, "utf-16", warning)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("cp1252"), "cp1252", "not UTF-8: decoded as Windows-1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
        return Decoded(data.decode("latin-1"), "latin-1", "not UTF-8: decoded as Latin-1")


def strip_bom(data: bytes) -> bytes:
    return data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data


def looks_binary(head: bytes) -> bool:
    """True when ``head`` (the first few KB, after any UTF-16 BOM check) is not text."""
    if not head:
        return False
    if b"\x00" in head:
        return True
    sample = head[:8192].decode("latin-1")
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR -> LF, so offsets and line rules are the same for every source."""
    return _NEWLINES.sub("\n", text) if "\r" in text else text
