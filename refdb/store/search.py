"""Full-text search over cable subjects and texts (schema: revision 0003).

SQLite uses the FTS5 external-content table ``cable_fts`` (kept in step with
``cable`` by triggers, which a large ingest defers: see :func:`defer`), PostgreSQL an
expression GIN index over a weighted tsvector of the subject and the first 250,000
characters of the text (revision 0005).  Both take the same query: a list of *terms*, each term a list of words
that must appear as a phrase; every term must match.  Words reach the database only
as bound parameters, and on SQLite each phrase is written as an FTS5 string
(double-quoted, quotes doubled), so FTS syntax in the input (``"``, ``*``, ``OR``,
``NEAR``, ``-``, ``:``) is never interpreted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from refdb.store.tables import Cable, DeferredIndex

CABLE = Cable.__table__
DEFERRED = DeferredIndex.__table__

FTS_TABLE = "cable_fts"
FTS_TRIGGERS = ("cable_fts_ai", "cable_fts_ad", "cable_fts_au")
PG_INDEX = "ix_cable_search"
# Must stay identical to the expression of ix_cable_search in revision 0005, or the
# planner cannot use the index.
TSVECTOR = (
    "(setweight(to_tsvector('english'::regconfig, coalesce(cable.subject, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, left(cable.text, 250000)), 'B'))"
)
# FTS5's buffer of terms not yet written to the index, in bytes: its default, and
# what a rebuild uses.
DEFAULT_HASHSIZE = 1024 * 1024
REBUILD_HASHSIZE = 64 * 1024 * 1024
# The name of the search index among deferred indexes (table deferred_index).
DEFERRED_NAME = "search"
MARK_START, MARK_END = "«", "»"


def include_in_autogenerate(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic ``include_name`` hook: the search objects are made by hand-written SQL in
    revision 0003 and are not described by the SQLModel tables, so autogenerate and
    schema comparisons must leave them alone."""
    if type_ == "table" and name is not None and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_")):
        return False
    if type_ == "index" and name == PG_INDEX:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Filters:
    origin: str | None = None
    year: int | None = None
    tag: str | None = None
    classification: str | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive


def _fts5_string(words: Sequence[str]) -> str:
    """One FTS5 phrase: a string literal in FTS5's own syntax (quotes doubled)."""
    return '"' + " ".join(words).replace('"', '""') + '"'


def fts5_query(terms: Sequence[Sequence[str]]) -> str:
    """The FTS5 MATCH expression for ``terms``: phrases joined by implicit AND."""
    return " ".join(_fts5_string(t) for t in terms)


def _filter(q, f: Filters):  # type: ignore[no-untyped-def]
    # A filter given is applied even when empty: it then matches nothing.
    if f.origin is not None:
        q = q.where(CABLE.c.origin == f.origin)
    if f.year is not None:
        q = q.where(CABLE.c.year == f.year)
    if f.classification is not None:
        q = q.where(sa.func.upper(CABLE.c.classification) == f.classification.upper())
    if f.tag is not None:
        # tags are stored space-separated; the tag is letters and digits only (the
        # service normalises it), so no LIKE wildcard can sneak in.
        tagged = (" " + sa.func.coalesce(CABLE.c.tags, "") + " ").like(f"% {f.tag} %")
        q = q.where(tagged if f.tag else sa.false())
    if f.since is not None:
        q = q.where(CABLE.c.date >= f.since)
    if f.until is not None:
        q = q.where(CABLE.c.date < f.until)
    return q


_COLUMNS = (
    CABLE.c.id,
    CABLE.c.date,
    CABLE.c.origin,
    CABLE.c.classification,
    CABLE.c.subject,
    CABLE.c.tags,
)


def search(conn: Connection, terms: Sequence[Sequence[str]], filters: Filters, limit: int) -> list[Row]:
    """Cables matching every term, best first: rows of id, date, origin,
    classification, subject, tags, score (higher is better), snippet."""
    if conn.dialect.name == "sqlite":
        return _search_sqlite(conn, terms, filters, limit)
    if conn.dialect.name == "postgresql":
        return _search_postgresql(conn, terms, filters, limit)
    raise NotImplementedError(f"search is not implemented for {conn.dialect.name}")


def _search_sqlite(conn: Connection, terms: Sequence[Sequence[str]], filters: Filters, limit: int) -> list[Row]:
    fts = sa.table(FTS_TABLE, sa.column("rowid"))
    table = sa.literal_column(FTS_TABLE)
    # bm25 is lower-is-better; subject hits weigh ten times body hits.
    rank = sa.func.bm25(table, sa.literal_column("10.0"), sa.literal_column("1.0"))
    snippet = sa.func.snippet(
        table, sa.literal_column("-1"), sa.literal(MARK_START), sa.literal(MARK_END), sa.literal(" … "),
        sa.literal_column("16"),
    )
    q = (
        sa.select(*_COLUMNS, (-rank).label("score"), snippet.label("snippet"))
        .select_from(fts.join(CABLE, fts.c.rowid == sa.literal_column("cable.rowid")))
        .where(table.op("MATCH")(sa.bindparam("q", fts5_query(terms))))
        .order_by(rank, CABLE.c.date, CABLE.c.id)
        .limit(limit)
    )
    return list(conn.execute(_filter(q, filters)))


