"""Commands for research: registered on the shared app (see refdb.cli.common).

thread, path, stats, top, export, search; and the helpers that refs / cited-by /
unresolved (in app.py) use for their --depth, --rank, --group-by and --summary modes.
Every read command prints a table by default and --json / --jsonl / --csv on demand,
with the same field names (docs/cli.md).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from refdb.cli import output
from refdb.cli.common import CsvOpt, DbOpt, JsonlOpt, JsonOpt, app, handles_errors, open_db, open_for_reading
from refdb.errors import UsageError

# --- shared options and rendering ------------------------------------------------------


@contextmanager
def database(db: str | None, *, quick: bool = False) -> Iterator:
    """An engine on an existing database at the current schema, disposed after the
    command (no pooled connection is left open for the garbage collector).  With
    ``quick``, for the service functions that take one (show, refs, cited-by): a bare
    driver connection when the database allows it (see ``open_for_reading``)."""
    source = open_for_reading(db) if quick else open_db(db, create=False)
    try:
        yield source
    finally:
        source.dispose()


OriginOpt = Annotated[
    Optional[list[str]],
    typer.Option("--origin", help="Only cables of this post (as in the ID: TOKYO, STATE, USUNNEWYORK); repeatable."),
]
SinceOpt = Annotated[
    Optional[str], typer.Option("--since", help="Only cables sent on or after this date: YYYY, YYYY-MM or YYYY-MM-DD.")
]
UntilOpt = Annotated[
    Optional[str], typer.Option("--until", help="Only cables sent up to this date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD.")
]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", help="At most this many rows.", min=1)]

# Columns of long free text shortened in tables (never in JSON/JSONL/CSV).
_TABLE_ITEMS = 3  # list cells (cites, cited_by ...) show this many items in tables
_TABLE_WIDTH = {"subject": 60, "target_subject": 50, "citing_subject": 50, "to_subject": 50, "raw": 40, "snippet": 90}


def _shorten(value: object, width: int) -> object:
    if not isinstance(value, str):
        return value
    text = " ".join(value.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _for_table(rows: Sequence[dict]) -> list[dict]:
    out = []
    for row in rows:
        r = dict(row)
        for k, width in _TABLE_WIDTH.items():
            if k in r:
                r[k] = _shorten(r[k], width)
        for k, v in r.items():
            if isinstance(v, list):
                if k == "path":
                    r[k] = " > ".join(v)
                elif len(v) > _TABLE_ITEMS:
                    r[k] = [*v[:_TABLE_ITEMS], f"+{len(v) - _TABLE_ITEMS} more"]
        out.append(r)
    return out


# Free-text columns wrap; every other column (IDs, dates, numbers, statuses) stays on
# one line.  When the terminal is too narrow for every column, the columns of lowest
# priority are left out of the table (JSON, JSONL and CSV always carry every field).
_WRAPPING = {"subject", "target_subject", "citing_subject", "to_subject", "raw", "snippet", "path", "cites",
             "cited_by", "reason", "citing_ids", "value", "key", "mentions"}
_DATES = {"date", "target_date", "citing_date", "to_date", "first_cited", "last_cited"}
_WRAP_MIN = 16  # narrowest useful width of a free-text column


def _cell(column: str, value: object) -> str:
    if isinstance(value, list) and column != "path":
        return "\n".join(output._flat(v) for v in value)
    text = output._flat(value)
    return text[:10] if column in _DATES else text


def table(
    rows: Sequence[dict], columns: Sequence[str], title: str | None = None, priority: Sequence[str] | None = None
) -> None:
    """A table that fits the terminal (stdout), markup off (cable text is printed as it
    is).  ``priority`` orders the columns by importance (default: as displayed)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(markup=False, highlight=False, emoji=False, soft_wrap=False)
    cells = [[_cell(c, row.get(c)) for c in columns] for row in rows]
    natural = {
        c: max([len(c)] + [len(line) for r in cells for line in (r[i].splitlines() or [""])])
        for i, c in enumerate(columns)
    }
    need = {c: min(natural[c], _WRAP_MIN) if c in _WRAPPING else natural[c] for c in columns}
    chosen: set[str] = set()
    used = 1
    for c in priority or columns:
        if c in columns and (not chosen or used + need[c] + 3 <= console.width):
            chosen.add(c)
            used += need[c] + 3
    shown = [i for i, c in enumerate(columns) if c in chosen]
    t = Table(title=title, title_justify="left")
    for i in shown:
        c = columns[i]
        if c in _WRAPPING:
            t.add_column(c, overflow="fold", min_width=min(natural[c], _WRAP_MIN))
        else:
            t.add_column(c, no_wrap=True, overflow="ellipsis")
    for r in cells:
        t.add_row(*[r[i] for i in shown])
    console.print(t)


