"""The routing header above a telegram's banner: DE line, DTG, precedence, FM, TO, INFO.

::

    VZCZCXRO9469
    OO RUEHFK RUEHKS RUEHNH               precedence + relay routing
    DE RUEHKO #1002/01 1020626            originating routing indicator, #serial/section, Julian day + time
    ZNY CCCCC ZZH                         classification code
    O 110626Z APR 08                      precedence + date-time group
    FM AMEMBASSY TOKYO
    TO RUEHC/SECSTATE WASHDC IMMEDIATE 3388
    INFO RUEHXP/ALL NATO POST COLLECTIVE PRIORITY

Patterns start with a literal (``DE``, ``ZN``) or are anchored at a line start near the
top, so each costs microseconds; callers pass only the text above the banner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from refdb.ids import full_year, normalise_dtg

__all__ = ["Dtg", "DeLine", "find_dtg", "find_de", "find_fm", "precedence_of", "addressees", "zny_classification"]

MONTHS = {m: i for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)}
# "0" is an OCR'd "O" in old cables ("0 241208Z OCT 79").
PRECEDENCE = {"Z": "FLASH", "O": "IMMEDIATE", "0": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE", "Y": "EMERGENCY"}

_DE = re.compile(r"DE[ \t]+(R[A-Z]{3,6})[ \t]*#[ \t]*(\d{1,7})(?:/\d{1,3})?[ \t]+(\d{3})(\d{4})(?!\d)")
_DTG_LINE = re.compile(
    r"(?m)^[ \t]*(?:(?P<prec>[ZOPRY0])(?:[ \t]+[ZOPRY])?[ \t]+)?(?P<day>\d{2})(?P<hh>\d{2})(?P<mm>\d{2})[ \t]?Z[ \t]+"
    r"(?P<mon>JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*[ \t]+(?P<yy>\d{4}|\d{2})(?!\d)"
)
_PREC_LINE = re.compile(r"(?m)^[ \t]*([ZOPRY])\1?[ \t]+R[A-Z]{3,6}\b")
_FM = re.compile(r"(?m)^[ \t]*FM[ \t]+(\S(?:[^\n]*\S)?)[ \t]*$")
_ZNY = re.compile(r"ZN[YR][ \t]+([CSUE])\1{4}\b")
_ZNY_CLASS = {"C": "CONFIDENTIAL", "S": "SECRET", "U": "UNCLASSIFIED", "E": "UNCLASSIFIED"}
_TO = re.compile(r"(?m)^[ \t]*TO[ \t]+")
# Where an addressee block ends: an INFO line (group 1: the next block starts), a blank
# line, or a line that is not an addressee.
_BLOCK_END = re.compile(r"\n[ \t]*(?:(INFO[ \t]+)|(?=\n|$|BT\b|ZEN\b|ZFR\b|NNNN|E\.?O\.?[ \t]|TAGS|SUBJECT))")
# One addressee line: routing indicator, name, precedence words, continuity number.
# Bounded (addressee lines are short) and possessive, so a hostile line of blanks costs
# at most a few hundred steps per character, never a rescan of the whole header.
_ADDRESSEE = re.compile(
    r"(?m)^[ \t]*+(?:R[A-Z]{3,7}/)?([^\n]{0,200}?)(?:[ \t]++(?:IMMEDIATE|PRIORITY|ROUTINE|FLASH|NIACT))*+"
    r"(?:[ \t]++\d{1,5})?[ \t]*+$"
)


@dataclass(frozen=True, slots=True)
class Dtg:
    precedence: str | None  # "IMMEDIATE" ...
    when: datetime | None  # None when the group names an impossible date
    text: str  # normalised: "110626Z APR 08"


@dataclass(frozen=True, slots=True)
class DeLine:
    routing_indicator: str  # "RUEHKO"
    serial: int  # 1002 (cut to four digits by the format)


def _when(year: int, month: int, day: int, hh: int, mm: int) -> datetime | None:
    try:
        return datetime(year, month, day, hh, mm)
    except ValueError:
        return None


def find_dtg(routing: str, *, loose: bool) -> Dtg | None:
    """The DTG line of a routing header; ``loose`` also accepts a DTG anywhere in it.

    ``loose`` is for headers whose newlines were lost (``ZZHP 111453Z AUG 06FM``): only
    safe when ``routing`` really is the part above a banner, never body text whose REF
    block cites messages by DTG.
    """
    m = _DTG_LINE.search(routing)
    if m:
        when = _when(full_year(int(m.group("yy"))), MONTHS[m.group("mon")], int(m.group("day")), int(m.group("hh")), int(m.group("mm")))
        text = normalise_dtg(m.group(0).strip()) or m.group(0).strip()
        return Dtg(PRECEDENCE.get(m.group("prec") or ""), when, text)
    found = normalise_dtg(routing) if loose else None
    if found:  # "162245Z OCT 08"
        when = _when(full_year(int(found[12:])), MONTHS[found[8:11]], int(found[0:2]), int(found[2:4]), int(found[4:6]))
        return Dtg(None, when, found)
    return None


def find_de(routing: str) -> DeLine | None:
    m = _DE.search(routing)
    return DeLine(m.group(1), int(m.group(2))) if m else None


def find_fm(routing: str) -> tuple[str, int] | None:
    """(the FM line's station name, where the line ends) or None."""
    m = _FM.search(routing)
    return (m.group(1).strip(), m.end()) if m else None


def precedence_of(routing: str, dtg: Dtg | None) -> str | None:
    if dtg is not None and dtg.precedence:
        return dtg.precedence
    m = _PREC_LINE.search(routing)
    return PRECEDENCE.get(m.group(1)) if m else None


def zny_classification(routing: str) -> str | None:
    """``ZNY CCCCC`` -> CONFIDENTIAL: the transmission classification code."""
    m = _ZNY.search(routing)
    return _ZNY_CLASS[m.group(1)] if m else None


def addressees(routing: str, after: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """TO and INFO addressees, read from ``after`` (the end of the FM line) on.

    TO runs to the INFO line, INFO to a blank line or the end of the header.  An
    ``INFO  LOG-00`` distribution block above the FM line is never reached.  Each
    addressee loses its routing indicator, precedence and continuity number:
    ``RUEHC/SECSTATE WASHDC IMMEDIATE 3388`` -> ``SECSTATE WASHDC``.
    """
    to_key = _TO.search(routing, after)
    if to_key is None:
        return (), ()
    end = _BLOCK_END.search(routing, to_key.end())
    to_end = end.start() if end else len(routing)
    to = _names(routing[to_key.end() : to_end])
    if end is None or not end.group(1):  # no INFO line: the addressees end here
        return to, ()
    info_start = end.end()
    stop = _BLOCK_END.search(routing, info_start)
    while stop is not None and stop.group(1):  # a second INFO line continues the list
        stop = _BLOCK_END.search(routing, stop.end())
    return to, _names(routing[info_start : stop.start() if stop else len(routing)])


def _names(block: str) -> tuple[str, ...]:
    return tuple(" ".join(name.split()) for name in _ADDRESSEE.findall(block) if name.strip())
