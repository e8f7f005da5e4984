"""matchmaking rounds: a hub's round, its makers with capacities, the designers' entries and
the proposed pairs

Revision ID: 0014_rounds
Revises: 0013_reciprocal
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014_rounds'
down_revision: str | Sequence[str] | None = '0013_reciprocal'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=200), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], name=op.f('fk_rounds_hub_id_hubs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds')),
    sa.UniqueConstraint('token', name=op.f('uq_rounds_token'))
    )
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rounds_hub_id'), ['hub_id'], unique=False)

    op.create_table('round_makers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('maker_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['maker_id'], ['makers.id'], name=op.f('fk_round_makers_maker_id_makers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_makers_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_makers')),
    sa.UniqueConstraint('round_id', 'maker_id', name=op.f('uq_round_makers_round_id_maker_id'))
    )
    with op.batch_alter_table('round_makers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_makers_maker_id'), ['maker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_makers_round_id'), ['round_id'], unique=False)

    op.create_table('round_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('designer_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['designer_id'], ['designers.id'], name=op.f('fk_round_entries_designer_id_designers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_round_entries_request_id_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_entries_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_entries')),
    sa.UniqueConstraint('round_id', 'request_id', name=op.f('uq_round_entries_round_id_request_id'))
    )
    with op.batch_alter_table('round_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_entries_designer_id'), ['designer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_entries_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_entries_round_id'), ['round_id'], unique=False)

    op.create_table('round_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('maker_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('introduction_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['round_entries.id'], name=op.f('fk_round_pairs_entry_id_round_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['introduction_id'], ['introductions.id'], name=op.f('fk_round_pairs_introduction_id_introductions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['maker_id'], ['makers.id'], name=op.f('fk_round_pairs_maker_id_makers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_pairs_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_pairs')),
    sa.UniqueConstraint('round_id', 'entry_id', name=op.f('uq_round_pairs_round_id_entry_id'))
    )
    with op.batch_alter_table('round_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_pairs_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_pairs_maker_id'), ['maker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_pairs_round_id'), ['round_id'], unique=False)


def downgrade() -> None:
    op.drop_table('round_pairs')
    op.drop_table('round_entries')
    op.drop_table('round_makers')
    op.drop_table('rounds')
