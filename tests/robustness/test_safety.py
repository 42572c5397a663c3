"""Safety: SQL is parameterised, passwords are never printed, HTML input is only text.

- IDs and filter strings full of quotes, SQL and LIKE wildcards go through the read
  and link commands: they find nothing (or exactly what they name), change nothing,
  and fail in one ``Error:`` line at worst.
- A database URL with a password that cannot connect: no error line, hint, help text
  or traceback shows the password.
- An HTML page with a DOCTYPE declaring entities (external and exponential), scripts,
  images, stylesheets, frames and a meta refresh is read as text: no connection is
  ever made (a local server counts attempts), no file is read, nothing expands.
"""

from __future__ import annotations

import gc
import json
import socket
import threading
import traceback
import warnings

import pytest
import typer
from typer.testing import CliRunner

from refdb.cli.app import app

from .badinputs import telegram
from .helpers import SPECS, dump, prepared, run_refdb, store_and_resolve

EVIL = [
    "08TOKYO1' OR '1'='1",
    "'; DROP TABLE cable; --",
    "%",
    "_8TOKYO1002",
    "x' UNION SELECT id, text FROM cable --",
    "\\'; SELECT pg_sleep(30); --",
    "A' OR 'A'='A",
]
ANY_ID = SPECS[0].id.canonical  # a stored cable
A_TARGET = SPECS[1].id.canonical


# Commands do not dispose of their engine (harmless in the refdb process, which exits;
# test_commands_close_their_connections pins it down), so the ResourceWarning that
# PostgreSQL connections raise when collected is set aside in this module: these tests
# are about what the commands print and change.  What they leave is collected before
# the next test starts.
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture(autouse=True)
def _collect_leftover_connections():
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def _run(args: list[str], env: dict | None = None):  # type: ignore[no-untyped-def]
    """The command, in this process."""
    return CliRunner().invoke(app, args, env=env)


