"""Full-text search (revision 0003): results, filters, the index kept right through
re-ingest and deletes, hostile search strings, and the schema objects themselves."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from refdb.errors import UsageError
from refdb.service.search import parse_query, reindex, search
from refdb.store import search as store
from refdb.store.engine import read_tx, write_tx

from service.factory import cable, ref  # tests/ is on sys.path

from .helpers import load

CABLES = [
    cable("08TOKYO100", "2008-02-01 10:00", subject="NUCLEAR POWER PLANT INSPECTIONS",
          text="TOKYO 000100\nSUBJECT: NUCLEAR POWER PLANT INSPECTIONS\n1. (C) Inspectors visited the reactors."),
    cable("08TOKYO200", "2008-03-01 10:00", subject="RICE TARIFFS",
          text="TOKYO 000200\nSUBJECT: RICE TARIFFS\n1. (U) Sanctions on nuclear suppliers were discussed; the six-party talks stalled."),
    cable("07MOSCOW300", "2007-05-01 10:00", subject="GAS PRICES",
          text="MOSCOW 000300\nSUBJECT: GAS PRICES\n1. (C) The six-party talks came up; nothing on nuclear matters. It's \"quoted\" text; DROP TABLE here."),
    cable("08MOSCOW400", "2008-06-01 10:00", subject="WEATHER",
          text="MOSCOW 000400\nSUBJECT: WEATHER\n1. (U) Cold. Inspector general met the party secretary."),
]


@pytest.fixture
def db(engine):
    load(engine, CABLES)
    return engine


def _ids(rows):  # type: ignore[no-untyped-def]
    return [r["id"] for r in rows]


@pytest.mark.parametrize(
    ("query", "kwargs", "expected"),
    [
        ("nuclear", {}, {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}),
        ("inspection", {}, {"08TOKYO100"}),  # stemmed: inspections
        ("inspectors", {}, {"08TOKYO100", "08MOSCOW400"}),  # Inspectors, Inspector
        ("sanction nuclear", {}, {"08TOKYO200"}),  # every word must appear
        ('"six-party talks"', {}, {"08TOKYO200", "07MOSCOW300"}),
        ('"talks six-party"', {}, set()),  # a phrase keeps its order
        ("nuclear", {"origin": "moscow"}, {"07MOSCOW300"}),
        ("nuclear", {"year": 2008}, {"08TOKYO100", "08TOKYO200"}),
        ("nuclear", {"tag": "prel"}, {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}),
        ("nuclear", {"tag": "KNNP"}, set()),
        ("nuclear", {"classification": "confidential"}, {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}),
        ("nuclear", {"since": "2008-02-15", "until": "2008"}, {"08TOKYO200"}),
        ("zeppelin", {}, set()),
    ],
    ids=["word", "stemming", "plural-singular", "all-words", "phrase", "phrase-order", "origin", "year", "tag", "tag-absent",
         "classification", "date-range", "no-match"],
)
def test_search_finds(db, query, kwargs, expected):
    assert set(_ids(search(db, query, **kwargs))) == expected


def test_subject_hits_rank_first_and_snippets_mark_the_words(db):
    rows = search(db, "nuclear")
    assert rows[0]["id"] == "08TOKYO100"  # in its subject
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"]
    assert all("«" in r["snippet"] and "»" in r["snippet"] for r in rows)
    assert search(db, "nuclear", limit=1) == rows[:1]


# Strings full of FTS syntax and SQL: never an error, never interpreted.
HOSTILE = [
    ('"', UsageError),
    ('""', UsageError),
    ("*", UsageError),
    ("'; DROP TABLE cable; --", set()),  # no cable has the three words
    ("'; DROP TABLE here --", {"07MOSCOW300"}),
    ('nuclear"', {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}),
    ('"nuclear', {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}),
    ("nuclear OR weather", set()),  # OR is ignored (a stop word), and no cable has both
    ("NOT nuclear", {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}),  # no negation: NOT is ignored
    ("the OR not", UsageError),  # only stop words
    ("nuc*", set()),  # no prefix queries: * is punctuation
    ("NEAR(nuclear talks)", set()),
    ("subject:nuclear", {"08TOKYO100"}),  # no column filter: the words "subject nuclear" in a row
    ("-nuclear", {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}),
    ("(nuclear)", {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}),
    ("it's quoted", {"07MOSCOW300"}),
    ('"it\'s ""quoted"" text"', {"07MOSCOW300"}),
    ("nuclear \x00 talks", {"08TOKYO200", "07MOSCOW300"}),
    ("% _ nuclear", {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}),
    ("\\ nuclear", {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}),
]


@pytest.mark.parametrize(("query", "expected"), HOSTILE, ids=[repr(q) for q, _ in HOSTILE])
def test_hostile_search_strings_are_safe(db, query, expected):
    if isinstance(expected, type):
        with pytest.raises(expected):
            search(db, query)
    else:
        assert set(_ids(search(db, query))) == expected
    with read_tx(db) as conn:  # nothing was dropped or changed
        assert conn.execute(sa.text("SELECT count(*) FROM cable")).scalar_one() == len(CABLES)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("x y", [["x"], ["y"]]),
        ('"x y" z', [["x", "y"], ["z"]]),
        ('x "y', [["x"], ['"y']]),
        ("the x", [["x"]]),
        ("* OR nuclear", [["nuclear"]]),
        ("not don't", None),
        ('"not now" x', [["not", "now"], ["x"]]),
        ("  x  ", [["x"]]),
    ],
)
def test_parse_query(text, terms):
    if terms is None:
        with pytest.raises(UsageError):
            parse_query(text)
    else:
        assert parse_query(text) == terms


@pytest.mark.parametrize(
    ("terms", "fts"),
    [
        ([["a"]], '"a"'),
        ([["a", "b"], ["c"]], '"a b" "c"'),
        ([['say "hi"']], '"say ""hi"""'),
    ],
)
def test_fts5_phrases_escape_quotes(terms, fts):
    assert store.fts5_query(terms) == fts