def _pg_tsquery(terms: Sequence[Sequence[str]]):  # type: ignore[no-untyped-def]
    query = None
    for i, words in enumerate(terms):
        part = sa.func.phraseto_tsquery(
            sa.literal_column("'english'::regconfig"), sa.bindparam(f"t{i}", " ".join(words))
        )
        query = part if query is None else query.op("&&")(part)
    return query


def _search_postgresql(conn: Connection, terms: Sequence[Sequence[str]], filters: Filters, limit: int) -> list[Row]:
    vector = sa.literal_column(TSVECTOR)
    tsq = _pg_tsquery(terms)
    matches = (
        sa.select(*_COLUMNS, sa.func.ts_rank_cd(vector, tsq).label("score"))
        .where(vector.op("@@")(tsq))
    )
    matches = _filter(matches, filters).order_by(sa.desc("score"), CABLE.c.date, CABLE.c.id).limit(limit).subquery()
    # Headlines are costly: only for the rows shown.
    text = sa.select(CABLE.c.text).where(CABLE.c.id == matches.c.id).scalar_subquery()
    headline = sa.func.ts_headline(
        sa.literal_column("'english'::regconfig"),
        text,
        _pg_tsquery(terms),
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=\" … \"",
    )
    q = sa.select(*matches.c, headline.label("snippet")).order_by(
        sa.desc(matches.c.score), matches.c.date, matches.c.id
    )
    return list(conn.execute(q))


def rebuild(conn: Connection) -> None:
    """Rebuild the search index from ``cable`` (SQLite; PostgreSQL: REINDEX) and end
    any deferral, in the caller's transaction."""
    if conn.dialect.name == "sqlite":
        # A larger in-memory term buffer for the rebuild: fewer, larger segments to
        # write and merge (50,000 cables: 11.5 s against 9.3 s).  Put back after it, so
        # that the triggers' small transactions keep FTS5's default.
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', {REBUILD_HASHSIZE})")
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', {DEFAULT_HASHSIZE})")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"REINDEX INDEX {PG_INDEX}")
    conn.execute(sa.delete(DEFERRED).where(DEFERRED.c.name == DEFERRED_NAME))


def can_defer(conn: Connection) -> bool:
    """Whether this backend's index can be deferred.  SQLite's triggers can be switched
    off for a bulk load; PostgreSQL's expression index is kept by the server itself
    and building it afterwards costs as much as keeping it (measured: 29 s to build it
    for 20,000 cables against 27 s more ingest time to keep it)."""
    return conn.dialect.name == "sqlite"


def defer(conn: Connection, now: datetime) -> None:
    """Stop keeping the index row by row, in the caller's transaction (the triggers
    check ``deferred_index``); :func:`rebuild` ends it."""
    if not is_deferred(conn):
        conn.execute(sa.insert(DEFERRED).values(name=DEFERRED_NAME, since=now))


def deferred_since(conn: Connection) -> datetime | None:
    """When a large ingest deferred the index, while it is still deferred."""
    return conn.execute(sa.select(DEFERRED.c.since).where(DEFERRED.c.name == DEFERRED_NAME)).scalar()


def is_deferred(conn: Connection) -> bool:
    return deferred_since(conn) is not None


def rebuild_if_deferred(conn: Connection) -> bool:
    """Rebuild the index if it is still deferred, in the caller's (write) transaction;
    whether it was.  Another ingest may have rebuilt it meanwhile: its triggers have
    kept it since, and a second rebuild would cost the whole index again."""
    if not is_deferred(conn):
        return False
    rebuild(conn)
    return True


def integrity_check(conn: Connection) -> bool:
    """True when the index agrees with ``cable`` (SQLite's FTS5 integrity-check with
    rank 1 compares it against the content table; PostgreSQL's index needs no check)."""
    if conn.dialect.name != "sqlite":
        return True
    try:
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
    except sa.exc.DatabaseError:
        return False
    return True


def search_objects(conn: Connection) -> dict[str, list[str]]:
    """The search objects present in the database (for tests and diagnostics)."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(
            "SELECT type, name FROM sqlite_master WHERE name = ? OR name IN (?, ?, ?)", (FTS_TABLE, *FTS_TRIGGERS)
        )
    else:
        rows = conn.execute(
            sa.text("SELECT 'index' AS type, indexname AS name FROM pg_indexes "
                    "WHERE indexname = :n AND schemaname = current_schema()"), {"n": PG_INDEX}
        )
    out: dict[str, list[str]] = {}
    for kind, name in rows:
        out.setdefault(kind, []).append(name)
    return {k: sorted(v) for k, v in out.items()}


def explain(conn: Connection, terms: Sequence[Sequence[str]]) -> str:
    """The PostgreSQL plan of the match (tests check that the GIN index is used)."""
    vector = sa.literal_column(TSVECTOR)
    q = sa.select(CABLE.c.id).where(vector.op("@@")(_pg_tsquery(terms)))
    compiled = q.compile(conn)
    rows = conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params)
    return "\n".join(r[0] for r in rows)
