"""What every command module shares: the Typer app, common options, error handling,
opening the database.  Command modules (app, research, maintenance) register their
commands on ``app``; keep heavy imports inside the commands."""

from __future__ import annotations

import functools
from typing import Annotated, Optional

import typer

from refdb.cli import completion, output
from refdb.errors import AmbiguousId, NotFound, RefdbError, SchemaOutdated, UsageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_MIGRATE = 0, 1, 2, 3

app = typer.Typer(
    name="refdb",
    help="Follow citations through diplomatic cables: ingest cables, resolve their references, ask who cites whom.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    # Completion options of our own that take a shell name (refdb/cli/completion.py).
    cls=completion.RootGroup,
    add_completion=False,
)
completion.enable()


@app.callback()
def _root(
    install_completion: Annotated[
        Optional[str],
        typer.Option(
            "--install-completion", metavar="[SHELL]", callback=completion.install, expose_value=False, is_eager=True,
            help="Install completion for SHELL (bash, zsh, fish, powershell; default: this shell).",
        ),
    ] = None,
    show_completion: Annotated[
        Optional[str],
        typer.Option(
            "--show-completion", metavar="[SHELL]", callback=completion.show, expose_value=False, is_eager=True,
            help="Print the completion script for SHELL (default: this shell), to copy or customise.",
        ),
    ] = None,
) -> None:
    pass


DbOpt = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        envvar="REFDB_DB",
        help="Database: a SQLite file path or URL (sqlite:///x.sqlite, postgresql+psycopg://user@host/db). Default: ./refdb.sqlite",
        show_default=False,
        show_envvar=True,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON document.")]
JsonlOpt = Annotated[bool, typer.Option("--jsonl", help="Print one JSON object per line.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")]
JobsOpt = Annotated[
    Optional[int],
    typer.Option("--jobs", "-j", min=1, help="Work in this many processes.  [default: all cores]", show_default=False),
]


# Engines opened by the command being run (open_db), disposed when it ends.
_OPENED: list = []


def handles_errors(fn):  # type: ignore[no-untyped-def]
    """Turn refdb's exceptions into one ``Error:`` line (plus a hint) and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return fn(*args, **kwargs)
        except SchemaOutdated as exc:
            _fail(exc, EXIT_MIGRATE)
        except UsageError as exc:
            _fail(exc, EXIT_USAGE)
        except (NotFound, AmbiguousId) as exc:
            _fail(exc, EXIT_FAILED)
        except RefdbError as exc:
            _fail(exc, EXIT_FAILED)
        except KeyboardInterrupt:
            output.message("Interrupted: committed batches are kept; run the same command again to finish.")
            raise typer.Exit(130) from None
        finally:
            # Commands run in-process too (tests, CliRunner): no pooled connection may
            # be left for the garbage collector, which warns about it on PostgreSQL.
            while _OPENED:
                _OPENED.pop().dispose()

    return wrapper


def _fail(exc: RefdbError, code: int) -> None:
    output.message(f"Error: {exc}")
    if exc.hint:
        output.message(f"Hint: {exc.hint}")
    raise typer.Exit(code)


def open_db(db: str | None, *, create: bool = True):  # type: ignore[no-untyped-def]
    """An engine on a database at the current schema (a new one is created)."""
    from sqlalchemy.exc import DBAPIError

    from refdb.errors import DatabaseError
    from refdb.store.engine import create as create_engine
    from refdb.store.engine import normalise_url, safe_url
    from refdb.store.migrate import ensure_schema

    url = normalise_url(db)
    engine = create_engine(url)
    try:
        ensure_schema(engine, create=create)
    except DBAPIError as exc:  # server down, refused login, "file is not a database" ...
        engine.dispose()
        raise DatabaseError(
            f"cannot open database {safe_url(url)}: {_first_line(exc.orig)}",
            hint="check --db / REFDB_DB (and that the server is running)",
        ) from None
    except BaseException:
        engine.dispose()  # no pooled connection left for the garbage collector to find open
        raise
    _OPENED.append(engine)
    return engine


def open_for_reading(db: str | None):  # type: ignore[no-untyped-def]
    """For the quick read commands (show, refs, cited-by): a bare driver connection
    (refdb.store.direct) when the database is plainly at the current schema, which
    spares them importing SQLAlchemy and Alembic; else ``open_db(db, create=False)``,
    so that every error, hint and exit code stays what it was.  Either has ``dispose()``."""
    from refdb.store.direct import open_at_head
    from refdb.store.urls import normalise_url

    return open_at_head(normalise_url(db)) or open_db(db, create=False)


def _first_line(exc: BaseException | None) -> str:
    """A driver error in one line (psycopg's carry DETAIL/HINT lines)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
