"""the search index can be deferred during large ingests; PostgreSQL indexes at most
250,000 characters of a cable's text

Revision ID: 0005
Revises: 0004

- ``deferred_index``: a row names an index that a large ingest stopped keeping up to
  date row by row (see ``refdb.store.tables.DeferredIndex``).
- SQLite: the three ``cable_fts`` triggers of revision 0003 are re-created with a
  ``WHEN`` clause that skips them while the ``search`` index is deferred.  Rebuilding
  the FTS5 index once after a bulk load costs 0.26 ms a cable against 0.57 ms through
  the triggers (measured on 20,000 generated cables).
- PostgreSQL: ``ix_cable_search`` is re-created over ``left(text, 250000)``.  A tsvector
  holds at most 1 MB of lexemes, so a 50 MB data dump stored as one cable failed its
  whole batch with "string is too long for tsvector"; 250,000 characters are at most
  1,000,000 bytes of UTF-8, and the longest real cable of the sample corpus is far
  shorter.  The expression must stay identical to ``refdb.store.search.TSVECTOR``.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_NOT_DEFERRED = "WHEN NOT EXISTS (SELECT 1 FROM deferred_index WHERE name = 'search') "


def _sqlite_triggers(when: str) -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS cable_fts_ai",
        "DROP TRIGGER IF EXISTS cable_fts_ad",
        "DROP TRIGGER IF EXISTS cable_fts_au",
        f"CREATE TRIGGER cable_fts_ai AFTER INSERT ON cable {when}BEGIN "
        "INSERT INTO cable_fts(rowid, subject, text) VALUES (new.rowid, new.subject, new.text); END",
        f"CREATE TRIGGER cable_fts_ad AFTER DELETE ON cable {when}BEGIN "
        "INSERT INTO cable_fts(cable_fts, rowid, subject, text) VALUES ('delete', old.rowid, old.subject, old.text); END",
        f"CREATE TRIGGER cable_fts_au AFTER UPDATE OF subject, text ON cable {when}BEGIN "
        "INSERT INTO cable_fts(cable_fts, rowid, subject, text) VALUES ('delete', old.rowid, old.subject, old.text); "
        "INSERT INTO cable_fts(rowid, subject, text) VALUES (new.rowid, new.subject, new.text); END",
    ]


def _pg_index(text: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS ix_cable_search",
        "CREATE INDEX ix_cable_search ON cable USING gin (("
        "setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A') || "
        f"setweight(to_tsvector('english'::regconfig, {text}), 'B')))",
    ]


def upgrade() -> None:
    op.create_table('deferred_index',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('since', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_deferred_index'))
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for sql in _sqlite_triggers(_NOT_DEFERRED):
            op.execute(sql)
    elif dialect == "postgresql":
        for sql in _pg_index("left(text, 250000)"):
            op.execute(sql)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # A deferred index is rebuilt first: the 0004 triggers assume it is current.
        op.execute("INSERT INTO cable_fts(cable_fts) VALUES ('rebuild')")
        for sql in _sqlite_triggers(""):
            op.execute(sql)
    elif dialect == "postgresql":
        for sql in _pg_index("text"):
            op.execute(sql)
    op.drop_table('deferred_index')
