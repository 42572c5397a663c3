"""Input formats, detected by content, on real excerpts (tests/fixtures/formats) and on
bad or hostile input: every input yields cables or one-line InputProblems, never an
exception, at a bounded cost."""

from __future__ import annotations

import gzip
import io
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refdb.model import InputProblem, RawCable
from refdb.parse import parse_bytes, parse_path, read_bytes, read_path, read_stream
from refdb.parse.formats import cables_csv, mongo_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "formats"


def _items(name: str) -> list[RawCable | InputProblem]:
    return list(read_path(FIXTURES / name))


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _one(items: list[RawCable | InputProblem]) -> RawCable:
    assert len(items) == 1 and isinstance(items[0], RawCable), items
    return items[0]


def _problems(items: list) -> list[InputProblem]:
    return [i for i in items if isinstance(i, InputProblem)]


# -- detection: every fixture, its format and how many cables ------------------------------

@pytest.mark.parametrize(
    "name, fmt, cables, problems",
    [
        pytest.param("seed_08TOKYO1002.txt", "telegram", 1, 0, id="seed-telegram"),
        pytest.param("viewer_09CAIRO1514.html", "viewer_html", 1, 0, id="viewer-apr2011"),
        pytest.param("viewer_final2011_7575LIBREVILLE1895.html", "viewer_html", 1, 0, id="viewer-final2011"),
        pytest.param("viewer_nov2010_09RIYADH447.html", "viewer_html", 1, 0, id="viewer-nov2010"),
        pytest.param("viewer_dec2010_04RANGOON1100.html", "viewer_html", 1, 0, id="viewer-dec2010"),
        pytest.param("viewer_socialgraph_10CARACAS187.html", "viewer_html", 1, 0, id="viewer-socialgraph"),
        pytest.param("viewer_relative_links_10ASUNCION97.html", "viewer_html", 1, 0, id="viewer-relative-links"),
        pytest.param("viewer_gzip_named_html_79TEHRAN8980.html", "viewer_html", 1, 0, id="viewer-gzip-named-html"),
        pytest.param("cables_csv_head_rows1-3.csv", "cables_csv", 3, 0, id="csv-stray-quote-line"),
        pytest.param("cables_csv_rows28-30.csv", "cables_csv", 3, 0, id="csv-rows"),
        pytest.param("cables_csv_last_row_cut.csv", "cables_csv", 1, 0, id="csv-cut-row"),
        pytest.param("mongo_refid_wikileaks-11-28-10_rec1.json", "mongo_json", 1, 0, id="mongo-refid"),
        pytest.param("mongo_derived_baghdad_rec1-2.json", "mongo_json", 2, 0, id="mongo-derived"),
        pytest.param("mongo_broken_cairo_rec1-2.json", "mongo_json", 2, 0, id="mongo-broken"),
        pytest.param("mongo_iran_rec179_and_last.json", "mongo_json", 2, 0, id="mongo-junk-tail"),
        pytest.param("mongo_escaped_apostrophes_islamabad_rec1.json", "mongo_json", 1, 0, id="mongo-apostrophes"),
        pytest.param("plusd_07BOGOTA1165.txt", "plusd_text", 1, 0, id="plusd-latin1"),
        pytest.param("plusd_09USEUBRUSSELS1177.txt", "plusd_text", 1, 0, id="plusd-log-block"),
        pytest.param("plusd_07KUALALUMPUR1376.txt", "plusd_text", 1, 0, id="plusd-utf8"),
        pytest.param("body_04THEHAGUE2415.txt", "body_text", 1, 0, id="body-fragment"),
        pytest.param("body_ner_00HARARE6677.txt", "body_text", 1, 0, id="body-ner"),
        pytest.param("jsonp_08MOSCOW3343.json", "jsonp", 1, 0, id="jsonp"),
        pytest.param("plusd_00DAMASCUS3013.pdf", None, 0, 1, id="pdf"),
        pytest.param("body_debris_only_04OTTAWA3115.txt", None, 0, 1, id="debris-only"),
    ],
)
def test_format_detected_by_content(name: str, fmt: str | None, cables: int, problems: int) -> None:
    items = _items(name)
    raws = [i for i in items if isinstance(i, RawCable)]
    assert [r.format for r in raws] == [fmt] * cables
    assert len(_problems(items)) == problems


