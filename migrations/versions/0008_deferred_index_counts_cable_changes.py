"""SQLite: while the search index is deferred, count the cable rows written, so that
an index built beside the database can tell whether it is still current

Revision ID: 0008
Revises: 0007

A large ingest on SQLite used to rebuild its deferred FTS5 index at the very end, on
one core, after resolving (56 s of 217 s at 251,287 cables).  It now builds the index
into a file of its own while it resolves, reading a snapshot of ``cable``, and copies
it in at the end (``refdb.store.search_side``).  That copy is only right if the
snapshots it indexed hold exactly what ``cable`` holds when it is copied:

- ``deferred_index.changes`` (both dialects, for one schema; PostgreSQL leaves it at 0)
  counts the rows inserted, deleted, or given a new subject or text while the ``search``
  index is deferred;
- three SQLite triggers, ``cable_deferred_ai/ad/au``, keep the count.  They are the
  mirror image of 0005's ``cable_fts_*`` triggers: those work only when the index is not
  deferred, these only when it is.

The copy is made only when, read in the write transaction that copies, the deferral's
``since`` is unchanged, the count grew by exactly the rows ``cable`` gained since the
first snapshot (every change was an insert) and ``cable`` holds what the last snapshot
held; otherwise the index is rebuilt as before.  Cost: one small UPDATE per cable
stored while deferred.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_DEFERRED = "WHEN EXISTS (SELECT 1 FROM deferred_index WHERE name = 'search') "
_COUNT = "BEGIN UPDATE deferred_index SET changes = changes + 1 WHERE name = 'search'; END"
SQLITE_TRIGGERS = {
    "cable_deferred_ai": f"CREATE TRIGGER cable_deferred_ai AFTER INSERT ON cable {_DEFERRED}{_COUNT}",
    "cable_deferred_ad": f"CREATE TRIGGER cable_deferred_ad AFTER DELETE ON cable {_DEFERRED}{_COUNT}",
    "cable_deferred_au": f"CREATE TRIGGER cable_deferred_au AFTER UPDATE OF subject, text ON cable {_DEFERRED}{_COUNT}",
}


def upgrade() -> None:
    op.add_column('deferred_index', sa.Column('changes', sa.Integer(), server_default='0', nullable=False))
    if op.get_bind().dialect.name == "sqlite":
        for sql in SQLITE_TRIGGERS.values():
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        # Native DROP COLUMN (SQLite 3.35+), as in 0006: batch mode would re-create the table.
        op.execute("ALTER TABLE deferred_index DROP COLUMN changes")
    else:
        op.drop_column('deferred_index', 'changes')
