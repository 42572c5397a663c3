"""Precision and recall of the resolver on damaged copies of real references.

Usage::

    python benchmarks/resolver_precision.py [CORPUS_DIR] [--examples N]

Ground truth: the internal links of the corpus, i.e. the REF items that resolve
*exactly* (method ``exact`` or ``published_id``) to a cable of the corpus.  Each is
damaged in the ways real cables are damaged (``benchmarks/resolver_damage.py``) and
resolved again against a :class:`MemoryLookup` of the corpus plus the Cablegate
catalogue.  A damaged item counts as

- correct: resolved to the same cable;
- wrong: resolved to another cable (the outcome that must stay rare);
- missed: left ambiguous or unresolved (an honest miss).

A wrong link is also counted as *indistinguishable* when the damaged item, read
literally, is a correct reference to another existing cable: a typo that turns one post
into another (``IRAN RPO DUBAI`` cut to ``RPO DUBAI``, both real posts with a cable 50),
or a dropped year whose citing-year reading exists and is older than the citing cable
(``BRASILIA 93`` in a 2009 cable, where 09BRASILIA93 exists).  No resolver can tell
those from the real thing; they are reported, not hidden.

precision = correct / (correct + wrong); recall = correct / items.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from resolver_corpus import read_corpus  # noqa: E402
from resolver_damage import DAMAGES, damage  # noqa: E402

from refdb.ids import CableId  # noqa: E402
from refdb.model import RefItem, RefKind, Status, YearSource  # noqa: E402
from refdb.resolve.lookup import MemoryLookup, bundled_catalogue  # noqa: E402
from refdb.resolve.pipeline import Citing, resolve_item  # noqa: E402

EXACT = ("exact", "published_id")


@dataclass
class Tally:
    items: int = 0
    correct: int = 0
    wrong: int = 0
    indistinguishable: int = 0
    outcomes: Counter = field(default_factory=Counter)
    wrong_examples: list[str] = field(default_factory=list)
    missed_examples: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        linked = self.correct + self.wrong
        return self.correct / linked if linked else 1.0

    @property
    def precision_distinguishable(self) -> float:
        linked = self.correct + self.wrong - self.indistinguishable
        return self.correct / linked if linked else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.items if self.items else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus_dir", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--examples", type=int, default=5, help="wrong/missed examples shown per damage kind")
    args = parser.parse_args(argv)
    if not (args.corpus_dir / "manifest.csv").is_file():
        print(f"Error: {args.corpus_dir} has no manifest.csv", file=sys.stderr)
        return 2

    started = time.perf_counter()
    corpus = read_corpus(args.corpus_dir)
    read_s = time.perf_counter() - started
    lookup = MemoryLookup(corpus.stored, bundled_catalogue().ids)

    truth = []
    for cable in corpus.with_refs:
        stored = cable.stored
        if stored.real is None:
            continue
        citing = Citing(stored.real, stored.id, stored.date)
        for item in cable.refs:
            if item.kind is not RefKind.CABLE or item.cited is None:
                continue
            clean = resolve_item(citing, item, lookup)
            if clean.status is Status.RESOLVED and clean.method in EXACT and clean.target_id:
                truth.append((citing, item, clean.target_id, clean.resolved_id))

    tallies: dict[str, Tally] = {"clean": Tally()}
    resolve_started = time.perf_counter()
    resolved_items = 0
    for citing, item, target, real in truth:
        variants = [("clean", item)] + [(kind, damage(kind, item, citing.id)) for kind in DAMAGES]
        for kind, damaged in variants:
            if damaged is None:
                continue
            if kind == "dropped_year":
                # Dropping the year of a citing-year cable changes nothing; of an older
                # one, it asks the resolver to infer the year.
                kind += " (same year)" if item.cited.year == citing.id.year else " (earlier year)"
            tally = tallies.setdefault(kind, Tally())
            res = resolve_item(citing, damaged, lookup)
            resolved_items += 1
            tally.items += 1
            tally.outcomes[res.status.value if res.status is not Status.UNRESOLVED else f"unresolved:{res.reason}"] += 1
            got = res.target_id or res.resolved_id
            line = (
                f"{citing.published_id}: {damaged.raw!r} -> {res.status.value} {got} "
                f"({res.method}; {', '.join(res.evidence)}) want {target}"
            )
            if res.status is Status.RESOLVED and res.target_id == target:
                tally.correct += 1
            elif res.status is Status.RESOLVED:
                tally.wrong += 1
                if _indistinguishable(damaged, res.resolved_id, real, lookup):
                    tally.indistinguishable += 1
                    line += " [indistinguishable]"
                tally.wrong_examples.append(line)
            else:
                tally.missed_examples.append(line)
    resolve_s = time.perf_counter() - resolve_started
    exact_started = time.perf_counter()
    for citing, item, _target, _real in truth:
        resolve_item(citing, item, lookup)
    exact_us = 1e6 * (time.perf_counter() - exact_started) / max(len(truth), 1)

    print(f"corpus: {len(corpus.stored)} stored cables, {len(corpus.with_refs)} read with REF items ({corpus.parser})")
    print(f"ground truth: {len(truth)} REF items resolving exactly to a corpus cable")
    print(f"timing: corpus read {read_s:.1f} s; {resolved_items} resolutions in {resolve_s:.2f} s "
          f"({1e6 * resolve_s / max(resolved_items, 1):.0f} µs each; clean exact hits alone {exact_us:.0f} µs each)")
    print()
    print("| damage | items | correct | wrong (indistinguishable) | missed | precision "
          "| precision, distinguishable | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    overall = Tally()
    for kind, t in tallies.items():
        if kind != "clean":
            overall.items += t.items
            overall.correct += t.correct
            overall.wrong += t.wrong
            overall.indistinguishable += t.indistinguishable
    for kind, t in [*tallies.items(), ("**all damaged**", overall)]:
        missed = t.items - t.correct - t.wrong
        print(f"| {kind} | {t.items} | {t.correct} | {t.wrong} ({t.indistinguishable}) | {missed} | "
              f"{100 * t.precision:.2f}% | {100 * t.precision_distinguishable:.2f}% | {100 * t.recall:.2f}% |")
    print()
    for kind, t in tallies.items():
        print(f"{kind}: outcomes {dict(sorted(t.outcomes.items()))}")
        for line in t.wrong_examples[: args.examples]:
            print(f"  WRONG  {line}")
        for line in t.missed_examples[: args.examples]:
            print(f"  missed {line}")
    return 0


def _indistinguishable(damaged: RefItem, linked: str | None, real: str | None, lookup: MemoryLookup) -> bool:
    """The damaged item literally names another existing cable, or lost the year that
    alone told its cable from the one linked (see the module doc)."""
    literal = damaged.cited
    if literal is not None and literal.canonical != real and (lookup.stored(literal) or lookup.in_catalogue(literal)):
        return True
    truth = CableId.try_parse(real or "")
    got = CableId.try_parse(linked or "")
    return (
        damaged.year_source is YearSource.CITING_YEAR
        and truth is not None
        and got is not None
        and (got.origin, got.serial) == (truth.origin, truth.serial)
        and got.year > truth.year
    )


if __name__ == "__main__":
    raise SystemExit(main())
