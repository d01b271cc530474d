"""regions releases observations

Revision ID: 045c6fbdc1f2
Revises:
Create Date: 2026-11-29 06:06:24.883259
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "045c6fbdc1f2"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "region",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("fips", sa.String(length=5), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("constants", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region")),
        sa.UniqueConstraint("code", name=op.f("uq_region_code")),
    )
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_region_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_region_parent_code"), ["parent_code"], unique=False)

    op.create_table(
        "release",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("retrieved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vintage_date", sa.Date(), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("values_read", sa.BigInteger(), nullable=False),
        sa.Column("values_stored", sa.BigInteger(), nullable=False),
        sa.Column("regions", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.Column("series", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release")),
    )
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_release_sha256"), ["sha256"], unique=False)

    op.create_table(
        "observation",
        # Observation rows reference region and release without foreign keys: see the model.
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column(
            "series",
            sa.String(length=8).with_variant(postgresql.VARCHAR(8, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "region_id", "series", "date", "release_id", name=op.f("pk_observation")
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "region_alias",
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
            name=op.f("fk_region_alias_region_id_region"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("alias", name=op.f("pk_region_alias")),
    )
    with op.batch_alter_table("region_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_region_alias_region_id"), ["region_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("region_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_region_alias_region_id"))

    op.drop_table("region_alias")
    op.drop_table("observation")
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_release_sha256"))

    op.drop_table("release")
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_region_parent_code"))
        batch_op.drop_index(batch_op.f("ix_region_level"))

    op.drop_table("region")
