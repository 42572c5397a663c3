"""The ``refdb`` command line: thin adapters over the service layer.

Heavy modules (SQLAlchemy, the parser, Rich) are imported inside the commands that
need them, so ``refdb refs`` starts fast.  Exit codes: 0 ok, 1 not found or partly
failed, 2 usage, 3 the database needs ``refdb migrate``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from refdb.cli import output
from refdb.cli.common import (
    EXIT_FAILED,
    CsvOpt,
    DbOpt,
    JobsOpt,
    JsonlOpt,
    JsonOpt,
    app,
    handles_errors,
    open_db,
)
from refdb.errors import UsageError

# --- ingest --------------------------------------------------------------------


@app.command()
@handles_errors
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursive), .gz files, or - for stdin.")],
    db: DbOpt = None,
    batch_size: Annotated[int, typer.Option(help="Cables per transaction.", min=1)] = 500,
    no_resolve: Annotated[bool, typer.Option("--no-resolve", help="Store only; resolve later with `refdb resolve`.")] = False,
    json_: JsonOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No per-input error lines.")] = False,
    jobs: JobsOpt = None,
) -> None:
    """Read cables and store them, then resolve their references (parsing and resolving
    in --jobs processes).

    Formats are detected by content: telegram text, WikiLeaks cable-viewer HTML,
    cables.csv, mongo-export JSON lines, PlusD text, bare body text, JSONP.
    Inputs that cannot be read are reported one line each; the rest still goes in.

    Example: refdb ingest seeds/ --db cables.sqlite
    """
    import time

    from refdb.service.workers import default_jobs
    from refdb.service.ingest import ingest as run_ingest

    for p in paths:
        if p != "-" and not Path(p).exists():
            raise UsageError(f"{p}: no such file or directory")
    engine = open_db(db)
    show_progress = sys.stderr.isatty()
    progress = {"n": 0, "started": time.perf_counter(), "shown": 0.0}

    def on_problem(problem) -> None:  # type: ignore[no-untyped-def]
        if not quiet:
            if show_progress and progress["n"]:
                sys.stderr.write("\n")
            output.message(f"Error: {problem}")

    def on_progress(n: int) -> None:
        # A one-line counter on stderr (a terminal only): cables stored and the rate.
        progress["n"] += n
        now = time.perf_counter()
        if now - progress["shown"] >= 0.5:
            progress["shown"] = now
            rate = progress["n"] / max(now - progress["started"], 1e-9)
            sys.stderr.write(f"\r{progress['n']:,} cables stored ({rate:,.0f}/s)")
            sys.stderr.flush()

    report = run_ingest(
        engine,
        paths,
        jobs=jobs or default_jobs(),
        batch_size=batch_size,
        resolve=not no_resolve,
        on_problem=on_problem,
        on_progress=on_progress if show_progress else None,
    )
    if show_progress and progress["n"]:
        sys.stderr.write("\n")
    summary = report.as_dict()
    if json_:
        output.emit_json(summary)
    else:
        output.message(
            f"{summary['cables_read']} cables read: {summary['cables_new']} new, "
            f"{summary['cables_replaced']} replaced, {summary['cables_unchanged']} unchanged; "
            f"{summary['references_stored']} references, {summary['mentions_stored']} mentions stored; "
            f"{summary['links_made']} links made; {summary['inputs_refused']} inputs refused "
            f"({summary['seconds']} s)"
        )
    if report.problems:
        raise typer.Exit(EXIT_FAILED)


# --- reading -------------------------------------------------------------------

REF_COLUMNS = ("letter", "raw", "kind", "cited_id", "status", "method", "confidence", "target_id", "reason", "mentions")


def _mention_summary(refs: list[dict]) -> list[dict]:
    return [{**r, "mentions": ", ".join(f"{m['text']} (¶{m['paragraph']})" for m in r["mentions"])} for r in refs]


@app.command()
@handles_errors
def show(
    cable_id: Annotated[str, typer.Argument(metavar="ID", help="08TOKYO1002, '08 TOKYO 1002' or 'TOKYO 001002'.")],
    db: DbOpt = None,
    json_: JsonOpt = False,
) -> None:
    """A cable's metadata, its references, what each mention points at, and how many cables cite it.

    Example: refdb show 08TOKYO1002
    """
    from refdb.cli.research import database
    from refdb.service.queries import show as run_show

    with database(db, quick=True) as source:
        data = run_show(source, cable_id)
    if json_:
        output.emit_json(data)
        return
    output.key_values(
        [
            ("id", data["id"] if data["id"] == data["real_id"] else f"{data['id']} (real ID {data['real_id']})"),
            ("printed as", data["display_id"]),
            ("date", data["date"]),
            ("origin", data["origin"]),
            ("classification", data["classification"]),
            ("caveats", data["caveats"]),
            ("subject", data["subject"]),
            ("tags", data["tags"]),
            ("source", data["source"]),
            ("cited by", f"{data['cited_by_count']} stored cables"),
        ],
        title=f"Cable {data['id']}",
    )
    if data["references"]:
        output.table(_mention_summary(data["references"]), REF_COLUMNS, title="References")
    else:
        output.message("No REF block.")
    if data["mentions"]:
        output.table(
            data["mentions"],
            ("text", "paragraph", "letter", "status", "target_id", "cited_id", "reason"),
            title="Mentions in the text",
        )


@app.command()
@handles_errors
def refs(
    cable_id: Annotated[str, typer.Argument(metavar="ID", help="The citing cable.")],
    db: DbOpt = None,
    depth: Annotated[
        Optional[int],
        typer.Option("--depth", min=1, help="List the stored cables reached through N levels of citations instead, each once, with its depth and path."),
    ] = None,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """What a cable cites: its REF items in order, with status, method, confidence and target.
    With --depth N: every stored cable reached by following citations N levels deep.

    Example: refdb refs 08TOKYO1002 --json   (or: refdb refs 08TOKYO1002 --depth 3)
    """
    from refdb.service.queries import refs as run_refs

    fmt = output.choose(json_, jsonl, csv_)
    if depth is not None:
        from refdb.cli.research import refs_deep

        refs_deep(db, cable_id, depth, fmt)
        return
    from refdb.cli.research import database, emit

    with database(db, quick=True) as source:
        rows = run_refs(source, cable_id)
    if fmt is output.Format.TABLE:
        rows = _mention_summary(rows)
    emit(rows, fmt, REF_COLUMNS, title=f"References of {cable_id}", empty="No REF block.",
         priority=("letter", "raw", "status", "target_id", "cited_id", "reason", "mentions", "method", "confidence", "kind"))


@app.command("cited-by")
@handles_errors
def cited_by(
    cable_id: Annotated[str, typer.Argument(metavar="ID", help="The cited cable.")],
    db: DbOpt = None,
    depth: Annotated[
        Optional[int],
        typer.Option("--depth", min=1, help="Also the cables citing those, N levels up, each once, with its depth and path."),
    ] = None,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """The stored cables whose references link to this one, oldest first.
    With --depth N: every stored cable that leads to it through N levels of citations.

    Example: refdb cited-by 08TOKYO960   (or: refdb cited-by 08TOKYO960 --depth 2 --csv)
    """
    from refdb.service.queries import cited_by as run_cited_by

    fmt = output.choose(json_, jsonl, csv_)
    if depth is not None:
        from refdb.cli.research import cited_by_deep

        cited_by_deep(db, cable_id, depth, fmt)
        return
    from refdb.cli.research import database, emit

    with database(db, quick=True) as source:
        rows = run_cited_by(source, cable_id)
    emit(rows, fmt, ("citing_id", "letter", "raw", "citing_date", "method", "confidence"),
         title=f"Cables citing {cable_id}", empty="No stored cable cites it.")


@app.command()
@handles_errors
def unresolved(
    db: DbOpt = None,
    origin: Annotated[Optional[str], typer.Option(help="Only references to cables of this post (e.g. TOKYO).")] = None,
    year: Annotated[Optional[int], typer.Option(help="Only references to cables of this year (e.g. 2008).")] = None,
    reason: Annotated[Optional[str], typer.Option(help="Only this triage reason (e.g. in_catalogue_not_loaded).")] = None,
    rank: Annotated[bool, typer.Option("--rank", help="One row per missing cable, the most-cited first: the cables you do not have.")] = False,
    group_by: Annotated[
        Optional[str], typer.Option("--group-by", metavar="reason|origin|year", help="Counts per reason, cited post or cited year.")
    ] = None,
    summary: Annotated[bool, typer.Option("--summary", help="Counts by reason, by origin and by year.")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="At most this many rows (per table with --summary).")] = None,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """Every reference that did not resolve, with the reason why; or, with --rank, the
    most-cited cables you do not have; or counts (--group-by, --summary).

    Example: refdb unresolved --rank --origin TOKYO -n 20
    """
    from refdb.service.queries import unresolved as run_unresolved

    fmt = output.choose(json_, jsonl, csv_)
    if rank or group_by is not None or summary:
        from refdb.cli.research import unresolved_report

        unresolved_report(db, rank=rank, group_by=group_by, summary=summary, origin=origin, year=year,
                          reason=reason, limit=limit, fmt=fmt)
        return
    from refdb.cli.research import database, emit

    with database(db) as engine:
        rows = run_unresolved(engine, origin=origin, year=year, reason=reason)
    if limit is not None:
        rows = rows[:limit]
    emit(rows, fmt, ("citing_id", "letter", "raw", "cited_id", "status", "reason"), title="Unresolved references",
         empty="Nothing unresolved.")


# --- parse (no database) ------------------------------------------------------------


@app.command()
@handles_errors
def parse(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, .gz files, or - for stdin.")],
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
) -> None:
    """Parse cables without a database and print what refdb read: header fields, REF items
    (kind, cited ID, year and where it came from) and mentions with their offsets.

    Example: refdb parse seeds/000_08TOKYO1002.txt --json
    """
    import json

    from refdb.model import InputProblem
    from refdb.parse.render import cable_to_dict
    from refdb.service.ingest import parse_inputs

    fmt = output.choose(json_, jsonl, False)
    failed = False
    collected = []
    for item in parse_inputs(paths):
        if isinstance(item, InputProblem):
            output.message(f"Error: {item}")
            failed = True
            continue
        data = cable_to_dict(item)
        if fmt is output.Format.JSONL:
            sys.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=False) + "\n")
        elif fmt is output.Format.JSON:
            collected.append(data)
        else:
            _print_parsed(data)
    if fmt is output.Format.JSON:
        output.emit_json(collected)
    if failed:
        raise typer.Exit(EXIT_FAILED)


def _print_parsed(data: dict) -> None:
    output.key_values(
        [(k, v) for k, v in data.items() if k not in ("refs", "mentions", "text")], title=f"Cable {data.get('id')}"
    )
    if data.get("refs"):
        output.table(
            data["refs"], ("ordinal", "letter", "raw", "kind", "cited_id", "year_source"), title="REF items"
        )
    if data.get("mentions"):
        output.table(
            data["mentions"], ("text", "paragraph", "letter", "ref_ordinal", "start", "end"), title="Mentions"
        )


# --- resolution and manual decisions ---------------------------------------------------

AuthorOpt = Annotated[
    Optional[str],
    typer.Option("--author", help="Who decides (default: $REFDB_USER or $USER).", show_default=False),
]
ItemOpt = Annotated[
    Optional[int],
    typer.Option("--item", help="Item number (1-based) when several items share the letter or there is none."),
]


def _author(author: str | None) -> str:
    return author or os.environ.get("REFDB_USER") or os.environ.get("USER") or "unknown"


def _letter(letter: str) -> str | None:
    return None if letter in ("-", "") else letter


@app.command()
@handles_errors
def resolve(
    db: DbOpt = None,
    all_: Annotated[bool, typer.Option("--all", help="Re-resolve every reference, not only pending ones.")] = False,
    json_: JsonOpt = False,
    jobs: JobsOpt = None,
) -> None:
    """Resolve references again (all, or those still pending) and report what changed.

    Run it after loading a catalogue or upgrading refdb's rules.

    Example: refdb resolve --all
    """
    from refdb.service.resolve import resolve_all, resolve_pending
    from refdb.service.workers import default_jobs

    engine = open_db(db)
    jobs = jobs or default_jobs()
    report = resolve_all(engine, jobs=jobs) if all_ else resolve_pending(engine, jobs=jobs)
    summary = {
        "references_examined": report.references,
        "changed": report.changed,
        "newly_resolved": report.newly_resolved,
        "transitions": {f"{old}->{new}": n for (old, new), n in sorted(report.transitions.items())},
        "by_status": dict(sorted(report.by_status.items())),
    }
    if json_:
        output.emit_json(summary)
    else:
        output.message(
            f"{summary['references_examined']} references examined, {summary['changed']} changed, "
            f"{summary['newly_resolved']} newly resolved"
        )
        for k, n in summary["transitions"].items():
            output.message(f"  {k}: {n}")


@app.command()
@handles_errors
def link(
    citing: Annotated[str, typer.Argument(metavar="CITING", help="The citing cable.")],
    letter: Annotated[str, typer.Argument(metavar="LETTER", help="The REF letter (- for an unlettered item).")],
    target: Annotated[str, typer.Argument(metavar="TARGET", help="The stored cable it cites.")],
    db: DbOpt = None,
    item: ItemOpt = None,
    author: AuthorOpt = None,
    note: Annotated[Optional[str], typer.Option(help="Why (kept with the decision).")] = None,
) -> None:
    """Link a REF item to a cable by hand; the decision outlives re-ingest and re-resolve.

    Example: refdb link 08TOKYO1002 A 08TOKYO960 --note "checked the text"
    """
    from refdb.service.decisions import link as run_link

    run_link(open_db(db, create=False), citing, _letter(letter), target, item=item, author=_author(author), note=note)
    output.message(f"{citing} {letter} -> {target} (manual)")


@app.command()
@handles_errors
def unlink(
    citing: Annotated[str, typer.Argument(metavar="CITING", help="The citing cable.")],
    letter: Annotated[str, typer.Argument(metavar="LETTER", help="The REF letter (- for an unlettered item).")],
    db: DbOpt = None,
    item: ItemOpt = None,
    author: AuthorOpt = None,
    note: Annotated[Optional[str], typer.Option(help="Why (kept with the decision).")] = None,
    forget: Annotated[bool, typer.Option("--forget", help="Drop the manual decision instead: computed results apply again.")] = False,
) -> None:
    """Declare a REF item not linked (a wrong computed link), or --forget a manual decision.

    Example: refdb unlink 08TOKYO1002 B --note "wrong post"
    """
    from refdb.service import decisions

    engine = open_db(db, create=False)
    if forget:
        decisions.forget(engine, citing, _letter(letter), item=item)
        output.message(f"{citing} {letter}: manual decision dropped")
    else:
        decisions.unlink(engine, citing, _letter(letter), item=item, author=_author(author), note=note)
        output.message(f"{citing} {letter}: unlinked (manual)")


catalog_app = typer.Typer(help="The catalogue of released cable IDs that triage consults.", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("load")
@handles_errors
def catalog_load(
    file: Annotated[Path, typer.Argument(help="CSV of cable IDs (refid[,month]), optionally gzipped.")],
    db: DbOpt = None,
    name: Annotated[Optional[str], typer.Option(help="Catalogue name; loading a name again replaces it. Default: the file name.")] = None,
) -> None:
    """Load a catalogue of released cable IDs on top of the bundled Cablegate list, then
    re-resolve so triage ("exists but not loaded") reflects it.

    Example: refdb catalog load plusd_ids.csv.gz --name plusd
    """
    from refdb.catalog import CatalogError
    from refdb.service.catalog import load_catalog
    from refdb.service.resolve import resolve_all

    if not file.is_file():
        raise UsageError(f"{file}: no such file")
    catalog_name = name or file.name.split(".")[0]
    engine = open_db(db)
    try:
        n = load_catalog(engine, file, name=catalog_name)
    except CatalogError as exc:
        raise UsageError(str(exc)) from None
    report = resolve_all(engine)
    output.message(f"catalogue {catalog_name}: {n} IDs loaded; {report.changed} references changed")


# --- maintenance -----------------------------------------------------------------


@app.command()
@handles_errors
def migrate(db: DbOpt = None) -> None:
    """Create the database or upgrade its schema to this refdb's version.

    Example: refdb migrate --db postgresql+psycopg://postgres@127.0.0.1/refdb
    """
    from refdb.store.engine import create, normalise_url, safe_url
    from refdb.store.migrate import current_revision, head_revision, upgrade

    from sqlalchemy.exc import DBAPIError

    from refdb.cli.common import _first_line
    from refdb.errors import DatabaseError

    url = normalise_url(db)
    engine = create(url)
    try:
        before = current_revision(engine)
        upgrade(engine)
    except DBAPIError as exc:
        raise DatabaseError(
            f"cannot migrate database {safe_url(url)}: {_first_line(exc.orig)}",
            hint="check --db / REFDB_DB (and that the server is running)",
        ) from None
    finally:
        engine.dispose()
    output.message(f"{safe_url(url)}: schema {before or 'none'} -> {head_revision()}")


# Command modules register themselves on `app` when imported.
from refdb.cli import maintenance, research  # noqa: E402,F401


def main() -> None:
    """Console-script entry point."""
    if not sys.stdout.isatty():
        # Rich would otherwise wrap tables at 80 columns in pipes and files.
        os.environ.setdefault("COLUMNS", "200")
    from refdb.cli import plain_call

    if not plain_call.run(app, sys.argv[1:]):
        app()
