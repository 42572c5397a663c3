"""Where the REF blocks of a cable's heading are, and how their lines split into lettered items.

Only the heading is searched (a bounded window that ends at the first numbered
paragraph).  A block starts at a keyword (``REF:``, ``REFS:``, ``Ref A:`` ...) and runs
line by line until the next part of the heading (``Classified By``, a numbered
paragraph, a new ``REF:``), or a blank line that does not open the next letter.
Page-break headers, banners and web debris are blanked where they fall, with the same
length, so offsets stay those of the text.  Letters are read in order as lines come
(``_MarkerState``); the tokens between them are the items that :mod:`refblock` reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from refdb.parse.refitem import Token, opens_with_cable, tokenize

__all__ = ["RefBlock", "Marker", "Scan", "scan_blocks"]

# The heading is never longer than this; the keyword search stops here even when a
# text has no numbered paragraph (hostile or flattened input).
_HEADING_MAX = 30_000

# A block never runs longer than this (a real one is a few hundred characters; 10,000
# lettered items of a line each, "     A. TOKYO 1234", fit): hostile input cannot make
# one block cost more than a bounded amount.
_BLOCK_MAX = 400_000

# "REF:", "REFS:", "REF(S):", "REFTEL:", "REFTELS:", "Ref:", "REFERENCE(S):", "REFREF:".
# Also "REF A: REYKJAVIK 107" / "REF A) LONDON 2351": the keyword written with the first letter.
_KEYWORD = re.compile(
    r"(?<![A-Za-z])(?:REF)?(?:"
    r"(?:REF(?:S|\(S\)|TELS?|TEL\(S\))?|(?P<long>REFERENCES?|REFERENCE\(S\)))\.?[ \t]*:"
    r"|REF(?:S|TELS?)?(?=[ \t]{1,4}(?:\([A-Za-z]\)|[A-Za-z][.):])[ \t]))",
    re.IGNORECASE,
)
# The first numbered paragraph closes the heading: "1. (C)", "¶1.", "[1](#)1.".
_FIRST_PARAGRAPH = re.compile(
    r"(?m)^[ \t]*(?:\u00b6|\ufffd|\[\d{1,4}\]\(#\))?[ \t]*1[ \t]?\.(?:[ \t]|\()"
    # flattened texts keep the body on the heading's line: "... REASON: 1.4 (b) 1. (C) Summary"
    r"|(?<![\w.])1\.[ \t]{0,3}\((?:U|C|S|SBU|S/NF|C/NF|S//NF|U//FOUO|TS)\)"
)

# Debris that may sit anywhere inside a block; blanked (same length) before reading.
# Every branch starts with a fixed character, so the regex engine skips ahead fast.
_DEBRIS = re.compile(
    r"\[\d{1,4}\]\(\#\)"  # web-scrape paragraph anchor
    r"|[\u00b6\ufffd]"  # pilcrow, or the U+FFFD it became in PDF text
    r"|\\(?=[ \t]*$)"  # line-continuation backslash of some CSV exports
    r"|SIPDIS\b"
    # a classification word alone at the end of a line (old page breaks)
    r"|(?:CONFIDENTIAL|SECRET|UNCLASSIFIED|LIMITED OFFICIAL USE)(?=[ \t]*$)"
)
# Page headers and banners, looked for only on lines that hold "OF" or a spaced banner.
_PAGE_DEBRIS = re.compile(
    # old page header: "PAGE 02 HARARE 05461 01 OF 02 271458Z"
    r"\bPAGE[ \t]+\d{2,3}[ \t]+(?:[A-Z][A-Z.'-]*+[ \t]+){1,5}\d{4,6}[ \t]+\d{2,3}(?:\.\d)?[ \t]+OF[ \t]+\d{2,3}"
    r"(?:[ \t]+\d{6}Z)?"
    # page-break header: "TOKYO 00001002 002 OF 002", "BRASILIA 00000526 001.2 OF 002"
    # (a serial may be glued before it: "CAIRO 507CAIRO 00000524 001.2 OF 002")
    r"|(?<![A-Za-z])(?:[A-Z][A-Z.'-]*+[ \t]+){1,5}\d{6,8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}\b"
    # spaced classification banner, with its section and cable number
    r"|(?<![A-Za-z])(?:[A-Z] ){4,}[A-Z](?![A-Za-z])(?:[ \t]+SECTION[ \t]+\d+[ \t]+OF[ \t]+\d+)?"
    r"(?:[ \t]+(?:[A-Z][A-Z.'-]*+[ \t]+){1,5}\d{5,8})?"
    # banner written plainly: "CONFIDENTIAL SECTION 02 OF 03"
    r"|\b(?:CONFIDENTIAL|SECRET|UNCLASSIFIED|UNCLAS)[ \t]+SECTION[ \t]+\d+[ \t]+OF[ \t]+\d+"
)
_PAGE_HINTS = (" OF ", "N F I", "E C R", "N C L", "R E C")

# Text that ends a block wherever it appears in a block line: the next part of the
# heading, or the body, glued on (flattened texts keep a whole heading on one line).
# Searched in " " + line, so that branches can start with a blank instead of a
# look-behind: every branch then starts with a fixed character, which keeps it fast.
_INLINE_STOP = re.compile(
    r"Classified[ \t]+[Bb]y|CLASSIFIED[ \t]+BY|Classification:|CLASSIFICATION:"
    r"|Derived[ \t]+[Ff]rom\b|DERIVED[ \t]+FROM\b|DECL:|Declassify[ \t]+[Oo]n"
    r"|E\.[ \t]?O\.[ \t]?1\d{4}|EO[ \t]1\d{4}|TAGS:|SUBJECT:"
    r"|BEGIN[ \t]+SUMMARY|SUMMARY[ \t]*[:.]|Summary[ \t]*[:.]|PLEASE[ \t]+PASS\b|Please[ \t]+pass\b"
    r"|-{3,}|_{3,}|={3,}|\*{3,}"
    r"|\u00b6[ \t]?\d|\ufffd[ \t]?\d|\[\d{1,4}\]\(#\)[ \t]?\d"
    # a numbered paragraph: "1. (C)", "1.  In response", "1.The"
    r"|[ \t(]\d{1,2}\.(?:[ \t]{0,3}\((?:U|C|S|SBU|S/NF|C/NF|S//NF|U//FOUO|TS)\)|[ \t]{0,3}[A-Z][a-z])"
    # a paragraph number after a collapsed line break: "...  1.  REFTEL REQUESTS INPUT"
    r"|[ \t]{2}\d{1,2}\.[ \t]"
    r"|\((?:SBU|S/NF|C/NF|S//NF|U//FOUO|SBU/NF|S/REL|TS)\)"
    # a paragraph mark followed by prose: "(U) Allegations of forced labor ..."
    r"|\((?:U|C|S)\)[ \t]+[A-Z]?[a-z]"
    r"|SENSITIVE[ \t]+BUT\b|Sensitive[ \t]+[Bb]ut\b|THIS[ \t]+CABLE\b|This[ \t]+cable\b"
    # a routing header glued on by some exports, and prose naming the reftel
    r"|VZCZC|[ \t](?:in|per|of|to)[ \t]+reftels?\b"
    r"|Please[ \t]+(?:protect|treat|handle)\b|PLEASE[ \t]+(?:PROTECT|TREAT|HANDLE)\b"
    # prose: a capitalised word and four lower-case ones ("We delivered points in reftel")
    r"| [A-Z][a-z]++[ \t]+[a-z][a-z'-]++[ \t]+[a-z][a-z'-]++[ \t]+[a-z][a-z'-]++[ \t]+[a-z][a-z'-]++"
)
# A line ending in "..." was cut short by the publisher: nothing after it belongs.
_TRUNCATED_LINE = re.compile(r"(?:\.{3,}|(?<=[A-Za-z0-9(])\.\.|\u2026)[ \t]*$")

# A line that, at its start, ends the block (after leading spaces and debris).
_LINE_STOP = re.compile(
    r"(?:Classified|CLASSIFIED|Classification|CLASSIFICATION|DECL|E\.[ \t]?O\.|EO[ \t]1|TAGS|SUBJECT"
    r"|SUMMARY|Summary|BEGIN|Begin|SENSITIVE|Sensitive|THIS[ \t]|This[ \t]|DRAFTED|Drafted|APPROVED|CLEARED"
    r"|UNCLAS|CONFIDENTIAL|SECRET|LIMITED[ \t]OFFICIAL|PLEASE[ \t]PASS"
    r"|[-_=*]{3})"
    r"|\d{1,3}[ \t]?[.)]([ \t]|$)"
    r"|\((?:U|C|S|SBU|S/NF|C/NF|S//NF|U//FOUO|TS)\)",
    re.IGNORECASE,
)
# A line that opens a new REF block ("REF: A. ..." repeated after a blank).
_KEYWORD_LINE = re.compile(
    r"[ \t]*(?:\u00b6|\ufffd|\[\d{1,4}\]\(#\))?[ \t]*(?:REF|REFS|REFTELS?|REF\(S\)|REFERENCES?)[ \t]*:",
    re.IGNORECASE,
)
_HAS_TEXT = re.compile(r"[A-Za-z0-9]")
_BRACKETED_LETTER = re.compile(r"\([A-Z]\)")
_GAP = re.compile(r"[ \t]{2,}+")
# After a gap, what still belongs to the item before it: "(NOTAL)", "AND PREVIOUS", ", 961".
_CONTINUES = re.compile(r"[(,/;&:\-]|(?:AND|And|and|OR|or|NOTAL|EXDIS|NODIS|LIMDIS)\b")
# A serial left on its own line after a blank ("E)PARIS" / blank / "3967, F)PARIS 3853"):
# something must follow it, as a number alone may be a page's record number.
_STARTS_WITH_DIGIT = re.compile(r"[ \t]*\d++[ \t]*[^\s\d]")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_REF_WORDS = frozenset({"REF", "REFS", "REFTEL", "REFTELS"})


@dataclass(frozen=True, slots=True)
class RefBlock:
    """Where one REF block sits: ``start`` (the keyword) to ``end`` (exclusive).

    ``content`` is ``text[content_start:end]`` with debris blanked to spaces, so
    offsets in it still match the original text.
    """

    start: int
    end: int
    content_start: int
    content: str




@dataclass(slots=True)
class Marker:
    """A letter of a block (``A.``, ``(B)``, ``C)``) and where its item starts."""

    letter: str
    at: int  # index in the block's tokens where the item of this letter starts


@dataclass(slots=True)
class Scan:
    """One block as scanned: where it is, its tokens, and its letters in order."""

    block: RefBlock
    toks: list[Token]  # tokens of block.content (offsets index content)
    markers: list[Marker]


# parse_refs and find_mentions both need the blocks of the same text, one call
# after the other: keep the last two scans rather than scan the heading twice.
@lru_cache(maxsize=2)
def scan_blocks(text: str) -> tuple[Scan, ...]:
    limit = min(len(text), _HEADING_MAX)
    # Candidates come from a plain search on an ASCII-lowered copy (one byte per
    # character, so positions match): a case-insensitive regex scan costs ten times more.
    lowered = text[:limit].encode("ascii", "replace").lower()
    heading_end = limit
    para_checked = 0
    scans: list[Scan] = []
    at = lowered.find(b"ref")
    while 0 <= at < heading_end:
        m = _KEYWORD.match(text, at)
        if m is None or (
            (m.group("long") or not m.group().endswith(":") or text[at] == "r")
            and not _at_line_start(text, m.start())
        ):
            # not a keyword; or "TERMS OF REFERENCE:" in a subject, "(ref A) as ..." or
            # "keyed to reftel: -Is ..." in prose: the long, lettered and lower-case forms
            # count only at a line start
            at = lowered.find(b"ref", at + 3)
            continue
        para = _FIRST_PARAGRAPH.search(text, para_checked, m.start())
        if para is not None:
            heading_end = para.start()
            break  # the body has begun: a "REF:" there is not a REF block
        para_checked = m.start()
        scan = _scan_one(text, m.start(), m.end())
        scans.append(scan)
        at = lowered.find(b"ref", max(scan.block.end, m.end()))
    return tuple(scans)


def _at_line_start(text: str, at: int) -> bool:
    line_start = text.rfind("\n", 0, at) + 1
    return not _clean(text[line_start:at]).strip()


def _scan_one(text: str, start: int, content_start: int) -> Scan:
    """Extend a block line by line from its keyword.

    The keyword line always belongs to the block.  A later line belongs to it unless
    it starts a new part of the heading (``Classified By``, ``1.``, a new ``REF:``...),
    or follows a blank line without opening the next lettered item (or giving the
    serial of a post left open: ``B) BRASILIA`` / blank / ``2314``).  Lines that are only
    debris (page-break headers) are skipped.  Stop phrases inside a line end the block
    there (blocks glued to ``Classified By`` on one line).
    """
    toks: list[Token] = []
    markers: list[Marker] = []
    state = _MarkerState()
    pieces: list[str] = []  # the content, debris blanked, so offsets match ``text``
    end = content_start
    pos = content_start
    first = True
    blank_pending = False
    n = len(text)
    limit = min(n, content_start + _BLOCK_MAX)
    while True:
        nl = text.find("\n", pos, limit)
        line_end = limit if nl < 0 else nl
        raw = text[pos:line_end]
        # Find where the block stops first: a flattened text may hold the whole cable
        # on this line, and only the part before the stop is worth cleaning.
        cut_at = _inline_stop(raw, state.expected)
        body = _clean(raw if cut_at is None else raw[:cut_at])
        ends_here = cut_at is not None
        if not first:
            rest = body.lstrip()
            if not rest:
                if ends_here or _KEYWORD_LINE.match(raw):
                    break
                if not _HAS_TEXT.search(raw):
                    blank_pending = True
                # a blank or debris-only line: kept blank, the block may go on
                pieces.append(" " * len(raw))
                if nl < 0:
                    break
                pieces.append("\n")
                pos = nl + 1
                continue
            if _KEYWORD_LINE.match(raw):
                break
            if not state.line_starts_marker(rest):
                if _LINE_STOP.match(rest):
                    break
                if blank_pending and not (
                    state.just_marked
                    or (state.open_post and _STARTS_WITH_DIGIT.match(raw))
                    or state.line_holds_marker(rest)
                ):
                    break  # a blank line ends the block unless a letter or a post awaits its text
            blank_pending = False
        first = False
        cut = _feed_line(body, pos - content_start, state, toks, markers)
        if cut is not None:
            body = body[:cut]
            ends_here = True
        pieces.append(body)
        if body.strip():
            end = pos + len(body.rstrip())
        if ends_here or nl < 0 or _TRUNCATED_LINE.search(body):
            break
        pieces.append(" " * (len(raw) - len(body)) + "\n")
        pos = nl + 1
    content = "".join(pieces)[: end - content_start]
    return Scan(RefBlock(start, end, content_start, content), toks, markers)


def _feed_line(
    body: str, base: int, state: _MarkerState, toks: list[Token], markers: list[Marker]
) -> int | None:
    """Feed one line's tokens; return where in ``body`` the block ends, if it ends here.

    A run of blanks inside a line often stands for a lost line break (texts whose
    newlines were collapsed to double spaces): text after it stays in the block only
    if it opens the next letter, continues an open item (``AUCKLAND   118``,
    ``STATE 123  (NOTAL)``) or names another cable (``HANOI 60 (...)  HANOI 330``).
    """
    start = 0
    for gap in _GAP.finditer(body):
        piece = body[start : gap.start()]
        if piece.strip():
            cut = state.feed(tokenize(piece, base + start), toks, markers)
            if cut is not None:
                return cut - base
            after = body[gap.end() :]
            if after and not (
                state.line_starts_marker(after)
                or state.open_post
                or state.just_marked
                or _CONTINUES.match(after)
                or _STARTS_WITH_DIGIT.match(after)
                or opens_with_cable(after)
            ):
                return gap.start()
        start = gap.end()
    piece = body[start:]
    if piece.strip():
        cut = state.feed(tokenize(piece, base + start), toks, markers)
        if cut is not None:
            return cut - base
    return None


def _inline_stop(raw: str, expected: str) -> int | None:
    """Where a stop phrase cuts the line ``raw``, if one does."""
    padded = " " + raw
    stop = _INLINE_STOP.search(padded)
    while stop is not None and _opens_letter(padded, stop.start(), stop.group(), expected):
        # "(C) Sao Paulo 319" opens item C; it is not a paragraph mark before prose
        stop = _INLINE_STOP.search(padded, stop.start() + 3)
    if stop is None:
        return None
    at = stop.start()
    while padded[at] in " \t":
        at += 1  # branches that start with a blank: the stop is what follows it
    return at - 1


def _opens_letter(line: str, at: int, found: str, expected: str) -> bool:
    """Whether a ``(C)`` the stop search found is a letter of the block, not a paragraph mark.

    It is when it is the letter expected next, or when the line already used
    bracketed letters before it (``(A) Brasilia 3089, (B) Brasilia 3070 (C) Brasilia``).
    """
    if len(found) < 3 or found[0] != "(" or found[2] != ")":
        return False
    return found[1] == expected or _BRACKETED_LETTER.search(line, 0, at) is not None


def _clean(raw: str) -> str:
    """``raw`` with debris blanked out, same length."""
    cleaned = _DEBRIS.sub(_blank, raw)
    if any(hint in cleaned for hint in _PAGE_HINTS):
        cleaned = _PAGE_DEBRIS.sub(_blank, cleaned)
    return cleaned


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


class _MarkerState:
    """Reads the letters of a block as its lines come, and drops what only repeats them.

    Letters are accepted in order (A, B, C ...), so initials inside an item
    (``Jaskel - F. Evans``) are not taken for letters.  A letter written twice
    (``A. (A)``, ``B. B)``, ``A. REF A:``) counts once.  A ``REF:`` right after the
    keyword or a letter is a repeat (``REF: A. REF: KATHMANDU 2282``); elsewhere it
    starts a new block.
    """

    def __init__(self) -> None:
        self.expected = "A"
        self.last: str | None = None
        self.just_marked = False  # no content since the last letter
        self.started = False  # some content or a letter seen
        self.open_post = False  # the last content token is a word: a post may await its serial

    def line_starts_marker(self, rest: str) -> bool:
        lt = tokenize(rest[:16])
        if not lt:
            return False
        got = _marker_at(lt, 0) or _ref_marker_at(lt, 0)
        if got is not None:
            return got[0].upper() == self.expected
        return self._bare_letter(lt, 0) == self.expected and bool(self.last)

    def line_holds_marker(self, rest: str) -> bool:
        """``OF 10/6 D) STATE 215870``: the next letter inside a short line (after a blank)."""
        if self.last is None or len(rest) > 120:
            return False
        letter = re.escape(self.expected)
        return re.search(rf"(?<![A-Za-z0-9])(?:\({letter}\)|{letter}[.)])[ \t]", rest) is not None

    def feed(self, lt: list[Token], toks: list[Token], markers: list[Marker]) -> int | None:
        """Take one line's tokens; return the offset where the block must end, if any."""
        j = 0
        n = len(lt)
        while j < n:
            t = lt[j]
            if self.just_marked and t.text == ")":
                j += 1  # "A. ) STATE 064404": a stray bracket after the letter
                continue
            if t.text.upper() in _REF_WORDS:
                ref = _ref_marker_at(lt, j)
                if ref is not None:
                    letter, nj, punct = ref
                    if self._take(letter, punct or not self.started, toks, markers):
                        j = nj
                        continue
                else:
                    nj = j + 1 + (1 if j + 1 < n and lt[j + 1].text == ":" else 0)
                    if not self.started or self.just_marked:
                        j = nj  # "REF: REF: A)", "A. REF: KATHMANDU 2282"
                        continue
                    if nj > j + 1:
                        return t.start  # a new "REF:" keyword: the block ends here
            if _boundary(lt, j) or self.just_marked or self._glued_letter(lt, j):
                got = _marker_at(lt, j)
                if got is not None:
                    letter, nj = got
                    if self._take(letter, True, toks, markers):
                        j = nj
                        continue
                bare = self._bare_letter(lt, j)
                if bare is not None and (
                    (self.just_marked and bare == self.last) or (j == 0 and self.last and bare == self.expected)
                ):
                    # "¶B. B HAVANA 772" (repeat) or a letter missing its dot at a line start
                    self._take(bare, True, toks, markers)
                    j += 1
                    continue
            toks.append(t)
            self.started = True
            self.just_marked = False
            self.open_post = t.kind == "word" or t.text in {",", "/", ":"} or t.text.upper() == "AND"
            j += 1
        return None

    def _take(self, letter: str, may_open: bool, toks: list[Token], markers: list[Marker]) -> bool:
        """Accept a letter: a repeat of the one just read, or the next one in order."""
        up = letter.upper()
        if self.just_marked and up == self.last:
            return True
        if may_open and (up == self.expected or not self.started):
            markers.append(Marker(up, len(toks)))
            self.last = up
            idx = _LETTERS.find(up)
            self.expected = _LETTERS[idx + 1] if 0 <= idx < 25 else "?"
            self.started = True
            self.just_marked = True
            self.open_post = False
            return True
        return False

    def _glued_letter(self, lt: list[Token], j: int) -> bool:
        """``021770B.``: the next letter glued to the serial before it."""
        return (
            j > 0
            and lt[j - 1].kind == "num"
            and _single_letter(lt[j])
            and lt[j].text.upper() == self.expected
            and j + 1 < len(lt)
            and lt[j + 1].text == "."
        )

    @staticmethod
    def _bare_letter(lt: list[Token], j: int) -> str | None:
        """A lone capital letter followed by a space and a word or number."""
        t = lt[j]
        if not (_single_letter(t) and t.text.isupper() and j + 1 < len(lt)):
            return None
        nxt = lt[j + 1]
        if nxt.start > t.end and nxt.kind in {"word", "num"} and len(nxt.text) > 1:
            return t.text
        return None


