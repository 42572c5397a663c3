"""Scale benchmark: ingest + resolve a generated Cablegate-sized corpus, then measure
queries and link quality, on SQLite and PostgreSQL.

    python benchmarks/run_scale.py --sizes 10000 50000 251287 --backends sqlite postgresql --runs 3

For each size the corpus is generated once (``generate_corpus.py``, cached under
``benchmarks/out/corpus-N-sSEED``).  For each backend and run, on a new database:

- ``refdb ingest cables.csv --json`` as a child process: wall time, cables/s, MB/s
  (size of cables.csv), peak memory of the whole process tree (the refdb process and
  its parse workers; sampled from /proc: sum of RSS, and sum of PSS, which counts the
  pages forked workers share only once), user+system CPU time;
- database size (SQLite: file + WAL; PostgreSQL: ``pg_database_size``);
- link precision/recall against the generator's ground truth (first run);
- ``refs`` / ``cited-by`` / ``show`` latency p50/p95/p99 over ``--queries`` random IDs
  in-process (service functions, fresh interpreter, warm engine), and for the whole
  CLI process (start-up included) over ``--cli-queries`` IDs (first run);
- ``refdb unresolved --summary`` wall time (first run).

Results: ``OUT/results.json`` (every run) and ``OUT/results.md`` (medians).  The
PostgreSQL server's own memory is not in the peak RSS (it is not refdb's process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from scale_metrics import (  # noqa: E402
    PHASES,
    latency_summary,
    median,
    peaks_by_phase,
    read_truth,
    score_links,
    tree_memory_kb,
)

VENV_BIN = ROOT / ".venv" / "bin"
REFDB = str(VENV_BIN / "refdb") if (VENV_BIN / "refdb").exists() else "refdb"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable


# --- helpers ---------------------------------------------------------------------------------


class TreeSampler(threading.Thread):
    """Samples the memory of a process tree until stopped; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss_kb = self.peak_pss_kb = self.max_procs = 0
        self.pss_samples: list[tuple[float, float]] = []  # (seconds since start, PSS kB)
        self._stop_event = threading.Event()

    def run(self) -> None:
        tick = 0
        started = time.perf_counter()
        while not self._stop_event.is_set():
            measure_pss = tick % 8 == 0  # PSS every 2 s: it is costly
            rss, pss, n = tree_memory_kb(self.pid, pss=measure_pss)
            tick += 1
            if measure_pss:
                self.pss_samples.append((time.perf_counter() - started, pss))
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.max_procs = max(self.max_procs, n)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_measured(cmd: list[str], env: dict | None = None) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "returncode": proc.returncode,
        "wall_s": wall,
        "peak_rss_mb": round(sampler.peak_rss_kb / 1024, 1),
        "peak_pss_mb": round(sampler.peak_pss_kb / 1024, 1),
        "processes": sampler.max_procs,
        "pss_samples": sampler.pss_samples,
        "children_cpu_s_total": usage.ru_utime + usage.ru_stime,  # cumulative; differenced by the caller
        "stdout": out.decode("utf-8", "replace"),
        "stderr": err.decode("utf-8", "replace")[-4000:],
    }


def pg_admin(url: str, sql: str) -> None:
    import sqlalchemy as sa

    eng = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.exec_driver_sql(sql)
    eng.dispose()


def new_database(backend: str, size: int, out: Path, pg_base: str) -> str:
    if backend == "sqlite":
        path = out / f"bench-{size}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = f"refdb_bench_{size}"
    admin = pg_base.rstrip("/") + "/postgres"
    pg_admin(admin, f'DROP DATABASE IF EXISTS "{name}"')
    pg_admin(admin, f'CREATE DATABASE "{name}"')
    return pg_base.rstrip("/") + "/" + name


def database_size(url: str) -> int:
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))
    import sqlalchemy as sa

    eng = sa.create_engine(url)
    with eng.connect() as conn:
        n = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one()
    eng.dispose()
    return int(n)


def links_of(url: str) -> list[tuple[str, str]]:
    """(citing, target) of every link the database holds, in REF order (read-only; the
    benchmark reads the reference table directly rather than through one query per
    cable).  Sorted here, not by the database: the scorer pairs a cable's links with
    its intended ones in the order given, and the two backends' row orders (and
    collations) differ.  At 251k cables that split the same links into 124 wrong
    targets and 426 spurious on SQLite, 125 and 425 on PostgreSQL."""
    import sqlalchemy as sa

    eng = sa.create_engine(url)
    with eng.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT citing_id, ordinal, target_id FROM reference WHERE status = 'resolved' AND target_id IS NOT NULL"
        ).all()
    eng.dispose()
    return [(citing, target) for citing, _ordinal, target in sorted(rows)]