def test_reingest_of_a_changed_cable_updates_the_index(db):
    assert _ids(search(db, "reactors")) == ["08TOKYO100"]
    changed = cable("08TOKYO100", "2008-02-01 10:00", subject="SOLAR POWER",
                    text="TOKYO 000100\nSUBJECT: SOLAR POWER\n1. (C) Panels everywhere.")
    load(db, [changed])
    assert search(db, "reactors") == []
    assert _ids(search(db, "panels")) == ["08TOKYO100"]
    assert _ids(search(db, "solar")) == ["08TOKYO100"]
    assert "08TOKYO100" not in _ids(search(db, "nuclear"))
    _assert_index_consistent(db)


def test_unchanged_reingest_and_resolution_leave_the_index_alone(db):
    before = search(db, "nuclear")
    load(db, CABLES)
    load(db, [cable("08TOKYO500", "2008-07-01 10:00", (ref(0, "A", "08TOKYO100"),), subject="FOLLOW-UP ON NUCLEAR")])
    assert _ids(search(db, "nuclear")) == ["08TOKYO500"] + _ids(before) or set(_ids(search(db, "nuclear"))) == set(
        _ids(before)) | {"08TOKYO500"}
    _assert_index_consistent(db)


def test_deleted_cables_leave_the_index(db):
    with write_tx(db) as conn:
        conn.execute(sa.text("DELETE FROM cable WHERE id = '08TOKYO100'"))
    assert "08TOKYO100" not in _ids(search(db, "nuclear"))
    _assert_index_consistent(db)


def test_reindex_rebuilds(db):
    assert reindex(db) is True
    assert set(_ids(search(db, "nuclear"))) == {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}


def _assert_index_consistent(engine) -> None:  # type: ignore[no-untyped-def]
    with read_tx(engine) as conn:
        assert store.integrity_check(conn)


