"""manual decisions and the cable catalogue

Revision ID: 0002
Revises: 0001
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('catalog_entry',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('real_id', sa.String(length=80), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=64), nullable=True),
    sa.Column('serial', sa.Integer(), nullable=True),
    sa.Column('month', sa.Integer(), nullable=True),
    sa.Column('catalog', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_entry'))
    )
    op.create_table('manual_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citing_id', sa.String(length=80), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('letter', sa.String(length=8), nullable=True),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('target_id', sa.String(length=80), nullable=True),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manual_decision')),
    sa.UniqueConstraint('citing_id', 'ordinal', name=op.f('uq_manual_decision_citing_id_ordinal'))
    )


def downgrade() -> None:
    op.drop_table('manual_decision')
    op.drop_table('catalog_entry')
