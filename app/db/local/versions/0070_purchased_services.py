"""purchased services: providers, contracts, referrals, support decisions, follow-ups

Revision ID: 0070
Revises: 0060

The workstation's side of central c0070: the same tables, and the plan's service line
gains the referral that carries it out.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.purchased_ddl import create_tables

revision: str = "0070"
down_revision: str | Sequence[str] | None = "0060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_tables(op, local=True)
    with op.batch_alter_table("plan_service") as batch:
        batch.add_column(sa.Column("referral_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_service") as batch:
        batch.drop_column("referral_id")
    for table in ("effect_followup", "support_decision", "referral", "service_contract",
                  "service_provider"):
        op.drop_table(table)