def test_file_name_is_never_consulted(tmp_path: Path) -> None:
    misnamed = tmp_path / "cable.pdf"
    misnamed.write_bytes(_fixture("seed_08TOKYO1002.txt"))
    assert _one(list(read_path(misnamed))).format == "telegram"


# -- what each reader makes of its format ------------------------------------------------

def test_viewer_html_text_and_metadata() -> None:
    raw = _one(_items("viewer_09CAIRO1514.html"))
    assert raw.meta == {
        "id": "09CAIRO1514",
        "date": "2009-08-05 13:01",
        "released": "2011-02-16 21:09",
        "classification": "UNCLASSIFIED",
        "origin_name": "Embassy Cairo",
        "title": "09CAIRO1514, INITIATIVES TO COUNTER TORTURE IN EGYPT",
    }
    header, _, body = raw.text.partition("\n\n")
    assert header.startswith("VZCZCXRO5273\nRR RUEHROV\nDE RUEHEG #1514 2171317\n")
    assert body.startswith("UNCLAS CAIRO 001514 \n \nSIPDIS")
    assert "TAGS: PGOV PHUM UN EG\n" in body  # TAG links reduced to their text
    assert "¶1. Torture is a serious problem" in body  # paragraph anchors kept as ¶
    assert "<" not in raw.text and "&#x" not in raw.text


def test_viewer_nov2010_date_column() -> None:
    raw = _one(_items("viewer_nov2010_09RIYADH447.html"))
    assert raw.meta["date"] == "2009-03-22 10:10" and "released" not in raw.meta


def test_viewer_partial_extract_keeps_its_note_as_header() -> None:
    raw = _one(_items("viewer_dec2010_04RANGOON1100.html"))
    assert raw.text.startswith("This record is a partial extract of the original cable.")
    assert "\n\nFriday, 27 August 2004, 08:08\nS E C R E T SECTION 01 OF 02 RANGOON 001100" in raw.text


def test_viewer_mysql_escaped_newlines_are_newlines() -> None:
    raw = _one(_items("viewer_09ANKARA71.html"))
    assert "\\\n" not in raw.text
    assert "SUBJECT: TURKEY: AQ KHAN SANCTIONS REACTION, UPDATE ON CASE \n" in raw.text


def test_seed_scrape_debris_becomes_cable_text() -> None:
    raw = _one(_items("seed_08TOKYO1002.txt"))
    assert "](#)" not in raw.text
    assert "TAGS: PREL MARR PARM JA RS\n" in raw.text
    assert "REF: A. TOKYO 960\n¶B. 07 TOKYO 5019\n¶C. 07 TOKYO 2690" in raw.text
    assert "¶1. (C) Summary." in raw.text


def test_ner_annotations_are_removed() -> None:
    raw = _one(_items("body_ner_00HARARE6677.txt"))
    assert "[LOC" not in raw.text and "[ORG" not in raw.text
    assert raw.text.startswith("C O N F I D E N T I A L SECTION 01 OF 02 HARARE 005461 SIPDIS")


def test_plusd_latin1_pilcrows() -> None:
    raw = _one(_items("plusd_07BOGOTA1165.txt"))
    assert raw.warnings == ("not UTF-8: decoded as Windows-1252",)
    assert "\r" not in raw.text
    assert "¶1.  This is an action request" in raw.text


def test_plusd_replacement_character_pilcrow() -> None:
    data = _fixture("plusd_07BOGOTA1165.txt").replace(b"\xb6", "\ufffd".encode())
    raw = _one(list(read_bytes(data, "converted.txt")))
    assert raw.format == "plusd_text" and raw.warnings == ()
    assert "¶1.  This is an action request" in raw.text and "\ufffd" not in raw.text


def test_cables_csv_rows() -> None:
    rows = _items("cables_csv_head_rows1-3.csv")
    first = rows[0]
    assert isinstance(first, RawCable) and first.locator == "row=1"
    assert first.meta == {
        "row": "1",
        "date": "12/28/1966 18:48",
        "id": "66BUENOSAIRES2481",
        "origin_name": "Embassy Buenos Aires",
        "classification": "UNCLASSIFIED",
        "references": "66STATE106206",
    }
    assert first.text.startswith("P R 281848Z DEC 66\nFM AMEMBASSY BUENOS AIRES\n")
    assert "STATE GRNC\n\nUNCLASSIFIED BUENOS AIRES 2481" in first.text  # header, blank line, content
    assert 'OF "PREFERENTIAL JURISDICTION" FOR FISHING' in first.text  # \" unescaped
    second = rows[1]
    assert isinstance(second, RawCable) and "SHAH'S INCREASING CONCERN" in second.text  # \' unescaped


