"""Multi-professional work (#24): the partner organisations and their people, the
customer's consent to share information with a partner, the participants and follow-up
tasks of a multi-professional meeting, and the participants written into a plan.

A partner person takes part without a staff account. Nothing about a customer goes to a
partner without a consent in force that covers it (app/rules/partners.py); the central
database checks it again (c0110). Every table is synchronised through the one write
path."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced, enum_column
from app.rules.codes import ConsentHow, PartnerKind


class PartnerOrg(Synced, Base):
    """A partner organisation: the wellbeing services county, Kela, Ohjaamo, a school,
    Työkanava, a third-sector organisation. The area's register, read by all staff."""

    __tablename__ = "partner_org"

    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[PartnerKind] = enum_column(PartnerKind)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    street_address: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    post_office: Mapped[str | None] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PartnerPerson(Synced, Base):
    """A named person of a partner organisation (a social worker, a work ability
    coordinator, a school's career counsellor): a meeting or plan participant."""

    __tablename__ = "partner_person"

    partner_org_id: Mapped[str] = mapped_column(ForeignKey("partner_org.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(160))
    title: Mapped[str | None] = mapped_column(String(120))  # their role at the partner
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CustomerConsent(Synced, Base):
    """The customer's consent to share information with one partner: for what purpose,
    which information (ConsentInfo codes, comma separated), given how, from and until
    when. A withdrawal sets `withdrawn_on` and is never undone (a new consent is a new
    row); the central guard keeps it so."""

    __tablename__ = "customer_consent"
    __table_args__ = (
        Index("ix_customer_consent_customer", "customer_id", "partner_org_id"),
        CheckConstraint("valid_until IS NULL OR valid_until >= valid_from",
                        name="consent_ordered"),
    )

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    partner_org_id: Mapped[str] = mapped_column(ForeignKey("partner_org.id"))
    purpose: Mapped[str | None] = mapped_column(String(400))
    information: Mapped[str] = mapped_column(String(200))
    given_how: Mapped[ConsentHow] = enum_column(ConsentHow, default=ConsentHow.IN_PERSON)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_by: Mapped[str | None] = mapped_column(String(36))
    recorded_by: Mapped[str | None] = mapped_column(String(36))


class MeetingParticipant(Synced, Base):
    """Someone at a customer's multi-professional meeting besides the customer and the
    coach who booked it: a partner person, or another staff member. Its id comes from the
    meeting and the person (rules/partners.py participant_id). `invited_at`: when the
    invitation letter was made for them."""

    __tablename__ = "meeting_participant"
    __table_args__ = (
        CheckConstraint("(partner_person_id IS NULL) <> (staff_id IS NULL)",
                        name="one_participant"),
    )

    appointment_id: Mapped[str] = mapped_column(ForeignKey("appointment.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    partner_person_id: Mapped[str | None] = mapped_column(ForeignKey("partner_person.id"))
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    role: Mapped[str | None] = mapped_column(String(200))  # their part in this meeting
    invited_at: Mapped[datetime | None]
    attended: Mapped[bool | None] = mapped_column(Boolean)


class MeetingTask(Synced, Base):
    """A follow-up task agreed at a meeting, for one named participant, with a due day."""

    __tablename__ = "meeting_task"

    appointment_id: Mapped[str] = mapped_column(ForeignKey("appointment.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("meeting_participant.id"))
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)


class PlanParticipant(Synced, Base):
    """A participant written into a multi-professional plan version: who (a partner
    person or a staff member, with their name and organisation as printed), their
    responsibilities and the services they bring. Copied into the next version as goals
    are."""

    __tablename__ = "plan_participant"

    plan_version_id: Mapped[str] = mapped_column(ForeignKey("plan_version.id"), index=True)
    partner_person_id: Mapped[str | None] = mapped_column(String(36))
    staff_id: Mapped[str | None] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(160))
    organisation: Mapped[str | None] = mapped_column(String(160))
    role: Mapped[str | None] = mapped_column(String(200))
    responsibilities: Mapped[str | None] = mapped_column(Text)
    services: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
