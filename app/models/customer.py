"""Customers (jobseekers), their unemployment history and case notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced, enum_column
from app.rules.codes import BenefitType, NoteKind


class Customer(Synced, Base):
    __tablename__ = "customer"
    __table_args__ = (
        CheckConstraint("length(first_names) > 0 AND length(last_name) > 0", name="named"),
        Index("ix_customer_sort_name", "sort_name", "id"),
        Index("ix_customer_coach", "coach_id"),
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
    partial_work_ability: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when the retention period ended and the personal data was erased (scrubbed
    # here and, by the central trigger and every pulling workstation, in dependent rows).
    erased_at: Mapped[datetime | None]


class UnemploymentPeriod(Synced, Base):
    __tablename__ = "unemployment_period"

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
