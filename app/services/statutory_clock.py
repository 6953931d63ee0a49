"""The statutory clock of a customer and today's worklist of a coach.

The dates come from `statutory_clock_facts.gather` (SQL aggregates over the coach's
caseload or one customer); the deadlines from `rules.clock`. A coach has about 120
customers, so the rules run over those rows only, never over the register."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.dto.coaching import CustomerClock, DeadlineInfo, WorkItem
from app.i18n import N_
from app.models import Customer, Plan, PlanVersion, Staff
from app.models.coaching import CustomerBarrier
from app.rules import clock as rules
from app.rules import groups as group_rules
from app.rules.codes import PlanStatus, PlanType
from app.rules.permissions import Permission, allowed
from app.rules.statutory import rule_for
from app.services import effect_followups, employers
from app.services.context import AppContext
from app.services.errors import NotFound
from app.services.statutory_clock_facts import Facts, gather, reads_case_facts, subsidy_spells

WORK_KINDS = {
    "initial_interview": N_("Initial interview"),
    "job_search_conversation": N_("Job-search conversation"),
    "plan_review": N_("Plan review"),
    "hundred_days": N_("Reaches 100 days"),
    "no_plan": N_("No valid plan"),
    "not_contacted": N_("Not contacted"),
    "activation_plan": N_("Activation plan"),
    "initial_phase": N_("Initial phase ends"),
    # Three or six months after a purchased service or a decision ended (#20).
    "followup": N_("Follow-up of a service"),
    # A contact with an employer asked for a follow-up by this worker (#22).
    "employer_followup": N_("Follow-up with an employer"),
}
HUNDRED_DAYS_AHEAD = 14  # the worklist shows who reaches 100 days within two weeks


def end_of_week(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


def hundred_days(f: Facts, today: date) -> rules.Deadline | None:
    """The 100-day mark: from the first benefit day when known, else estimated."""
    return rules.hundred_day_date(f.unemployed_since, today, f.first_benefit_on)


def mark_start(f: Facts) -> date | None:
    """The date the 100-day count starts from, as the report's query takes it."""
    return f.first_benefit_on or f.unemployed_since


def activation(f: Facts, spells: list[rules.SubsidySpell], today: date,
               horizon_days: int = 730) -> rules.ActivationDue | None:
    """The activation plan's due day (the card's; the timeliness report's with a nearer
    `horizon_days`, the same day when it falls before the horizon)."""
    known = (rules.SubsidyCount(f.subsidy_days, f.subsidy_days_on)
             if f.subsidy_days is not None and f.subsidy_days_on is not None else None)
    return rules.activation_plan_due(f.born, spells, today, horizon_days, known=known,
                                     allowance_exhausted_on=f.allowance_exhausted_on)


def activation_plan_made(s: Any, customer_id: str) -> bool:
    """Whether an activation plan of the customer has been accepted (then or since)."""
    return s.scalar(select(PlanVersion.id).join(Plan, Plan.id == PlanVersion.plan_id).where(
        Plan.customer_id == customer_id, Plan.plan_type == PlanType.ACTIVATION,
        Plan.deleted_at.is_(None), PlanVersion.deleted_at.is_(None),
        PlanVersion.accepted_at.is_not(None),
        PlanVersion.status.in_((PlanStatus.ACCEPTED, PlanStatus.SUPERSEDED))).limit(1)
    ) is not None


def due_plan_type(f: Facts, today: date) -> str:
    """Which type of plan a customer without a valid one needs (#24): the integration
    plan within the integration period of the first residence permit, else the
    employment plan (the worklist's "no_plan" row carries it as its detail)."""
    if group_rules.in_integration(f.first_permit_on, today):
        return PlanType.INTEGRATION.value
    return PlanType.EMPLOYMENT.value


