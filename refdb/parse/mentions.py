"""In-text mentions: where a cable's body points back at its REF items.

``(Ref A)``, ``REFS A AND B``, ``refs a-c``, ``REF B PARA 3``, ``per reftel``, ``reftels``.
One pass of a plain substring search finds every "ref" in any case; a compiled regex
reads the mention at each; numbered paragraphs are read forward only as far as the
mentions need.  REF blocks themselves are skipped.  A mention names letters (one
:class:`~refdb.model.Mention` per REF item it reaches) or, for ``reftel``, the only REF
item (or the only letter); ``reftels`` reaches them all.  A letter with no REF item
stays unattached: it is never moved to a neighbour.  ``septel`` (a separate, later
cable) is not a reference and is not matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from refdb.model import Mention, RefItem
from refdb.parse.refblock import find_ref_blocks

__all__ = ["find_mentions"]

# Space inside a mention: blanks, a line break, the "\" line ends of some exports.
_SP = r"[ \t\r\n\\\u00a0]{0,12}"
_SP1 = r"[ \t\r\n\\\u00a0]{1,12}"
# One letter: "A", "a", "(a)".  Never part of a longer word ("REF ASSESSMENT").
_LETTER = r"(?:\([A-Za-z]\)|[A-Za-z])(?![A-Za-z0-9'\u2019])"
# Between letters: "A AND B", "A, B, AND C", "A-C", "A THROUGH C", "A/B", "A & B".
_JOIN = rf"(?:{_SP},?{_SP}(?:and|or|&|through|thru|to){_SP1}|{_SP}[,/&\-\u2013]{_SP})"
# "REF B PARA 3", "refs A and B, paras 2-4": kept in the mention's span.
_PARA = rf"(?:{_SP},?{_SP}(?:paras?|paragraphs?)\.?{_SP}\d{{1,3}}(?:{_SP}(?:-|and|,|&){_SP}\d{{1,3}}){{0,6}})"

# A mention, matched where a cheap search found "ref" in any case.
_MENTION = re.compile(
    r"(?P<kw>reftel\(s\)|ref\(s\)|reftels?|refs?)(?![A-Za-z0-9])"
    # "refs. A-C": the dot belongs to the mention only when letters follow it
    rf"(?:\.?(?P<letters>{_SP}:?{_SP}{_LETTER}(?:{_JOIN}{_LETTER}){{0,25}}){_PARA}?)?",
    re.IGNORECASE,
)
# A numbered paragraph at a line start: "1. (C)", "¶3.", "[1](#)2.", "3.The".  The
# leading newline is a literal, which lets the regex engine skip quickly between lines.
_PARAGRAPH_LINE = re.compile(
    r"\n[ \t]*(?:[\u00b6\ufffd]|\[\d{1,4}\]\(#\))?[ \t]*(?P<num>\d{1,3})[ \t]?\.(?=[ \t\r\n(]|[A-Z][a-z])"
)
# Inside a line: a pilcrow ("... end. ¶4. (C) ..."), or, in texts whose newlines were
# collapsed to double spaces, "  4. (C)".
_PARAGRAPH_PILCROW = re.compile(r"[ \t]?(?P<num>\d{1,3})[ \t]?\.(?=[ \t\r\n(]|[A-Z][a-z])")
_PARAGRAPH_FLAT = re.compile(r"[ \t]{2}(?P<num>\d{1,3})\.[ \t]+\(")
# One letter of a list, with its brackets: "(a)", "B".  Join words are never single letters.
_ONE_LETTER = re.compile(r"\(?(?<![A-Za-z])([A-Za-z])(?![A-Za-z])\)?")
_RANGE_WORD = re.compile(r"-|\u2013|\bthrough\b|\bthru\b|\bto\b", re.IGNORECASE)
_MAX_LETTER_GAP = 8  # "refs A, C and E" is a list; "ref B, P/E Chief" is not


def find_mentions(text: str, refs: tuple[RefItem, ...]) -> tuple[Mention, ...]:
    """Every mention of a REF item in ``text``, in text order.

    ``refs`` are the cable's REF items (from :func:`~refdb.parse.refblock.parse_refs`).
    Offsets are into ``text``; ``paragraph`` is the numbered paragraph the mention is in.
    """
    # Candidates are found by a plain substring search on an ASCII-lowered copy: one
    # byte per character, so positions match ``text``.  Far faster than a
    # case-insensitive regex over the whole body.
    lowered = text.encode("ascii", "replace").lower()
    at = lowered.find(b"ref")
    if at < 0:
        return ()
    skip = [(b.start, b.end) for b in find_ref_blocks(text)]
    by_letter = _items_by_letter(refs)
    groups = _groups(refs)
    paragraphs = _Paragraphs(text)
    out: list[Mention] = []
    skip_at = 0
    while at >= 0:
        if at and (text[at - 1].isalnum()):
            at = lowered.find(b"ref", at + 3)
            continue  # "PREF", "xref"
        m = _MENTION.match(text, at)
        if m is None:
            at = lowered.find(b"ref", at + 3)
            continue
        start, end = m.start(), m.end()
        at = lowered.find(b"ref", end)
        while skip_at < len(skip) and skip[skip_at][1] <= start:
            skip_at += 1
        if skip_at < len(skip) and skip[skip_at][0] <= start < skip[skip_at][1]:
            continue  # inside a REF block: the block itself, not a mention
        mention_text = text[start:end]
        paragraph = paragraphs.at(start)
        letters_text = m.group("letters")
        if letters_text:
            letters, used = _expand_letters(letters_text)
            if used < len(letters_text):
                # "per ref B, P/E Chief": the list stops where letters stop running in order
                end = m.start("letters") + used
                mention_text = text[start:end]
            start, end, mention_text = _bracketed(text, start, end)
            for letter in letters:
                targets = by_letter.get(letter)
                if not targets:
                    out.append(Mention(mention_text, start, end, paragraph, letter, None, "letter"))
                    continue
                for ordinal in targets:
                    out.append(Mention(mention_text, start, end, paragraph, letter, ordinal, "letter"))
            continue
        start, end, mention_text = _bracketed(text, start, end)
        kw = m.group("kw").lower()
        form = "reftels" if kw.endswith("s") or kw.endswith("(s)") else "reftel"
        out.extend(_bare(mention_text, start, end, paragraph, form, refs, groups))
    return tuple(out)


class _Paragraphs:
    """The numbered paragraph at a position.

    Markers are read forward, once, only as far as mentions need: line starts are
    visited with ``str.find`` (a regex scan over the whole body costs more than all
    the rest of mention finding).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.scanned = 0
        self.current: int | None = None
        # Newlines collapsed to double spaces (mongo exports): paragraphs sit mid-line.
        self.flat = text.count("\n", 0, 4000) < 3

    def at(self, pos: int) -> int | None:
        if pos > self.scanned:
            found = self._markers(self.scanned, pos)
            if found:
                self.current = max(found)[1]
            self.scanned = pos
        return self.current

    def _markers(self, start: int, end: int) -> list[tuple[int, int]]:
        """(position, number) of every paragraph marker starting in [start, end)."""
        text = self.text
        found: list[tuple[int, int]] = []
        if start == 0:
            first = _PARAGRAPH_LINE.match("\n" + text[:40])
            if first is not None:
                found.append((first.start("num") - 1, int(first.group("num"))))
        for m in _PARAGRAPH_LINE.finditer(text, max(start - 1, 0), end):
            found.append((m.start("num"), int(m.group("num"))))
        for mark in ("\u00b6", "\ufffd"):
            at = text.find(mark, start, end)
            while at >= 0:
                m = _PARAGRAPH_PILCROW.match(text, at + 1)
                if m is not None:
                    found.append((m.start("num"), int(m.group("num"))))
                at = text.find(mark, at + 1, end)
        if self.flat:
            found.extend((m.start("num"), int(m.group("num"))) for m in _PARAGRAPH_FLAT.finditer(text, start, end))
        return [f for f in found if f[0] < end]


