"""fuller maker listings, photos, and listing changes waiting for a coordinator

Makers get the optional catalogue fields (minimum order, lead time, what they offer, whom they
work with, equipment, portfolio link) and up to three chat photos; a maker's /profile edit is
kept in maker_listing_changes until a coordinator of their hub approves or rejects it, and the
Approve/Reject buttons' tokens point at it. Existing listings get "not stated" everywhere.

Revision ID: 0011_listings
Revises: 0010_inbox
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = "0011_listings"
down_revision: str | Sequence[str] | None = "0010_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json_list() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("makers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("min_order", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lead_time_days", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("offers", _json_list(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("works_with", _json_list(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("equipment", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("portfolio_url", sa.String(), nullable=True))
        batch_op.add_column(
            sa.Column("photos", _json_list(), nullable=False, server_default="[]")
        )
    # The defaults only fill existing rows; the models set every value themselves.
    with op.batch_alter_table("makers", schema=None) as batch_op:
        for name in ("offers", "works_with", "equipment", "photos"):
            batch_op.alter_column(name, server_default=None)

    op.create_table(
        "maker_listing_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("maker_id", sa.Integer(), nullable=False),
        sa.Column("changes", _json_list(), nullable=False),
        sa.Column("proposed_by", sa.BigInteger(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["maker_id"],
            ["makers.id"],
            name=op.f("fk_maker_listing_changes_maker_id_makers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maker_listing_changes")),
    )
    with op.batch_alter_table("maker_listing_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_maker_listing_changes_maker_id_status", ["maker_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_maker_listing_changes_proposed_by_status",
            ["proposed_by", "status"],
            unique=False,
        )

    with op.batch_alter_table("action_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listing_change_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_action_tokens_listing_change_id"), ["listing_change_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_action_tokens_listing_change_id_maker_listing_changes"),
            "maker_listing_changes",
            ["listing_change_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("action_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_action_tokens_listing_change_id_maker_listing_changes"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_action_tokens_listing_change_id"))
        batch_op.drop_column("listing_change_id")

    with op.batch_alter_table("maker_listing_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_maker_listing_changes_proposed_by_status")
        batch_op.drop_index("ix_maker_listing_changes_maker_id_status")
    op.drop_table("maker_listing_changes")

    with op.batch_alter_table("makers", schema=None) as batch_op:
        for name in (
            "photos",
            "portfolio_url",
            "equipment",
            "works_with",
            "offers",
            "lead_time_days",
            "min_order",
        ):
            batch_op.drop_column(name)