def emit(
    rows: Sequence[dict],
    fmt: output.Format,
    table_columns: Sequence[str],
    csv_columns: Sequence[str] | None = None,
    *,
    title: str | None = None,
    empty: str | None = None,
    priority: Sequence[str] | None = None,
) -> None:
    """Rows as a table (``table_columns``, long text shortened), CSV (``csv_columns``,
    by default the table's) or JSON / JSONL (every field)."""
    if fmt is output.Format.TABLE:
        if rows:
            table(_for_table(rows), table_columns, title=title, priority=priority)
        elif empty:
            output.message(empty)
    elif fmt is output.Format.CSV:
        output.emit_rows(rows, fmt, csv_columns or table_columns)
    else:
        output.emit_rows(rows, fmt, table_columns)


# refs --depth / cited-by --depth (called from app.py)

REFS_DEEP_TABLE = ("depth", "target_id", "target_date", "target_subject", "citing_id", "letter", "method", "confidence")
REFS_DEEP_CSV = (
    "depth", "target_id", "target_date", "target_origin", "target_classification", "target_subject",
    "citing_id", "ordinal", "letter", "raw", "kind", "cited_id", "status", "method", "confidence", "path",
)
CITED_BY_DEEP_TABLE = ("depth", "citing_id", "citing_date", "citing_subject", "letter", "target_id", "method", "confidence")
CITED_BY_DEEP_CSV = (
    "depth", "citing_id", "citing_date", "citing_origin", "citing_classification", "citing_subject",
    "letter", "raw", "target_id", "method", "confidence", "path",
)


def refs_deep(db: str | None, cable_id: str, depth: int, fmt: output.Format) -> None:
    from refdb.service.graph import refs_deep as run

    with database(db) as engine:
        rows = run(engine, cable_id, depth)
    emit(rows, fmt, REFS_DEEP_TABLE, REFS_DEEP_CSV, title=f"Cables {cable_id} cites, to depth {depth}",
         priority=("target_id", "depth", "target_subject", "citing_id", "letter", "target_date", "method", "confidence"),
         empty="It cites no stored cable.")


def cited_by_deep(db: str | None, cable_id: str, depth: int, fmt: output.Format) -> None:
    from refdb.service.graph import cited_by_deep as run

    with database(db) as engine:
        rows = run(engine, cable_id, depth)
    emit(rows, fmt, CITED_BY_DEEP_TABLE, CITED_BY_DEEP_CSV, title=f"Cables citing {cable_id}, to depth {depth}",
         priority=("citing_id", "depth", "citing_subject", "citing_date", "letter", "target_id", "method", "confidence"),
         empty="No stored cable cites it.")


# unresolved --rank / --group-by / --summary (called from app.py)

RANK_TABLE = ("rank", "cited_id", "cited_by_count", "references", "reason", "first_cited", "last_cited")
RANK_CSV = ("rank", "cited_id", "cited_by_count", "references", "origin", "year", "reason", "reasons",
            "first_cited", "last_cited", "citing_ids", "candidates")
GROUP_COLUMNS = ("dimension", "value", "references", "missing", "citing")


