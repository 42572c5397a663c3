"""Metric code of the scale benchmark: percentiles, link precision/recall against the
generator's ground truth, and memory of a process tree.  Pure functions (plus /proc
reading), unit-tested in tests/benchmarks/."""

from __future__ import annotations

import csv
import gzip
import math
import os
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation between closest ranks
    (numpy's default); NaN for no values."""
    if not values:
        return math.nan
    xs = sorted(values)
    if len(xs) == 1:
        return float(xs[0])
    k = (len(xs) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return float(xs[lo] + (xs[hi] - xs[lo]) * (k - lo))


def latency_summary(seconds: Sequence[float]) -> dict:
    """p50/p95/p99/max in milliseconds."""
    return {
        "n": len(seconds),
        "p50_ms": round(percentile(seconds, 50) * 1000, 3),
        "p95_ms": round(percentile(seconds, 95) * 1000, 3),
        "p99_ms": round(percentile(seconds, 99) * 1000, 3),
        "max_ms": round(max(seconds) * 1000, 3) if seconds else math.nan,
    }


def median(values: Iterable[float]) -> float:
    xs = list(values)
    return statistics.median(xs) if xs else math.nan


# --- ground truth --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TruthItem:
    citing_id: str
    item: int
    kind: str  # "cable" or a non-cable kind
    acceptable: frozenset[str]  # stored cables it may link to (empty: must not link)
    damage: str


def read_truth(path: Path) -> dict[str, list[TruthItem]]:
    """truth.csv.gz -> citing published ID -> its REF items."""
    out: dict[str, list[TruthItem]] = defaultdict(list)
    with gzip.open(path, "rt", newline="") as f:
        for r in csv.DictReader(f):
            acceptable = frozenset(x for x in [r["target"], *r["also"].split("|")] if x) if r["target"] else frozenset()
            out[r["citing_id"]].append(TruthItem(r["citing_id"], int(r["item"]), r["kind"], acceptable, r["damage"]))
    return out


@dataclass
class LinkScore:
    intended: int = 0  # truth items with a target
    predicted: int = 0  # links made (resolved references with a target)
    correct: int = 0  # links that match an intended one
    wrong_target: int = 0  # linked, but to another stored cable than intended
    spurious: int = 0  # linked although nothing was intended (out of corpus, non-cable, not in truth)
    recall_by_damage: dict = field(default_factory=dict)  # damage -> [found, intended]

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else math.nan

    @property
    def recall(self) -> float:
        return self.correct / self.intended if self.intended else math.nan

    def as_dict(self) -> dict:
        return {
            "intended_links": self.intended,
            "links_made": self.predicted,
            "correct": self.correct,
            "wrong_target": self.wrong_target,
            "spurious": self.spurious,
            "precision": round(self.precision, 5),
            "recall": round(self.recall, 5),
            "recall_by_damage": {
                k: {"found": f, "intended": n, "recall": round(f / n, 4) if n else None}
                for k, (f, n) in sorted(self.recall_by_damage.items())
            },
        }


def score_links(truth: dict[str, list[TruthItem]], links: Iterable[tuple[str, str]]) -> LinkScore:
    """Match links (citing published ID, target published ID) against the truth.

    Matching is by pair, not by item ordinal: a link is correct when its target is an
    acceptable target of a not-yet-matched truth item of the same citing cable (so a
    parser that splits a REF list differently is not punished twice).  A cable cites
    each cable at most once in the truth, so the greedy match is exact."""
    score = LinkScore()
    by_citing: dict[str, list[str]] = defaultdict(list)
    for citing, target in links:
        by_citing[citing].append(target)
        score.predicted += 1
    found_by_damage: Counter = Counter()
    intended_by_damage: Counter = Counter()
    for citing, items in truth.items():
        for it in items:
            if it.acceptable:
                score.intended += 1
                intended_by_damage[it.damage] += 1
    for citing, targets in by_citing.items():
        open_items = [it for it in truth.get(citing, []) if it.acceptable]
        for t in targets:
            hit = next((it for it in open_items if t in it.acceptable), None)
            if hit is not None:
                open_items.remove(hit)
                score.correct += 1
                found_by_damage[hit.damage] += 1
            elif open_items:
                score.wrong_target += 1
            else:
                score.spurious += 1
    score.recall_by_damage = {k: [found_by_damage[k], n] for k, n in intended_by_damage.items()}
    return score


# --- memory of a process tree -----------------------------------------------------------------


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    kids.extend(int(x) for x in f.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return kids


def process_tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.append(p)
        todo.extend(_children(p))
    return seen


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory_kb(pid: int, pss: bool = True) -> tuple[int, int, int]:
    """(sum of RSS, sum of PSS, number of processes) of ``pid`` and its descendants.

    RSS counts pages shared by forked workers once per process (an over-estimate);
    PSS splits shared pages between their users (what the tree really costs).  PSS
    walks page tables (costly for big processes): ``pss=False`` skips it (0)."""
    pids = process_tree(pid)
    return (
        sum(_status_kb(p, "VmRSS") for p in pids),
        sum(_pss_kb(p) for p in pids) if pss else 0,
        len(pids),
    )


PHASES = ("storing", "resolving", "search_index")


def peaks_by_phase(samples: Sequence[tuple[float, float]], seconds: Sequence[float]) -> dict[str, float]:
    """The highest sample of each phase.  ``samples``: (seconds since the process
    started, value); ``seconds``: how long each phase of :data:`PHASES` took, in order
    (the ingest's own report).  Start-up counts with the first phase, whatever follows
    the last with the last; a phase with no sample gets 0."""
    ends = []
    total = 0.0
    for s in seconds:
        total += s
        ends.append(total)
    peaks = dict.fromkeys(PHASES[: len(seconds)], 0.0)
    names = list(peaks)
    for t, value in samples:
        i = next((k for k, end in enumerate(ends) if t <= end), len(ends) - 1)
        peaks[names[i]] = max(peaks[names[i]], value)
    return peaks