def test_cables_csv_cut_row_is_read_with_a_warning() -> None:
    raw = _one(_items("cables_csv_last_row_cut.csv"))
    assert raw.meta["id"] == "85CAIRO6360"
    assert raw.warnings == ("row cut off: end of file inside a quoted field; text may be incomplete",)
    assert raw.text.rstrip().endswith("LYNE")


def test_mongo_refid_and_references_variants() -> None:
    refid = _one(_items("mongo_refid_wikileaks-11-28-10_rec1.json"))
    assert refid.meta["id"] == "04ANKARA348" and "references" not in refid.meta
    assert refid.text.startswith("This record is a partial extract")  # the "header" key comes first
    derived = _items("mongo_derived_baghdad_rec1-2.json")
    assert [d.meta.get("references") for d in derived] == ["04BAGHDAD29", "04BAGHDAD1"]  # type: ignore[union-attr]
    assert all("id" not in d.meta for d in derived)  # type: ignore[union-attr]
    assert [d.locator for d in derived] == ["record=1", "record=2"]  # type: ignore[union-attr]


def test_mongo_records_repaired() -> None:
    cairo = _items("mongo_broken_cairo_rec1-2.json")
    second = cairo[1]
    assert isinstance(second, RawCable)
    assert "repaired JSON record: unescaped quotes inside a value" in second.warnings
    assert 'the "dirty media war" again Egypt' in second.text
    last = _items("mongo_iran_rec179_and_last.json")[1]
    assert isinstance(last, RawCable)
    assert last.warnings == ("repaired JSON record: junk after the closing brace ignored",)
    apostrophes = _one(_items("mongo_escaped_apostrophes_islamabad_rec1.json"))
    assert "HIS AMBASSADOR'S APPRAISAL" in apostrophes.text


def test_jsonp_header_then_text() -> None:
    raw = _one(_items("jsonp_08MOSCOW3343.json"))
    assert raw.locator == "items[0]"
    assert raw.meta["id"] == "08MOSCOW3343" and raw.meta["precedence"] == "PP"
    assert raw.text.startswith("VZCZCXYZ0000\nPP RUEHWEB\n")
    assert "\n\nWednesday, 19 November 2008, 06:43\nC O N F I D E N T I A L MOSCOW 003343" in raw.text


# -- containers: gzip, directories, stdin, streaming ----------------------------------------

def test_gzip_is_unwrapped_by_magic_bytes() -> None:
    plain = _one(_items("viewer_09CAIRO1514.html"))
    packed = _one(list(read_bytes(gzip.compress(_fixture("viewer_09CAIRO1514.html")), "x.txt")))
    assert (packed.text, packed.meta) == (plain.text, plain.meta)


def test_gzip_of_a_multi_cable_file_streams_its_records() -> None:
    items = list(read_bytes(gzip.compress(_fixture("cables_csv_rows28-30.csv")), "rows.csv.gz"))
    assert [i.meta["id"] for i in items] == ["85STATE38496", "85MOGADISHU1643", "85NOFORNMOGADISHU1643"]  # type: ignore[union-attr]


def test_directory_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_bytes(_fixture("seed_08TOKYO1002.txt"))
    (tmp_path / "b" / "c.html.gz").write_bytes(gzip.compress(_fixture("viewer_09CAIRO1514.html")))
    (tmp_path / "b" / "a.json").write_bytes(_fixture("jsonp_08MOSCOW3343.json"))
    sources = [Path(i.source).relative_to(tmp_path).as_posix() for i in read_path(tmp_path)]
    assert sources == ["a.txt", "b/a.json", "b/c.html.gz"]
    assert sources == [Path(i.source).relative_to(tmp_path).as_posix() for i in read_path(tmp_path)]


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    (problem,) = list(read_path(tmp_path / "nope.txt"))
    assert isinstance(problem, InputProblem) and problem.message == "no such file or directory"


