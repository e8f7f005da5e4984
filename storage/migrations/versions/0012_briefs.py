"""complete briefs: a deadline, a budget range and attachments on the designer's request

Semantics in storage.models (MatchRequest, RequestAttachment). Follows the listings'
migration (0011); 0010 is left to the reciprocal ranking's work, which the merger re-chains.

Revision ID: 0012_briefs
Revises: 0011_listings
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0012_briefs"
down_revision: str | Sequence[str] | None = "0011_listings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("deadline_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("budget_min_sek", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("budget_max_sek", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("budget_text", sa.Text(), nullable=True))

    op.create_table(
        "request_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Text(), nullable=False),
        sa.Column("file_unique_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("mime", sa.String(length=255), nullable=True),
        sa.Column("metadata_policy", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_request_attachments_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_attachments")),
    )
    with op.batch_alter_table("request_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_attachments_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("request_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_attachments_request_id"))
    op.drop_table("request_attachments")
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_column("budget_text")
        batch_op.drop_column("budget_max_sek")
        batch_op.drop_column("budget_min_sek")
        batch_op.drop_column("deadline_text")
        batch_op.drop_column("deadline")
