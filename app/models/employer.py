"""Employer services (#22): the employer register, its contact persons, every contact
with an employer, vacancies and recruitment needs, and the job seekers proposed for
them. Employers are organisations; their contact persons are people (personal data,
audited like customers'); a proposal is a customer's case work."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced, enum_column
from app.rules.codes import (
    EmployerChannel,
    EmployerSize,
    EmployerTopic,
    ProposalOutcome,
    VacancyHours,
    VacancyStatus,
)


class Employer(Synced, Base):
    """A company or organisation the area serves. Its id comes from its business ID
    (app/rules/employers.py employer_id): one row per company on every workstation."""

    __tablename__ = "employer"

    business_id: Mapped[str] = mapped_column(String(9), unique=True)  # Y-tunnus 1234567-8
    name: Mapped[str] = mapped_column(String(200), index=True)
    industry: Mapped[str | None] = mapped_column(String(1))  # TOL 2008 main class A-U
    size_class: Mapped[EmployerSize | None] = enum_column(EmployerSize, nullable=True)
    municipality: Mapped[str] = mapped_column(String(60))
    street_address: Mapped[str | None] = mapped_column(String(200))  # postal address
    postal_code: Mapped[str | None] = mapped_column(String(10))
    post_office: Mapped[str | None] = mapped_column(String(80))
    visiting_address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(200))
    # The sector team and the named staff contact responsible for the employer.
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"))
    contact_staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class EmployerPerson(Synced, Base):
    """A contact person at an employer: personal data (read audited, kept as long as the
    register's retention rule says, docs/employers.md)."""

    __tablename__ = "employer_person"

    employer_id: Mapped[str] = mapped_column(ForeignKey("employer.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    role: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class EmployerContact(Synced, Base):
    """One contact with an employer (a visit, a call, an e-mail, a meeting at the service
    point, an event), with its topic and the follow-up it asks for: the follow-up shows
    in `follow_up_by`'s Today until it is marked done."""

    __tablename__ = "employer_contact"
    __table_args__ = (
        Index("ix_employer_contact_employer", "employer_id", "contacted_on"),
        Index("ix_employer_contact_follow_up", "follow_up_by", "follow_up_on"),
    )

    employer_id: Mapped[str] = mapped_column(ForeignKey("employer.id"))
    contacted_on: Mapped[date] = mapped_column(Date)
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))  # who made it
    channel: Mapped[EmployerChannel] = enum_column(EmployerChannel)
    topic: Mapped[EmployerTopic] = enum_column(EmployerTopic)
    person_id: Mapped[str | None] = mapped_column(String(36))  # whom it was with
    summary: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    follow_up_done_on: Mapped[date | None] = mapped_column(Date)


class Vacancy(Synced, Base):
    """A vacancy or recruitment need of an employer. `hidden`: not advertised (a hidden
    job found by the service, "piilotyöpaikka")."""

    __tablename__ = "vacancy"
    __table_args__ = (
        Index("ix_vacancy_employer", "employer_id", "opened_on"),
        CheckConstraint("positions >= 1", name="positions"),
    )

    employer_id: Mapped[str] = mapped_column(ForeignKey("employer.id"))
    title: Mapped[str] = mapped_column(String(200))
    occupation: Mapped[str | None] = mapped_column(String(200))
    municipality: Mapped[str] = mapped_column(String(60))
    hours: Mapped[VacancyHours] = enum_column(VacancyHours, default=VacancyHours.FULL_TIME)
    starts_on: Mapped[date | None] = mapped_column(Date)
    positions: Mapped[int] = mapped_column(Integer, default=1)
    apply_by: Mapped[date | None] = mapped_column(Date)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    pay_subsidy_possible: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[VacancyStatus] = enum_column(VacancyStatus, default=VacancyStatus.OPEN)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))  # responsible
    description: Mapped[str | None] = mapped_column(Text)


class JobProposal(Synced, Base):
    """A job seeker proposed for a vacancy: a job tip on the customer's timeline, with
    its outcome. One per vacancy and customer (app/rules/employers.py proposal_id).
    `shared` is what the worker chose to tell the employer about the job seeker; nothing
    else of their case leaves the service."""

    __tablename__ = "job_proposal"
    __table_args__ = (
        Index("ix_job_proposal_customer", "customer_id", "proposed_on"),
        Index("ix_job_proposal_vacancy", "vacancy_id"),
    )

    vacancy_id: Mapped[str] = mapped_column(ForeignKey("vacancy.id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    proposed_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    proposed_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[ProposalOutcome] = enum_column(ProposalOutcome,
                                                   default=ProposalOutcome.PROPOSED)
    outcome_on: Mapped[date | None] = mapped_column(Date)
    shared: Mapped[str | None] = mapped_column(Text)
