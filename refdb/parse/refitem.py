"""The grammar of one lettered REF item: which cables it names, with years and qualifiers.

An item is what follows one letter of a REF block (``B. 07 TOKYO 5019 (NOTAL)``), or
the whole block when it is not lettered.  It can name several cables
(``NEW DELHI 1261/1263/1264``, ``ROME 2543 AND 2544``, ``ALGIERS 110 AND ALGIERS 140``),
or something that is not a cable at all (an e-mail, a telcon: see :mod:`refkinds`).

The item is first cut into tokens by one linear regex; the grammar then walks the
tokens once.  Every token ends up consumed by a cable reference, a connector, a
qualifier, a title, or is reported as *unread*: that is how the corpus report measures
what the parser did not understand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from refdb.ids import FIRST_YEAR, full_year
from refdb.model import RefKind
from refdb.parse.refkinds import DESCRIPTIVE_WORDS, KIND_WORDS, classify, find_dtg, is_described

__all__ = [
    "Token",
    "tokenize",
    "CableDraft",
    "ItemReading",
    "Prev",
    "read_item",
    "is_connector",
    "is_year_number",
    "opens_with_cable",
]


class Token(NamedTuple):
    kind: str  # "word", "num", "numj", "mix", "dtg", "url", "punct"
    text: str
    start: int
    end: int


# One alternation, tried at each token start (blanks before a token are skipped by the
# same match, so blanks never become tokens).  Runs are possessive ("++"): a failed
# alternative never re-scans the run, so tokenising is linear even on hostile input.
_TOKEN = re.compile(
    r"\s*+(?:"
    r"(?P<url>(?:https?://|www\.)[^\s<>\"()]++)"
    r"|(?P<dtg>[OPRZ]?\d{6}[Zz](?![A-Za-z0-9]))"
    # an ID written the canonical way, "08BOGOTA1517", "CAIRO2292": split into parts below
    r"|(?P<glued>(?:\d{2}){0,2}+[A-Za-z]{3,}+\d{2,8}+(?![A-Za-z0-9\-]))"
    # a year glued to its post, "09RIYADH 1302"
    r"|(?P<yglue>\d{2}(?=[A-Za-z]{3,}+(?![A-Za-z0-9\-])))"
    # a serial glued to the next letter, "STATE 021770B. STATE 039585C."
    r"|(?P<serletter>\d{1,8}+(?=[A-Z]\.(?:\s|$)))"
    r"|(?P<alnum>[A-Za-z0-9]++(?:['\u2019\-][A-Za-z0-9]++)*+)"
    r"|(?P<punct>\S))",
)
_GLUED_PARTS = re.compile(r"(\d*)([A-Za-z]+)(\d+)")
_DIGITS = re.compile(r"\d+")
_NUM_JOINED = re.compile(r"\d+(?:-\d+)+")
_OH_NUMBER = re.compile(r"[0-9O]*[0-9][0-9O]*")  # "O8", "12O3": the letter O typed for zero
_OH_WORD = re.compile(r"[A-Z][A-Z0]*")  # "T0KYO": zero typed for the letter O


def tokenize(text: str, base: int = 0) -> list[Token]:
    """Cut ``text`` into tokens (blanks dropped); offsets are ``base`` + position in ``text``."""
    out: list[Token] = []
    append = out.append
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind is None:
            continue  # trailing blanks
        start, end = m.span(kind)
        tok = text[start:end]
        at = base + start
        if kind == "alnum":
            kind = _alnum_kind(tok)
        elif kind == "glued":
            parts = _GLUED_PARTS.fullmatch(tok)
            assert parts is not None  # the token pattern guarantees this shape
            year, post, serial = parts.groups()
            if year:
                append(Token("num", year, at, at + len(year)))
                at += len(year)
            append(Token("word", post, at, at + len(post)))
            append(Token("num", serial, at + len(post), base + end))
            continue
        elif kind in ("yglue", "serletter"):
            kind = "num"
        append(Token(kind, tok, at, base + end))
    return out


def _alnum_kind(tok: str) -> str:
    if tok.isascii():
        # the common cases first, with str methods: much cheaper than regexes
        if tok.isdigit():
            return "num"
        if tok.isalpha():
            return "word"
    if _DIGITS.fullmatch(tok):
        return "num"
    if _NUM_JOINED.fullmatch(tok):
        return "numj"
    if tok.replace("-", "").replace("'", "").replace("\u2019", "").isalpha():
        return "word"
    if _OH_NUMBER.fullmatch(tok):
        return "num"  # read as digits later
    if tok[0].isalpha() and _OH_WORD.fullmatch(tok.upper()):
        return "word"
    return "mix"


_MONTH_WORDS = frozenset(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP SEPT OCT NOV DEC JANUARY FEBRUARY MARCH APRIL JUNE JULY "
    "AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER".split()
)
# Words that never belong to a post name: connectors and the vocabulary of REF lines.
_NOT_POST = frozenset(
    "AND OR TO FROM ON IN AT BY FOR DATED PARA PARAS PARAGRAPH PARAGRAPHS PREVIOUS PRIOR NOTAL EXDIS NODIS "
    "LIMDIS STADIS ALSO SEE REF REFS REFTEL REFTELS MSG DTG NO NR NUMBER TELEGRAM CABLE CABLES "
    "SEPTEL SEPTELS ET AL PLUS WITH VIA THE OF CIRCULAR SECTION AS PER ATTACHMENT ATTACHMENTS PART PARTS "
    "ANNEX ENCLOSURE TAB APPENDIX PAGE PAGES ITEM ITEMS CHAPTER ARTICLE INCSR".split()
) | _MONTH_WORDS | KIND_WORDS | DESCRIPTIVE_WORDS
# Words a post name may contain after its first word ("THE HAGUE", "PORT OF SPAIN").
_INNER_POST_OK = frozenset({"OF", "THE"})
_REDACTED = re.compile(r"X{4,}")  # "XXXXXXXXXXXX": a redaction, never a post
_POST_MAX_WORDS = 5
_CONNECTORS = frozenset({",", ";", ":", "/", "&", "+", "|", "AND", "OR", "ALSO", "PLUS"})

# Qualifiers: distribution captions, "AND PREVIOUS" and classification marks.
_QUALIFIER_WORDS = frozenset(
    {"NOTAL", "EXDIS", "NODIS", "LIMDIS", "STADIS", "NOFORN", "SIPDIS", "ROGER", "CHEROKEE", "CIRCULAR"}
)
_CLASS_MARKS = frozenset({"C", "U", "S", "SBU", "CONFIDENTIAL", "SECRET", "UNCLASSIFIED", "UNCLAS", "FOUO", "LOU", "TS"})
_AND_PREVIOUS = frozenset({"PREVIOUS", "PRIOR", "PRIORS", "PRECEDING", "OTHERS", "RELATED", "EARLIER"})
_AND_LATER = frozenset({"LATER", "FOLLOWING", "SUBSEQUENT", "SUBSEQUENTS", "FOLLOW-UP", "FOLLOWUPS"})


def is_connector(tok: Token) -> bool:
    """``,`` ``;`` ``/`` ``AND`` ...: what joins the cables of a list."""
    return _upper(tok) in _CONNECTORS or tok.text == "-"


def is_year_number(digits: str) -> bool:
    """A two- or four-digit number that can be a cable year (1966-2011 or 66-99/00-11)."""
    digits = _as_digits(digits)
    if not digits.isdigit():
        return False
    if len(digits) == 2:
        v = int(digits)
        return v >= 66 or v <= 11
    if len(digits) == 4:
        return FIRST_YEAR <= int(digits) <= 2011
    return False


@dataclass(slots=True)
class CableDraft:
    """A cable named by an item, before years are settled against the citing cable."""

    raw_start: int
    raw_end: int
    post_written: str | None  # None: no post written, the citing post is meant
    serial: int
    year: int | None = None  # four digits, when written or carried
    year_carried: bool = False
    post_carried: bool = False
    qualifiers: list[str] = field(default_factory=list)
    dtg: str | None = None
    range_end: int | None = None  # "NEW DELHI 6773-6779": the last serial of a range
    year_from_date: bool = False  # the year came from a date written after the cable


@dataclass(slots=True)
class ItemReading:
    """What one item says: cables, or one non-cable document, plus unread text."""

    cables: list[CableDraft]
    kind: RefKind | None = None  # set for a non-cable item
    dtg_sender: str | None = None
    dtg: str | None = None
    unread: list[tuple[int, int]] = field(default_factory=list)  # spans no rule consumed
    qualifiers: list[str] = field(default_factory=list)  # for a non-cable item


class Prev(NamedTuple):
    """The cable before, for list continuations (``ROME 2543 AND 2544``)."""

    post_written: str | None
    year: int | None


def read_item(
    text: str, toks: list[Token], prev: Prev | None, *, allow_bare_start: bool = True
) -> ItemReading:
    """Read one item.  ``toks`` are its tokens without spaces; offsets index ``text``.

    ``prev`` is the last cable of the block so far: a bare serial continues its post.
    """
    if not toks:
        return ItemReading([])
    body = text[toks[0].start : toks[-1].end]
    typed = classify(body)
    if typed is not None and not _starts_with_cable(toks):
        return ItemReading([], typed.kind, typed.dtg_sender, typed.dtg)
    if typed is None and toks[0].kind == "word" and is_described(body) and not _starts_with_cable(toks):
        # "INCSR BRAZIL 2008", "EMBASSY PARIS DAILY REPORT FOR FEBRUARY 17": a document
        # named in words; the words after the first are not a post and a serial
        return ItemReading([], RefKind.OTHER)
    return _Walker(text, toks, prev, allow_bare_start).run()


def opens_with_cable(text: str) -> bool:
    """True when ``text`` begins with a cable reference (``HANOI 330 (IDEOLOGY ...``)."""
    toks = tokenize(text[:80])
    return bool(toks) and _Walker(text[:80], toks, None, False)._cable(0) is not None


def _starts_with_cable(toks: list[Token]) -> bool:
    """True when the item opens with a full cable reference followed by a connector or end.

    Lets ``STATE 12345 AND PREVIOUS E-MAILS`` stay a cable item although it names e-mails.
    """
    w = _Walker("", toks, None, False)
    got = w._cable(0)
    if got is None:
        return False
    draft, j = got
    if draft.serial >= 100:
        return True  # "STATE 109397 UNGA 3C PRIORITIES CABLE": a cable and its title
    if j < len(toks) and toks[j].text == "/":
        return False  # "EMB LONDON 10/23 E-MAIL": a date, not serial 10
    return j >= len(toks) or _upper(toks[j]) in _CONNECTORS or toks[j].text == "("


_MAX_RANGE = 30  # "6773-6779" lists seven cables; a wider span is not a range of serials


def _range_rest(first: CableDraft) -> list[CableDraft]:
    """The cables after the first of a serial range, same post and year."""
    assert first.range_end is not None
    return [
        CableDraft(first.raw_start, first.raw_end, first.post_written, serial, first.year,
                   year_carried=first.year is not None, post_carried=True)
        for serial in range(first.serial + 1, first.range_end + 1)
    ]


def _upper(tok: Token) -> str:
    return tok.text.upper()


def _as_digits(text: str) -> str:
    """``O8`` -> ``08``: a number token may hold the letter O typed for a zero."""
    return text.replace("O", "0")


def _number(text: str) -> int:
    return int(_as_digits(text))


class _Walker:
    """One left-to-right pass over an item's tokens."""

    def __init__(self, text: str, toks: list[Token], prev: Prev | None, allow_bare_start: bool) -> None:
        self.text = text
        self.toks = toks
        self.n = len(toks)
        self.prev = prev
        self.allow_bare_start = allow_bare_start
        self._closers: dict[int, int] | None = None  # opening token -> its closing token
        self._has_words: bool | None = None

    def _closer(self, i: int) -> int | None:
        """The token closing the bracket or quote opened at ``i`` (one pass, then a lookup)."""
        if self._closers is None:
            closers: dict[int, int] = {}
            stack: list[int] = []
            straight: int | None = None  # an open " quote
            curly: int | None = None  # an open \u201c quote
            for j, t in enumerate(self.toks):
                if t.text == "(":
                    stack.append(j)
                elif t.text == ")" and stack:
                    closers[stack.pop()] = j
                elif t.text == '"':
                    if straight is None:
                        straight = j
                    else:
                        closers[straight], straight = j, None
                elif t.text == "\u201c":
                    curly = j
                elif t.text == "\u201d" and curly is not None:
                    closers[curly], curly = j, None
            self._closers = closers
        return self._closers.get(i)

    def _item_has_words(self) -> bool:
        if self._has_words is None:
            self._has_words = any(
                t.kind == "word" and _upper(t) not in _CONNECTORS and _upper(t) not in _QUALIFIER_WORDS
                for t in self.toks
            )
        return self._has_words

    def run(self) -> ItemReading:
        toks, n = self.toks, self.n
        cables: list[CableDraft] = []
        unread: list[tuple[int, int]] = []
        pending_qualifiers: list[str] = []
        last_unread = -2
        last_cable_end = -1  # token index just after the last cable read
        i = 0
        while i < n:
            q = self._qualifier(i)
            if q is not None:
                name, i = q
                (cables[-1].qualifiers if cables else pending_qualifiers).append(name)
                continue
            if (
                cables
                and toks[i].text in {"-", ":"}
                and i + 1 < n
                and toks[i + 1].kind not in {"num", "numj"}
                and self._cable(i + 1) is None
            ):
                # "08 TRIPOLI 120 - EXTREMISM IN EASTERN LIBYA", "STATE 81957: REPORT OF ...":
                # a title, to the end of the item
                i = n
                continue
            if _upper(toks[i]) in _CONNECTORS or toks[i].text == "-":
                i += 1
                continue
            got = self._cable(i)
            if got is None:
                got = self._bare_serial(i, cables)
            if got is not None:
                draft, i = got
                draft.qualifiers.extend(pending_qualifiers)
                pending_qualifiers.clear()
                cables.append(draft)
                if draft.range_end is not None:
                    cables.extend(_range_rest(draft))
                self.prev = Prev(draft.post_written, draft.year)
                last_cable_end = i
                continue
            if cables:
                j = self._title_or_dtg(i, cables[-1], adjacent=i == last_cable_end)
                if j is not None:
                    i = j
                    continue
            if unread and last_unread == i - 1:
                unread[-1] = (unread[-1][0], toks[i].end)
            else:
                unread.append((toks[i].start, toks[i].end))
            last_unread = i
            i += 1
        if cables:
            if pending_qualifiers:
                cables[-1].qualifiers.extend(pending_qualifiers)
            return ItemReading(cables, unread=unread)
        # No cable could be read: a document named in words or by its number, or a
        # damaged cable.
        whole = self.text[toks[0].start : toks[-1].end]
        kind_described = is_described(whole) or self._only_document_number() or self._only_qualifiers()
        dtg = find_dtg(whole)
        return ItemReading(
            [],
            RefKind.OTHER,
            None,
            dtg[2] if dtg else None,
            unread=[] if kind_described else [(toks[0].start, toks[-1].end)],
            qualifiers=pending_qualifiers,
        )

    def _only_document_number(self) -> bool:
        """``SIO-I-03-61``, ``IICT-2008-59``: a code of letters and digits, not a cable."""
        if self.n > 6:
            return False
        return any(t.kind == "mix" and "-" in t.text for t in self.toks)

    def _only_qualifiers(self) -> bool:
        """``C. 2007 AND PREVIOUS``: only a year and a qualifier (earlier reports of a series)."""
        i = 0
        saw = False
        while i < self.n:
            q = self._qualifier(i)
            if q is not None:
                saw, i = True, q[1]
                continue
            if self.toks[i].kind == "num" and is_year_number(self.toks[i].text):
                i += 1
                continue
            return False
        return saw

    # -- pieces of the grammar; each returns (result, next index) or None ---------------

    def _qualifier(self, i: int) -> tuple[str, int] | None:
        toks, n = self.toks, self.n
        t = _upper(toks[i])
        if t in _QUALIFIER_WORDS:
            return t, i + 1
        if t == "AND" and i + 1 < n and _upper(toks[i + 1]) in _AND_PREVIOUS | _AND_LATER:
            name = "AND PREVIOUS" if _upper(toks[i + 1]) in _AND_PREVIOUS else "AND LATER"
            j = i + 2
            # "AND PREVIOUS REFTELS", "AND PRIOR CABLES"
            if j < n and _upper(toks[j]) in {"REFTELS", "REFTEL", "CABLES", "REFS", "MESSAGES", "TELS"}:
                j += 1
            return name, j
        if t == "ET" and i + 1 < n and _upper(toks[i + 1]) == "AL":
            j = i + 2
            if j < n and toks[j].text == ".":
                j += 1
            return "AND PREVIOUS", j
        if t == "(" and i + 2 < n:
            # "(NOTAL)", "(C)", "(S/NF)", "(AND PREVIOUS)"
            j = i + 1
            parts: list[str] = []
            while j < n and j < i + 6 and toks[j].text != ")":
                parts.append(_upper(toks[j]))
                j += 1
            if j < n and toks[j].text == ")" and parts:
                inner = "".join(parts)
                if len(parts) == 1 and parts[0] in _QUALIFIER_WORDS:
                    return parts[0], j + 1
                if parts[0] in _CLASS_MARKS and all(p in _CLASS_MARKS or p in {"/", "//", "NF", "REL"} for p in parts):
                    return f"({inner})", j + 1
                if parts[0] == "AND" and len(parts) >= 2 and parts[1] in _AND_PREVIOUS:
                    return "AND PREVIOUS", j + 1
        return None

    def _year_before(self, i: int) -> tuple[int, int] | None:
        """A year written before the post: ``07``, ``2007``, ``'07``, ``(07)``, ``O7``."""
        toks, n = self.toks, self.n
        t = toks[i]
        if t.kind == "num":
            digits = _as_digits(t.text)
            if is_year_number(digits):
                return full_year(int(digits)), i + 1
        if t.text in {"'", "\u2019"} and i + 1 < n and toks[i + 1].kind == "num" and len(toks[i + 1].text) == 2:
            return full_year(_number(toks[i + 1].text)), i + 2
        if t.text == "(" and i + 2 < n and toks[i + 1].kind == "num" and toks[i + 2].text == ")":
            digits = _as_digits(toks[i + 1].text)
            if is_year_number(digits):
                return full_year(int(digits)), i + 3
        return None

    def _post(self, i: int) -> tuple[str, int] | None:
        """One to five words naming a post ("NEW DELHI", "ST. PETERSBURG", "Sao Paulo")."""
        toks, n = self.toks, self.n
        words: list[Token] = []
        j = i
        while j < n and len(words) < _POST_MAX_WORDS:
            t = toks[j]
            up = t.text.upper()
            if t.kind == "word" and len(up) > 1 and not _REDACTED.fullmatch(up) and (
                up not in _NOT_POST
                or (words and up in _INNER_POST_OK)
                or (up == "THE" and j + 1 < n and toks[j + 1].kind == "word" and toks[j + 1].text.upper() not in _NOT_POST)
            ):
                words.append(t)
                j += 1
                continue
            if t.text == "." and words and j + 1 < n and toks[j + 1].kind == "word":
                j += 1  # "ST. PETERSBURG"
                continue
            break
        # A post never ends on "OF"/"THE" ("STATE 123 OF 2008" is handled as a year).
        while words and words[-1].text.upper() in _INNER_POST_OK:
            words.pop()
            j -= 1
        if not words:
            return None
        return self.text[words[0].start : words[-1].end], j

    def _serial(self, i: int) -> tuple[int, int | None, int] | None:
        """A serial, with a year glued after it (``123456-91``): (serial, year, next)."""
        toks, n = self.toks, self.n
        if i >= n:
            return None
        t = toks[i]
        if t.kind == "num" and len(t.text) <= 10 and _number(t.text) <= 9_999_999:
            # "12/14/07" is a date, not serial 12.
            if (
                i + 4 < n
                and toks[i + 1].text == "/"
                and toks[i + 2].kind == "num"
                and toks[i + 3].text == "/"
                and toks[i + 4].kind == "num"
                and len(t.text) <= 2
            ):
                return None
            return _number(t.text), None, i + 1
        if t.kind == "numj":
            head, _, tail = t.text.partition("-")
            if "-" not in tail and len(head) <= 8 and len(tail) == 2 and is_year_number(tail):
                return int(head), full_year(int(tail)), i + 1
        return None

    def _range(self, i: int) -> tuple[int, int, int] | None:
        """``6773-6779``: a range of serials, short enough to be one (first, last, next)."""
        if i >= self.n or self.toks[i].kind != "numj":
            return None
        head, _, tail = self.toks[i].text.partition("-")
        if "-" in tail or len(tail) < 3 or len(head) > 7:
            return None
        first, last = int(head), int(tail)
        if first < last <= first + _MAX_RANGE:
            return first, last, i + 1
        return None

    def _year_after(self, i: int) -> tuple[int, int] | None:
        """A year written after the serial: ``/08``, ``(08)``, ``(2008)``, `` 2008``, `` 08``."""
        toks, n = self.toks, self.n
        if i >= n:
            return None
        t = toks[i]
        if t.text == "/" and i + 1 < n and toks[i + 1].kind == "num" and len(toks[i + 1].text) == 2:
            digits = _as_digits(toks[i + 1].text)
            if is_year_number(digits) and not (i + 2 < n and toks[i + 2].text == "/"):
                return full_year(int(digits)), i + 2
        if t.text == "-" and i + 1 < n and toks[i + 1].kind == "num" and len(toks[i + 1].text) == 2:
            if is_year_number(toks[i + 1].text):
                return full_year(_number(toks[i + 1].text)), i + 2
        if t.text == "(" and i + 2 < n and toks[i + 1].kind == "num" and toks[i + 2].text == ")":
            digits = _as_digits(toks[i + 1].text)
            if is_year_number(digits):
                return full_year(int(digits)), i + 3
        if t.kind == "num" and is_year_number(t.text) and t.start > toks[i - 1].end:
            # "KABUL 5679 06", "MOSCOW 03242 2008": a year only when nothing follows but
            # the end of the item, a connector or a qualifier.
            nxt = toks[i + 1] if i + 1 < n else None
            if nxt is None or _upper(nxt) in _CONNECTORS or nxt.text == "(" or _upper(nxt) in _QUALIFIER_WORDS:
                return full_year(_number(t.text)), i + 1
        return None

    def _cable(self, i: int) -> tuple[CableDraft, int] | None:
        """``[year] POST [year] SERIAL [year]``, or ``SERIAL POST`` (serial written first)."""
        toks, n = self.toks, self.n
        start = toks[i].start
        year: int | None = None
        j = i
        yb = self._year_before(i)
        if yb is not None and yb[1] < n and toks[yb[1]].kind == "word":
            year, j = yb
        post = self._post(j)
        if post is None:
            if yb is None:
                return self._serial_first(i)
            return None
        written, j = post
        if year is None and j + 1 < n and toks[j].kind == "num" and len(toks[j].text) == 2 and toks[j + 1].kind == "num":
            # "SAN JOSE 07 1963": the year between post and serial.
            digits = _as_digits(toks[j].text)
            if is_year_number(digits):
                year, j = full_year(int(digits)), j + 1
        if j + 1 < n and toks[j].text == ":" and toks[j + 1].kind == "num":
            j += 1  # "STATE: 80349"
        range_end: int | None = None
        span = self._range(j)
        if span is not None:
            serial, range_end, j = span
        else:
            ser = self._serial(j)
            if ser is None:
                return None
            serial, glued_year, j = ser
            if glued_year is not None and year is None:
                year = glued_year
        if year is None:
            ya = self._year_after(j)
            if ya is not None:
                year, j = ya
        end = toks[j - 1].end
        return CableDraft(start, end, written, serial, year, range_end=range_end), j

    def _serial_first(self, i: int) -> tuple[CableDraft, int] | None:
        """``00821 ASMARA``: the serial written before the post, nothing after it."""
        toks, n = self.toks, self.n
        t = toks[i]
        if t.kind != "num" or len(t.text) < 3 or len(t.text) > 7:
            return None
        post = self._post(i + 1)
        if post is None:
            return None
        written, j = post
        if j < n and not (is_connector(toks[j]) or toks[j].text == "(" or _upper(toks[j]) in _QUALIFIER_WORDS):
            return None  # "209 LONDON DAILY REPORT": only "00821 ASMARA" and nothing more
        year: int | None = None
        ya = self._year_after(j) if j < n else None
        if ya is not None:
            year, j = ya
        return CableDraft(t.start, toks[j - 1].end, written, _number(t.text), year), j

    def _bare_serial(self, i: int, cables: list[CableDraft]) -> tuple[CableDraft, int] | None:
        """A serial with no post: it continues the cable before it (``ROME 2543 AND 2544``)."""
        toks, n = self.toks, self.n
        if not cables:
            if not self.allow_bare_start:
                return None
            # At the start of an item, only an item made of serials ("REF: 239012").
            if self._item_has_words():
                return None
        elif i == 0 or _upper(toks[i - 1]) not in _CONNECTORS:
            return None
        year: int | None = None
        j = i
        yb = self._year_before(i)
        if yb is not None and yb[1] < n and toks[yb[1]].kind in {"num"} and not (
            yb[1] + 1 < n and toks[yb[1] + 1].text == "/"
        ):
            year, j = yb  # "AND 08 0075"
        ser = self._serial(j)
        if ser is None:
            return None
        serial, glued_year, j = ser
        if glued_year is not None:
            year = glued_year
        if year is None:
            ya = self._year_after(j)
            if ya is not None:
                year, j = ya
        prev = self.prev
        carried = year is None and prev is not None and prev.year is not None
        draft = CableDraft(
            toks[i].start,
            toks[j - 1].end,
            prev.post_written if prev is not None else None,
            serial,
            year if year is not None else (prev.year if prev is not None else None),
            year_carried=carried,
            post_carried=prev is not None,
        )
        return draft, j

    def _title_or_dtg(self, i: int, last: CableDraft, *, adjacent: bool) -> int | None:
        """What may follow a cable besides another cable: consumed, never read as cables.

        A ``(title)`` or ``"title"``, a ``- title`` running to the end of the item, a
        date (``07 JUN 2006``, ``12/14/07``, ``--05/DEC/2008``) or a DTG.
        """
        toks, n = self.toks, self.n
        t = toks[i]
        if t.text in {"(", '"', "\u201c"}:
            close = self._closer(i)
            return None if close is None else close + 1
        if t.kind == "dtg" or _upper(t) in {"DTG", "DATED", "MSG"} or (t.kind == "mix" and _upper(t).startswith("DTG")):
            dtg = find_dtg(self.text[t.start : toks[min(n, i + 6) - 1].end])
            if dtg is not None:
                last.dtg = dtg[2]
                end = t.start + dtg[1]
                j = i
                while j < n and toks[j].end <= end:
                    j += 1
                return j
        date = self._date(i)
        if date is not None:
            date_end, date_year = date
            if adjacent and date_year is not None and last.year is None and not last.post_carried:
                # "BOGOTA 3361 12 NOV 2009": the cable's date, so its year is written
                last.year = date_year
                last.year_from_date = True
            return date_end
        return None

    def _date(self, i: int) -> tuple[int, int | None] | None:
        """A date after a cable: (next index, its year if written).

        ``07 JUN 2006``, ``JUNE 7, 2006``, ``12/14/07``, ``dated 8 May 08``.
        """
        toks, n = self.toks, self.n
        j = i
        if _upper(toks[j]) in {"DATED", "OF", "ON", "FROM"} and j + 1 < n:
            j += 1
        t = toks[j]
        if t.kind == "num" and len(t.text) <= 2 and j + 2 < n and _upper(toks[j + 1]) in _MONTH_WORDS:
            k = j + 2
            if toks[k].kind == "num" and len(toks[k].text) in (2, 4) and is_year_number(toks[k].text):
                return k + 1, full_year(_number(toks[k].text))
            return k, None
        if _upper(t) in _MONTH_WORDS and j + 1 < n and toks[j + 1].kind == "num" and len(toks[j + 1].text) <= 2:
            k = j + 2
            if k < n and toks[k].text == ",":
                k += 1
            if k < n and toks[k].kind == "num" and len(toks[k].text) == 4 and is_year_number(toks[k].text):
                return k + 1, _number(toks[k].text)
            return k, None
        if (
            t.kind == "num"
            and len(t.text) <= 2
            and j + 2 < n
            and toks[j + 1].text == "/"
            and toks[j + 2].kind == "num"
            and len(toks[j + 2].text) <= 2
        ):
            k = j + 3
            if k + 1 < n and toks[k].text == "/" and toks[k + 1].kind == "num":
                year_text = toks[k + 1].text
                return k + 2, full_year(_number(year_text)) if is_year_number(year_text) else None
            return k, None
        return None
