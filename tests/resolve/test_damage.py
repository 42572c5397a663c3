"""The damage functions of benchmarks/resolver_damage.py (the benchmark's ground truth
is only as good as they are)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from refdb.ids import CableId, normalise_origin
from refdb.model import RefItem, YearSource

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("resolver_damage", BENCHMARKS / "resolver_damage.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("resolver_damage", module)
    spec.loader.exec_module(module)
    return module


damage_mod = _load()
CITING = CableId.parse("09BRASILIA391")


def item(written: str, cited: str, source: YearSource = YearSource.EXPLICIT) -> RefItem:
    cid = CableId.parse(cited)
    return RefItem(0, "A", f"{written} {cid.serial}", cited=cid, origin_written=written, serial=cid.serial,
                   year=cid.year, year_source=source)  # fmt: skip


def edit_distance(a: str, b: str) -> int:
    """Levenshtein with adjacent swaps (optimal string alignment), written out here so
    the test does not use the library the resolver uses."""
    rows = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


SOURCES = {
    "STATE": item("SECSTATE", "08STATE12345"),
    "NEW DELHI": item("NEW DELHI", "08NEWDELHI1261"),
    "KUALA LUMPUR": item("KUALA LUMPUR", "08KUALALUMPUR402"),
    "TOKYO": item("TOKYO", "08TOKYO1002"),
    "SAN JOSE": item("SAN JOSE", "09SANJOSE525", YearSource.CITING_YEAR),
}


@pytest.mark.parametrize("source", SOURCES.values(), ids=SOURCES.keys())
def test_post_typo_is_one_edit_and_cited_reads_it_literally(source: RefItem) -> None:
    out = damage_mod.damage("post_typo", source, CITING)
    assert out is not None
    assert edit_distance(out.origin_written, source.origin_written.upper()) == 1
    assert out.cited == CableId.of(source.year, out.origin_written, source.serial)
    assert (out.serial, out.year) == (source.serial, source.year)


@pytest.mark.parametrize("source", SOURCES.values(), ids=SOURCES.keys())
def test_damage_is_deterministic(source: RefItem) -> None:
    for kind in damage_mod.DAMAGES:
        assert damage_mod.damage(kind, source, CITING) == damage_mod.damage(kind, source, CITING)


def test_o0_post_puts_a_zero_for_one_o() -> None:
    out = damage_mod.damage("o0_post", SOURCES["TOKYO"], CITING)
    assert out.origin_written in ("T0KYO", "TOKY0")
    assert out.cited == CableId(2008, out.origin_written, 1002)
    assert damage_mod.damage("o0_post", SOURCES["NEW DELHI"], CITING) is None  # no O to confuse


def test_o0_number_leaves_an_item_the_parser_could_not_read() -> None:
    out = damage_mod.damage("o0_number", SOURCES["TOKYO"], CITING)
    assert out.raw in ("08 TOKYO 1O02", "08 TOKYO 10O2")  # one of the two zeros
    assert (out.cited, out.serial, out.year) == (None, None, None)


def test_dropped_year_reads_the_citing_year() -> None:
    out = damage_mod.damage("dropped_year", SOURCES["TOKYO"], CITING)
    assert (out.cited, out.year_source) == (CableId(2009, "TOKYO", 1002), YearSource.CITING_YEAR)
    assert damage_mod.damage("dropped_year", SOURCES["SAN JOSE"], CITING) is None  # no year written


@pytest.mark.parametrize("name", ["NEW DELHI", "KUALA LUMPUR", "STATE"])
def test_split_post_keeps_the_start_or_the_last_words(name: str) -> None:
    source = SOURCES[name]
    out = damage_mod.damage("split_post", source, CITING)
    full = normalise_origin(source.origin_written)
    kept = normalise_origin(out.origin_written)
    cut_short = full.startswith(kept) and len(kept) == round(len(full) * 0.8)
    first_word_lost = out.origin_written == " ".join(source.origin_written.split()[1:])
    assert kept != full and (cut_short or first_word_lost)


def test_split_post_needs_a_long_enough_name() -> None:
    assert damage_mod.damage("split_post", SOURCES["TOKYO"], CITING) is None


@pytest.mark.parametrize("source", SOURCES.values(), ids=SOURCES.keys())
def test_garbled_id_fuses_a_caveat_or_a_section_line(source: RefItem) -> None:
    out = damage_mod.damage("garbled_id", source, CITING)
    fused = out.cited.origin
    assert fused.endswith(source.cited.origin) and fused != source.cited.origin
    assert fused[: -len(source.cited.origin)] in ("EFTO", "NOFORN") or fused.startswith("SECTION")
    assert (out.cited.year, out.cited.serial) == (source.cited.year, source.cited.serial)
