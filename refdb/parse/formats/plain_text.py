"""Cables as plain text: telegrams (like the seed), PlusD text extracts, bare bodies.

- ``telegram``: a routing header (``VZCZC``, ``DE RUEHKO #1002``, a DTG line, ``FM``)
  above the body; possibly scraped from a web page (``[1](#)``, ``[PREL](#)``).
- ``plusd_text``: the same shape extracted from PlusD PDFs: CRLF line ends, Latin-1
  (or U+FFFD) pilcrows, sometimes an ``INFO  LOG-00`` distribution block instead of
  the ``VZCZC`` lines.
- ``body_text``: no routing header, but a classification banner (``S E C R E T
  SECTION 01 OF 02 RANGOON 001100``), a newspaper date line, or TAGS/SUBJECT lines.

Anything else is refused with the first line quoted, so a user sees what was found.
"""

from __future__ import annotations

import re

from refdb.model import InputProblem, RawCable
from refdb.parse.formats.debris import clean_debris
from refdb.parse.formats.decoding import normalise_newlines

__all__ = ["read_plain_text"]

_LOOK = 16_384  # routing headers and banners sit at the top
_ROUTING = re.compile(
    r"(?m)^[ \t]*(?:VZCZC|DE [A-Z]{4,7} #\d|INFO {1,3}LOG-|FM [A-Z]|(?:[ZOPR] ){1,2}\d{6}Z [A-Z]{3} \d{2})"
)
_BANNER = re.compile(
    r"(?m)^[ \t]*(?:UNCLAS|LIMITED OFFICIAL USE|CONFIDENTIAL|SECRET|C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L|"
    r"S ?E ?C ?R ?E ?T|U ?N ?C ?L ?A ?S)\b"
)
_DATE_LINE = re.compile(r"(?m)^[ \t]*[A-Z][a-z]{2,8}day, \d{1,2} [A-Z][a-z]{2,8} \d{4}, \d{1,2}:\d{2}")
_FIELD_LINES = re.compile(r"(?m)^[ \t]*(?:TAGS|SUBJECT|SUBJ)\b\s*:?")


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 60 else line[:57] + "..."
    return ""


def read_plain_text(text: str, source: str, warnings: tuple[str, ...] = ()) -> RawCable | InputProblem:
    head = text[:_LOOK]
    pilcrow_damage = "\ufffd" in head or any("Latin-1" in w or "Windows-1252" in w for w in warnings)
    if _ROUTING.search(head):
        plusd = "\r\n" in head or "LOG-" in head or (pilcrow_damage and "](#)" not in head)
        fmt = "plusd_text" if plusd else "telegram"
    elif _BANNER.search(head) or _DATE_LINE.search(head) or len(_FIELD_LINES.findall(head)) >= 2:
        fmt = "body_text"
    else:
        return InputProblem(
            source,
            "",
            "unrecognised text: no routing header, classification banner or TAGS/SUBJECT lines "
            f"(first line: {_first_line(text)!r})",
        )
    return RawCable(source, "", fmt, clean_debris(normalise_newlines(text)), {}, warnings)
