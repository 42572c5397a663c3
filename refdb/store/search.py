"""Full-text search over cable subjects and texts (schema: revision 0003).

SQLite uses the FTS5 external-content table ``cable_fts`` (kept in step with
``cable`` by triggers, which a large ingest defers: see :func:`defer`).  PostgreSQL
keeps a weighted tsvector of each cable's subject and first 250,000 characters of
text in ``cable_search`` (revision 0007), with the ``content_hash`` of the text it was
computed from, in two hash partitions with a GIN index each (revision 0009): a trigger
keeps it current, and while the index is deferred a large ingest fills it from a
second connection (:func:`fill`) and catches up at the end (:func:`catch_up`).  A row
whose hash is not its cable's is stale and never answers a search.  Both take the same
query: a list of *terms*, each term a list of words that must appear as a phrase;
every term must match.  Words reach the database only as bound parameters, and on
SQLite each phrase is written as an FTS5 string (double-quoted, quotes doubled), so
FTS syntax in the input (``"``, ``*``, ``OR``, ``NEAR``, ``-``, ``:``) is never
interpreted.
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
# SQLite: count the cable rows written while the index is deferred (revision 0008; see
# refdb.store.search_side).
CHANGE_TRIGGERS = ("cable_deferred_ai", "cable_deferred_ad", "cable_deferred_au")
PG_TABLE = "cable_search"
# Its partitions and their GIN indexes (revision 0009): built one per connection, at once.
PG_PARTITIONS = ("cable_search_p0", "cable_search_p1")
PG_INDEXES = {part: f"ix_{part}_doc" for part in PG_PARTITIONS}
PG_TRIGGER = "cable_search_sync"
# A cable's search vector: must stay identical to the trigger's in revision 0007.
DOC = (
    "setweight(to_tsvector('english'::regconfig, coalesce(cable.subject, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, left(cable.text, 250000)), 'B')"
)
_UPSERT = (
    f"INSERT INTO {PG_TABLE} (id, content_hash, doc) SELECT cable.id, cable.content_hash, {DOC} FROM cable "
    "{where} ORDER BY cable.id "  # one lock order for every writer: no deadlock between fillers
    "ON CONFLICT (id) DO UPDATE SET content_hash = EXCLUDED.content_hash, doc = EXCLUDED.doc"
)
_SEARCH_ROWS = sa.table(PG_TABLE, sa.column("id"), sa.column("content_hash"), sa.column("doc"))
# A cable (``cable``) without a current vector: none, or one computed from another text.
_NO_CURRENT_VECTOR = (
    f"NOT EXISTS (SELECT 1 FROM {PG_TABLE} s WHERE s.id = cable.id AND s.content_hash = cable.content_hash)"
)
# FTS5's buffer of terms not yet written to the index, in bytes: its default, and
# what a rebuild uses.
DEFAULT_HASHSIZE = 1024 * 1024
REBUILD_HASHSIZE = 64 * 1024 * 1024
# PostgreSQL, while a deferred index is filled: the GIN pending list and the memory
# for merging it (see _bulk_gin_settings).
GIN_PENDING_LIMIT = "64MB"
GIN_WORK_MEM = "128MB"
# PostgreSQL: memory for building a GIN index in one pass (see build_index).  More is
# slower: 251,284 vectors in one index took 75-83 s with 64-128 MB, 97.5 s with 512 MB.
GIN_BUILD_MEM = "128MB"
# The name of the search index among deferred indexes (table deferred_index).
DEFERRED_NAME = "search"
MARK_START, MARK_END = "«", "»"


def include_in_autogenerate(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic ``include_name`` hook: the search objects are made by hand-written SQL in
    revision 0003 and are not described by the SQLModel tables, so autogenerate and
    schema comparisons must leave them alone."""
    if type_ == "table" and name is not None and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_")):
        return False
    if type_ == "table" and (name == PG_TABLE or name in PG_PARTITIONS):
        return False
    if type_ == "index" and name in PG_INDEXES.values():
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


def _pg_matches(columns: Sequence, tsq) -> sa.Select:  # type: ignore[no-untyped-def]
    """Cables whose current search vector matches ``tsq`` (stale vectors left out)."""
    rows = _SEARCH_ROWS
    return (
        sa.select(*columns)
        .select_from(
            CABLE.join(rows, sa.and_(rows.c.id == CABLE.c.id, rows.c.content_hash == CABLE.c.content_hash))
        )
        .where(rows.c.doc.op("@@")(tsq))
    )