def _invoke(args: list[str], env: dict | None = None):  # type: ignore[no-untyped-def]
    result = _run(args, env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("".join(traceback.format_exception(*result.exc_info)))
    return result


COMMANDS = [
    ("show", lambda s: ["show", s]),
    ("refs", lambda s: ["refs", s, "--json"]),
    ("cited-by", lambda s: ["cited-by", s, "--json"]),
    ("link-citing", lambda s: ["link", s, "A", ANY_ID]),
    ("link-letter", lambda s: ["link", ANY_ID, s, A_TARGET]),
    ("link-target", lambda s: ["link", ANY_ID, "A", s]),
    ("unlink", lambda s: ["unlink", ANY_ID, s]),
]


def test_ids_full_of_sql_find_nothing_and_change_nothing(engine, db_url):
    store_and_resolve(engine)
    before = dump(engine)
    for name, command in COMMANDS:
        for evil in EVIL:
            result = _invoke([*command(evil), "--db", db_url])
            assert result.exit_code in (1, 2), (name, evil, result.output)
            errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
            assert len(errors) == 1, (name, evil, result.stderr)
            assert result.stdout == "", (name, evil, result.stdout)
    assert dump(engine) == before


@pytest.mark.parametrize("option", ["--origin", "--reason"])
def test_filters_full_of_sql_match_nothing(engine, db_url, option):
    store_and_resolve(engine)
    every = json.loads(_invoke(["unresolved", "--db", db_url, "--json"]).stdout)
    assert every, "the fixture has unresolved references"
    for evil in EVIL:
        result = _invoke(["unresolved", option, evil, "--db", db_url, "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == [], evil  # "x' OR '1'='1" must not match every row


def test_search_text_full_of_sql_and_fts_syntax_is_only_words(engine, db_url):
    store_and_resolve(engine)
    before = dump(engine)
    for evil in [*EVIL, '"unbalanced', "NEAR(a b)", "*", "a OR b", "-x", "col:talks", "^", "talks*"]:
        result = _invoke(["search", evil, "--db", db_url, "--json"])
        assert result.exit_code in (0, 2), (evil, result.output)
        if result.exit_code == 2:
            assert [line for line in result.stderr.splitlines() if line.startswith("Error: ")], evil
    # "x' OR '1'='1" is the words x, or, 1: no synthetic cable has the word "x".
    assert json.loads(_invoke(["search", "x' OR '1'='1", "--db", db_url, "--json"]).stdout) == []
    assert dump(engine) == before


# --- passwords --------------------------------------------------------------------------------

PASSWORD_URL = "postgresql+psycopg://user:s3cr%40et@127.0.0.1:1/nodb"  # nothing listens on port 1
SECRET = ("s3cr", "%40et")

COMMANDS_ON_A_DATABASE = [
    ["show", "08TOKYO1002"],
    ["refs", "08TOKYO1002"],
    ["cited-by", "08TOKYO1002"],
    ["unresolved"],
    ["resolve"],
    ["link", "08TOKYO1002", "A", "08TOKYO960"],
    ["check"],
    ["check", "--json"],
    ["migrate"],
    ["ingest", "{cable}"],
]


@pytest.mark.parametrize("command", COMMANDS_ON_A_DATABASE, ids=[" ".join(c) for c in COMMANDS_ON_A_DATABASE])
@pytest.mark.parametrize("via", ["option", "env"])
def test_a_password_in_the_url_is_never_printed(tmp_path, command, via):
    cable = tmp_path / "c.txt"
    cable.write_text(telegram("08TOKYO1002"))
    args = [a.replace("{cable}", str(cable)) for a in command]
    if via == "option":
        result = _run([*args, "--db", PASSWORD_URL])
    else:
        result = _run(args, env={"REFDB_DB": PASSWORD_URL})
    shown = result.output
    if result.exc_info is not None:
        shown += "".join(traceback.format_exception(*result.exc_info))
    for s in SECRET:
        assert s not in shown, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "user:***@127.0.0.1:1/nodb" in errors[0], result.stderr


def test_a_password_of_a_working_database_is_masked_in_reports(engine, db_url):
    """Commands that print the database they work on (check, migrate) mask its password.
    (On PostgreSQL the test server trusts local connections, so a password in the URL
    is accepted and ignored; SQLite URLs carry none.)"""
    url = db_url.replace("postgresql+psycopg://postgres@", "postgresql+psycopg://postgres:s3cr%40et@", 1)
    store_and_resolve(engine)
    for args in (["check", "--json"], ["check"], ["migrate"]):
        result = _invoke([*args, "--db", url])
        assert result.exit_code == 0, result.output
        for s in SECRET:
            assert s not in result.output
        if url != db_url:
            assert "postgres:***@" in result.output


def _all_command_paths() -> list[list[str]]:
    root = typer.main.get_command(app)
    paths = []

    def walk(cmd, prefix):  # type: ignore[no-untyped-def]
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*prefix, name])
        else:
            paths.append(prefix)

    walk(root, [])
    return paths


def test_help_never_shows_the_database_url_from_the_environment():
    for path in [[], *_all_command_paths()]:
        result = _run([*path, "--help"], env={"REFDB_DB": PASSWORD_URL})
        assert result.exit_code == 0, (path, result.output)
        for s in SECRET:
            assert s not in result.output, (path, result.output)


# --- HTML is text -------------------------------------------------------------------------------


class _Listener:
    """A local TCP server that counts connection attempts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def _hostile_page(port: int, secret_file: str) -> str:
    url = f"http://127.0.0.1:{port}"
    body = telegram("08TOKYO7001", body="Talks &xxe; &lol9; continued (REF A).", refs=("08TOKYO6002",))
    body = body.replace("&", "&amp;").replace("&amp;xxe;", "&xxe;").replace("&amp;lol9;", "&lol9;")
    body = body.replace("<", "&lt;").replace("\n", "&#x000A;")
    lols = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY xxe SYSTEM "file://{secret_file}">\n'
        f'<!ENTITY remote SYSTEM "{url}/entity">\n<!ENTITY lol0 "lol">{lols}\n]>\n'
        f'<html><head><meta http-equiv="refresh" content="0; url={url}/refresh">'
        f'<link rel="stylesheet" href="{url}/style.css"><script src="{url}/script.js"></script>'
        f"<script>fetch('{url}/fetch'); document.write('<img src={url}/written>');</script></head>"
        f'<body onload="location=\'{url}/onload\'"><iframe src="{url}/frame"></iframe>'
        f'<object data="{url}/object"></object><img src="{url}/img.png">'
        "<h3>Viewing cable 08TOKYO7001, TEST</h3><table class='cable'><tr><th>Reference ID</th>"
        "<th>Created</th><th>Released</th><th>Classification</th><th>Origin</th></tr>"
        "<tr><td><a>08TOKYO7001</a></td><td><a>2008-04-11 06:26</a></td><td><a>2010-11-28 18:06</a></td>"
        "<td><a>CONFIDENTIAL</a></td><td><a>Embassy Tokyo</a></td></tr></table>"
        f"<code><pre>{body}</pre></code>&remote;</body></html>"
    )


def test_html_input_is_read_as_text_only(db_url, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-FILE-CONTENT root:x:0:0")
    listener = _Listener()
    try:
        page = tmp_path / "hostile.html"
        page.write_text(_hostile_page(listener.port, str(secret)))
        prepared(db_url, tmp_path)
        done = run_refdb("ingest", str(page), "--db", db_url, "--no-resolve", timeout=300)
        parsed = run_refdb("parse", str(page), "--json", timeout=300)
    finally:
        listener.close()
    assert done.returncode == 0, done.stderr.decode()
    assert parsed.returncode == 0, parsed.stderr.decode()
    assert listener.connections == 0
    shown = _invoke(["show", "08TOKYO7001", "--db", db_url, "--json"])
    data = json.loads(shown.stdout)
    text = json.loads(parsed.stdout)[0]["text"]
    for out in (json.dumps(data), text):
        assert "TOP-SECRET-FILE-CONTENT" not in out
        assert "lollollol" not in out  # no entity expansion
    assert "Talks &xxe; &lol9; continued (REF A)." in text  # undeclared-to-HTML entities stay as written
    assert [r["cited_id"] for r in data["references"]] == ["08TOKYO6002"]

