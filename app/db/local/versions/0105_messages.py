"""messages to customers: contact preferences, messages, templates, the heartbeat

Revision ID: 0105
Revises: 0100

The workstation's side of central c0105: the same tables (app/db/message_ddl.py).
"""
from collections.abc import Sequence

from alembic import op

from app.db.message_ddl import TABLES, create_tables

revision: str = "0105"
down_revision: str | Sequence[str] | None = "0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_tables(op, local=True)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
