"""Commands for maintenance: registered on the shared app (see refdb.cli.common)."""

from __future__ import annotations

from typing import Annotated

import typer

from refdb.cli import output
from refdb.cli.common import EXIT_FAILED, EXIT_MIGRATE, DbOpt, JsonOpt, app, handles_errors


@app.command()
@handles_errors
def check(
    db: DbOpt = None,
    json_: JsonOpt = False,
    quick: Annotated[
        bool, typer.Option("--quick", help="Skip the checks that read the whole file (SQLite structure, search index).")
    ] = False,
) -> None:
    """Check the database: schema at head, no orphan rows, no links or mentions pointing
    at nothing, resolution finished, no stale manual decisions; with counts.

    Prints one line per problem. Exit 0 when clean, 1 when a problem was found, 3 when
    the schema needs `refdb migrate`. Never changes the database.

    Example: refdb check --db cables.sqlite   (or --quick on a big database)
    """
    from sqlalchemy.exc import DBAPIError

    from refdb.errors import DatabaseError
    from refdb.service.check import check as run_check
    from refdb.store.engine import create, normalise_url, safe_url

    url = normalise_url(db)
    engine = create(url)
    try:
        report = run_check(engine, quick=quick)
    except DBAPIError as exc:  # cannot connect, not a database, damaged file ...
        raise DatabaseError(
            f"cannot open database {safe_url(url)}: {' '.join(str(exc.orig).split())}",
            hint="check --db / REFDB_DB (and that the server is running)",
        ) from None
    finally:
        engine.dispose()
    if json_:
        output.emit_json(report.as_dict())
    else:
        _print_report(report)
    if report.schema_outdated:
        raise typer.Exit(EXIT_MIGRATE)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def _print_report(report) -> None:  # type: ignore[no-untyped-def]
    import sys

    c = report.counts
    lines = [f"database: {report.database}"]
    lines.append(f"schema: {report.schema or 'none'}" + (" (head)" if report.schema == report.head else f" (head is {report.head})"))
    if c:
        statuses = ", ".join(f"{k} {v}" for k, v in report.references_by_status.items())
        lines += [
            f"cables: {c['cables']} ({c['cables_pending']} pending resolution)",
            f"references: {c['references']}" + (f" ({statuses})" if statuses else ""),
            f"mentions: {c['mentions']}",
            f"manual decisions: {c['manual_decisions']}",
            f"catalogue IDs: {c['catalogue_ids']}",
        ]
    lines += [f"problem: {p.message}" for p in report.problems]
    lines.append("ok: no problems found" if report.ok else f"{len(report.problems)} problem(s) found")
    sys.stdout.write("\n".join(lines) + "\n")
