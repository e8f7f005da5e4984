"""makers keep the catalogue's volume words as written

Revision ID: 0008_catalogue_words
Revises: 0007
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = "0008_catalogue_words"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json_list() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Existing listings get an empty list (their words were not kept): the export then writes
    # their stages in its own words, and importing that back leaves the list empty.
    with op.batch_alter_table("makers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("volume_words", _json_list(), nullable=False, server_default="[]")
        )
    with op.batch_alter_table("makers", schema=None) as batch_op:
        batch_op.alter_column("volume_words", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("makers", schema=None) as batch_op:
        batch_op.drop_column("volume_words")
