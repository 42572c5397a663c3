"""pending cables in a table of their own: ``pending_cable`` replaces the
``cable.links_pending`` flag

Revision ID: 0006
Revises: 0005

A resolve pass cleared the flag of every cable it had dealt with.  That rewrote the
whole cable row (6.6 KB on average, overflow pages included) to change one boolean,
and on PostgreSQL, because the flag was indexed, the update could not be HOT: every
index of ``cable`` got a new entry, the search index included, which computed the
cable's tsvector a second time.  Measured on 10,000 generated cables: flagging 5,000
cables took 8.2 s with ``ix_cable_search`` and 0.19 s without.  Now a pass deletes
rows of a narrow table.

The data moves: every cable flagged pending gets a ``pending_cable`` row (and back on
downgrade).  On SQLite the column is dropped with ``ALTER TABLE ... DROP COLUMN``
(SQLite 3.35+), not batch mode: re-creating ``cable`` would renumber the rowids that
the search index ``cable_fts`` is keyed by, and drop its triggers.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('pending_cable',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['cable.id'], name=op.f('fk_pending_cable_id_cable'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_cable'))
    )
    op.execute("INSERT INTO pending_cable (id) SELECT id FROM cable WHERE links_pending")
    op.drop_index('ix_cable_links_pending_id', table_name='cable')
    op.drop_index('ix_cable_links_pending', table_name='cable')
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE cable DROP COLUMN links_pending")
    else:
        op.drop_column('cable', 'links_pending')


def downgrade() -> None:
    # Added with a default so that existing rows get a value; on SQLite a NOT NULL
    # column can only be added that way.
    op.add_column('cable', sa.Column('links_pending', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE cable SET links_pending = (id IN (SELECT id FROM pending_cable))")
    op.create_index('ix_cable_links_pending', 'cable', ['links_pending'], unique=False)
    op.create_index('ix_cable_links_pending_id', 'cable', ['links_pending', 'id'], unique=False)
    op.drop_table('pending_cable')
