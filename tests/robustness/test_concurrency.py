"""Concurrency, on SQLite (WAL, BEGIN IMMEDIATE, busy timeout) and PostgreSQL.

- Readers keep working while an ingest holds its write transaction open, and see the
  last committed state.
- A second writer waits for the first instead of failing.
- Two ingests at once into one database both complete, and the result equals one
  ingest of everything: no duplicates, no lost link, nothing left pending.
- A resolve pass whose lookup of stored cables was built before another process stored
  a cable must not leave (or overwrite) a link wrong: the design question of
  ``resolve_pending`` building its lookup once and resolving in chunks afterwards.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from refdb.errors import NotFound
from refdb.ids import CableId
from refdb.parse import parse_bytes
from refdb.service import queries
from refdb.service.check import check
from refdb.service.ingest import ingest_parsed
from refdb.service.resolve import build_lookup, resolve_pending
from refdb.store import writes
from refdb.store.engine import create, read_tx, write_tx

from .helpers import backend_of, diff, dump, prepared, run_refdb, scratch_url
from .synthetic import Item, Spec, corpus, write_telegrams

NOW = datetime(2024, 1, 1)


def _spec(cid: str, date: str, *cites: str) -> Spec:
    """A cable citing ``cites`` as REF A, B ... and mentioning each."""
    items = tuple(
        Item("ABCDEFGH"[i], CableId.parse(c), f"{CableId.parse(c).origin} {CableId.parse(c).serial}")
        for i, c in enumerate(cites)
    )
    body = (" ".join(f"See (REF {i.letter})." for i in items) or "No references.",)
    return Spec(CableId.parse(cid), datetime.fromisoformat(date), f"CABLE {cid}", items, body)


# --- readers and a second writer while a write transaction is open ---------------------------


def test_readers_see_the_last_commit_while_an_ingest_writes(engine, db_url):
    first = _spec("08TOKYO100", "2008-01-10 10:00")
    ingest_parsed(engine, [first.parsed()], resolve=False)
    second = _spec("08TOKYO200", "2008-02-10 10:00", "08TOKYO100")
    reader = create(db_url)
    try:
        with write_tx(engine) as conn:  # an ingest batch in flight: rows written, not committed
            writes.save_cables(conn, [second.parsed()], NOW)
            # Another connection in this process ...
            assert queries.show(reader, "08TOKYO100")["id"] == "08TOKYO100"
            with pytest.raises(NotFound):
                queries.show(reader, "08TOKYO200")
            # ... and another process.
            shown = run_refdb("show", "08TOKYO100", "--db", db_url, "--json", timeout=60)
            assert shown.returncode == 0, shown.stderr.decode()
            assert b'"08TOKYO100"' in shown.stdout
        assert queries.show(reader, "08TOKYO200")["references"][0]["cited_id"] == "08TOKYO100"
    finally:
        reader.dispose()


class _InBackground(threading.Thread):
    """``refdb ARGS`` in a subprocess, run from a thread; ``result()`` waits for it."""

    def __init__(self, *args: str) -> None:
        super().__init__()
        self.args = args
        self.done = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.done = run_refdb(*self.args, timeout=300)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            self.error = exc

    def result(self):  # type: ignore[no-untyped-def]
        self.join()
        if self.error is not None:
            raise self.error
        return self.done


def test_a_second_writer_waits_for_the_first(engine, db_url, tmp_path):
    write_telegrams([_spec("08TOKYO300", "2008-03-10 10:00")], tmp_path / "in")
    prepared(db_url, tmp_path, ["08TOKYO300"])
    with write_tx(engine) as conn:
        writes.save_cables(conn, [_spec("08TOKYO100", "2008-01-10 10:00").parsed()], NOW)
        other = _InBackground("ingest", str(tmp_path / "in"), "--db", db_url)
        time.sleep(1.0)  # gives it time to reach its first write; the outcome must be the same either way
        assert other.is_alive() or other.done is not None and other.done.returncode == 0
    done = other.result()
    assert done.returncode == 0, done.stderr.decode()
    assert [row[0] for row in dump(engine)["cable"]] == ["08TOKYO100", "08TOKYO300"]


# --- two ingests at once ----------------------------------------------------------------------

N = 60


@pytest.fixture(scope="module")
def two_halves(tmp_path_factory) -> tuple[Path, Path, Path, list[str]]:
    """A corpus split in two folders (odd and even cables, so each half cites the other),
    a folder with all of it, and its IDs (the catalogue)."""
    root = tmp_path_factory.mktemp("concurrent")
    specs = corpus(N, seed=5)
    write_telegrams(specs[0::2], root / "even")
    write_telegrams(specs[1::2], root / "odd")
    write_telegrams(specs, root / "all")
    return root / "even", root / "odd", root / "all", [s.id.canonical for s in specs]


IGNORE = ("cable.source",)  # the folders differ; everything else must not

@pytest.fixture(scope="module")
def sequential(two_halves, tmp_path_factory) -> dict:
    """The dump of one ingest of everything (on SQLite: both backends give the same
    database, so the PostgreSQL runs are compared with it too)."""
    _even, _odd, everything, catalogue = two_halves
    folder = tmp_path_factory.mktemp("sequential")
    with scratch_url("sqlite", folder) as url:
        prepared(url, folder, catalogue)
        done = run_refdb("ingest", str(everything), "--db", url, "--quiet")
        assert done.returncode == 0, done.stderr.decode()
        eng = create(url)
        expected = dump(eng, ignore=IGNORE)
        eng.dispose()
    return expected


@pytest.mark.parametrize("overlap", [False, True], ids=["disjoint-inputs", "same-inputs"])
def test_two_ingests_at_once_equal_one_ingest_of_everything(db_url, two_halves, sequential, tmp_path, overlap):
    even, odd, everything, catalogue = two_halves
    expected = sequential
    prepared(db_url, tmp_path, catalogue)
    inputs = (everything, everything) if overlap else (even, odd)
    started = [_InBackground("ingest", str(folder), "--db", db_url, "--batch-size", "5", "--quiet") for folder in inputs]
    for ingest in started:
        done = ingest.result()
        assert "Traceback" not in done.stderr.decode(), done.stderr.decode()[-3000:]
        assert done.returncode == 0, done.stderr.decode()
    eng = create(db_url)
    report = check(eng)
    got = dump(eng, ignore=IGNORE)
    eng.dispose()
    assert report.ok, [p.message for p in report.problems]
    assert got == expected, diff(expected, got)


# --- the stale lookup ---------------------------------------------------------------------------

# Y cites X.  X arrives while another process's resolve pass is under way with a lookup
# built before X was stored.
X = _spec("08TOKYO500", "2008-05-01 10:00")
Y = _spec("08TOKYO600", "2008-06-01 10:00", "08TOKYO500")


def _lookup_now(engine):  # type: ignore[no-untyped-def]
    with read_tx(engine) as conn:
        return build_lookup(conn)


def _target(engine) -> str | None:
    return queries.refs(engine, "08TOKYO600")[0]["target_id"]


def test_a_cable_stored_after_another_pass_built_its_lookup_is_still_linked(engine):
    ingest_parsed(engine, [Y.parsed()])
    assert _target(engine) is None
    stale = _lookup_now(engine)  # process 1 starts a resolve pass
    ingest_parsed(engine, [X.parsed()], resolve=False)  # process 2 stores X ...
    resolve_pending(engine, lookup=stale)  # ... process 1's pass takes X's chunk
    resolve_pending(engine)  # process 2's own pass
    assert _target(engine) == "08TOKYO500"
    assert check(engine).ok


def test_a_pass_with_a_stale_lookup_does_not_undo_a_link_made_meanwhile(engine):
    ingest_parsed(engine, [Y.parsed()])
    stale = _lookup_now(engine)  # process 1 starts a resolve pass (X not stored yet)
    ingest_parsed(engine, [X.parsed()])  # process 2 stores X and links Y's REF A to it
    assert _target(engine) == "08TOKYO500"
    # Process 1 stored a garbled transmission of X (same real ID) and resolves it with
    # its old lookup: the references citing X are examined again.
    garbled = dataclasses.replace(X.parsed(), published_id="08SECTION01OF02TOKYO500", text=X.telegram() + "(copy)")
    ingest_parsed(engine, [garbled], resolve=False)
    resolve_pending(engine, lookup=stale)
    assert _target(engine) == "08TOKYO500"
    assert check(engine).ok


# --- the order of ingests ------------------------------------------------------------------------


def _parsed(spec: Spec):  # type: ignore[no-untyped-def]
    """Through the real parser (year-less REF items are read as the citing year)."""
    (cable,) = list(parse_bytes(spec.telegram().encode(), f"{spec.id.canonical}.txt"))
    return cable


def _cites(cid: str, date: str, raw: str) -> Spec:
    return Spec(CableId.parse(cid), datetime.fromisoformat(date), f"CABLE {cid}", (Item("A", None, raw),), ("See (REF A).",))


def test_a_reference_is_resolved_the_same_whatever_arrives_later(db_url, tmp_path):
    """Two ingests at once reduce to two ingests one after the other with some split of
    the inputs: the result must not depend on the split.  A year-less item's year is
    inferred from the cited post's timeline (year_inferred_from_date), so cables of that
    post arriving later must get the item examined again."""
    citing = _parsed(_cites("07BEIJING1262", "2007-11-01 10:00", "PARIS 28334"))
    later = [_parsed(_spec(f"07PARIS{n}", f"2007-11-{day:02d} 10:00")) for n, day in ((900, 5), (950, 10), (990, 15))]
    with scratch_url(backend_of(db_url), tmp_path) as url:
        prepared(url, tmp_path)
        eng = create(url)
        ingest_parsed(eng, [citing, *later])
        together = queries.refs(eng, "07BEIJING1262")
        expected = dump(eng)
        eng.dispose()
    prepared(db_url, tmp_path)
    eng = create(db_url)
    ingest_parsed(eng, [citing])
    ingest_parsed(eng, later)
    apart = queries.refs(eng, "07BEIJING1262")
    got = dump(eng)
    eng.dispose()
    keys = ("status", "method", "resolved_id", "reason", "evidence")
    assert [{k: r[k] for k in keys} for r in apart] == [{k: r[k] for k in keys} for r in together]
    assert got == expected, diff(expected, got)


# --- two batches storing the same new cable ---------------------------------------------------


def test_two_ingests_storing_the_same_new_cable_at_once(engine, db_url, monkeypatch):
    """The deterministic core of two ingests of the same inputs: process 1's batch has
    stored cable X and not committed yet when process 2's batch stores X too.  Process 2
    must wait and then find X stored (unchanged), not fail on the duplicate key (on
    PostgreSQL writers take turns on an advisory lock: refdb.store.engine.write_tx)."""
    x = _spec("08TOKYO800", "2008-08-01 10:00").parsed()
    real_save = writes.save_cables
    first_has_written, release_first = threading.Event(), threading.Event()

    def save_and_hold(conn, cables, now):  # type: ignore[no-untyped-def]
        saved = real_save(conn, cables, now)
        if threading.current_thread().name == "first":
            first_has_written.set()
            release_first.wait(60)  # its transaction stays open meanwhile
        return saved

    monkeypatch.setattr(writes, "save_cables", save_and_hold)
    postgres = db_url.startswith("postgresql")
    second_engine = create(f"{db_url}&application_name=refdb-second-ingest" if postgres else db_url)
    reports: dict = {}

    def run(name: str, eng) -> None:  # type: ignore[no-untyped-def]
        try:
            reports[name] = ingest_parsed(eng, [x], resolve=False)
        except Exception as exc:  # noqa: BLE001 - reported below
            reports[name] = exc

    first = threading.Thread(target=run, args=("first", engine), name="first")
    first.start()
    assert first_has_written.wait(60)
    second = threading.Thread(target=run, args=("second", second_engine), name="second")
    second.start()
    if postgres:  # wait until the second ingest is blocked by the first (on a lock)
        deadline = time.monotonic() + 30
        with engine.connect() as watcher:
            while time.monotonic() < deadline and not watcher.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'refdb-second-ingest' "
                "AND wait_event_type = 'Lock'"
            ).scalar():
                time.sleep(0.05)
    else:
        second.join(1.0)  # SQLite: it waits for the write lock (BEGIN IMMEDIATE)
    release_first.set()
    first.join(60)
    second.join(60)
    second_engine.dispose()
    assert not isinstance(reports["first"], Exception), reports["first"]
    assert not isinstance(reports["second"], Exception), f"the second ingest failed: {reports['second']}"
    assert (reports["first"].new, reports["second"].unchanged) == (1, 1)
    assert check(engine).damaged == []
