"""In-text mentions of REF items: real excerpts and synthetic rows with the mentions
written by hand, the seed cable, spans, and hostile input."""

from __future__ import annotations

import pytest

from refdb.ids import CableId
from refdb.model import Mention
from refdb.parse.mentions import find_mentions
from refdb.parse.refblock import parse_refs

from .refrows import FIXTURES, Row, read_rows

MENTION_ROWS = read_rows("mentions.txt")


def as_line(m: Mention) -> str:
    def show(value: object) -> str:
        return "-" if value is None else str(value)

    text = m.text.replace("\n", "\\n")
    return f"{text} | {show(m.letter)} | {show(m.ref_ordinal)} | {show(m.paragraph)} | {m.form}"


@pytest.mark.parametrize("row", MENTION_ROWS, ids=[r.id for r in MENTION_ROWS])
def test_mentions(row: Row) -> None:
    refs = parse_refs(row.text, row.citing)
    mentions = find_mentions(row.text, refs)
    expected = [] if row.expect == ("none",) else [" | ".join(p.strip() for p in e.split("|")) for e in row.expect]
    assert [as_line(m) for m in mentions] == expected
    for m in mentions:
        # spans point into the text
        assert row.text[m.start : m.end] == m.text
        if m.ref_ordinal is not None:
            assert refs[m.ref_ordinal].letter == m.letter or m.form != "letter"


def test_mention_rows_are_enough() -> None:
    # with the REF-block tables, at least 200 rows of real and synthetic text
    assert len(MENTION_ROWS) >= 25


def test_seed_cable_mentions() -> None:
    text = (FIXTURES / "seed_08TOKYO1002.txt").read_text(encoding="utf-8")
    refs = parse_refs(text, CableId.parse("08TOKYO1002"))
    mentions = find_mentions(text, refs)
    assert [(m.text, m.letter, m.ref_ordinal, m.paragraph, m.form) for m in mentions] == [
        ("(Ref A)", "A", 0, 2, "letter"),
        ("(Ref B)", "B", 1, 6, "letter"),
        ("(Ref C)", "C", 2, 7, "letter"),
    ]
    assert [str(refs[m.ref_ordinal].cited) for m in mentions if m.ref_ordinal is not None] == [
        "08TOKYO960",
        "07TOKYO5019",
        "07TOKYO2690",
    ]


def test_mentions_without_refs_argument_stay_unattached() -> None:
    text = "SUBJECT: X\nREF: A. TOKYO 960\nClassified By: X\n1. (C) See ref A.\n"
    (m,) = find_mentions(text, ())
    assert (m.letter, m.ref_ordinal) == ("A", None)


def test_many_mentions_complete() -> None:
    text = "SUBJECT: X\nREF: A. TOKYO 960\n\n1. (C) " + "(ref A) and reftel, " * 50_000
    refs = parse_refs(text, CableId.parse("08TOKYO1002"))
    mentions = find_mentions(text, refs)
    assert len(mentions) == 100_000
    assert {m.paragraph for m in mentions} == {1}
