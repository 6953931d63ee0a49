"""Customers (jobseekers), their unemployment history and case notes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced, enum_column
from app.rules.codes import BenefitType, CaseExitReason, NoteKind

_FACTS_NAMESPACE = uuid.UUID("6f1d2c84-3a57-4b0e-9c61-2d8e7f4a5b93")
_PERIOD_NAMESPACE = uuid.UUID("0c4e9a71-5b2d-4f38-a6e1-7d9b3c2f8e15")


class Customer(Synced, Base):
    __tablename__ = "customer"
    __table_args__ = (
        CheckConstraint("length(first_names) > 0 AND length(last_name) > 0", name="named"),
        Index("ix_customer_sort_name", "sort_name", "id"),
        Index("ix_customer_coach", "coach_id"),
        # Local only (app.models.local_time): the municipal split looks up the home
        # municipality of each customer who visited, from this index alone.
        Index("ix_customer_municipality", "id", "home_municipality",
              info={"local_only": True}),
        # Local only: the timeliness reports read their customers from it alone.
        Index("ix_customer_report_clock", "id", "deleted_at", "jobseeker_registered_on",
              "birth_date", "unemployed_since", "first_residence_permit_on", "active",
              "service_point_id", "coach_id", info={"local_only": True}),
    )

    # Short, readable, generated offline from the id (rules.customer_number).
    customer_number: Mapped[str] = mapped_column(String(12), unique=True)
    # Personal identity code; customers without one (new arrivals) are registrable.
    hetu: Mapped[str | None] = mapped_column(String(11), unique=True)
    hetu_temporary: Mapped[bool] = mapped_column(Boolean, default=False)
    first_names: Mapped[str] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(120))
    # casefold("last first"): keyset ordering and name search use it.
    sort_name: Mapped[str] = mapped_column(String(250))
    birth_date: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(8), default="fi")
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    street_address: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    post_office: Mapped[str | None] = mapped_column(String(80))
    home_municipality: Mapped[str] = mapped_column(String(60))
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    coach_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    jobseeker_registered_on: Mapped[date | None] = mapped_column(Date)
    unemployed_since: Mapped[date | None] = mapped_column(Date)
    # First residence permit date: the integration plan applies in the first years.
    first_residence_permit_on: Mapped[date | None] = mapped_column(Date)
    # No longer written (c0060/0060 moved it to CaseFacts, which the desk cannot read);
    # kept, always false, so that older workstations still read the row.
    partial_work_ability: Mapped[bool] = mapped_column(Boolean, default=False)
    # The case is open: the customer's latest job-search period has not ended. Kept with
    # the periods in one transaction (services/case_periods.py); caseloads count these.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when the retention period ended and the personal data was erased (scrubbed
    # here and, by the central trigger and every pulling workstation, in dependent rows).
    erased_at: Mapped[datetime | None]


class UnemploymentPeriod(Synced, Base):
    __tablename__ = "unemployment_period"
    # Local only: the activation plans' report reads the subsidy periods from it alone.
    __table_args__ = (Index("ix_unemployment_period_report", "benefit", "deleted_at",
                            "customer_id", "starts_on", "ends_on",
                            info={"local_only": True}),)

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    benefit: Mapped[BenefitType] = enum_column(BenefitType)


class CustomerNote(Synced, Base):
    """Case notes; work-ability notes are health-related and seen by coaches only."""

    __tablename__ = "customer_note"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    kind: Mapped[NoteKind] = enum_column(NoteKind)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    written_at: Mapped[datetime]
    # Editing a note writes a new row that supersedes this one and tombstones this one:
    # the earlier text is kept (and the edit audited), the card shows the latest.
    supersedes_id: Mapped[str | None] = mapped_column(String(36))


class JobSearchPeriod(Synced, Base):
    """One job-search period (työnhakujakso): a customer's case is a sequence of them.

    Opened on the registration day, ended with a date and a coded reason, reopened as a
    new period. `Customer.active` says whether the latest one is open."""

    __tablename__ = "job_search_period"
    __table_args__ = (
        Index("ix_job_search_period_customer", "customer_id", "opened_on"),
        Index("ix_job_search_period_report", "customer_id", "deleted_at", "opened_on",
              "closed_on", info={"local_only": True}),  # local only: the timeliness reports
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="ordered"),
        CheckConstraint("(closed_on IS NULL) = (exit_reason IS NULL)", name="reasoned"),
    )

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    exit_reason: Mapped[CaseExitReason | None] = enum_column(CaseExitReason, nullable=True)
    outcome_note: Mapped[str | None] = mapped_column(Text)


def first_period_id(customer_id: str) -> str:
    """The id of a customer's first job-search period, derived from the customer's: the
    registration, the upgrade of a workstation and the centre's migration all write the
    same row, so it is never doubled."""
    return str(uuid.uuid5(_PERIOD_NAMESPACE, customer_id))


def case_facts_id(customer_id: str) -> str:
    """One facts row per customer, its id derived from the customer's: two workstations
    entering facts offline write the same row, and the sync merges its fields."""
    return str(uuid.uuid5(_FACTS_NAMESPACE, customer_id))


class CaseFacts(Synced, Base):
    """The facts behind the statutory rules that are case work, not identity: work
    ability (health-related) and the benefit (Kela's figures, copied by the coach).
    Coaches and team leads read and write them; the desk never sees them."""

    __tablename__ = "case_facts"
    __table_args__ = (
        Index("ix_case_facts_customer", "customer_id", unique=True),
        # Local only: the timeliness reports read the case facts from it alone.
        Index("ix_case_facts_report", "customer_id", "deleted_at", "partial_work_ability",
              "subsidy_days", "subsidy_days_on", "allowance_exhausted_on",
              info={"local_only": True}),
    )

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    partial_work_ability: Mapped[bool] = mapped_column(Boolean, default=False)
    work_ability_since: Mapped[date | None] = mapped_column(Date)
    work_ability_basis: Mapped[str | None] = mapped_column(String(200))
    benefit: Mapped[BenefitType | None] = enum_column(BenefitType, nullable=True)
    # Day 1 of the 100-day count when known (else estimated from unemployed_since).
    first_benefit_on: Mapped[date | None] = mapped_column(Date)
    # Labour-market subsidy days paid as of a date, from Kela's statement.
    subsidy_days: Mapped[int | None] = mapped_column(Integer)
    subsidy_days_on: Mapped[date | None] = mapped_column(Date)
    # The maximum period of earnings-related or basic allowance ended (189/2001 3 § 2 mom.).
    allowance_exhausted_on: Mapped[date | None] = mapped_column(Date)


class CustomerMerge(Synced, Base):
    """A duplicate registration merged into the real one: written once by the merge,
    moved rows and all, and applied again by the centre to whatever reached it later."""

    __tablename__ = "customer_merge"
    __append_only__ = True

    from_customer_id: Mapped[str] = mapped_column(String(36), index=True)
    into_customer_id: Mapped[str] = mapped_column(String(36), index=True)
    merged_at: Mapped[datetime]
