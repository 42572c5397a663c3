"""The quick read path of show / refs / cited-by: a bare driver connection
(refdb.store.direct) and a plain command line read past Typer (refdb.cli.plain_call).
It must answer exactly as the SQLAlchemy path does, and hand every irregular case
(missing file, old schema, bad URL) to that path, on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from service.factory import cable, ref  # tests/ is on sys.path (rootdir-relative packages)
from typer.testing import CliRunner

from refdb.cli import plain_call
from refdb.cli.app import app
from refdb.errors import AmbiguousId, NotFound
from refdb.service import queries as service
from refdb.store import cable_reads
from refdb.store.direct import DirectDb, open_at_head
from refdb.store.engine import read_tx
from refdb.store.schema_head import HEAD

from .helpers import load

# 08TOKYO1002 cites 08TOKYO960 (A) and a cable never stored (B); 09TOKYO1002 cites
# 08TOKYO960 too, and makes "TOKYO 001002" ambiguous.
CABLES = [
    cable("08TOKYO960", "2008-03-01 09:00", subject="THE CITED ONE"),
    cable("08TOKYO1002", "2008-04-02 10:30", (ref(0, "A", "08TOKYO960"), ref(1, "B", "07STATE500"))),
    cable("09TOKYO1002", "2009-05-03 11:45", (ref(0, "A", "08TOKYO960"),)),
]
WRITTEN = ["08TOKYO1002", "08 TOKYO 1002", "08tokyo1002", "TOKYO 000960", "08TOKYO960"]
HEAVY = ("rich", "sqlalchemy", "sqlmodel", "pydantic", "alembic", "rapidfuzz", "refdb.parse")


@pytest.fixture
def db(engine, db_url):
    load(engine, CABLES)
    return db_url


@pytest.fixture
def direct(db):
    source = open_at_head(db)
    assert isinstance(source, DirectDb), "a database at head opens the quick way"
    yield source
    source.dispose()


def test_the_head_constant_is_alembics_head():
    from refdb.store.migrate import head_revision

    assert HEAD == head_revision(), "bump refdb/store/schema_head.py with the new revision"


# --- the service on either path ---------------------------------------------------------


@pytest.mark.parametrize("written", WRITTEN)
@pytest.mark.parametrize("use_case", [service.refs, service.cited_by, service.show], ids=lambda f: f.__name__)
def test_the_quick_path_answers_as_the_engine(engine, direct, use_case, written):
    assert use_case(direct, written) == use_case(engine, written)


@pytest.mark.parametrize(("written", "error"), [("TOKYO 001002", AmbiguousId), ("09TOKYO5", NotFound),
                                                ("TOKYO 000005", NotFound), ("not an id", NotFound)])
def test_the_quick_path_fails_as_the_engine(engine, direct, written, error):
    with pytest.raises(error) as quick:
        service.show(direct, written)
    with pytest.raises(error) as full:
        service.show(engine, written)
    assert (str(quick.value), quick.value.hint) == (str(full.value), full.value.hint)


def test_plain_sql_rows_are_typed_as_sqlalchemys(engine, direct):
    """Dates come back as datetime and flags as bool from SQLite too, as the typed
    SQLAlchemy select gave them."""
    import sqlalchemy as sa

    from refdb.store.tables import Cable

    table = Cable.__table__
    with read_tx(engine) as conn:
        typed = conn.execute(sa.select(table).where(table.c.id == "08TOKYO1002")).one()._asdict()
        through_engine = cable_reads.cable(conn, "08TOKYO1002")._asdict()
    with direct.read() as conn:
        quick = cable_reads.cable(conn, "08TOKYO1002")._asdict()
        cited = cable_reads.citing(conn, "08TOKYO960")
    assert quick == through_engine == typed
    assert [(r.citing_id, r.date.year) for r in cited] == [("08TOKYO1002", 2008), ("09TOKYO1002", 2009)]


# --- which databases open the quick way ----------------------------------------------------


def test_sqlite_urls_of_every_form(db, tmp_path, monkeypatch):
    if not db.startswith("sqlite"):
        pytest.skip("SQLite URL forms")
    path = db.removeprefix("sqlite:///")
    monkeypatch.chdir(tmp_path.parent)
    relative = os.path.relpath(path)
    for url in (f"sqlite:///{path}", f"sqlite:///{relative}", f"sqlite:////{path.lstrip('/')}"):
        source = open_at_head(url)
        assert isinstance(source, DirectDb), url
        source.dispose()


def test_postgresql_urls_with_and_without_the_driver_name(db):
    if not db.startswith("postgresql"):
        pytest.skip("PostgreSQL URL forms")
    for url in (db, "postgresql://" + db.split("://", 1)[1]):
        from refdb.store.urls import normalise_url

        source = open_at_head(normalise_url(url))
        assert isinstance(source, DirectDb), url
        source.dispose()


def test_irregular_databases_are_left_to_the_full_path(engine, db_url, tmp_path):
    from refdb.store.migrate import downgrade

    downgrade(engine, "0004")
    assert open_at_head(db_url) is None  # an older revision
    missing = tmp_path / "missing.sqlite"
    assert open_at_head(f"sqlite:///{missing}") is None
    assert not missing.exists(), "the quick path creates no file"
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("not a database\n" * 100)
    assert open_at_head(f"sqlite:///{not_a_db}") is None
    assert open_at_head("sqlite://") is None  # in memory
    assert open_at_head("postgresql+psycopg://nobody:s3cret@127.0.0.1:1/none") is None


# --- the command line -------------------------------------------------------------------


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command in a child process: the plain command line path included."""
    return subprocess.run([sys.executable, "-m", "refdb", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})


