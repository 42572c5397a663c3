"""Property-based tests of the parser and of ID handling (hypothesis).

The parser: on any input it never raises (at worst one InputProblem per input, in one
line), is deterministic, and what it returns is consistent and storable: mention spans
point into the text, REF ordinals are 0..n-1, every cited ID round-trips through its
canonical form, and every value fits its database column (PostgreSQL enforces
VARCHAR lengths: one overlong field would sink a whole ingest batch).

``tests/test_cable_id.py`` covers IDs built from parts; here IDs are *read from text*.
``benchmarks/fuzz_long.py`` runs the same properties with many more examples.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from refdb.ids import CableId, normalise_dtg, repair_published
from refdb.model import InputProblem, ParsedCable, RefKind
from refdb.parse import parse_bytes
from refdb.store import writes

from .badinputs import _mongo_glued_lines, telegram
from .strategies import _cables_csv, _viewer_html, cable_texts, documents, dtg_texts, id_texts

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORIGINS = frozenset({"TOKYO", "SAOPAULO", "KABUL", "SOFIA", "MINSK", "STATE", "USUNNEWYORK", "NEWDELHI"})
NOW = datetime(2024, 1, 1)


def parse_all(data: bytes) -> list[ParsedCable | InputProblem]:
    return list(parse_bytes(data, "fuzz.txt"))


def _fits(table: sa.Table, row: dict, where: str) -> list[str]:
    """Values of ``row`` longer than their column allows (PostgreSQL would refuse them)."""
    bad = []
    for name, value in row.items():
        col = table.c.get(name)
        length = getattr(col.type, "length", None) if col is not None else None
        if isinstance(value, str) and length is not None and len(value) > length:
            bad.append(f"{where}: {table.name}.{name} is {len(value)} characters, the column holds {length}")
    return bad


def assert_consistent(items: list[ParsedCable | InputProblem]) -> None:
    for item in items:
        if isinstance(item, InputProblem):
            assert not item.message.startswith("internal parser error"), str(item)
            assert "\n" not in str(item), f"problem not on one line: {item!s:.300}"
            continue
        c = item
        assert c.published_id
        assert [r.ordinal for r in c.refs] == list(range(len(c.refs)))
        ordinals = {r.ordinal for r in c.refs}
        for m in c.mentions:
            assert 0 <= m.start <= m.end <= len(c.text), m
            assert m.ref_ordinal is None or m.ref_ordinal in ordinals, m
        for r in c.refs:
            assert isinstance(r.kind, RefKind)
            if r.cited is not None:
                # What is stored as reference.cited_id is read back with CableId.parse
                # when references are resolved again: it must give the same ID.
                assert CableId.try_parse(r.cited.canonical) == r.cited, f"{r.raw!r} -> {r.cited!r}"
        if c.id is not None:
            assert CableId.try_parse(c.id.canonical) == c.id, f"cable ID {c.id!r} does not round-trip"
        # The rows exactly as storage writes them (it cuts over-long header values to their
        # column; the key columns it must not cut).
        problems = _fits(writes.CABLE, writes._fit(writes.CABLE, writes._cable_row(c, "0" * 64, NOW)), c.published_id)
        for item_ in c.refs:
            row = writes._fit(writes.REFERENCE, writes._reference_row(c.published_id, item_))
            problems += _fits(writes.REFERENCE, row, f"{c.published_id} {item_.raw!r}")
        for m in c.mentions:
            problems += _fits(writes.MENTION, {"letter": m.letter, "form": m.form}, f"{c.published_id} {m.text!r}")
        assert not problems, problems


@FUZZ
@given(documents())
@example(_cables_csv(telegram("08TOKYO1002"), "08EFTOKABUL10000000").encode())  # a garbled ID, serial too long
@example(_viewer_html(telegram("08TOKYO1002"), "08SECTION01OF02TOKYO12345678").encode())
@example(_mongo_glued_lines())  # the first mongo export's shape: DECL date glued to TAGS (PostgreSQL refused it)
@example(  # found by benchmarks/fuzz_long.py
    b'"1","4/11/2008 6:26","08TOKYO1002","Embassy Tokyo","CONFIDENTIAL","","header",'
    b'"E.O. 12958: DECL: 04/11/2018 REF: A. HANKINS JUNE 18 E-MAIL A. HANKINS JUNE 18 E-MAIL "\n'
)
@example(_viewer_html(telegram("08TOKYO5001"), "08" + "X" * 120 + "1").encode())  # a Reference ID longer than the key column
def test_parser_never_raises_and_returns_storable_cables(data):
    assert_consistent(parse_all(data))


@FUZZ
@given(documents())
def test_parsing_is_deterministic(data):
    assert parse_all(data) == parse_all(data)


@FUZZ
@given(st.text(max_size=3000))
# Found by benchmarks/fuzz_long.py: a year-less item of a 1966 cable is put in 1965,
# whose canonical form "65TOKYO1" reads back as 2065 when the reference is resolved again.
@example("O 010626Z JAN 66\nUNCLAS TOKYO 0\nREF:\nA. TOKYO 1\n")
def test_any_text_is_read_without_error(text):
    assert_consistent(parse_all(text.encode("utf-8", "surrogatepass")))


# --- IDs read from text ---------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(id_texts)
def test_an_id_read_from_text_round_trips(text):
    cid = CableId.try_parse(text)
    if cid is not None:
        assert CableId.parse(cid.canonical) == cid
        assert CableId.parse(cid.display, year=cid.year) == cid
        assert CableId.parse(f"{cid.year} {cid.origin} {cid.serial:06d}") == cid


@settings(max_examples=500, deadline=None)
@given(id_texts, st.booleans())
@example("08EFTOKABUL10000000", False)  # found by benchmarks/fuzz_long.py: an 8-digit serial
@example("08SECTION01OF02TOKYO12345678", True)
@example("90STATE12345678TOSEC1", False)
def test_repairing_a_published_id_never_raises_and_round_trips(text, with_origins):
    cid, how = repair_published(text, ORIGINS if with_origins else ())
    assert how in {"canonical", "section_fused", "caveat_fused", "suffix_fused", "origin_repaired", "unreadable"}
    assert (cid is None) == (how == "unreadable")
    if cid is not None:
        assert CableId.try_parse(cid.canonical) == cid, f"{text!r} -> {cid!r} ({how})"


@settings(max_examples=500, deadline=None)
@given(dtg_texts)
def test_a_dtg_normalises_to_a_fixed_point(text):
    dtg = normalise_dtg(text)
    if dtg is not None:
        assert normalise_dtg(dtg) == dtg
        assert len(dtg) == 14  # "162245Z OCT 08": what reference.dtg and cable.dtg hold
