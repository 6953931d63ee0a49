"""The facts behind the statutory rules that are case work: partial work ability (from
when, on what basis), the benefit and its first day, the labour-market subsidy days paid
as of a date (copied from Kela's statement) and the end of the maximum allowance period;
and the customer's periods of unemployment.

One CaseFacts row per customer (its id derived from the customer's, so two workstations
entering facts offline write the same row). `case.facts` and the caseload rule
(app/rules/case_access.py) decide, as the central policies on `case_facts` do: the
customer's coach and team leads write, the coach's team reads, the desk never sees them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dto.case_work import CaseFactsInfo, CaseFactsInput, UnemploymentPeriodRow
from app.i18n import N_
from app.models import CaseFacts, UnemploymentPeriod, case_facts_id
from app.rules import case_access as caseload
from app.rules import case_facts as rules
from app.rules.codes import BenefitType
from app.rules.customer import nfc
from app.rules.permissions import Permission, allowed
from app.services import case_access, text_guard
from app.services.context import AppContext
from app.services.customers import live_customer
from app.services.errors import NotFound, PermissionDenied, ValidationFailed

NOT_FOR_ROLE = N_("Work ability and benefit facts are for coaches and team leads: your "
                  "role does not show or change them.")
# The form's fields, in the order they are compared and audited (never their values).
FIELDS = ("partial_work_ability", "work_ability_since", "work_ability_basis", "benefit",
          "first_benefit_on", "subsidy_days", "subsidy_days_on", "allowance_exhausted_on")


def facts_input(row: CaseFacts | None) -> CaseFactsInput:
    if row is None or row.deleted_at is not None:
        return CaseFactsInput()
    return CaseFactsInput(
        partial_work_ability=row.partial_work_ability,
        work_ability_since=row.work_ability_since,
        work_ability_basis=row.work_ability_basis or "",
        benefit=row.benefit.value if row.benefit else None,
        first_benefit_on=row.first_benefit_on,
        subsidy_days=row.subsidy_days,
        subsidy_days_on=row.subsidy_days_on,
        allowance_exhausted_on=row.allowance_exhausted_on)


def facts_row(s: Session, customer_id: str) -> CaseFacts:
    """The customer's facts row, made (empty) when there is none yet."""
    row = s.get(CaseFacts, case_facts_id(customer_id))
    if row is None:
        row = CaseFacts(id=case_facts_id(customer_id), customer_id=customer_id,
                        partial_work_ability=False)
        s.add(row)
    elif row.deleted_at is not None:
        row.deleted_at = None
    return row


def normalised(data: CaseFactsInput) -> CaseFactsInput:
    """Without partial work ability its date and basis mean nothing: they are cleared."""
    partial = data.partial_work_ability
    return CaseFactsInput(
        partial_work_ability=partial,
        work_ability_since=data.work_ability_since if partial else None,
        work_ability_basis=nfc(data.work_ability_basis) if partial else "",
        benefit=data.benefit or None,
        first_benefit_on=data.first_benefit_on,
        subsidy_days=data.subsidy_days,
        subsidy_days_on=data.subsidy_days_on,
        allowance_exhausted_on=data.allowance_exhausted_on)


def validate(data: CaseFactsInput, today: date) -> CaseFactsInput:
    """The facts as they will be stored; ValidationFailed naming the wrong fields."""
    clean = normalised(data)
    errors = rules.validate(**{name: getattr(clean, name) for name in FIELDS}, today=today)
    if "work_ability_basis" not in errors and clean.work_ability_basis:
        errors.update(text_guard.field_errors(
            CaseFacts, {"work_ability_basis": clean.work_ability_basis}))
    if errors:
        raise ValidationFailed(errors)
    return clean


def write_facts(row: CaseFacts, data: CaseFactsInput) -> list[str]:
    """Set the row's fields from validated input; the names of the fields it changed."""
    changed = []
    for name in FIELDS:
        value = getattr(data, name)
        if name == "benefit":
            value = BenefitType(value) if value else None
        elif name == "work_ability_basis":
            value = value or None
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


class CaseFactsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def _require(self) -> None:
        actor = self.ctx.require(Permission.CUSTOMER_READ)
        if not allowed(actor.role, Permission.CASE_FACTS):
            raise PermissionDenied(NOT_FOR_ROLE)

    def get(self, customer_id: str) -> CaseFactsInfo:
        self._require()
        with self.ctx.transaction(Permission.CASE_FACTS) as s:
            live_customer(s, customer_id)
            actor = self.ctx.signed_in
            case_access.check_read(s, actor, customer_id, Permission.CASE_FACTS)
            row = s.get(CaseFacts, case_facts_id(customer_id))
            writable = caseload.may_write(case_access.worker(actor),
                                          case_access.case_of(s, customer_id),
                                          Permission.CASE_FACTS)
            return CaseFactsInfo(customer_id, facts_input(row), writable,
                                 row.updated_at if row is not None else None,
                                 self._periods(s, customer_id))

    def save(self, customer_id: str, data: CaseFactsInput) -> CaseFactsInfo:
        self._require()
        clean = validate(data, self.ctx.today())
        with self.ctx.transaction(Permission.CASE_FACTS) as s:
            live_customer(s, customer_id)
            case_access.check_write(s, self.ctx.signed_in, customer_id, Permission.CASE_FACTS)
            row = facts_row(s, customer_id)
            changed = write_facts(row, clean)
            s.flush()
            if changed:
                self.ctx.audit(s, "case_facts.update", "customer", customer_id,
                               {"fields": changed})
        return self.get(customer_id)

    # --- periods of unemployment ------------------------------------------------------

    def add_period(self, customer_id: str, starts_on: date | None, ends_on: date | None,
                   benefit: str) -> UnemploymentPeriodRow:
        self._require()
        errors = rules.validate_period(starts_on, ends_on, benefit, self.ctx.today())
        if errors:
            raise ValidationFailed(errors)
        assert starts_on is not None
        with self.ctx.transaction(Permission.CASE_FACTS) as s:
            live_customer(s, customer_id)
            case_access.check_write(s, self.ctx.signed_in, customer_id, Permission.CASE_FACTS)
            period = UnemploymentPeriod(customer_id=customer_id, starts_on=starts_on,
                                        ends_on=ends_on, benefit=BenefitType(benefit))
            s.add(period)
            s.flush()
            self.ctx.audit(s, "unemployment_period.add", "customer", customer_id,
                           {"period_id": period.id})
            return _period_row(period)

    def end_period(self, period_id: str, ends_on: date) -> UnemploymentPeriodRow:
        self._require()
        with self.ctx.transaction(Permission.CASE_FACTS) as s:
            period = self._period(s, period_id)
            case_access.check_write(s, self.ctx.signed_in, period.customer_id,
                                    Permission.CASE_FACTS)
            errors = rules.validate_period(period.starts_on, ends_on, period.benefit.value,
                                           self.ctx.today())
            if errors:
                raise ValidationFailed(errors)
            period.ends_on = ends_on
            s.flush()
            self.ctx.audit(s, "unemployment_period.end", "customer", period.customer_id,
                           {"period_id": period.id})
            return _period_row(period)

    def remove_period(self, period_id: str) -> None:
        """Entered by mistake: tombstoned (the centre keeps the row)."""
        self._require()
        with self.ctx.transaction(Permission.CASE_FACTS) as s:
            period = self._period(s, period_id)
            case_access.check_write(s, self.ctx.signed_in, period.customer_id,
                                    Permission.CASE_FACTS)
            period.deleted_at = self.ctx.now()
            self.ctx.audit(s, "unemployment_period.remove", "customer", period.customer_id,
                           {"period_id": period.id})

    @staticmethod
    def _period(s: Session, period_id: str) -> UnemploymentPeriod:
        period = s.get(UnemploymentPeriod, period_id)
        if period is None or period.deleted_at is not None:
            raise NotFound(N_("The period was not found."))
        live_customer(s, period.customer_id)
        return period

    @staticmethod
    def _periods(s: Session, customer_id: str) -> list[UnemploymentPeriodRow]:
        rows = s.scalars(select(UnemploymentPeriod)
                         .where(UnemploymentPeriod.customer_id == customer_id,
                                UnemploymentPeriod.deleted_at.is_(None))
                         .order_by(UnemploymentPeriod.starts_on.desc())).all()
        return [_period_row(p) for p in rows]


def _period_row(p: UnemploymentPeriod) -> UnemploymentPeriodRow:
    return UnemploymentPeriodRow(p.id, p.starts_on, p.ends_on, p.benefit.value)