def test_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_fixture("seed_08TOKYO1002.txt"))))
    raw = _one(list(read_path("-")))
    assert raw.source == "-" and raw.format == "telegram"


class _CountingReader(io.RawIOBase):
    """A file that counts what was read from it."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.read_so_far = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
        n = self._data.readinto(buffer)
        self.read_so_far += n
        return n


def test_cables_csv_streams_row_by_row() -> None:
    rows = _fixture("cables_csv_rows28-30.csv")
    big = rows * 400  # ~6 MB
    source = _CountingReader(big)
    items = read_stream(source, "cables.csv")  # type: ignore[arg-type]
    first = next(items)
    assert isinstance(first, RawCable) and first.meta["id"] == "85STATE38496"
    assert source.read_so_far < 1 << 20  # the first row came long before the 6 MB were read
    assert sum(1 for _ in items) == 3 * 400 - 1


# -- bad input: one-line problems or best-effort reads ------------------------------------

SEED = (FIXTURES / "seed_08TOKYO1002.txt").read_bytes()
CSV_ROW = (FIXTURES / "cables_csv_head_rows1-3.csv").read_bytes()


@pytest.mark.parametrize(
    "data, message",
    [
        pytest.param(b"", "empty input", id="empty"),
        pytest.param(b" \n\t\n", "input holds only whitespace", id="whitespace"),
        pytest.param(bytes(range(256)) * 64, "binary data (control bytes), not cable text", id="binary"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 100, "binary data (a zip archive), not cable text", id="zip"),
        pytest.param(SEED.decode().encode("utf-16-le"),
                     "binary data: looks like UTF-16 without a byte-order mark; save it as UTF-8", id="utf16-no-bom"),
        pytest.param(_fixture("plusd_00DAMASCUS3013.pdf"),
                     "PDF is not supported; extract its text first (e.g. pdftotext) and ingest the .txt", id="pdf"),
        pytest.param(b'{"cables": []}', 'JSON that is not a known cable export (no mongoexport "_id" records, no JSONP call)',
                     id="other-json"),
        pytest.param(b"Dear diary,\nnothing happened today.\n",
                     "unrecognised text: no routing header, classification banner or TAGS/SUBJECT lines "
                     "(first line: 'Dear diary,')", id="prose"),
        pytest.param(gzip.compress(SEED)[:30], "gzip data is truncated (read what was there)", id="gzip-truncated"),
    ],
)
def test_bad_input_is_one_problem(data: bytes, message: str) -> None:
    (problem,) = list(read_bytes(data, "input"))
    assert isinstance(problem, InputProblem)
    assert problem.message == message and "\n" not in str(problem)


def test_corrupt_gzip() -> None:
    (problem,) = list(read_bytes(b"\x1f\x8b\x08\x00" + b"garbage!" * 50, "x.gz"))
    assert isinstance(problem, InputProblem) and problem.message.startswith("corrupt gzip data")


@pytest.mark.parametrize(
    "encoding, warning",
    [
        pytest.param("utf-16", None, id="utf16-bom"),
        pytest.param("cp1252", "not UTF-8: decoded as Windows-1252", id="windows-1252"),
        pytest.param("utf-8-sig", None, id="utf8-bom"),
    ],
)
def test_encodings(encoding: str, warning: str | None) -> None:
    text = _one(_items("viewer_07MUSCAT359.html")).text  # has IRAN’S (U+2019)
    doc = "VZCZCXRO1333\n" + text.split("\n", 1)[1]
    raw = _one(list(read_bytes(doc.encode(encoding), "muscat.txt")))
    assert raw.text == doc and "IRAN’S" in raw.text
    assert raw.warnings == ((warning,) if warning else ())


def test_latin1_bytes_undefined_in_windows_1252() -> None:
    raw = _one(list(read_bytes(SEED.replace(b"Meserve", b"Mes\x81erve"), "seed.txt")))
    assert raw.warnings == ("not UTF-8: decoded as Latin-1",) and "Mes\x81erve" in raw.text


def test_truncated_html_is_read_best_effort() -> None:
    page = _fixture("viewer_09CAIRO1514.html")
    cut = page[: page.index(b"Several Egyptian NGOs")]
    raw = _one(list(read_bytes(cut, "cut.html")))
    assert raw.warnings == ("truncated HTML: the last <pre> block is not closed",)
    assert raw.text.endswith("ongoing efforts in the country to prevent its practice and protect victims. ")


def test_html_cut_before_the_cable_text() -> None:
    page = _fixture("viewer_09CAIRO1514.html")
    (problem,) = list(read_bytes(page[: page.index(b"<code><pre>")], "cut.html"))
    assert isinstance(problem, InputProblem)
    assert problem.message == "viewer page for 09CAIRO1514 has no cable text (no <pre> block)"


def test_csv_row_with_a_missing_column() -> None:
    broken = CSV_ROW.replace(b'"UNCLASSIFIED","66STATE106206",', b'"UNCLASSIFIED",', 1)
    items = list(read_bytes(broken, "cables.csv"))
    problem = items[0]
    assert isinstance(problem, InputProblem) and problem.locator == "row=1"
    assert problem.message == "expected 8 columns, found 7 (row starts at line 2)"
    assert [i.meta["id"] for i in items[1:]] == ["72TEHRAN1164", "72TEHRAN1381"]  # type: ignore[union-attr]


def test_json_line_that_is_not_json() -> None:
    records = _fixture("mongo_derived_baghdad_rec1-2.json").split(b"\n")
    data = b"\n".join([records[0], b'{ "_id" : "04BAGHDAD9", this is not JSON at all', records[1]]) + b"\n"
    items = list(read_bytes(data, "baghdad.json"))
    assert [type(i).__name__ for i in items] == ["RawCable", "InputProblem", "RawCable"]
    problem = items[1]
    assert isinstance(problem, InputProblem) and problem.locator == "line=2"
    assert problem.message == 'JSON record 2: not JSON and not repairable (no "_id" ... "body" record found)'


def test_text_outside_records_is_reported_once() -> None:
    data = b"junk line one\njunk line two\n" + _fixture("mongo_refid_wikileaks-11-28-10_rec1.json")
    items = list(read_bytes(data, "x.json"))
    assert [str(p) for p in _problems(items)] == ["x.json:line=1-2: 2 line(s) outside any JSON record skipped"]
    assert isinstance(items[1], RawCable) and items[1].meta["id"] == "04ANKARA348"  # found after the junk


def test_overlong_csv_row_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cables_csv, "MAX_RECORD_BYTES", 1 << 20)
    rows = _fixture("cables_csv_rows28-30.csv")
    huge = rows.replace(b"INTERNATIONAL LINKS OF LARF", b"INTERNATIONAL LINKS OF LARF " + b"X" * (2 << 20), 1)
    items = list(read_bytes(huge, "cables.csv"))
    assert [type(i).__name__ for i in items] == ["InputProblem", "RawCable", "RawCable"]
    assert "exceeds the record cap" in items[0].message  # type: ignore[union-attr]


def test_overlong_json_record_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mongo_json, "MAX_RECORD_BYTES", 1 << 20)
    first, second = _fixture("mongo_derived_baghdad_rec1-2.json").split(b"\n")[:2]
    huge = first.replace(b"THE LETTER ALSO", b"THE LETTER ALSO " + b"Y" * (2 << 20), 1)
    items = list(read_bytes(huge + b"\n" + second + b"\n", "b.json"))
    assert [type(i).__name__ for i in items] == ["InputProblem", "RawCable"]


# -- hostile input: linear time ----------------------------------------------------------

HOSTILE = {
    "ten-mb-line": SEED + b"A" * 10_000_000,
    "ten-mb-of-blanks": SEED + b" \t" * 5_000_000,
    "ner-openers": SEED + b"[LOC " * 400_000,
    "markdown-openers": SEED + b"[1](#" * 400_000,
    "spaced-banners": b"C O N F I D E N T I A L " * 100_000,
    "subject-spaces": SEED.replace(b"SUBJECT:", b"SUBJECT:" + b" " * 2_000_000),
    "unclosed-pres": b"<!DOCTYPE html>" + b"<pre" * 500_000,
    "deep-nesting": b"<html>" + b"<div>" * 500_000 + b"<code><pre>" + SEED + b"</pre></code>",
    "table-openers": b"<html><table class='cable'><th" * 200_000,
    "json-escapes": b'{ "_id" : "' + b"\\'\"" * 1_000_000 + b"\n",
    "json-separators": b'{ "_id" : "x' + b'", "origin" : "' * 300_000 + b'" }\n',
    "page-breaks": SEED + b"\nTOKYO 00001002 002 OF 002" * 200_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_costs_linear_time(name: str) -> None:
    start = time.process_time()
    items = list(parse_bytes(HOSTILE[name], name))
    assert items and all(not isinstance(i, InputProblem) or "internal parser error" not in i.message for i in items)
    # ~2-10 MB each; a linear parse takes well under a second, a quadratic one minutes.
    assert time.process_time() - start < 10


# -- determinism -------------------------------------------------------------------------

def test_parsing_is_deterministic() -> None:
    first = list(parse_path(FIXTURES))
    second = list(parse_path(FIXTURES))
    assert first == second
    assert len([c for c in first if not isinstance(c, InputProblem)]) >= 45


def _csv_rows() -> list[bytes]:
    data = CSV_ROW
    starts = [i + 1 for i in range(len(data) - 1) if data[i : i + 1] == b"\n" and data[i + 1 : i + 5] in (b'"1",', b'"2",', b'"3",')]
    return [data[a:b] for a, b in zip(starts, starts[1:] + [len(data)])]


def test_csv_row_cut_mid_file_is_read_with_a_warning() -> None:
    first, second, _third = _csv_rows()
    cut = first[: first.index(b"SACCIO")]  # the row loses its end, closing quote included
    items = list(read_bytes(cut + second, "cables.csv"))
    assert [i.meta["id"] for i in items] == ["66BUENOSAIRES2481", "72TEHRAN1164"]  # type: ignore[union-attr]
    assert items[0].warnings[0].startswith("row cut off: next row starts at line")  # type: ignore[union-attr]
    assert items[1].warnings == ()  # type: ignore[union-attr]


def test_csv_row_start_look_alike_inside_a_field_stays_in_the_field() -> None:
    first, second, third = _csv_rows()
    lookalike = b'"7","1/1/1970 1:00","QUOTED","Embassy Nowhere",\n'
    doctored = first.replace(b"GP-3 \n", b"GP-3 \n" + lookalike, 1)
    items = list(read_bytes(doctored + second + third, "cables.csv"))
    assert [i.meta["id"] for i in items] == ["66BUENOSAIRES2481", "72TEHRAN1164", "72TEHRAN1381"]  # type: ignore[union-attr]
    # Its unescaped quotes are damage inside the field: the text is kept, the row is not split.
    assert '7","1/1/1970 1:00","QUOTED"' in items[0].text  # type: ignore[union-attr]
    assert items[0].text.rstrip('"\n ').endswith("SACCIO")  # type: ignore[union-attr]


# --- cables.csv escapes: the fast paths must agree with the general rule -----------------


def _unescape_by_the_rule(value: str) -> str:
    return "\\".join(part.replace('\\"', '"').replace("\\'", "'") for part in value.split("\\\\"))


def _quotes_by_the_rule(line: bytes) -> int:
    return line.replace(b"\\\\", b"").replace(b'\\"', b"").count(b'"')


@pytest.mark.parametrize(
    "raw, unescaped, quotes",
    [
        ("plain text", "plain text", 0),
        ("THE MINISTER\\'S \\\"PLAN\\\"", "THE MINISTER'S \"PLAN\"", 0),  # as cables.csv escapes
        ('"quoted"', '"quoted"', 2),
        ("C:\\\\DOCS \\'X\\'", "C:\\DOCS 'X'", 0),  # an escaped backslash before text
        ("END\\\\\"", "END\\\"", 1),  # an escaped backslash, then a real quote
    ],
)
def test_cables_csv_escapes(raw, unescaped, quotes):
    assert cables_csv._unescape(raw) == unescaped
    assert cables_csv._quotes(raw.encode()) == quotes


@given(st.text(alphabet="\\\"'a\n", max_size=40))
def test_cables_csv_fast_paths_agree_with_the_rule(value):
    assert cables_csv._unescape(value) == _unescape_by_the_rule(value)
    assert cables_csv._quotes(value.encode()) == _quotes_by_the_rule(value.encode())
