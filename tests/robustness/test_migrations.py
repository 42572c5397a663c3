"""Migrations with data, on SQLite and PostgreSQL.

The revisions are read from the Alembic script directory, so a new revision is covered
without touching this file.  Rows are generated from the columns each table has *at
that revision* (reflected, not taken from today's models), with awkward values: quotes,
SQL, non-ASCII, newlines, maximum lengths.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import refdb.store.tables  # noqa: F401  (the model tables)
from refdb.store import migrate
from refdb.store import search as search_store
from refdb.store.engine import create

MODEL_TABLES = [t.name for t in SQLModel.metadata.sorted_tables]  # parents before children
WORD = "quokkaword"  # in every generated text: the search index must find old rows after an upgrade


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", migrate.script_location())
    return cfg


def _revisions() -> list[tuple[str, str | None]]:
    """(revision, down_revision), oldest first."""
    script = ScriptDirectory.from_config(_config())
    revs = list(script.walk_revisions())  # head first
    for s in revs:
        assert not isinstance(s.down_revision, tuple), f"{s.revision} is a merge revision: extend this test"
    return [(s.revision, s.down_revision) for s in reversed(revs)]


REVISIONS = _revisions()
FIRST = REVISIONS[0][0]


@pytest.fixture
def bare(db_url):
    """An engine on an empty database (no schema yet)."""
    eng = create(db_url)
    yield eng
    eng.dispose()


# --- generating rows from what a table looks like at a given revision -------------------------


def _awkward(i: int, length: int | None) -> str:
    s = f"{i}'\"; DROP TABLE cable; -- É✓\n{WORD} [/NOTAL] %s ?"
    if length is not None:
        s = (s * (length // len(s) + 1))[:length]  # exactly at the column's limit
    return s


def _value(col: dict, i: int, fk_values: list | None):  # type: ignore[no-untyped-def]
    if fk_values is not None:
        return fk_values[i % len(fk_values)]
    t = col["type"]
    if isinstance(t, sa.Boolean):
        return i % 2 == 0
    if isinstance(t, sa.DateTime):
        return datetime(2008, 4, 11, 6, 26, i)
    if isinstance(t, sa.Float):
        return 0.25 + i
    if isinstance(t, sa.Integer):
        return i + 1
    if isinstance(t, sa.String):  # also Text
        length = getattr(t, "length", None)
        if col["name"] == "id":
            return f"{i + 1:02d}TESTPOST{i + 1}"[: length or 80]
        return _awkward(i, length)
    raise AssertionError(f"no generator for column {col['name']} of type {t!r}: extend _value")


def _fill(
    conn: sa.Connection, tables: list[str], rows_per_table: int = 3, earlier: dict[str, list[dict]] | None = None
) -> dict[str, list[dict]]:
    """Insert rows into ``tables`` (model tables present in the database, in dependency
    order; foreign keys point at rows inserted here or ``earlier``); returns what was
    inserted, per table."""
    insp = sa.inspect(conn)
    inserted: dict[str, list[dict]] = {}
    parents = earlier or {}
    for name in tables:
        table = sa.Table(name, sa.MetaData(), autoload_with=conn)
        fks = {
            fk["constrained_columns"][0]: (fk["referred_table"], fk["referred_columns"][0])
            for fk in insp.get_foreign_keys(name)
        }
        rows = []
        for i in range(rows_per_table):
            row = {}
            for col in insp.get_columns(name):
                if col.get("computed"):
                    continue
                ref = fks.get(col["name"])
                fk_values = [r[ref[1]] for r in (inserted.get(ref[0]) or parents[ref[0]])] if ref else None
                row[col["name"]] = _value(col, i, fk_values)
            rows.append(row)
        conn.execute(sa.insert(table), rows)
        inserted[name] = rows
    return inserted


def _model_tables_present(conn: sa.Connection) -> list[str]:
    present = set(sa.inspect(conn).get_table_names())
    return [t for t in MODEL_TABLES if t in present]


def _pk(name: str) -> list[str]:
    return [c.name for c in SQLModel.metadata.tables[name].primary_key.columns]


def _row_count(conn: sa.Connection, table: str) -> int:
    return conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()


def _pending_ids(conn: sa.Connection) -> set[str]:
    return set(conn.exec_driver_sql("SELECT id FROM pending_cable").scalars())


def _flag_moved_to_pending_cable(conn: sa.Connection, rows: list[dict]) -> None:
    """Revision 0006 turned ``cable.links_pending`` into rows of ``pending_cable``."""
    flagged = {r["id"] for r in rows if r["links_pending"]}
    assert flagged, "the generated rows flag no cable: the move is not tested"
    assert flagged <= _pending_ids(conn), "cables flagged pending lost their flag in the move"


# Columns a revision moved on purpose, and the check that their data arrived.
MOVED = {("cable", "links_pending"): _flag_moved_to_pending_cable}


def _assert_rows_kept(conn: sa.Connection, inserted: dict[str, list[dict]]) -> None:
    for name, rows in inserted.items():
        table = sa.Table(name, sa.MetaData(), autoload_with=conn)
        gone = set(rows[0]) - set(table.c.keys())
        moved = {c for c in gone if (name, c) in MOVED}
        assert not gone - moved, f"{name}: columns dropped with their data: {sorted(gone - moved)}"
        for column in sorted(moved):
            MOVED[(name, column)](conn, rows)
        kept = [k for k in rows[0] if k not in moved]
        stored = [dict(r._mapping) for r in conn.execute(sa.select(table).order_by(*[table.c[k] for k in _pk(name)]))]
        expected = [{k: r[k] for k in kept} for r in sorted(rows, key=lambda r: tuple(r[k] for k in _pk(name)))]
        got = [{k: r[k] for k in kept} for r in stored]
        assert got == expected, f"{name}: rows changed by the migration"


def _schema(conn: sa.Connection) -> dict:
    """Everything a migration creates, as comparable data."""
    insp = sa.inspect(conn)
    out: dict = {}
    for name in sorted(insp.get_table_names()):
        out[name] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(name)],
            "pk": insp.get_pk_constraint(name)["constrained_columns"],
            "fks": sorted((f["constrained_columns"], f["referred_table"], f["options"].get("ondelete")) for f in insp.get_foreign_keys(name)),
            "indexes": sorted((i["name"], i["column_names"], bool(i["unique"])) for i in insp.get_indexes(name)),
            "uniques": sorted((u["name"], u["column_names"]) for u in insp.get_unique_constraints(name)),
        }
    # What reflection does not see: triggers and virtual tables (SQLite), expression
    # indexes (PostgreSQL).
    if conn.dialect.name == "sqlite":
        out["sqlite_master"] = sorted(
            conn.exec_driver_sql("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").all()
        )
    else:
        out["pg_indexes"] = sorted(
            conn.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            ).all()
        )
        out["pg_compression"] = sorted(  # columns given a compression method (0010)
            conn.exec_driver_sql(
                "SELECT c.relname, a.attname, a.attcompression FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                " WHERE c.relnamespace = current_schema()::regnamespace AND a.attcompression <> ''"
            ).all()
        )
    return out


# --- the tests -------------------------------------------------------------------------------


def test_data_at_the_first_revision_survives_upgrade_to_head(bare):
    migrate.upgrade(bare, FIRST)
    with bare.begin() as conn:
        tables = _model_tables_present(conn)
        assert tables, f"revision {FIRST} creates no model table"
        inserted = _fill(conn, tables)
    migrate.upgrade(bare, "head")
    assert migrate.current_revision(bare) == migrate.head_revision()
    with bare.connect() as conn:
        _assert_rows_kept(conn, inserted)
        if "cable" in inserted:
            # Derived structures built by later revisions cover rows stored before them.
            found = {r.id for r in search_store.search(conn, [[WORD]], search_store.Filters(), 50)}
            assert found == {r["id"] for r in inserted["cable"]}
            assert search_store.integrity_check(conn)
            # Exactly the flagged cables are pending (0006), the others are not.
            assert _pending_ids(conn) == {r["id"] for r in inserted["cable"] if r["links_pending"]}


def test_data_added_at_each_revision_survives_upgrade_to_head(bare):
    inserted: dict[str, list[dict]] = {}
    filled_by_migration: set[str] = set()  # new tables a revision's data migration filled
    for rev, _down in REVISIONS:
        migrate.upgrade(bare, rev)
        with bare.begin() as conn:
            new = [t for t in _model_tables_present(conn) if t not in inserted and t not in filled_by_migration]
            filled_by_migration.update(t for t in new if _row_count(conn, t))
            inserted.update(_fill(conn, [t for t in new if t not in filled_by_migration], earlier=inserted))
    assert filled_by_migration == {"pending_cable"}
    assert set(inserted) | filled_by_migration == set(MODEL_TABLES), "some model table is created by no revision"
    with bare.connect() as conn:
        _assert_rows_kept(conn, inserted)


@pytest.mark.parametrize("rev, down", REVISIONS, ids=[r for r, _ in REVISIONS])
def test_downgrade_then_upgrade_round_trip(bare, rev, down):
    migrate.upgrade(bare, rev)
    with bare.begin() as conn:
        inserted = _fill(conn, _model_tables_present(conn))
        before = _schema(conn)
    migrate.downgrade(bare, down or "base")
    assert migrate.current_revision(bare) == down
    with bare.connect() as conn:
        # Tables the downgrade keeps keep their rows, in the columns they had before
        # ``rev``: a column ``rev`` added goes with its downgrade (and comes back empty;
        # a column of an older revision that went missing would change the schema).
        kept = _columns_at(conn, inserted)
        _assert_rows_kept(conn, kept)
    migrate.upgrade(bare, rev)
    with bare.connect() as conn:
        assert _schema(conn) == before, f"downgrading {rev} and upgrading again changes the schema"
        _assert_rows_kept(conn, kept)


def _columns_at(conn: sa.Connection, inserted: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """``inserted``, limited to the tables and columns the database has now."""
    insp = sa.inspect(conn)
    out = {}
    for name in set(_model_tables_present(conn)) & set(inserted):
        columns = {c["name"] for c in insp.get_columns(name)}
        out[name] = [{k: v for k, v in row.items() if k in columns} for row in inserted[name]]
    return out


def test_models_and_migrations_agree(bare):
    """The equivalent of `alembic check`: autogenerate finds nothing to do at head."""
    migrate.upgrade(bare, "head")
    with bare.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": search_store.include_in_autogenerate}
        )
        assert compare_metadata(ctx, SQLModel.metadata) == []
        # And through migrations/env.py itself, with whatever it configures.
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.check(cfg)  # raises AutogenerateDiffsDetected on any difference


PROBE = '''"""probe: widen cable.signer (on SQLite, batch mode re-creates the table)

