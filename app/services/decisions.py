"""Support decisions: pay subsidy, work trial, training trial and start-up grant.

A decision is drafted (referral.make, by the customer's own coach or a team lead),
decided (decision.decide: team leads and administrators), and may then be ended early
with a reason or replaced by a new decision; a decided decision's content is never
edited (the central guard in c0070 refuses it too). Replacing makes a new draft that
copies the old one; when that draft is decided, the old one becomes replaced in the
same transaction. Nothing is deleted: the history is the list. Audited with ids only."""

from __future__ import annotations

from dataclasses import replace as dc_replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dto.decisions import CustomerDecisions, DecisionInput, DecisionLetter, DecisionRow
from app.i18n import N_
from app.models import Customer, Employer, ServicePoint, Staff, SupportDecision
from app.rules import case_access as caseload
from app.rules import decisions as rules
from app.rules.codes import DecisionKind, DecisionStatus
from app.rules.customer import nfc
from app.rules.permissions import Permission, allowed
from app.rules.plan_vocabulary import print_language
from app.rules.referrals import StateRefused, check_decision_step
from app.services import case_access
from app.services.context import AppContext
from app.services.customers import live_customer
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.settings import SettingsService

STATISTICS_KEY = "municipal_statistics"  # the cost split's municipalities (area setting)
DECIDED_NOT_EDITED = N_("A decided decision is never edited: end it early or replace it.")


def _name(s: Session, staff_id: str | None) -> str | None:
    if not staff_id:
        return None
    return s.scalar(select(Staff.full_name).where(Staff.id == staff_id))


def _row(s: Session, d: SupportDecision, customer_number: str = "") -> DecisionRow:
    return DecisionRow(
        id=d.id, customer_id=d.customer_id, kind=d.kind.value, status=d.status.value,
        employer_name=d.employer_name, employer_business_id=d.employer_business_id,
        starts_on=d.starts_on, ends_on=d.ends_on, hours_per_week=d.hours_per_week,
        percentage=d.percentage, amount_cents=d.amount_cents,
        paying_municipality=d.paying_municipality,
        drafted_by_name=_name(s, d.drafted_by), decided_on=d.decided_on,
        decided_by_name=_name(s, d.decided_by), ended_on=d.ended_on,
        end_reason=d.end_reason, replaces_id=d.replaces_id,
        replaced_by_id=d.replaced_by_id, note=d.note or "", customer_number=customer_number)


def _refused(exc: StateRefused) -> Conflict:
    return Conflict(exc.message)