def deadlines(f: Facts, today: date) -> tuple[list[DeadlineInfo], int]:
    """The customer's upcoming (and overdue) statutory dates, and the supplementary
    conversations the law requires in the initial phase (none by schedule from 2026)."""
    found: list[DeadlineInfo] = []
    interview_on = f.interview_on or f.first_conversation_on
    plan = rules.conversations(f.registered_on, interview_on, f.last_conversation_on, today)
    if plan.initial_interview is not None:
        found.append(DeadlineInfo("initial_interview", plan.initial_interview.due_on,
                                  plan.initial_interview.rule.source))
    elif plan.next_conversation is not None:
        if plan.initial_phase_ends is not None and plan.initial_phase_ends >= today:
            source = plan.supplementary_rule.source if plan.supplementary_rule else ""
            found.append(DeadlineInfo("initial_phase", plan.initial_phase_ends, source,
                                      str(plan.supplementary_required)))
        found.append(DeadlineInfo("job_search_conversation", plan.next_conversation.due_on,
                                  plan.next_conversation.rule.source))
    periods = rules.review_periods(f.obligation_starts_on, f.period_months,
                                   f.applications_per_period)
    current = rules.current_review(periods, today)
    review_on = f.plan_review_on
    if review_on is not None:
        found.append(DeadlineInfo("plan_review", rules.due(review_on),
                                  rule_for("job_search_conversation_interval", today).source))
    if current is not None:
        found.append(DeadlineInfo(
            "job_search_period", current.review_on,
            rule_for("job_search_conversation_interval", today).source,
            f"{current.applications}|{current.starts_on.isoformat()}|"
            f"{current.ends_on.isoformat()}"))
    return found, plan.supplementary_required


