"""external forecasts truth scores alerts

Revision ID: a4f5db334073
Revises: 551a8be2763c
Create Date: 2026-11-29 06:34:26.891004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4f5db334073"
down_revision: str | None = "551a8be2763c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("n_forecasts", sa.Integer(), nullable=False),
        sa.Column("refit_job_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_alert_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint(
            "model", "region_id", "metric", "window_end", name=op.f("uq_alert_model")
        ),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_region_id"), ["region_id"], unique=False)

    op.create_table(
        "external_forecast",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("forecast_date", sa.Date(), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("horizon", sa.Integer(), nullable=False),
        sa.Column("target_end_date", sa.Date(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=8), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("quantiles", sa.JSON(), nullable=False),
        sa.Column("point", sa.Float(), nullable=True),
        sa.Column("date_column", sa.String(length=16), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_external_forecast_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_forecast")),
        sa.UniqueConstraint(
            "model", "forecast_date", "target", "region_id", name=op.f("uq_external_forecast_model")
        ),
    )
    with op.batch_alter_table("external_forecast", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_external_forecast_model"), ["model"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_external_forecast_region_id"), ["region_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_external_forecast_target_end_date"), ["target_end_date"], unique=False
        )

    op.create_table(
        "score",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("forecast_date", sa.Date(), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("horizon", sa.Integer(), nullable=False),
        sa.Column("target_end_date", sa.Date(), nullable=False),
        sa.Column("truth", sa.Float(), nullable=False),
        sa.Column("truth_source", sa.String(length=64), nullable=False),
        sa.Column("wis", sa.Float(), nullable=False),
        sa.Column("abs_error", sa.Float(), nullable=False),
        sa.Column("cov50", sa.Boolean(), nullable=True),
        sa.Column("cov95", sa.Boolean(), nullable=True),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_score_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score")),
        sa.UniqueConstraint(
            "model", "region_id", "forecast_date", "target", "horizon", name=op.f("uq_score_model")
        ),
    )
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_model"), ["model"], unique=False)
        batch_op.create_index(batch_op.f("ix_score_region_id"), ["region_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_score_target_end_date"), ["target_end_date"], unique=False
        )

    op.create_table(
        "truth_value",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("week_end_date", sa.Date(), nullable=False),
        sa.Column("inc_deaths", sa.Float(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_truth_value_region_id_region")
        ),
        sa.PrimaryKeyConstraint(
            "source", "region_id", "week_end_date", name=op.f("pk_truth_value")
        ),
    )


def downgrade() -> None:
    op.drop_table("truth_value")
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_target_end_date"))
        batch_op.drop_index(batch_op.f("ix_score_region_id"))
        batch_op.drop_index(batch_op.f("ix_score_model"))

    op.drop_table("score")
    with op.batch_alter_table("external_forecast", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_external_forecast_target_end_date"))
        batch_op.drop_index(batch_op.f("ix_external_forecast_region_id"))
        batch_op.drop_index(batch_op.f("ix_external_forecast_model"))

    op.drop_table("external_forecast")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_region_id"))

    op.drop_table("alert")
