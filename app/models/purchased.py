"""Purchased services (providers, contracts, referrals), support decisions, and the
follow-up of their effect (#20)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced, enum_column
from app.rules.codes import (
    DecisionKind,
    DecisionStatus,
    FollowupSituation,
    PlacesPeriod,
    ReferralEndReason,
    ReferralState,
    ServiceKind,
)


class ServiceProvider(Synced, Base):
    """A company or organisation the area buys services from: reference data, no
    customer in it."""

    __tablename__ = "service_provider"

    name: Mapped[str] = mapped_column(String(200))
    business_id: Mapped[str] = mapped_column(String(9), index=True)  # Y-tunnus 1234567-8
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    street_address: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    post_office: Mapped[str | None] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ServiceContract(Synced, Base):
    """What a provider sells the area: a service, its period, places and price."""

    __tablename__ = "service_contract"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ordered"),
        # Priced per customer or as a lump sum for the contract, not both.
        CheckConstraint("(unit_price_cents IS NULL) <> (lump_sum_cents IS NULL)",
                        name="priced"),
    )

    provider_id: Mapped[str] = mapped_column(ForeignKey("service_provider.id"), index=True)
    service: Mapped[ServiceKind] = enum_column(ServiceKind)
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    places: Mapped[int | None] = mapped_column(Integer)  # None: no limit agreed
    places_per: Mapped[PlacesPeriod] = enum_column(PlacesPeriod, default=PlacesPeriod.CONTRACT)
    unit_price_cents: Mapped[int | None] = mapped_column(Integer)
    lump_sum_cents: Mapped[int | None] = mapped_column(Integer)
    # Service point ids separated by spaces; empty: every service point of the area.
    service_point_ids: Mapped[str] = mapped_column(String(400), default="")
    note: Mapped[str | None] = mapped_column(Text)


class Referral(Synced, Base):
    """A customer sent to a contracted service. Forward only (app/rules/referrals.py)."""

    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_customer", "customer_id", "proposed_on"),)

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    contract_id: Mapped[str] = mapped_column(ForeignKey("service_contract.id"), index=True)
    # The plan's service line it carries out (the plan shows the referral's live state).
    plan_service_id: Mapped[str | None] = mapped_column(String(36))
    coach_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))  # who referred
    state: Mapped[ReferralState] = enum_column(ReferralState, default=ReferralState.PROPOSED)
    proposed_on: Mapped[date] = mapped_column(Date)
    sent_on: Mapped[date | None] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date)  # accepted or declined
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)  # interrupted or completed
    end_reason: Mapped[ReferralEndReason | None] = enum_column(ReferralEndReason,
                                                               nullable=True)
    note: Mapped[str | None] = mapped_column(Text)


class ContractPlace(Synced, Base):
    """The central place ledger: one row per referral (the same id), written only by the
    centre (a trigger on `referral`, central c0080) and pulled by every workstation, so a
    contract's places are counted whole on every desk although each desk holds only the
    referrals of its own customers. No customer in it: the contract, the day it was sent,
    whether it holds a place, and the municipality and service point the place is
    charged to (the lump sum's split)."""

    __tablename__ = "contract_place"
    __table_args__ = (Index("ix_contract_place_contract", "contract_id", "sent_on"),)

    contract_id: Mapped[str] = mapped_column(String(36))
    sent_on: Mapped[date | None] = mapped_column(Date)
    holds_place: Mapped[bool] = mapped_column(Boolean, default=False)
    home_municipality: Mapped[str | None] = mapped_column(String(60))
    service_point_id: Mapped[str | None] = mapped_column(String(36))


class SupportDecision(Synced, Base):
    """Pay subsidy, work trial, training trial or start-up grant. A decided row is never
    edited: it is ended early or replaced by a new decision (history kept)."""

    __tablename__ = "support_decision"
    __table_args__ = (Index("ix_support_decision_customer", "customer_id", "starts_on"),)
    # What is decided travels with the decision: a push that decides carries the content
    # the decider saw, so the centre can tell when a draft changed meanwhile (merge.py).
    __sync_together__ = {"status": ("kind", "employer_name", "employer_business_id",
                                    "starts_on", "ends_on", "hours_per_week", "percentage",
                                    "amount_cents", "paying_municipality")}

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    kind: Mapped[DecisionKind] = enum_column(DecisionKind)
    status: Mapped[DecisionStatus] = enum_column(DecisionStatus, default=DecisionStatus.DRAFT)
    # The employer or organiser, until the employer register (#22) links it.
    employer_name: Mapped[str] = mapped_column(String(200))
    employer_business_id: Mapped[str | None] = mapped_column(String(9))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    percentage: Mapped[int | None] = mapped_column(Integer)  # of pay, for a pay subsidy
    amount_cents: Mapped[int | None] = mapped_column(Integer)  # the whole decision's sum
    paying_municipality: Mapped[str] = mapped_column(String(60))
    drafted_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    ended_on: Mapped[date | None] = mapped_column(Date)  # ended early
    end_reason: Mapped[str | None] = mapped_column(String(200))
    replaces_id: Mapped[str | None] = mapped_column(String(36))
    replaced_by_id: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str | None] = mapped_column(Text)


class EffectFollowup(Synced, Base):
    """A coach's answer, three or six months after a referral or decision ended, to
    where the customer is. One row per (source, months): its id is derived from them,
    so two desks answering offline write the same row (a field conflict, not two)."""

    __tablename__ = "effect_followup"
    __table_args__ = (
        CheckConstraint("(referral_id IS NULL) <> (decision_id IS NULL)", name="one_source"),
        CheckConstraint("months IN (3, 6)", name="months"),
    )

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    referral_id: Mapped[str | None] = mapped_column(String(36), index=True)
    decision_id: Mapped[str | None] = mapped_column(String(36), index=True)
    months: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    situation: Mapped[FollowupSituation] = enum_column(FollowupSituation)
    answered_on: Mapped[date] = mapped_column(Date)
    answered_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))


# The namespace of follow-up ids (the central guard c0070 derives the same ids).
FOLLOWUP_NAMESPACE = "5b0f6a86-9a7e-4f62-9a55-20f4c0a1e020"
_FOLLOWUP_NS = uuid.UUID(FOLLOWUP_NAMESPACE)


def followup_id(source_id: str, months: int) -> str:
    """The one follow-up row of a referral or decision at 3 or 6 months."""
    return str(uuid.uuid5(_FOLLOWUP_NS, f"{source_id}:{months}"))
