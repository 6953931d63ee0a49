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
from app.rules import plan_vocabulary as vocab
from app.rules import text_input
from app.rules.codes import PlanStatus, PlanType
from app.rules.customer import nfc
from app.rules.permissions import Permission
from app.services import case_access
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
    )


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
        elif why := text_input.refusal(value, multiline=limit == TEXT_LIMIT):
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
    return lines


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


# --- the service --------------------------------------------------------------------

_CHILDREN: tuple[type[Any], ...] = (PlanGoal, PlanAction, PlannedService)


class PlanService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- reading ----------------------------------------------------------------------

    def open_customer(self, customer_id: str) -> CustomerPlans:
        """The customer's plans and the version to show: the draft, else the accepted one,
        of the newest plan (audited: plan content is a read of the customer's record)."""
        with self.ctx.transaction(Permission.PLAN_READ) as s:
            customer = live_customer(s, customer_id)
            case_access.check_read(s, self.ctx.signed_in, customer_id, Permission.PLAN_READ)
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
        with self.ctx.transaction(Permission.PLAN_READ) as s:
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
            self._write(s, draft, self._content(s, source))
            s.flush()
            # The copied service lines keep their referrals (#20).
            carry_referrals(s, self._children(s, PlannedService, source.id),
                            self._children(s, PlannedService, draft.id))
            s.flush()
            self.ctx.audit(s, "plan.new_draft", "plan_version", draft.id,
                           {"from": from_version_id})
            return self._info(s, draft)

    # --- comparing and printing ---------------------------------------------------------

    def compare(self, left_id: str, right_id: str, lang: str | None = None) -> PlanComparison:
        lang = lang or current_language()
        with self.ctx.transaction(Permission.PLAN_READ) as s:
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

    def printable_version(self, key: str) -> str:
        """The customer's (id, identity code or customer number) latest accepted plan
        version, else the latest draft: what `plan print` prints."""
        text = nfc(key)
        with self.ctx.transaction(Permission.PLAN_PRINT) as s:
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

    # --- helpers ------------------------------------------------------------------------


    def _version(self, s: Session, version_id: str, permission: Permission | None = None,
                 write: bool = False) -> PlanVersion:
        """The version; with `permission`, only if the signed-in worker's caseload rights
        reach its customer (app/rules/case_access.py)."""
        version = s.get(PlanVersion, version_id)
        if version is None or version.deleted_at is not None:
            raise NotFound(N_("The plan version was not found."))
        if permission is not None:
            customer_id = s.scalar(select(Plan.customer_id).where(Plan.id == version.plan_id))
            check = case_access.check_write if write else case_access.check_read
            check(s, self.ctx.signed_in, customer_id or "", permission)
        return version

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
            next_review_on=v.next_review_on, summary=v.summary or "")

    def _content(self, s: Session, v: PlanVersion) -> PlanContent:
        return replace(
            self._scalars(v),
            goals=tuple(PlanGoalItem(g.kind, g.text) for g in self._children(s, PlanGoal, v.id)),
            actions=tuple(PlanActionItem(a.actor, a.text, a.due_on, a.done)
                          for a in self._children(s, PlanAction, v.id)),
            services=_live_services(s, self._children(s, PlannedService, v.id)),
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
        ]
        # A line's referral moves with the line. A line the editor shows without one
        # keeps the link its row has (a referral made on the card after the editor read
        # the draft), unless the link went to another line in this very save.
        carried = {x.referral_id for x in c.services if x.referral_id}
        now = self.ctx.now()
        for model, items in wanted:
            rows = self._children(s, model, v.id)
            for row, values in zip(rows, items, strict=False):
                if model is PlannedService and values["referral_id"] is None \
                        and row.referral_id not in carried:
                    values = {k: x for k, x in values.items() if k != "referral_id"}
                _assign(row, values)
            for values in items[len(rows):]:
                s.add(model(plan_version_id=v.id, **values))
            for row in rows[len(items):]:
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