def _bare(
    text: str, start: int, end: int, paragraph: int | None, form: str, refs: tuple[RefItem, ...],
    groups: list[list[RefItem]],
) -> Iterator[Mention]:
    """``reftel`` reaches the only REF item (or letter); ``reftels`` reaches all of them."""
    if form == "reftels" and refs:
        for item in refs:
            yield Mention(text, start, end, paragraph, item.letter, item.ordinal, form)
        return
    if form == "reftel" and (len(refs) == 1 or (len(groups) == 1 and groups[0][0].letter is not None)):
        # one REF item, or one letter (which may list several cables): that is "reftel"
        for item in groups[0]:
            yield Mention(text, start, end, paragraph, item.letter, item.ordinal, form)
        return
    # no REF item, or several: which one "reftel" means is not written
    yield Mention(text, start, end, paragraph, None, None, form)


def _items_by_letter(refs: tuple[RefItem, ...]) -> dict[str, list[int]]:
    """Letter -> ordinals of its items, from the first block that uses the letter."""
    out: dict[str, list[int]] = {}
    block_of: dict[str, int] = {}
    for item in refs:
        if item.letter is None:
            continue
        first_block = block_of.setdefault(item.letter, item.block)
        if item.block == first_block:
            out.setdefault(item.letter, []).append(item.ordinal)
    return out


def _groups(refs: tuple[RefItem, ...]) -> list[list[RefItem]]:
    """REF items grouped by (block, letter): one group per thing a cable cites."""
    groups: dict[tuple[int, str | None], list[RefItem]] = {}
    for item in refs:
        groups.setdefault((item.block, item.letter), []).append(item)
    return list(groups.values())


def _bracketed(text: str, start: int, end: int) -> tuple[int, int, str]:
    """``(Ref A)``: brackets around the whole mention belong to it."""
    if start and text[start - 1] == "(" and end < len(text) and text[end] == ")":
        start, end = start - 1, end + 1
    return start, end, text[start:end]


def _expand_letters(letters_text: str) -> tuple[list[str], int]:
    """Letters named by a list, and how much of ``letters_text`` the list really covers.

    ``"A AND B"`` -> [A, B]; ``"A-C"`` -> [A, B, C]; ``"a, b"`` -> [A, B].  Letters of a
    list run in order; the list stops before a letter that goes backwards or jumps far
    ahead (``B, P/E`` in "per ref B, P/E Chief"), which is text, not a letter.
    """
    out: list[str] = []
    used = 0
    prev_end = 0
    for m in _ONE_LETTER.finditer(letters_text):
        letter = m.group(1).upper()
        between = letters_text[prev_end : m.start()]
        if out:
            if not (out[-1] < letter <= chr(ord(out[-1]) + _MAX_LETTER_GAP)):
                break
            if _RANGE_WORD.search(between):
                out.extend(chr(c) for c in range(ord(out[-1]) + 1, ord(letter)))
        out.append(letter)
        used = prev_end = m.end()
    return out, used
