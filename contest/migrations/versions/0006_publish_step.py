"""publishing the results is a separate step; the certificates' organiser

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import contest.core.timeutil

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "organiser",
                sqlmodel.sql.sqltypes.AutoString(length=100),
                nullable=False,
                server_default="인천광역시장",
            )
        )
        batch_op.add_column(sa.Column("published_snapshot_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("published_at", contest.core.timeutil.UTCDateTime(), nullable=True)
        )
    # Contests finalised before this step existed were public at once: they stay public.
    bind = op.get_bind()
    finalised = bind.execute(
        sa.text(
            "SELECT c.id, MAX(s.id) FROM contest c JOIN result_snapshot s ON s.contest_id = c.id"
            " WHERE c.phase = 'finalised' GROUP BY c.id"
        )
    ).all()
    now = datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC (timeutil.UTCDateTime)
    for contest_id, snapshot_id in finalised:
        bind.execute(
            sa.text(
                "UPDATE contest SET published_snapshot_id = :snapshot, published_at = :now"
                " WHERE id = :contest"
            ),
            {"snapshot": snapshot_id, "now": now, "contest": contest_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.drop_column("published_at")
        batch_op.drop_column("published_snapshot_id")
        batch_op.drop_column("organiser")