class DecisionService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.settings = SettingsService(ctx)

    # --- reading ----------------------------------------------------------------------

    def municipalities(self, customer: Customer | None = None) -> list[str]:
        """The municipalities that may pay: those of the area's cost split, else the
        customer's home municipality."""
        stats: Any = self.settings.get(STATISTICS_KEY) or {}
        names = [str(r.get("name", "")).strip() for r in stats.get("municipalities", [])
                 if isinstance(r, dict)]
        names = [n for n in names if n]
        if names:
            return names
        return [customer.home_municipality] if customer and customer.home_municipality else []

    def list_for_customer(self, customer_id: str) -> CustomerDecisions:
        """The customer's decisions, newest first: replaced and ended ones too."""
        actor = self.ctx.require(Permission.PLAN_READ)
        with self.ctx.reading() as s:
            customer = live_customer(s, customer_id)
            case_access.check_read(s, actor, customer_id, Permission.PLAN_READ)
            rows = s.scalars(
                select(SupportDecision)
                .where(SupportDecision.customer_id == customer_id,
                       SupportDecision.deleted_at.is_(None))
                .order_by(SupportDecision.starts_on.desc(), SupportDecision.updated_at.desc(),
                          SupportDecision.id)).all()
            writable = caseload.may_write(case_access.worker(actor),
                                          case_access.case_of(s, customer_id),
                                          Permission.REFERRAL_MAKE)
            home = customer.home_municipality or ""
            result = [_row(s, d) for d in rows]
            # The register's employers, for the form's employer (the decision keeps its
            # own name and business ID: what was decided stays as decided).
            employers = [(name, bid) for name, bid in s.execute(
                select(Employer.name, Employer.business_id)
                .where(Employer.active.is_(True), Employer.deleted_at.is_(None))
                .order_by(Employer.name))] if writable else []
        return CustomerDecisions(
            customer_id=customer_id, rows=result, writable=writable,
            may_decide=writable and allowed(actor.role, Permission.DECISION_DECIDE),
            municipalities=self.municipalities(customer), home_municipality=home,
            employers=employers)

    def list_all(self, customer_id: str | None = None) -> list[DecisionRow]:
        """Every decision the signed-in person may read (one customer's with
        `customer_id`), the newest first: for the command line."""
        actor = self.ctx.require(Permission.PLAN_READ)
        with self.ctx.reading() as s:
            query = (select(SupportDecision, Customer.customer_number)
                     .join(Customer, Customer.id == SupportDecision.customer_id)
                     .where(SupportDecision.deleted_at.is_(None),
                            Customer.deleted_at.is_(None)))
            if customer_id is not None:
                live_customer(s, customer_id)
                case_access.check_read(s, actor, customer_id, Permission.PLAN_READ)
                query = query.where(SupportDecision.customer_id == customer_id)
            readable: dict[str, bool] = {}
            out = []
            for d, number in s.execute(query.order_by(SupportDecision.starts_on.desc(),
                                                      SupportDecision.id)):
                if d.customer_id not in readable:
                    readable[d.customer_id] = caseload.may_read(
                        case_access.worker(actor), case_access.case_of(s, d.customer_id),
                        Permission.PLAN_READ)
                if readable[d.customer_id]:
                    out.append(_row(s, d, number or ""))
            return out

    def get(self, decision_id: str) -> DecisionRow:
        actor = self.ctx.require(Permission.PLAN_READ)
        with self.ctx.reading() as s:
            d = self._decision(s, decision_id)
            case_access.check_read(s, actor, d.customer_id, Permission.PLAN_READ)
            return _row(s, d)

    # --- writing ----------------------------------------------------------------------

    def _decision(self, s: Session, decision_id: str) -> SupportDecision:
        d = s.get(SupportDecision, decision_id)
        if d is None or d.deleted_at is not None:
            raise NotFound(N_("The decision was not found."))
        return d

    def _writable(self, s: Session, decision_id: str) -> SupportDecision:
        d = self._decision(s, decision_id)
        live_customer(s, d.customer_id)
        case_access.check_write(s, self.ctx.signed_in, d.customer_id, Permission.REFERRAL_MAKE)
        return d

    def _checked(self, customer: Customer, fields: DecisionInput) -> dict[str, Any]:
        """The columns of a valid decision, or ValidationFailed with every problem."""
        errors: dict[str, str] = {}
        try:
            kind: DecisionKind | None = DecisionKind(fields.kind)
        except ValueError:
            kind = None
            errors["kind"] = N_("Choose the kind of decision.")
        employer = nfc(fields.employer_name or "").strip()
        if not employer:
            errors["employer_name"] = N_("Give the employer's or organiser's name.")
        elif len(employer) > rules.EMPLOYER_LIMIT:
            errors["employer_name"] = N_("At most 200 characters.")
        business_id, problem = rules.business_id(fields.employer_business_id)
        if problem:
            errors["employer_business_id"] = problem
        errors.update(rules.period_problem(fields.starts_on, fields.ends_on))
        hours, percentage, cents = fields.hours_per_week, fields.percentage, fields.amount_cents
        if kind is not None:
            if kind not in rules.NEEDS_HOURS:
                hours = None
            if kind not in rules.NEEDS_PERCENTAGE:
                percentage = None
            for key, problem in (("hours_per_week", rules.hours_problem(kind, hours)),
                                 ("percentage", rules.percentage_problem(kind, percentage)),
                                 ("amount", rules.amount_problem(kind, cents))):
                if problem:
                    errors[key] = problem
        municipality = nfc(fields.paying_municipality or "").strip()
        if municipality not in self.municipalities(customer):
            errors["paying_municipality"] = N_("Choose one of the area's municipalities.")
        note = nfc(fields.note or "").strip()
        if len(note) > rules.NOTE_LIMIT:
            errors["note"] = N_("At most 2000 characters.")
        if errors:
            raise ValidationFailed(errors)
        return {"kind": kind, "employer_name": employer, "employer_business_id": business_id,
                "starts_on": fields.starts_on, "ends_on": fields.ends_on,
                "hours_per_week": hours, "percentage": percentage, "amount_cents": cents,
                "paying_municipality": municipality, "note": note or None}

    def draft(self, customer_id: str, fields: DecisionInput) -> DecisionRow:
        with self.ctx.transaction(Permission.REFERRAL_MAKE) as s:
            customer = live_customer(s, customer_id)
            actor = self.ctx.signed_in
            case_access.check_write(s, actor, customer_id, Permission.REFERRAL_MAKE)
            values = self._checked(customer, fields)
            d = SupportDecision(customer_id=customer_id, status=DecisionStatus.DRAFT,
                                drafted_by=actor.staff_id, **values)
            s.add(d)
            s.flush()
            self.ctx.audit(s, "decision.draft", "support_decision", d.id,
                           {"customer_id": customer_id, "kind": d.kind.value})
            return _row(s, d)

    def edit(self, decision_id: str, fields: DecisionInput) -> DecisionRow:
        """Change a draft (a decided one is refused: end it or replace it)."""
        with self.ctx.transaction(Permission.REFERRAL_MAKE) as s:
            d = self._writable(s, decision_id)
            if d.status is not DecisionStatus.DRAFT:
                raise Conflict(DECIDED_NOT_EDITED)
            customer = live_customer(s, d.customer_id)
            for key, value in self._checked(customer, fields).items():
                setattr(d, key, value)
            s.flush()
            self.ctx.audit(s, "decision.edit", "support_decision", d.id,
                           {"customer_id": d.customer_id})
            return _row(s, d)

    def decide(self, decision_id: str, on: date | None = None) -> DecisionRow:
        """Decide a draft on `on` (today by default). A draft that replaces a decision
        makes that one replaced in the same transaction."""
        today = self.ctx.today()
        on = on or today
        with self.ctx.transaction(Permission.DECISION_DECIDE) as s:
            d = self._writable(s, decision_id)
            try:
                check_decision_step(d.status, DecisionStatus.DECIDED)
            except StateRefused as exc:
                raise _refused(exc) from exc
            if on > today:
                raise ValidationFailed({"on": N_("A decision cannot be dated in the future.")})
            customer = live_customer(s, d.customer_id)
            # The content is checked again: the area's municipalities may have changed.
            self._checked(customer, DecisionInput(
                kind=d.kind.value, employer_name=d.employer_name,
                employer_business_id=d.employer_business_id or "", starts_on=d.starts_on,
                ends_on=d.ends_on, hours_per_week=d.hours_per_week, percentage=d.percentage,
                amount_cents=d.amount_cents, paying_municipality=d.paying_municipality,
                note=d.note or ""))
            old: SupportDecision | None = None
            if d.replaces_id:
                old = self._decision(s, d.replaces_id)
                if old.customer_id != d.customer_id:
                    raise Conflict(N_("The decision this one replaces was not found."))
                try:
                    check_decision_step(old.status, DecisionStatus.REPLACED)
                except StateRefused as exc:
                    raise Conflict(N_("The decision this draft replaces is no longer in "
                                      "force: draft a new decision instead.")) from exc
            d.status = DecisionStatus.DECIDED
            d.decided_on = on
            d.decided_by = self.ctx.signed_in.staff_id
            if old is not None:
                old.status = DecisionStatus.REPLACED
                old.replaced_by_id = d.id
            s.flush()
            self.ctx.audit(s, "decision.decide", "support_decision", d.id,
                           {"customer_id": d.customer_id, "replaces_id": d.replaces_id})
            if old is not None:
                self.ctx.audit(s, "decision.replaced", "support_decision", old.id,
                               {"replaced_by_id": d.id})
            return _row(s, d)

    def end_early(self, decision_id: str, on: date | None, reason: str) -> DecisionRow:
        """End a decided decision on `on` (within its period) for the reason given."""
        reason = nfc(reason or "").strip()
        with self.ctx.transaction(Permission.DECISION_DECIDE) as s:
            d = self._writable(s, decision_id)
            try:
                check_decision_step(d.status, DecisionStatus.ENDED)
            except StateRefused as exc:
                raise _refused(exc) from exc
            errors = rules.end_problem(d.starts_on, d.ends_on, on, reason)
            if errors:
                raise ValidationFailed(errors)
            d.status = DecisionStatus.ENDED
            d.ended_on = on
            d.end_reason = reason
            s.flush()
            # The reason is free text: only the ids go to the trail.
            self.ctx.audit(s, "decision.end", "support_decision", d.id,
                           {"customer_id": d.customer_id})
            return _row(s, d)

    def replace(self, decision_id: str) -> DecisionRow:
        """A new draft copying a decided decision, to be edited and decided in its
        place (the old one stays in force until then). An existing draft that already
        replaces it is returned instead of a second one."""
        with self.ctx.transaction(Permission.REFERRAL_MAKE) as s:
            old = self._writable(s, decision_id)
            if old.status is not DecisionStatus.DECIDED:
                raise Conflict(N_("Only a decision in force is replaced."))
            pending = s.scalar(select(SupportDecision).where(
                SupportDecision.replaces_id == old.id,
                SupportDecision.status == DecisionStatus.DRAFT,
                SupportDecision.deleted_at.is_(None)))
            if pending is not None:
                return _row(s, pending)
            d = SupportDecision(
                customer_id=old.customer_id, kind=old.kind, status=DecisionStatus.DRAFT,
                employer_name=old.employer_name,
                employer_business_id=old.employer_business_id, starts_on=old.starts_on,
                ends_on=old.ends_on, hours_per_week=old.hours_per_week,
                percentage=old.percentage, amount_cents=old.amount_cents,
                paying_municipality=old.paying_municipality,
                drafted_by=self.ctx.signed_in.staff_id, replaces_id=old.id, note=old.note)
            s.add(d)
            s.flush()
            self.ctx.audit(s, "decision.draft", "support_decision", d.id,
                           {"customer_id": d.customer_id, "kind": d.kind.value,
                            "replaces_id": old.id})
            return _row(s, d)

    # --- the letter -------------------------------------------------------------------

    def letter(self, decision_id: str, lang: str | None = None,
               purpose: str = "print") -> DecisionLetter:
        """What the decision letter says, in the customer's language (fi, sv, en;
        Finnish otherwise) unless `lang` is given. Audited as a print."""
        with self.ctx.transaction(Permission.PLAN_READ) as s:
            d = self._decision(s, decision_id)
            customer = live_customer(s, d.customer_id)
            case_access.check_read(s, self.ctx.signed_in, d.customer_id, Permission.PLAN_READ)
            point = s.get(ServicePoint, customer.service_point_id)
            linked = {key: self._linked(s, getattr(d, key))
                      for key in ("replaced_by_id", "replaces_id")}
            lang = print_language(lang or customer.language)
            self.ctx.audit(s, "decision.print", "support_decision", d.id,
                           {"lang": lang, "purpose": purpose})
            address = ""
            if point is not None:
                town = " ".join(p for p in (point.postal_code, point.municipality) if p)
                address = ", ".join(p for p in (point.street_address, town) if p)
            return DecisionLetter(
                decision=_row(s, d),
                customer_name=f"{customer.first_names} {customer.last_name}",
                customer_hetu=customer.hetu or "", language=lang,
                service_point_name=point.name if point else "",
                service_point_address=address, printed_on=self.ctx.today(),
                replaced_by=linked["replaced_by_id"], replaces=linked["replaces_id"])

    def _linked(self, s: Session, decision_id: str | None) -> DecisionRow | None:
        if not decision_id:
            return None
        d = s.get(SupportDecision, decision_id)
        return _row(s, d) if d is not None and d.deleted_at is None else None

    @staticmethod
    def render(letter: DecisionLetter) -> bytes:
        """The PDF of a decision letter (pure; run it off the GUI thread)."""
        from app.printing.decision_letter import render_decision

        return render_decision(letter)

    def letter_pdf(self, decision_id: str, lang: str | None = None,
                   purpose: str = "print") -> bytes:
        return self.render(self.letter(decision_id, lang, purpose))


def with_fields(row: DecisionRow, **changes: Any) -> DecisionInput:
    """A decision's input with some fields changed (tests and the CLI)."""
    return dc_replace(row.as_input(), **changes)
