"""Answers on the real corpus: each research command says something useful and true
about cables whose links can be read in their REF blocks."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from refdb.cli.app import app
from refdb.service import graph, reports, search

pytestmark = pytest.mark.corpus


def test_cited_by_and_refs_follow_the_georgia_demarche(corpus_db):
    # 08STATE85678 asked posts to support a NAC statement; Rome answered (08ROME1018),
    # then wrote again citing its answer (08ROME1045).
    citing = {r["citing_id"]: r for r in graph.cited_by_deep(corpus_db, "08STATE85678", 2)}
    assert citing["08ROME1018"]["depth"] == 1 and citing["08USNATO281"]["depth"] == 1
    assert citing["08ROME1045"]["path"] == ["08STATE85678", "08ROME1018", "08ROME1045"]
    cited = {r["target_id"]: r for r in graph.refs_deep(corpus_db, "08ROME1045", 2)}
    assert cited["08STATE85678"]["depth"] == 2
    steps = graph.path(corpus_db, "08ROME1045", "08STATE85678")
    assert [s["to_id"] for s in steps] == ["08ROME1018", "08STATE85678"]


def test_thread_of_the_red_mosque_reporting(corpus_db):
    rows = {r["id"]: r for r in graph.thread(corpus_db, "07ISLAMABAD1647")}
    assert rows["07ISLAMABAD897"]["relation"] == "earlier"
    assert rows["07ISLAMABAD1846"]["relation"] == "later"
    dates = [r["date"] for r in rows.values() if r["date"]]
    assert dates == sorted(dates)


def test_reports_on_the_corpus(corpus_db):
    data = reports.stats(corpus_db)
    assert data["cables"] > 8000 and 0.2 < data["resolution"]["rate"] < 0.6
    assert reports.top(corpus_db, limit=1)[0]["cited_by_count"] >= 10
    ranked = reports.unresolved_ranked(corpus_db, limit=5)
    assert len(ranked) == 5 and ranked[0]["cited_by_count"] >= ranked[-1]["cited_by_count"] >= 2
    summary = reports.unresolved_summary(corpus_db)
    assert summary["references"] == sum(r["references"] for r in summary["by_origin"])


def test_search_on_the_corpus(corpus_db):
    hits = search.search(corpus_db, '"red mosque"', origin="ISLAMABAD", limit=5)
    assert len(hits) == 5 and all("«" in h["snippet"] for h in hits)


@pytest.mark.parametrize(
    "args",
    [
        ("refs", "08ROME1045", "--depth", "3"),
        ("cited-by", "08STATE85678", "--depth", "2"),
        ("thread", "08ROME1018"),
        ("path", "08USNATO291", "08STATE85678", "--undirected"),
        ("unresolved", "--rank", "-n", "20"),
        ("unresolved", "--summary"),
        ("unresolved", "--group-by", "year"),
        ("stats",),
        ("top", "--since", "2008", "--until", "2008"),
        ("search", "nuclear", "--tag", "KNNP"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_every_read_command_answers_on_the_corpus(corpus_db, args):
    result = CliRunner().invoke(app, [*args, "--db", str(corpus_db.url), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)
