"""`refdb check`: a clean database passes; each kind of damage is reported in one line
(service and CLI, text and JSON), on SQLite and PostgreSQL.

The database is filled through the storage layer and resolved by a trivial exact-ID
rule here, so these tests do not depend on the parser or the resolver: they are about
what check sees, however the rows got there.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from refdb.cli.app import app
from refdb.errors import NotFound
from refdb.service.check import UNFINISHED, check
from refdb.store import migrate, writes
from refdb.store.engine import create, write_tx
from refdb.store.tables import ManualDecision

from .helpers import SPECS, store_and_resolve

CABLE, REFERENCE, MENTION = writes.CABLE, writes.REFERENCE, writes.MENTION
DECISION = ManualDecision.__table__


def _a_linked_ref(conn):
    return conn.execute(
        sa.select(REFERENCE).where(REFERENCE.c.status == "resolved").order_by(REFERENCE.c.citing_id, REFERENCE.c.ordinal)
    ).first()


def _an_attached_mention(conn):
    return conn.execute(
        sa.select(MENTION).where(MENTION.c.ref_ordinal.is_not(None)).order_by(MENTION.c.citing_id, MENTION.c.ordinal)
    ).first()


def _without_foreign_keys(engine, fn) -> None:
    """Run ``fn(conn)`` with foreign keys not enforced: damage a bug or a hand edit could leave."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            raw = conn.connection.driver_connection  # the pragma is a no-op inside a transaction
            raw.execute("PRAGMA foreign_keys=OFF")
            with conn.begin():
                fn(conn)
            raw.execute("PRAGMA foreign_keys=ON")
        else:
            with conn.begin():
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")  # FK triggers off
                fn(conn)


# --- one kind of damage per row ---------------------------------------------------------------


def pending_left(conn):
    writes.mark_pending(conn, [SPECS[3].id.canonical])


def orphan_reference(conn):
    conn.execute(
        sa.insert(REFERENCE).values(
            citing_id="99GHOST1", ordinal=0, block=0, raw="TOKYO 1", kind="cable", status="unresolved", confidence=0.0
        )
    )


def orphan_mention(conn):
    conn.execute(
        sa.insert(MENTION).values(
            citing_id="99GHOST1", ordinal=0, ref_ordinal=None, letter="A", form="letter", text="(REF A)",
            start_offset=0, end_offset=7,
        )
    )


def link_to_missing(conn):
    r = _a_linked_ref(conn)
    conn.execute(sa.update(REFERENCE).where(REFERENCE.c.id == r.id).values(target_id="99NOWHERE1"))


def mention_without_item(conn):
    m = _an_attached_mention(conn)
    conn.execute(sa.update(MENTION).where(MENTION.c.id == m.id).values(ref_ordinal=42))


def duplicate_mention(conn):
    m = _an_attached_mention(conn)
    row = {k: v for k, v in m._mapping.items() if k != "id"}
    conn.execute(sa.insert(MENTION).values(**row))


def resolved_without_target(conn):
    r = _a_linked_ref(conn)
    conn.execute(sa.update(REFERENCE).where(REFERENCE.c.id == r.id).values(target_id=None))


def target_on_unresolved(conn):
    r = conn.execute(sa.select(REFERENCE).where(REFERENCE.c.status == "unresolved")).first()
    conn.execute(sa.update(REFERENCE).where(REFERENCE.c.id == r.id).values(target_id=SPECS[0].id.canonical))


def unknown_status(conn):
    r = _a_linked_ref(conn)
    conn.execute(sa.update(REFERENCE).where(REFERENCE.c.id == r.id).values(status="maybe", target_id=None))


def never_resolved(conn):
    r = _a_linked_ref(conn)
    conn.execute(
        sa.update(REFERENCE).where(REFERENCE.c.id == r.id).values(status="unresolved", target_id=None, reason="pending")
    )


def _decision(conn, ordinal: int, raw: str, letter: str | None) -> None:
    r = _a_linked_ref(conn)
    conn.execute(
        sa.insert(DECISION).values(
            citing_id=r.citing_id, ordinal=ordinal, letter=letter, raw=raw, action="link", target_id=r.target_id,
            author="tester", decided_at=datetime(2024, 1, 2),
        )
    )


def stale_decision_text(conn):
    r = _a_linked_ref(conn)
    _decision(conn, r.ordinal, "TOKYO 999 (the text before re-ingest)", r.letter)


def stale_decision_item_gone(conn):
    _decision(conn, 17, "TOKYO 999", None)


DAMAGE = [
    # (id, damage, needs foreign keys off, kind reported, words in the line)
    ("pending", pending_left, False, UNFINISHED, ["resolution unfinished", SPECS[3].id.canonical, "refdb resolve"]),
    ("orphan-reference", orphan_reference, True, "orphan_references", ["99GHOST1 item 1"]),
    ("orphan-mention", orphan_mention, True, "orphan_mentions", ["99GHOST1 mention 1"]),
    ("link-to-missing", link_to_missing, False, "links_to_missing_cables", ["-> 99NOWHERE1"]),
    ("mention-without-item", mention_without_item, False, "mentions_without_item", ["'(REF A)' -> item 43"]),
    ("duplicate-mention", duplicate_mention, False, "duplicate_mentions", ["x2"]),
    ("resolved-no-target", resolved_without_target, False, "status_target_mismatch", ["resolved -> nothing"]),
    ("target-on-unresolved", target_on_unresolved, False, "status_target_mismatch", ["unresolved -> "]),
    ("unknown-status", unknown_status, False, "unknown_status", ["'maybe'"]),
    ("never-resolved", never_resolved, False, "never_resolved", ["refdb resolve --all"]),
    ("stale-decision-text", stale_decision_text, False, "stale_manual_decisions", ["now 'TOKYO", "made on 'TOKYO 999"]),
    ("stale-decision-gone", stale_decision_item_gone, False, "stale_manual_decisions", ["item 18", "no such item"]),
]


