"""exhibition public window, kiosk display links, per-user language

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import contest.core.timeutil

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("exhibition_public", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("exhibition_opens_at", contest.core.timeutil.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("exhibition_closes_at", contest.core.timeutil.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.alter_column("exhibition_public", server_default=None)
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
    op.create_table(
        "display_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("theme", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("token_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("show_winners", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", contest.core.timeutil.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", contest.core.timeutil.UTCDateTime(), nullable=True),
        sa.Column("revoked_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["contest_id"], ["contest.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["revoked_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("display_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_display_link_contest_id"), ["contest_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_display_link_token_sha256"), ["token_sha256"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("display_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_display_link_token_sha256"))
        batch_op.drop_index(batch_op.f("ix_display_link_contest_id"))
    op.drop_table("display_link")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.drop_column("exhibition_closes_at")
        batch_op.drop_column("exhibition_opens_at")
        batch_op.drop_column("exhibition_public")
