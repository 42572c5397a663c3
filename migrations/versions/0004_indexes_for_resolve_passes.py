"""indexes for the resolve passes

Revision ID: 0004
Revises: 0003

- ``ix_reference_resolved_id``: a resolve pass fetches the references waiting for a
  chunk of cables with ``wait_id IN (...) OR resolved_id IN (...) OR cited_id IN (...)``;
  resolved_id was the one unindexed term, which made both SQLite and PostgreSQL scan
  the whole reference table once per chunk (quadratic in corpus size).
- ``ix_cable_links_pending_id`` on (links_pending, id): the pass takes pending cables
  in ID order a chunk at a time; with only the links_pending index every chunk sorted
  all pending cables.
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('reference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_resolved_id'), ['resolved_id'], unique=False)
    with op.batch_alter_table('cable', schema=None) as batch_op:
        batch_op.create_index('ix_cable_links_pending_id', ['links_pending', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cable', schema=None) as batch_op:
        batch_op.drop_index('ix_cable_links_pending_id')
    with op.batch_alter_table('reference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_resolved_id'))