def test_integrity_check_notices_a_stale_index(engine):
    load(engine, CABLES)
    with write_tx(engine) as conn:  # bypass the triggers: what a VACUUM renumbering would do
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER cable_fts_au")
        else:
            conn.exec_driver_sql(f"DROP TRIGGER {store.PG_TRIGGER} ON cable")
        conn.exec_driver_sql(
            "UPDATE cable SET text = 'nothing here', subject = 'NOTHING', content_hash = 'changed' WHERE id = '08TOKYO100'"
        )
    with read_tx(engine) as conn:
        assert not store.integrity_check(conn)
    if engine.dialect.name == "postgresql":
        # A stale vector never answers: the cable no longer says "nuclear".
        assert "08TOKYO100" not in _ids(search(engine, "nuclear"))
    assert reindex(engine) is True
    _assert_index_consistent(engine)
    assert "08TOKYO100" not in _ids(search(engine, "nuclear"))


def test_search_objects_exist_at_head(engine):
    with read_tx(engine) as conn:
        objects = store.search_objects(conn)
    if engine.dialect.name == "sqlite":
        assert objects == {"table": [store.FTS_TABLE], "trigger": sorted(store.FTS_TRIGGERS + store.CHANGE_TRIGGERS)}
    else:
        assert objects == {"index": sorted(store.PG_INDEXES.values()), "table": [store.PG_TABLE], "trigger": [store.PG_TRIGGER]}


