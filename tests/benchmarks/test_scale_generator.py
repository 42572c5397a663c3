"""The scale generator: deterministic for a seed, and what it writes is what the ground
truth says (tiny N; the corpus templates come from ../shared/corpus)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json

import pytest

pytestmark = pytest.mark.corpus

N = 300


@pytest.fixture(scope="module")
def generated(tmp_path_factory, corpus_dir):
    import generate_corpus

    outs = {}
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        out = tmp_path_factory.mktemp(name)
        assert generate_corpus.main(["--n", str(N), "--seed", str(seed), "--out", str(out)]) == 0
        outs[name] = out
    return outs


def _digest(path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("name", ["cables.csv", "truth.csv.gz", "ids.csv.gz"])
def test_same_seed_same_bytes(generated, name):
    assert _digest(generated["a"] / name) == _digest(generated["b"] / name)


def test_other_seed_other_corpus(generated):
    assert _digest(generated["a"] / "cables.csv") != _digest(generated["c"] / "cables.csv")


def _rows(out):
    text = (out / "cables.csv").read_text("utf-8")
    return list(csv.reader(io.StringIO(text), escapechar="\\", doublequote=False))


def test_rows_have_the_cables_csv_shape(generated):
    rows = _rows(generated["a"])
    assert len(rows) == N
    assert all(len(r) == 8 for r in rows)
    assert [int(r[0]) for r in rows] == list(range(1, N + 1))
    first = rows[0]
    assert first[1].count("/") == 2 and ":" in first[1]  # 12/28/1966 18:48
    manifest = json.loads((generated["a"] / "manifest.json").read_text())
    assert manifest["cables"] == N


def test_truth_targets_are_earlier_generated_cables_written_in_the_ref_block(generated):
    rows = _rows(generated["a"])
    position = {r[2]: i for i, r in enumerate(rows)}
    body = {r[2]: r[7] for r in rows}
    with gzip.open(generated["a"] / "truth.csv.gz", "rt", newline="") as f:
        truth = list(csv.DictReader(f))
    assert truth, "a few hundred cables have some REF items"
    for t in truth:
        assert t["citing_id"] in position
        if t["target"]:
            assert position[t["target"]] < position[t["citing_id"]]
        if t["raw"] and t["damage"] != "line_break":
            assert t["raw"] in body[t["citing_id"]]
