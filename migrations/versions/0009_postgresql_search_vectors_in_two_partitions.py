"""PostgreSQL: ``cable_search`` split into two hash partitions, each with its own GIN
index, so that the two indexes can be built at once on two cores

Revision ID: 0009
Revises: 0008

A large ingest drops the search GIN index while it stores and builds it again while it
resolves (``refdb.service.search_fill.IndexBuilder``).  PostgreSQL before 18 builds a
GIN index on one core, and at full scale that build was the end of the ingest: on
2 cores, 251,287 cables, the ingest waited 70-117 s for it after resolving was done.
Measured on that database (``CREATE INDEX ... USING gin (doc)``, idle server):

- one index over all 251,284 vectors: 97.5 s (``maintenance_work_mem`` 512 MB),
  75-83 s (64-128 MB);
- the same vectors in two hash partitions, both indexes built at once on two
  connections: 40.1 s and 40.9 s (128 MB each).

Now ``cable_search`` is partitioned by hash of ``id`` into ``cable_search_p0`` and
``cable_search_p1``, with ``ix_cable_search_p0_doc`` and ``ix_cable_search_p1_doc``.
A search reads both indexes (one bitmap scan each); nothing else about the table
changes: the trigger and the filler still write to ``cable_search``, and PostgreSQL
routes each row.  The rows move as they are.  An index is created only when the search
index is not deferred: a deferral has dropped the old one, and the ingest that
deferred it builds the new ones when it catches up.

SQLite is unchanged.  Like 0003's and 0007's, these objects are hand-written SQL, left
out of autogenerate (``refdb.store.search.include_in_autogenerate``).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PARTITIONS = ("cable_search_p0", "cable_search_p1")
_COLUMNS = "id VARCHAR(80) NOT NULL, content_hash VARCHAR(64) NOT NULL, doc TSVECTOR NOT NULL"
_CONSTRAINTS = (
    "CONSTRAINT pk_cable_search PRIMARY KEY (id), "
    "CONSTRAINT fk_cable_search_id_cable FOREIGN KEY (id) REFERENCES cable (id) ON DELETE CASCADE"
)


def _index(table: str) -> str:
    return f"ix_{table}_doc"


def _deferred() -> bool:
    return op.get_bind().execute(sa.text("SELECT 1 FROM deferred_index WHERE name = 'search'")).first() is not None


def _set_aside() -> None:
    """Rename the current table and its constraints, so the new table can take the names."""
    op.execute("ALTER TABLE cable_search RENAME TO cable_search_old")
    op.execute("ALTER TABLE cable_search_old RENAME CONSTRAINT pk_cable_search TO pk_cable_search_old")
    op.execute("ALTER TABLE cable_search_old RENAME CONSTRAINT fk_cable_search_id_cable TO fk_cable_search_old_id_cable")


def _move_rows() -> None:
    op.execute("INSERT INTO cable_search (id, content_hash, doc) SELECT id, content_hash, doc FROM cable_search_old")
    op.execute("DROP TABLE cable_search_old")  # its GIN index, if any, with it


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _set_aside()
    op.execute(f"CREATE TABLE cable_search ({_COLUMNS}, {_CONSTRAINTS}) PARTITION BY HASH (id)")
    for i, part in enumerate(PARTITIONS):
        op.execute(
            f"CREATE TABLE {part} PARTITION OF cable_search FOR VALUES WITH (MODULUS {len(PARTITIONS)}, REMAINDER {i})"
        )
    _move_rows()
    if not _deferred():
        for part in PARTITIONS:
            op.execute(f"CREATE INDEX {_index(part)} ON {part} USING gin (doc)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _set_aside()
    op.execute(f"CREATE TABLE cable_search ({_COLUMNS}, {_CONSTRAINTS})")
    _move_rows()  # the partitions go with their parent
    if not _deferred():
        op.execute(f"CREATE INDEX {_index('cable_search')} ON cable_search USING gin (doc)")
