"""take-home sessions: the window a candidate may start in, and when the server handed it in

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("window_opens_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("window_closes_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_interview_sessions_window_closes_at", ["window_closes_at"])


def downgrade() -> None:
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_interview_sessions_window_closes_at")
        batch_op.drop_column("finalized_at")
        batch_op.drop_column("window_closes_at")
        batch_op.drop_column("window_opens_at")
