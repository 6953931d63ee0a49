"""Employment plans: drafts that save themselves, acceptance, versions, comparison and the
printed plan.

A plan has numbered versions. A draft may change (the editor saves it whole, often); an
accepted version never changes: editing starts a new draft from it, and accepting that
draft marks the earlier accepted version superseded.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.dto.plans import (
    CompareLine,
    CompareSection,
    CustomerPlans,
    DraftSaved,
    PlanActionItem,
    PlanComparison,
    PlanContent,
    PlanDocument,
    PlanDue,
    PlanGoalItem,
    PlanListRow,
    PlanParticipantItem,
    PlanRow,
    PlanServiceItem,
    PlanVersionInfo,
    PlanVersionRow,
    ReviewPeriod,
)
from app.i18n import HELSINKI, N_, current_language, format_date, translate_in
from app.models import (
    AuditEvent,
    Customer,
    Plan,
    PlanAction,
    PlanGoal,
    PlannedService,
    PlanVersion,
    ServicePoint,
    Staff,
)
from app.models.partner import PartnerOrg, PartnerPerson, PlanParticipant
from app.rules import partners as partner_rules
from app.rules import plan_vocabulary as vocab
from app.rules import text_input
from app.rules.codes import ConsentInfo, PlanStatus, PlanType
from app.rules.customer import nfc
from app.rules.permissions import Permission
from app.services import case_access, partner_reach
from app.services.context import AppContext
from app.services.customers import live_customer
from app.services.errors import Conflict, NotFound, ServiceError, ValidationFailed
from app.services.referrals import carry_referrals, referral_states

# The rules of the job-search model that plans use (DOMAIN.md): settings, not literals.
DEFAULT_APPLICATIONS_PER_MONTH = 4
DEFAULT_PERIOD_MONTHS = 1
MAX_PERIOD_MONTHS = 3
DEFAULT_REVIEW_MONTHS = 3
MAX_REVIEW_MONTHS = 6
ACCEPT_BACKDATE_DAYS = 30
MAX_PERIODS_PRINTED = 12
# Autosave writes every second or so while a coach types; one audit event per editing
# session is what the trail needs (the rows themselves carry who and when).
AUDIT_COALESCE = timedelta(minutes=15)
EARLIEST_DATE = date(2000, 1, 1)
TEXT_LIMIT = 4000
SHORT_LIMIT = 200
MINUTE_LIMIT = 20000
LANGUAGE_LIMIT = 60


# --- pure helpers -------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_lowered(content: PlanContent) -> bool:
    """Fewer applications a month than the job-search model's default."""
    if content.applications_per_period is None:
        return False
    months = content.period_months or DEFAULT_PERIOD_MONTHS
    return content.applications_per_period < DEFAULT_APPLICATIONS_PER_MONTH * months


def review_periods(content: PlanContent) -> tuple[ReviewPeriod, ...]:
    """The obligation's review periods from its start up to the next review (at least one;
    three months when no review date is set)."""
    start, count = content.obligation_starts_on, content.applications_per_period
    if start is None or count is None:
        return ()
    months = content.period_months or DEFAULT_PERIOD_MONTHS
    until = content.next_review_on
    if until is None or until <= start:
        until = add_months(start, DEFAULT_REVIEW_MONTHS)
    periods: list[ReviewPeriod] = []
    begins = start
    while begins < until and len(periods) < MAX_PERIODS_PRINTED:
        ends = add_months(start, months * (len(periods) + 1)) - timedelta(days=1)
        periods.append(ReviewPeriod(len(periods) + 1, begins, ends, count))
        begins = ends + timedelta(days=1)
    return tuple(periods)


def service_order(item: PlanServiceItem) -> tuple[Any, ...]:
    """Services are listed by their dates (undated last); they have no stored position."""
    return (item.starts_on is None, item.starts_on or date.min, item.ends_on is None,
            item.ends_on or date.min, item.service_type, item.provider, item.note)


def normalised(content: PlanContent) -> PlanContent:
    """Text in NFC and trimmed, the customer's actions before the others and services in
    date order: the form in which a draft is stored, so saving what was loaded is a no-op."""
    actions = [replace(a, text=nfc(a.text)) for a in content.actions]
    return replace(
        content,
        goals=tuple(replace(g, text=nfc(g.text)) for g in content.goals),
        actions=tuple([a for a in actions if a.actor == "customer"]
                      + [a for a in actions if a.actor != "customer"]),
        services=tuple(sorted(
            (replace(v, provider=nfc(v.provider), note=nfc(v.note)) for v in content.services),
            key=service_order)),
        obligation_lowered_reason=nfc(content.obligation_lowered_reason),
        contact_method=nfc(content.contact_method),
        contact_frequency=nfc(content.contact_frequency),
        summary=nfc(content.summary),
        participants=tuple(replace(
            p, name=nfc(p.name).strip(), organisation=nfc(p.organisation).strip(),
            role=nfc(p.role), responsibilities=nfc(p.responsibilities),
            services=nfc(p.services)) for p in content.participants),
        meeting_minute=nfc(content.meeting_minute),
        customer_view=nfc(content.customer_view),
        activation_conditions=nfc(content.activation_conditions),
        activation_measures=nfc(content.activation_measures),
        social_worker_part=nfc(content.social_worker_part),
        integration_training=nfc(content.integration_training),
        interpreter_language=nfc(content.interpreter_language).strip(),
        integration_measures=nfc(content.integration_measures),
    )


# The plan types' own text fields (the multi-professional plan's minute and customer's
# view are normalised with its participants).
TYPE_TEXTS = ("activation_conditions", "activation_measures", "social_worker_part",
              "integration_training", "interpreter_language", "integration_measures")


def action_groups(content: PlanContent) -> dict[str, list[tuple[int, PlanActionItem]]]:
    """The customer's actions and the coach's and partners' actions, numbered within
    their own section (error keys and the editor use these numbers)."""
    groups: dict[str, list[tuple[int, PlanActionItem]]] = {
        "customer_actions": [], "partner_actions": []}
    for action in content.actions:
        key = "customer_actions" if action.actor == "customer" else "partner_actions"
        groups[key].append((len(groups[key]), action))
    return groups


