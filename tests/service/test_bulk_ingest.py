"""What a large ingest does differently: it defers the SQLite search index and
rebuilds it once at the end, and resolves in forked worker processes.  Both must give
exactly what the small, row-by-row path gives, also after an interruption."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from refdb.model import Candidate, Resolution, Status
from refdb.service.check import SEARCH_DEFERRED, check
from refdb.service.ingest import DEFER_SEARCH_AFTER, ingest_parsed
from refdb.service.resolve import resolve_all, resolve_pending
from refdb.service.search import search
from refdb.store import search as search_store
from refdb.store import writes

from .factory import cable, ref

# 24 cables of one post; each cites the one before and the one two before, so the
# references of later batches wait for and link to cables of earlier ones.
CABLES = [
    cable(
        f"08TOKYO{n}",
        f"2008-03-{n - 99:02d} 10:00",
        tuple(ref(i, letter, f"08TOKYO{n - back}") for i, (letter, back) in enumerate((("A", 1), ("B", 2))) if n - back >= 100),
        subject=f"SUBJECT WORD{n}",
    )
    for n in range(100, 124)
]
BATCH = 2  # so the run writes 12 batches: past DEFER_SEARCH_AFTER


def _deferred(engine) -> bool:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return search_store.is_deferred(conn)


def _resolutions(engine) -> list[tuple]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return list(
            conn.exec_driver_sql(
                "SELECT citing_id, ordinal, status, method, confidence, target_id, resolved_id, wait_id, reason,"
                " evidence, candidates FROM reference ORDER BY citing_id, ordinal"
            )
        )


def test_a_large_ingest_defers_the_search_index_and_rebuilds_it(engine):
    report = ingest_parsed(engine, CABLES, batch_size=BATCH)
    assert report.search_index_deferred
    if engine.dialect.name == "postgresql":
        # Vectors computed behind the writer, the rest caught up at the end.
        assert 0 < report.search_vectors_filled_behind <= len(CABLES)
    assert not _deferred(engine)
    result = check(engine)
    assert result.ok, result.problems
    # Cables stored before and after the deferral are all found.
    for n in (100, 100 + BATCH * DEFER_SEARCH_AFTER + 1, 123):
        assert [r["id"] for r in search(engine, f"word{n}")] == [f"08TOKYO{n}"]


def test_a_small_ingest_into_a_larger_database_keeps_the_index_row_by_row(engine):
    ingest_parsed(engine, CABLES[:20], batch_size=BATCH)
    report = ingest_parsed(engine, CABLES[20:], batch_size=1)  # 4 batches, fewer cables than stored
    assert not report.search_index_deferred
    assert [r["id"] for r in search(engine, "word123")] == ["08TOKYO123"]


class Interrupted(Exception):
    pass


def _cut_after(n: int):  # type: ignore[no-untyped-def]
    for i, c in enumerate(CABLES):
        if i == n:
            raise Interrupted
        yield c


@pytest.mark.parametrize("finish", ["ingest-again", "search", "reindex"])
def test_an_interrupted_large_ingest_leaves_a_deferred_index_that_is_finished_later(engine, finish):
    with pytest.raises(Interrupted):
        ingest_parsed(engine, _cut_after(20), batch_size=BATCH)
    assert _deferred(engine)
    result = check(engine)
    assert SEARCH_DEFERRED in {p.kind for p in result.problems}
    assert result.damaged == [], result.damaged  # an interrupted run, not damage
    if finish == "ingest-again":
        ingest_parsed(engine, CABLES, batch_size=BATCH)
    elif finish == "reindex":
        from refdb.service.search import reindex

        assert reindex(engine)
    # search brings a deferred index up to date itself before it answers
    assert [r["id"] for r in search(engine, "word119")] == ["08TOKYO119"]
    assert not _deferred(engine)
    with engine.connect() as conn:
        assert search_store.integrity_check(conn)


@pytest.mark.parametrize("jobs", [2, 3])
def test_resolving_in_worker_processes_gives_what_resolving_here_gives(engine, jobs):
    ingest_parsed(engine, CABLES, batch_size=BATCH, resolve=False)
    resolve_pending(engine)
    here = _resolutions(engine)
    assert sum(1 for r in here if r[2] == "resolved") == 2 * len(CABLES) - 3
    # Forget every outcome, then resolve everything again in workers.
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE reference SET status = 'unresolved', method = NULL, target_id = NULL, reason = 'pending'"))
        writes.mark_all_pending(conn)
    report = resolve_pending(engine, jobs=jobs, parallel_min_items=1)
    assert report.references == len(here)
    assert report.newly_resolved == 2 * len(CABLES) - 3
    assert _resolutions(engine) == here


def test_resolve_all_flags_every_cable(engine):
    ingest_parsed(engine, CABLES, batch_size=BATCH)
    assert resolve_all(engine).references == 2 * len(CABLES) - 3


def test_references_waiting_for_a_chunk_are_found_through_indexes(engine):
    """The query a resolve pass runs for every chunk must not scan a table: it did when
    joined with cable, which made a pass quadratic in the corpus size."""
    from refdb.store.queries import waiting_for_statement

    with engine.connect() as conn:
        statement = waiting_for_statement(conn, ["08TOKYO100", "08TOKYO101"])
        if engine.dialect.name == "sqlite":
            sql = str(statement.compile(conn, compile_kwargs={"literal_binds": True}))
            plan = " | ".join(str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert "MULTI-INDEX OR" in plan and "SCAN" not in plan, plan
        else:  # PostgreSQL plans by statistics: on an empty table it may scan; check the answer
            ingest_parsed(engine, CABLES[:4], batch_size=BATCH)
            rows = conn.execute(statement).all()
            assert sorted((r.citing_id, r.cited_id) for r in rows) == [
                ("08TOKYO101", "08TOKYO100"), ("08TOKYO102", "08TOKYO100"), ("08TOKYO102", "08TOKYO101"), ("08TOKYO103", "08TOKYO101")
            ]


def test_membership_statements_keep_one_text_on_postgresql_whatever_the_values(engine):
    """A resolve pass and a bulk ingest ask ``id IN (...)`` once per chunk.  On
    PostgreSQL the values go as one array, so the statement text (which psycopg parses
    again whenever it is new and over 4 KB) is the same for every chunk."""
    from refdb.store.membership import one_of
    from refdb.store.tables import Cable

    column = Cable.__table__.c.id
    ingest_parsed(engine, CABLES[:4], batch_size=BATCH)
    with engine.connect() as conn:

        def ids(values):  # type: ignore[no-untyped-def]
            statement = sa.select(column).where(one_of(conn, column, values)).order_by(column)
            return str(statement.compile(conn)), list(conn.execute(statement).scalars())

        few, found_few = ids(["08TOKYO101", "08TOKYO999"])
        many, found_many = ids([f"08TOKYO{n}" for n in range(900)] + ["O'BRIEN"])
        none, found_none = ids([])
    assert found_few == ["08TOKYO101"]
    assert found_many == ["08TOKYO100", "08TOKYO101", "08TOKYO102", "08TOKYO103"]
    assert found_none == []
    if engine.dialect.name == "postgresql":
        assert few == many == none and "ANY" in few
    else:
        assert "IN" in few


@pytest.mark.parametrize(
    "resolutions",
    [
        # (ordinal of 08TOKYO102's item, resolution, what it waits for)
        [(0, Resolution(Status.RESOLVED, "exact", 1.0, "08TOKYO101", "08TOKYO101", evidence=("id", "o'brien")), None),
         (1, Resolution(Status.UNRESOLVED, reason="not_stored"), "08TOKYO100")],
        # every text value null: PostgreSQL's arrays carry no value to tell their type by
        [(0, Resolution(Status.UNRESOLVED), None), (1, Resolution(Status.UNRESOLVED), None)],
        [(1, Resolution(Status.AMBIGUOUS, "fuzzy", 0.5, reason="two",
                        candidates=(Candidate("08TOKYO100", 0.5, "serial"), Candidate("08TOKYO101", 0.5, "serial"))), None)],
    ],
    ids=["mixed", "all-null", "one-row"],
)
def test_resolutions_are_written_back_as_given(engine, resolutions):
    """``write_resolutions`` (one statement over arrays on PostgreSQL, an executemany
    elsewhere) writes each row's own values, nulls included, and touches no other row."""
    ingest_parsed(engine, CABLES[:3], batch_size=BATCH)
    before = {(r[0], r[1]): r for r in _resolutions(engine)}
    with engine.begin() as conn:
        ids = dict(conn.exec_driver_sql("SELECT ordinal, id FROM reference WHERE citing_id = '08TOKYO102'").all())
        writes.write_resolutions(conn, [writes.resolution_row(ids[o], res, wait) for o, res, wait in resolutions])
    after = {(r[0], r[1]): r for r in _resolutions(engine)}
    for o, res, wait in resolutions:
        row = writes.resolution_row(ids[o], res, wait)
        expected = ("08TOKYO102", o, *(row[c] for c in ("status", "method", "confidence", "target_id", "resolved_id",
                                                          "wait_id", "reason", "evidence", "candidates")))
        assert tuple(after.pop(("08TOKYO102", o))) == expected
        before.pop(("08TOKYO102", o))
    assert after == before


