"""job-search periods, case facts, note history, customer merges, supplementary conversations

Revision ID: 0060
Revises: 0050

The workstation's side of central c0060: the same tables, and the same first periods and
case facts derived from the customers it holds (app/db/case_upgrade.py), written without
outbox entries because the centre's own upgrade writes the same rows.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.case_upgrade import first_periods_and_facts

revision: str = "0060"
down_revision: str | Sequence[str] | None = "0050"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXIT_REASONS = ("employed_open_market", "employed_pay_subsidy", "self_employed", "studies",
                "moved_away", "other_services", "ended_by_authority", "other")
BENEFITS = ("earnings_related", "basic", "labour_market_subsidy", "none")
APPOINTMENT_TYPES = ("initial_interview", "job_search_conversation", "plan_review",
                     "multi_professional", "supplementary_conversation", "other")


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("hlc", sa.String(length=40), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


def _customer_fk(table: str, column: str = "customer_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["customer.id"],
                                   name=op.f(f"fk_{table}_{column}_customer"))


def upgrade() -> None:
    op.create_table(
        "job_search_period",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("exit_reason", sa.Enum(*EXIT_REASONS, name="caseexitreason",
                                         native_enum=False, create_constraint=True,
                                         length=32), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        *_synced_columns(),
        sa.CheckConstraint("closed_on IS NULL OR closed_on >= opened_on",
                           name=op.f("ck_job_search_period_ordered")),
        sa.CheckConstraint("(closed_on IS NULL) = (exit_reason IS NULL)",
                           name=op.f("ck_job_search_period_reasoned")),
        _customer_fk("job_search_period"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_search_period")),
    )
    with op.batch_alter_table("job_search_period") as batch:
        batch.create_index("ix_job_search_period_customer", ["customer_id", "opened_on"])
    op.create_table(
        "case_facts",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("partial_work_ability", sa.Boolean(), nullable=False),
        sa.Column("work_ability_since", sa.Date(), nullable=True),
        sa.Column("work_ability_basis", sa.String(length=200), nullable=True),
        sa.Column("benefit", sa.Enum(*BENEFITS, name="benefittype", native_enum=False,
                                     create_constraint=True, length=32), nullable=True),
        sa.Column("first_benefit_on", sa.Date(), nullable=True),
        sa.Column("subsidy_days", sa.Integer(), nullable=True),
        sa.Column("subsidy_days_on", sa.Date(), nullable=True),
        sa.Column("allowance_exhausted_on", sa.Date(), nullable=True),
        *_synced_columns(),
        _customer_fk("case_facts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_facts")),
    )
    with op.batch_alter_table("case_facts") as batch:
        batch.create_index("ix_case_facts_customer", ["customer_id"], unique=True)
    op.create_table(
        "customer_merge",
        sa.Column("from_customer_id", sa.String(length=36), nullable=False),
        sa.Column("into_customer_id", sa.String(length=36), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_merge")),
    )
    with op.batch_alter_table("customer_merge") as batch:
        batch.create_index(batch.f("ix_customer_merge_from_customer_id"),
                           ["from_customer_id"])
        batch.create_index(batch.f("ix_customer_merge_into_customer_id"),
                           ["into_customer_id"])
    with op.batch_alter_table("customer_note") as batch:
        batch.add_column(sa.Column("supersedes_id", sa.String(length=36), nullable=True))
    with op.batch_alter_table("appointment", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_appointment_appointmenttype"), type_="check")
        batch.create_check_constraint(op.f("ck_appointment_appointmenttype"),
                                      sa.column("type").in_(APPOINTMENT_TYPES))
    first_periods_and_facts(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("appointment", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_appointment_appointmenttype"), type_="check")
        batch.create_check_constraint(op.f("ck_appointment_appointmenttype"),
                                      sa.column("type").in_(APPOINTMENT_TYPES[:4] + ("other",)))
    with op.batch_alter_table("customer_note") as batch:
        batch.drop_column("supersedes_id")
    op.drop_table("customer_merge")
    op.drop_table("case_facts")
    op.drop_table("job_search_period")