Revision ID: 9999
Revises: {head}
"""
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cable") as batch:
        batch.alter_column("signer", existing_type=sa.String(200), type_=sa.String(300))


def downgrade() -> None:
    with op.batch_alter_table("cable") as batch:
        batch.alter_column("signer", existing_type=sa.String(300), type_=sa.String(200))
'''


def test_a_later_revision_altering_cable_keeps_references_and_mentions(engine, tmp_path, monkeypatch):
    """On SQLite, altering ``cable`` re-creates it (batch mode): DROP TABLE cable with
    foreign keys on would cascade-delete every reference and mention.  The migration
    runner must switch foreign keys off around revisions; this probe revision (not
    shipped: written into a copy of the script directory) shows whether it does."""
    import shutil

    from .helpers import dump, store_and_resolve

    store_and_resolve(engine)
    before = dump(engine)
    assert before["reference"] and before["mention"]
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.script_location(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_probe.py").write_text(PROBE.format(head=migrate.head_revision()))
    monkeypatch.setattr(migrate, "script_location", lambda: str(scripts))
    migrate.upgrade(engine, "9999")
    after = dump(engine)
    assert len(after["reference"]) == len(before["reference"]), "references deleted by the migration"
    assert len(after["mention"]) == len(before["mention"]), "mentions deleted by the migration"
    assert after == before


def test_postgresql_writes_cable_texts_and_search_vectors_with_lz4(engine):
    """Revision 0010: values written from then on are lz4-compressed (the cable's text,
    and its search vector in whichever partition it lands)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite does not compress")
    from service.factory import cable  # tests/ is on sys.path

    from refdb.store import writes

    with engine.connect() as conn:
        lz4 = conn.exec_driver_sql(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        ).scalar()
    if not lz4:
        pytest.skip("this PostgreSQL server is built without lz4: revision 0010 keeps pglz")
    # Long and compressible, with thousands of distinct words: both values are compressed.
    text = "TOKYO 000100\nSUBJECT: TARIFFS\n" + " ".join(f"tariff{i} quota{i}" for i in range(3000))
    cables = [cable(f"08TOKYO{n}", "2008-02-01 10:00", subject="TARIFFS", text=text) for n in (100, 101, 102, 103)]
    with engine.begin() as conn:
        writes.save_cables(conn, cables, datetime(2026, 12, 7))
    with engine.connect() as conn:
        texts = conn.exec_driver_sql("SELECT DISTINCT pg_column_compression(text) FROM cable").scalars().all()
        docs = conn.exec_driver_sql("SELECT DISTINCT pg_column_compression(doc) FROM cable_search").scalars().all()
    assert (texts, docs) == (["lz4"], ["lz4"])
