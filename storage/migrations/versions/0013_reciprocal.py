"""reciprocal ranking: a weekly brief cap per maker, and the index its load query reads

``makers.weekly_brief_cap`` is the most briefs a maker is sent in any 7 days (None: the default,
3; a coordinator sets it). The history the reciprocal ranking learns from is the introductions
table and its events as they are; ``ix_introductions_maker_id_created_at`` serves the "briefs in
the last 7 days" count per maker.

Revision ID: 0013_reciprocal
Revises: 0012_briefs
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0013_reciprocal"
down_revision: str | Sequence[str] | None = "0012_briefs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("makers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weekly_brief_cap", sa.Integer(), nullable=True))
    op.create_index(
        "ix_introductions_maker_id_created_at",
        "introductions",
        ["maker_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_introductions_maker_id_created_at", table_name="introductions")
    with op.batch_alter_table("makers", schema=None) as batch_op:
        batch_op.drop_column("weekly_brief_cap")
