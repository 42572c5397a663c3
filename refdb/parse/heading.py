"""The heading below the routing header: banner, caveats, E.O. line, TAGS, SUBJECT,
Classified By; and the signer at the very end.

::

    C O N F I D E N T I A L SECTION 01 OF 02 TOKYO 001002     banner: classification, post, serial
    SIPDIS                                                    caveats
    E.O. 12958: DECL: 04/11/2018
    TAGS: PREL MARR PARM JA RS
    SUBJECT: MOSCOW LINKS EUROPEAN AND ASIAN SECURITY         may span lines
    ENVIRONMENTS DURING JAPAN-RUSSIA STRATEGIC DIALOGUE
    REF: ...
    Classified By: ...
    ¶1. (C) Summary. ...                                      the heading ends here

The same fields also come flattened (mongo JSON bodies: newlines became double spaces;
tathagata TXT: one long line), so field ends are found by what follows a field, not
only by line ends.  Patterns begin with literals and run over the heading only (a few
hundred characters); none is case-insensitive (that disables the regex engine's fast
scan), re-cased exports are matched with explicit alternatives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "Banner",
    "find_banner",
    "find_page_break",
    "heading_end",
    "normalise_classification",
    "caveats",
    "declassify_on",
    "tags",
    "subject",
    "classified_by",
    "signer",
    "date_line",
    "field_starts",
]

HEADING_SPAN = 6_000  # banner -> first paragraph, at most
_TAIL_SPAN = 400

_CLASS = (
    r"(?P<cls>T ?O ?P[ \t]+S ?E ?C ?R ?E ?T|U ?N ?C ?L ?A ?S ?S ?I ?F ?I ?E ?D|U ?N ?C ?L ?A ?S|"
    r"C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L|S ?E ?C ?R ?E ?T|LIMITED[ \t]+OFFICIAL[ \t]+USE)"
)
_BANNER_CAVEATS = (
    r"(?P<cav>(?:(?:E ?F ?T ?O|SENSITIVE|N ?O ?F ?O ?R ?N|SIPDIS|EXDIS|NODIS|LIMDIS|STADIS|"
    r"LIMITED[ \t]+OFFICIAL[ \t]+USE|FOR[ \t]+OFFICIAL[ \t]+USE[ \t]+ONLY)[ \t/]+)*)"
)
# "SECTION 01 OF 02", also garbled ("SCTION 02 OF 02", "SECTION 01 GF 02") or bare ("01 OF 02").
_SECTION = r"(?:(?:[SE][A-Z]{3,7}[ \t]+)?\d{1,2}[ \t]+[Oo0Q][FfG][ \t]+\d{1,2}[ \t]+)?"
_POST = r"(?P<post>(?!PAGE\b|SECTION\b)[A-Z][A-Z.'\-]*(?:[ \t][A-Z][A-Z.'\-]*){0,4})"
_BANNER_BODY = (
    _CLASS + r"[ \t/]+" + _BANNER_CAVEATS + _SECTION + r"(?:(?P<yy>\d{2})[ \t]+)?" + _POST
    + r"[ \t]+0*(?P<serial>\d{1,7})(?![0-9A-Za-z])(?![ \t]+[Oo0Q][FfG]\b)"
)
# A banner opens the text (bodies, JSON records) or a line; after a tab in the
# tab-separated dumps some viewer pages carry.  The literal first character lets the
# regex engine skip to candidates quickly.
_BANNER_TOP = re.compile(r"[ \t\n]*" + _BANNER_BODY)
_BANNER_LINE = re.compile(r"[\n\t][ \t]*" + _BANNER_BODY)
# Re-cased exports ("C o n f i d e n t i a l section 01 of 04 ankara 000348Sipdis"):
# tried only at the very top, when no capitalised banner exists.
_BANNER_ANY_CASE = re.compile(r"[ \t\n]*" + _BANNER_BODY.replace("(?![0-9A-Za-z])", "(?![0-9])"), re.I)
# Page-break header "TOKYO 00001002 002 OF 002": found by its literal tail, then the
# post is read backwards from the line start.
_PAGE_TAIL = re.compile(r"[ \t](?P<serial>\d{4,8})[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}\b")
_PAGE_POST = re.compile(r"[ \t]*(?P<post>[A-Z][A-Z.'\-]*(?: [A-Z][A-Z.'\-]*){0,4})$")

# The numbers of a page-break header inside running text: "TRIPOLI 00000939 001.2 OF 003".
_PAGE_NUMBERS = re.compile(r"[ \t]+\d{8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}")
_PARA_ONE = re.compile(r"1[.)][ \t]*\((?:U|C|S|SBU|S/NF|C/NF|SBU/NF|U//FOUO)\)")
_CAVEAT = re.compile(
    r"(?:SIPDIS|N ?O ?F ?O ?R ?N|NODIS|EXDIS|LIMDIS|STADIS|ROGER|CHEROKEE|E ?F ?T ?O|SENSITIVE|ORCON|PROPIN|NOCONTRACT|"
    r"FOR OFFICIAL USE ONLY)\b"
)
# "E.O. 12958:", "EO 12958", "E.o. 12958:" (re-cased), "E.O. 1295:" (a digit lost).
_EO = re.compile(r"(?:E\.[ \t]?O\.?|EO|E\.o\.?)[ \t]*+:?[ \t]*+1\d{3,4}[ \t]*+:?[ \t]*+")
_DECL_WORD = re.compile(r"(?:DECL(?:ASSIFY)?|[Dd]ecl)(?:[ \t]++ON)?[ \t]*+:?[ \t]*+")
# "(?<![A-Za-z])" rather than "\b": flattened bodies glue the next field onto the date
# ("DECL: 05/21/2015TAGS: PREL ..."), and there is no word boundary between 5 and T.
_EO_END = re.compile(r"[ \t]{2,}|(?<![A-Za-z])(?:TAGS?|Tags|SUBJ(?:ECT)?)\b|(?:TAGS|SUBJECT)[ \t]*:")
_TAGS = re.compile(r"(?:TAGS?|Tags)\b[ \t]*+:?[ \t]*+")
_TAGS_END = re.compile(r"SUBJ(?:ECT)?[ \t]*:|\bSUBJ(?:ECT)?\b|\bSubject\b|\bREF\b|[ \t]{2,}(?=[A-Z][a-z])|\bE\.?O\.?[ \t]")
_TAG_TOKEN = re.compile(r"[A-Z][A-Z0-9_\-]{0,15}")
_TAG_SPLIT = re.compile(r"[\s,;]+")
_SUBJECT = re.compile(r"(?:SUBJ(?:ECT)?|Subj(?:ect)?)[ \t]*:[ \t]*")
_SUBJECT_END = re.compile(
    r"\n[ \t]*\n|\n(?=[ \t]*(?:REF|Ref|CLASSIFIED|Classified|¶|\d{1,2}[.)][ \t]|\((?:U|C|S|SBU)\)|SUMMARY|Summary|E\.?O\.?[ \t]|TAGS))"
    r"|[ \t]{2,}(?=REF|Ref|CLASSIFIED|Classified|¶|\d{1,2}[.)][ \t]|\((?:U|C|S|SBU)\)|SUMMARY|Summary|[A-Z][A-Z ]{2,30}[ \t]\d{8})"
    r"|REF(?:S|\(S\)|TEL|TELS)?[ \t]*:|Ref\(s\)[ \t]*:|Classified [Bb]y\b|CLASSIFIED BY\b|¶"
    r"|[ \t]+(?=ENTIRE TEXT\b|SENSITIVE BUT UNCLASSIFIED\b|Sensitive but Unclassified\b)"
)
_CLASSIFIED_BY = re.compile(r"(?:Classified|CLASSIFIED)[ \t]+(?:By|BY|by)\b[ \t]*+:?[ \t]*+")
_CLASSIFIED_BY_END = re.compile(
    r"\n[ \t]*\n|\n(?=[ \t]*(?:¶|\d{1,2}[.)][ \t]|\((?:U|C|S|SBU)\)|-{3,}|SUMMARY|Summary))"
    r"|[ \t]{2,}(?=¶|\d{1,2}[.)][ \t]|\((?:U|C|S|SBU)\)|-{3,}|SUMMARY|Summary)|¶"
    r"|[ \t]+(?=\((?:U|C|S|SBU|S/NF|C/NF|SBU/NF|S//NF)\)[ \t])"  # "... (d). (C) CDA made ..."
    r"|[ \t]+(?=\d{1,2}\.[ \t]?[(\[])"  # flattened text: "... (b), (d) 1.(C) Summary"
    r"|[ \t]+(?=(?:Summary|SUMMARY|Begin Summary|BEGIN SUMMARY)\b)"  # "... b,d and h Summary ----"
    r"|(?<=\))\.?[ \t]+(?=[A-Z][a-z]+[ \t][a-z])"  # "... (b), (d) This message was ..."
)
_WS = re.compile(r"\s+")
_DATE_LINE = re.compile(r"day, (?P<day>\d{1,2}) (?P<month>[A-Z][a-z]{2,8}) (?P<year>\d{4}), (?P<hh>\d{1,2}):(?P<mm>\d{2})")
_MONTH_NAMES = {
    name: i
    for i, name in enumerate(
        ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"), 1
    )
}

# A last line that is a name: "MESERVE", "Danilovich", "LeBaron", "W. SMITH".
_NAME_LINE = re.compile(r"[ \t]*([A-Z][A-Za-z.'\-]*(?:[ \t]+[A-Z][A-Za-z.'\-]*){0,2})[ \t]*")
# A name ending the last line after a sentence ("... this cable. Rice"), a page-break
# header, or (flattened text) two spaces before a capitalised name.
_LAST_WORDS = re.compile(
    r"""(?:(?:[.!?;:)"”]|\s-{2,}|\d{3}[ \t]+OF[ \t]+\d{3}|\bEND[ \t]+(?:COMMENT|SUMMARY|TEXT|NOTE)\.?)[ \t]+([A-Z][A-Za-z.'\-]*(?:[ \t][A-Z][A-Za-z.'\-]*)?)"""
    r"""|[ \t]{2}([A-Z][A-Z.'\-]+(?:[ \t][A-Z][A-Z.'\-]+)?))[ \t]*\Z"""
)
# After a signature: a "=====CABLE ENDS=====" rule, or a date stamp ("STEVENS 0 03/04/2008").
_TAIL_DEBRIS = re.compile(r"(?:\n[ \t]*[=*_\-]{3,}[^\n]{0,80}|[ \t]+(?:\d{1,3}[ \t]+)?\d{1,2}/\d{1,2}/\d{2,4})[ \t]*\n?[ \t]*\Z")
_TRAILING_WORDS = ("NNNN", "BT", "CONFIDENTIAL", "SECRET", "UNCLASSIFIED", "UNCLAS", "NOFORN", "SIPDIS", "LIMITED OFFICIAL USE")
_NOT_SIGNERS = frozenset(
    """END COMMENT SUMMARY TEXT NOTE SIPDIS NOFORN CONFIDENTIAL SECRET UNCLASSIFIED UNCLAS BT NNNN
    ACTION INFO PARA PARAS THANKS THANK YOU REGARDS OK YES NO NONE SEPTEL REFTEL STATE DEPT
    MESSAGE CABLE TEL ENDS BEGIN FYI""".split()
)


@dataclass(frozen=True, slots=True)
class Banner:
    start: int
    end: int
    classification: str  # normalised: "CONFIDENTIAL"
    caveats: str  # as written between classification and post: "E F T O "
    yy: int | None  # a year written in the banner (old cables: "75 LIBREVILLE 1895")
    post: str  # as written, upper case: "USUN NEW YORK"
    serial: int
    capitalised: bool  # False for re-cased exports (not compared with metadata)


def normalise_classification(text: str) -> str:
    """``C O N F I D E N T I A L`` -> ``CONFIDENTIAL``; ``UNCLAS`` -> ``UNCLASSIFIED``."""
    words = text.upper().split()
    if words and all(len(w) == 1 for w in words):
        joined = "".join(words).replace("TOPSECRET", "TOP SECRET")
    else:
        joined = " ".join(words)
    return "UNCLASSIFIED" if joined == "UNCLAS" else joined


def _banner(m: re.Match[str], capitalised: bool) -> Banner:
    return Banner(
        m.start("cls"),
        m.end(),
        normalise_classification(m.group("cls")),
        m.group("cav") or "",
        int(m.group("yy")) if m.group("yy") else None,
        m.group("post").upper(),
        int(m.group("serial")),
        capitalised,
    )


def find_banner(text: str, end: int, *, any_case: bool) -> Banner | None:
    """The first classification banner opening the text or a line within ``text[:end]``."""
    m = _BANNER_TOP.match(text, 0, end) or _BANNER_LINE.search(text, 0, end)
    if m:
        return _banner(m, True)
    if any_case:
        m = _BANNER_ANY_CASE.match(text, 0, min(end, 400))
        if m:
            return _banner(m, m.group("cls").isupper())
    return None


def find_page_break(text: str, end: int) -> tuple[str, int] | None:
    """(post, serial) of the first page-break header ``TOKYO 00001002 002 OF 002``."""
    for m in _PAGE_TAIL.finditer(text, 0, end):
        line_start = text.rfind("\n", 0, m.start()) + 1
        post = _PAGE_POST.match(text, line_start, m.start())  # the whole line before the numbers
        if post:
            return post.group("post"), int(m.group("serial"))
    return None


def heading_end(text: str, start: int) -> int:
    """Where the heading ends: the first paragraph (``¶1`` or ``1. (C)``), at most HEADING_SPAN on."""
    limit = min(len(text), start + HEADING_SPAN)
    ends = [limit]
    pilcrow = text.find("¶", start, limit)
    if pilcrow >= 0:
        ends.append(pilcrow)
    for m in _PARA_ONE.finditer(text, start, ends[-1] if pilcrow >= 0 else limit):
        if m.start() == 0 or not text[m.start() - 1].isdigit() and text[m.start() - 1] != ".":
            ends.append(m.start())
            break
    return min(ends)


def field_starts(heading: str) -> int:
    """Where the first of E.O./TAGS/SUBJECT starts (caveats are read above it)."""
    starts = [len(heading)]
    for pattern in (_EO, _TAGS, _SUBJECT):
        m = pattern.search(heading)
        if m:
            starts.append(m.start())
    return min(starts)


def caveats(region: str, meta_classification: str) -> tuple[str, ...]:
    """Handling caveats in the banner-to-E.O. lines and after ``//`` in the metadata."""
    seen: dict[str, None] = {}
    words = [m.group(0) for m in _CAVEAT.finditer(region)]
    words += [part for part in meta_classification.upper().split("//")[1:]]
    for word in words:
        word = word.replace(" ", "")
        if word:
            seen.setdefault("FOUO" if word == "FOROFFICIALUSEONLY" else word, None)
    return tuple(seen)


def declassify_on(heading: str) -> str | None:
    """The E.O. line's declassification value: ``04/11/2018``, ``N/A``, ``OADR``."""
    m = _EO.search(heading)
    if not m:
        return None
    line_end = heading.find("\n", m.end())
    value = heading[m.end() : line_end if line_end >= 0 else m.end() + 80][:80]
    decl = _DECL_WORD.match(value)
    if decl:
        value = value[decl.end() :]
    cut = _EO_END.search(value, 1)
    value = (value[: cut.start()] if cut else value).strip(" \t.;,")
    # A declassification value is a date or a short code (OADR, 1.6X1, N/A); anything
    # longer ran into the next field of a damaged heading: keep its start only.
    return value[:60].rstrip() or None


def tags(heading: str) -> tuple[str, ...]:
    m = _TAGS.search(heading)
    if not m:
        return ()
    line_end = heading.find("\n", m.end())
    value = heading[m.end() : line_end if line_end >= 0 else m.end() + 300][:300]
    cut = _TAGS_END.search(value)
    if cut:
        value = value[: cut.start()]
    tokens = [t for t in _TAG_SPLIT.split(value) if t]
    # Tag codes are capitals; a TAGS line may add free text ("IZ, National Assembly"),
    # which is dropped.  A re-cased export writes everything in lower case: then all
    # tokens are codes.
    if any(t.isupper() for t in tokens):
        tokens = [t for t in tokens if t.isupper()]
    seen: dict[str, None] = {}
    for token in tokens:
        token = token.upper()
        if _TAG_TOKEN.fullmatch(token) and token not in ("AND", "TAGS"):
            seen.setdefault(token, None)
    return tuple(seen)


def subject(heading: str, post: str | None = None) -> str | None:
    """The SUBJECT line(s), joined; a page-break header run into it is cut off, with the
    post (``post``, as the banner writes it) that starts that header."""
    m = _SUBJECT.search(heading)
    if not m:
        return None
    rest = heading[m.end() : m.end() + 600]
    cut = _SUBJECT_END.search(rest)
    value = rest[: cut.start()] if cut else rest[:300]
    page = _PAGE_NUMBERS.search(value)
    if page:
        value = value[: page.start()].rstrip()
        if post and value.endswith(post):
            value = value[: -len(post)]
    value = _WS.sub(" ", value).strip()
    return value or None


def classified_by(text: str, start: int, end: int) -> str | None:
    stop = min(len(text), end + 200)
    m = _CLASSIFIED_BY.search(text, start, stop)
    while m and m.start() > 0 and text[m.start() - 1].isalpha():  # "DECLASSIFIED BY NARA"
        m = _CLASSIFIED_BY.search(text, m.end(), stop)
    if not m:
        return None
    rest = text[m.end() : m.end() + 400]
    cut = _CLASSIFIED_BY_END.search(rest)
    value = rest[: cut.start()] if cut else rest[:300]
    value = re.sub(r"\n[ \t]*(?=[.,])", "", value)  # "Reasons 1\n.4 (B)" -> "Reasons 1.4 (B)"
    value = _WS.sub(" ", value).strip()
    return value or None


def date_line(text: str, start: int, end: int) -> datetime | None:
    """A newspaper-layout date line (``Friday, 27 August 2004, 08:08``) in ``text[start:end]``."""
    m = _DATE_LINE.search(text, start, end)
    if not m:
        return None
    try:
        return datetime(
            int(m.group("year")), _MONTH_NAMES.get(m.group("month"), 0), int(m.group("day")), int(m.group("hh")), int(m.group("mm"))
        )
    except ValueError:
        return None


def _strip_tail(tail: str) -> str:
    """Drop what may follow the signature: spaces, ``\\``, ``>``, NNNN, classification words."""
    end_mark = tail.rfind("NNN")  # end of message (NNNN): what follows is archive debris
    if end_mark >= 0 and len(tail) - end_mark < 120:
        while end_mark > 0 and tail[end_mark - 1] == "N":
            end_mark -= 1
        tail = tail[:end_mark]
    stamp = tail.rfind("Declassified/Released")  # NARA review stamp after the signature
    if stamp >= 0 and len(tail) - stamp < 120:
        tail = tail[:stamp]
    tail = _TAIL_DEBRIS.sub("", tail)
    while True:
        before = tail
        tail = tail.rstrip(" \t\n\\>")
        for word in _TRAILING_WORDS:
            if tail.endswith(word) and (len(tail) == len(word) or not tail[-len(word) - 1].isalnum()):
                tail = tail[: -len(word)]
                break
        if tail.endswith("#") or (tail[-1:].isdigit() and "#" in tail[-8:]):
            tail = tail[: tail.rfind("#")]
        if tail == before:
            return tail


def signer(text: str) -> str | None:
    """The signature: the last line when it is a capitalised name, or the name that ends
    the last sentence (``... this cable. Rice``), upper-cased."""
    tail = _strip_tail(text[-_TAIL_SPAN:])
    if not tail:
        return None
    last = tail[tail.rfind("\n") + 1 :][-80:]  # a flattened body is one long line
    m = _NAME_LINE.fullmatch(last)
    name = m.group(1) if m else None
    if name is None:
        m = _LAST_WORDS.search(last)
        name = (m.group(1) or m.group(2)) if m else None
    if name is None:
        return None
    name = " ".join(name.upper().strip(" .").split())
    if len(name) < 2 or any(word in _NOT_SIGNERS for word in name.split()) or not name.strip("X "):
        return None  # a stop word, or a redacted signature (XXXXXXXXXX)
    return name
