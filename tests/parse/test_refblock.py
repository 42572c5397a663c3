"""REF blocks: real blocks from the corpus with the items written by hand, blocks that
must not give cables, synthetic forms, years, leftovers and hostile input."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from refdb.ids import CableId
from refdb.model import ParsedCable, RefItem, RefKind, YearSource
from refdb.parse import parse_path
from refdb.parse.mentions import find_mentions
from refdb.parse.posts_written import cited_origin
from refdb.parse.refblock import find_ref_blocks, parse_refs, ref_block_leftovers

from .refrows import FIXTURES, Row, read_rows, spaced

BLOCK_ROWS = read_rows("ref_blocks.txt")
NOT_CABLE_ROWS = read_rows("not_cables.txt")


def check_item(item: RefItem, line: str) -> None:
    """Compare one RefItem with an expectation line (see the fixture's header)."""
    fields = line.split()
    letter, kind, rest = fields[0], fields[1], fields[2:]
    assert item.letter == (None if letter == "-" else letter), line
    assert item.kind is RefKind(kind), line
    positional = [f for f in rest if "=" not in f]
    options = dict(f.split("=", 1) for f in rest if "=" in f)
    if kind == "cable":
        cited = positional[0] if positional else None
        assert (item.cited.canonical if item.cited else "-") == cited, line
        if len(positional) > 1:
            source = positional[1]
            assert (item.year_source.value if item.year_source else "-") == source, line
    else:
        assert item.cited is None and item.serial is None, line
    if "written" in options:
        expected = None if options["written"] == "-" else spaced(options["written"])
        assert item.origin_written == expected, line
    if "q" in options:
        assert item.qualifiers == tuple(spaced(q) for q in options["q"].split(";")), line
    if "dtg" in options:
        assert item.dtg == spaced(options["dtg"]), line
    if "sender" in options:
        assert item.dtg_sender == spaced(options["sender"]), line
    if "block" in options:
        assert item.block == int(options["block"]), line


def check_rows(row: Row) -> tuple[RefItem, ...]:
    refs = parse_refs(row.text, row.citing)
    expected = [line for line in row.expect if line.strip() != "none"]
    got = [f"{r.letter or '-'} {r.kind.value} {r.cited.canonical if r.cited else '-'}" for r in refs]
    assert len(refs) == len(expected), f"{row.id}: got {got}"
    for item, line in zip(refs, expected):
        check_item(item, line)
    assert [r.ordinal for r in refs] == list(range(len(refs)))
    return refs


@pytest.mark.parametrize("row", BLOCK_ROWS, ids=[r.id for r in BLOCK_ROWS])
def test_real_ref_block(row: Row) -> None:
    check_rows(row)


@pytest.mark.parametrize("row", NOT_CABLE_ROWS, ids=[r.id for r in NOT_CABLE_ROWS])
def test_text_that_names_no_cable(row: Row) -> None:
    refs = check_rows(row)
    # each row holds something that must not be read as a cable (or nothing at all)
    assert not refs or any(r.kind is not RefKind.CABLE for r in refs)


def test_fixture_tables_are_big_enough() -> None:
    assert len(BLOCK_ROWS) + len(NOT_CABLE_ROWS) >= 170
    assert len({r.id for r in BLOCK_ROWS}) == len(BLOCK_ROWS)


# -- the seed cable ---------------------------------------------------------------------


def test_seed_cable_refs() -> None:
    text = (FIXTURES / "seed_08TOKYO1002.txt").read_text(encoding="utf-8")
    refs = parse_refs(text, CableId.parse("08TOKYO1002"))
    assert [(r.letter, str(r.cited), r.year_source) for r in refs] == [
        ("A", "08TOKYO960", YearSource.CITING_YEAR),
        ("B", "07TOKYO5019", YearSource.EXPLICIT),
        ("C", "07TOKYO2690", YearSource.EXPLICIT),
    ]
    assert [r.raw for r in refs] == ["TOKYO 960", "07 TOKYO 5019", "07 TOKYO 2690"]
    # the page-break header "TOKYO 00001002 002 OF 002" lower down is not a reference
    assert all(r.cited != CableId.parse("08TOKYO1002") for r in refs)


# -- synthetic forms, one rule each ---------------------------------------------------------

CITING = CableId.parse("08TOKYO1002")


@pytest.mark.parametrize(
    "block, expected",
    [
        pytest.param("REF: TOKYO 999", [("08TOKYO999", YearSource.CITING_YEAR)], id="lower-serial-citing-year"),
        pytest.param("REF: TOKYO 1003", [("07TOKYO1003", YearSource.SERIAL_ORDER)], id="higher-serial-year-before"),
        pytest.param("REF: TOKYO 1002", [("08TOKYO1002", YearSource.CITING_YEAR)], id="same-serial-is-itself"),
        pytest.param("REF: OSAKA 1500", [("08OSAKAKOBE1500", YearSource.CITING_YEAR)], id="other-post-no-order"),
        pytest.param("REF: 2007 TOKYO 5", [("07TOKYO5", YearSource.EXPLICIT)], id="four-digit-year"),
        pytest.param("REF: TOKYO 5019/07", [("07TOKYO5019", YearSource.EXPLICIT)], id="slash-year-after"),
        pytest.param("REF: STATE 123456-91", [("91STATE123456", YearSource.EXPLICIT)], id="dash-year-after"),
        pytest.param("REF: TOKYO 5019 (2007)", [("07TOKYO5019", YearSource.EXPLICIT)], id="bracketed-4-year-after"),
        pytest.param("REF: MOSCOW 03242 2007", [("07MOSCOW3242", YearSource.EXPLICIT)], id="bare-4-year-after"),
        pytest.param("REF: KABUL 5679 06", [("06KABUL5679", YearSource.EXPLICIT)], id="bare-2-year-after"),
        pytest.param("REF: SAN JOSE 07 1963", [("07SANJOSE1963", YearSource.EXPLICIT)], id="year-between"),
        pytest.param("REF: (07) TOKYO 5019", [("07TOKYO5019", YearSource.EXPLICIT)], id="bracketed-year-before"),
        pytest.param("REF: 00821 ASMARA", [("08ASMARA821", YearSource.CITING_YEAR)], id="serial-before-post"),
        pytest.param(
            "REF: 07 ROME 2543 AND 2544",
            [("07ROME2543", YearSource.EXPLICIT), ("07ROME2544", YearSource.CARRIED)],
            id="year-carried-in-list",
        ),
        pytest.param(
            "REF: 07 NEW DELHI 1261/1263/1264",
            [("07NEWDELHI1261", YearSource.EXPLICIT), ("07NEWDELHI1263", YearSource.CARRIED),
             ("07NEWDELHI1264", YearSource.CARRIED)],
            id="slash-list",
        ),
        pytest.param(
            "REF: NEW DELHI 6773-6775 AND 6816",
            [("08NEWDELHI6773", YearSource.CITING_YEAR), ("08NEWDELHI6774", YearSource.CITING_YEAR),
             ("08NEWDELHI6775", YearSource.CITING_YEAR), ("08NEWDELHI6816", YearSource.CITING_YEAR)],
            id="serial-range",
        ),
        pytest.param("REF: 08TOKYO960", [("08TOKYO960", YearSource.EXPLICIT)], id="canonical-id-written"),
        pytest.param("REF: 07 T0KYO 5019", [("07TOKYO5019", YearSource.EXPLICIT)], id="zero-for-o-in-post"),
        pytest.param("REF: 212", [("08TOKYO212", YearSource.CITING_YEAR)], id="bare-serial-citing-post"),
        pytest.param("REF: SECSTATE WASHDC 2222", [("08STATE2222", YearSource.CITING_YEAR)], id="secstate-washdc"),
        pytest.param("REF: AMEMBASSY PARIS 44", [("08PARIS44", YearSource.CITING_YEAR)], id="amembassy-prefix"),
        pytest.param("REF: MEXICO CITY 44", [("08MEXICO44", YearSource.CITING_YEAR)], id="mexico-city"),
        pytest.param("REF: BOGOTA 3361 12 NOV 2007", [("07BOGOTA3361", YearSource.EXPLICIT)], id="date-after-serial"),
    ],
)
def test_synthetic_forms(block: str, expected: list[tuple[str, YearSource]]) -> None:
    refs = parse_refs(f"SUBJECT: TEST\n\n{block}\n\nClassified By: X\n", CITING)
    assert [(str(r.cited), r.year_source) for r in refs] == expected


def test_serial_order_note_says_why() -> None:
    (item,) = parse_refs("REF: TOKYO 1003\n", CITING)
    assert item.note is not None and "1002" in item.note and "year before" in item.note


# At the edges of the years a cable ID can hold (refdb.ids.FIRST_YEAR, LAST_YEAR).
@pytest.mark.parametrize(
    "citing, block, expected",
    [
        pytest.param("66TOKYO5", "REF: TOKYO 4", ("66TOKYO4", 1966, YearSource.CITING_YEAR), id="1966-lower-serial"),
        pytest.param("67TOKYO5", "REF: TOKYO 6", ("66TOKYO6", 1966, YearSource.SERIAL_ORDER), id="1967-higher-serial"),
        pytest.param("66TOKYO5", "REF: 66 TOKYO 6", ("66TOKYO6", 1966, YearSource.EXPLICIT), id="1966-explicit"),
        pytest.param("65TOKYO5", "REF: TOKYO 4", ("65TOKYO4", 2065, YearSource.CITING_YEAR), id="2065-lower-serial"),
        pytest.param("65TOKYO5", "REF: TOKYO 6", ("64TOKYO6", 2064, YearSource.SERIAL_ORDER), id="2065-higher-serial"),
        # The serial says the year before, 1965, which no cable ID holds ("65TOKYO6"
        # reads as 2065): no ID rather than a wrong one.
        pytest.param("66TOKYO5", "REF: TOKYO 6", (None, None, None), id="1966-higher-serial"),
        pytest.param("66TOKYO0", "REF:\nA. TOKYO 1", (None, None, None), id="1966-fuzz-found"),
    ],
)
def test_years_at_the_window_edges(citing: str, block: str, expected: tuple) -> None:
    (item,) = parse_refs(f"SUBJECT: TEST\n\n{block}\n\nClassified By: X\n", CableId.parse(citing))
    assert (item.cited and item.cited.canonical, item.year, item.year_source) == expected
    if item.cited is not None:
        assert CableId.parse(item.cited.canonical) == item.cited


def test_a_1966_item_above_the_citing_serial_says_why_it_has_no_id() -> None:
    (item,) = parse_refs("REF: TOKYO 6\n", CableId.parse("66TOKYO5"))
    assert (item.kind, item.serial, item.origin_written) == (RefKind.CABLE, 6, "TOKYO")
    assert item.note is not None and "1965" in item.note and "1966" in item.note


def test_no_citing_cable_means_no_year() -> None:
    (item,) = parse_refs("REF: TOKYO 960\n", None)
    assert (item.cited, item.year, item.year_source, item.serial, item.origin_written) == (None, None, None, 960, "TOKYO")
    assert item.note is not None and "unknown" in item.note


def test_citing_origin_alone_places_bare_serials() -> None:
    (item,) = parse_refs("REF: 960\n", None, citing_origin="TOKYO")
    assert item.serial == 960 and item.origin_written is None and item.cited is None


@pytest.mark.parametrize(
    "written, origin",
    [
        ("SECSTATE", "STATE"),
        ("Secstate", "STATE"),
        ("SECSTATE WASHDC", "STATE"),
        ("USUN", "USUNNEWYORK"),
        ("USUN NEW YORK", "USUNNEWYORK"),
        ("USEU", "USEUBRUSSELS"),
        ("UNVIE", "UNVIEVIENNA"),
        ("AMEMBASSY TOKYO", "TOKYO"),
        ("AMCONSUL OSAKA KOBE", "OSAKAKOBE"),
        ("THE HAGUE", "THEHAGUE"),
        ("ST. PETERSBURG", "STPETERSBURG"),
        ("T0KYO", "TOKYO"),
        # misspellings and truncations are left for the resolver's fuzzy repair
        ("BRASILA", "BRASILA"),
        ("SECTATE", "SECTATE"),
        ("KUALA LUMP", "KUALALUMP"),
        # distinct posts that share a city stay distinct
        ("AIT TAIPEI", "AITTAIPEI"),
        ("TAIPEI", "TAIPEI"),
        ("BRUSSELS", "BRUSSELS"),
    ],
)
def test_posts_as_written(written: str, origin: str) -> None:
    assert cited_origin(written) == origin


# -- qualifiers, DTG messages and kinds ------------------------------------------------------


@pytest.mark.parametrize(
    "block, qualifiers",
    [
        pytest.param("REF: TOKYO 960 (NOTAL)", ("NOTAL",), id="notal"),
        pytest.param("REF: TOKYO 960 NOTAL", ("NOTAL",), id="notal-bare"),
        pytest.param("REF: TOKYO 960 AND PREVIOUS", ("AND PREVIOUS",), id="and-previous"),
        pytest.param("REF: TOKYO 960 (EXDIS)", ("EXDIS",), id="exdis"),
        pytest.param("REF: TOKYO 960 (C)", ("(C)",), id="classification-mark"),
        pytest.param("REF: TOKYO 960 (U)", ("(U)",), id="classification-mark-u"),
        pytest.param("REF: TOKYO 960 AND LATER", ("AND LATER",), id="and-later"),
    ],
)
def test_qualifiers_stay_out_of_the_id(block: str, qualifiers: tuple[str, ...]) -> None:
    (item,) = parse_refs(block + "\n", CITING)
    assert (str(item.cited), item.qualifiers) == ("08TOKYO960", qualifiers)


@pytest.mark.parametrize(
    "block, sender, dtg",
    [
        pytest.param("REF: SECDEF R162245Z OCT 08", "SECDEF", "162245Z OCT 08", id="secdef"),
        pytest.param("REF: SECTO 003 DTG 070102Z JUN 08", "SECTO", "070102Z JUN 08", id="secto"),
        pytest.param("REF: DEPT OF TREAS 241534Z MAR 06", "DEPT", "241534Z MAR 06", id="dept-of-treas"),
        pytest.param("REF: USDAO STOCKHOLM DTG 051506ZJUN2008", "USDAO STOCKHOLM", "051506Z JUN 2008", id="glued"),
    ],
)
def test_dtg_only_messages(block: str, sender: str, dtg: str) -> None:
    (item,) = parse_refs(block + "\n", CITING)
    assert (item.kind, item.dtg_sender, item.dtg, item.cited) == (RefKind.DTG_MESSAGE, sender, dtg, None)


# -- finding blocks ------------------------------------------------------------------------------


def test_second_block_later_in_the_heading() -> None:
    text = (
        "SUBJECT: TWO BLOCKS\n\nREF: TOKYO 960\n\nFOR THE AMBASSADOR\n\nREFS: A. STATE 12 B. STATE 13\n\n"
        "Classified By: X\n\n1. (C) Body.\n"
    )
    refs = parse_refs(text, CITING)
    assert [(r.block, r.letter, str(r.cited)) for r in refs] == [
        (0, None, "08TOKYO960"),
        (1, "A", "08STATE12"),
        (1, "B", "08STATE13"),
    ]


def test_keyword_in_the_body_is_not_a_block() -> None:
    text = "SUBJECT: X\n\nClassified By: Y\n\n1. (C) As he said, see Ref: STATE 99 for details.\n"
    assert parse_refs(text, CITING) == ()
    assert find_ref_blocks(text) == ()


def test_block_spans_point_into_the_text() -> None:
    text = (FIXTURES / "seed_08TOKYO1002.txt").read_text(encoding="utf-8")
    (block,) = find_ref_blocks(text)
    assert text[block.start : block.start + 4] == "REF:"
    assert text[block.start : block.end].endswith("07 TOKYO 2690")
    assert len(block.content) == block.end - block.content_start


# -- leftovers: what the grammar could not account for -------------------------------------------


@pytest.mark.parametrize(
    "block, leftovers",
    [
        pytest.param("REF: A. STATE 123 B. STATE 456\n", [], id="clean"),
        pytest.param("REF: SECST...\n", [("truncated", None, "SECST...")], id="truncated"),
        pytest.param("REF: A. STATE 123 FOO BAR\n", [("unread_text", "A", "FOO BAR")], id="unread-words"),
        pytest.param("REF: A. 02 SAO PAULO xxx\n", [("unreadable_item", "A", "02 SAO PAULO xxx")], id="unreadable"),
        pytest.param("REF: A. STATE 1 B. C. STATE 3\n", [("empty_letter", "B", "")], id="empty-letter"),
    ],
)
def test_leftovers(block: str, leftovers: list[tuple[str, str | None, str]]) -> None:
    got = ref_block_leftovers(block, CITING)
    assert [(lo.category, lo.letter, lo.text) for lo in got] == leftovers


def test_unread_text_is_noted_on_the_item() -> None:
    (item,) = parse_refs("REF: STATE 123 FOO BAR 7/7/77\n", CITING)
    # the date is not next to the serial: it does not give the year
    assert item.year_source is YearSource.CITING_YEAR
    assert item.note is not None and "unread: FOO BAR" in item.note


# -- hostile input: everything completes, cost grows with size, not faster -------------------------


def _cpu(fn: Callable[[str], None], arg: str) -> float:
    start = time.process_time()
    fn(arg)
    return time.process_time() - start


def test_ten_thousand_items() -> None:
    lines = "REF: " + "\n".join(f"TOKYO {1000 + k}" for k in range(10_000))
    refs = parse_refs("SUBJECT: X\n" + lines + "\n\nClassified By: X\n", CITING)
    assert [r.serial for r in refs] == list(range(1000, 11_000))
    assert [r.ordinal for r in refs] == list(range(10_000))
    lists = "REF: TOKYO " + "/".join(str(1000 + k) for k in range(10_000))
    assert [r.serial for r in parse_refs(lists + "\n", CITING)] == list(range(1000, 11_000))
    # As a telegram lays them out, a lettered item a line (190 KB): none is cut off.
    lettered = "REF: " + "\n".join(f"     {chr(65 + k % 26)}. TOKYO {1 + k}" for k in range(10_000))
    assert [r.serial for r in parse_refs("SUBJECT: X\n" + lettered + "\n\nClassified By: X\n", CITING)] == list(
        range(1, 10_001)
    )


@pytest.mark.parametrize(
    "unit",
    [
        pytest.param("A. ", id="letters"),
        pytest.param("( ", id="open-brackets"),
        pytest.param("1. ", id="numbers"),
        pytest.param("TOKYO ", id="post-words"),
        pytest.param("REF: ", id="keywords"),
        pytest.param("(REF A) ", id="mentions"),
        pytest.param("X" * 50, id="long-word"),
        pytest.param("00001002 002 OF 002 ", id="page-header-parts"),
    ],
)
def test_hostile_line_is_linear(unit: str) -> None:
    def run(text: str) -> None:
        find_mentions(text, parse_refs(text, CITING))

    # both sizes beyond the bound on a block's length (400,000), so both do the same kind of work
    small = "SUBJECT: X\nREF: " + unit * (500_000 // len(unit))
    big = "SUBJECT: X\nREF: " + unit * (2_000_000 // len(unit))
    run("SUBJECT: W\nREF: " + unit * 1000)  # warm up (a different text: results are cached per text)
    t_small = max(_cpu(run, small), 1e-3)
    t_big = _cpu(run, big)
    # four times the text may cost four times the time; quadratic growth would cost sixteen
    assert t_big < 10 * t_small


def test_corpus_fixture_excerpts_are_small() -> None:
    for path in Path(FIXTURES).iterdir():
        assert path.stat().st_size < 64_000, path.name


def test_trailing_text_does_not_change_items() -> None:
    for row in BLOCK_ROWS[:20]:
        assert parse_refs(row.text + "\n\n1. (C) Body text.\n", row.citing) == parse_refs(row.text, row.citing)


# -- the whole corpus -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def viewer_cables(corpus_dir: Path) -> list[ParsedCable]:
    mirror = corpus_dir / "avilaroman_Wikileaks-Mirror"
    if not mirror.is_dir():
        pytest.skip(f"{mirror} is absent")
    return [c for c in parse_path(mirror) if isinstance(c, ParsedCable)]


@pytest.mark.corpus
def test_corpus_items_are_accounted_for(viewer_cables: list[ParsedCable]) -> None:
    items = sum(len(c.refs) for c in viewer_cables)
    with_refs = sum(1 for c in viewer_cables if c.refs)
    not_accounted = 0
    for c in viewer_cables:
        leftovers = ref_block_leftovers(c.text, c.id, citing_origin=c.origin)
        not_accounted += len({lo.ordinal for lo in leftovers if lo.ordinal is not None})
    # the biggest mirror: about 6,700 cables, 60% of them with a REF block
    assert 0.55 < with_refs / len(viewer_cables) < 0.7
    assert items > 9_000
    assert not_accounted / items < 0.01


@pytest.mark.corpus
def test_corpus_kinds_and_years(viewer_cables: list[ParsedCable]) -> None:
    refs = [r for c in viewer_cables for r in c.refs]
    kinds = {k: sum(1 for r in refs if r.kind is k) for k in RefKind}
    # about 4-6% of items are not cables; every kind but the rarest shows up
    assert 0.03 < 1 - kinds[RefKind.CABLE] / len(refs) < 0.08
    assert all(kinds[k] > 0 for k in (RefKind.EMAIL, RefKind.TELCON, RefKind.LETTER, RefKind.INTEL_REPORT,
                                     RefKind.PRESS_REPORT, RefKind.DTG_MESSAGE, RefKind.OTHER))
    cables = [r for r in refs if r.kind is RefKind.CABLE]
    assert all(r.serial is not None for r in cables)
    serial_order = [r for r in cables if r.year_source is YearSource.SERIAL_ORDER]
    # cable-format.md counts 232 such items in the corpus
    assert 150 < len(serial_order) < 300
    assert all(r.cited is not None and r.note for r in serial_order)


@pytest.mark.corpus
def test_corpus_mentions_attach_to_their_letters(viewer_cables: list[ParsedCable]) -> None:
    total = attached = 0
    for c in viewer_cables:
        for m in c.mentions:
            total += 1
            assert c.text[m.start : m.end] == m.text
            if m.ref_ordinal is not None:
                attached += 1
                if m.form == "letter":
                    assert c.refs[m.ref_ordinal].letter == m.letter
    assert total > 7_000
    assert attached / total > 0.85
