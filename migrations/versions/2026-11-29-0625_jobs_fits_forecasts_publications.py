"""jobs fits forecasts publications

Revision ID: 551a8be2763c
Revises: 045c6fbdc1f2
Create Date: 2026-11-29 06:25:03.495707
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "551a8be2763c"
down_revision: str | None = "045c6fbdc1f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=64), nullable=True),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress_done", sa.Integer(), nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["job.id"], name=op.f("fk_job_parent_id_job")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_dedupe_key"), ["dedupe_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "fit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(length=32), nullable=False),
        sa.Column("grid_hash", sa.String(length=64), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("data_start_date", sa.Date(), nullable=False),
        sa.Column("data_end_date", sa.Date(), nullable=False),
        sa.Column("forecast_date", sa.Date(), nullable=False),
        sa.Column("last_cumulative", sa.Float(), nullable=False),
        sa.Column("best_loss", sa.Float(), nullable=False),
        sa.Column("n_sets", sa.Integer(), nullable=False),
        sa.Column("n_valid", sa.Integer(), nullable=False),
        sa.Column("n_kept", sa.Integer(), nullable=False),
        sa.Column("kept", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("fit_seconds", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name=op.f("fk_fit_job_id_job")),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], name=op.f("fk_fit_region_id_region")),
        sa.ForeignKeyConstraint(
            ["release_id"], ["release.id"], name=op.f("fk_fit_release_id_release")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fit")),
    )
    with op.batch_alter_table("fit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fit_job_id"), ["job_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fit_region_id"), ["region_id"], unique=False)

    op.create_table(
        "forecast",
        sa.Column("fit_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=24), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("mean", sa.Float(), nullable=False),
        sa.Column("quantiles", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fit_id"], ["fit.id"], name=op.f("fk_forecast_fit_id_fit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("fit_id", "target", "target_date", name=op.f("pk_forecast")),
    )
    op.create_table(
        "publication",
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("fit_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["fit_id"], ["fit.id"], name=op.f("fk_publication_fit_id_fit")),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_publication_region_id_region")
        ),
        sa.PrimaryKeyConstraint("region_id", name=op.f("pk_publication")),
    )


def downgrade() -> None:
    op.drop_table("publication")
    op.drop_table("forecast")
    with op.batch_alter_table("fit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fit_region_id"))
        batch_op.drop_index(batch_op.f("ix_fit_job_id"))

    op.drop_table("fit")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_parent_id"))
        batch_op.drop_index(batch_op.f("ix_job_status"))
        batch_op.drop_index(batch_op.f("ix_job_dedupe_key"))

    op.drop_table("job")
