"""A customer's case as a sequence of job-search periods (työnhakujakso): read, close
with a coded reason, reopen as a new period. `Customer.active` follows the latest
period in the same transaction: caseloads, the worklist and erasure count on it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dto.customers import CaseSummary, PeriodRow
from app.i18n import N_
from app.models import CoachAssignment, Customer, JobSearchPeriod, Staff, first_period_id, new_id
from app.rules.codes import CaseExitReason, CaseStatus, CoachOnClose
from app.rules.customer import nfc
from app.rules.permissions import Permission, allowed
from app.services import case_access
from app.services.context import AppContext
from app.services.customers import live_customer
from app.services.errors import Conflict, ValidationFailed

# Stored in the coach history (data, not UI text), like the import's and the demo's.
RELEASE_REASON = "Työnhakujakso päättyi: asiakas poistui salkusta"
NOTE_LIMIT = 2000


def first_period(customer: Customer, today: date) -> JobSearchPeriod:
    """The first period of a newly registered customer (its id derived from theirs)."""
    return JobSearchPeriod(id=first_period_id(customer.id), customer_id=customer.id,
                           opened_on=customer.jobseeker_registered_on or today)


def _periods(s: Session, customer: Customer) -> list[JobSearchPeriod]:
    """The customer's periods, an open one first (after a merge an open period may be
    older than a closed one of the duplicate: the case is open, as Customer.active says),
    then newest first. A customer without any (registered on a workstation not yet
    upgraded) has one, made as the upgrade makes it (not stored)."""
    rows = list(s.scalars(
        select(JobSearchPeriod)
        .where(JobSearchPeriod.customer_id == customer.id, JobSearchPeriod.deleted_at.is_(None))
        .order_by(JobSearchPeriod.closed_on.is_(None).desc(), JobSearchPeriod.opened_on.desc(),
                  JobSearchPeriod.updated_at.desc())))
    if rows:
        return rows
    opened = customer.jobseeker_registered_on or customer.updated_at.date()
    implicit = JobSearchPeriod(id=first_period_id(customer.id), customer_id=customer.id,
                               opened_on=opened)
    if not customer.active:
        implicit.closed_on = max(opened, customer.updated_at.date())
        implicit.exit_reason = CaseExitReason.OTHER
    return [implicit]


def _stored(s: Session, period: JobSearchPeriod) -> JobSearchPeriod:
    """The period as a row of the session (the implicit first one is added now)."""
    if period not in s:
        s.add(period)
    return period


class CasePeriodService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def periods(self, customer_id: str) -> CaseSummary:
        """The customer's case: status, the latest period and the history (newest first).
        Everyone who reads the customer sees it (the desk too: open or closed); the
        outcome notes are case work, shown only to those who read case notes."""
        actor = self.ctx.require(Permission.CUSTOMER_READ)
        notes = allowed(actor.role, Permission.CASE_NOTES_READ)
        with self.ctx.reading() as s:
            customer = live_customer(s, customer_id)
            rows = _periods(s, customer)
            coach = s.get(Staff, customer.coach_id) if customer.coach_id else None
            latest = rows[0]
            return CaseSummary(
                customer_id=customer.id,
                status=(CaseStatus.OPEN if latest.closed_on is None else CaseStatus.CLOSED).value,
                opened_on=latest.opened_on, closed_on=latest.closed_on,
                reason=latest.exit_reason.value if latest.exit_reason else None,
                periods=[PeriodRow(p.id, p.opened_on, p.closed_on,
                                   p.exit_reason.value if p.exit_reason else None,
                                   (p.outcome_note or "") if notes else "")
                         for p in rows],
                coach_name=coach.full_name if coach else None,
                revision=customer.hlc)

    def close(self, customer_id: str, on: date | None, reason: CaseExitReason | str | None,
              note: str = "", coach: CoachOnClose | str = CoachOnClose.RELEASE,
              revision: str | None = None) -> CaseSummary:
        """End the open period on `on` with its reason and outcome note. With
        RELEASE the customer leaves their coach's caseload (recorded in the coach
        history); with KEEP the coach stays named (closed cases count in no caseload)."""
        errors: dict[str, str] = {}
        try:
            code = CaseExitReason(reason) if reason else None
        except ValueError:
            code = None
        if code is None:
            errors["reason"] = N_("Choose the reason the case ends.")
        try:
            on_coach = CoachOnClose(coach)
        except ValueError:
            errors["coach"] = N_("Choose whether the coach is released or kept.")
            on_coach = CoachOnClose.RELEASE
        note = nfc(note or "")
        if len(note) > NOTE_LIMIT:
            errors["note"] = N_("At most 2000 characters.")
        today = self.ctx.today()
        with self.ctx.transaction(Permission.CASE_CLOSE) as s:
            customer = live_customer(s, customer_id)
            case_access.check_write(s, self.ctx.signed_in, customer_id, Permission.CASE_CLOSE)
            if revision is not None and customer.hlc != revision:
                raise Conflict(N_("Someone else changed this customer meanwhile. Reopen it."))
            period = _periods(s, customer)[0]
            if period.closed_on is not None:
                raise Conflict(N_("The case is already closed."))
            if on is None:
                errors["on"] = N_("Give the date the case ends.")
            elif on > today:
                errors["on"] = N_("The end date cannot be in the future.")
            elif on < period.opened_on:
                errors["on"] = N_("The end date cannot be before the period began.")
            if errors:
                raise ValidationFailed(errors)
            assert code is not None and on is not None
            period = _stored(s, period)
            period.closed_on = on
            period.exit_reason = code
            period.outcome_note = note or None
            customer.active = False
            released = on_coach is CoachOnClose.RELEASE and customer.coach_id is not None
            if released:
                s.flush()  # the period first: the history refers to the customer
                previous = customer.coach_id
                s.add(CoachAssignment(customer_id=customer.id, coach_id=None,
                                      previous_coach_id=previous, reason=RELEASE_REASON,
                                      assigned_at=self.ctx.now()))
                customer.coach_id = None
                self.ctx.audit(s, "customer.assign_coach", "customer", customer.id,
                               {"coach_id": None, "previous_coach_id": previous,
                                "reason": RELEASE_REASON})
            s.flush()
            # The reason's code only: the outcome note is free text about the person.
            self.ctx.audit(s, "case.close", "customer", customer.id,
                           {"reason": code.value, "coach": on_coach.value,
                            "released": released})
        return self.periods(customer_id)

    def reopen(self, customer_id: str, on: date | None,
               revision: str | None = None) -> CaseSummary:
        """Open a new period on `on`, a day after the last one ended (not in the future)."""
        today = self.ctx.today()
        with self.ctx.transaction(Permission.CASE_CLOSE) as s:
            customer = live_customer(s, customer_id)
            case_access.check_write(s, self.ctx.signed_in, customer_id, Permission.CASE_CLOSE)
            if revision is not None and customer.hlc != revision:
                raise Conflict(N_("Someone else changed this customer meanwhile. Reopen it."))
            latest = _periods(s, customer)[0]
            if latest.closed_on is None:
                raise Conflict(N_("The case is already open."))
            if on is None:
                raise ValidationFailed({"on": N_("Give the date the new period begins.")})
            if on > today:
                raise ValidationFailed({"on": N_("The start date cannot be in the future.")})
            if on <= latest.closed_on:
                raise ValidationFailed({"on": N_(
                    "The new period begins after the day the last one ended.")})
            _stored(s, latest)  # an implicit first period is kept as it was shown
            s.add(JobSearchPeriod(id=new_id(), customer_id=customer.id, opened_on=on))
            customer.active = True
            s.flush()
            self.ctx.audit(s, "case.reopen", "customer", customer.id)
        return self.periods(customer_id)
