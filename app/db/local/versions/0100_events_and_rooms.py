"""group services and events: rooms, events, sessions, participants, attendance, themes

Revision ID: 0100
Revises: 0095

The workstation's side of central c0100: the same tables (app/db/event_ddl.py), and the
columns for where a worker works and an appointment's booked room.
"""
from collections.abc import Sequence

from alembic import op

from app.db.event_ddl import TABLES, add_columns, create_tables

revision: str = "0100"
down_revision: str | Sequence[str] | None = "0095"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_tables(op, local=True)
    add_columns(op)
    op.create_index("ix_appointment_room", "appointment", ["room_id", "starts_at"])


def downgrade() -> None:
    op.drop_index("ix_appointment_room", "appointment")
    with op.batch_alter_table("appointment") as batch:
        batch.drop_column("room_id")
    with op.batch_alter_table("working_hours") as batch:
        batch.drop_column("remote")
        batch.drop_column("service_point_id")
    for table in reversed(TABLES):
        op.drop_table(table)
