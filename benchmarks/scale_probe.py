"""In-process query latency, run by ``run_scale.py`` in a fresh interpreter:

    python benchmarks/scale_probe.py DB_URL IDS_FILE SEED COUNT

Times ``refs``, ``cited_by`` and ``show`` from :mod:`refdb.service.queries` (what the
CLI calls) for COUNT IDs drawn at random from IDS_FILE (one published ID a line),
after one warm-up call each: wall time, and this process's CPU time (less inflated by
a busy machine; it leaves out a PostgreSQL server's work).  Prints one JSON document."""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_metrics import latency_summary  # noqa: E402


def main() -> None:
    url, ids_file, seed, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    from refdb.service import queries
    from refdb.store.engine import create

    ids = [line.strip() for line in open(ids_file) if line.strip()]
    sample = random.Random(seed).sample(ids, min(count, len(ids)))
    engine = create(url)
    out: dict = {}
    for name, fn in (("refs", queries.refs), ("cited_by", queries.cited_by), ("show", queries.show)):
        fn(engine, sample[0])  # warm-up: connection, statement cache
        times, cpu = [], []
        rows = 0
        for cid in sample:
            c0, t0 = time.process_time(), time.perf_counter()
            result = fn(engine, cid)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)  # this process only (not a database server)
            rows += len(result) if isinstance(result, list) else len(result["references"])
        out[name] = {**latency_summary(times), "rows": rows, "cpu": latency_summary(cpu)}
    engine.dispose()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
