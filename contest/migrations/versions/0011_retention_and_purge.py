"""personal data has an end: a retention period per contest, the purge's date, votes that may
outlive their voter's identity

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import contest.core.timeutil

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retention_days", sa.Integer(), nullable=False, server_default="365")
        )
        batch_op.add_column(
            sa.Column("purged_at", contest.core.timeutil.UTCDateTime(), nullable=True)
        )
    for table in ("vote", "vote_event"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("voter_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # A purged contest's votes have no voter: they cannot go back under NOT NULL.
    for table in ("vote_event", "vote"):
        op.execute(f"DELETE FROM {table} WHERE voter_id IS NULL")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("voter_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.drop_column("purged_at")
        batch_op.drop_column("retention_days")