def _boundary(lt: list[Token], j: int) -> bool:
    """A letter must stand alone: at a line start, after a space or a comma."""
    if j == 0:
        return True
    prev = lt[j - 1]
    return prev.end < lt[j].start or prev.text in {",", ";"}


def _marker_at(lt: list[Token], i: int) -> tuple[str, int] | None:
    """``(A)``, ``A.``, ``A)``, ``A.)`` or ``A:`` at token ``i``: (letter, next index)."""
    n = len(lt)
    t = lt[i]
    if t.text == "(" and i + 2 < n and _single_letter(lt[i + 1]) and lt[i + 2].text == ")":
        return lt[i + 1].text, i + 3
    if _single_letter(t) and i + 1 < n and lt[i + 1].start == t.end:
        nxt = lt[i + 1].text
        if nxt in {")", ":"}:
            return t.text, i + 2
        if nxt == ".":
            if i + 2 < n and lt[i + 2].text == ")" and lt[i + 2].start == lt[i + 1].end:
                return t.text, i + 3
            if i + 3 < n and lt[i + 2].start == lt[i + 1].end and _single_letter(lt[i + 2]) and lt[i + 3].text == ".":
                return None  # "U.S.": an abbreviation, not a letter
            return t.text, i + 2
    return None


def _ref_marker_at(lt: list[Token], i: int) -> tuple[str, int, bool] | None:
    """``REF A:``, ``REF A)``, ``REF A``: a letter written with the keyword.

    The flag tells whether punctuation closes the letter; a bare ``REF A`` only
    repeats a letter just read (``A. REF A LIMA 3646``).
    """
    n = len(lt)
    if lt[i].text.upper() not in _REF_WORDS or i + 1 >= n:
        return None
    j = i + 1
    if lt[j].text == "(" and j + 2 < n and _single_letter(lt[j + 1]) and lt[j + 2].text == ")":
        letter, j = lt[j + 1].text, j + 3
    elif _single_letter(lt[j]) and lt[j].text.isupper():
        letter, j = lt[j].text, j + 1
    else:
        return None
    if j < n and lt[j].text in {":", ".", ")"} and lt[j].start == lt[j - 1].end:
        return letter, j + 1, True
    if j < n and lt[j].start == lt[j - 1].end and lt[j].kind != "punct":
        return None  # "REF AB..." is not a letter
    return letter, j, False


def _single_letter(t: Token) -> bool:
    return t.kind == "word" and len(t.text) == 1
