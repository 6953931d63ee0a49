"""employer register: employers, contact persons, contacts, vacancies, job proposals

Revision ID: 0095
Revises: 0090

The workstation's side of central c0090: the same tables (app/db/employer_ddl.py).
"""
from collections.abc import Sequence

from alembic import op

from app.db.employer_ddl import TABLES, create_tables

revision: str = "0095"
down_revision: str | Sequence[str] | None = "0090"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_tables(op, local=True)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
