"""SQLite: a large ingest builds its deferred search index in a file beside the
database while it resolves, and copies it in (``refdb.store.search_side``).  The copy
must index exactly what a rebuild in place would, and must never be made from a
snapshot that cables written meanwhile have made stale."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from refdb.service.ingest import ingest, ingest_parsed
from refdb.service.search import search
from refdb.service.search_fill import SideIndexBuilder
from refdb.store import search as search_store
from refdb.store import search_side, writes
from refdb.store.engine import create, read_tx, write_tx
from refdb.store.migrate import ensure_schema

from .factory import cable

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# Words of the seed cables (real cables): single words, a stem match, and a phrase.
QUERIES = ["nuclear", "embassy", "minister", "elections", '"prime minister"', "treaty", "pakistan"]

CABLES = [cable(f"08TOKYO{n}", f"2008-03-{n - 99:02d} 10:00", subject=f"SUBJECT WORD{n}") for n in range(100, 112)]


@pytest.fixture
def sqlite_engine(tmp_path):
    eng = create(f"sqlite:///{tmp_path / 'refdb.sqlite'}")
    ensure_schema(eng)
    yield eng
    eng.dispose()


def _answers(engine) -> dict[str, list[tuple[str, float]]]:  # type: ignore[no-untyped-def]
    return {q: [(r["id"], round(r["score"], 9)) for r in search(engine, q, limit=50)] for q in QUERIES}


def _integrity(engine) -> bool:  # type: ignore[no-untyped-def]
    with read_tx(engine) as conn:
        return search_store.integrity_check(conn)


def _deferred(engine) -> bool:  # type: ignore[no-untyped-def]
    with read_tx(engine) as conn:
        return search_store.is_deferred(conn)


def _defer(engine) -> None:  # type: ignore[no-untyped-def]
    with write_tx(engine) as conn:
        search_store.defer(conn, datetime(2026, 12, 7, 6, 0, 0, 123456))


def _built(engine) -> search_side.SideBuild:  # type: ignore[no-untyped-def]
    """A side build that has made one pass over what is stored."""
    build = search_side.SideBuild(search_side.database_file(engine))
    build.start()
    assert build.catch_up()
    return build


def _changes(engine) -> int:  # type: ignore[no-untyped-def]
    with read_tx(engine) as conn:
        return conn.exec_driver_sql("SELECT changes FROM deferred_index WHERE name = 'search'").scalar_one()


def test_real_cables_indexed_beside_answer_as_the_row_by_row_index_does(tmp_path):
    beside = create(f"sqlite:///{tmp_path / 'beside.sqlite'}")
    by_row = create(f"sqlite:///{tmp_path / 'by_row.sqlite'}")
    for eng in (beside, by_row):
        ensure_schema(eng)
    # One cable a batch: the ingest defers the index after a few batches.
    report = ingest(beside, [str(SEEDS)], batch_size=1)
    assert report.search_index_deferred and report.search_index_built_beside
    assert report.stored == 19
    assert not _deferred(beside)
    assert not os.path.exists(str(tmp_path / "beside.sqlite") + search_side.SUFFIX)
    assert not ingest(by_row, [str(SEEDS)]).search_index_deferred
    answers = _answers(beside)
    assert all(answers[q] for q in ("nuclear", "embassy", '"prime minister"')), answers
    assert answers == _answers(by_row)
    assert _integrity(beside)
    # The triggers keep the copied index from here on, as after a rebuild.
    with write_tx(beside) as conn:
        conn.exec_driver_sql("UPDATE cable SET text = text || ' quokkaword' WHERE id = '08OSLO452'")
    assert [r["id"] for r in search(beside, "quokkaword")] == ["08OSLO452"]
    assert _integrity(beside)
    for eng in (beside, by_row):
        eng.dispose()


@pytest.mark.parametrize(
    "write",
    [
        (
            "INSERT INTO cable (id, text, format, id_source, source, content_hash, ingested_at, subject)"
            " SELECT '08TOKYO999', text, format, id_source, source, 'x', ingested_at, subject FROM cable WHERE id = '08TOKYO100'"
        ),
        "UPDATE cable SET text = 'nothing here' WHERE id = '08TOKYO101'",
        "UPDATE cable SET subject = 'OTHER' WHERE id = '08TOKYO101'",
        "DELETE FROM cable WHERE id = '08TOKYO102'",
    ],
    ids=["insert", "update-text", "update-subject", "delete"],
)
def test_a_cable_written_after_a_pass_makes_the_build_stale(sqlite_engine, write):
    ingest_parsed(sqlite_engine, CABLES, resolve=False)
    _defer(sqlite_engine)
    build = _built(sqlite_engine)
    assert build.first == build.last and build.last.changes == 0 and build.last.cables == len(CABLES)
    with write_tx(sqlite_engine) as conn:
        conn.exec_driver_sql(write)
    assert _changes(sqlite_engine) == 1  # counted by the triggers of revision 0008
    assert build.adopt() is False
    assert _deferred(sqlite_engine)  # nothing written: the deferral stands
    build.discard()
    with write_tx(sqlite_engine) as conn:
        assert search_store.rebuild_if_deferred(conn)
    assert _integrity(sqlite_engine)


def test_an_unchanged_snapshot_is_copied_in_and_ends_the_deferral(sqlite_engine):
    ingest_parsed(sqlite_engine, CABLES, resolve=False)
    _defer(sqlite_engine)
    with write_tx(sqlite_engine) as conn:  # written while deferred: not in the index yet
        conn.exec_driver_sql("UPDATE cable SET subject = 'SUBJECT QUOKKA' WHERE id = '08TOKYO105'")
    assert _changes(sqlite_engine) == 1
    build = _built(sqlite_engine)
    assert build.last == search_side.Snapshot(since="2026-12-07 06:00:00.123456", changes=1, cables=12, top=12)
    assert build.adopt() is True
    build.discard()
    assert not _deferred(sqlite_engine)
    assert _integrity(sqlite_engine)
    assert [r["id"] for r in search(sqlite_engine, "quokka")] == ["08TOKYO105"]
    assert [r["id"] for r in search(sqlite_engine, "word111")] == ["08TOKYO111"]


def test_a_new_deferral_since_the_snapshot_is_not_taken_for_the_old_one(sqlite_engine):
    ingest_parsed(sqlite_engine, CABLES, resolve=False)
    _defer(sqlite_engine)
    build = _built(sqlite_engine)
    with write_tx(sqlite_engine) as conn:  # another ingest rebuilt, then deferred again
        search_store.rebuild(conn)
        search_store.defer(conn, datetime(2026, 12, 7, 7, 0))
    assert _changes(sqlite_engine) == build.last.changes == 0
    assert build.catch_up() is False  # a pass sees it too
    assert build.adopt() is False
    build.discard()


def test_nothing_is_built_when_the_index_is_not_deferred(sqlite_engine):
    ingest_parsed(sqlite_engine, CABLES, resolve=False)
    build = search_side.SideBuild(search_side.database_file(sqlite_engine))
    build.start()
    assert build.catch_up() is False
    build.discard()
    builder = SideIndexBuilder(search_side.SideBuild(search_side.database_file(sqlite_engine)))
    assert builder.finish() is False
    assert not os.path.exists(build.path)


def test_the_count_moves_only_while_the_index_is_deferred(sqlite_engine):
    ingest_parsed(sqlite_engine, CABLES[:3], resolve=False)
    _defer(sqlite_engine)
    with write_tx(sqlite_engine) as conn:
        search_store.rebuild(conn)  # ends the deferral
        conn.exec_driver_sql("UPDATE cable SET text = 'x' WHERE id = '08TOKYO100'")
    _defer(sqlite_engine)
    assert _changes(sqlite_engine) == 0
    with write_tx(sqlite_engine) as conn:
        writes.save_cables(conn, CABLES[3:5], datetime(2026, 12, 7))  # two inserts
        conn.exec_driver_sql("UPDATE cable SET tags = 'PREL' WHERE id = '08TOKYO100'")  # not subject or text
    assert _changes(sqlite_engine) == 2


def test_an_abandoned_build_leaves_no_file_and_the_deferral_standing(sqlite_engine):
    ingest_parsed(sqlite_engine, CABLES, resolve=False)
    _defer(sqlite_engine)
    build = search_side.SideBuild(search_side.database_file(sqlite_engine))
    build.interrupt()  # before it starts: it stops at its first statement
    builder = SideIndexBuilder(build)
    builder.abandon()
    assert builder.error is not None
    assert not os.path.exists(build.path)
    assert _deferred(sqlite_engine)


def test_a_stale_side_file_from_a_killed_build_is_replaced(sqlite_engine):
    ingest_parsed(sqlite_engine, CABLES, resolve=False)
    _defer(sqlite_engine)
    build = search_side.SideBuild(search_side.database_file(sqlite_engine))
    Path(build.path).write_bytes(b"not a database")
    build.start()
    assert build.catch_up()
    assert build.adopt() is True
    build.discard()
    assert _integrity(sqlite_engine)


def test_nothing_is_built_beside_other_databases(engine):
    file = search_side.database_file(engine)
    if engine.dialect.name == "sqlite":
        assert file is not None and os.path.exists(file)
    else:
        assert file is None


def test_an_ingest_whose_cables_change_behind_the_build_rebuilds_in_place(sqlite_engine, monkeypatch):
    """Another process rewrites a cable after a pass has indexed it: the build is stale,
    so the ingest rebuilds in place."""
    real_catch_up = search_side.SideBuild.catch_up

    def catch_up_then_a_writer(self):  # type: ignore[no-untyped-def]
        went_on = real_catch_up(self)
        with write_tx(sqlite_engine) as conn:
            conn.exec_driver_sql("UPDATE cable SET subject = 'SUBJECT QUOKKA' WHERE id = '08TOKYO103'")
        return went_on

    monkeypatch.setattr(search_side.SideBuild, "catch_up", catch_up_then_a_writer)
    report = ingest_parsed(sqlite_engine, CABLES, batch_size=2)
    assert report.search_index_deferred and not report.search_index_built_beside
    assert not _deferred(sqlite_engine)
    assert _integrity(sqlite_engine)
    assert [r["id"] for r in search(sqlite_engine, "quokka")] == ["08TOKYO103"]
    assert not os.path.exists(search_side.database_file(sqlite_engine) + search_side.SUFFIX)


def test_passes_index_what_was_stored_since_the_last(sqlite_engine):
    ingest_parsed(sqlite_engine, CABLES[:6], resolve=False)
    _defer(sqlite_engine)
    build = _built(sqlite_engine)
    for part in (CABLES[6:9], CABLES[9:]):
        with write_tx(sqlite_engine) as conn:
            writes.save_cables(conn, part, datetime(2026, 12, 7))
        assert build.catch_up()
    assert (build.first.cables, build.last.cables, build.last.changes) == (6, 12, 6)  # six inserts counted
    assert build.adopt() is True
    build.discard()
    assert _integrity(sqlite_engine)
    assert [r["id"] for r in search(sqlite_engine, "word111")] == ["08TOKYO111"]


def test_a_cable_stored_after_the_last_pass_makes_the_build_stale(sqlite_engine):
    ingest_parsed(sqlite_engine, CABLES[:6], resolve=False)
    _defer(sqlite_engine)
    build = _built(sqlite_engine)
    with write_tx(sqlite_engine) as conn:
        writes.save_cables(conn, CABLES[6:7], datetime(2026, 12, 7))
    assert build.adopt() is False
    build.discard()


def test_a_delete_and_an_insert_between_passes_make_the_build_stale(sqlite_engine):
    """The count of cables is back where it was, but the count of writes is not."""
    ingest_parsed(sqlite_engine, CABLES[:6], resolve=False)
    _defer(sqlite_engine)
    build = _built(sqlite_engine)
    with write_tx(sqlite_engine) as conn:
        conn.exec_driver_sql("DELETE FROM cable WHERE id = '08TOKYO101'")
        writes.save_cables(conn, CABLES[6:7], datetime(2026, 12, 7))
    assert build.catch_up()
    assert build.last.cables == build.first.cables
    assert build.adopt() is False
    build.discard()


def test_resolving_stays_in_process_while_the_index_is_built_beside(engine, monkeypatch):
    """The build takes a core: forked resolve workers would only compete with it, and
    each would copy the lookup pages it reads."""
    import refdb.service.ingest as ingest_module

    asked: list[int] = []
    real_resolve = ingest_module.resolve_pending

    def recording(engine, *, jobs=1, **kw):  # type: ignore[no-untyped-def]
        asked.append(jobs)
        return real_resolve(engine, jobs=jobs, **kw)

    monkeypatch.setattr(ingest_module, "resolve_pending", recording)
    ingest_parsed(engine, CABLES[:4], batch_size=2, resolve_jobs=2)  # small: no deferral
    report = ingest_parsed(engine, CABLES[4:], batch_size=1, resolve_jobs=2)
    assert report.search_index_deferred
    beside = engine.dialect.name == "sqlite"
    assert report.search_index_built_beside is beside
    assert asked == [2, 1 if beside else 2]


def test_a_side_file_lost_before_the_copy_means_a_rebuild_in_place(sqlite_engine):
    """Say another command removed it (``discard_side_build``) while this ingest built."""
    ingest_parsed(sqlite_engine, CABLES, resolve=False)
    _defer(sqlite_engine)
    build = search_side.SideBuild(search_side.database_file(sqlite_engine))
    builder = SideIndexBuilder(build)
    builder._thread.join()
    os.remove(build.path)
    assert builder.finish() is False
    assert builder.error is not None
    assert _deferred(sqlite_engine)  # nothing copied: the ingest rebuilds in place next
    assert not os.path.exists(build.path)


def test_a_side_file_left_by_a_killed_ingest_goes_when_the_index_is_finished(sqlite_engine):
    from refdb.service.search import discard_side_build, reindex

    ingest_parsed(sqlite_engine, CABLES, resolve=False)
    _defer(sqlite_engine)
    leftover = search_side.database_file(sqlite_engine) + search_side.SUFFIX
    Path(leftover).write_bytes(b"x" * 1000)
    assert [r["id"] for r in search(sqlite_engine, "word105")] == ["08TOKYO105"]  # finishes the deferral
    assert not os.path.exists(leftover)
    Path(leftover).write_bytes(b"x")
    assert reindex(sqlite_engine)
    assert not os.path.exists(leftover)
    discard_side_build(sqlite_engine)  # nothing there: no error