def check_draft(content: PlanContent, today: date) -> dict[str, str]:
    """What cannot be stored at all: unknown codes, numbers out of range, impossible dates
    and over-long text. Anything else a draft may hold while the coach is typing."""
    errors: dict[str, str] = {}
    latest = add_months(today, 120)

    def day(key: str, value: date | None) -> None:
        if value is not None and not EARLIEST_DATE <= value <= latest:
            errors[key] = N_("Check the date: it is too far in the past or the future.")

    def text(key: str, value: str, limit: int = TEXT_LIMIT) -> None:
        if len(value) > limit:
            errors[key] = N_("The text is too long.")
        elif why := text_input.refusal(value, multiline=limit >= TEXT_LIMIT):
            errors[key] = why.message  # a control character, a direction override

    for i, goal in enumerate(content.goals):
        if goal.kind not in vocab.GOAL_KINDS:
            errors[f"goals.{i}.kind"] = N_("Choose the type of the goal.")
        text(f"goals.{i}.text", goal.text)
    for section, items in action_groups(content).items():
        for i, action in items:
            if action.actor not in vocab.ACTORS:
                errors[f"{section}.{i}.actor"] = N_("Choose who does this.")
            text(f"{section}.{i}.text", action.text)
            day(f"{section}.{i}.due_on", action.due_on)
    for i, service in enumerate(content.services):
        if service.service_type not in vocab.SERVICE_TYPES:
            errors[f"services.{i}.service_type"] = N_("Choose the service.")
        text(f"services.{i}.provider", service.provider, SHORT_LIMIT)
        text(f"services.{i}.note", service.note)
        day(f"services.{i}.starts_on", service.starts_on)
        day(f"services.{i}.ends_on", service.ends_on)
    if content.applications_per_period is not None and not (
        0 <= content.applications_per_period <= 99
    ):
        errors["applications_per_period"] = N_("Give a number from 0 to 99.")
    if content.period_months is not None and not (
        1 <= content.period_months <= MAX_PERIOD_MONTHS
    ):
        errors["period_months"] = N_("A review period is one to three months long.")
    day("obligation_starts_on", content.obligation_starts_on)
    day("next_review_on", content.next_review_on)
    text("obligation_lowered_reason", content.obligation_lowered_reason)
    text("contact_method", content.contact_method, SHORT_LIMIT)
    text("contact_frequency", content.contact_frequency, SHORT_LIMIT)
    text("summary", content.summary)
    for i, person in enumerate(content.participants):
        if not person.name:
            errors[f"participants.{i}.name"] = N_("Write the participant's name.")
        text(f"participants.{i}.name", person.name, SHORT_LIMIT)
        text(f"participants.{i}.organisation", person.organisation, SHORT_LIMIT)
        text(f"participants.{i}.role", person.role, SHORT_LIMIT)
        text(f"participants.{i}.responsibilities", person.responsibilities)
        text(f"participants.{i}.services", person.services)
    text("meeting_minute", content.meeting_minute, MINUTE_LIMIT)
    text("customer_view", content.customer_view)
    day("follow_up_on", content.follow_up_on)
    day("residence_permit_on", content.residence_permit_on)
    for key in TYPE_TEXTS:
        text(key, getattr(content, key),
             LANGUAGE_LIMIT if key == "interpreter_language" else TEXT_LIMIT)
    return errors


def check_acceptance(content: PlanContent, today: date) -> dict[str, str]:
    """What an accepted plan needs: the draft checks, then completeness and sane dates."""
    errors = check_draft(content, today)
    if not any(g.text for g in content.goals):
        errors.setdefault("goals", N_("Write at least one goal."))
    for i, goal in enumerate(content.goals):
        if not goal.text:
            errors.setdefault(f"goals.{i}.text", N_("Write the goal or remove the row."))
    for section, items in action_groups(content).items():
        for i, action in items:
            if not action.text:
                errors.setdefault(f"{section}.{i}.text", N_("Write the action or remove the row."))
            elif action.due_on is not None and action.due_on < today and not action.done:
                errors.setdefault(f"{section}.{i}.due_on",
                                  N_("The deadline has passed: change it or mark the action done."))
    for i, service in enumerate(content.services):
        if service.starts_on and service.ends_on and service.ends_on < service.starts_on:
            errors.setdefault(f"services.{i}.ends_on", N_("The service ends before it starts."))
    if content.applications_per_period is None:
        errors.setdefault("applications_per_period", N_(
            "Give the number of applications per period (0 when there is no obligation)."))
    else:
        if content.period_months is None:
            errors.setdefault("period_months", N_("Give the length of the review period."))
        if content.obligation_starts_on is None:
            errors.setdefault("obligation_starts_on", N_("Give the date the obligation starts."))
        elif abs((content.obligation_starts_on - today).days) > 366:
            errors.setdefault("obligation_starts_on",
                              N_("The obligation starts within a year from today."))
        if is_lowered(content) and not content.obligation_lowered_reason:
            errors.setdefault("obligation_lowered_reason",
                              N_("The obligation is lower than usual: write the reason."))
    if not content.contact_method:
        errors.setdefault("contact_method", N_("Write how you keep in contact."))
    review = content.next_review_on
    if review is None:
        errors.setdefault("next_review_on", N_("Give the date of the next review."))
    elif not today < review <= add_months(today, MAX_REVIEW_MONTHS):
        errors.setdefault("next_review_on",
                          N_("The next review is after today and within six months."))
    return errors


# --- the plan as lines of text (comparison) ----------------------------------------


def section_lines(content: PlanContent, lang: str) -> dict[str, list[str]]:
    """Each section of the plan as lines of text in `lang`: what a comparison diffs."""

    def t(msgid: str) -> str:
        return translate_in(lang, msgid)

    def due(item: PlanActionItem) -> str:
        parts = [item.text]
        if item.due_on:
            parts.append(t(N_("by {date}")).format(date=format_date(item.due_on, lang=lang)))
        if item.done:
            parts.append(t(N_("done")))
        return " · ".join(parts)

    groups = action_groups(content)
    lines: dict[str, list[str]] = {
        "goals": ([t(N_("Situation: {text}")).format(text=content.summary)] if content.summary
                  else [])
        + [f"{t(vocab.GOAL_KINDS.get(g.kind, g.kind))}: {g.text}" for g in content.goals],
        "customer_actions": [due(a) for _i, a in groups["customer_actions"]],
        "partner_actions": [f"{t(vocab.ACTORS.get(a.actor, a.actor))}: {due(a)}"
                            for _i, a in groups["partner_actions"]],
        "services": [],
        "obligation": [],
        "contact": [],
        "review": [],
    }
    for s in content.services:
        dates = " – ".join(format_date(d, lang=lang) for d in (s.starts_on, s.ends_on) if d)
        parts = [t(vocab.SERVICE_TYPES.get(s.service_type, s.service_type)), s.provider, dates,
                 s.note]
        lines["services"].append(" · ".join(p for p in parts if p))
    if content.applications_per_period is not None:
        lines["obligation"] += [
            t(N_("Applications per period: {n}")).format(n=content.applications_per_period),
            t(N_("Review period: {length}")).format(length=t(vocab.PERIOD_LENGTHS.get(
                content.period_months or DEFAULT_PERIOD_MONTHS, vocab.PERIOD_LENGTHS[1]))),
            t(N_("Starts on {date}")).format(date=format_date(content.obligation_starts_on,
                                                          lang=lang)),
        ]
    if content.obligation_lowered_reason:
        lines["obligation"].append(
            t(N_("Reason for a lower obligation: {text}")).format(
                text=content.obligation_lowered_reason))
    if content.contact_method:
        lines["contact"].append(t(N_("How: {text}")).format(text=content.contact_method))
    if content.contact_frequency:
        lines["contact"].append(t(N_("How often: {text}")).format(text=content.contact_frequency))
    if content.next_review_on:
        lines["review"].append(t(N_("Next review on {date}")).format(
            date=format_date(content.next_review_on, lang=lang)))
    # Each type's own part (#24) is compared with the situation and goals it follows in
    # the printed plan; an employment plan has none of it.
    lines["goals"] += type_lines(content, lang)
    return lines