def test_postgresql_plans_every_statement_for_its_values(engine):
    """A generic plan cached while a bulk ingest's tables were small stayed a sequential
    scan as they grew (storing 251k cables went quadratic): refdb's PostgreSQL sessions
    plan each statement for its own values."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_custom_plan"
        # ... and price random reads as cached ones, so that a chunk's IDs are looked up
        # through the indexes rather than by scanning the table.
        assert conn.exec_driver_sql("SHOW random_page_cost").scalar() == "1.1"


def test_a_bulk_ingest_refreshes_planner_statistics_each_time_the_database_doubles(engine, monkeypatch):
    """PostgreSQL without statistics scans a whole table for ``id = ANY(900 IDs)``, and
    nothing else samples them while autovacuum is off."""
    import refdb.service.ingest as ingest_service

    sizes = []
    real = writes.refresh_statistics

    def counting(conn):  # type: ignore[no-untyped-def]
        sizes.append(conn.execute(sa.text("SELECT count(*) FROM cable")).scalar())
        real(conn)

    monkeypatch.setattr(ingest_service, "STATISTICS_FROM", 4)
    monkeypatch.setattr(writes, "refresh_statistics", counting)
    ingest_parsed(engine, CABLES, batch_size=BATCH)
    assert sizes == [4, 8, 16]  # 24 cables in batches of 2: each time the count doubled
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            sampled = set(
                conn.exec_driver_sql("SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema()").scalars()
            )
            assert set(writes.GROWN_TABLES) <= sampled
        else:  # SQLite's planner is left to its defaults: no sqlite_stat1
            assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar() == 0
