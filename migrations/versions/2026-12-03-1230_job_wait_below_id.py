"""job.wait_below_id: a backtest's children claimed date by date

Revision ID: 7c2e91d0b4a5
Revises: a4f5db334073
Create Date: 2026-12-03 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c2e91d0b4a5"
down_revision: str | None = "a4f5db334073"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wait_below_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("wait_below_id")
