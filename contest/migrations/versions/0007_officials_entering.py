"""a contest's rule for judges and admins who enter it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Contests that exist already keep the rule they ran under (judges who entered judged
    # every poster but their own); new contests start from "recuse" (contests/manage.py).
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "officials_entering",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="allowed",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.drop_column("officials_entering")
