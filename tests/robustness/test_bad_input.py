"""Bad input, end to end: `refdb ingest` in a subprocess, on SQLite and PostgreSQL.

For every bad input: exactly the expected ``Error: <file>[:<record>]: <reason>`` lines
on stderr (one per refused input or record, each on one line), or the cable read as
well as it can; never a traceback, never a hang (a generous timeout guards against
one); the good inputs of the same run stored; nothing half-written (``refdb check``
passes afterwards).  The case table is in ``badinputs.py``; big inputs are generated
in tmp_path at test time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from refdb.service.check import check
from refdb.store.engine import create

from .badinputs import CASES, Case, telegram
from .helpers import dump, prepared, run_refdb

GOOD = ("08TOKYO2002", "08TOKYO3302", "08TOKYO3702")  # plain good cables, cited by some bad ones
HANG_GUARD = 600  # seconds: far above any real run; only there to turn a hang into a failure


def _prepared(url: str, tmp_path: Path) -> None:
    prepared(url, tmp_path, ["08TOKYO2002"])


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Error: ")]


def _assert_clean_failure_output(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr[-3000:]
    for line in stderr.splitlines():
        # Every stderr line is an error line, the summary, or a warning we know.
        assert line.startswith(("Error: ", "Hint: ")) or re.match(r"\d+ cables read", line), f"unexpected line {line!r}"


def _assert_nothing_half_written(url: str) -> None:
    """`refdb check` finds nothing wrong (resolution was not asked for: it is pending)."""
    eng = create(url)
    try:
        report = check(eng)
    finally:
        eng.dispose()
    assert not report.damaged, [p.message for p in report.damaged]


def _expected_errors(folder: Path, cases: list[Case]) -> list[tuple[str, str]]:
    out = []
    for c in cases:
        for locator, words in c.errors:
            where = f"{folder / c.name}:{locator}" if locator else str(folder / c.name)
            out.append((where, words))
    return out


def _stored_ids(url: str) -> set[str]:
    eng = create(url)
    ids = {row[0] for row in dump(eng)["cable"]}
    eng.dispose()
    return ids


SMALL = [c for c in CASES if not c.big]
BIG = [c for c in CASES if c.big]


def test_bad_inputs_among_good_ones_in_one_run(db_url, tmp_path):
    folder = tmp_path / "inputs"
    folder.mkdir()
    for c in SMALL:
        (folder / c.name).write_bytes(c.make())
    for cid in GOOD:
        (folder / f"good_{cid}.txt").write_text(telegram(cid))
    _prepared(db_url, tmp_path)

    # --no-resolve: resolution is not what this test is about, and costs seconds per run
    done = run_refdb("ingest", str(folder), "--db", db_url, "--no-resolve", timeout=HANG_GUARD)
    stderr = done.stderr.decode()
    _assert_clean_failure_output(stderr)
    assert done.returncode == 1  # some inputs refused

    errors = _error_lines(stderr)
    expected = _expected_errors(folder, SMALL)
    assert len(errors) == len(expected), "\n".join(errors)
    for where, words in expected:
        hits = [e for e in errors if e.startswith(f"Error: {where}: ")]
        assert len(hits) == 1, f"expected one error line for {where}, got {hits} in\n" + "\n".join(errors)
        assert words in hits[0]

    stored = _stored_ids(db_url)
    expected_ids = set(GOOD) | {cid for c in SMALL for cid in c.stored}
    assert stored == expected_ids
    _assert_nothing_half_written(db_url)


def test_big_inputs_are_read_in_bounded_time(db_url, tmp_path):
    """A 50 MB cable and a cable with a 10 MB line, in one run with a good cable.  The
    50 MB one is a data dump of 150,000 distinct words and numbers: PostgreSQL's
    full-text index must cope with it too (a tsvector holds at most 1 MB)."""
    paths = []
    for case in BIG:
        path = tmp_path / case.name
        path.write_bytes(case.make())
        paths.append(str(path))
    good = tmp_path / "good.txt"
    good.write_text(telegram(GOOD[0]))
    _prepared(db_url, tmp_path)
    done = run_refdb("ingest", *paths, str(good), "--db", db_url, "--no-resolve", timeout=HANG_GUARD)
    stderr = done.stderr.decode()
    _assert_clean_failure_output(stderr)
    assert done.returncode == 0, stderr[-3000:]
    assert _stored_ids(db_url) == {GOOD[0], *(cid for case in BIG for cid in case.stored)}
    _assert_nothing_half_written(db_url)


def test_a_file_name_with_a_newline_still_gives_one_line(db_url, tmp_path):
    """File names are data too: an error line must stay one line whatever the name."""
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "bad\nname.txt").write_bytes(b"")
    (folder / "good.txt").write_text(telegram(GOOD[0]))
    _prepared(db_url, tmp_path)
    done = run_refdb("ingest", str(folder), "--db", db_url, "--no-resolve", timeout=HANG_GUARD)
    stderr = done.stderr.decode()
    assert done.returncode == 1
    assert "Traceback" not in stderr
    errors = _error_lines(stderr)
    assert len(errors) == 1 and errors[0].endswith(": empty input"), stderr
    assert len([line for line in stderr.splitlines() if line.strip()]) == 2  # the error and the summary


@pytest.mark.parametrize(
    "data, words",
    [(b"\x00\x01\x02binary\xff" * 100, "binary data"), (b"just some words\n", "")],
    ids=["binary", "not-a-cable"],
)
def test_bad_input_on_stdin(db_url, tmp_path, data, words):
    _prepared(db_url, tmp_path)
    done = run_refdb("ingest", "-", "--db", db_url, "--no-resolve", stdin=data, timeout=HANG_GUARD)
    stderr = done.stderr.decode()
    _assert_clean_failure_output(stderr)
    assert done.returncode == 1
    errors = _error_lines(stderr)
    assert len(errors) == 1 and errors[0].startswith("Error: -: ") and words in errors[0], stderr


@pytest.mark.parametrize("command", [["show", "08TOKYO1"], ["ingest", "{good}"], ["check"], ["migrate"]])
def test_a_file_that_is_not_a_database_is_one_error_line(tmp_path, command):
    """--db naming a file that is not a database (or a damaged one): one line, exit 1."""
    not_db = tmp_path / "notes.sqlite"
    not_db.write_bytes(b"These are my notes, not a database. " * 200)
    good = tmp_path / "good.txt"
    good.write_text(telegram(GOOD[0]))
    args = [a.replace("{good}", str(good)) for a in command] + (["--no-resolve"] if command[0] == "ingest" else [])
    done = run_refdb(*args, "--db", str(not_db), timeout=HANG_GUARD)
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr, stderr[-2000:]
    assert done.returncode == 1
    errors = _error_lines(stderr)
    assert len(errors) == 1 and "not a database" in errors[0], stderr


def test_a_catalogue_with_odd_ids_loads_or_is_refused_in_one_line(db_url, tmp_path):
    """`refdb catalog load` reads published IDs, garbled ones included; an ID too damaged
    to read (a fused caveat and an 8-digit serial) must not crash the load."""
    catalogue = tmp_path / "ids.csv"
    catalogue.write_text("refid,month\n08TOKYO1002,4\n08EFTOKABUL10000000,4\n7575LIBREVILLE1895,1\n")
    prepared(db_url, tmp_path)
    done = run_refdb("catalog", "load", str(catalogue), "--name", "mine", "--db", db_url, timeout=HANG_GUARD)
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr, stderr[-2000:]
    assert done.returncode in (0, 2), stderr
    if done.returncode == 2:
        assert len(_error_lines(stderr)) == 1 and "08EFTOKABUL10000000" in stderr
