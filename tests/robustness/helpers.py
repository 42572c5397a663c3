"""Helpers shared by the robustness tests: filling a database without the parser or
the resolver, and a canonical dump to compare two databases."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from refdb.model import Resolution, Status
from refdb.store import writes
from refdb.store.engine import read_tx, write_tx
from refdb.store.tables import CatalogEntry

from .synthetic import corpus

CABLE, REFERENCE, MENTION = writes.CABLE, writes.REFERENCE, writes.MENTION
SPECS = corpus(12, seed=3)


def store_and_resolve(engine, specs=SPECS) -> None:
    """Store the cables and resolve each REF item by exact ID (what a finished ingest leaves)."""
    with write_tx(engine) as conn:
        writes.save_cables(conn, [s.parsed() for s in specs], datetime(2024, 1, 1))
        stored = {r.id for r in conn.execute(sa.select(CABLE.c.id))}
        rows = []
        for r in conn.execute(sa.select(REFERENCE)):
            if r.cited_id is None:
                res = Resolution(Status.NOT_A_CABLE, method="kind", reason="not_a_cable")
            elif r.cited_id in stored:
                res = Resolution(Status.RESOLVED, method="exact", confidence=1.0, target_id=r.cited_id, resolved_id=r.cited_id)
            else:
                res = Resolution(Status.UNRESOLVED, method="exact", reason="not_stored")
            rows.append(writes.resolution_row(r.id, res, None))
        writes.write_resolutions(conn, rows)
        writes.clear_pending(conn, sorted(stored))
        conn.execute(sa.insert(CatalogEntry.__table__), [{"id": s.id.canonical, "month": 1, "catalog": "t"} for s in specs])




# Columns that legitimately differ between two runs over the same inputs: surrogate keys
# and timestamps.
VOLATILE = {"cable": {"ingested_at"}, "reference": {"id"}, "mention": {"id"}, "manual_decision": {"id", "decided_at"}}
NATURAL_KEY = {
    "cable": ("id",),
    "reference": ("citing_id", "ordinal"),
    "mention": ("citing_id", "ordinal", "start_offset", "letter"),
    "manual_decision": ("citing_id", "ordinal"),
}


def dump(engine, *, ignore: Iterable[str] = ()) -> dict[str, list[tuple]]:
    """Every row of cable, reference, mention and manual_decision (minus surrogate keys,
    timestamps and the ``ignore`` columns), sorted by natural key; the catalogue as a
    count: two databases built from the same inputs must dump equal."""
    out: dict[str, list[tuple]] = {}
    tables = {t.name: t for t in (CABLE, REFERENCE, MENTION, writes.CABLE.metadata.tables["manual_decision"])}
    skip = set(ignore)
    with read_tx(engine) as conn:
        for name, table in tables.items():
            cols = [c for c in table.c if c.name not in VOLATILE[name] and f"{name}.{c.name}" not in skip]
            rows = conn.execute(sa.select(*cols).order_by(*[table.c[k] for k in NATURAL_KEY[name]], *cols))
            out[name] = [tuple(r) for r in rows]
        out["catalog_entry"] = [(conn.execute(sa.select(sa.func.count()).select_from(CatalogEntry.__table__)).scalar_one(),)]
    return out


def diff(a: dict[str, list[tuple]], b: dict[str, list[tuple]], limit: int = 5) -> str:
    """A short account of how two dumps differ (for assertion messages)."""
    lines = []
    for name in a:
        only_a = sorted(set(a[name]) - set(b[name]), key=repr)
        only_b = sorted(set(b[name]) - set(a[name]), key=repr)
        if only_a or only_b or len(a[name]) != len(b[name]):
            lines.append(f"{name}: {len(a[name])} vs {len(b[name])} rows")
            lines += [f"  - {r!r}"[:300] for r in only_a[:limit]]
            lines += [f"  + {r!r}"[:300] for r in only_b[:limit]]
    return "\n".join(lines)


# --- scratch databases and running the real command ------------------------------------------

HERE = Path(__file__).resolve().parent
REFDB = Path(sys.executable).with_name("refdb")  # the installed console script of this venv
DRIVER = HERE / "driver.py"


def backend_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


@contextmanager
def scratch_url(backend: str, folder: Path) -> Iterator[str]:
    """A URL to a new empty database of ``backend`` (a PostgreSQL schema of its own,
    dropped afterwards), for tests that need more than the one ``db_url`` gives."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'scratch-{uuid.uuid4().hex[:8]}.sqlite'}"
        return
    from urllib.parse import quote

    from refdb.store.engine import normalise_url

    base = normalise_url(os.environ["REFDB_TEST_PG_URL"])
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        sep = "&" if "?" in base else "?"
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def run_refdb(*args: str, kill_at: str | None = None, chunk: int | None = None, timeout: float = 300,
              stdin: bytes | None = None, leftovers_allowed: bool = False, grace: float = 30) -> subprocess.CompletedProcess:
    """``refdb ARGS`` in a subprocess (the installed command, or the kill driver), in a
    session of its own.  Output goes through files, not pipes, so that the exit of the
    refdb process is seen even if a child of it lingers; then no process of the session
    may be left (worker processes must not outlive refdb, killed or not), unless
    ``leftovers_allowed``: then they are killed after ``grace`` seconds and listed in the
    result's ``leftovers``."""
    import tempfile

    env = {**os.environ, "COLUMNS": "200"}
    env.pop("REFDB_DB", None)
    if chunk:
        env["REFDB_TEST_CHUNK"] = str(chunk)
    if kill_at or chunk:
        cmd = [sys.executable, str(DRIVER), kill_at or "none", "--", *args]
    else:
        cmd = [str(REFDB), *args]
    with tempfile.TemporaryFile() as inp, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        inp.write(stdin or b"")
        inp.seek(0)
        proc = subprocess.Popen(cmd, stdin=inp, stdout=out, stderr=err, env=env, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            leftovers = session_leftovers(proc.pid, wait=0)
            raise AssertionError(f"{cmd[:3]} still running after {timeout} s (a hang); other processes: {leftovers}") from None
        leftovers = session_leftovers(proc.pid, wait=grace)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    assert leftovers_allowed or not leftovers, (
        f"{cmd[:4]} ended (exit {proc.returncode}) but processes it started are still running {grace} s later: "
        f"{leftovers}; stderr: {stderr.decode(errors='replace')[-1500:]}"
    )
    done = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    done.leftovers = leftovers  # type: ignore[attr-defined]
    return done


def session_leftovers(sid: int, wait: float = 30.0) -> list[int]:
    """Processes of session ``sid`` still alive after up to ``wait`` seconds (then
    killed, they are this test's own children); an empty list when none are left."""
    import signal
    import time

    deadline = time.monotonic() + wait
    while True:
        alive = _session_members(sid)
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    for pid in alive:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return alive


def _session_members(sid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields after "(comm)": state ppid pgrp session ...
        if int(fields[3]) == sid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def prepared(url: str, folder: Path, ids: Iterable[str] = ()) -> None:
    """A database at head with a small catalogue of ``ids`` loaded, so that ingest does
    not load the bundled 251,287-ID catalogue (seconds per database)."""
    from refdb.service.catalog import load_catalog
    from refdb.store.engine import create
    from refdb.store.migrate import ensure_schema

    eng = create(url)
    ensure_schema(eng)
    catalogue = folder / f"catalogue-{uuid.uuid4().hex[:8]}.csv"
    catalogue.write_text("refid,month\n" + "".join(f"{i},1\n" for i in sorted(set(ids)) or ["99NOWHERE1"]))
    load_catalog(eng, catalogue, name="cablegate")
    eng.dispose()
