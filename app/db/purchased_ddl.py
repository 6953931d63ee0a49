"""The tables of purchased services, support decisions and effect follow-ups (#20), as
both migrations create them (local 0070, central c0070): one definition, so the two
schemas cannot drift. The workstation's copy carries foreign keys; the centre's does
not (rows arrive in any order there, and row-level security hides referenced rows)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

SERVICE_KINDS = ("individual_coaching", "group_coaching", "expert_assessment",
                 "labour_market_training", "work_ability_assessment", "career_guidance",
                 "other")
PLACES_PERIODS = ("contract", "year", "quarter", "month")
REFERRAL_STATES = ("proposed", "sent", "accepted", "declined", "started", "interrupted",
                   "completed")
REFERRAL_END_REASONS = ("no_places", "not_suitable", "customer_declined", "employed",
                        "studies", "health", "provider_ended", "other")
DECISION_KINDS = ("pay_subsidy", "work_trial", "training_trial", "start_up_grant")
DECISION_STATUSES = ("draft", "decided", "ended", "replaced")
SITUATIONS = ("employed_open_market", "employed_supported", "studies", "unemployed",
              "other_services", "unknown")

TABLES = ("service_provider", "service_contract", "referral", "support_decision",
          "effect_followup")


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("hlc", sa.String(length=40), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def create_tables(op: Any, local: bool) -> None:
    def fk(table: str, column: str, target: str) -> list[sa.ForeignKeyConstraint]:
        if not local:
            return []
        return [sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                        name=op.f(f"fk_{table}_{column}_{target}"))]

    op.create_table(
        "service_provider",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("business_id", sa.String(length=9), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("contact_person", sa.String(length=200), nullable=True),
        sa.Column("street_address", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("post_office", sa.String(length=80), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_provider")),
    )
    op.create_index(op.f("ix_service_provider_business_id"), "service_provider",
                    ["business_id"])
    op.create_table(
        "service_contract",
        sa.Column("provider_id", sa.String(length=36), nullable=False),
        sa.Column("service", _enum(SERVICE_KINDS, "servicekind"), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=True),
        sa.Column("places_per", _enum(PLACES_PERIODS, "placesperiod"), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=True),
        sa.Column("lump_sum_cents", sa.Integer(), nullable=True),
        sa.Column("service_point_ids", sa.String(length=400), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_synced_columns(),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_service_contract_ordered")),
        sa.CheckConstraint("(unit_price_cents IS NULL) <> (lump_sum_cents IS NULL)",
                           name=op.f("ck_service_contract_priced")),
        *fk("service_contract", "provider_id", "service_provider"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_contract")),
    )
    op.create_index(op.f("ix_service_contract_provider_id"), "service_contract",
                    ["provider_id"])
    op.create_table(
        "referral",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("plan_service_id", sa.String(length=36), nullable=True),
        sa.Column("coach_id", sa.String(length=36), nullable=True),
        sa.Column("state", _enum(REFERRAL_STATES, "referralstate"), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", _enum(REFERRAL_END_REASONS, "referralendreason"),
                  nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_synced_columns(),
        *fk("referral", "customer_id", "customer"),
        *fk("referral", "contract_id", "service_contract"),
        *fk("referral", "coach_id", "staff"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    op.create_index("ix_referral_customer", "referral", ["customer_id", "proposed_on"])
    op.create_index(op.f("ix_referral_contract_id"), "referral", ["contract_id"])
    op.create_table(
        "support_decision",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("kind", _enum(DECISION_KINDS, "decisionkind"), nullable=False),
        sa.Column("status", _enum(DECISION_STATUSES, "decisionstatus"), nullable=False),
        sa.Column("employer_name", sa.String(length=200), nullable=False),
        sa.Column("employer_business_id", sa.String(length=9), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("hours_per_week", sa.Float(), nullable=True),
        sa.Column("percentage", sa.Integer(), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=True),
        sa.Column("paying_municipality", sa.String(length=60), nullable=False),
        sa.Column("drafted_by", sa.String(length=36), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=36), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=200), nullable=True),
        sa.Column("replaces_id", sa.String(length=36), nullable=True),
        sa.Column("replaced_by_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_synced_columns(),
        *fk("support_decision", "customer_id", "customer"),
        *fk("support_decision", "drafted_by", "staff"),
        *fk("support_decision", "decided_by", "staff"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_decision")),
    )
    op.create_index("ix_support_decision_customer", "support_decision",
                    ["customer_id", "starts_on"])
    op.create_table(
        "effect_followup",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("referral_id", sa.String(length=36), nullable=True),
        sa.Column("decision_id", sa.String(length=36), nullable=True),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("situation", _enum(SITUATIONS, "followupsituation"), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("answered_by", sa.String(length=36), nullable=True),
        *_synced_columns(),
        sa.CheckConstraint("(referral_id IS NULL) <> (decision_id IS NULL)",
                           name=op.f("ck_effect_followup_one_source")),
        sa.CheckConstraint("months IN (3, 6)", name=op.f("ck_effect_followup_months")),
        *fk("effect_followup", "customer_id", "customer"),
        *fk("effect_followup", "answered_by", "staff"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_effect_followup")),
    )
    op.create_index(op.f("ix_effect_followup_customer_id"), "effect_followup",
                    ["customer_id"])
    op.create_index(op.f("ix_effect_followup_referral_id"), "effect_followup",
                    ["referral_id"])
    op.create_index(op.f("ix_effect_followup_decision_id"), "effect_followup",
                    ["decision_id"])


def create_place_ledger(op: Any) -> None:
    """The place ledger (local 0080, central c0080): no foreign keys on either side, as
    the workstation holds ledger rows of referrals it does not hold."""
    op.create_table(
        "contract_place",
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("holds_place", sa.Boolean(), nullable=False),
        sa.Column("home_municipality", sa.String(length=60), nullable=True),
        sa.Column("service_point_id", sa.String(length=36), nullable=True),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_place")),
    )
    op.create_index("ix_contract_place_contract", "contract_place", ["contract_id", "sent_on"])
