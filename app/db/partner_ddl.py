"""The tables of multi-professional work (#24), as both migrations create them (local
0110, central c0110): one definition, so the two schemas cannot drift. The workstation's
copy carries foreign keys; the centre's does not (rows arrive in any order there)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.db.purchased_ddl import _enum, _synced_columns
from app.rules.codes import ConsentHow, PartnerKind

KINDS = tuple(k.value for k in PartnerKind)
HOW = tuple(h.value for h in ConsentHow)

TABLES = ("partner_org", "partner_person", "customer_consent", "meeting_participant",
          "meeting_task", "plan_participant")

# Each plan type's own part, added to plan_version (plain ADD COLUMN on both sides).
PLAN_VERSION_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("meeting_id", sa.String(length=36)),
    ("meeting_minute", sa.Text()),
    ("follow_up_on", sa.Date()),
    ("customer_view", sa.Text()),
    ("activation_conditions", sa.Text()),
    ("activation_measures", sa.Text()),
    ("social_worker_part", sa.Text()),
    ("integration_training", sa.Text()),
    ("residence_permit_on", sa.Date()),
    ("interpreter_language", sa.String(length=60)),
    ("integration_measures", sa.Text()),
)


def add_plan_version_columns(op: Any) -> None:
    for name, type_ in PLAN_VERSION_COLUMNS:
        op.add_column("plan_version", sa.Column(name, type_, nullable=True))


def create_tables(op: Any, local: bool) -> None:
    def fk(table: str, column: str, target: str) -> list[sa.ForeignKeyConstraint]:
        if not local:
            return []
        return [sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                        name=op.f(f"fk_{table}_{column}_{target}"))]

    op.create_table(
        "partner_org",
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("kind", _enum(KINDS, "partnerkind"), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("street_address", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("post_office", sa.String(length=60), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_org")),
    )
    op.create_table(
        "partner_person",
        sa.Column("partner_org_id", sa.String(length=36), nullable=False),
        sa.Column("full_name", sa.String(length=160), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_synced_columns(),
        *fk("partner_person", "partner_org_id", "partner_org"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_person")),
    )
    op.create_index(op.f("ix_partner_person_partner_org_id"), "partner_person",
                    ["partner_org_id"])
    op.create_table(
        "customer_consent",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("partner_org_id", sa.String(length=36), nullable=False),
        sa.Column("purpose", sa.String(length=400), nullable=True),
        sa.Column("information", sa.String(length=200), nullable=False),
        sa.Column("given_how", _enum(HOW, "consenthow"), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=36), nullable=True),
        sa.Column("recorded_by", sa.String(length=36), nullable=True),
        *_synced_columns(),
        sa.CheckConstraint("valid_until IS NULL OR valid_until >= valid_from",
                           name=op.f("ck_customer_consent_consent_ordered")),
        *fk("customer_consent", "customer_id", "customer"),
        *fk("customer_consent", "partner_org_id", "partner_org"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_consent")),
    )
    op.create_index("ix_customer_consent_customer", "customer_consent",
                    ["customer_id", "partner_org_id"])
    op.create_table(
        "meeting_participant",
        sa.Column("appointment_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("partner_person_id", sa.String(length=36), nullable=True),
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("invited_at", sa.DateTime(), nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=True),
        *_synced_columns(),
        sa.CheckConstraint("(partner_person_id IS NULL) <> (staff_id IS NULL)",
                           name=op.f("ck_meeting_participant_one_participant")),
        *fk("meeting_participant", "appointment_id", "appointment"),
        *fk("meeting_participant", "customer_id", "customer"),
        *fk("meeting_participant", "partner_person_id", "partner_person"),
        *fk("meeting_participant", "staff_id", "staff"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_participant")),
    )
    op.create_index(op.f("ix_meeting_participant_appointment_id"), "meeting_participant",
                    ["appointment_id"])
    op.create_index(op.f("ix_meeting_participant_customer_id"), "meeting_participant",
                    ["customer_id"])
    op.create_table(
        "meeting_task",
        sa.Column("appointment_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        *_synced_columns(),
        *fk("meeting_task", "appointment_id", "appointment"),
        *fk("meeting_task", "customer_id", "customer"),
        *fk("meeting_task", "participant_id", "meeting_participant"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_task")),
    )
    op.create_index(op.f("ix_meeting_task_appointment_id"), "meeting_task",
                    ["appointment_id"])
    op.create_index(op.f("ix_meeting_task_customer_id"), "meeting_task", ["customer_id"])
    op.create_table(
        "plan_participant",
        sa.Column("plan_version_id", sa.String(length=36), nullable=False),
        sa.Column("partner_person_id", sa.String(length=36), nullable=True),
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=True),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("responsibilities", sa.Text(), nullable=True),
        sa.Column("services", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        *_synced_columns(),
        *fk("plan_participant", "plan_version_id", "plan_version"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_participant")),
    )
    op.create_index(op.f("ix_plan_participant_plan_version_id"), "plan_participant",
                    ["plan_version_id"])
