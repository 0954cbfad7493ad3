"""failed sign-ins counted per account and per account from one client address, forgotten
after an hour (replaces the per-account columns and the unknown_login table); the objects gc
is removing

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import contest.core.timeutil

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("account", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", contest.core.timeutil.UTCDateTime(), nullable=True),
        sa.Column("last_failed_at", contest.core.timeutil.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("sign_in_throttle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_throttle_account"), ["account"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sign_in_throttle_last_failed_at"), ["last_failed_at"], unique=False
        )
    op.create_table(
        "object_removal",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.Column("started_at", contest.core.timeutil.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    # Counts in the old form are dropped: at worst a guesser gets its free attempts once more.
    op.drop_table("unknown_login")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")


def downgrade() -> None:
    op.drop_table("object_removal")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("locked_until", contest.core.timeutil.UTCDateTime(), nullable=True)
        )
    op.create_table(
        "unknown_login",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", contest.core.timeutil.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("sign_in_throttle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_throttle_last_failed_at"))
        batch_op.drop_index(batch_op.f("ix_sign_in_throttle_account"))
    op.drop_table("sign_in_throttle")
