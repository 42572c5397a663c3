"""Crash safety: `refdb ingest` killed with SIGKILL at any moment, during ingest or
resolve, leaves a database that opens and passes `refdb check` (except for the
resolution it did not finish), and running the same command again gives exactly the
database an uninterrupted run gives.  On SQLite and PostgreSQL.

Kill points are of two kinds: deterministic ones, where the process kills itself at a
named point (inside or just after the n-th ingest batch or resolve chunk, see
``driver.py``; resolve runs in small chunks there so that there are points between
chunks), and seeded random moments, where the test kills the real ``refdb`` command
from outside.  Whatever moment a kill lands on, the assertions are the same.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from refdb.cli.app import app
from refdb.service.catalog import load_catalog
from refdb.service.check import INTERRUPTED, check
from refdb.store.engine import create
from refdb.store.migrate import ensure_schema

from .helpers import REFDB, diff, dump, run_refdb, scratch_url, session_leftovers
from .synthetic import corpus, write_telegrams

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
N_CABLES = 130  # more than ingest's threshold for parsing in worker processes (128)
BATCH = 13  # 10 ingest batches (12 with seeds/)
CHUNK = 25  # resolve chunks in the driver: 6 or more

SCENARIOS = [
    # (id, kill points of successive runs of the same command; one more run completes).
    # Each run goes further than the one before: the chain visits every phase.
    (
        "ingest-and-resolve",
        [
            "batch-inside:3",  # two batches committed, the third in flight
            "batch-after:9",  # 2 unchanged + 7 new batches committed, before the last one
            "resolve-inside:2",  # everything stored; first resolve chunk done, second in flight
            "resolve-after:2",  # two more chunks committed, the rest pending
        ],
    ),
    ("random-moment", ["random:11"]),  # the real command, killed from outside
]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, Path]:
    """The cables (telegram text files) and a small catalogue of released IDs (loading
    the bundled 251,287-ID catalogue for every database would dominate the run time)."""
    folder = tmp_path_factory.mktemp("kill")
    specs = corpus(N_CABLES, seed=20)
    write_telegrams(specs, folder / "cables")
    if SEEDS.is_dir():  # real cables (viewer HTML, telegram text) beside the synthetic ones
        shutil.copytree(SEEDS, folder / "cables" / "seeds")
    cited = {i.cited.canonical for s in specs for i in s.items if i.cited}
    catalogue = folder / "catalogue.csv"
    ids = sorted({s.id.canonical for s in specs} | {c for c in cited if int(c[-1]) % 2 == 0})  # half of the others
    catalogue.write_text("refid,month\n" + "".join(f"{i},1\n" for i in ids))
    return folder / "cables", catalogue


def _prepare(url: str, catalogue: Path) -> None:
    eng = create(url)
    ensure_schema(eng)
    load_catalog(eng, catalogue, name="cablegate")
    eng.dispose()


def _ingest_args(cables: Path, url: str) -> list[str]:
    return ["ingest", str(cables), "--db", url, "--batch-size", str(BATCH), "--quiet"]


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory) -> tuple[dict, float]:
    """The dump of an uninterrupted run of the real command, and how long it took.  Run
    once, on SQLite: both backends give the same database (the PostgreSQL runs are
    compared with it, so that is checked too)."""
    cables, catalogue = inputs
    with scratch_url("sqlite", tmp_path_factory.mktemp("reference")) as url:
        _prepare(url, catalogue)
        started = time.monotonic()
        done = run_refdb(*_ingest_args(cables, url))
        seconds = time.monotonic() - started
        assert done.returncode == 0, done.stderr.decode()
        report, reference_dump = _checked_dump(url)
    assert report.ok, report.problems
    assert report.counts["cables"] >= N_CABLES
    return reference_dump, seconds


def _kill_at_random_moment(args: list[str], seed: int, typical: float) -> int:
    """Start the real command and SIGKILL it after a seeded random delay within the
    time an uninterrupted run takes; returns its exit status."""
    delay = random.Random(seed).uniform(0.1, 1.0) * typical
    proc = subprocess.Popen(
        [str(REFDB), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)  # the refdb process only: its workers must go by themselves
    status = proc.wait(timeout=60)
    session_leftovers(proc.pid, wait=5)  # see test_no_process_outlives_a_killed_ingest
    return status


def _checked_dump(url: str):  # type: ignore[no-untyped-def]
    """refdb check's report on the database, and its canonical dump."""
    eng = create(url)
    try:
        return check(eng), dump(eng)
    finally:
        eng.dispose()


def _assert_consistent_after_kill(url: str, where: str) -> None:
    eng = create(url)
    try:
        report = check(eng)
    finally:
        eng.dispose()
    assert not report.damaged, f"{where}: {[p.message for p in report.damaged]}"
    result = CliRunner().invoke(app, ["check", "--db", url, "--json"])
    data = json.loads(result.stdout)
    assert {p["kind"] for p in data["problems"]} <= INTERRUPTED, f"{where}: {data['problems']}"
    assert result.exit_code == (0 if not data["problems"] else 1)


@pytest.mark.parametrize("points", [s[1] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS])
def test_killed_ingest_then_rerun_equals_uninterrupted_run(db_url, inputs, reference, points):
    cables, catalogue = inputs
    expected, typical = reference
    _prepare(db_url, catalogue)
    args = _ingest_args(cables, db_url)
    for point in points:
        if point.startswith("random:"):
            status = _kill_at_random_moment(args, int(point.split(":")[1]), typical)
            assert status in (0, -signal.SIGKILL)
        else:
            # Processes refdb started and left behind are killed after a few seconds here
            # (they hold the killed run's database connection open); that they exist at
            # all is test_no_process_outlives_a_killed_ingest's business.
            killed = run_refdb(*args, kill_at=point, chunk=CHUNK, leftovers_allowed=True, grace=5)
            assert killed.returncode == -signal.SIGKILL, (
                f"{point}: the kill point was not reached (exit {killed.returncode}): {killed.stderr.decode()[-2000:]}"
            )
        _assert_consistent_after_kill(db_url, f"after kill at {point}")

    again = run_refdb(*args)  # the same command, run again to completion
    assert again.returncode == 0, again.stderr.decode()
    report, got = _checked_dump(db_url)
    assert report.ok, [p.message for p in report.problems]
    assert got == expected, diff(expected, got)


@pytest.mark.parametrize("point", ["batch-inside:2"])
def test_no_process_outlives_a_killed_ingest(tmp_path, inputs, point):
    """Parsing runs in worker processes (``--jobs``, all cores by default).  When refdb is
    killed they must go too: left behind, they would run on (or block) forever, holding
    the database files and the killed run's PostgreSQL connection, whose transaction then
    stays open and blocks the next run."""
    from refdb.service.ingest import PARALLEL_THRESHOLD

    assert N_CABLES >= PARALLEL_THRESHOLD, "too few cables to start worker processes"
    cables, catalogue = inputs
    url = f"sqlite:///{tmp_path / 'orphans.sqlite'}"
    _prepare(url, catalogue)
    killed = run_refdb(*_ingest_args(cables, url), "--jobs", "2", kill_at=point, chunk=CHUNK,
                       leftovers_allowed=True, grace=15)
    assert killed.returncode == -signal.SIGKILL
    assert killed.leftovers == [], f"processes still running 15 s after refdb was killed: {killed.leftovers}"