def unresolved_report(
    db: str | None,
    *,
    rank: bool,
    group_by: str | None,
    summary: bool,
    origin: str | None,
    year: int | None,
    reason: str | None,
    limit: int | None,
    fmt: output.Format,
) -> None:
    from refdb.service import reports

    if sum((rank, group_by is not None, summary)) > 1:
        raise UsageError("choose one of --rank, --group-by, --summary")
    filters = {"origin": origin, "year": year, "reason": reason}
    if rank:
        with database(db) as engine:
            rows = reports.unresolved_ranked(engine, limit=limit, **filters)
        if fmt is output.Format.TABLE:
            rows = [{**r, "reason": ", ".join(f"{k} {n}" for k, n in r["reasons"].items())} for r in rows]
        emit(rows, fmt, RANK_TABLE, RANK_CSV, title="The most-cited cables you do not have",
             priority=("cited_id", "cited_by_count", "reason", "rank", "references", "first_cited", "last_cited"),
             empty="Every cited cable resolved.")
    elif group_by is not None:
        with database(db) as engine:
            rows = reports.unresolved_groups(engine, group_by, **filters)
        emit(rows[:limit] if limit else rows, fmt, GROUP_COLUMNS, title=f"Unresolved references by {group_by}",
             empty="Nothing unresolved.")
    else:
        with database(db) as engine:
            data = reports.unresolved_summary(engine, **filters)
        if fmt is output.Format.JSON:
            output.emit_json(data)
            return
        rows = [row for by in reports.GROUPS for row in data[f"by_{by}"]]
        if fmt is not output.Format.TABLE:
            output.emit_rows(rows, fmt, GROUP_COLUMNS)
            return
        output.message(f"{data['references']} unresolved references")
        for by in reports.GROUPS:
            part = data[f"by_{by}"]
            if part:
                shown = part[:limit] if limit else part
                table(shown, ("value", "references", "missing", "citing"), title=f"By {by}")
                if len(shown) < len(part):
                    output.message(f"... {len(part) - len(shown)} more (--json for all)")


# --- thread and path -------------------------------------------------------------------

THREAD_TABLE = ("date", "id", "relation", "distance", "origin", "subject", "cites", "cited_by")
THREAD_CSV = ("date", "id", "relation", "distance", "origin", "classification", "subject", "cites", "cited_by")