def test_clean_database_passes(engine, db_url):
    store_and_resolve(engine)
    report = check(engine)
    assert report.ok, report.problems
    assert report.counts["cables"] == len(SPECS)
    assert report.counts["references"] == sum(len(s.items) for s in SPECS)
    assert report.counts["catalogue_ids"] == len(SPECS)
    assert sum(report.references_by_status.values()) == report.counts["references"]
    result = CliRunner().invoke(app, ["check", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "ok: no problems found" in result.stdout
    assert f"cables: {len(SPECS)} (0 pending resolution)" in result.stdout


@pytest.mark.parametrize("damage, fk_off, kind, words", [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_each_damage_is_one_problem_line(engine, db_url, damage, fk_off, kind, words):
    store_and_resolve(engine)
    if fk_off:
        _without_foreign_keys(engine, damage)
    else:
        with write_tx(engine) as conn:
            damage(conn)
    report = check(engine)
    assert [p.kind for p in report.problems] == [kind]
    (problem,) = report.problems
    assert problem.count == 1
    for w in words:
        assert w in problem.message

    result = CliRunner().invoke(app, ["check", "--db", db_url])
    assert result.exit_code == 1
    problem_lines = [line for line in result.stdout.splitlines() if line.startswith("problem: ")]
    assert problem_lines == [f"problem: {problem.message}"]
    assert "\n" not in problem.message

    result = CliRunner().invoke(app, ["check", "--db", db_url, "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [(p["kind"], p["count"]) for p in data["problems"]] == [(kind, 1)]


def test_many_problems_of_one_kind_show_a_few_examples(engine):
    store_and_resolve(engine)
    with write_tx(engine) as conn:
        writes.mark_all_pending(conn)
    (problem,) = check(engine).problems
    assert problem.count == len(SPECS)
    assert len(problem.examples) == 5
    assert f"and {len(SPECS) - 5} more" in problem.message


def test_outdated_schema_says_migrate_and_exits_3(db_url):
    eng = create(db_url)
    migrate.upgrade(eng, "0001")
    report = check(eng)
    eng.dispose()
    assert [p.kind for p in report.problems] == ["schema_outdated"]
    assert "0001" in report.problems[0].message and "refdb migrate" in report.problems[0].message
    result = CliRunner().invoke(app, ["check", "--db", db_url])
    assert result.exit_code == 3
    assert "problem: schema at revision 0001" in result.stdout


def test_check_never_creates_a_database(tmp_path):
    path = tmp_path / "absent.sqlite"
    with pytest.raises(NotFound):
        check(create(f"sqlite:///{path}"))
    result = CliRunner().invoke(app, ["check", "--db", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"Error: no database at {path}"
    assert not path.exists()


def test_empty_database_file_is_reported_not_migrated(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    result = CliRunner().invoke(app, ["check", "--db", str(path)])
    assert result.exit_code == 3
    assert "problem: the database is empty" in result.stdout
    eng = create(f"sqlite:///{path}")
    assert migrate.is_empty(eng)  # check did not create the schema
    eng.dispose()


def test_damaged_sqlite_file_is_one_error_line(tmp_path):
    """A file that is not a database (or was overwritten) fails in one line, no traceback."""
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    result = CliRunner().invoke(app, ["check", "--db", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith(f"Error: cannot open database sqlite:///{path}: ")
    assert "Traceback" not in result.output


def test_search_index_out_of_step_is_reported(tmp_path):
    """SQLite's full-text index is kept by triggers; if it drifts, check says how to rebuild."""
    url = f"sqlite:///{tmp_path / 'fts.sqlite'}"
    eng = create(url)
    migrate.ensure_schema(eng)
    store_and_resolve(eng)
    with write_tx(eng) as conn:  # the index forgets one cable (as a VACUUM renumbering rowids would cause)
        row = conn.execute(sa.text("SELECT rowid, subject, text FROM cable ORDER BY rowid LIMIT 1")).one()
        conn.execute(
            sa.text("INSERT INTO cable_fts(cable_fts, rowid, subject, text) VALUES ('delete', :r, :s, :t)"),
            {"r": row[0], "s": row[1], "t": row[2]},
        )
    report = check(eng)
    quick = check(eng, quick=True)  # --quick skips the checks that read the whole file
    assert [p.kind for p in report.problems] == ["search_index"]
    assert "refdb search --reindex" in report.problems[0].message
    assert quick.ok
    # What the message says to do mends it.
    assert CliRunner().invoke(app, ["search", "--reindex", "--db", url]).exit_code == 0
    assert check(eng).ok
    eng.dispose()


def test_a_read_only_sqlite_database_can_be_checked(tmp_path):
    """A copy opened read-only (an archive, a mounted snapshot) is checked without false
    problems: the search-index check, which needs the write lock, is left out."""
    path = tmp_path / "ro.sqlite"
    eng = create(f"sqlite:///{path}")
    migrate.ensure_schema(eng)
    store_and_resolve(eng)
    eng.dispose()
    result = CliRunner().invoke(app, ["check", "--db", f"sqlite:///file:{path}?mode=ro&uri=true"])
    assert result.exit_code == 0, result.output
    assert "ok: no problems found" in result.stdout
