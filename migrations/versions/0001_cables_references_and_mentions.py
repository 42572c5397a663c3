"""cables, references and mentions

Revision ID: 0001
Revises: 
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0001'
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('cable',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('real_id', sa.String(length=80), nullable=True),
    sa.Column('display_id', sa.String(length=80), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=64), nullable=True),
    sa.Column('serial', sa.Integer(), nullable=True),
    sa.Column('date', sa.DateTime(), nullable=True),
    sa.Column('dtg', sa.String(length=32), nullable=True),
    sa.Column('precedence', sa.String(length=32), nullable=True),
    sa.Column('origin_name', sa.String(length=200), nullable=True),
    sa.Column('routing_indicator', sa.String(length=16), nullable=True),
    sa.Column('classification', sa.String(length=64), nullable=True),
    sa.Column('caveats', sa.String(length=200), nullable=True),
    sa.Column('declassify_on', sa.String(length=64), nullable=True),
    sa.Column('tags', sa.Text(), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('classified_by', sa.Text(), nullable=True),
    sa.Column('signer', sa.String(length=200), nullable=True),
    sa.Column('to_addrs', sa.Text(), nullable=True),
    sa.Column('info_addrs', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('format', sa.String(length=32), nullable=False),
    sa.Column('id_source', sa.String(length=32), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('warnings', sa.Text(), nullable=True),
    sa.Column('links_pending', sa.Boolean(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cable'))
    )
    with op.batch_alter_table('cable', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cable_classification'), ['classification'], unique=False)
        batch_op.create_index(batch_op.f('ix_cable_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_cable_links_pending'), ['links_pending'], unique=False)
        batch_op.create_index(batch_op.f('ix_cable_origin'), ['origin'], unique=False)
        batch_op.create_index(batch_op.f('ix_cable_real_id'), ['real_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cable_year'), ['year'], unique=False)

    op.create_table('mention',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citing_id', sa.String(length=80), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('ref_ordinal', sa.Integer(), nullable=True),
    sa.Column('letter', sa.String(length=8), nullable=True),
    sa.Column('form', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['citing_id'], ['cable.id'], name=op.f('fk_mention_citing_id_cable'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mention'))
    )
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mention_citing_id'), ['citing_id'], unique=False)

    op.create_table('reference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citing_id', sa.String(length=80), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('block', sa.Integer(), nullable=False),
    sa.Column('letter', sa.String(length=8), nullable=True),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('cited_id', sa.String(length=80), nullable=True),
    sa.Column('origin_written', sa.String(length=200), nullable=True),
    sa.Column('cited_origin', sa.String(length=64), nullable=True),
    sa.Column('serial', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('year_source', sa.String(length=20), nullable=True),
    sa.Column('qualifiers', sa.String(length=200), nullable=True),
    sa.Column('dtg_sender', sa.String(length=100), nullable=True),
    sa.Column('dtg', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('target_id', sa.String(length=80), nullable=True),
    sa.Column('resolved_id', sa.String(length=80), nullable=True),
    sa.Column('wait_id', sa.String(length=80), nullable=True),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('candidates', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['citing_id'], ['cable.id'], name=op.f('fk_reference_citing_id_cable'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference')),
    sa.UniqueConstraint('citing_id', 'ordinal', name=op.f('uq_reference_citing_id_ordinal'))
    )
    with op.batch_alter_table('reference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_cited_id'), ['cited_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reference_cited_origin'), ['cited_origin'], unique=False)
        batch_op.create_index(batch_op.f('ix_reference_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_reference_target_id'), ['target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reference_wait_id'), ['wait_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_wait_id'))
        batch_op.drop_index(batch_op.f('ix_reference_target_id'))
        batch_op.drop_index(batch_op.f('ix_reference_status'))
        batch_op.drop_index(batch_op.f('ix_reference_cited_origin'))
        batch_op.drop_index(batch_op.f('ix_reference_cited_id'))

    op.drop_table('reference')
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mention_citing_id'))

    op.drop_table('mention')
    with op.batch_alter_table('cable', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cable_year'))
        batch_op.drop_index(batch_op.f('ix_cable_real_id'))
        batch_op.drop_index(batch_op.f('ix_cable_origin'))
        batch_op.drop_index(batch_op.f('ix_cable_links_pending'))
        batch_op.drop_index(batch_op.f('ix_cable_date'))
        batch_op.drop_index(batch_op.f('ix_cable_classification'))

    op.drop_table('cable')
