"""the place ledger: every referral's place on its contract, as the centre counts it

Revision ID: 0080
Revises: 0075

The workstation's side of central c0080: the ledger rows arrive by pull; nothing on the
workstation writes them.
"""
from collections.abc import Sequence

from alembic import op

from app.db.purchased_ddl import create_place_ledger

revision: str = "0080"
down_revision: str | Sequence[str] | None = "0075"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_place_ledger(op)


def downgrade() -> None:
    op.drop_table("contract_place")
