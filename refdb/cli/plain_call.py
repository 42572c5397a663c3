"""Running a quick command straight from a plain command line, past Typer's parser.

Typer coerces every parameter of the command it runs through a pydantic TypeAdapter:
importing pydantic for that costs more start-up (~150 ms) than the rest of ``refdb
refs ID --json`` takes.  For the commands in QUICK, a command line made only of the
ID, ``--db VALUE`` / ``--db=VALUE`` and on/off flags is read here, from the command's
own Typer declarations (names, environment variable, defaults), and the function is
called as Typer would call it.  Anything else (help, any other option, ``--``, a
value that starts with ``-``, a shell completion request ...) returns False and goes
to Typer as before, so its messages and exit codes stay Typer's."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

import typer
from typer.models import ArgumentInfo, OptionInfo
from typer.utils import get_params_from_function

QUICK = ("refs", "cited-by", "show")
_TEXT = (str, str | None)  # equal to Optional[str], as Typer reports it


def run(app: typer.Typer, argv: Sequence[str]) -> bool:
    """Run ``argv`` (without the program name) if it is plain enough; False if Typer must."""
    if not argv or argv[0] not in QUICK or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return False
    fn = _callback(app, argv[0])
    kwargs = _arguments(fn, argv[1:]) if fn is not None else None
    if kwargs is None:
        return False
    # As Typer's standalone mode: an Exit is the exit code; a closed pipe exits 1 quietly.
    try:
        fn(**kwargs)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        from typer._click.utils import PacifyFlushWrapper

        sys.stdout = PacifyFlushWrapper(sys.stdout)  # type: ignore[assignment]
        sys.stderr = PacifyFlushWrapper(sys.stderr)  # type: ignore[assignment]
        sys.exit(1)
    return True


def _callback(app: typer.Typer, name: str) -> Callable[..., Any] | None:
    for info in app.registered_commands:
        if info.callback is not None and (info.name or info.callback.__name__.lower().replace("_", "-")) == name:
            return info.callback
    return None


def _arguments(fn: Callable[..., Any], args: Sequence[str]) -> dict[str, Any] | None:
    """The keyword arguments ``args`` give ``fn``, or None when they are not plain."""
    params = get_params_from_function(fn)
    options: dict[str, str] = {}  # --name -> parameter
    positional: list[str] = []
    for name, meta in params.items():
        info = meta.default
        if isinstance(info, ArgumentInfo) and meta.annotation in _TEXT:
            positional.append(name)
        elif isinstance(info, OptionInfo) and meta.annotation in (bool, *_TEXT):
            for decl in info.param_decls or ():
                if decl.startswith("--") and "/" not in decl:
                    options[decl] = name
    given: dict[str, Any] = {}
    values: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if not word.startswith("-"):
            values.append(word)
            continue
        flag, eq, value = word.partition("=")
        name = options.get(flag)
        if name is None:
            return None
        if params[name].annotation is bool:
            if eq:
                return None
            given[name] = True
            continue
        if not eq:
            if i == len(args):
                return None
            value = args[i]
            i += 1
        if not value or value.startswith("-"):
            return None
        given[name] = value
    if len(values) != len(positional):
        return None
    given.update(zip(positional, values))
    kwargs: dict[str, Any] = {}
    for name, meta in params.items():
        info = meta.default
        envvar = info.envvar if isinstance(info, OptionInfo) else None
        if name in given:
            kwargs[name] = given[name]
        elif envvar is not None and not (isinstance(envvar, str) and meta.annotation in _TEXT):
            return None  # several variables, or one to coerce: Typer's job
        elif envvar and os.environ.get(envvar):  # Click skips an empty one too
            kwargs[name] = os.environ[envvar]
        elif info.default is ... or info.default_factory is not None:
            return None  # required, or computed: Typer says so
        else:
            kwargs[name] = info.default
    return kwargs
