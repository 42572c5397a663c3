"""docs/cli.md documents every command of the app; every refdb command of
docs/tutorial.md runs on the sample cables and prints what the tutorial says."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from refdb.cli.app import app

from .test_cli import _all_commands

ROOT = Path(__file__).resolve().parents[2]
CLI_MD = ROOT / "docs" / "cli.md"
TUTORIAL = ROOT / "docs" / "tutorial.md"
SEEDS = ROOT / "seeds"


def test_cli_md_documents_every_command():
    documented = set(re.findall(r"^## refdb ([a-z-]+(?: [a-z-]+)?)\s*$", CLI_MD.read_text(), flags=re.M))
    commands = {" ".join(c) for c in _all_commands(app)}
    assert commands - documented == set(), "commands missing from docs/cli.md"
    assert documented - commands == set(), "docs/cli.md documents commands the app does not have"


def test_cli_md_examples_use_real_options():
    """Every option written in an example of docs/cli.md exists on that command."""
    from typer.main import get_command

    root = get_command(app)
    for line in re.findall(r"^\$ (refdb .*)$", CLI_MD.read_text(), flags=re.M):
        for part in re.split(r"&&|\|", line):
            words = shlex.split(part.split(">")[0])
            if not words or words[0] != "refdb":
                continue
            command, args = root, words[1:]
            while args and hasattr(command, "commands") and args[0] in command.commands:
                command, args = command.commands[args[0]], args[1:]
            known = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
            for word in args:
                if word.startswith("-") and word != "-":
                    assert word in known, f"{line}: {word} is not an option of {command.name}"


def _tutorial_steps() -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each `$ refdb ...` line of the tutorial's
    console blocks."""
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", TUTORIAL.read_text(), flags=re.S):
        current: tuple[str, list[str]] | None = None
        for line in block.splitlines():
            if line.startswith("$ "):
                current = (line[2:], [])
                steps.append(current)
            elif current is not None and line.strip() and line.strip() != "...":
                current[1].append(line.strip())
    return [(cmd, expected) for cmd, expected in steps if cmd.startswith("refdb ")]


def test_the_tutorial_has_refdb_commands():
    assert len(_tutorial_steps()) >= 10


@pytest.fixture(scope="module")
def tutorial_results(tmp_path_factory):
    if not SEEDS.is_dir() or not any(SEEDS.iterdir()):
        pytest.skip(f"no sample cables in {SEEDS}")
    workdir = tmp_path_factory.mktemp("tutorial")
    (workdir / "seeds").symlink_to(SEEDS, target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if k != "REFDB_DB"}
    env["COLUMNS"] = "120"
    results = []
    for command, expected in _tutorial_steps():
        args = shlex.split(command)[1:]
        done = subprocess.run([sys.executable, "-m", "refdb", *args], cwd=workdir, env=env,
                              capture_output=True, text=True, timeout=600)
        results.append((command, expected, done))
    return workdir, results


@pytest.mark.parametrize("index", range(len(_tutorial_steps())), ids=[c for c, _ in _tutorial_steps()])
def test_tutorial_command(tutorial_results, index):
    workdir, results = tutorial_results
    command, expected, done = results[index]
    assert done.returncode == 0, f"{command}\n{done.stderr}"
    assert (done.stdout + done.stderr).strip(), f"{command} printed nothing"
    for line in expected:
        assert line in done.stdout, f"{command}: {line!r} not in its output:\n{done.stdout}"
    for word in shlex.split(command):  # files the tutorial writes exist and are not empty
        if word.endswith((".dot", ".gexf", ".graphml")):
            assert (workdir / word).stat().st_size > 0


def test_tutorial_graphml_loads_as_the_tutorial_says(tutorial_results):
    import networkx as nx

    workdir, _ = tutorial_results
    g = nx.read_graphml(workdir / "cables.graphml")
    assert g.nodes["08STATE85678"]["subject"].startswith("ACTION REQUEST")
    assert sorted(g.in_degree, key=lambda kv: -kv[1])[0][0] == "08STATE85678"