def _search_postgresql(conn: Connection, terms: Sequence[Sequence[str]], filters: Filters, limit: int) -> list[Row]:
    tsq = _pg_tsquery(terms)
    matches = _pg_matches((*_COLUMNS, sa.func.ts_rank_cd(_SEARCH_ROWS.c.doc, tsq).label("score")), tsq)
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
    """Rebuild the search index from ``cable`` and end any deferral, in the caller's
    transaction."""
    if conn.dialect.name == "sqlite":
        # A larger in-memory term buffer for the rebuild: fewer, larger segments to
        # write and merge (50,000 cables: 11.5 s against 9.3 s).  Put back after it, so
        # that the triggers' small transactions keep FTS5's default.
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', {REBUILD_HASHSIZE})")
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', {DEFAULT_HASHSIZE})")
    elif conn.dialect.name == "postgresql":
        # Dropped and built again over every vector: cheaper than keeping the index
        # up to date row by row through the whole table.
        _drop_indexes(conn)
        conn.exec_driver_sql(f"DELETE FROM {PG_TABLE}")
        conn.exec_driver_sql(_UPSERT.format(where=""))
        build_index(conn)
    _end_deferral(conn)


def catch_up(conn: Connection) -> None:
    """End a deferral, in the caller's (write) transaction.  SQLite rebuilds the whole
    index; PostgreSQL computes only the vectors missing or stale (those :func:`fill`
    has not done, or did from a text replaced since), builds the GIN indexes if the
    deferral dropped them and nothing has built them since, then moves each index's
    pending list into the index proper, so that searches after the ingest do not scan it."""
    if conn.dialect.name != "postgresql":
        rebuild(conn)
        return
    _bulk_gin_settings(conn)
    conn.exec_driver_sql(_UPSERT.format(where=f"WHERE {_NO_CURRENT_VECTOR}"))
    build_index(conn)
    # Only the index's owner may (as for VACUUM); for anyone else the next insert past
    # the default limit, or a vacuum, does it.
    for index in PG_INDEXES.values():
        conn.exec_driver_sql(
            f"SELECT gin_clean_pending_list(c.oid) FROM pg_class c"
            f" WHERE c.oid = '{index}'::regclass AND pg_has_role(c.relowner, 'USAGE')"
        )
    _end_deferral(conn)


def build_index(conn: Connection, partition: str | None = None) -> None:
    """PostgreSQL: build the GIN index of ``partition`` of ``cable_search`` (default:
    of each partition in turn), unless it exists, in the caller's transaction.
    Deferring the index drops them (see :func:`defer`): built in one sorted pass, an
    index costs about half the server CPU of keeping it up to date a batch at a time.
    A build runs on one core; partitions built on connections of their own run at once
    (``refdb.service.search_fill.IndexBuilder``)."""
    conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{GIN_BUILD_MEM}'")
    for part in PG_PARTITIONS if partition is None else (partition,):
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {PG_INDEXES[part]} ON {part} USING gin (doc)")


def _drop_indexes(conn: Connection) -> None:
    for index in PG_INDEXES.values():
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index}")


def _bulk_gin_settings(conn: Connection) -> None:
    """For the rest of the caller's transaction, let the GIN index gather new entries
    in a larger pending list and merge them into the index in larger sorted runs.  A
    merge costs about one visit per distinct word, however many cables it carries, and
    by default it happens every 4 MB (``gin_pending_list_limit``, and ``work_mem`` for
    the sorted run): at full scale the index's upkeep cost more server CPU than
    computing the vectors.  A deferral drops the index, so this matters when the index
    is there while vectors are filled: a search caught up mid-ingest, or catching up
    finds many missing.  Only the filling transactions raise them (``SET LOCAL``)."""
    conn.exec_driver_sql(f"SET LOCAL gin_pending_list_limit = '{GIN_PENDING_LIMIT}'")
    conn.exec_driver_sql(f"SET LOCAL work_mem = '{GIN_WORK_MEM}'")


def _end_deferral(conn: Connection) -> None:
    conn.execute(sa.delete(DEFERRED).where(DEFERRED.c.name == DEFERRED_NAME))


