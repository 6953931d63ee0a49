"""multi-professional work: partners, consents, meeting participants and tasks, plan types

Revision ID: 0110
Revises: 0105

The workstation's side of central c0110: the same tables (app/db/partner_ddl.py) and each
plan type's own columns on plan_version (plain ADD COLUMN: no table rebuild, so the
table's triggers stay).
"""
from collections.abc import Sequence

from alembic import op

from app.db.partner_ddl import PLAN_VERSION_COLUMNS, TABLES, add_plan_version_columns, create_tables

revision: str = "0110"
down_revision: str | Sequence[str] | None = "0105"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_tables(op, local=True)
    add_plan_version_columns(op)


def downgrade() -> None:
    for name, _type in reversed(PLAN_VERSION_COLUMNS):
        op.drop_column("plan_version", name)
    for table in reversed(TABLES):
        op.drop_table(table)
