"""The employer register's tables (#22), as both migrations create them (local 0095,
central c0090): one definition, so the two schemas cannot drift. The workstation's copy
carries foreign keys; the centre's does not (rows arrive in any order there, and
row-level security hides referenced rows)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.db.purchased_ddl import _enum, _synced_columns

SIZES = ("micro", "small", "medium", "large")
CHANNELS = ("visit", "phone", "email", "meeting", "event")
TOPICS = ("recruitment", "pay_subsidy", "training", "change_security", "other")
VACANCY_STATUSES = ("open", "filled", "closed", "cancelled")
HOURS = ("full_time", "part_time", "shifts", "other")
OUTCOMES = ("proposed", "applied", "interviewed", "hired", "not_chosen")

TABLES = ("employer", "employer_person", "employer_contact", "vacancy", "job_proposal")


def create_tables(op: Any, local: bool) -> None:
    def fk(table: str, column: str, target: str) -> list[sa.ForeignKeyConstraint]:
        if not local:
            return []
        return [sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                        name=op.f(f"fk_{table}_{column}_{target}"))]

    op.create_table(
        "employer",
        sa.Column("business_id", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("industry", sa.String(length=1), nullable=True),
        sa.Column("size_class", _enum(SIZES, "employersize"), nullable=True),
        sa.Column("municipality", sa.String(length=60), nullable=False),
        sa.Column("street_address", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("post_office", sa.String(length=80), nullable=True),
        sa.Column("visiting_address", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("website", sa.String(length=200), nullable=True),
        sa.Column("team_id", sa.String(length=36), nullable=True),
        sa.Column("contact_staff_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_synced_columns(),
        *fk("employer", "team_id", "team"),
        *fk("employer", "contact_staff_id", "staff"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer")),
        sa.UniqueConstraint("business_id", name=op.f("uq_employer_business_id")),
    )
    op.create_index(op.f("ix_employer_name"), "employer", ["name"])
    op.create_table(
        "employer_person",
        sa.Column("employer_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("role", sa.String(length=120), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_synced_columns(),
        *fk("employer_person", "employer_id", "employer"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_person")),
    )
    op.create_index(op.f("ix_employer_person_employer_id"), "employer_person",
                    ["employer_id"])
    op.create_table(
        "employer_contact",
        sa.Column("employer_id", sa.String(length=36), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        sa.Column("channel", _enum(CHANNELS, "employerchannel"), nullable=False),
        sa.Column("topic", _enum(TOPICS, "employertopic"), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("follow_up_by", sa.String(length=36), nullable=True),
        sa.Column("follow_up_done_on", sa.Date(), nullable=True),
        *_synced_columns(),
        *fk("employer_contact", "employer_id", "employer"),
        *fk("employer_contact", "staff_id", "staff"),
        *fk("employer_contact", "follow_up_by", "staff"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_contact")),
    )
    op.create_index("ix_employer_contact_employer", "employer_contact",
                    ["employer_id", "contacted_on"])
    op.create_index("ix_employer_contact_follow_up", "employer_contact",
                    ["follow_up_by", "follow_up_on"])
    op.create_table(
        "vacancy",
        sa.Column("employer_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("occupation", sa.String(length=200), nullable=True),
        sa.Column("municipality", sa.String(length=60), nullable=False),
        sa.Column("hours", _enum(HOURS, "vacancyhours"), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("positions", sa.Integer(), nullable=False),
        sa.Column("apply_by", sa.Date(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("pay_subsidy_possible", sa.Boolean(), nullable=False),
        sa.Column("status", _enum(VACANCY_STATUSES, "vacancystatus"), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        *_synced_columns(),
        sa.CheckConstraint("positions >= 1", name=op.f("ck_vacancy_positions")),
        *fk("vacancy", "employer_id", "employer"),
        *fk("vacancy", "staff_id", "staff"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancy")),
    )
    op.create_index("ix_vacancy_employer", "vacancy", ["employer_id", "opened_on"])
    op.create_table(
        "job_proposal",
        sa.Column("vacancy_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("proposed_by", sa.String(length=36), nullable=True),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("outcome", _enum(OUTCOMES, "proposaloutcome"), nullable=False),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("shared", sa.Text(), nullable=True),
        *_synced_columns(),
        *fk("job_proposal", "vacancy_id", "vacancy"),
        *fk("job_proposal", "customer_id", "customer"),
        *fk("job_proposal", "proposed_by", "staff"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_proposal")),
    )
    op.create_index("ix_job_proposal_customer", "job_proposal", ["customer_id", "proposed_on"])
    op.create_index("ix_job_proposal_vacancy", "job_proposal", ["vacancy_id"])
