"""Shell completion: ``refdb --show-completion [SHELL]`` and ``--install-completion [SHELL]``.

Typer's own options are flags: they ignore a shell named after them and ask
shellingham for the nearest shell among the parent processes.  Under a test runner,
CI or any ``sh -c`` that is sh (dash), which has no completion script, so
``refdb --show-completion bash`` failed with "Shell sh not supported.".  Here the
options take an optional shell name (the shell found is the default), and a shell
without a script is one ``Error:`` line with a hint, exit 2.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from refdb.cli import output

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
OPTIONS = ("--show-completion", "--install-completion")
PROG = "refdb"
COMPLETE_VAR = "_REFDB_COMPLETE"


class RootGroup(TyperGroup):
    """The root command: a completion option with no shell after it gets an empty
    value (the click parser would otherwise take the next word, or fail)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        args = list(args)
        for i, arg in enumerate(args):
            if not arg.startswith("-"):
                break  # a command: the rest is its own
            if arg in OPTIONS and (i + 1 == len(args) or args[i + 1].startswith("-")):
                args.insert(i + 1, "")
                break
        return super().parse_args(ctx, args)


def _shell(value: str) -> str:
    from refdb.cli.common import EXIT_USAGE

    shell = value.strip().lower()
    if not shell:
        import shellingham

        try:
            shell = shellingham.detect_shell()[0]
        except shellingham.ShellDetectionFailure:
            shell = ""
    if shell not in SHELLS:
        why = f"{shell} is not one of them" if value.strip() else f"this shell is {shell or 'unknown'}"
        output.message(f"Error: completion is for bash, zsh, fish and powershell; {why}")
        output.message("Hint: name the shell: refdb --show-completion bash (or zsh, fish, powershell)")
        raise typer.Exit(EXIT_USAGE)
    return shell


def show(ctx: typer.Context, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    from typer.completion import get_completion_script

    typer.echo(get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=_shell(value)))
    raise typer.Exit(0)


def install(ctx: typer.Context, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    from typer.completion import install as install_script

    shell, path = install_script(shell=_shell(value), prog_name=PROG, complete_var=COMPLETE_VAR)
    output.message(f"{shell} completion installed in {path}; it takes effect in a new terminal")
    raise typer.Exit(0)


def enable() -> None:
    """Let Typer's completion classes answer ``_REFDB_COMPLETE=complete_bash`` (what
    the printed scripts run on each TAB)."""
    from typer.completion import completion_init

    completion_init()
