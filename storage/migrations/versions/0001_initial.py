"""Initial schema: hubs, makers, designers, requests, introductions, follow-ups.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json_list() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "hubs",
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("counties", _json_list(), nullable=False),
        sa.Column("telegram_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hubs")),
    )
    op.create_index(op.f("ix_hubs_slug"), "hubs", ["slug"], unique=True)

    op.create_table(
        "designers",
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("company", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("org_number", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("consent_version", sa.String(length=32), nullable=True),
        sa.Column("consent_at", _timestamp(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_designers")),
        sa.UniqueConstraint("telegram_user_id", name=op.f("uq_designers_telegram_user_id")),
    )

    op.create_table(
        "makers",
        sa.Column("external_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("place_name", sa.String(), nullable=False),
        sa.Column("municipality_code", sa.String(length=4), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("materials", _json_list(), nullable=False),
        sa.Column("processes", _json_list(), nullable=False),
        sa.Column("volumes", _json_list(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact_name", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("website", sa.String(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_confirmed", sa.Date(), nullable=True),
        sa.Column("freshness_penalty", sa.Float(), nullable=False),
        sa.Column("hub_id", sa.Integer(), nullable=True),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hub_id"], ["hubs.id"], name=op.f("fk_makers_hub_id_hubs"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_makers")),
    )
    op.create_index(op.f("ix_makers_external_id"), "makers", ["external_id"], unique=True)
    op.create_index(op.f("ix_makers_hub_id"), "makers", ["hub_id"], unique=False)
    op.create_index(
        op.f("ix_makers_telegram_user_id"), "makers", ["telegram_user_id"], unique=False
    )

    op.create_table(
        "requests",
        sa.Column("designer_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("photo_file_id", sa.String(), nullable=True),
        sa.Column("materials", _json_list(), nullable=False),
        sa.Column("processes", _json_list(), nullable=False),
        sa.Column("volume_stage", sa.String(length=16), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("place_name", sa.String(), nullable=True),
        sa.Column("municipality_code", sa.String(length=4), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("radius_km", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("hub_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["designer_id"],
            ["designers.id"],
            name=op.f("fk_requests_designer_id_designers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["hub_id"], ["hubs.id"], name=op.f("fk_requests_hub_id_hubs"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requests")),
    )
    op.create_index(op.f("ix_requests_designer_id"), "requests", ["designer_id"], unique=False)
    op.create_index(op.f("ix_requests_hub_id"), "requests", ["hub_id"], unique=False)

    op.create_table(
        "introductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("maker_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["maker_id"],
            ["makers.id"],
            name=op.f("fk_introductions_maker_id_makers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_introductions_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introductions")),
        sa.UniqueConstraint(
            "request_id", "maker_id", name=op.f("uq_introductions_request_id_maker_id")
        ),
    )
    op.create_index(
        op.f("ix_introductions_maker_id"), "introductions", ["maker_id"], unique=False
    )

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=True),
        sa.Column("maker_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("due_at", _timestamp(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("sent_at", _timestamp(), nullable=True),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introductions.id"],
            name=op.f("fk_follow_ups_introduction_id_introductions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["maker_id"],
            ["makers.id"],
            name=op.f("fk_follow_ups_maker_id_makers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    op.create_index(op.f("ix_follow_ups_due_at"), "follow_ups", ["due_at"], unique=False)
    op.create_index(
        op.f("ix_follow_ups_introduction_id"), "follow_ups", ["introduction_id"], unique=False
    )
    op.create_index(op.f("ix_follow_ups_maker_id"), "follow_ups", ["maker_id"], unique=False)
    op.create_index(
        "ix_follow_ups_status_due_at", "follow_ups", ["status", "due_at"], unique=False
    )


def downgrade() -> None:
    # Dropping a table drops its indexes and constraints with it.
    for table in ("follow_ups", "introductions", "requests", "makers", "designers", "hubs"):
        op.drop_table(table)
