"""full-text search over cable subjects and texts

Revision ID: 0003
Revises: 0002

SQLite: an FTS5 *external-content* table ``cable_fts`` over ``cable`` (subject, text),
kept in step by three triggers on ``cable`` (insert, delete, update of subject or
text), filled once here with the FTS5 'rebuild' command.  It is keyed by ``cable``'s
implicit rowid: a future revision that re-creates ``cable`` in batch mode drops the
triggers with the old table and must create them again (and rebuild), and a VACUUM
may renumber rowids (``refdb search --reindex`` rebuilds the index).
``tests/research/test_search.py`` checks that the triggers exist at head.

PostgreSQL: an expression GIN index ``ix_cable_search`` on the weighted tsvector of
subject (weight A) and text (weight B); PostgreSQL keeps it right by itself.  The
expression must stay identical to ``refdb.store.search.TSVECTOR`` or the planner
will not use the index (a test checks the plan).

Neither object is described by the SQLModel tables: ``migrations/env.py`` leaves
them out of autogenerate's comparison (``refdb.store.search.is_search_object``).
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


SQLITE_UP = [
    "CREATE VIRTUAL TABLE cable_fts USING fts5("
    "subject, text, content='cable', content_rowid='rowid', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER cable_fts_ai AFTER INSERT ON cable BEGIN "
    "INSERT INTO cable_fts(rowid, subject, text) VALUES (new.rowid, new.subject, new.text); END",
    "CREATE TRIGGER cable_fts_ad AFTER DELETE ON cable BEGIN "
    "INSERT INTO cable_fts(cable_fts, rowid, subject, text) VALUES ('delete', old.rowid, old.subject, old.text); END",
    "CREATE TRIGGER cable_fts_au AFTER UPDATE OF subject, text ON cable BEGIN "
    "INSERT INTO cable_fts(cable_fts, rowid, subject, text) VALUES ('delete', old.rowid, old.subject, old.text); "
    "INSERT INTO cable_fts(rowid, subject, text) VALUES (new.rowid, new.subject, new.text); END",
    "INSERT INTO cable_fts(cable_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS cable_fts_au",
    "DROP TRIGGER IF EXISTS cable_fts_ad",
    "DROP TRIGGER IF EXISTS cable_fts_ai",
    "DROP TABLE IF EXISTS cable_fts",
]
POSTGRESQL_UP = [
    "CREATE INDEX ix_cable_search ON cable USING gin (("
    "setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, text), 'B')))",
]
POSTGRESQL_DOWN = ["DROP INDEX IF EXISTS ix_cable_search"]


def _run(statements: dict[str, list[str]]) -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in statements:
        raise NotImplementedError(f"full-text search is not implemented for {dialect}")
    for sql in statements[dialect]:
        op.execute(sql)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN})
