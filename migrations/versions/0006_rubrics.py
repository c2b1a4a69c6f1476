"""rubrics, and the copy of one that each interview session keeps

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rubrics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rubrics_owner_id", "rubrics", ["owner_id"])
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rubric", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.drop_column("rubric")
    op.drop_index("ix_rubrics_owner_id", table_name="rubrics")
    op.drop_table("rubrics")
