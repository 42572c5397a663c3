"""A long fuzz run of the parser and ID handling (hypothesis), run by hand.

    .venv/bin/python benchmarks/fuzz_long.py                  # 20,000 examples per property
    .venv/bin/python benchmarks/fuzz_long.py --examples 200000 --seed 7
    .venv/bin/python benchmarks/fuzz_long.py --only corpus    # mutations of real cables only

The properties are those of ``tests/robustness/test_fuzz.py`` (which runs a few hundred
examples in CI): the parser never raises, never reports an internal error, is
deterministic, returns consistent and storable cables; IDs read from text round-trip.
One more property here: real cables from ``../shared/corpus`` (when present), mutated
(truncated, bytes flipped, spliced, re-encoded, gzipped).

For each property it prints the number of inputs tried, the time taken and the slowest
single input; it stops at the first failure (``--keep-going``: goes on with the other
properties) with hypothesis' minimal example, and exits 1.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from robustness.strategies import cable_texts, documents, dtg_texts, id_texts  # noqa: E402
from robustness.test_fuzz import ORIGINS, assert_consistent, parse_all  # noqa: E402

from refdb.ids import CableId, normalise_dtg, repair_published  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_files(limit: int = 400) -> list[Path]:
    if not CORPUS.is_dir():
        return []
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix not in (".md",) and p.name != "manifest.csv")
    step = max(1, len(files) // limit)
    return files[::step][:limit]


@st.composite
def mutated_cables(draw, files: list[Path]) -> bytes:
    data = draw(st.sampled_from(files)).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    data = data[: 400_000]
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["truncate", "flip", "splice", "delete", "repeat", "encode"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if op == "truncate":
            data = data[:i]
        elif op == "flip":
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1 :]
        elif op == "splice":
            data = data[:i] + draw(st.binary(max_size=64)) + data[i:]
        elif op == "delete":
            data = data[:i] + data[i + draw(st.integers(1, 2000)) :]
        elif op == "repeat":
            data = data[:i] + data[i : i + 200] * draw(st.integers(2, 50)) + data[i:]
        else:
            data = data.decode("utf-8", "replace").encode(draw(st.sampled_from(["utf-16", "latin-1", "cp1252"])), "replace")
    if draw(st.integers(0, 9)) == 0:
        data = gzip.compress(data, mtime=0)
    return data


class Counter:
    def __init__(self) -> None:
        self.n = 0
        self.slowest = (0.0, b"")

    def timed(self, fn, data):  # type: ignore[no-untyped-def]
        self.n += 1
        started = time.perf_counter()
        out = fn(data)
        took = time.perf_counter() - started
        if took > self.slowest[0]:
            self.slowest = (took, data[:80] if isinstance(data, bytes) else str(data)[:80].encode())
        return out


def properties(files: list[Path]) -> dict:  # type: ignore[type-arg]
    def documents_parse(c: Counter):  # type: ignore[no-untyped-def]
        @given(documents())
        def prop(data: bytes) -> None:
            first = c.timed(parse_all, data)
            assert_consistent(first)
            assert parse_all(data) == first, "parsing is not deterministic"

        return prop

    def texts_parse(c: Counter):  # type: ignore[no-untyped-def]
        @given(st.one_of(cable_texts(), st.text(max_size=5000)))
        def prop(text: str) -> None:
            assert_consistent(c.timed(parse_all, text.encode("utf-8", "surrogatepass")))

        return prop

    def corpus_parse(c: Counter):  # type: ignore[no-untyped-def]
        @given(mutated_cables(files))
        def prop(data: bytes) -> None:
            first = c.timed(parse_all, data)
            assert_consistent(first)
            assert parse_all(data) == first, "parsing is not deterministic"

        return prop

    def ids(c: Counter):  # type: ignore[no-untyped-def]
        @given(id_texts, st.booleans(), dtg_texts)
        def prop(text: str, with_origins: bool, dtg_text: str) -> None:
            c.n += 1
            cid = CableId.try_parse(text)
            if cid is not None:
                assert CableId.parse(cid.canonical) == cid
                assert CableId.parse(cid.display, year=cid.year) == cid
            repaired, how = repair_published(text, ORIGINS if with_origins else ())
            if repaired is not None:
                assert CableId.try_parse(repaired.canonical) == repaired, (text, repaired, how)
            dtg = normalise_dtg(dtg_text)
            if dtg is not None:
                assert normalise_dtg(dtg) == dtg

        return prop

    props = {"documents": documents_parse, "texts": texts_parse, "ids": ids}
    if files:
        props["corpus"] = corpus_parse
    return props


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=20_000, help="examples per property (default 20,000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", action="append", help="run only these properties (documents, texts, corpus, ids)")
    ap.add_argument("--keep-going", action="store_true", help="run the other properties after a failure")
    args = ap.parse_args()

    files = corpus_files()
    total = 0
    failed = False
    for name, make in properties(files).items():
        if args.only and name not in args.only:
            continue
        counter = Counter()
        test = settings(
            max_examples=args.examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate, Phase.shrink],
        )(make(counter))
        test = seed(args.seed)(test)
        started = time.perf_counter()
        try:
            test()
            status = "ok"
        except Exception as exc:  # hypothesis re-raises the minimal failing example
            notes = " ".join(getattr(exc, "__notes__", []))
            status = f"FAILED: {type(exc).__name__}: {str(exc)[:1000]} {notes[:1500]}"
            failed = True
        took = time.perf_counter() - started
        total += counter.n
        print(
            f"{name:10} {counter.n:>9,} inputs  {took:8.1f} s  slowest {counter.slowest[0] * 1000:8.1f} ms "
            f"({counter.slowest[1][:40]!r})  {status}",
            flush=True,
        )
        if failed and not args.keep_going:
            break
    print(f"total      {total:>9,} inputs tried (seed {args.seed}; corpus files: {len(files)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
