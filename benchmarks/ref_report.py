"""REF items and in-text mentions over a corpus: what was read, and what was not.

    python benchmarks/ref_report.py [CORPUS_DIR] [--examples N] [--json]

CORPUS_DIR defaults to ../shared/corpus beside the project.  Every cable is read with
:func:`refdb.parse.parse_path`; the report gives

- REF items per kind, year sources, cables with REF blocks, blocks per cable;
- items whose text was not fully accounted for.  *Accounted for* means every token
  of the block was consumed by an item (a cable reference, or a non-cable document
  named by kind or in words), a qualifier (NOTAL, AND PREVIOUS, a classification
  mark), a connector, a title or date after a cable, or known debris (page-break
  headers, banners, ``[1](#)``, ``¶``).  Leftovers are classified: ``unread_text``
  (words left over inside an item that named cables), ``unreadable_item`` (an item
  naming neither a cable nor a known kind of document), ``truncated`` (text the
  publisher cut short: ``SECST...``), ``empty_letter``;
- mentions per form and style (``(REF A)``, ``REF A``, ``ref a``, ``reftel`` ...), and
  the mentions left without a REF item, by reason;
- the CPU time of :func:`parse_refs` + :func:`find_mentions` alone, in MB/s of text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from refdb.model import InputProblem, ParsedCable  # noqa: E402
from refdb.parse import parse_path  # noqa: E402
from refdb.parse.mentions import find_mentions  # noqa: E402
from refdb.parse.refblock import parse_refs, ref_block_leftovers  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def mention_style(text: str, form: str) -> str:
    """``(REF A)``-style, bare ``REF A``, ``reftel``..., with its case: for the report only."""
    core = text.strip("()")
    bracketed = "(...)" if text.startswith("(") else "bare"
    word = core.split()[0].rstrip(".:,") if core.split() else core
    if word.isupper():
        case = "upper"
    elif word[:1].isupper():
        case = "title"
    else:
        case = "lower"
    return f"{form}/{bracketed}/{case}"


def unattached_reason(cable: ParsedCable, letter: str | None, form: str) -> str:
    if not cable.refs:
        return "no REF item in the cable"
    if form == "letter":
        if all(r.letter is None for r in cable.refs):
            return "letter mentioned, REF items unlettered"
        return "letter has no REF item"
    return "reftel with several REF items"


def build_report(corpus: Path, examples: int) -> dict[str, object]:
    kinds: Counter[str] = Counter()
    years: Counter[str] = Counter()
    leftover_items: Counter[str] = Counter()
    leftover_pieces: Counter[str] = Counter()
    leftover_examples: dict[str, list[str]] = {}
    forms: Counter[str] = Counter()
    styles: Counter[str] = Counter()
    unattached: Counter[str] = Counter()
    blocks_per_cable: Counter[int] = Counter()
    cables = with_refs = items = mentions = problems = 0
    texts: list[tuple[ParsedCable, str]] = []
    for got in parse_path(corpus):
        if isinstance(got, InputProblem):
            problems += 1
            continue
        cables += 1
        texts.append((got, got.text))
        if got.refs:
            with_refs += 1
        blocks_per_cable[len({r.block for r in got.refs})] += 1
        items += len(got.refs)
        for r in got.refs:
            kinds[r.kind.value] += 1
            years[r.year_source.value if r.year_source else "none (not a cable)"] += 1
        by_item: dict[int | None, str] = {}
        for lo in ref_block_leftovers(got.text, got.id, citing_origin=got.origin):
            leftover_pieces[lo.category] += 1
            if lo.ordinal is not None:
                by_item.setdefault(lo.ordinal, lo.category)
            examples_of = leftover_examples.setdefault(lo.category, [])
            if len(examples_of) < examples:
                examples_of.append(f"{got.published_id} {lo.letter or '-'}: {lo.text[:100]}")
        for category in by_item.values():
            leftover_items[category] += 1
        for m in got.mentions:
            mentions += 1
            forms[m.form] += 1
            styles[mention_style(m.text, m.form)] += 1
            if m.ref_ordinal is None:
                unattached[unattached_reason(got, m.letter, m.form)] += 1
    # CPU time of the REF grammar and mention finder alone (a second pass over the texts)
    size = sum(len(t) for _, t in texts)
    start = time.process_time()
    for cable, text in texts:
        find_mentions(text, parse_refs(text, cable.id, citing_origin=cable.origin))
    cpu = time.process_time() - start
    not_accounted = sum(leftover_items.values())
    return {
        "corpus": str(corpus),
        "cables": cables,
        "input_problems": problems,
        "cables_with_ref_items": with_refs,
        "ref_blocks_per_cable": dict(sorted(blocks_per_cable.items())),
        "ref_items": items,
        "items_per_kind": dict(kinds.most_common()),
        "year_sources": dict(years.most_common()),
        "items_not_fully_accounted_for": not_accounted,
        "items_not_fully_accounted_for_pct": round(100 * not_accounted / items, 2) if items else 0.0,
        "items_not_accounted_by_category": dict(leftover_items.most_common()),
        "leftover_pieces_by_category": dict(leftover_pieces.most_common()),
        "leftover_examples": leftover_examples,
        "mentions": mentions,
        "mentions_per_form": dict(forms.most_common()),
        "mentions_per_style": dict(styles.most_common()),
        "mentions_without_ref_item": sum(unattached.values()),
        "mentions_without_ref_item_by_reason": dict(unattached.most_common()),
        "text_megabytes": round(size / 1e6, 1),
        "refs_and_mentions_cpu_seconds": round(cpu, 2),
        "refs_and_mentions_mb_per_cpu_second": round(size / 1e6 / cpu, 1) if cpu else None,
    }


def print_report(report: dict[str, object]) -> None:
    for key, value in report.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for k, v in value.items():
                if isinstance(v, list):
                    print(f"  {k}:")
                    for line in v:
                        print(f"    {line}")
                else:
                    print(f"  {k}: {v}")
        else:
            print(f"{key}: {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="corpus folder or file")
    parser.add_argument("--examples", type=int, default=5, help="leftover examples per category")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"Error: {args.corpus} does not exist", file=sys.stderr)
        return 2
    report = build_report(args.corpus, args.examples)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
