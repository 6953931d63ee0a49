"""Employment plans and their versions with goals, actions and services."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced, enum_column
from app.rules.codes import PlanStatus, PlanType


class Plan(Synced, Base):
    __tablename__ = "plan"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    plan_type: Mapped[PlanType] = enum_column(PlanType)
    coach_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))


class PlanVersion(Synced, Base):
    """An accepted version never changes: editing starts a new draft from it."""

    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[PlanStatus] = enum_column(PlanStatus)
    based_on_id: Mapped[str | None] = mapped_column(ForeignKey("plan_version.id"))
    accepted_how: Mapped[str | None] = mapped_column(String(40))
    accepted_at: Mapped[datetime | None]
    accepted_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    applications_per_period: Mapped[int | None] = mapped_column(Integer)
    period_months: Mapped[int | None] = mapped_column(Integer)
    obligation_starts_on: Mapped[date | None] = mapped_column(Date)
    obligation_lowered_reason: Mapped[str | None] = mapped_column(Text)
    contact_method: Mapped[str | None] = mapped_column(String(200))
    contact_frequency: Mapped[str | None] = mapped_column(String(200))
    next_review_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    # Each plan type's own part (#24; added by local 0110 with plain ADD COLUMNs, no
    # foreign keys). The multi-professional plan: the meeting it was made in, its minute,
    # the agreed follow-up meeting and the customer's own view (participants:
    # plan_participant).
    meeting_id: Mapped[str | None] = mapped_column(String(36))
    meeting_minute: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    customer_view: Mapped[str | None] = mapped_column(Text)
    # The activation plan: what makes it due (from the statutory clock, as recorded), the
    # rehabilitative work activity or other measures, the social worker's part.
    activation_conditions: Mapped[str | None] = mapped_column(Text)
    activation_measures: Mapped[str | None] = mapped_column(Text)
    social_worker_part: Mapped[str | None] = mapped_column(Text)
    # The integration plan: language and integration training, the first residence
    # permit's date (it sets the plan's period), the interpreter need, other measures.
    integration_training: Mapped[str | None] = mapped_column(Text)
    residence_permit_on: Mapped[date | None] = mapped_column(Date)
    interpreter_language: Mapped[str | None] = mapped_column(String(60))
    integration_measures: Mapped[str | None] = mapped_column(Text)


class PlanGoal(Synced, Base):
    __tablename__ = "plan_goal"

    plan_version_id: Mapped[str] = mapped_column(ForeignKey("plan_version.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # work / education / other
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PlanAction(Synced, Base):
    __tablename__ = "plan_action"

    plan_version_id: Mapped[str] = mapped_column(ForeignKey("plan_version.id"), index=True)
    actor: Mapped[str] = mapped_column(String(20))  # customer / coach / partner
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PlannedService(Synced, Base):
    __tablename__ = "plan_service"

    plan_version_id: Mapped[str] = mapped_column(ForeignKey("plan_version.id"), index=True)
    service_type: Mapped[str] = mapped_column(String(40))
    provider: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    # The referral that carries this line out (#20); copied into the next version.
    referral_id: Mapped[str | None] = mapped_column(String(36))
