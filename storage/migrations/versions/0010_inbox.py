"""The durable inbox: every incoming update committed before Telegram is told it arrived

``(source, update_id)`` is unique: the edge's one exactly-once rule (services.inbox). The
partial index serves the claim (the oldest pending update of each chat); done rows are pruned
by ``received_at``. ``processed_updates`` stays for the terminal chat's transports and is no
longer written for Telegram updates.

Revision ID: 0010_inbox
Revises: 0009_send_limits
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010_inbox'
down_revision: str | Sequence[str] | None = '0009_send_limits'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'inbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('update_id', sa.BigInteger(), nullable=False),
        sa.Column('chat_key', sa.BigInteger(), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox')),
        sa.UniqueConstraint('source', 'update_id', name=op.f('uq_inbox_source_update_id')),
    )
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.create_index(
            'ix_inbox_pending_chat',
            ['chat_key', 'id'],
            unique=False,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )
        batch_op.create_index('ix_inbox_received_at', ['received_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_received_at')
        batch_op.drop_index('ix_inbox_pending_chat')
    op.drop_table('inbox')