def type_lines(content: PlanContent, lang: str) -> list[str]:
    def t(msgid: str) -> str:
        return translate_in(lang, msgid)

    out = [t(N_("Participant: {text}")).format(text=" · ".join(
        x for x in (p.name, p.organisation, p.role, p.responsibilities, p.services) if x))
        for p in content.participants]
    texts = (
        (N_("Minute: {text}"), content.meeting_minute),
        (N_("Follow-up meeting on {text}"), format_date(content.follow_up_on, lang=lang)),
        (N_("The customer's view: {text}"), content.customer_view),
        (N_("Grounds: {text}"), content.activation_conditions),
        (N_("Measures: {text}"), content.activation_measures),
        (N_("The social worker's part: {text}"), content.social_worker_part),
        (N_("Integration training: {text}"), content.integration_training),
        (N_("First residence permit on {text}"),
         format_date(content.residence_permit_on, lang=lang)),
        (N_("Interpreter: {text}"), content.interpreter_language),
        (N_("Integration measures: {text}"), content.integration_measures),
    )
    return out + [t(msgid).format(text=value) for msgid, value in texts if value]


def diff_lines(left: Sequence[str], right: Sequence[str]) -> tuple[CompareLine, ...]:
    """Side by side: equal lines, lines only on one side, and replaced lines paired."""
    out: list[CompareLine] = []
    matcher = difflib.SequenceMatcher(a=list(left), b=list(right), autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out += [CompareLine("same", line, line) for line in left[a0:a1]]
            continue
        olds, news = list(left[a0:a1]), list(right[b0:b1])
        paired = min(len(olds), len(news))
        out += [CompareLine("changed", o, n) for o, n in zip(olds, news, strict=False)]
        out += [CompareLine("removed", o, "") for o in olds[paired:]]
        out += [CompareLine("added", "", n) for n in news[paired:]]
    return tuple(out)


# --- each type's prefill -------------------------------------------------------------


def activation_text(s: Session, customer_id: str, now: datetime, lang: str,
                    case_facts: bool = False) -> str:
    """What makes the activation plan due, from the statutory clock: the due day and the
    rule (its law and section), as text in `lang`; empty when the clock has no due day."""
    from app.services import statutory_clock as clock
    from app.services.statutory_clock_facts import gather, subsidy_spells

    facts = gather(s, select(Customer.id).where(Customer.id == customer_id), now,
                   case_facts=case_facts)
    f = facts.get(customer_id)
    if f is None:
        return ""
    today = now.astimezone(HELSINKI).date()
    spells = [clock.rules.SubsidySpell(a, b) for a, b in subsidy_spells(s, customer_id)]
    due = clock.activation(f, spells, today)
    if due is None:
        return ""
    text = translate_in(lang, N_("The activation plan is due on {date} ({rule}); {days} "
                                 "subsidy days counted.")).format(
        date=format_date(due.due_on, lang=lang), rule=due.rule.source, days=due.paid_days)
    if due.approximate:
        text += " " + translate_in(lang, N_("The day is estimated."))
    return text


def language_name(code: str, lang: str) -> str:
    """The customer's language by name in `lang` (the interpreter's language)."""
    from babel import Locale

    try:
        return str(Locale.parse(lang).languages.get(code, code))
    except (ValueError, TypeError):
        return code


# --- the service --------------------------------------------------------------------

_CHILDREN: tuple[type[Any], ...] = (PlanGoal, PlanAction, PlannedService, PlanParticipant)


class PlanService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- reading ----------------------------------------------------------------------

    def open_customer(self, customer_id: str) -> CustomerPlans:
        """The customer's plans and the version to show: the draft, else the accepted one,
        of the newest plan (audited: plan content is a read of the customer's record)."""
        with self.ctx.transaction(self._reading()) as s:
            customer = live_customer(s, customer_id)
            self._check_read(s, customer_id)
            plans = self._plan_rows(s, customer_id)
            current = None
            if plans:
                versions = plans[0].versions
                shown = next((v for v in versions if v.status == PlanStatus.DRAFT), None)
                shown = shown or next(
                    (v for v in versions if v.status == PlanStatus.ACCEPTED), versions[0])
                current = self._info(s, self._version(s, shown.id))
            self.ctx.audit(s, "plan.read", "customer", customer_id,
                           {"version": current.id} if current else None)
            return CustomerPlans(customer_id, f"{customer.last_name}, {customer.first_names}",
                                 tuple(plans), current)

    def version(self, version_id: str) -> PlanVersionInfo:
        with self.ctx.transaction(self._reading()) as s:
            info = self._info(s, self._version(s, version_id, Permission.PLAN_READ))
            self.ctx.audit(s, "plan.read", "plan_version", version_id)
            return info

    def reviews_due(self, until: date) -> list[PlanDue]:
        """Accepted plans of the signed-in coach's customers whose review is due by
        `until`, soonest first, with the end of the current job-search period."""
        actor = self.ctx.require(Permission.PLAN_READ)
        today = self.ctx.today()
        stmt = (
            select(PlanVersion, Plan, Customer)
            .join(Plan, Plan.id == PlanVersion.plan_id)
            .join(Customer, Customer.id == Plan.customer_id)
            .where(PlanVersion.status == PlanStatus.ACCEPTED, PlanVersion.deleted_at.is_(None),
                   PlanVersion.next_review_on <= until,
                   or_(Customer.coach_id == actor.staff_id, Plan.coach_id == actor.staff_id))
            .order_by(PlanVersion.next_review_on, Customer.sort_name)
        )
        with self.ctx.reading() as s:
            rows = s.execute(stmt).all()
        due = []
        for version, plan, customer in rows:
            periods = review_periods(self._scalars(version))
            current = next((p for p in periods if p.starts_on <= today <= p.ends_on), None)
            due.append(PlanDue(customer.id, f"{customer.last_name}, {customer.first_names}",
                               plan.id, version.id, plan.plan_type.value, version.next_review_on,
                               current.ends_on if current else None))
        return due

    # --- writing ----------------------------------------------------------------------

    def create_plan(self, customer_id: str, plan_type: str) -> PlanVersionInfo:
        """A new plan with its first draft, the job-search model's defaults filled in."""
        if plan_type not in vocab.PLAN_TYPES:
            raise ValidationFailed({"plan_type": N_("Choose the type of the plan.")})
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            customer = live_customer(s, customer_id)
            case_access.check_write(s, self.ctx.signed_in, customer_id, Permission.PLAN_EDIT)
            if s.scalar(select(Plan.id).where(Plan.customer_id == customer_id,
                                              Plan.plan_type == PlanType(plan_type),
                                              Plan.deleted_at.is_(None))):
                raise ValidationFailed({"plan_type": N_(
                    "The customer already has a plan of this type: start a new version of it.")})
            today = self.ctx.today()
            plan = Plan(customer_id=customer_id, plan_type=PlanType(plan_type),
                        coach_id=customer.coach_id or self.ctx.signed_in.staff_id)
            s.add(plan)
            s.flush()
            version = PlanVersion(
                plan_id=plan.id, number=1, status=PlanStatus.DRAFT,
                applications_per_period=DEFAULT_APPLICATIONS_PER_MONTH * DEFAULT_PERIOD_MONTHS,
                period_months=DEFAULT_PERIOD_MONTHS, obligation_starts_on=today,
                next_review_on=add_months(today, DEFAULT_REVIEW_MONTHS),
            )
            if plan.plan_type == PlanType.ACTIVATION:
                from app.services.statutory_clock_facts import reads_case_facts

                version.activation_conditions = activation_text(
                    s, customer_id, self.ctx.now(), vocab.print_language(customer.language),
                    reads_case_facts(s, self.ctx.actor, customer_id))
            elif plan.plan_type == PlanType.INTEGRATION:
                version.residence_permit_on = customer.first_residence_permit_on
                if customer.interpreter_needed:
                    version.interpreter_language = language_name(
                        customer.language, vocab.print_language(customer.language))
            s.add(version)
            s.flush()
            self.ctx.audit(s, "plan.create", "plan", plan.id, {"type": plan_type})
            return self._info(s, version)

    def save_draft(self, version_id: str, content: PlanContent, revision: str) -> DraftSaved:
        """Store the editor's content. Idempotent and cheap: nothing is written when nothing
        changed, and only changed fields and rows are. `revision` is what the editor last
        loaded or saved; a draft changed elsewhere meanwhile is refused (Conflict)."""
        content = normalised(content)
        errors = check_draft(content, self.ctx.today())
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            version = self._draft(s, version_id)
            if self._content(s, version) == content:
                return DraftSaved(self._revision(s, version_id), False, self.ctx.now())
            if self._revision(s, version_id) != revision:
                raise Conflict(N_("This draft was changed elsewhere meanwhile. Reopen it."))
            self._share_participants(s, version, content)
            self._write(s, version, content)
            s.flush()
            self._audit_edit(s, version_id)
            return DraftSaved(self._revision(s, version_id), True, self.ctx.now())

    def accept(self, version_id: str, how: str, when: date | None = None,
               content: PlanContent | None = None, revision: str = "") -> PlanVersionInfo:
        """Accept a draft as it stands (or as `content`, saved first in the same
        transaction). The actor accepts; the previous accepted version is superseded."""
        today = self.ctx.today()
        when = when or today
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            version = self._draft(s, version_id)
            if content is not None:
                content = normalised(content)
                if self._content(s, version) != content and \
                        self._revision(s, version_id) != revision:
                    raise Conflict(N_("This draft was changed elsewhere meanwhile. Reopen it."))
            target = content if content is not None else self._content(s, version)
            errors = check_acceptance(target, today)
            if how not in vocab.ACCEPTANCE:
                errors["how"] = N_("Choose how the customer accepted the plan.")
            if not today - timedelta(days=ACCEPT_BACKDATE_DAYS) <= when <= today:
                errors["when"] = N_("The plan is accepted today or within the last 30 days.")
            if errors:
                raise ValidationFailed(errors)
            if content is not None:
                self._share_participants(s, version, content)
                self._write(s, version, content)
            for earlier in s.scalars(select(PlanVersion).where(
                    PlanVersion.plan_id == version.plan_id,
                    PlanVersion.status == PlanStatus.ACCEPTED)):
                earlier.status = PlanStatus.SUPERSEDED
            version.status = PlanStatus.ACCEPTED
            version.accepted_how = how
            version.accepted_by = self.ctx.signed_in.staff_id
            version.accepted_at = (self.ctx.now() if when == today else
                                   datetime.combine(when, time(12), HELSINKI))
            s.flush()
            self.ctx.audit(s, "plan.accept", "plan_version", version_id,
                           {"how": how, "number": version.number})
            return self._info(s, version)

    def start_new_draft(self, from_version_id: str) -> PlanVersionInfo:
        """Editing an accepted plan: a copy as the next draft (the plan's existing draft,
        if it has one, is returned instead)."""
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            source = self._version(s, from_version_id, Permission.PLAN_EDIT, write=True)
            draft = s.scalar(select(PlanVersion).where(
                PlanVersion.plan_id == source.plan_id, PlanVersion.status == PlanStatus.DRAFT,
                PlanVersion.deleted_at.is_(None)))
            if draft is not None:
                return self._info(s, draft)
            number = s.scalar(select(func.max(PlanVersion.number))
                              .where(PlanVersion.plan_id == source.plan_id)) or 0
            draft = PlanVersion(plan_id=source.plan_id, number=number + 1,
                                status=PlanStatus.DRAFT, based_on_id=source.id)
            s.add(draft)
            s.flush()
            content = self._content(s, source)
            customer_id = s.scalar(select(Plan.customer_id).where(Plan.id == source.plan_id))
            self._write(s, draft, replace(content, participants=self._consented(
                s, customer_id or "", content.participants)))
            s.flush()
            # The copied service lines keep their referrals (#20).
            carry_referrals(s, self._children(s, PlannedService, source.id),
                            self._children(s, PlannedService, draft.id))
            s.flush()
            self.ctx.audit(s, "plan.new_draft", "plan_version", draft.id,
                           {"from": from_version_id})
            return self._info(s, draft)

    # --- listing ----------------------------------------------------------------------

    def list_plans(self, customer_id: str | None = None, plan_type: str | None = None
                   ) -> list[PlanListRow]:
        """Plans with their newest version (`plan list`): the customer's, or all the
        signed-in worker may read, of one type or every type; by customer then type."""
        actor = self.ctx.require(Permission.PLAN_READ)
        if plan_type is not None and plan_type not in vocab.PLAN_TYPES:
            raise ValidationFailed({"plan_type": N_("Choose the type of the plan.")})
        stmt = (select(Plan, Customer.customer_number)
                .join(Customer, Customer.id == Plan.customer_id)
                .where(Plan.deleted_at.is_(None), Customer.deleted_at.is_(None)))
        if customer_id is not None:
            stmt = stmt.where(Plan.customer_id == customer_id)
        if plan_type is not None:
            stmt = stmt.where(Plan.plan_type == PlanType(plan_type))
        out: list[PlanListRow] = []
        with self.ctx.transaction(Permission.PLAN_READ) as s:
            readable: dict[str, bool] = {}
            for plan, number in s.execute(stmt.order_by(Customer.customer_number,
                                                         Plan.plan_type)).all():
                if plan.customer_id not in readable:
                    try:
                        case_access.check_read(s, actor, plan.customer_id,
                                               Permission.PLAN_READ)
                        readable[plan.customer_id] = True
                    except ServiceError:
                        readable[plan.customer_id] = False
                if not readable[plan.customer_id]:
                    continue
                version = s.scalar(select(PlanVersion).where(
                    PlanVersion.plan_id == plan.id, PlanVersion.deleted_at.is_(None))
                    .order_by(PlanVersion.number.desc()).limit(1))
                if version is None:
                    continue
                out.append(PlanListRow(plan.id, plan.customer_id, number,
                                       plan.plan_type.value, version.status.value,
                                       version.number, version.id, version.accepted_at,
                                       version.next_review_on))
            self.ctx.audit(s, "plan.list", "customer" if customer_id else "plan",
                           customer_id, {"type": plan_type} if plan_type else None)
        return out

    def resolve_customer(self, key: str) -> str:
        """A customer's id from their id, identity code or customer number."""
        text = nfc(key)
        with self.ctx.transaction(Permission.PLAN_READ) as s:
            customer_id = s.scalar(select(Customer.id).where(or_(
                Customer.id == text.lower(), Customer.hetu == text.upper(),
                Customer.customer_number == text.upper())))
            if customer_id is None:
                raise NotFound(N_("No customer with this ID, identity code or customer number."))
            return customer_id

    # --- comparing and printing ---------------------------------------------------------

    def compare(self, left_id: str, right_id: str, lang: str | None = None) -> PlanComparison:
        lang = lang or current_language()
        with self.ctx.transaction(self._reading()) as s:
            left = self._version(s, left_id, Permission.PLAN_READ)
            right = self._version(s, right_id, Permission.PLAN_READ)
            if left.plan_id != right.plan_id:
                raise ServiceError(N_("Only versions of the same plan can be compared."))
            a = section_lines(self._content(s, left), lang)
            b = section_lines(self._content(s, right), lang)
            self.ctx.audit(s, "plan.compare", "plan_version", right_id, {"with": left_id})
            return PlanComparison(
                self._row(s, left), self._row(s, right),
                tuple(CompareSection(key, diff_lines(a[key], b[key])) for key, _t in
                      vocab.SECTIONS))

    def print_document(self, version_id: str, lang: str | None = None,
                       purpose: str = "print") -> PlanDocument:
        """What the printed plan shows, in the customer's language unless `lang` is given.
        Audited as a print (`purpose`: print, save or open)."""
        with self.ctx.transaction(Permission.PLAN_PRINT) as s:
            version = self._version(s, version_id, Permission.PLAN_PRINT)
            plan = s.get(Plan, version.plan_id)
            assert plan is not None
            customer = live_customer(s, plan.customer_id)
            lang = lang or vocab.print_language(customer.language)
            if lang not in vocab.PRINT_LANGUAGES:
                raise ServiceError(N_("Plans are printed in Finnish, Swedish or English."))
            coach = s.get(Staff, plan.coach_id) if plan.coach_id else None
            point = s.get(ServicePoint, customer.service_point_id)
            row = self._row(s, version)
            content = self._content(s, version)
            self.ctx.audit(s, "plan.print", "plan_version", version_id,
                           {"lang": lang, "purpose": purpose})
            return PlanDocument(
                lang=lang, customer_name=f"{customer.first_names} {customer.last_name}",
                customer_hetu=customer.hetu or "", customer_number=customer.customer_number,
                customer_language=customer.language,
                coach_name=coach.full_name if coach else "",
                coach_phone=(coach.phone or "") if coach else "",
                coach_email=(coach.email or "") if coach else "",
                service_point_name=point.name if point else "",
                service_point_address=_point_address(point),
                plan_type=plan.plan_type.value, number=version.number,
                status=version.status.value, accepted_how=version.accepted_how,
                accepted_at=version.accepted_at, accepted_by_name=row.accepted_by_name,
                content=content, periods=review_periods(content), printed_at=self.ctx.now(),
                printed_by=self.ctx.actor.full_name if self.ctx.actor else "",
            )

    @staticmethod
    def render(document: PlanDocument) -> bytes:
        """The PDF of a printed plan (pure; run it off the GUI thread)."""
        from app.printing.plan_pdf import render_plan

        return render_plan(document, document.lang)

    def print_pdf(self, version_id: str, lang: str | None = None) -> bytes:
        return self.render(self.print_document(version_id, lang))

    def print_for_partner(self, version_id: str, partner_org_id: str,
                          lang: str | None = None) -> bytes:
        """The multi-professional plan printed for a partner organisation: only under the
        customer's consent in force covering the plan (refused with the reason, and the
        refusal audited, without); audited partner.share.plan_print."""
        from app.services.partners import require_consent

        with self.ctx.transaction(Permission.PLAN_PRINT) as s:
            version = self._version(s, version_id, Permission.PLAN_PRINT)
            plan = s.get(Plan, version.plan_id)
            assert plan is not None
            if plan.plan_type != PlanType.MULTI_PROFESSIONAL:
                raise ServiceError(N_("Only a multi-professional plan is printed for a "
                                      "partner."))
            org = s.get(PartnerOrg, partner_org_id)
            if org is None or org.deleted_at is not None:
                raise NotFound(N_("The partner organisation was not found."))
            # The printed plan names the customer (name, identity code): identity and
            # contact details are shared too, not only the plan.
            for info in (partner_rules.INVITATION_NEEDS, partner_rules.PLAN_PRINT_NEEDS):
                require_consent(self.ctx, s, plan.customer_id, partner_org_id, info,
                                "plan_print")
        document = self.print_document(version_id, lang, purpose="partner")
        with self.ctx.transaction(Permission.PLAN_PRINT) as s:
            self.ctx.audit(s, "partner.share.plan_print", "plan_version", version_id,
                           {"partner_org_id": partner_org_id,
                            "info": partner_rules.PLAN_PRINT_NEEDS.value,
                            "lang": document.lang})
        return self.render(document)

    def printable_version(self, key: str) -> str:
        """What `plan print` prints: a plan version by its id, a plan's accepted version
        (else its draft) by the plan's id, or the customer's (id, identity code or
        customer number) latest accepted plan version, else the latest draft."""
        text = nfc(key)
        with self.ctx.transaction(Permission.PLAN_PRINT) as s:
            # A plan version's id prints that version; a plan's id its current version.
            if s.scalar(select(PlanVersion.id).where(PlanVersion.id == text.lower(),
                                                     PlanVersion.deleted_at.is_(None))):
                return text.lower()
            plan_id = s.scalar(select(Plan.id).where(Plan.id == text.lower(),
                                                     Plan.deleted_at.is_(None)))
            if plan_id is not None:
                versions = s.scalars(select(PlanVersion).where(
                    PlanVersion.plan_id == plan_id, PlanVersion.deleted_at.is_(None),
                    PlanVersion.status != PlanStatus.SUPERSEDED)).all()
                accepted = [v for v in versions if v.status == PlanStatus.ACCEPTED]
                if accepted:
                    return accepted[0].id
                if versions:
                    return max(versions, key=lambda v: v.number).id
                raise NotFound(N_("The plan has no version to print."))
            customer_id = s.scalar(select(Customer.id).where(or_(
                Customer.id == text.lower(), Customer.hetu == text.upper(),
                Customer.customer_number == text.upper())))
            if customer_id is None:
                raise NotFound(N_("No customer with this ID, identity code or customer number."))
            versions = s.scalars(
                select(PlanVersion).join(Plan, Plan.id == PlanVersion.plan_id)
                .where(Plan.customer_id == customer_id, PlanVersion.deleted_at.is_(None),
                       PlanVersion.status != PlanStatus.SUPERSEDED)
            ).all()
            accepted = [v for v in versions if v.status == PlanStatus.ACCEPTED]
            if accepted:
                return max(accepted, key=lambda v: v.accepted_at or v.updated_at).id
            if versions:
                return max(versions, key=lambda v: v.updated_at).id
            raise NotFound(N_("The customer has no plan yet."))

    # --- for the meetings (app/services/meetings.py), inside their transaction --------

    def meeting_draft(self, s: Session, customer_id: str) -> PlanVersion:
        """The customer's multi-professional plan draft: the draft there is, else a new
        draft from the accepted version, else a new plan."""
        plan = s.scalar(select(Plan).where(
            Plan.customer_id == customer_id, Plan.plan_type == PlanType.MULTI_PROFESSIONAL,
            Plan.deleted_at.is_(None)))
        if plan is None:
            customer = live_customer(s, customer_id)
            today = self.ctx.today()
            plan = Plan(customer_id=customer_id, plan_type=PlanType.MULTI_PROFESSIONAL,
                        coach_id=customer.coach_id or self.ctx.signed_in.staff_id)
            s.add(plan)
            s.flush()
            version = PlanVersion(
                plan_id=plan.id, number=1, status=PlanStatus.DRAFT,
                applications_per_period=DEFAULT_APPLICATIONS_PER_MONTH * DEFAULT_PERIOD_MONTHS,
                period_months=DEFAULT_PERIOD_MONTHS, obligation_starts_on=today,
                next_review_on=add_months(today, DEFAULT_REVIEW_MONTHS))
            s.add(version)
            s.flush()
            self.ctx.audit(s, "plan.create", "plan", plan.id,
                           {"type": PlanType.MULTI_PROFESSIONAL.value})
            return version
        versions = s.scalars(select(PlanVersion).where(
            PlanVersion.plan_id == plan.id, PlanVersion.deleted_at.is_(None))
            .order_by(PlanVersion.number.desc())).all()
        draft = next((v for v in versions if v.status == PlanStatus.DRAFT), None)
        if draft is not None:
            return draft
        source = next((v for v in versions if v.status == PlanStatus.ACCEPTED), None) \
            or (versions[0] if versions else None)
        number = versions[0].number if versions else 0
        draft = PlanVersion(plan_id=plan.id, number=number + 1, status=PlanStatus.DRAFT,
                            based_on_id=source.id if source else None)
        s.add(draft)
        s.flush()
        if source is not None:
            content = self._content(s, source)
            self._write(s, draft, replace(content, participants=self._consented(
                s, customer_id, content.participants)))
            s.flush()
            carry_referrals(s, self._children(s, PlannedService, source.id),
                            self._children(s, PlannedService, draft.id))
            s.flush()
        self.ctx.audit(s, "plan.new_draft", "plan_version", draft.id,
                       {"from": source.id if source else None})
        return draft

    def content_of(self, s: Session, version: PlanVersion) -> PlanContent:
        return self._content(s, version)

    def write_content(self, s: Session, version: PlanVersion, content: PlanContent) -> None:
        """Store `content` into a draft (partner participants checked as a save does)."""
        content = normalised(content)
        errors = check_draft(content, self.ctx.today())
        if errors:
            raise ValidationFailed(errors)
        self._share_participants(s, version, content)
        self._write(s, version, content)

    @staticmethod
    def participant_item(row: Any) -> PlanParticipantItem:
        """A meeting participant (dto.meetings.ParticipantRow) as a plan participant."""
        return PlanParticipantItem(
            name=row.name, organisation=row.organisation or "",
            role=row.role or row.title or "",
            partner_person_id=row.person_id if row.kind == "partner" else None,
            staff_id=row.person_id if row.kind == "staff" else None)

    # --- helpers ------------------------------------------------------------------------

    def _share_participants(self, s: Session, version: PlanVersion,
                            content: PlanContent) -> None:
        """Partner people the save adds to the plan's participants: each only under the
        customer's consent in force covering the plan (else refused, the reason on the
        participants field); each addition audited as sharing."""
        from app.services.partners import ConsentRefused, require_consent

        before = {p.partner_person_id for p in self._children(s, PlanParticipant, version.id)
                  if p.partner_person_id}
        added = [p.partner_person_id for p in content.participants
                 if p.partner_person_id and p.partner_person_id not in before]
        if not added:
            return
        customer_id = s.scalar(select(Plan.customer_id).where(Plan.id == version.plan_id))
        # Every addition checked before any is audited: an audit row flushed here would
        # hold SQLite's write lock while a refusal writes its own audit in a transaction
        # of its own ("database is locked" instead of the reason, found by the review).
        shared = []
        for person_id in dict.fromkeys(added):
            org_id = s.scalar(select(PartnerPerson.partner_org_id).where(
                PartnerPerson.id == person_id))
            if org_id is None:
                raise ValidationFailed({"participants": N_("Choose the person.")})
            try:
                require_consent(self.ctx, s, customer_id or "", org_id,
                                partner_rules.MEETING_NEEDS, "plan")
            except ConsentRefused as refused:
                raise ValidationFailed({"participants": refused.message}) from refused
            shared.append(org_id)
        for org_id in shared:
            self.ctx.audit(s, "partner.share.plan", "plan_version", version.id,
                           {"partner_org_id": org_id,
                            "info": partner_rules.MEETING_NEEDS.value})

    def _consented(self, s: Session, customer_id: str,
                   participants: tuple[PlanParticipantItem, ...]
                   ) -> tuple[PlanParticipantItem, ...]:
        """The participants a new version copies: staff, and partner people under a
        consent in force covering the plan today."""
        if not any(p.partner_person_id for p in participants):
            return participants
        from app.services.meetings import consent_facts

        facts = consent_facts(s, customer_id)
        today = self.ctx.today()
        kept = []
        for p in participants:
            if p.partner_person_id:
                org_id = s.scalar(select(PartnerPerson.partner_org_id).where(
                    PartnerPerson.id == p.partner_person_id))
                if org_id is None or partner_rules.refusal(
                        facts, org_id, partner_rules.MEETING_NEEDS, today) is not None:
                    continue
            kept.append(p)
        return tuple(kept)



    def _version(self, s: Session, version_id: str, permission: Permission | None = None,
                 write: bool = False) -> PlanVersion:
        """The version; with `permission`, only if the signed-in worker's caseload rights
        reach its customer (app/rules/case_access.py)."""
        version = s.get(PlanVersion, version_id)
        if version is None or version.deleted_at is not None:
            raise NotFound(N_("The plan version was not found."))
        if permission is not None:
            customer_id = s.scalar(select(Plan.customer_id).where(Plan.id == version.plan_id))
            if permission is Permission.PLAN_READ and not write:
                self._check_read(s, customer_id or "")
            else:
                check = case_access.check_write if write else case_access.check_read
                check(s, self.ctx.signed_in, customer_id or "", permission)
        return version

    def _reading(self) -> Permission:
        """Plans are read with plan.read, by a partner's account with partner.read (#24)."""
        return (Permission.PARTNER_READ if partner_reach.is_partner(self.ctx.actor)
                else Permission.PLAN_READ)

    def _check_read(self, s: Session, customer_id: str) -> None:
        """Staff by the caseload rule; a partner's account by the customer's consent to
        its organisation covering identity and plans (refused with the reason, audited)."""
        if partner_reach.is_partner(self.ctx.actor):
            partner_reach.check(self.ctx, s, customer_id, ConsentInfo.PLAN)
        else:
            case_access.check_read(s, self.ctx.signed_in, customer_id, Permission.PLAN_READ)

    def _draft(self, s: Session, version_id: str) -> PlanVersion:
        version = self._version(s, version_id, Permission.PLAN_EDIT, write=True)
        if version.status != PlanStatus.DRAFT:
            raise Conflict(N_("An accepted plan never changes: start a new draft from it."))
        return version

    def _audit_edit(self, s: Session, version_id: str) -> None:
        recent = s.scalar(select(AuditEvent.id).where(
            AuditEvent.entity == "plan_version", AuditEvent.entity_id == version_id,
            AuditEvent.action == "plan.edit",
            AuditEvent.staff_id == self.ctx.signed_in.staff_id,
            AuditEvent.at >= self.ctx.now() - AUDIT_COALESCE).limit(1))
        if recent is None:
            self.ctx.audit(s, "plan.edit", "plan_version", version_id)

    @staticmethod
    def _revision(s: Session, version_id: str) -> str:
        """A fingerprint of the version and its rows (tombstoned ones too): any write to
        them here or arriving by sync changes it."""
        own = s.scalar(select(PlanVersion.hlc).where(PlanVersion.id == version_id))
        parts = [f"plan_version:{version_id}:{own}"]
        for model in _CHILDREN:
            rows = s.execute(select(model.id, model.hlc)
                             .where(model.plan_version_id == version_id)
                             .order_by(model.id)).all()
            parts += [f"{model.__tablename__}:{i}:{h}" for i, h in rows]
        return hashlib.sha1("\n".join(parts).encode()).hexdigest()

    @staticmethod
    def _children(s: Session, model: type[Any], version_id: str) -> list[Any]:
        rows = list(s.scalars(select(model).where(
            model.plan_version_id == version_id, model.deleted_at.is_(None))
            .order_by(*((model.position,) if hasattr(model, "position") else ()), model.id)))
        if model is PlannedService:
            rows.sort(key=lambda x: service_order(_service_item(x)))
        return rows

    @staticmethod
    def _scalars(v: PlanVersion) -> PlanContent:
        return PlanContent(
            applications_per_period=v.applications_per_period, period_months=v.period_months,
            obligation_starts_on=v.obligation_starts_on,
            obligation_lowered_reason=v.obligation_lowered_reason or "",
            contact_method=v.contact_method or "", contact_frequency=v.contact_frequency or "",
            next_review_on=v.next_review_on, summary=v.summary or "",
            meeting_id=v.meeting_id, meeting_minute=v.meeting_minute or "",
            follow_up_on=v.follow_up_on, customer_view=v.customer_view or "",
            residence_permit_on=v.residence_permit_on,
            activation_conditions=v.activation_conditions or "",
            activation_measures=v.activation_measures or "",
            social_worker_part=v.social_worker_part or "",
            integration_training=v.integration_training or "",
            interpreter_language=v.interpreter_language or "",
            integration_measures=v.integration_measures or "")

    def _content(self, s: Session, v: PlanVersion) -> PlanContent:
        return replace(
            self._scalars(v),
            goals=tuple(PlanGoalItem(g.kind, g.text) for g in self._children(s, PlanGoal, v.id)),
            actions=tuple(PlanActionItem(a.actor, a.text, a.due_on, a.done)
                          for a in self._children(s, PlanAction, v.id)),
            services=_live_services(s, self._children(s, PlannedService, v.id)),
            participants=tuple(
                PlanParticipantItem(p.name, p.organisation or "", p.role or "",
                                    p.responsibilities or "", p.services or "",
                                    p.partner_person_id, p.staff_id)
                for p in self._children(s, PlanParticipant, v.id)),
        )

    def _write(self, s: Session, v: PlanVersion, c: PlanContent) -> None:
        """Set only what differs, so an unchanged field makes no outbox patch."""
        c = normalised(c)
        scalars = {
            "applications_per_period": c.applications_per_period,
            "period_months": c.period_months, "obligation_starts_on": c.obligation_starts_on,
            "obligation_lowered_reason": c.obligation_lowered_reason or None,
            "contact_method": c.contact_method or None,
            "contact_frequency": c.contact_frequency or None,
            "next_review_on": c.next_review_on, "summary": c.summary or None,
            "meeting_id": c.meeting_id, "follow_up_on": c.follow_up_on,
            "residence_permit_on": c.residence_permit_on,
            **{key: getattr(c, key) or None
               for key in ("meeting_minute", "customer_view", *TYPE_TEXTS)},
        }
        _assign(v, scalars)
        # Children are matched by position: row i of the editor updates stored row i
        # (`c` is normalised: actions grouped, services in date order).
        wanted: list[tuple[type[Any], list[dict[str, Any]]]] = [
            (PlanGoal, [{"kind": g.kind, "text": g.text, "position": i}
                        for i, g in enumerate(c.goals)]),
            (PlanAction, [{"actor": a.actor, "text": a.text, "due_on": a.due_on,
                           "done": a.done, "position": i}
                          for i, a in enumerate(c.actions)]),
            (PlannedService, [{"service_type": x.service_type, "provider": x.provider or None,
                            "starts_on": x.starts_on, "ends_on": x.ends_on,
                            "note": x.note or None, "referral_id": x.referral_id}
                           for x in c.services]),
            (PlanParticipant, [{"name": x.name, "organisation": x.organisation or None,
                                "role": x.role or None,
                                "responsibilities": x.responsibilities or None,
                                "services": x.services or None,
                                "partner_person_id": x.partner_person_id,
                                "staff_id": x.staff_id, "position": i}
                               for i, x in enumerate(c.participants)]),
        ]
        # A line's referral moves with the line. A line the editor shows without one
        # keeps the link its row has (a referral made on the card after the editor read
        # the draft), unless the link went to another line in this very save.
        carried = {x.referral_id for x in c.services if x.referral_id}
        now = self.ctx.now()
        for model, items in wanted:
            rows = self._children(s, model, v.id)
            if model is PlanParticipant:
                self._write_participants(s, v.id, rows, items, now)
                continue
            for row, values in zip(rows, items, strict=False):
                if model is PlannedService and values["referral_id"] is None \
                        and row.referral_id not in carried:
                    values = {k: x for k, x in values.items() if k != "referral_id"}
                _assign(row, values)
            for values in items[len(rows):]:
                s.add(model(plan_version_id=v.id, **values))
            for row in rows[len(items):]:
                row.deleted_at = now

    @staticmethod
    def _write_participants(s: Session, version_id: str, rows: list[Any],
                            items: list[dict[str, Any]], now: datetime) -> None:
        """Participants are matched by who they are, not by position: a row never turns
        from one person into another (the centre checks the consent of a person a row
        gains, and would refuse what the desk had merely moved up a place). People typed
        in without a register entry fill the remaining rows in order."""
        def who(values: Any) -> tuple[str, str] | None:
            get = values.get if isinstance(values, dict) else partial(getattr, values)
            person, staff = get("partner_person_id"), get("staff_id")
            if person:
                return ("partner", str(person))
            return ("staff", str(staff)) if staff else None

        free = [r for r in rows if who(r) is None]
        by_who = {who(r): r for r in rows if who(r) is not None}
        used: set[int] = set()
        for values in items:
            key = who(values)
            row = by_who.pop(key, None) if key is not None else (free.pop(0) if free else None)
            if row is None:
                s.add(PlanParticipant(plan_version_id=version_id, **values))
                continue
            _assign(row, values)
            used.add(id(row))
        for row in rows:
            if id(row) not in used:
                row.deleted_at = now

    def _row(self, s: Session, v: PlanVersion) -> PlanVersionRow:
        name = s.scalar(select(Staff.full_name).where(Staff.id == v.accepted_by)) \
            if v.accepted_by else None
        return PlanVersionRow(v.id, v.plan_id, v.number, v.status.value, v.accepted_how,
                              v.accepted_at, name, v.updated_at)

    def _info(self, s: Session, v: PlanVersion) -> PlanVersionInfo:
        plan = s.get(Plan, v.plan_id)
        assert plan is not None
        language = s.scalar(select(Customer.language).where(Customer.id == plan.customer_id))
        based_on = (s.scalar(select(PlanVersion.number).where(PlanVersion.id == v.based_on_id))
                    if v.based_on_id else None)
        return PlanVersionInfo(
            row=self._row(s, v), plan_type=plan.plan_type.value, customer_id=plan.customer_id,
            based_on_number=based_on, revision=self._revision(s, v.id),
            content=self._content(s, v), customer_language=language or "fi",
            print_language=vocab.print_language(language or "fi"))

    def _plan_rows(self, s: Session, customer_id: str) -> list[PlanRow]:
        plans = s.execute(
            select(Plan, Staff.full_name).outerjoin(Staff, Staff.id == Plan.coach_id)
            .where(Plan.customer_id == customer_id, Plan.deleted_at.is_(None))).all()
        rows = []
        for plan, coach in plans:
            versions = s.scalars(select(PlanVersion).where(
                PlanVersion.plan_id == plan.id, PlanVersion.deleted_at.is_(None))
                .order_by(PlanVersion.number.desc())).all()
            if versions:
                rows.append(PlanRow(plan.id, plan.plan_type.value, coach,
                                    tuple(self._row(s, v) for v in versions)))
        rows.sort(key=lambda p: max(v.updated_at for v in p.versions), reverse=True)
        return rows


def _live_services(s: Session, rows: list[PlannedService]) -> tuple[PlanServiceItem, ...]:
    """The service lines with their referrals' live state (#20)."""
    live = referral_states(s, rows)
    return tuple(replace(_service_item(x), referral_state=live[x.id][0],
                         referral_on=live[x.id][1], referral_id=x.referral_id)
                 if x.id in live else _service_item(x) for x in rows)


def _service_item(row: PlannedService) -> PlanServiceItem:
    return PlanServiceItem(row.service_type, row.provider or "", row.starts_on, row.ends_on,
                           row.note or "")


def _assign(row: Any, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)


def print_plan_cli(services: Any, key: str, lang: str | None, out_path: Path) -> Path:
    """`python -m app.cli plan print (ID|HETU) --db PATH [--lang L] --out FILE.pdf`: the
    customer's latest accepted plan, else the latest draft. The caller signs in (acts as
    a staff member) first; ServiceError tells what went wrong."""
    if lang is not None and lang not in vocab.PRINT_LANGUAGES:
        raise ServiceError(N_("Plans are printed in Finnish, Swedish or English."))
    plans: PlanService = services.plans
    pdf = plans.print_pdf(plans.printable_version(key), lang)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(pdf)
    return out_path


def _point_address(point: ServicePoint | None) -> str:
    """'Koskikatu 25, 96200 Rovaniemi', or just the municipality when no address is set."""
    if point is None:
        return ""
    town = " ".join(p for p in (point.postal_code, point.municipality) if p)
    return ", ".join(p for p in (point.street_address, town) if p)
