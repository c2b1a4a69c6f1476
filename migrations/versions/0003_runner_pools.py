"""runner pools: each worker process's warm-runner pool state, for health and metrics

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "runner_pools",
        sa.Column("process", sa.String(length=220), nullable=False),
        sa.Column("hostname", sa.String(length=200), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("process", name=op.f("pk_runner_pools")),
    )


def downgrade() -> None:
    op.drop_table("runner_pools")
