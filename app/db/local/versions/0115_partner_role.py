"""the partner role: a partner organisation's worker with a limited staff account

Revision ID: 0115
Revises: 0110

The workstation's side of central c0115: staff.partner_org_id, and the role's CHECK
constraint gains 'partner' (SQLite rebuilds the staff table for it: it has no triggers).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0115"
down_revision: str | Sequence[str] | None = "0110"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("desk", "coach", "team_lead", "admin", "partner")
PARTNER_HAS_ORG = "role <> 'partner' OR partner_org_id IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("staff", recreate="always") as batch:
        batch.add_column(sa.Column("partner_org_id", sa.String(length=36), nullable=True))
        batch.drop_constraint(op.f("ck_staff_role"), type_="check")
        batch.create_check_constraint(op.f("ck_staff_role"), sa.column("role").in_(ROLES))
        batch.create_check_constraint(op.f("ck_staff_partner_has_org"), PARTNER_HAS_ORG)


def downgrade() -> None:
    with op.batch_alter_table("staff", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_staff_partner_has_org"), type_="check")
        batch.drop_constraint(op.f("ck_staff_role"), type_="check")
        batch.create_check_constraint(op.f("ck_staff_role"), sa.column("role").in_(ROLES[:4]))
        batch.drop_column("partner_org_id")