def can_fill(conn: Connection) -> bool:
    """Whether a deferred index can be filled from another connection while the
    writer goes on (PostgreSQL: rows of ``cable_search``; SQLite has one writer)."""
    return conn.dialect.name == "postgresql"


def fill(conn: Connection, cable_ids: Sequence[str]) -> None:
    """Compute the search vectors of stored cables (PostgreSQL), in the caller's
    transaction.  Safe beside the writer: a vector computed from a text that the
    writer replaces meanwhile carries the old hash, so it is stale, left out of
    searches, and recomputed by :func:`catch_up`."""
    _bulk_gin_settings(conn)
    conn.exec_driver_sql(_UPSERT.format(where="WHERE cable.id = ANY(%(ids)s)"), {"ids": list(cable_ids)})


def can_defer(conn: Connection) -> bool:
    """Whether this backend's index can be deferred for a bulk load: SQLite's
    triggers and PostgreSQL's trigger check ``deferred_index``."""
    return conn.dialect.name in ("sqlite", "postgresql")


def defer(conn: Connection, now: datetime) -> None:
    """Stop keeping the index row by row, in the caller's transaction (the triggers
    check ``deferred_index``); :func:`rebuild` or :func:`catch_up` ends it.  On
    PostgreSQL the GIN indexes are dropped too, and built again over all the vectors
    (:func:`build_index`): searches meanwhile catch up first (``refdb.service.search``)."""
    if not is_deferred(conn):
        conn.execute(sa.insert(DEFERRED).values(name=DEFERRED_NAME, since=now))
        if conn.dialect.name == "postgresql":
            _drop_indexes(conn)


def deferred_since(conn: Connection) -> datetime | None:
    """When a large ingest deferred the index, while it is still deferred."""
    return conn.execute(sa.select(DEFERRED.c.since).where(DEFERRED.c.name == DEFERRED_NAME)).scalar()


def is_deferred(conn: Connection) -> bool:
    return deferred_since(conn) is not None


def rebuild_if_deferred(conn: Connection) -> bool:
    """Bring the index up to date (:func:`catch_up`) if it is still deferred, in the
    caller's (write) transaction; whether it was.  Another ingest may have done so
    meanwhile: its triggers have kept the index since, and SQLite's rebuild would cost
    the whole index again."""
    if not is_deferred(conn):
        return False
    catch_up(conn)
    return True


def integrity_check(conn: Connection) -> bool:
    """True when the index agrees with ``cable``: SQLite's FTS5 integrity-check with
    rank 1 compares it against the content table; on PostgreSQL every cable has a
    current vector (while the index is deferred, some have not: see :func:`catch_up`),
    and every partition's GIN index exists unless the index is deferred."""
    if conn.dialect.name == "postgresql":
        missing = conn.exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM cable WHERE {_NO_CURRENT_VECTOR})").scalar()
        # A deferral drops the GIN indexes; once it has ended they must be there.
        indexed = set(search_objects(conn).get("index", [])) == set(PG_INDEXES.values())
        return not missing and (indexed or is_deferred(conn))
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
        names = (FTS_TABLE, *FTS_TRIGGERS, *CHANGE_TRIGGERS)
        rows = conn.exec_driver_sql(
            f"SELECT type, name FROM sqlite_master WHERE name IN ({', '.join('?' * len(names))})", names
        )
    else:
        rows = conn.execute(
            sa.text(
                "SELECT 'index' AS type, indexname AS name FROM pg_indexes"
                " WHERE indexname = ANY(:i) AND schemaname = current_schema()"
                " UNION ALL SELECT 'table', tablename FROM pg_tables WHERE tablename = :t AND schemaname = current_schema()"
                " UNION ALL SELECT 'trigger', tgname FROM pg_trigger WHERE tgname = :g AND tgrelid = to_regclass('cable')"
            ),
            {"i": list(PG_INDEXES.values()), "t": PG_TABLE, "g": PG_TRIGGER},
        )
    out: dict[str, list[str]] = {}
    for kind, name in rows:
        out.setdefault(kind, []).append(name)
    return {k: sorted(v) for k, v in out.items()}


def explain(conn: Connection, terms: Sequence[Sequence[str]]) -> str:
    """The PostgreSQL plan of the match (tests check that the GIN indexes are used)."""
    q = _pg_matches((CABLE.c.id,), _pg_tsquery(terms))
    compiled = q.compile(conn)
    rows = conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params)
    return "\n".join(r[0] for r in rows)