def test_postgresql_search_uses_the_gin_index(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    load(engine, CABLES)
    with read_tx(engine) as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_indexscan = off")  # tiny partitions: not their primary keys
        plan = store.explain(conn, [["nuclear"], ["six", "party"]])
    for index in store.PG_INDEXES.values():  # one per partition (revision 0009)
        assert index in plan


def test_migration_0003_downgrades_and_upgrades_with_data(engine):
    from refdb.store.migrate import downgrade, upgrade

    load(engine, CABLES)
    downgrade(engine, "0002")
    with read_tx(engine) as conn:
        assert store.search_objects(conn) == {}
    upgrade(engine)  # the upgrade indexes the cables already stored
    assert set(_ids(search(engine, "nuclear"))) == {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}
    _assert_index_consistent(engine)


def _vectors_by_table(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with read_tx(engine) as conn:
        rows = conn.exec_driver_sql(f"SELECT tableoid::regclass::text, count(*) FROM {store.PG_TABLE} GROUP BY 1")
        return dict(rows.all())


@pytest.mark.parametrize("deferred", [False, True], ids=["indexed", "deferred"])
def test_migration_0009_moves_the_vectors_into_partitions(engine, deferred):
    """From one table with one GIN index (0008) to two hash partitions with one each:
    every vector moves as it is; an index is made only when the search index is not
    deferred (a deferral dropped the old one; catching up builds the new ones)."""
    _pg_only(engine)
    from refdb.store.migrate import downgrade, upgrade

    load(engine, CABLES)
    downgrade(engine, "0008")
    with write_tx(engine) as conn:
        if deferred:  # as 0008's defer() left it: the row, and no GIN index
            conn.exec_driver_sql("INSERT INTO deferred_index (name, since) VALUES ('search', '2026-12-07')")
            conn.exec_driver_sql("DROP INDEX ix_cable_search_doc")
        before = conn.exec_driver_sql(f"SELECT id, content_hash, doc::text FROM {store.PG_TABLE} ORDER BY id").all()
    assert _vectors_by_table(engine) == {store.PG_TABLE: len(CABLES)}
    upgrade(engine)
    by_table = _vectors_by_table(engine)
    assert set(by_table) <= set(store.PG_PARTITIONS) and sum(by_table.values()) == len(CABLES)
    with read_tx(engine) as conn:
        after = conn.exec_driver_sql(f"SELECT id, content_hash, doc::text FROM {store.PG_TABLE} ORDER BY id").all()
        assert after == before
        assert store.is_deferred(conn) == deferred
    assert _gin_indexes(engine) == (set() if deferred else ALL_GIN)
    if deferred:
        with write_tx(engine) as conn:
            store.catch_up(conn)
        assert _gin_indexes(engine) == ALL_GIN
    assert set(_ids(search(engine, "nuclear"))) == {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}
    _assert_index_consistent(engine)


def test_tables_agree_with_migrations(engine):
    """Alembic's comparison finds nothing to do once the search objects (made by hand in
    0003) are left out as migrations/env.py leaves them out."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import refdb.store.tables  # noqa: F401

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": store.include_in_autogenerate}
        )
        assert compare_metadata(context, SQLModel.metadata) == []


# --- PostgreSQL: vectors filled behind the writer (revision 0007) ------------------------------


def _pg_only(engine) -> None:  # type: ignore[no-untyped-def]
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite builds a deferred index beside the database (tests/service/test_search_side.py)")


def _store_deferred(engine, cables) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from refdb.store import writes

    with write_tx(engine) as conn:
        store.defer(conn, datetime(2026, 12, 7))
        writes.save_cables(conn, cables, datetime(2026, 12, 7))


def test_while_deferred_the_trigger_computes_nothing_and_catch_up_does_it_all(engine):
    _pg_only(engine)
    _store_deferred(engine, CABLES)
    with read_tx(engine) as conn:
        assert conn.exec_driver_sql(f"SELECT count(*) FROM {store.PG_TABLE}").scalar() == 0
        assert not store.integrity_check(conn)
    with write_tx(engine) as conn:
        assert store.rebuild_if_deferred(conn)
    assert set(_ids(search(engine, "nuclear"))) == {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}
    _assert_index_consistent(engine)


def test_a_vector_filled_from_a_text_replaced_since_never_answers(engine):
    """The race the filler can lose: it computes a vector, then the writer replaces the
    cable's text.  The vector carries the old content hash, so search leaves it out
    and catching up recomputes it."""
    _pg_only(engine)
    _store_deferred(engine, CABLES)
    with write_tx(engine) as conn:
        store.fill(conn, ["08TOKYO100", "08TOKYO200"])
    replaced = cable("08TOKYO100", "2008-02-01 10:00", subject="FISHERIES",
                     text="TOKYO 000100\nSUBJECT: FISHERIES\n1. (U) Tuna quotas.")  # fmt: skip
    _store_deferred(engine, [replaced])
    found = set(_ids(search(engine, "nuclear")))  # search catches up first ...
    assert found == {"08TOKYO200", "07MOSCOW300"}
    assert _ids(search(engine, "tuna")) == ["08TOKYO100"]  # ... so the new text is found too
    _assert_index_consistent(engine)


def test_a_stale_vector_is_left_out_even_before_catching_up(engine):
    _pg_only(engine)
    _store_deferred(engine, CABLES)
    with write_tx(engine) as conn:
        store.fill(conn, [c.published_id for c in CABLES])
        conn.exec_driver_sql("UPDATE cable SET content_hash = 'replaced' WHERE id = '08TOKYO100'")
        rows = store.search(conn, [["nuclear"]], store.Filters(), 10)
    assert {r.id for r in rows} == {"08TOKYO200", "07MOSCOW300"}


def test_the_filler_computes_vectors_beside_the_writer(engine):
    _pg_only(engine)
    from refdb.service.search_fill import SearchFiller

    _store_deferred(engine, CABLES)
    filler = SearchFiller(engine)
    filler.add([c.published_id for c in CABLES[:3]])
    filler.add([c.published_id for c in CABLES[3:]])
    filler.close()
    assert (filler.error, filler.filled) == (None, len(CABLES))
    with read_tx(engine) as conn:
        assert store.integrity_check(conn)  # every cable has its current vector ...
        assert store.is_deferred(conn)  # ... but only catching up ends the deferral


def test_filling_gathers_gin_entries_in_a_larger_pending_list_for_its_own_transaction(engine):
    _pg_only(engine)
    _store_deferred(engine, CABLES)
    with read_tx(engine) as conn:
        before = conn.exec_driver_sql("SHOW gin_pending_list_limit").scalar()
    with write_tx(engine) as conn:
        store.fill(conn, [c.published_id for c in CABLES])
        assert conn.exec_driver_sql("SHOW gin_pending_list_limit").scalar() == store.GIN_PENDING_LIMIT
        assert conn.exec_driver_sql("SHOW work_mem").scalar() == store.GIN_WORK_MEM
    with read_tx(engine) as conn:  # SET LOCAL: the pooled connection is back as it was
        assert conn.exec_driver_sql("SHOW gin_pending_list_limit").scalar() == before
        assert conn.exec_driver_sql("SHOW work_mem").scalar() != store.GIN_WORK_MEM


def test_catching_up_leaves_the_gin_pending_list_empty(engine):
    """Searches after a large ingest must not scan up to GIN_PENDING_LIMIT of entries
    that filling left in the pending list: catching up merges them into the index."""
    _pg_only(engine)
    _store_deferred(engine, CABLES)
    with write_tx(engine) as conn:
        store.fill(conn, [c.published_id for c in CABLES[:2]])
        store.catch_up(conn)
    with write_tx(engine) as conn:
        cleaned = [
            conn.exec_driver_sql(f"SELECT gin_clean_pending_list('{index}'::regclass)").scalar()
            for index in store.PG_INDEXES.values()
        ]
    assert cleaned == [0] * len(store.PG_INDEXES)
    assert set(_ids(search(engine, "nuclear"))) == {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}
    _assert_index_consistent(engine)


def _gin_indexes(engine) -> set[str]:  # type: ignore[no-untyped-def]
    with read_tx(engine) as conn:
        return set(store.search_objects(conn).get("index", []))


ALL_GIN = set(store.PG_INDEXES.values())


def test_deferring_drops_the_gin_index_and_catching_up_builds_it_again(engine):
    _pg_only(engine)
    _store_deferred(engine, CABLES)
    assert _gin_indexes(engine) == set()
    with write_tx(engine) as conn:
        store.fill(conn, [c.published_id for c in CABLES])
        assert store.integrity_check(conn)  # deferred: no index is as it should be
        conn.exec_driver_sql("DELETE FROM deferred_index")
        assert not store.integrity_check(conn)  # not deferred: the indexes must be there
        store.build_index(conn, store.PG_PARTITIONS[0])
        assert not store.integrity_check(conn)  # ... every one of them
        conn.exec_driver_sql("INSERT INTO deferred_index (name, since) VALUES ('search', '2026-12-07')")
    with write_tx(engine) as conn:
        store.catch_up(conn)
    assert _gin_indexes(engine) == ALL_GIN
    with read_tx(engine) as conn:
        assert store.integrity_check(conn)
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_indexscan = off")  # tiny partitions: not their primary keys
        plan = store.explain(conn, [["nuclear"]])
    assert all(index in plan for index in ALL_GIN), plan


def test_the_index_builder_builds_the_gin_index_once_the_filler_is_done(engine):
    _pg_only(engine)
    from refdb.service.search_fill import IndexBuilder, SearchFiller

    _store_deferred(engine, CABLES)
    filler = SearchFiller(engine)
    filler.add([c.published_id for c in CABLES])
    builder = IndexBuilder(engine, filler)  # as the ingest does: once storing is done
    builder.finish()
    assert (builder.error, filler.error, filler.filled) == (None, None, len(CABLES))
    assert _gin_indexes(engine) == ALL_GIN
    with read_tx(engine) as conn:
        assert store.integrity_check(conn)  # every vector there, and the index
        assert store.is_deferred(conn)  # only catching up ends the deferral
    with write_tx(engine) as conn:
        store.catch_up(conn)
    assert set(_ids(search(engine, "nuclear"))) == {"08TOKYO100", "08TOKYO200", "07MOSCOW300"}
    _assert_index_consistent(engine)


def test_the_index_builder_builds_the_partitions_at_once_on_connections_of_their_own(engine, monkeypatch):
    """Each partition's build waits at a barrier for the other: built one after the
    other (or on one connection), the first would time out and the builder report it."""
    _pg_only(engine)
    import threading

    from refdb.service.search_fill import IndexBuilder, SearchFiller

    barrier = threading.Barrier(len(store.PG_PARTITIONS), timeout=30)
    backends: dict[str, int] = {}
    real_build = store.build_index

    def build_at_once(conn, partition=None):  # type: ignore[no-untyped-def]
        backends[partition] = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        barrier.wait()
        real_build(conn, partition)

    monkeypatch.setattr(store, "build_index", build_at_once)
    _store_deferred(engine, CABLES)
    filler = SearchFiller(engine)
    filler.add([c.published_id for c in CABLES])
    builder = IndexBuilder(engine, filler)
    builder.finish()
    assert builder.error is None
    assert set(backends) == set(store.PG_PARTITIONS)
    assert len(set(backends.values())) == len(store.PG_PARTITIONS)  # one backend each
    assert _gin_indexes(engine) == ALL_GIN


def test_an_abandoned_index_builder_stops_the_filler_and_catching_up_does_the_rest(engine):
    _pg_only(engine)
    from refdb.service.search_fill import IndexBuilder, SearchFiller

    _store_deferred(engine, CABLES)
    filler = SearchFiller(engine)
    builder = IndexBuilder(engine, filler)
    builder.abandon()
    filler.add(["08TOKYO100"])  # after abandoning: never done
    assert filler.filled == 0
    with write_tx(engine) as conn:
        store.catch_up(conn)
    assert _gin_indexes(engine) == ALL_GIN
    _assert_index_consistent(engine)


def test_an_abandoned_filler_stops_and_leaves_the_rest_to_catching_up(engine):
    _pg_only(engine)
    from refdb.service.search_fill import SearchFiller

    _store_deferred(engine, CABLES)
    filler = SearchFiller(engine)
    filler.close(abandon=True)
    filler.add(["08TOKYO100"])  # after close: never done
    assert filler.filled == 0
    with write_tx(engine) as conn:
        store.catch_up(conn)
    _assert_index_consistent(engine)


def test_a_widened_filler_fills_on_two_connections_at_once(engine, monkeypatch):
    """Each fill waits at a barrier for the other: with one connection the first
    would time out and the filler report it."""
    _pg_only(engine)
    import threading

    from refdb.service import search_fill

    monkeypatch.setattr(search_fill, "MAX_IDS", 1)  # one batch per statement: two to share
    barrier = threading.Barrier(2, timeout=30)
    backends: set[int] = set()
    real_fill = store.fill

    def fill_at_once(conn, cable_ids):  # type: ignore[no-untyped-def]
        backends.add(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar())
        barrier.wait()
        real_fill(conn, cable_ids)

    monkeypatch.setattr(store, "fill", fill_at_once)
    _store_deferred(engine, CABLES)
    filler = search_fill.SearchFiller(engine)
    filler.add([c.published_id for c in CABLES[:2]])
    filler.add([c.published_id for c in CABLES[2:]])
    filler.widen()
    filler.close()
    assert (filler.error, filler.filled, len(backends)) == (None, len(CABLES), 2)
    with read_tx(engine) as conn:
        assert store.integrity_check(conn)


def test_a_filler_widened_while_the_index_builder_waits_for_it_still_ends(engine):
    """As the ingest does: the builder may already wait in close() when resolving
    ends and the filler is widened; the build waits for the new connection too."""
    _pg_only(engine)
    from refdb.service.search_fill import IndexBuilder, SearchFiller

    _store_deferred(engine, CABLES)
    filler = SearchFiller(engine)
    filler.add([c.published_id for c in CABLES[:2]])
    builder = IndexBuilder(engine, filler)
    filler.add([c.published_id for c in CABLES[2:]])  # the writer's last batch, late
    filler.widen()
    builder.finish()
    assert (builder.error, filler.error, filler.filled) == (None, None, len(CABLES))
    assert _gin_indexes(engine) == ALL_GIN
    with read_tx(engine) as conn:
        assert store.integrity_check(conn)


def test_an_abandoned_filler_is_not_widened(engine):
    _pg_only(engine)
    from refdb.service.search_fill import SearchFiller

    _store_deferred(engine, CABLES)
    filler = SearchFiller(engine)
    filler.close(abandon=True)
    filler.widen()
    filler.add(["08TOKYO100"])
    filler.close()
    assert filler.filled == 0