class StatutoryClockService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def customer_clock(self, customer_id: str) -> CustomerClock:
        """The clock of one customer (an audited read: it names groups and barriers).
        The case facts count only for a role with case.facts; others get estimates."""
        today = self.ctx.today()
        with self.ctx.transaction(Permission.CUSTOMER_READ) as s:
            facts = gather(s, select(Customer.id).where(Customer.id == customer_id),
                           self.ctx.now(),
                           case_facts=reads_case_facts(s, self.ctx.actor, customer_id))
            if customer_id not in facts:
                raise NotFound(N_("The customer was not found."))
            f = facts[customer_id]
            coach = s.get(Staff, f.coach_id) if f.coach_id else None
            spells = [rules.SubsidySpell(start, end)
                      for start, end in subsidy_spells(s, customer_id)]
            barriers = sorted(s.scalars(select(CustomerBarrier.barrier).where(
                CustomerBarrier.customer_id == customer_id,
                CustomerBarrier.deleted_at.is_(None))))
            case_open = bool(s.scalar(select(Customer.active).where(
                Customer.id == customer_id)))
            activation_made = activation_plan_made(s, customer_id)
            self.ctx.audit(s, "customer.clock", "customer", customer_id)
        # A closed case has no statutory dates: they start again when it is reopened.
        found, supplementary = deadlines(f, today) if case_open else ([], 0)
        # Once an activation plan is made the card stops asking for one (the timeliness
        # report counts the first accepted one as made, app/services/reports/timeliness).
        due = activation(f, spells, today) if case_open and not activation_made else None
        if due is not None:
            found.append(DeadlineInfo("activation_plan", due.due_on, due.rule.source,
                                      str(due.paid_days), approximate=due.approximate))
        days = rules.days_unemployed(f.unemployed_since, today, f.first_benefit_on)
        mark = hundred_days(f, today)
        return CustomerClock(
            customer_id=customer_id, coach_id=f.coach_id,
            coach_name=coach.full_name if coach else None,
            days_unemployed=days, hundred_day_date=mark.due_on if mark else None,
            hundred_day_source=rule_for("hundred_day_mark", today).source,
            hundred_day_approximate=mark.approximate if mark else False,
            groups=[g.value for g in group_rules.groups(
                born=f.born, unemployed_since=f.unemployed_since, days_unemployed=days,
                partial_work_ability=f.partial_work_ability,
                first_permit_on=f.first_permit_on, barriers=len(barriers), today=today)],
            barriers=barriers, deadlines=sorted(found, key=lambda d: d.due_on),
            supplementary_required=supplementary, interview_held_on=f.interview_on,
            last_conversation_on=f.last_conversation_on, case_open=case_open,
        )

    # --- today's worklist ---------------------------------------------------------------

    def worklist(self, staff_id: str | None = None) -> list[WorkItem]:
        """What the coach (default: the signed-in one) should act on this week."""
        actor = self.ctx.require(Permission.CASELOAD_READ)
        coach_id = staff_id or actor.staff_id
        today, now = self.ctx.today(), self.ctx.now()
        week_end = end_of_week(today)
        quiet_days = int(self._setting("not_contacted_days"))
        caseload = select(Customer.id).where(
            Customer.coach_id == coach_id, Customer.active.is_(True),
            Customer.deleted_at.is_(None))
        with self.ctx.reading() as s:
            facts = gather(s, caseload, now, case_facts=self._reads_case_facts())
        items: list[WorkItem] = []
        mark_window = rules.since_range_reaching_mark(today, today + timedelta(
            days=HUNDRED_DAYS_AHEAD))
        for f in facts.values():
            items.extend(self._items(f, today, week_end, quiet_days, mark_window))
        if allowed(actor.role, Permission.PLAN_READ):  # the follow-ups of effect (#20)
            with self.ctx.reading() as s:
                items.extend(
                    WorkItem(d.customer_id, d.name, "followup", d.due_on, False, "",
                             detail=effect_followups.to_detail(d))
                    for d in effect_followups.coach_followups(s, coach_id, today))
        if allowed(actor.role, Permission.EMPLOYER_EDIT):  # employer follow-ups (#22)
            with self.ctx.reading() as s:
                items.extend(
                    WorkItem("", c.employer_name, "employer_followup", c.follow_up_on,
                             c.follow_up_on is not None and c.follow_up_on < today, "",
                             detail=c.id)
                    for c in employers.open_follow_ups(s, coach_id, week_end))
        order = list(WORK_KINDS)
        # Overdue first (oldest first), then by kind: this week's meetings, the 100-day
        # mark, missing plans, and last those not heard of for longest.
        return sorted(items, key=lambda i: (not i.overdue,
                                            0 if i.overdue else order.index(i.kind),
                                            i.due_on or today, i.name))

    def _items(self, f: Facts, today: date, week_end: date, quiet_days: int,
               mark_window: tuple[date, date] | None) -> list[WorkItem]:
        items = []
        found, _supplementary = deadlines(f, today)
        for d in found:
            if d.key not in ("initial_interview", "job_search_conversation", "plan_review"):
                continue
            if d.due_on > week_end:
                continue
            # A plan is reviewed at any meeting booked; the interview and the job-search
            # conversation are held only by their own kind (a supplementary
            # conversation booked does not stand in for them).
            booked = f.next_meeting_on if d.key == "plan_review" else f.next_booked_on
            if booked is not None and booked <= max(d.due_on, today + timedelta(days=14)):
                continue  # already booked: nothing to do but hold it
            late = (today - d.due_on).days
            # detail: the days overdue (calendar days), as "not_contacted" holds its days
            items.append(WorkItem(f.id, f.name, d.key, d.due_on, late > 0, d.source,
                                  detail=str(late) if late > 0 else ""))
        start = mark_start(f)
        if start and mark_window and mark_window[0] <= start <= mark_window[1]:
            mark = hundred_days(f, today)
            assert mark is not None
            items.append(WorkItem(f.id, f.name, "hundred_days", mark.due_on, False,
                                  mark.rule.source, approximate=mark.approximate))
        registered_long = f.registered_on is not None and (
            f.interview_on or f.first_conversation_on)
        if not f.has_plan and registered_long:
            items.append(WorkItem(f.id, f.name, "no_plan", None, False,
                                  rule_for("initial_interview", today).source,
                                  detail=due_plan_type(f, today)))
        quiet_since = today - timedelta(days=quiet_days)
        last = f.last_contact_on
        if (last is not None and last < quiet_since) or (
                last is None and f.registered_on is not None and f.registered_on < quiet_since):
            items.append(WorkItem(f.id, f.name, "not_contacted", last, False, "",
                                  detail=str((today - last).days) if last else ""))
        return items

    def answer_followup(self, source: str, source_id: str, months: int,
                        situation: str) -> str:
        """A "followup" item answered from Today (app/services/effect_followups.py)."""
        return effect_followups.EffectFollowupService(self.ctx).answer(
            source, source_id, months, situation)

    def _reads_case_facts(self) -> bool:
        actor = self.ctx.actor
        return actor is not None and allowed(actor.role, Permission.CASE_FACTS)

    def _setting(self, key: str) -> Any:  # a JSON value, as SettingsService.get
        from app.services.settings import SettingsService

        return SettingsService(self.ctx).get(key)
