"""tie-break order, shared awards, named winners; the certificate ledger

Revision ID: 0008
Revises: 0006
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import contest.core.timeutil

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN in place, not in batch mode: a batch copy of the contest table would fail
    # under SQLite's foreign keys on a database that has entries. The server defaults fill the
    # rows that exist.
    op.add_column(
        "contest",
        sa.Column(
            "tie_break",
            sqlmodel.sql.sqltypes.AutoString(length=16),
            nullable=False,
            server_default="jury_votes",
        ),
    )
    op.add_column(
        "contest",
        sa.Column("shared_awards", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "contest",
        sa.Column("winners_named", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "certificate_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("award", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", contest.core.timeutil.UTCDateTime(), nullable=False),
        sa.Column("voided_at", contest.core.timeutil.UTCDateTime(), nullable=True),
        sa.Column("voided_snapshot_id", sa.Integer(), nullable=True),
        sa.Column("void_kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("void_note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.ForeignKeyConstraint(["contest_id"], ["contest.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"]),
        sa.ForeignKeyConstraint(["snapshot_id"], ["result_snapshot.id"]),
        sa.ForeignKeyConstraint(["voided_snapshot_id"], ["result_snapshot.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contest_id", "serial", name="uq_certificate_serial"),
    )
    with op.batch_alter_table("certificate_number", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificate_number_contest_id"), ["contest_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_certificate_number_entry_id"), ["entry_id"], unique=False
        )
    _ledger_from_latest_records()


def _ledger_from_latest_records() -> None:
    """A finalised contest's certificates were numbered by their place in the winners list of
    its latest record: the ledger starts with exactly those numbers, so what was printed holds."""
    bind = op.get_bind()
    latest = bind.execute(
        sa.text(
            "SELECT s.id, s.contest_id, s.payload, s.created_at FROM result_snapshot s"
            " JOIN contest c ON c.id = s.contest_id WHERE c.phase = 'finalised' AND s.id ="
            " (SELECT MAX(t.id) FROM result_snapshot t WHERE t.contest_id = s.contest_id)"
        )
    ).all()
    for snapshot_id, contest_id, payload, created_at in latest:
        table: list[dict[str, Any]] = (
            json.loads(payload) if isinstance(payload, str) else payload
        )["table"]
        winners = [row for row in table if row.get("award")]
        for serial, row in enumerate(winners, start=1):
            bind.execute(
                sa.text(
                    "INSERT INTO certificate_number (contest_id, serial, entry_id, award,"
                    " snapshot_id, issued_at, void_kind, void_note) VALUES (:contest, :serial,"
                    " :entry, :award, :snapshot, :at, '', '')"
                ),
                {
                    "contest": contest_id,
                    "serial": serial,
                    "entry": row["entry_id"],
                    "award": str(row["award"]),
                    "snapshot": snapshot_id,
                    "at": created_at,
                },
            )


def downgrade() -> None:
    with op.batch_alter_table("certificate_number", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_number_entry_id"))
        batch_op.drop_index(batch_op.f("ix_certificate_number_contest_id"))
    op.drop_table("certificate_number")
    # In place, as they were added (SQLite 3.35+ drops a column without copying the table).
    for name in ("winners_named", "shared_awards", "tie_break"):
        op.execute(f"ALTER TABLE contest DROP COLUMN {name}")