@app.command()
@handles_errors
def thread(
    cable_id: Annotated[str, typer.Argument(metavar="ID", help="The cable at the centre of the thread.")],
    db: DbOpt = None,
    depth: Annotated[Optional[int], typer.Option("--depth", help="At most this many links away (default: all the way).", min=1)] = None,
    connected: Annotated[bool, typer.Option("--connected", help="Also cables linked sideways (citing the same cables, cited by the same cables...): the whole connected component.")] = False,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """The chain of cables around one cable, in date order: what it cites (transitively,
    "earlier"), what cites it (transitively, "later"), with --connected every cable
    linked to those.

    Example: refdb thread 08TOKYO1002 --depth 2
    """
    from refdb.service.graph import thread as run

    fmt = output.choose(json_, jsonl, csv_)
    with database(db) as engine:
        rows = run(engine, cable_id, depth=depth, connected=connected)
    emit(rows, fmt, THREAD_TABLE, THREAD_CSV, title=f"Thread of {cable_id}",
         priority=("id", "date", "relation", "subject", "distance", "cites", "cited_by", "origin"))
    if fmt is output.Format.TABLE and len(rows) == 1:
        output.message("No stored cable cites it or is cited by it.")


PATH_TABLE = ("step", "from_id", "direction", "to_id", "letter", "to_date", "to_subject", "method", "confidence")
PATH_CSV = ("step", "from_id", "direction", "to_id", "citing_id", "letter", "raw", "target_id", "method",
            "confidence", "to_date", "to_subject")


@app.command()
@handles_errors
def path(
    from_id: Annotated[str, typer.Argument(metavar="FROM", help="The cable to start from.")],
    to_id: Annotated[str, typer.Argument(metavar="TO", help="The cable to reach.")],
    db: DbOpt = None,
    undirected: Annotated[bool, typer.Option("--undirected", help="Follow links in either direction (FROM and TO cite a common cable...).")] = False,
    max_depth: Annotated[int, typer.Option("--max-depth", help="Give up beyond this many links.", min=1)] = 20,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """How one cable leads to another: a shortest chain of citations from FROM to TO
    (FROM cites ... cites TO), else from TO to FROM; exit 1 when there is none.

    Example: refdb path 08TOKYO1002 07TOKYO5019
    """
    from refdb.service.graph import path as run

    fmt = output.choose(json_, jsonl, csv_)
    with database(db) as engine:
        rows = run(engine, from_id, to_id, undirected=undirected, max_depth=max_depth)
    emit(rows, fmt, PATH_TABLE, PATH_CSV, title=f"From {from_id} to {to_id}: {len(rows)} link(s)",
         priority=("from_id", "direction", "to_id", "step", "to_subject", "letter", "to_date", "method", "confidence"))


# --- reports ---------------------------------------------------------------------------

TOP_TABLE = ("rank", "id", "date", "origin", "cited_by_count", "references", "subject")
TOP_CSV = ("rank", "id", "date", "origin", "classification", "subject", "cited_by_count", "references",
           "first_cited", "last_cited")


@app.command()
@handles_errors
def top(
    db: DbOpt = None,
    origin: OriginOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = 20,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """The most-cited stored cables (by how many stored cables cite them), optionally
    only those of some posts or sent within a date range.

    Example: refdb top --origin STATE --since 2008 --until 2009 -n 10
    """
    from refdb.service.reports import top as run

    fmt = output.choose(json_, jsonl, csv_)
    with database(db) as engine:
        rows = run(engine, origin=origin, since=since, until=until, limit=limit)
    emit(rows, fmt, TOP_TABLE, TOP_CSV, title="Most-cited stored cables", empty="No stored cable is cited.",
         priority=("id", "cited_by_count", "subject", "rank", "date", "origin", "references"))


@app.command()
@handles_errors
def stats(
    db: DbOpt = None,
    origin: OriginOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows per table of origins, kinds, reasons... (tables only; JSON has everything).", min=1)] = 15,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """What the database holds: cables per year, origin and classification; references
    per kind, status, method and reason; resolution rates overall and per year.

    Example: refdb stats --origin TOKYO --json
    """
    from refdb.service.reports import STAT_TOTALS, stats_rows
    from refdb.service.reports import stats as run

    fmt = output.choose(json_, jsonl, csv_)
    with database(db) as engine:
        data = run(engine, origin=origin, since=since, until=until)
    if fmt is output.Format.JSON:
        output.emit_json(data)
        return
    if fmt is not output.Format.TABLE:
        output.emit_rows(stats_rows(data), fmt, ("section", "key", "count", "rate"))
        return
    res = data["resolution"]
    rate = f"{res['rate']:.1%}" if res["rate"] is not None else "n/a"
    output.key_values(
        [(k.replace("_", " "), data[k]) for k in STAT_TOTALS]
        + [("cable references resolved", f"{res['resolved']} of {res['cable_items']} ({rate})")],
        title="refdb database",
    )
    for section, title in (
        ("cables_by_year", "Cables by year"),
        ("cables_by_origin", "Cables by origin"),
        ("cables_by_classification", "Cables by classification"),
        ("references_by_kind", "References by kind"),
        ("references_by_status", "References by status"),
        ("references_by_method", "Resolved references by method"),
        ("unresolved_by_reason", "Unresolved references by reason"),
    ):
        items = list(data[section].items())
        if not items:
            continue
        shown = items if section == "cables_by_year" else items[:limit]
        table([{"key": k, "count": n} for k, n in shown], ("key", "count"), title=title)
        if len(items) > len(shown):
            output.message(f"... {len(items) - limit} more (--limit, or --json for all)")
    per_year = [
        {**r, "rate": f"{r['rate']:.1%}" if r["rate"] is not None else ""} for r in data["resolution_by_year"]
    ]
    if per_year:
        table(per_year, ("year", "cable_items", "resolved", "rate"),
                     title="Resolution of cable references by citing year")


# --- export ----------------------------------------------------------------------------


@app.command()
@handles_errors
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="graphml (Gephi, networkx, yEd), gexf (Gephi), dot (Graphviz), json (networkx node-link), csv (edge list; --nodes for the node table).")] = "graphml",
    db: DbOpt = None,
    output_path: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    origin: OriginOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    around: Annotated[Optional[str], typer.Option("--around", metavar="ID", help="Only the cables within --depth links of this cable, in either direction.")] = None,
    depth: Annotated[int, typer.Option("--depth", help="With --around: how many links away.", min=1)] = 2,
    include_unresolved: Annotated[bool, typer.Option("--include-unresolved", help="Also unresolved references, to nodes for the cables they cite (stored=false).")] = False,
    nodes: Annotated[bool, typer.Option("--nodes", help="With --format csv: write the node table instead of the edge list.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary line.")] = False,
) -> None:
    """Export the citation graph, all of it or a part (--origin, --since/--until, or
    --around ID --depth N), for Gephi, Graphviz, networkx or a spreadsheet.

    Nodes carry date, year, origin, classification, subject, stored; edges carry
    letter, raw, kind, status, method, confidence.

    Example: refdb export --around 08TOKYO1002 --depth 2 --format dot -o tokyo.dot
    """
    from refdb.service.export import FORMATS, export_graph

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    show_progress = sys.stderr.isatty() and not quiet
    options = dict(origin=origin, since=since, until=until, around=around, depth=depth,
                   include_unresolved=include_unresolved, nodes=nodes)
    with database(db) as engine:
        if output_path is not None:
            tmp = output_path.with_name(output_path.name + ".part")
            try:
                with open(tmp, "w", encoding="utf-8", newline="") as out:
                    report = _export(export_graph, engine, out, fmt, options, show_progress)
                tmp.replace(output_path)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
        else:
            report = _export(export_graph, engine, sys.stdout, fmt, options, show_progress)
            sys.stdout.flush()
    if not quiet:
        where = f" to {output_path}" if output_path else ""
        output.message(f"{report.nodes} nodes ({report.missing_nodes} not stored), {report.edges} edges written{where}")


def _export(export_graph, engine, out, fmt: str, options: dict, show_progress: bool):  # type: ignore[no-untyped-def]
    if not show_progress:
        return export_graph(engine, out, fmt, **options)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn("exporting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=Console(stderr=True), transient=True)
    with progress:
        task = progress.add_task("export", total=None)
        return export_graph(
            engine, out, fmt, **options,
            on_total=lambda n: progress.update(task, total=n),
            on_progress=lambda n: progress.advance(task, n),
        )


# --- search ----------------------------------------------------------------------------

SEARCH_TABLE = ("id", "date", "origin", "classification", "subject", "snippet")
SEARCH_CSV = ("id", "date", "origin", "classification", "subject", "tags", "score", "snippet")


@app.command()
@handles_errors
def search(
    text: Annotated[Optional[str], typer.Argument(metavar="TEXT", help='Words (all must appear) and "quoted phrases"; FTS operators are plain words.', show_default=False)] = None,
    db: DbOpt = None,
    origin: Annotated[Optional[str], typer.Option("--origin", help="Only cables of this post (TOKYO, STATE ...).")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="Only cables of this year (e.g. 2008).")] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", help="Only cables with this TAGS entry (e.g. PREL, KNNP).")] = None,
    classification: Annotated[Optional[str], typer.Option("--classification", help="Only cables of this classification (e.g. CONFIDENTIAL, SECRET//NOFORN).")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = 20,
    reindex: Annotated[bool, typer.Option("--reindex", help="Rebuild the search index from the stored cables instead (SQLite: after a VACUUM).")] = False,
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """Full-text search over cable subjects and bodies, best match first, with a
    snippet of each hit («marked»).  Words are stemmed: sanction finds sanctions.

    Example: refdb search "six-party talks" --origin TOKYO --year 2008
    """
    from refdb.service import search as service

    fmt = output.choose(json_, jsonl, csv_)
    if reindex:
        if text:
            raise UsageError("--reindex takes no search text")
        with database(db) as engine:
            ok = service.reindex(engine)
        output.message("search index rebuilt" + ("" if ok else "; the integrity check still fails"))
        if not ok:
            raise typer.Exit(1)
        return
    if not text:
        raise UsageError("give the text to search for", hint='refdb search "six-party talks"')
    with database(db) as engine:
        rows = service.search(
            engine, text, origin=origin, year=year, tag=tag, classification=classification,
            since=since, until=until, limit=limit,
        )
    emit(rows, fmt, SEARCH_TABLE, SEARCH_CSV, title=f"Cables matching {text}", empty="No cable matches.",
         priority=("id", "snippet", "subject", "date", "origin", "classification"))
