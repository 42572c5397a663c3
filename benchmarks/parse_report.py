"""Corpus report for the parser: ``python benchmarks/parse_report.py [CORPUS_DIR]``.

Parses every input under CORPUS_DIR (default ``../shared/corpus`` beside the project)
and prints: cables per format and per ID source, inputs refused (reasons grouped),
REF items per kind, mentions found and mentions whose letter has no REF item, and
timings.  The reading pass (formats only) is timed apart from the full pass (reading,
header fields, REF items, mentions) so the cost of each stage shows.

Throughput is given over the cable text parsed (what a database stores) and over the
input bytes as found on disk (compressed mirrors count compressed).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from refdb.model import InputProblem, ParsedCable, RawCable  # noqa: E402
from refdb.parse import parse_items, read_path  # noqa: E402
from refdb.parse.header import read_header  # noqa: E402
from refdb.parse.mentions import find_mentions  # noqa: E402
from refdb.parse.refblock import parse_refs  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def _reason(message: str) -> str:
    """Group problem messages: numbers and quoted first lines vary, the reason does not."""
    return re.sub(r"\d+", "N", message)


def _disk_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS), help="corpus directory or file")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"Error: {corpus} does not exist", file=sys.stderr)
        return 2

    formats: Counter[str] = Counter()
    id_sources: Counter[str] = Counter()
    problems: Counter[str] = Counter()
    examples: dict[str, str] = {}
    kinds: Counter[str] = Counter()
    mention_forms: Counter[str] = Counter()
    unattached = mentions = text_chars = with_refs = warned = raw_count = 0
    read_cpu = parse_cpu = 0.0
    sample: list[RawCable] = []  # for the per-stage breakdown
    wall = time.perf_counter()
    items = read_path(corpus)
    while True:
        t = time.process_time()
        item = next(items, None)
        read_cpu += time.process_time() - t
        if item is None:
            break
        if isinstance(item, RawCable):
            raw_count += 1
            if raw_count % 8 == 0:
                sample.append(item)
            t = time.process_time()
            (result,) = parse_items(iter((item,)))
            parse_cpu += time.process_time() - t
        else:
            result = item
        if isinstance(result, InputProblem):
            key = _reason(result.message)
            problems[key] += 1
            examples.setdefault(key, str(result))
            continue
        assert isinstance(result, ParsedCable)
        formats[result.format] += 1
        id_sources[result.id_source] += 1
        text_chars += len(result.text)
        with_refs += bool(result.refs)
        warned += bool(result.warnings)
        for ref in result.refs:
            kinds[str(ref.kind)] += 1
        for m in result.mentions:
            mentions += 1
            mention_forms[m.form] += 1
            unattached += m.ref_ordinal is None
    full_wall = time.perf_counter() - wall
    stages = _stage_times(sample)

    cables = sum(formats.values())
    disk = _disk_bytes(corpus) if corpus.is_dir() else corpus.stat().st_size
    print(f"corpus: {corpus}  ({disk / 1e6:.1f} MB on disk)")
    print(f"\ncables parsed: {cables}  (reader yielded {raw_count}; {cables and warned * 100 // cables}% carry warnings)")
    for name, n in formats.most_common():
        print(f"  {name:12s} {n:6d}")
    print("ID read from:")
    for name, n in id_sources.most_common():
        print(f"  {name:12s} {n:6d}")
    print(f"\ninputs refused: {sum(problems.values())}")
    for reason, n in problems.most_common():
        print(f"  {n:5d}  {reason}")
        print(f"         e.g. {examples[reason][:160]}")
    print(f"\nREF items: {sum(kinds.values())}  (cables with a REF block: {with_refs}, {cables and with_refs * 100 // cables}%)")
    for name, n in kinds.most_common():
        print(f"  {name:14s} {n:6d}")
    print(f"\nmentions: {mentions}  without a REF item for their letter: {unattached}")
    for name, n in mention_forms.most_common():
        print(f"  {name:10s} {n:6d}")
    mb = text_chars / 1e6
    print(f"\ncable text: {mb:.1f} M characters in {cables} cables ({text_chars // max(cables, 1)} per cable)")
    print(f"wall time    : {full_wall:6.1f} s (reading and parsing, one pass)")
    print(f"reading      : {read_cpu:6.1f} s CPU ({disk / 1e6 / read_cpu:.0f} MB/s of on-disk input)")
    print(f"parsing      : {parse_cpu:6.1f} s CPU, {parse_cpu / max(raw_count, 1) * 1e6:.0f} us per cable, "
          f"{mb / parse_cpu:.1f} MB/s of cable text")
    total = read_cpu + parse_cpu
    print(f"end to end   : {total:6.1f} s CPU, {mb / total:.1f} MB/s of cable text")
    print(f"stages (us per cable, CPU, every 8th cable): " + ", ".join(f"{k} {v:.0f}" for k, v in stages.items()))
    return 0


def _stage_times(sample: list[RawCable]) -> dict[str, float]:
    """CPU per cable of each parsing stage, on a sample (best of two runs against noise)."""
    if not sample:
        return {}
    best: dict[str, float] = {}
    for _ in range(2):
        spent = {"header": 0.0, "refs": 0.0, "mentions": 0.0}
        for raw in sample:
            t0 = time.process_time()
            header = read_header(raw)
            t1 = time.process_time()
            refs = parse_refs(raw.text, header.id, citing_origin=header.origin) if header.id else ()
            t2 = time.process_time()
            find_mentions(raw.text, refs)
            t3 = time.process_time()
            spent["header"] += t1 - t0
            spent["refs"] += t2 - t1
            spent["mentions"] += t3 - t2
        for k, v in spent.items():
            best[k] = min(best.get(k, v), v)
    return {k: v / len(sample) * 1e6 for k, v in best.items()}


if __name__ == "__main__":
    raise SystemExit(main())
