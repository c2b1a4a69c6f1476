"""concept answer parts: the picks of a multiple-select answer and a predict-output explanation

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("concept_reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("explanation", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("choices", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("concept_reviews", schema=None) as batch_op:
        batch_op.drop_column("choices")
        batch_op.drop_column("explanation")
