"""ParsedCable -> plain dict for ``refdb parse --json/--jsonl``: stable keys, JSON-ready,
offsets that point into the text it carries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from refdb.model import ParsedCable
from refdb.parse import parse_path
from refdb.parse.render import cable_to_dict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "formats"

CABLE_KEYS = [
    "id", "published_id", "display_id", "id_source", "format", "source", "locator", "date", "dtg", "precedence",
    "origin", "origin_name", "routing_indicator", "to", "info", "classification", "caveats", "declassify_on",
    "tags", "subject", "classified_by", "signer", "warnings", "refs", "mentions", "text",
]
REF_KEYS = [
    "ordinal", "block", "letter", "raw", "kind", "cited_id", "origin_written", "serial", "year", "year_source",
    "qualifiers", "dtg_sender", "dtg", "note",
]
MENTION_KEYS = ["text", "start", "end", "paragraph", "letter", "ref_ordinal", "form"]


def _seed() -> ParsedCable:
    (cable,) = list(parse_path(FIXTURES / "seed_08TOKYO1002.txt"))
    assert isinstance(cable, ParsedCable)
    return cable


def test_seed_as_a_dict() -> None:
    d = cable_to_dict(_seed())
    assert list(d) == CABLE_KEYS
    assert (d["id"], d["display_id"], d["date"], d["origin"]) == ("08TOKYO1002", "TOKYO 001002", "2008-04-11 06:26", "TOKYO")
    assert d["tags"] == ["PREL", "MARR", "PARM", "JA", "RS"]
    assert [list(r) for r in d["refs"]] == [REF_KEYS] * 3
    assert [(r["letter"], r["raw"], r["cited_id"], r["year_source"]) for r in d["refs"]] == [
        ("A", "TOKYO 960", "08TOKYO960", "citing_year"),
        ("B", "07 TOKYO 5019", "07TOKYO5019", "explicit"),
        ("C", "07 TOKYO 2690", "07TOKYO2690", "explicit"),
    ]
    assert [list(m) for m in d["mentions"]] == [MENTION_KEYS] * 3
    for m in d["mentions"]:
        assert d["text"][m["start"] : m["end"]] == m["text"]  # offsets point into the text as stored


@pytest.mark.parametrize("name", ["seed_08TOKYO1002.txt", "mongo_derived_baghdad_rec1-2.json", "body_04THEHAGUE2415.txt"])
def test_json_round_trip_with_stable_keys(name: str) -> None:
    for cable in parse_path(FIXTURES / name):
        assert isinstance(cable, ParsedCable)
        d = cable_to_dict(cable)
        assert json.loads(json.dumps(d, ensure_ascii=False)) == d
        assert list(d) == CABLE_KEYS
