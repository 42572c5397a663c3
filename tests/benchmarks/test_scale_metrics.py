"""The scale runner's metric code: percentiles, link scoring against the ground truth,
process-tree memory."""

from __future__ import annotations

import math
import os

import pytest

from scale_metrics import TruthItem, latency_summary, peaks_by_phase, percentile, score_links, tree_memory_kb


@pytest.mark.parametrize(
    "values, p, expected",
    [
        ([5.0], 50, 5.0),
        ([1, 2, 3, 4], 50, 2.5),
        ([1, 2, 3, 4, 5], 95, 4.8),
        (list(range(1, 101)), 99, 99.01),
        ([3, 1, 2], 0, 1.0),
        ([3, 1, 2], 100, 3.0),
    ],
    ids=["one", "median-even", "p95-five", "p99-hundred", "min", "max"],
)
def test_percentile_interpolates_between_ranks(values, p, expected):
    assert percentile(values, p) == pytest.approx(expected)


def test_percentile_of_nothing_is_nan():
    assert math.isnan(percentile([], 50))


def test_latency_summary_is_in_milliseconds():
    s = latency_summary([0.001, 0.002, 0.003])
    assert (s["n"], s["p50_ms"], s["max_ms"]) == (3, 2.0, 3.0)


def _t(citing: str, item: int, *targets: str, damage: str = "none", kind: str = "cable") -> TruthItem:
    return TruthItem(citing, item, kind, frozenset(targets), damage)


TRUTH = {
    "08A1": [_t("08A1", 0, "08B1"), _t("08A1", 1, "08B2", "08XB2", damage="post_typo"), _t("08A1", 2)],
    "08A2": [_t("08A2", 0, "08B1", damage="missing_year"), _t("08A2", 1, kind="email")],
    "08A3": [_t("08A3", 0)],
}


@pytest.mark.parametrize(
    "links, expected",
    [
        ([], dict(predicted=0, correct=0, intended=3)),
        ([("08A1", "08B1"), ("08A1", "08XB2"), ("08A2", "08B1")], dict(predicted=3, correct=3, wrong_target=0, spurious=0)),
        ([("08A1", "08B1"), ("08A1", "08B9")], dict(predicted=2, correct=1, wrong_target=1, spurious=0)),
        ([("08A3", "08B1"), ("08ZZ", "08B1")], dict(predicted=2, correct=0, spurious=2)),
        ([("08A1", "08B1"), ("08A1", "08B1")], dict(predicted=2, correct=1, wrong_target=1)),
    ],
    ids=["none", "all-right", "one-wrong-target", "spurious", "same-target-twice"],
)
def test_links_are_scored_by_pair(links, expected):
    score = score_links(TRUTH, links)
    for key, value in expected.items():
        assert getattr(score, key) == value, key


def test_precision_and_recall_and_recall_by_damage():
    score = score_links(TRUTH, [("08A1", "08B2"), ("08A3", "08B1")])
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(1 / 3)
    by_damage = score.as_dict()["recall_by_damage"]
    assert by_damage["post_typo"] == {"found": 1, "intended": 1, "recall": 1.0}
    assert by_damage["missing_year"]["found"] == 0


def test_tree_memory_counts_this_process():
    rss, pss, n = tree_memory_kb(os.getpid())
    assert rss > 1000 and pss > 0 and n >= 1


@pytest.mark.parametrize(
    "samples, seconds, expected",
    [
        ([(0.5, 10), (1.5, 30), (2.5, 20)], [2, 1, 1], {"storing": 30, "resolving": 20, "search_index": 0}),
        ([(0.1, 5), (3.5, 9), (9.0, 7)], [1, 2, 3], {"storing": 5, "resolving": 0, "search_index": 9}),
        ([(2.0, 4)], [2, 0, 0], {"storing": 4, "resolving": 0, "search_index": 0}),
    ],
    ids=["one-each", "tail-goes-to-last", "boundary-belongs-to-earlier"],
)
def test_peaks_by_phase(samples, seconds, expected):
    assert peaks_by_phase(samples, seconds) == expected
