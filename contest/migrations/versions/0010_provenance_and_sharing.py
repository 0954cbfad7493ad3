"""what an upload says about its making; the author's consent to share how it was made

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-07 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "share_making_default", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
    with op.batch_alter_table("image_object", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provenance", sa.JSON(), nullable=True))
    # Posters sent before the consent existed showed their prompt to everyone: they keep doing so.
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("share_making", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_column("share_making")
    with op.batch_alter_table("image_object", schema=None) as batch_op:
        batch_op.drop_column("provenance")
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.drop_column("share_making_default")
