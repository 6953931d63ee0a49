"""Vacancies and recruitment needs of the employers in the register (#22), the job
seekers proposed for them (job tips on the customer's timeline) and how each went.

Vacancies are the employers' and read by everyone signed in (employer.read); coaches,
team leads and administrators write them (employer.edit). A proposal is the customer's
case work: it is made, changed and read only by those whom the caseload rule lets write
(employer.edit) or read (plan.read) the customer's case, as the centre's row security
does (central migration c0090). Of the job seeker only their name and `shared`, what the
worker chose to tell the employer, is meant for the employer; nothing else of the case.

A hire can close the customer's case (employed in the open labour market) in the same
transaction as the outcome: the case-periods service's rules, its default of releasing
the coach included."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.dto.employers import (
    CandidateFilter,
    CandidateRow,
    ProposalRow,
    VacancyInput,
    VacancyRow,
)
from app.i18n import N_
from app.models import (
    CaseFacts,
    CoachAssignment,
    Customer,
    CustomerBarrier,
    Employer,
    JobProposal,
    Staff,
    Vacancy,
)
from app.rules import case_access as caseload
from app.rules import groups as group_rules
from app.rules.clock import days_unemployed
from app.rules.codes import (
    CaseExitReason,
    CoachOnClose,
    ProposalOutcome,
    VacancyHours,
    VacancyStatus,
)
from app.rules.customer import nfc
from app.rules.employers import proposal_id
from app.rules.permissions import Permission, allowed
from app.services import case_access, text_guard
from app.services.case_periods import RELEASE_REASON, _periods, _stored
from app.services.context import Actor, AppContext
from app.services.customers import live_customer, search_condition
from app.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

REQUIRED = N_("Required.")
MAX_POSITIONS = 1000
SHARED_LIMIT = 1000
VACANCY_TEXT = ("title", "occupation", "municipality", "description")
# Interviewed: the outcome reached an interview (a hire came through one).
INTERVIEWED = (ProposalOutcome.INTERVIEWED, ProposalOutcome.HIRED)
# The organising plan's older job seekers (as the reports count them).
OLDER_AGE = 55

# The customer groups the candidates are filtered by: app/rules/groups.py's, with the
# reports' "55 and over" (app/services/reports/exits.py).
CANDIDATE_GROUPS: tuple[tuple[str, str], ...] = (
    (group_rules.Group.YOUNG.value, N_("Under 30")),
    ("older", N_("55 and over")),
    (group_rules.Group.LONG_TERM.value, N_("Long-term unemployed")),
    (group_rules.Group.PAST_100_DAYS.value, N_("Over 100 days unemployed")),
    (group_rules.Group.PARTIAL_WORK_ABILITY.value, N_("Partial work ability")),
    (group_rules.Group.INTEGRATION.value, N_("Integration period")),
    (group_rules.Group.MANY_BARRIERS.value, N_("Three or more barriers")),
)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _staff_names(s: Session, ids: set[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(s.execute(select(Staff.id, Staff.full_name).where(Staff.id.in_(wanted))).all())


def _counts(s: Session, vacancy_ids: list[str]) -> dict[str, tuple[int, int, int]]:
    """Per vacancy: job seekers proposed, interviewed (or hired), hired."""
    if not vacancy_ids:
        return {}
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for vid, outcome, n in s.execute(
            select(JobProposal.vacancy_id, JobProposal.outcome, func.count())
            .where(JobProposal.vacancy_id.in_(vacancy_ids), JobProposal.deleted_at.is_(None))
            .group_by(JobProposal.vacancy_id, JobProposal.outcome)):
        counts = found[vid]
        counts[0] += n
        if outcome in INTERVIEWED:
            counts[1] += n
        if outcome == ProposalOutcome.HIRED:
            counts[2] += n
    return {vid: (c[0], c[1], c[2]) for vid, c in found.items()}


def _vacancy_row(v: Vacancy, employer_name: str, staff_name: str,
                 counts: tuple[int, int, int] = (0, 0, 0)) -> VacancyRow:
    return VacancyRow(
        id=v.id, employer_id=v.employer_id, employer_name=employer_name, title=v.title,
        occupation=v.occupation or "", municipality=v.municipality, hours=v.hours.value,
        starts_on=v.starts_on, positions=v.positions, apply_by=v.apply_by,
        hidden=bool(v.hidden), pay_subsidy_possible=bool(v.pay_subsidy_possible),
        status=v.status.value, opened_on=v.opened_on, closed_on=v.closed_on,
        staff_name=staff_name, description=v.description or "", proposed=counts[0],
        interviewed=counts[1], hired=counts[2], staff_id=v.staff_id or "")


class VacanciesService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- vacancies: reading ---------------------------------------------------------------

    def vacancies(self, employer_id: str | None = None, status: str | None = None,
                  query: str = "") -> list[VacancyRow]:
        """Vacancies (of one employer, in one status, whose title, occupation, employer
        or municipality holds `query`): open ones first, the newest first."""
        self.ctx.require(Permission.EMPLOYER_READ)
        stmt = (select(Vacancy, Employer.name)
                .join(Employer, Employer.id == Vacancy.employer_id)
                .where(Vacancy.deleted_at.is_(None)))
        if employer_id:
            stmt = stmt.where(Vacancy.employer_id == employer_id)
        if status:
            try:
                stmt = stmt.where(Vacancy.status == VacancyStatus(status))
            except ValueError:
                raise ValidationFailed({"status": N_("Choose a status from the list.")}) \
                    from None
        needle = nfc(query).casefold()
        with self.ctx.reading() as s:
            found = [(v, name) for v, name in s.execute(stmt)
                     if not needle or any(needle in (text or "").casefold() for text in (
                         v.title, v.occupation, v.municipality, name))]
            names = _staff_names(s, {v.staff_id for v, _n in found})
            counts = _counts(s, [v.id for v, _n in found])
            rows = [_vacancy_row(v, name, names.get(v.staff_id or "", ""),
                                 counts.get(v.id, (0, 0, 0))) for v, name in found]
        rows.sort(key=lambda r: (r.status != VacancyStatus.OPEN.value,
                                 -r.opened_on.toordinal(), r.title.casefold(), r.id))
        return rows

    def vacancy(self, vacancy_id: str) -> VacancyRow:
        self.ctx.require(Permission.EMPLOYER_READ)
        with self.ctx.reading() as s:
            return self._row(s, self._vacancy(s, vacancy_id))

    def vacancy_form(self, vacancy_id: str) -> VacancyInput:
        """The stored vacancy as its form shows it (for editing)."""
        row = self.vacancy(vacancy_id)
        return VacancyInput(row.title, row.occupation, row.municipality, row.hours,
                            row.starts_on, str(row.positions), row.apply_by, row.hidden,
                            row.pay_subsidy_possible, row.staff_id, row.description)

    def candidate_groups(self) -> list[tuple[str, str]]:
        """(code, untranslated label) of the groups `CandidateFilter.group` takes."""
        return list(CANDIDATE_GROUPS)

    # --- vacancies: writing ---------------------------------------------------------------

    def save_vacancy(self, employer_id: str, data: VacancyInput,
                     vacancy_id: str | None = None) -> VacancyRow:
        """A new vacancy of the employer (open from today), or the edits of one."""
        self.ctx.require(Permission.EMPLOYER_EDIT)
        today = self.ctx.today()
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            employer = s.get(Employer, employer_id)
            if employer is None or employer.deleted_at is not None:
                raise NotFound(N_("No such employer."))
            if vacancy_id is None:
                if not employer.active:
                    raise Conflict(N_("The employer is no longer active in the register: "
                                      "make it active again before adding a vacancy."))
                v = Vacancy(employer_id=employer.id, opened_on=today,
                            status=VacancyStatus.OPEN)
            else:
                v = self._vacancy(s, vacancy_id)
                if v.employer_id != employer.id:
                    raise NotFound(N_("No such vacancy."))
            errors, values = self._checked(s, data, v, today, new=vacancy_id is None)
            if errors:
                raise ValidationFailed(errors)
            for key, value in values.items():
                setattr(v, key, value)
            if vacancy_id is None:
                s.add(v)
            s.flush()
            self.ctx.audit(s, "vacancy.create" if vacancy_id is None else "vacancy.update",
                           "vacancy", v.id, {"employer_id": employer.id})
            return self._row(s, v)

    def set_status(self, vacancy_id: str, status: str, on: date | None = None) -> VacancyRow:
        """Filled, closed without a hire or cancelled on `on` (default today); open again
        (the closing day cleared)."""
        try:
            code = VacancyStatus(status)
        except ValueError:
            raise ValidationFailed({"status": N_("Choose a status from the list.")}) from None
        today = self.ctx.today()
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            v = self._vacancy(s, vacancy_id)
            if code is VacancyStatus.OPEN:
                if v.status is VacancyStatus.OPEN:
                    return self._row(s, v)
                v.status, v.closed_on = code, None
            else:
                day = on or today
                if day > today:
                    raise ValidationFailed({"on": N_("The date cannot be in the future.")})
                if day < v.opened_on:
                    raise ValidationFailed({"on": N_(
                        "The vacancy cannot end before it was opened.")})
                if v.status is code and v.closed_on == day:
                    return self._row(s, v)
                v.status, v.closed_on = code, day
            s.flush()
            self.ctx.audit(s, "vacancy.status", "vacancy", v.id, {"status": code.value})
            return self._row(s, v)

    # --- matching ---------------------------------------------------------------------------

    def candidates(self, vacancy_id: str, f: CandidateFilter,
                   limit: int = 200) -> list[CandidateRow]:
        """Job seekers with an open case whose case the worker may write (their own
        coach's customers, a service point's customers without a coach, everyone's for
        team leads and administrators), by the filter, by name."""
        actor = self.ctx.require(Permission.EMPLOYER_EDIT)
        today = self.ctx.today()
        group = f.group or ""
        if group and group not in dict(CANDIDATE_GROUPS):
            raise ValidationFailed({"group": N_("Choose a group from the list.")})
        stmt = (select(Customer.id, Customer.customer_number, Customer.last_name,
                       Customer.first_names, Customer.home_municipality, Customer.language,
                       Staff.full_name)
                .outerjoin(Staff, Staff.id == Customer.coach_id)
                .where(Customer.deleted_at.is_(None), Customer.active.is_(True),
                       Customer.erased_at.is_(None))
                .order_by(Customer.sort_name, Customer.id))
        if not caseload.sees_all(actor.role):
            stmt = stmt.where(or_(Customer.coach_id == actor.staff_id, and_(
                Customer.coach_id.is_(None),
                Customer.service_point_id == actor.service_point_id)))
        if f.own_caseload:
            stmt = stmt.where(Customer.coach_id == actor.staff_id)
        if f.language:
            stmt = stmt.where(Customer.language == f.language)
        if nfc(f.municipality):
            stmt = stmt.where(func.lower(Customer.home_municipality)
                              == nfc(f.municipality).lower())
        condition = search_condition(f.text)
        if condition is not None:
            stmt = stmt.where(condition)
        if not group:
            stmt = stmt.limit(limit)
        with self.ctx.reading() as s:
            self._vacancy(s, vacancy_id)
            found = list(s.execute(stmt))
            if group:
                inside = self._in_group(s, [r[0] for r in found], group, today)
                found = [r for r in found if r[0] in inside][:limit]
            proposed = set(s.scalars(select(JobProposal.customer_id).where(
                JobProposal.vacancy_id == vacancy_id, JobProposal.deleted_at.is_(None))))
        return [CandidateRow(cid, number, f"{last}, {first}", municipality, language,
                             coach or "", cid in proposed)
                for cid, number, last, first, municipality, language, coach in found]

    @staticmethod
    def _in_group(s: Session, ids: list[str], group: str, today: date) -> set[str]:
        """Those of `ids` in the group today (groups as app/rules/groups.py derives them;
        partial work ability and day 1 of benefits from the case facts)."""
        inside: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            facts = {cid: (pwa, first) for cid, pwa, first in s.execute(
                select(CaseFacts.customer_id, CaseFacts.partial_work_ability,
                       CaseFacts.first_benefit_on)
                .where(CaseFacts.customer_id.in_(chunk), CaseFacts.deleted_at.is_(None)))}
            barriers = dict(s.execute(
                select(CustomerBarrier.customer_id, func.count())
                .where(CustomerBarrier.customer_id.in_(chunk),
                       CustomerBarrier.deleted_at.is_(None))
                .group_by(CustomerBarrier.customer_id)).all())
            for cid, born, since, permit in s.execute(
                    select(Customer.id, Customer.birth_date, Customer.unemployed_since,
                           Customer.first_residence_permit_on)
                    .where(Customer.id.in_(chunk))):
                if group == "older":
                    if born is not None and _age(born, today) >= OLDER_AGE:
                        inside.add(cid)
                    continue
                pwa, first_benefit = facts.get(cid, (False, None))
                found = group_rules.groups(
                    born=born, unemployed_since=since,
                    days_unemployed=days_unemployed(since, today, first_benefit),
                    partial_work_ability=bool(pwa), first_permit_on=permit,
                    barriers=barriers.get(cid, 0), today=today)
                if group in {g.value for g in found}:
                    inside.add(cid)
        return inside

    def propose(self, vacancy_id: str, customer_ids: list[str],
                shared: str = "") -> list[ProposalRow]:
        """Propose the job seekers for the vacancy (one proposal each: proposing someone
        again changes nothing of theirs). `shared` is what the employer may be told of
        them, besides their name."""
        actor = self.ctx.require(Permission.EMPLOYER_EDIT)
        shared = (shared or "").strip()
        errors = text_guard.field_errors(JobProposal, {"shared": shared})
        if len(shared) > SHARED_LIMIT:
            errors["shared"] = N_("At most 1000 characters.")
        if errors:
            raise ValidationFailed(errors)
        ids = list(dict.fromkeys(i for i in customer_ids if i))
        if not ids:
            raise ValidationFailed({"customers": N_("Choose the job seekers to propose.")})
        today = self.ctx.today()
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            v = self._vacancy(s, vacancy_id)
            if v.status is not VacancyStatus.OPEN:
                raise Conflict(N_("The vacancy is no longer open: open it again to propose "
                                  "job seekers."))
            proposals = []
            for cid in ids:
                customer = live_customer(s, cid)
                case_access.check_write(s, actor, cid, Permission.EMPLOYER_EDIT)
                pid = proposal_id(v.id, cid)
                p = s.get(JobProposal, pid)
                if p is not None and p.deleted_at is None:
                    proposals.append(p)
                    continue
                if not customer.active:
                    raise Conflict(N_("The case of {number} is closed: only job seekers "
                                      "with an open case are proposed."),
                                   number=customer.customer_number)
                if p is None:
                    p = JobProposal(id=pid, vacancy_id=v.id, customer_id=cid)
                    s.add(p)
                p.deleted_at = None
                p.proposed_by = actor.staff_id
                p.proposed_on = today
                p.outcome = ProposalOutcome.PROPOSED
                p.outcome_on = None
                p.shared = shared or None
                s.flush()
                # Who was proposed is the customer's case work: their id, never a name.
                self.ctx.audit(s, "job_proposal.create", "customer", cid,
                               {"vacancy_id": v.id, "proposal_id": pid})
                proposals.append(p)
            return self._proposal_rows(s, proposals)

    def set_outcome(self, proposal_id: str, outcome: str, on: date | None = None,
                    close_case: bool = False) -> ProposalRow:
        """How the proposal went, on `on` (default today). A hire with `close_case`
        closes the customer's open job-search period on the hire day as employed in the
        open labour market, releasing the coach (the case-periods default), in the same
        transaction."""
        actor = self.ctx.require(Permission.EMPLOYER_EDIT)
        try:
            code = ProposalOutcome(outcome)
        except ValueError:
            raise ValidationFailed({"outcome": N_("Choose an outcome from the list.")}) \
                from None
        if close_case and code is not ProposalOutcome.HIRED:
            raise ValidationFailed({"close_case": N_("Only a hire closes the case.")})
        if close_case and not allowed(actor.role, Permission.CASE_CLOSE):
            raise PermissionDenied(N_("Your role does not allow this."))
        today = self.ctx.today()
        day = on or today
        with self.ctx.transaction(Permission.EMPLOYER_EDIT) as s:
            p = s.get(JobProposal, proposal_id)
            if p is None or p.deleted_at is not None:
                raise NotFound(N_("No such job proposal."))
            customer = live_customer(s, p.customer_id)
            case_access.check_write(s, actor, customer.id, Permission.EMPLOYER_EDIT)
            if day > today:
                raise ValidationFailed({"on": N_("The date cannot be in the future.")})
            if day < p.proposed_on:
                raise ValidationFailed({"on": N_(
                    "The outcome cannot be before the job seeker was proposed.")})
            changed = p.outcome is not code or (
                p.outcome_on != (None if code is ProposalOutcome.PROPOSED else day))
            p.outcome = code
            p.outcome_on = None if code is ProposalOutcome.PROPOSED else day
            s.flush()
            if changed:
                self.ctx.audit(s, "job_proposal.outcome", "customer", customer.id,
                               {"proposal_id": p.id, "outcome": code.value})
            if close_case:
                self._close_case(s, customer, day)
            return self._proposal_rows(s, [p])[0]

    def _close_case(self, s: Session, customer: Customer, day: date) -> None:
        """CasePeriodService.close's rules inside this transaction: the open period ends
        on the hire day as employed in the open labour market; the coach is released."""
        case_access.check_write(s, self.ctx.signed_in, customer.id, Permission.CASE_CLOSE)
        period = _periods(s, customer)[0]
        if period.closed_on is not None:
            raise Conflict(N_("The customer's case is already closed: record the hire "
                              "without closing it."))
        if day < period.opened_on:
            raise ValidationFailed({"on": N_("The end date cannot be before the period "
                                             "began.")})
        period = _stored(s, period)
        reason = CaseExitReason.EMPLOYED_OPEN_MARKET
        period.closed_on = day
        period.exit_reason = reason
        customer.active = False
        released = customer.coach_id is not None
        if released:
            s.flush()
            previous = customer.coach_id
            s.add(CoachAssignment(customer_id=customer.id, coach_id=None,
                                  previous_coach_id=previous, reason=RELEASE_REASON,
                                  assigned_at=self.ctx.now()))
            customer.coach_id = None
            self.ctx.audit(s, "customer.assign_coach", "customer", customer.id,
                           {"coach_id": None, "previous_coach_id": previous,
                            "reason": RELEASE_REASON})
        s.flush()
        self.ctx.audit(s, "case.close", "customer", customer.id,
                       {"reason": reason.value, "coach": CoachOnClose.RELEASE.value,
                        "released": released, "source": "job_proposal"})

    # --- job tips -----------------------------------------------------------------------------

    def proposals(self, vacancy_id: str) -> list[ProposalRow]:
        """The job seekers proposed for the vacancy whose case the worker reads (the
        desk none), newest first."""
        actor = self.ctx.require(Permission.PLAN_READ)
        with self.ctx.reading() as s:
            self._vacancy(s, vacancy_id)
            found = list(s.scalars(select(JobProposal).where(
                JobProposal.vacancy_id == vacancy_id, JobProposal.deleted_at.is_(None))))
            readable = [p for p in found if self._reads(s, actor, p.customer_id)]
            return self._proposal_rows(s, readable)

    def proposals_of(self, customer_id: str) -> list[ProposalRow]:
        """The customer's job tips for their timeline, newest first (their case: the
        coach, the coach's team, team leads and administrators; never the desk)."""
        actor = self.ctx.require(Permission.PLAN_READ)
        with self.ctx.reading() as s:
            live_customer(s, customer_id)
            case_access.check_read(s, actor, customer_id, Permission.PLAN_READ)
            found = list(s.scalars(select(JobProposal).where(
                JobProposal.customer_id == customer_id, JobProposal.deleted_at.is_(None))))
            return self._proposal_rows(s, found)

    # --- helpers --------------------------------------------------------------------------------

    @staticmethod
    def _reads(s: Session, actor: Actor, customer_id: str) -> bool:
        try:
            case = case_access.case_of(s, customer_id)
        except NotFound:
            return False
        return caseload.may_read(case_access.worker(actor), case, Permission.PLAN_READ)

    @staticmethod
    def _proposal_rows(s: Session, proposals: list[JobProposal]) -> list[ProposalRow]:
        if not proposals:
            return []
        vacancies = {vid: (title, name) for vid, title, name in s.execute(
            select(Vacancy.id, Vacancy.title, Employer.name)
            .join(Employer, Employer.id == Vacancy.employer_id)
            .where(Vacancy.id.in_({p.vacancy_id for p in proposals})))}
        customers = {cid: (f"{last}, {first}", number) for cid, last, first, number in
                     s.execute(select(Customer.id, Customer.last_name, Customer.first_names,
                                      Customer.customer_number)
                               .where(Customer.id.in_({p.customer_id for p in proposals})))}
        names = _staff_names(s, {p.proposed_by for p in proposals})
        rows = []
        for p in proposals:
            title, employer = vacancies.get(p.vacancy_id, ("", ""))
            name, number = customers.get(p.customer_id, ("", ""))
            rows.append(ProposalRow(
                id=p.id, vacancy_id=p.vacancy_id, vacancy_title=title, employer_name=employer,
                customer_id=p.customer_id, customer_name=name, customer_number=number,
                proposed_on=p.proposed_on, proposed_by_name=names.get(p.proposed_by or "", ""),
                outcome=p.outcome.value, outcome_on=p.outcome_on, shared=p.shared or ""))
        rows.sort(key=lambda r: (-r.proposed_on.toordinal(), r.customer_name.casefold(),
                                 r.vacancy_title.casefold(), r.id))
        return rows

    def _row(self, s: Session, v: Vacancy) -> VacancyRow:
        employer = s.get(Employer, v.employer_id)
        names = _staff_names(s, {v.staff_id})
        return _vacancy_row(v, employer.name if employer else "",
                            names.get(v.staff_id or "", ""),
                            _counts(s, [v.id]).get(v.id, (0, 0, 0)))

    @staticmethod
    def _vacancy(s: Session, vacancy_id: str) -> Vacancy:
        v = s.get(Vacancy, vacancy_id)
        if v is None or v.deleted_at is not None:
            raise NotFound(N_("No such vacancy."))
        return v

    def _checked(self, s: Session, data: VacancyInput, v: Vacancy, today: date,
                 new: bool) -> tuple[dict[str, str], dict[str, object]]:
        texts = {"title": nfc(data.title), "occupation": nfc(data.occupation),
                 "municipality": nfc(data.municipality),
                 "description": (data.description or "").strip()}
        errors: dict[str, str] = text_guard.field_errors(Vacancy, texts)
        values: dict[str, object] = {}
        if not texts["title"]:
            errors.setdefault("title", REQUIRED)
        if not texts["municipality"]:
            errors.setdefault("municipality", REQUIRED)
        values["title"] = texts["title"]
        values["occupation"] = texts["occupation"] or None
        values["municipality"] = texts["municipality"]
        values["description"] = texts["description"] or None
        try:
            values["hours"] = VacancyHours(data.hours or VacancyHours.FULL_TIME)
        except ValueError:
            errors["hours"] = N_("Choose the working hours from the list.")
        positions = nfc(data.positions)
        if not positions.isdigit() or not 1 <= int(positions) <= MAX_POSITIONS:
            errors["positions"] = N_("The number of people is a whole number, at least 1.")
        else:
            values["positions"] = int(positions)
        if data.apply_by is not None and data.apply_by < today and (
                new or data.apply_by != v.apply_by):
            errors["apply_by"] = N_("The application deadline cannot be in the past.")
        if data.starts_on is not None and data.starts_on < v.opened_on and (
                new or data.starts_on != v.starts_on):
            errors["starts_on"] = N_("The work cannot start before the vacancy was opened.")
        if (data.starts_on is not None and data.apply_by is not None
                and data.apply_by > data.starts_on and "apply_by" not in errors):
            errors["apply_by"] = N_("The application deadline is before the work starts.")
        values["apply_by"], values["starts_on"] = data.apply_by, data.starts_on
        values["hidden"] = bool(data.hidden)
        values["pay_subsidy_possible"] = bool(data.pay_subsidy_possible)
        staff_id = data.staff_id or self.ctx.signed_in.staff_id
        if s.scalar(select(Staff.id).where(Staff.id == staff_id,
                                           Staff.deleted_at.is_(None))) is None:
            errors["staff_id"] = N_("Choose a staff member from the list.")
        values["staff_id"] = staff_id
        return errors, values
