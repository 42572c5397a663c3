"""PostgreSQL: cable texts and search vectors compressed with lz4, not pglz, where the
server has lz4

Revision ID: 0010
Revises: 0009

PostgreSQL compresses a value stored out of line (TOAST) with ``pglz`` unless told
otherwise, and at a full-scale ingest that is server CPU on the critical path: the
cores are busy for the whole ingest.  Measured on 40,000 stored cables (each value
recompressed, as an ingest does):

- ``cable.text`` (250 MB): pglz 6.10 s, lz4 2.15 s, no compression 1.78 s; sizes
  173 MB, 189 MB, 276 MB.  So about 25 s of server CPU at 251,287 cables, for 9 % more
  space.
- ``cable_search.doc``: pglz 2.97 s, lz4 1.71 s, none 1.65 s; sizes 242 MB, 233 MB,
  242 MB (pglz gives up on most vectors after trying).

lz4 also decompresses faster, and the search filler and catching up read every text
back.  Only values written from now on are lz4; older ones stay pglz, and both read
the same.  A server built without lz4 (``default_toast_compression`` does not offer
it) keeps pglz.  SQLite is unchanged.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# A partitioned table passes its setting on to partitions made later, not to those it
# has (revision 0009's): each is set.
COLUMNS = (("cable", "text"), ("cable_search", "doc"), ("cable_search_p0", "doc"), ("cable_search_p1", "doc"))


def _lz4_available() -> bool:
    return bool(
        op.get_bind().execute(
            sa.text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        ).scalar()
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql" and _lz4_available():
        for table, column in COLUMNS:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in COLUMNS:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION DEFAULT")
