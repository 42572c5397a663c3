"""The research commands through the CLI: output formats with one vocabulary of
field names, data on stdout and messages on stderr, exit codes, help and completion."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import shellingham
from typer.testing import CliRunner

from refdb.cli.app import app

from .helpers import cid, graph_cables, load

EDGES = {1: [2], 3: [2], 4: [2, 1]}
MISSING = {1: ["07STATE500"], 3: ["07STATE500", "06MOSCOW9"], 4: ["07STATE500"]}
DAYS = {2: 0, 1: 1, 3: 2, 4: 3}


@pytest.fixture
def db(engine, db_url):
    load(engine, graph_cables(EDGES, days=DAYS, missing=MISSING, subjects={2: "NUCLEAR [b]TALKS[/NOTAL]"}))
    return db_url


def run(*args: str, env: dict | None = None):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# Every read command added or extended for research, with arguments that have answers.
READ = [
    ("refs", cid(4), "--depth", "2"),
    ("cited-by", cid(2), "--depth", "3"),
    ("unresolved",),
    ("unresolved", "--rank"),
    ("unresolved", "--group-by", "origin"),
    ("unresolved", "--summary"),
    ("thread", cid(1)),
    ("path", cid(4), cid(2)),
    ("top",),
    ("stats",),
    ("search", "nuclear"),
]


@pytest.mark.parametrize("args", READ, ids=[" ".join(a[:3]) for a in READ])
def test_read_commands_speak_json_jsonl_and_csv_with_the_same_fields(db, args):
    table = run(*args, "--db", db)
    assert table.exit_code == 0, table.stderr
    assert table.stdout.strip()
    as_json = run(*args, "--db", db, "--json")
    as_jsonl = run(*args, "--db", db, "--jsonl")
    as_csv = run(*args, "--db", db, "--csv")
    assert (as_json.exit_code, as_jsonl.exit_code, as_csv.exit_code) == (0, 0, 0)
    data = json.loads(as_json.stdout)
    lines = [json.loads(line) for line in as_jsonl.stdout.splitlines()]
    header = next(csv.reader(io.StringIO(as_csv.stdout)))
    if isinstance(data, list):
        assert data and lines == data
        fields = set().union(*(row.keys() for row in data))
    else:  # a document (stats, unresolved --summary): JSONL and CSV carry its rows
        fields = set().union(*(row.keys() for row in lines))
    assert set(header) <= fields, f"CSV columns not in JSON: {set(header) - fields}"


def test_refs_depth_keeps_the_refs_field_names(db):
    plain = json.loads(run("refs", cid(4), "--db", db, "--json").stdout)
    deep = json.loads(run("refs", cid(4), "--depth", "1", "--db", db, "--json").stdout)
    names = ("citing_id", "letter", "raw", "kind", "cited_id", "status", "method", "confidence", "target_id", "mentions")
    assert all(set(names) <= set(r) for r in plain + deep)
    assert [r["target_id"] for r in deep] == [r["target_id"] for r in plain if r["target_id"]]


def test_rich_markup_in_cable_text_is_printed_as_is(db):
    out = run("top", "--db", db).stdout
    assert "NUCLEAR [b]TALKS[/NOTAL]" in out


@pytest.mark.parametrize("width", [60, 100])
def test_tables_fit_the_terminal(db, width):
    for args in (("thread", cid(1)), ("top",), ("search", "nuclear"), ("unresolved", "--rank")):
        out = run(*args, "--db", db, env={"COLUMNS": str(width)}).stdout
        assert max(len(line) for line in out.splitlines()) <= width, args


def test_data_on_stdout_messages_on_stderr(db, tmp_path):
    target = tmp_path / "graph.graphml"
    result = run("export", "--db", db, "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert "nodes" in result.stderr and target.read_text().startswith("<?xml")
    none = run("search", "zeppelin", "--db", db)
    assert (none.exit_code, none.stdout, none.stderr.strip()) == (0, "", "No cable matches.")
    assert json.loads(run("search", "zeppelin", "--db", db, "--json").stdout) == []
    piped = run("export", "--db", db, "--format", "json", "--quiet")
    assert json.loads(piped.stdout)["nodes"] and piped.stderr == ""  # no progress bar outside a terminal


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("top",), 0),
        (("refs", "08TOKYO999999", "--depth", "2"), 1),
        (("thread", "08TOKYO999999"), 1),
        (("path", cid(2), cid(4)), 0),  # shown the other way round
        (("path", cid(1), cid(3)), 1),  # no chain either way
        (("path", cid(1), cid(3), "--undirected"), 0),
        (("export", "--format", "xml"), 2),
        (("export", "--around", "08TOKYO999999"), 1),
        (("top", "--json", "--csv"), 2),
        (("top", "--since", "2008-13"), 2),
        (("top", "--limit", "0"), 2),
        (("refs", cid(1), "--depth", "0"), 2),
        (("unresolved", "--rank", "--summary"), 2),
        (("unresolved", "--group-by", "colour"), 2),
        (("search", "* OR"), 2),
        (("search",), 2),
        (("stats", "--no-such-option"), 2),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else str(v),
)
def test_exit_codes(db, args, code):
    result = run(*args, "--db", db)
    assert result.exit_code == code, result.stdout + result.stderr
    if code == 1:
        assert result.stderr.startswith("Error: ")


@pytest.mark.parametrize(
    "args",
    [("top",), ("stats",), ("thread", "08X1"), ("path", "08X1", "08X2"), ("search", "x"), ("export",),
     ("unresolved", "--rank"), ("refs", "08X1", "--depth", "2"), ("cited-by", "08X1", "--depth", "2")],
    ids=lambda a: a[0],
)
def test_exit_3_when_the_database_needs_migrating(engine, db_url, args):
    from refdb.store.migrate import downgrade

    downgrade(engine, "0002")
    result = run(*args, "--db", db_url)
    assert result.exit_code == 3
    assert "refdb migrate" in result.stderr


def _all_commands(typer_app, prefix=()):  # type: ignore[no-untyped-def]
    for command in typer_app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        yield (*prefix, name)
    for group in typer_app.registered_groups:
        yield from _all_commands(group.typer_instance, (*prefix, group.name))


COMMANDS = sorted(_all_commands(app))


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example: refdb " + " ".join(command) in " ".join(result.stdout.split())


EVIL = ["%", "_", "'; --", "x' OR '1'='1", ""]


@pytest.mark.parametrize(
    "args",
    [
        ("unresolved", "--rank", "--origin"),
        ("unresolved", "--group-by", "origin", "--origin"),
        ("top", "--origin"),
        ("search", "nuclear", "--origin"),
        ("search", "nuclear", "--tag"),
        ("search", "nuclear", "--classification"),
    ],
    ids=lambda a: " ".join(a),
)
def test_filters_full_of_sql_or_wildcards_match_nothing(db, args):
    assert json.loads(run(*args[:-1], "--db", db, "--json").stdout), "the fixture has rows"
    for evil in EVIL:
        result = run(*args, evil, "--db", db, "--json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout) == [], evil


@pytest.mark.parametrize("evil", EVIL)
def test_stats_and_export_with_an_impossible_origin_are_empty(db, evil):
    assert json.loads(run("stats", "--origin", evil, "--db", db, "--json").stdout)["cables"] == 0
    graph = json.loads(run("export", "--format", "json", "--origin", evil, "--db", db, "--quiet").stdout)
    assert graph["nodes"] == [] and graph["edges"] == []


# --- shell completion (docs/cli.md: refdb --install-completion, refdb --show-completion) ---

REFDB = Path(sys.executable).with_name("refdb")  # the installed console script of this venv
SCRIPT_MARKS = {
    "bash": ("complete -o default -F _refdb_completion refdb", "_REFDB_COMPLETE=complete_bash"),
    "zsh": ("#compdef refdb", "_REFDB_COMPLETE=complete_zsh"),
    "fish": ("complete --command refdb", "_REFDB_COMPLETE=complete_fish"),
    "powershell": ("Register-ArgumentCompleter", "_REFDB_COMPLETE"),
}
# Typer's own --show-completion is a flag: it ignored a shell named after it and asked
# shellingham, which finds the nearest shell among the parent processes.  Test runners
# and CI run commands under sh (dash), which has no script: "Shell sh not supported."
# refdb's options take the shell's name (refdb/cli/completion.py).


def _under(monkeypatch, shell: str | None) -> None:  # type: ignore[no-untyped-def]
    """Make shell detection find ``shell`` among the parent processes (None: no shell)."""

    def detect() -> tuple[str, str]:
        if shell is None:
            raise shellingham.ShellDetectionFailure()
        return shell, f"/bin/{shell}"

    monkeypatch.setattr(shellingham, "detect_shell", detect)


@pytest.mark.parametrize("shell", SCRIPT_MARKS)
def test_show_completion_for_this_shell(monkeypatch, shell):
    _under(monkeypatch, shell)
    result = run("--show-completion")
    assert result.exit_code == 0, result.stderr
    assert all(mark in result.stdout for mark in SCRIPT_MARKS[shell]), result.stdout


@pytest.mark.parametrize("found", ["sh", None, "other"], ids=["under-sh", "no-shell-found", "under-another-shell"])
@pytest.mark.parametrize("shell", SCRIPT_MARKS)
def test_show_completion_for_the_shell_named(monkeypatch, shell, found):
    _under(monkeypatch, ("zsh" if shell != "zsh" else "bash") if found == "other" else found)
    result = run("--show-completion", shell)
    assert result.exit_code == 0, result.stderr
    assert all(mark in result.stdout for mark in SCRIPT_MARKS[shell]), result.stdout


def test_show_completion_bash_from_the_installed_command_under_sh():
    """The way a test runner or CI runs it: a subprocess of the installed refdb whose
    nearest parent shell is sh."""
    done = subprocess.run(
        ["sh", "-c", '"$0" --show-completion bash', str(REFDB)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert all(mark in done.stdout for mark in SCRIPT_MARKS["bash"]), done.stdout


@pytest.mark.parametrize("found", ["sh", "tcsh", None])
def test_no_completion_script_for_the_shell_found_is_one_error_line(monkeypatch, found):
    _under(monkeypatch, found)
    result = run("--show-completion")
    assert result.exit_code == 2 and result.stdout == ""
    error, hint = result.stderr.splitlines()
    assert error.startswith("Error: completion is for bash, zsh, fish and powershell")
    assert hint.startswith("Hint: ") and "refdb --show-completion bash" in hint


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [("refdb ing", "1", "ingest"), ("refdb ingest --ba", "2", "--batch-size"), ("refdb catalog lo", "2", "load")],
)
def test_the_bash_script_is_answered(words, cword, expected):
    """What the printed script runs on each TAB: refdb with _REFDB_COMPLETE set."""
    env = {**os.environ, "_REFDB_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    done = subprocess.run([str(REFDB)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [expected]
