"""The follow-up of a service's effect (#20): three and six months after a referral or a
support decision ended, the customer's coach is asked where the customer is.

A referral ends when it is interrupted or completed (`ended_on`); a decision when it is
ended early (`ended_on`), or, decided or replaced, when its period has passed
(`ends_on`). A follow-up is due on the end + 3 or + 6 calendar months, unless the
customer's case closed with a reason on or before that day (the case exit is the
answer), or it was answered already (the EffectFollowup row of `followup_id`). A
follow-up not answered within three months of its due day leaves Today (by then the
next one is due, or the answer could no longer be told): the effect figures count
it as not known (app/services/reports/purchased.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.i18n import N_
from app.models import Customer
from app.models.customer import JobSearchPeriod
from app.models.purchased import (
    EffectFollowup,
    Referral,
    ServiceContract,
    ServiceProvider,
    SupportDecision,
    followup_id,
)
from app.rules.clock import add_months
from app.rules.codes import DecisionStatus, FollowupSituation, ReferralState
from app.rules.permissions import Permission
from app.services import case_access
from app.services.context import AppContext
from app.services.errors import NotFound, ValidationFailed

MONTHS = (3, 6)
REFERRAL = "referral"
DECISION = "decision"
ENDED_REFERRAL = (ReferralState.INTERRUPTED, ReferralState.COMPLETED)
# A decided decision ends with its period; an ended one on its ended_on. A replaced one
# is followed up through the decision that replaced it (else both would be asked about).
RUNS_TO_END = (DecisionStatus.DECIDED,)


@dataclass(frozen=True)
class Ended:
    """A referral or decision that has ended: what the follow-ups are of."""

    source: str  # REFERRAL or DECISION
    source_id: str
    customer_id: str
    ended_on: date
    kind: str  # the service (ServiceKind) or the decision's kind (DecisionKind)
    provider: str  # the provider's or the employer's name
    provider_id: str | None = None  # the provider (referrals)


@dataclass(frozen=True)
class DueFollowup:
    customer_id: str
    name: str
    source: str
    source_id: str
    months: int
    due_on: date
    ended_on: date
    kind: str
    provider: str

    @property
    def id(self) -> str:
        return followup_id(self.source_id, self.months)


def ended_referrals(s: Session, *where: ColumnElement[bool]) -> list[Ended]:
    rows = s.execute(
        select(Referral.id, Referral.customer_id, Referral.ended_on, ServiceContract.service,
               ServiceProvider.name, ServiceProvider.id)
        .join(ServiceContract, ServiceContract.id == Referral.contract_id)
        .join(ServiceProvider, ServiceProvider.id == ServiceContract.provider_id)
        .where(Referral.deleted_at.is_(None), Referral.ended_on.is_not(None),
               Referral.state.in_(ENDED_REFERRAL), *where)).all()
    return [Ended(REFERRAL, r[0], r[1], r[2], str(r[3]), r[4], r[5])
            for r in rows if r[2] is not None]


def decision_end(status: DecisionStatus, ends_on: date, ended_on: date | None,
                 today: date) -> date | None:
    """The day a decision ended, or None while it runs (or was never decided)."""
    if status == DecisionStatus.ENDED and ended_on is not None:
        return ended_on
    if status in RUNS_TO_END and ends_on < today:
        return ends_on
    return None


def ended_decisions(s: Session, today: date, *where: ColumnElement[bool]) -> list[Ended]:
    rows = s.execute(
        select(SupportDecision.id, SupportDecision.customer_id, SupportDecision.status,
               SupportDecision.ends_on, SupportDecision.ended_on, SupportDecision.kind,
               SupportDecision.employer_name)
        .where(SupportDecision.deleted_at.is_(None),
               SupportDecision.status.in_((DecisionStatus.ENDED, *RUNS_TO_END)), *where)
    ).all()
    out = []
    for r in rows:
        end = decision_end(r[2], r[3], r[4], today)
        if end is not None:
            out.append(Ended(DECISION, r[0], r[1], end, str(r[5]), r[6]))
    return out


def latest_closings(s: Session, customer_ids: list[str]) -> dict[str, date | None]:
    """Each customer's latest job-search period's closing day (None: open)."""
    out: dict[str, date | None] = {}
    rows = s.execute(
        select(JobSearchPeriod.customer_id, JobSearchPeriod.opened_on,
               JobSearchPeriod.closed_on)
        .where(JobSearchPeriod.customer_id.in_(customer_ids),
               JobSearchPeriod.deleted_at.is_(None))
        .order_by(JobSearchPeriod.customer_id, JobSearchPeriod.closed_on.is_(None),
                  JobSearchPeriod.opened_on)).all()
    for cid, _opened, closed in rows:  # the last one per customer wins (open last)
        out[cid] = closed
    return out


def answered(s: Session, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    return set(s.scalars(select(EffectFollowup.id).where(
        EffectFollowup.id.in_(ids), EffectFollowup.deleted_at.is_(None))))


# How long an unanswered follow-up stays in Today after its due day.
ANSWER_WINDOW_MONTHS = 3


def due_followups(s: Session, customers: dict[str, str], today: date) -> list[DueFollowup]:
    """The follow-ups due by `today` for these customers (id -> name shown)."""
    ids = list(customers)
    if not ids:
        return []
    ended = [*ended_referrals(s, Referral.customer_id.in_(ids)),
             *ended_decisions(s, today, SupportDecision.customer_id.in_(ids))]
    closings = latest_closings(s, ids)
    candidates = []
    for e in ended:
        for months in MONTHS:
            due_on = add_months(e.ended_on, months)
            if due_on > today or add_months(due_on, ANSWER_WINDOW_MONTHS) < today:
                continue
            closed = closings.get(e.customer_id)
            if closed is not None and closed <= due_on:
                continue  # the case closed with a reason: the exit is the answer
            candidates.append(DueFollowup(e.customer_id, customers[e.customer_id], e.source,
                                          e.source_id, months, due_on, e.ended_on, e.kind,
                                          e.provider))
    done = answered(s, [c.id for c in candidates])
    return sorted((c for c in candidates if c.id not in done),
                  key=lambda c: (c.due_on, c.name, c.months))


def coach_followups(s: Session, coach_id: str, today: date) -> list[DueFollowup]:
    """Due for the customers named the coach's, also after their case closed (a coach
    kept for a follow-up): the closing itself makes the follow-ups moot."""
    customers = {
        row[0]: f"{row[1]}, {row[2]}" for row in s.execute(
            select(Customer.id, Customer.last_name, Customer.first_names)
            .where(Customer.coach_id == coach_id, Customer.deleted_at.is_(None)))}
    return due_followups(s, customers, today)


# --- a follow-up in a WorkItem's detail (the worklist carries plain strings) ----------

def to_detail(f: DueFollowup) -> str:
    return "|".join((f.source, f.source_id, str(f.months), f.kind, f.provider))


@dataclass(frozen=True)
class FollowupRef:
    source: str
    source_id: str
    months: int
    kind: str
    provider: str


def from_detail(detail: str) -> FollowupRef:
    source, source_id, months, kind, provider = detail.split("|", 4)
    return FollowupRef(source, source_id, int(months), kind, provider)


class EffectFollowupService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def due(self, staff_id: str | None = None) -> list[DueFollowup]:
        """The follow-ups due for the coach's customers (default: the signed-in one)."""
        actor = self.ctx.require(Permission.PLAN_READ)
        with self.ctx.reading() as s:
            return coach_followups(s, staff_id or actor.staff_id, self.ctx.today())

    def answer(self, source: str, source_id: str, months: int,
               situation: FollowupSituation | str) -> str:
        """Store where the customer is (the one row of `followup_id`: a second answer,
        here or on another desk, changes the same row). Returns the row's id."""
        if months not in MONTHS:
            raise ValidationFailed({"months": N_("A follow-up is at 3 or 6 months.")})
        try:
            situation = FollowupSituation(situation)
        except ValueError:
            raise ValidationFailed({"situation": N_("Choose where the customer is.")}) \
                from None
        today = self.ctx.today()
        with self.ctx.transaction(Permission.REFERRAL_MAKE) as s:
            if source == REFERRAL:
                referral = s.get(Referral, source_id)
                if (referral is None or referral.deleted_at is not None
                        or referral.ended_on is None):
                    raise NotFound(N_("The service has not ended or was not found."))
                customer_id, ended_on = referral.customer_id, referral.ended_on
            elif source == DECISION:
                decision = s.get(SupportDecision, source_id)
                end = None if decision is None or decision.deleted_at is not None else \
                    decision_end(decision.status, decision.ends_on, decision.ended_on, today)
                if decision is None or end is None:
                    raise NotFound(N_("The decision has not ended or was not found."))
                customer_id, ended_on = decision.customer_id, end
            else:
                raise ValidationFailed({"source": N_("Not a referral or a decision.")})
            case_access.check_write(s, self.ctx.signed_in, customer_id,
                                    Permission.REFERRAL_MAKE)
            row_id = followup_id(source_id, months)
            row = s.get(EffectFollowup, row_id)
            if row is None:
                row = EffectFollowup(
                    id=row_id, customer_id=customer_id, months=months,
                    referral_id=source_id if source == REFERRAL else None,
                    decision_id=source_id if source == DECISION else None,
                    due_on=add_months(ended_on, months), situation=situation,
                    answered_on=today, answered_by=self.ctx.signed_in.staff_id)
                s.add(row)
            else:
                row.situation = situation
                row.answered_on = today
                row.answered_by = self.ctx.signed_in.staff_id
            self.ctx.audit(s, "effect_followup.answer", "customer", customer_id,
                           {"source": source, "months": months})
        return row_id
