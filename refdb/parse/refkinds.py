"""What a REF item is when it is not a cable: e-mail, telcon, letter, DTG message ...

About 4% of REF items name something other than a telegram (``HANKINS JUNE 18 E-MAIL``,
``IIR 6 809 0120 09``, ``SECDEF R162245Z OCT 08``).  Such items keep their text and get
a :class:`~refdb.model.RefKind`; they must never be read as cables, because their dates
and report numbers look like serials (``HANKINS JUNE 18`` is not post HANKINS, serial 18).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from refdb.model import RefKind

__all__ = ["ItemKind", "classify", "find_dtg", "is_described", "KIND_WORDS", "DESCRIPTIVE_WORDS"]

_MONTHS = r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]{0,6}"

# A date-time group: optional precedence letter, day+hour+minute, Z, month, year
# ("R162245Z OCT 08", "301601z SEP 08").  Fixed-width pieces: no backtracking.
_DTG = re.compile(
    rf"(?:(?<![A-Za-z0-9])|(?<=DTG))[OPRZ]?(\d{{6}})\s?Z\s{{0,3}}({_MONTHS})\s{{0,3}}(\d{{4}}|\d{{2}})(?![0-9])",
    re.IGNORECASE,
)

# One pattern per kind.  Each is a plain alternation of words: cheap and linear.
_KIND_PATTERNS: tuple[tuple[RefKind, re.Pattern[str]], ...] = (
    (RefKind.WEB_PAGE, re.compile(r"(?:https?://|\bwww\.)|\.(?:gov|com|org|net|int)\b", re.IGNORECASE)),
    (
        RefKind.INTEL_REPORT,
        re.compile(
            r"\b(?:IIRs?|TD|TDX|INTSUM|INTELLIGENCE\s+(?:INFORMATION\s+)?REPORTS?|DIA\s+REPORT|CIA\s+REPORT)\b"
            r"|\bTDX?-\d",
            re.IGNORECASE,
        ),
    ),
    (
        RefKind.UN_DOCUMENT,
        re.compile(
            r"\b(?:UNSCRs?|UNSC\s+RESOLUTIONS?|RESOLUTIONS?|S/RES|A/RES|UNGA)\b|\b[SA]/(?:RES/)?\d{2,4}/\d",
            re.IGNORECASE,
        ),
    ),
    (
        RefKind.PRESS_REPORT,
        re.compile(
            r"\b(?:OSC|FBIS|PRESS|NEWSPAPERS?|ARTICLES?|MEDIA\s+REACTION|NEWS|WIRE\s+SERVICE|"
            r"REUTERS|AFP|BBC)\b",
            re.IGNORECASE,
        ),
    ),
    (RefKind.EMAIL, re.compile(r"\bE-?\s?MAILS?\b|\bEMAILED\b|\bE-MAILED\b", re.IGNORECASE)),
    (
        RefKind.TELCON,
        re.compile(
            r"\b(?:TELCONS?|TELECONS?|TELECONFERENCES?|TELEPHONE|PHONE|PHONECALLS?|CALLS?|MEETINGS?|"
            r"CONVERSATIONS?|DISCUSSIONS?|VTCS?|SVTCS?|DVCS?|VIDEO\s?CONFERENCES?|CONSULTATIONS?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        RefKind.LETTER,
        re.compile(
            r"\b(?:LETTERS?|MEMOS?|MEMORANDUM|MEMORANDA|MEMCONS?|FAX(?:ES)?|DIPNOTES?|DIPLOMATIC\s+NOTES?|"
            r"NOTE\s+VERBALE|NOTES?|NON[- ]?PAPERS?|AIDE[- ]MEMOIRES?|AIRGRAMS?|A-\d+|O-I|O/I|OI|"
            r"VERBAL\s+(?:MSG|MESSAGE))\b",
            re.IGNORECASE,
        ),
    ),
)

_ANY_KIND = re.compile("|".join(f"(?:{p.pattern})" for _, p in _KIND_PATTERNS), re.IGNORECASE)

# Words naming a document that is neither a cable nor one of the kinds above
# ("RELIGIOUS FREEDOM REPORT", "PARIS POINTS OF 5/16", "9 FAM 42.1", "SEPTEL").  An
# item that names no cable but holds one of these is a described document (kind
# OTHER); one without is text the parser could not read.
DESCRIPTIVE_WORDS = frozenset(
    "REPORT REPORTS DAILY POINT POINTS PAPER PAPERS GUIDANCE GUIDEBOOK INSTRUCTION INSTRUCTIONS STATEMENT "
    "STATEMENTS SPEECH TESTIMONY BRIEFING BRIEFINGS DEMARCHE DEMARCHES REQUEST REQUESTS AGREEMENT AGREEMENTS "
    "STRATEGY PLAN STUDY SURVEY BUDGET LIST SCHEDULE PROGRAM ANNOUNCEMENT DRAFT TEXT TRIP VISIT CONFERENCE "
    "DECISION LAW DECREE CIRCULAR BULLETIN SUMMARY DIGEST UPDATE ASSESSMENT TASKER TASKERS TASKING MESSAGE "
    "MESSAGES NOTICE WEBSITE REVIEW REGULATION REGULATIONS RULE RULES ACT CODE CHARTER TREATY CONVENTION "
    "DECLARATION COMMUNIQUE STATISTICS ORDER ORDERS DIRECTIVE ANALYSIS MINUTES TRANSCRIPT CORRESPONDENCE "
    "STATUTE CONSTITUTION ASDAR DATABASE DOC DOCUMENT DOCUMENTS CONTRACT PROPOSAL PRESENTATION TALKERS SEPTEL "
    "SEPTELS FAM FAH CFR USC MOU TOR CABLE TELEGRAM BIO BIOS FILE FILES INFORMATION ATTACHMENT ANNEX INCSR".split()
)
_REDACTION = re.compile(r"X{6,}+", re.IGNORECASE)
_DESCRIPTIVE = re.compile(r"\b(?:" + "|".join(sorted(DESCRIPTIVE_WORDS)) + r"|U\.S\.C)\b", re.IGNORECASE)

# Single words that name a non-cable document: never part of a post name, so
# "RICHARD-WITMER EMAIL 10/9" cannot be read as post RICHARD-WITMER EMAIL, serial 10.
KIND_WORDS = frozenset(
    "EMAIL EMAILS E-MAIL E-MAILS EMAILED TELCON TELCONS TELECON TELECONS TELEPHONE PHONE CALL CALLS MEETING "
    "MEETINGS CONVERSATION CONVERSATIONS DISCUSSION DISCUSSIONS VTC SVTC DVC LETTER LETTERS MEMO MEMOS "
    "MEMORANDUM MEMCON FAX FAXES DIPNOTE DIPNOTES NOTE NOTES NON-PAPER NONPAPER IIR IIRS TD OSC FBIS PRESS "
    "NEWSPAPER ARTICLE UNSCR RESOLUTION REPORT REPORTS DAILY POINTS SEPTEL SEPTELS FAM".split()
)

# Words before a DTG that name the message, not its sender ("SECDEF MSG DTG ...").
_NOT_SENDER = frozenset({"MSG", "MESSAGE", "DTG", "REPORT", "CABLE", "TEL", "TELEGRAM", "DATED", "OF"})


@dataclass(frozen=True, slots=True)
class ItemKind:
    """The kind of a non-cable item, with the DTG fields when it has a date-time group."""

    kind: RefKind
    dtg_sender: str | None = None
    dtg: str | None = None


def is_described(text: str) -> bool:
    """True when ``text`` names a kind of document (report, points, law ...) in words,
    or was redacted by the publisher (``XXXXXXXXXXXX``): either way nothing is missed."""
    return _DESCRIPTIVE.search(text) is not None or _REDACTION.search(text) is not None


def find_dtg(text: str) -> tuple[int, int, str] | None:
    """The first date-time group in ``text``: (start, end, ``"162245Z OCT 08"``)."""
    m = _DTG.search(text)
    if m is None:
        return None
    return m.start(), m.end(), f"{m.group(1)}Z {m.group(2)[:3].upper()} {m.group(3)}"


def classify(text: str) -> ItemKind | None:
    """The kind of a REF item's text when it names something other than a cable.

    Returns None when no kind word is present (the item may be a cable).  When
    several kinds are named, the one written first wins ("TELCONS AND EMAILS" is a
    telcon).  Words inside parentheses are a title, so they count only when nothing
    outside does (callers also keep an item that opens with a cable a cable:
    ``BANGKOK 3226 (HOPES FOR MEDIATION MEETING)``).
    """
    if _ANY_KIND.search(text) is None and "Z" not in text and "z" not in text:
        return None  # the common case, a cable: one search instead of eight
    best = _first_kind(_drop_parenthesised(text))
    if best is None:
        # only inside brackets: "2006 AND PRIOR (WWW.STATE.SGOV.GOV/...)", "(SUBJ: IIR ...)"
        best = _first_kind(text)
    dtg = find_dtg(text)
    if dtg is not None and (best is None or best[2] in (RefKind.TELCON, RefKind.LETTER)):
        # A message known by sender and DTG ("SECDEF MSG DTG 301601Z SEP 08").
        return ItemKind(RefKind.DTG_MESSAGE, _dtg_sender(text[: dtg[0]]), dtg[2])
    if best is None:
        return None
    if dtg is not None:
        return ItemKind(best[2], None, dtg[2])
    return ItemKind(best[2])


def _first_kind(text: str) -> tuple[int, int, RefKind] | None:
    """(position, rank, kind) of the kind word written first in ``text``."""
    best: tuple[int, int, RefKind] | None = None
    for rank, (kind, pattern) in enumerate(_KIND_PATTERNS):
        m = pattern.search(text)
        if m and (best is None or (m.start(), rank) < best[:2]):
            best = (m.start(), rank, kind)
    return best


def _dtg_sender(before: str) -> str | None:
    """The sender named before a DTG: the leading words up to a number or MSG/DTG."""
    words: list[str] = []
    for word in before.replace("/", " ").split():
        w = word.strip(".,;:()").upper()
        if not w or not w.isalpha() or w in _NOT_SENDER:
            break
        words.append(w)
    return " ".join(words) or None


def _drop_parenthesised(text: str) -> str:
    """``text`` without its (...) groups; unbalanced parentheses are kept as text."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
            out.append(" ")
        elif ch == ")" and depth:
            depth -= 1
            out.append(" ")
        elif depth:
            out.append(" ")
        else:
            out.append(ch)
    if depth:
        return text
    return "".join(out)