def _typer(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


COMMAND_LINES = [
    ("refs", "08TOKYO1002"), ("refs", "08 TOKYO 1002", "--json"), ("refs", "08TOKYO1002", "--jsonl"),
    ("refs", "08tokyo1002", "--csv"), ("cited-by", "TOKYO 000960"), ("cited-by", "08TOKYO960", "--json"),
    ("cited-by", "08TOKYO960", "--jsonl"), ("cited-by", "08TOKYO960", "--csv"), ("show", "08TOKYO1002"),
    ("show", "TOKYO 000960", "--json"), ("show", "TOKYO 001002", "--json"), ("refs", "09TOKYO5", "--json"),
]


@pytest.mark.parametrize("args", COMMAND_LINES, ids=" ".join)
def test_the_command_prints_what_the_full_path_prints(db, args, monkeypatch):
    quick = _cli(*args, "--db", db)
    monkeypatch.setattr("refdb.store.direct.open_at_head", lambda url: None)
    full = _typer(*args, "--db", db)
    assert (quick.returncode, quick.stdout, quick.stderr) == (full.exit_code, full.stdout, full.stderr)


@pytest.mark.parametrize(
    ("args", "env"),
    [(("refs", "--db=DB", "08TOKYO1002", "--json"), {}), (("show", "08TOKYO1002", "--json"), {"REFDB_DB": "DB"})],
    ids=["--db=", "REFDB_DB"],
)
def test_db_given_either_way(db, args, env):
    done = _cli(*[a.replace("DB", db) if a.startswith("--db") else a for a in args],
                env={k: db for k in env})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)


def test_id_forms_through_the_command(db):
    ids = [json.loads(_cli("show", w, "--db", db, "--json").stdout)["id"] for w in ("08TOKYO1002", "08 TOKYO 1002")]
    assert ids == ["08TOKYO1002", "08TOKYO1002"]
    ambiguous = _cli("refs", "TOKYO 001002", "--db", db, "--json")
    assert ambiguous.returncode == 1 and ambiguous.stdout == ""
    assert ambiguous.stderr.startswith("Error: 'TOKYO 001002' fits 2 stored cables: 08TOKYO1002, 09TOKYO1002")


@pytest.mark.parametrize("command", ["refs", "cited-by", "show"])
def test_the_quick_commands_import_nothing_heavy(db, command):
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "refdb", command, "08TOKYO1002", "--db", db,
                           "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    heavy = sorted(m for m in imported if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == []


@pytest.mark.parametrize("command", ["refs", "cited-by", "show"])
def test_an_older_schema_still_asks_for_migrate(engine, db, command):
    from refdb.store.migrate import downgrade

    downgrade(engine, "0004")
    done = _cli(command, "08TOKYO1002", "--db", db, "--json")
    assert done.returncode == 3 and done.stdout == ""
    assert "refdb migrate" in done.stderr


def test_a_missing_database(db_url, tmp_path):
    if db_url.startswith("sqlite"):
        done = _cli("refs", "08TOKYO1002", "--db", str(tmp_path / "missing.sqlite"), "--json")
        assert (done.returncode, done.stdout) == (3, "")  # as ever: an empty database, schema none
        assert "revision none" in done.stderr and "refdb migrate" in done.stderr
    else:
        url = db_url.replace("://postgres@", "://postgres:s3cretpw@").split("?")[0] + "_no_such_db"
        done = _cli("refs", "08TOKYO1002", "--db", url, "--json")
        assert (done.returncode, done.stdout) == (1, "")
        assert done.stderr.startswith("Error: cannot open database") and "s3cretpw" not in done.stderr
        assert "postgres:***@" in done.stderr


# --- which command lines are plain -------------------------------------------------------


def _kwargs(*argv: str):  # type: ignore[no-untyped-def]
    return plain_call._arguments(plain_call._callback(app, argv[0]), argv[1:])


def test_plain_command_lines_are_read_as_typer_reads_them(monkeypatch):
    monkeypatch.delenv("REFDB_DB", raising=False)
    assert _kwargs("refs", "08 TOKYO 1002", "--db", "x.sqlite", "--json") == {
        "cable_id": "08 TOKYO 1002", "db": "x.sqlite", "depth": None, "json_": True, "jsonl": False, "csv_": False}
    assert _kwargs("show", "--db=x.sqlite", "08TOKYO1002") == {"cable_id": "08TOKYO1002", "db": "x.sqlite", "json_": False}
    monkeypatch.setenv("REFDB_DB", "env.sqlite")
    assert _kwargs("show", "08TOKYO1002")["db"] == "env.sqlite"
    assert _kwargs("show", "08TOKYO1002", "--db", "x.sqlite")["db"] == "x.sqlite"


@pytest.mark.parametrize(
    "argv",
    [("refs", "08TOKYO1002", "--depth", "2"), ("refs", "08TOKYO1002", "--help"), ("show", "-h"),
     ("refs", "--", "08TOKYO1002"), ("refs",), ("refs", "a", "b"), ("refs", "08TOKYO1002", "--db"),
     ("refs", "08TOKYO1002", "--db="), ("refs", "08TOKYO1002", "--json=yes"), ("show", "-08X1"),
     ("refs", "08TOKYO1002", "--no-json"), ("show", "08TOKYO1002", "--csv")],
    ids=" ".join,
)
def test_anything_else_goes_to_typer(argv):
    assert _kwargs(*argv) is None


def test_commands_other_than_the_quick_ones_go_to_typer():
    assert plain_call.run(app, ["stats", "--json"]) is False
    assert plain_call.run(app, []) is False