def cli_latency(url: str, ids: list[str], command: list[str]) -> dict:
    """Wall time of whole CLI processes, and their CPU time (user+system), which a busy
    machine does not inflate as much as wall time."""
    import resource

    times, cpu = [], []
    for cid in ids:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([REFDB, *command, cid, "--db", url, "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime))
    return {**latency_summary(times), "cpu": latency_summary(cpu)}


def ensure_corpus(size: int, seed: int) -> Path:
    out = HERE / "out" / f"corpus-{size}-s{seed}"
    if not (out / "manifest.json").exists():
        subprocess.run([PYTHON, str(HERE / "generate_corpus.py"), "--n", str(size), "--seed", str(seed), "--out", str(out)],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    ids_txt = out / "ids.txt"
    if not ids_txt.exists():
        import csv
        import gzip

        with gzip.open(out / "ids.csv.gz", "rt", newline="") as f, open(ids_txt, "w") as w:
            for r in csv.DictReader(f):
                w.write(r["published_id"] + "\n")
    return out


def machine() -> dict:
    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_at_start": os.getloadavg(),
    }


# --- one measurement -------------------------------------------------------------------------


def bench_one(size: int, backend: str, run: int, corpus: Path, args: argparse.Namespace, first: bool) -> dict:
    import resource

    url = new_database(backend, size, args.out, args.pg_url)
    csv_path = corpus / "cables.csv"
    mb = csv_path.stat().st_size / 1e6
    cmd = [REFDB, "ingest", str(csv_path), "--db", url, "--json", "-q"]
    if args.jobs is not None:
        cmd += ["--jobs", str(args.jobs)]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    m = run_measured(cmd)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if m["returncode"] not in (0, 1):
        raise SystemExit(f"ingest failed ({m['returncode']}): {m['stderr']}")
    report = json.loads(m["stdout"])
    result = {
        "size": size,
        "backend": backend,
        "run": run,
        "url": url,
        "load_before": load_before,
        "ingest_wall_s": round(m["wall_s"], 2),
        "ingest_cpu_s": round(
            (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime), 2
        ),
        "cables_per_s": round(report["cables_read"] / m["wall_s"], 1),
        "mb_per_s": round(mb / m["wall_s"], 2),
        "input_mb": round(mb, 1),
        "peak_rss_mb": m["peak_rss_mb"],
        "peak_pss_mb": m["peak_pss_mb"],
        "processes": m["processes"],
        "pss_mb_over_time": [[round(t, 1), round(kb / 1024)] for t, kb in m["pss_samples"]],
        "peak_pss_mb_by_phase": {
            k: round(v / 1024, 1)
            for k, v in peaks_by_phase(m["pss_samples"], [report.get(f"seconds_{p}", 0.0) for p in PHASES]).items()
        },
        "db_mb": round(database_size(url) / 1e6, 1),
        "ingest_report": {k: v for k, v in report.items() if k != "problems"},
    }
    if first:
        truth = read_truth(corpus / "truth.csv.gz")
        result["links"] = score_links(truth, links_of(url)).as_dict()
        probe = subprocess.run(
            [PYTHON, str(HERE / "scale_probe.py"), url, str(corpus / "ids.txt"), str(args.seed), str(args.queries)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        result["in_process"] = json.loads(probe.stdout)
        ids = [line.strip() for line in open(corpus / "ids.txt")]
        sample = random.Random(args.seed + 1).sample(ids, min(args.cli_queries, len(ids)))
        result["cli"] = {
            "refs": cli_latency(url, sample, ["refs"]),
            "cited_by": cli_latency(url, sample, ["cited-by"]),
            "show": cli_latency(url, sample, ["show"]),
        }
        t0 = time.perf_counter()
        r = subprocess.run([REFDB, "unresolved", "--summary", "--db", url, "--json"], capture_output=True)
        result["unresolved_summary_s"] = round(time.perf_counter() - t0, 2) if r.returncode == 0 else None
    return result


# --- report ------------------------------------------------------------------------------------


def phases(rs: list[dict]) -> str:
    """Median wall seconds of the ingest's phases, as its --json report gives them."""
    keys = ("seconds_storing", "seconds_resolving", "seconds_search_index")
    if not all(k in r["ingest_report"] for r in rs for k in keys):
        return "-"
    return "/".join(f"{median(r['ingest_report'][k] for r in rs):.0f}" for k in keys)


def phase_memory(rs: list[dict]) -> str:
    """Median peak PSS (MB) of each ingest phase."""
    if not all("peak_pss_mb_by_phase" in r for r in rs):
        return "-"
    return "/".join(f"{median(r['peak_pss_mb_by_phase'].get(p, 0) for r in rs):.0f}" for p in PHASES)


def table(results: list[dict], meta: dict) -> str:
    groups: dict[tuple[int, str], list[dict]] = {}
    for r in results:
        groups.setdefault((r["size"], r["backend"]), []).append(r)
    lines = [
        f"Machine: {meta['machine']['nproc']} cores, {meta['machine']['ram_gb']} GB RAM, Python {meta['machine']['python']}; "
        f"jobs={meta['jobs'] or 'default'}; medians over runs.",
        "",
        "| size | backend | runs | ingest+resolve s | store/resolve/search-index s | CPU s | cables/s | MB/s | peak RSS MB (PSS) | "
        "peak PSS MB store/resolve/search-index | DB MB | "
        "precision | recall | refs p50/p95/p99 ms | cited-by p50/p95/p99 ms | show p95 ms | CLI refs p50/p95 ms | "
        "CLI cited-by p50/p95 ms | unresolved --summary s |",
        "|" + "---|" * 19,
    ]
    for (size, backend), rs in sorted(groups.items()):
        first = next((r for r in rs if "links" in r), {})
        ip, cli, lk = first.get("in_process", {}), first.get("cli", {}), first.get("links", {})

        def lat(d: dict, keys=("p50_ms", "p95_ms", "p99_ms")) -> str:  # type: ignore[no-untyped-def]
            return "/".join(f"{d[k]:.1f}" for k in keys) if d else "-"

        lines.append(
            f"| {size:,} | {backend} | {len(rs)} | {median(r['ingest_wall_s'] for r in rs):.1f} | {phases(rs)} | "
            f"{median(r['ingest_cpu_s'] for r in rs):.0f} | {median(r['cables_per_s'] for r in rs):,.0f} | "
            f"{median(r['mb_per_s'] for r in rs):.2f} | {median(r['peak_rss_mb'] for r in rs):.0f} "
            f"({median(r['peak_pss_mb'] for r in rs):.0f}) | {phase_memory(rs)} | {median(r['db_mb'] for r in rs):,.0f} | "
            f"{lk.get('precision', float('nan')):.4f} | {lk.get('recall', float('nan')):.4f} | "
            f"{lat(ip.get('refs', {}))} | {lat(ip.get('cited_by', {}))} | {ip.get('show', {}).get('p95_ms', float('nan')):.1f} | "
            f"{lat(cli.get('refs', {}), ('p50_ms', 'p95_ms'))} | {lat(cli.get('cited_by', {}), ('p50_ms', 'p95_ms'))} | "
            f"{first.get('unresolved_summary_s', '-')} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 251_287])
    p.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    p.add_argument("--runs", type=int, default=3, help="ingest runs per size and backend (medians reported)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--jobs", type=int, default=None, help="refdb ingest --jobs (default: refdb's default, all cores)")
    p.add_argument("--queries", type=int, default=1000, help="random IDs for in-process latency")
    p.add_argument("--cli-queries", type=int, default=50, help="random IDs for whole-CLI latency")
    p.add_argument("--pg-url", default=os.environ.get("REFDB_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432"))
    p.add_argument("--out", type=Path, default=HERE / "out" / "scale")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {"machine": machine(), "jobs": args.jobs, "argv": sys.argv[1:], "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    results_path = args.out / "results.json"
    results: list[dict] = []
    for size in args.sizes:
        corpus = ensure_corpus(size, args.seed)
        for backend in args.backends:
            for run in range(args.runs):
                r = bench_one(size, backend, run, corpus, args, first=(run == 0))
                results.append(r)
                print(
                    f"{size:>7} {backend:<10} run {run}: {r['ingest_wall_s']:.1f} s, {r['cables_per_s']:.0f} cables/s, "
                    f"{r['mb_per_s']:.2f} MB/s, peak RSS {r['peak_rss_mb']:.0f} MB (PSS {r['peak_pss_mb']:.0f}), "
                    f"CPU {r['ingest_cpu_s']:.0f} s, load {r['load_before']:.1f}",
                    file=sys.stderr, flush=True,
                )  # fmt: skip
                results_path.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    text = table(results, meta)
    (args.out / "results.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
