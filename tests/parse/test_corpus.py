"""The whole corpus (../shared/corpus), parsed once: no crashes, sane counts per format,
every manifest cable produced, and the ID read for each cable matches the manifest.

The corpus index (manifest.csv: the canonical copy of each ID; duplicates.csv: every
other stored copy) says which refid each stored file or record holds.  Mismatches are
allowed only for the cases listed in EXPLAINED, each checked to happen as described.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from refdb.model import InputProblem, ParsedCable
from refdb.parse import parse_path

pytestmark = pytest.mark.corpus

# (stored file, locator) -> (refid the index names, refid the text really holds, why)
EXPLAINED = {
    ("None-later_Wikileaks_Processing/wikileaks/prototype/small/iran.json~", "record=201"): (
        "09IRANRPODUBAI50",
        "09RPODUBAI349",
        "the index derived its ID from the references column; the body's banner reads RPO DUBAI 000349, "
        "and 09RPODUBAI349 is the Cablegate ID of that cable",
    ),
    ("tathagata_reveal/cables/00HARARE6677.txt", ""): (
        "00HARARE6677",
        "00HARARE5461",
        "the file named 00HARARE6677 holds the text of HARARE 005461 (its banner and page headers say so)",
    ),
}
# Inputs that are refused, with the reason, by how many files.
REFUSED = {
    "PDF is not supported; extract its text first (e.g. pdftotext) and ingest the .txt": 14,
    # tathagata TXT files holding only the viewer's "Appears in these articles:<br />" debris
    "unrecognised text: no routing header, classification banner or TAGS/SUBJECT lines "
    "(first line: 'Appears in these articles:<br />')": 161,
}
# tathagata fragments of unclassified cables: a banner but no year anywhere (no date line,
# no DTG, DECL N/A); each is a stored variant of a viewer page that gives the ID.
NO_YEAR = {"07TRIPOLI912.txt", "07TRIPOLI946.txt", "09TRIPOLI268.txt", "10LONDON21.txt", "10MONTERREY66.txt"}
INDEX_FILES = {"manifest.csv", "duplicates.csv", "SOURCES.md"}


class Parsed:
    def __init__(self, corpus: Path) -> None:
        self.corpus = corpus
        self.cables: list[ParsedCable] = []
        self.problems: list[InputProblem] = []
        for item in parse_path(corpus):
            (self.problems if isinstance(item, InputProblem) else self.cables).append(item)  # type: ignore[arg-type]

    def rel(self, source: str) -> str:
        return Path(source).relative_to(self.corpus).as_posix()


@pytest.fixture(scope="module")
def parsed(corpus_dir: Path) -> Parsed:
    return Parsed(corpus_dir)


@pytest.fixture(scope="module")
def index(corpus_dir: Path) -> dict[tuple[str, str], str]:
    """(stored_as, locator) -> refid, for every stored cable file or record."""
    where: dict[tuple[str, str], str] = {}
    with open(corpus_dir / "manifest.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            where[(row["stored_as"], row["locator"])] = row["refid"]
    with open(corpus_dir / "duplicates.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["stored"] == "yes":
                where[(row["stored_as"], row["locator"])] = row["refid"]
    return where


def test_no_input_crashes_the_parser(parsed: Parsed) -> None:
    assert [p for p in parsed.problems if "internal parser error" in p.message] == []


@pytest.mark.parametrize(
    "fmt, at_least, at_most",
    [
        ("viewer_html", 6_700, 6_800),
        ("mongo_json", 1_950, 1_960),
        ("cables_csv", 39, 39),
        ("plusd_text", 24, 24),
        ("body_text", 10, 15),
        ("jsonp", 1, 1),
        ("telegram", 0, 0),
    ],
)
def test_cables_per_format(parsed: Parsed, fmt: str, at_least: int, at_most: int) -> None:
    n = sum(1 for c in parsed.cables if c.format == fmt)
    assert at_least <= n <= at_most


def test_refused_inputs_are_the_expected_ones(parsed: Parsed) -> None:
    reasons = Counter(p.message for p in parsed.problems)
    for reason, count in REFUSED.items():
        assert reasons.pop(reason) == count
    no_year = [p for p in parsed.problems if p.message.startswith("no cable ID: the banner names")]
    assert {Path(p.source).name for p in no_year} == NO_YEAR
    index_files = [p for p in parsed.problems if Path(p.source).name in INDEX_FILES]
    assert len(index_files) == len(INDEX_FILES)
    assert sum(reasons.values()) == len(no_year) + len(index_files)


def test_every_manifest_cable_is_produced(parsed: Parsed, corpus_dir: Path) -> None:
    produced = {c.published_id for c in parsed.cables} | {c.id.canonical for c in parsed.cables if c.id}
    with open(corpus_dir / "manifest.csv", encoding="utf-8") as f:
        wanted = {r["refid"] for r in csv.DictReader(f) if not r["format"].startswith("PDF")}
    assert len(wanted) > 8_300
    # Only the canonical copy whose index ID is a derivation error is missing under that ID
    # (it is produced as the cable it really is); 00HARARE6677 comes from its viewer page.
    iran = EXPLAINED[("None-later_Wikileaks_Processing/wikileaks/prototype/small/iran.json~", "record=201")]
    assert wanted - produced == {iran[0]}
    assert iran[1] in produced


def test_each_cable_has_the_id_its_index_names(parsed: Parsed, index: dict[tuple[str, str], str]) -> None:
    mismatches = {}
    checked = 0
    for c in parsed.cables:
        key = (parsed.rel(c.source), c.locator)
        assert key in index, f"{key} is not in the corpus index"
        checked += 1
        expected = index[key]
        if expected not in (c.published_id, c.id.canonical if c.id else None):
            mismatches[key] = (expected, c.id.canonical if c.id else None)
    assert checked == len(parsed.cables) > 8_700
    assert mismatches == {key: (index_refid, real) for key, (index_refid, real, _) in EXPLAINED.items()}


def test_garbled_published_ids_keep_their_published_form(parsed: Parsed) -> None:
    by_published = {c.published_id: c for c in parsed.cables}
    for published, real in [
        ("7575LIBREVILLE1895", "75LIBREVILLE1895"),
        ("85NOFORNMOGADISHU1643", "85MOGADISHU1643"),
        ("08SCTION02OF02SAOPAULO335", "08SAOPAULO335"),
        ("09EFTOLONDON2905", "09LONDON2905"),
    ]:
        cable = by_published[published]
        assert cable.id is not None and cable.id.canonical == real


def test_id_sources(parsed: Parsed, corpus_dir: Path) -> None:
    """Mongo records whose ``_id`` holds references get a derived ID; the index counts them."""
    derived_in_index = 0
    for name in ("manifest.csv", "duplicates.csv"):
        with open(corpus_dir / name, encoding="utf-8") as f:
            derived_in_index += sum(
                1 for r in csv.DictReader(f) if "refid derived" in r["format"] and r.get("stored", "yes") == "yes"
            )
    sources = Counter((c.format, c.id_source) for c in parsed.cables)
    assert sources[("mongo_json", "derived")] == derived_in_index == 1_737
    assert sources[("mongo_json", "metadata")] == 219  # wikileaks-11-28-10.json: reference_id is the refid
    assert sources[("viewer_html", "metadata")] >= 6_700
    assert sources[("plusd_text", "banner")] == 24
