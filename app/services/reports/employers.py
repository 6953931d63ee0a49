"""Employer services in figures (#22): contacts with employers by team, staff and month;
employers reached for the first time; vacancies by status; the job seekers proposed,
interviewed and hired per vacancy; and the hires of long-term unemployed and
partial-work-ability job seekers.

Counted over the local database for the filter's dates. A contact and a first contact
belong to the team and service point of the staff member who made it; a vacancy to those
of its responsible worker; a hire to the team of the worker who proposed the job seeker
and to the job seeker's service point. The register is small (hundreds of employers, a
few thousand contacts a year), so the rows are read once and counted here."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dto.reports import (
    COUNT,
    MONTH,
    TEXT,
    ChartSpec,
    Column,
    Label,
    ReportFilter,
    ReportInputs,
    ReportTable,
)
from app.i18n import N_
from app.models import (
    CaseFacts,
    Customer,
    Employer,
    EmployerContact,
    JobProposal,
    Staff,
    Team,
    Vacancy,
)
from app.rules.codes import EMPLOYER_LABELS, EmployerChannel, ProposalOutcome, VacancyStatus
from app.rules.groups import is_long_term
from app.services.reports import sql
from app.services.reports.members import Members

TOTAL = Label(N_("Total"))
NO_TEAM = Label(N_("No team"))
NOT_RECORDED = Label(N_("Not recorded"))
MONTH_COLUMN = Column("month", N_("Month"), MONTH)
CHANNEL_COLUMNS = tuple(Column(c.value, EMPLOYER_LABELS[c], COUNT) for c in EmployerChannel)
STATUS_COLUMNS = tuple(Column(st.value, EMPLOYER_LABELS[st], COUNT) for st in VacancyStatus)

CONTACT_COLUMNS = ("month", "team", "staff", *EmployerChannel, "total")
FIRST_CONTACT_COLUMNS = ("month", *EmployerChannel, "total")
VACANCY_COLUMNS = ("month", *VacancyStatus, "total", "hidden", "pay_subsidy_possible")
PROPOSAL_COLUMNS = ("employer", "vacancy", "status", "positions", "proposed", "interviewed",
                    "hired", "not_chosen")
HIRE_COLUMNS = ("month", "hires", "long_term", "partial_work_ability")


def _month(day: date) -> date:
    return day.replace(day=1)


def _staff(s: Session) -> dict[str, tuple[str, str | None, str]]:
    """Every staff member: (name, team id, service point id)."""
    return {sid: (name, team, point) for sid, name, team, point in s.execute(
        select(Staff.id, Staff.full_name, Staff.team_id, Staff.service_point_id))}


def _in_scope(staff: tuple[str, str | None, str] | None, f: ReportFilter) -> bool:
    """A staff member (None: not recorded) within the filter's team and service point."""
    if f.team_id is None and f.service_point_id is None:
        return True
    if staff is None:
        return False
    return ((f.team_id is None or staff[1] == f.team_id)
            and (f.service_point_id is None or staff[2] == f.service_point_id))


def _in_range(day: date | None, f: ReportFilter) -> bool:
    return day is not None and f.date_from <= day <= f.date_to


# --- contacts by team, staff and month --------------------------------------------------


def contacts(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    staff = _staff(s)
    teams = dict(s.execute(select(Team.id, Team.name)).all())
    counts: dict[tuple[date, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, sid, channel in s.execute(
            select(EmployerContact.contacted_on, EmployerContact.staff_id,
                   EmployerContact.channel)
            .where(EmployerContact.deleted_at.is_(None),
                   EmployerContact.contacted_on >= f.date_from,
                   EmployerContact.contacted_on <= f.date_to)):
        who = staff.get(sid) if sid else None
        if not _in_scope(who, f):
            continue
        team = teams.get(who[1], "") if who and who[1] else ""
        counts[(_month(day), team, who[0] if who else "")][str(channel)] += 1
    rows: list[tuple[Any, ...]] = []
    for (month, team, name), by_channel in sorted(
            counts.items(), key=lambda kv: (kv[0][0], kv[0][1].casefold(),
                                            kv[0][2].casefold())):
        values = [by_channel.get(c.value, 0) for c in EmployerChannel]
        rows.append((month, team or NO_TEAM, name or NOT_RECORDED, *values, sum(values)))
    total = (TOTAL, None, None,
             *(sum(int(r[i]) for r in rows) for i in range(3, 4 + len(EmployerChannel))))
    return ReportTable(
        "employer_contacts", N_("Employer contacts by team, staff and month"),
        (MONTH_COLUMN, Column("team", N_("Team"), TEXT), Column("staff", N_("Staff"), TEXT),
         *CHANNEL_COLUMNS, Column("total", N_("Total"), COUNT)),
        tuple(rows), ChartSpec("hbars", "staff", ("total",), limit=20),
        note=N_("Contacts with employers made in the month, by the team and service point "
                "of the staff member who made them and by how they were made."),
        total=total)


# --- employers reached for the first time ----------------------------------------------


def first_contacts(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    staff = _staff(s)
    first: dict[str, tuple[date, str | None, str]] = {}
    for eid, day, sid, channel in s.execute(
            select(EmployerContact.employer_id, EmployerContact.contacted_on,
                   EmployerContact.staff_id, EmployerContact.channel)
            .join(Employer, Employer.id == EmployerContact.employer_id)
            .where(EmployerContact.deleted_at.is_(None), Employer.deleted_at.is_(None),
                   EmployerContact.contacted_on <= f.date_to)
            .order_by(EmployerContact.contacted_on, EmployerContact.id)):
        first.setdefault(eid, (day, sid, str(channel)))
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for first_on, first_by, how in first.values():
        if _in_range(first_on, f) and _in_scope(staff.get(first_by) if first_by else None, f):
            counts[_month(first_on)][how] += 1
    rows: list[tuple[Any, ...]] = []
    for month in sql.months(f):
        values = [counts[month].get(c.value, 0) for c in EmployerChannel]
        rows.append((month, *values, sum(values)))
    total = (TOTAL, *(sum(int(r[i]) for r in rows) for i in range(1, 2 + len(EmployerChannel))))
    return ReportTable(
        "employers_first_reached", N_("Employers reached for the first time"),
        (MONTH_COLUMN, *CHANNEL_COLUMNS, Column("total", N_("Employers"), COUNT)),
        tuple(rows), ChartSpec("stacked", "month", tuple(c.value for c in EmployerChannel)),
        note=N_("Employers whose first contact ever recorded falls in the month, by how "
                "that first contact was made and by the team and service point of the "
                "staff member who made it."), total=total)


# --- vacancies by status ------------------------------------------------------------------


def vacancies(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    staff = _staff(s)
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for opened, status, hidden, subsidy, sid in s.execute(
            select(Vacancy.opened_on, Vacancy.status, Vacancy.hidden,
                   Vacancy.pay_subsidy_possible, Vacancy.staff_id)
            .where(Vacancy.deleted_at.is_(None), Vacancy.opened_on >= f.date_from,
                   Vacancy.opened_on <= f.date_to)):
        if not _in_scope(staff.get(sid) if sid else None, f):
            continue
        got = counts[_month(opened)]
        got[str(status)] += 1
        got["hidden"] += 1 if hidden else 0
        got["pay_subsidy_possible"] += 1 if subsidy else 0
    rows: list[tuple[Any, ...]] = []
    for month in sql.months(f):
        got = counts[month]
        values = [got.get(st.value, 0) for st in VacancyStatus]
        rows.append((month, *values, sum(values), got.get("hidden", 0),
                     got.get("pay_subsidy_possible", 0)))
    width = len(VacancyStatus) + 3
    total = (TOTAL, *(sum(int(r[i]) for r in rows) for i in range(1, 1 + width)))
    return ReportTable(
        "vacancies_by_status", N_("Vacancies by status"),
        (MONTH_COLUMN, *STATUS_COLUMNS, Column("total", N_("Vacancies"), COUNT),
         Column("hidden", N_("Hidden (not advertised)"), COUNT),
         Column("pay_subsidy_possible", N_("Pay subsidy possible"), COUNT)),
        tuple(rows), ChartSpec("stacked", "month", tuple(st.value for st in VacancyStatus)),
        note=N_("Vacancies and recruitment needs opened in the month, in the status each "
                "is in now, by the team and service point of the worker responsible."),
        total=total)


# --- proposals, interviews and hires per vacancy ----------------------------------------


def proposals(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    staff = _staff(s)
    found = [(v, name) for v, name in s.execute(
        select(Vacancy, Employer.name).join(Employer, Employer.id == Vacancy.employer_id)
        .where(Vacancy.deleted_at.is_(None), Vacancy.opened_on <= f.date_to)
        .order_by(Employer.name, Vacancy.title, Vacancy.opened_on, Vacancy.id))
        if (v.closed_on is None or v.closed_on >= f.date_from)
        and _in_scope(staff.get(v.staff_id) if v.staff_id else None, f)]
    who: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if found:
        for vid, cid, outcome in s.execute(
                select(JobProposal.vacancy_id, JobProposal.customer_id, JobProposal.outcome)
                .where(JobProposal.deleted_at.is_(None),
                       JobProposal.vacancy_id.in_([v.id for v, _n in found]))):
            got = who[vid]
            got["proposed"].append(cid)
            if outcome in (ProposalOutcome.INTERVIEWED, ProposalOutcome.HIRED):
                got["interviewed"].append(cid)
            if outcome in (ProposalOutcome.HIRED, ProposalOutcome.NOT_CHOSEN):
                got[str(outcome)].append(cid)
    keys = ("proposed", "interviewed", "hired", "not_chosen")
    rows: list[tuple[Any, ...]] = []
    members = Members()
    # The most proposed first (the chart draws the first rows), then by employer.
    found.sort(key=lambda ve: -len(who[ve[0].id]["proposed"]))
    for v, employer in found:
        got = who[v.id]
        for key in keys:
            members.add(len(rows), key, got[key], total=True)
        rows.append((employer, v.title, Label(EMPLOYER_LABELS[v.status]), v.positions,
                     *(len(got[key]) for key in keys)))
    total = (TOTAL, None, None, sum(int(r[3]) for r in rows),
             *(sum(int(r[i]) for r in rows) for i in range(4, 8)))
    return ReportTable(
        "vacancy_proposals", N_("Job seekers proposed, interviewed and hired per vacancy"),
        (Column("employer", N_("Employer"), TEXT), Column("vacancy", N_("Vacancy"), TEXT),
         Column("status", N_("Status"), TEXT), Column("positions", N_("People wanted"), COUNT),
         Column("proposed", N_("Proposed"), COUNT),
         Column("interviewed", N_("Interviewed"), COUNT),
         Column("hired", N_("Hired"), COUNT), Column("not_chosen", N_("Not chosen"), COUNT)),
        tuple(rows), ChartSpec("hbars", "vacancy", ("proposed",), limit=20),
        note=N_("Vacancies open at some time within the dates, with every job seeker "
                "proposed for them and how it went so far. Interviewed: interviewed or "
                "hired."), total=total, members=members.result())


# --- hires of long-term unemployed and partial-work-ability job seekers ------------------


def hires(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    staff = _staff(s)
    stmt = (select(JobProposal.customer_id, JobProposal.outcome_on, JobProposal.proposed_by,
                   Customer.unemployed_since, CaseFacts.partial_work_ability,
                   CaseFacts.work_ability_since)
            .join(Customer, Customer.id == JobProposal.customer_id)
            .outerjoin(CaseFacts, (CaseFacts.customer_id == JobProposal.customer_id)
                       & CaseFacts.deleted_at.is_(None))
            .where(JobProposal.deleted_at.is_(None), Customer.deleted_at.is_(None),
                   JobProposal.outcome == ProposalOutcome.HIRED,
                   JobProposal.outcome_on >= f.date_from, JobProposal.outcome_on <= f.date_to))
    if f.service_point_id:
        stmt = stmt.where(Customer.service_point_id == f.service_point_id)
    who: dict[date, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for cid, day, proposer, since, partial, partial_since in s.execute(stmt):
        if f.team_id is not None:
            by = staff.get(proposer) if proposer else None
            if by is None or by[1] != f.team_id:
                continue
        assert day is not None  # a hire in the range has its day
        got = who[_month(day)]
        got["hires"].append(cid)
        # The groups on the hire day.
        if is_long_term(since, day):
            got["long_term"].append(cid)
        if partial and (partial_since is None or partial_since <= day):
            got["partial_work_ability"].append(cid)
    keys = ("hires", "long_term", "partial_work_ability")
    rows: list[tuple[Any, ...]] = []
    members = Members()
    for month in sql.months(f):
        got = who[month]
        for key in keys:
            members.add(len(rows), key, got[key], total=True)
        rows.append((month, *(len(got[key]) for key in keys)))
    total = (TOTAL, *(sum(int(r[i]) for r in rows) for i in range(1, 4)))
    return ReportTable(
        "employer_hires", N_("Hires of long-term unemployed and partial-work-ability job "
                             "seekers"),
        (MONTH_COLUMN, Column("hires", N_("Hires"), COUNT),
         Column("long_term", N_("Long-term unemployed"), COUNT),
         Column("partial_work_ability", N_("Partial work ability"), COUNT)),
        tuple(rows), ChartSpec("bars", "month", keys),
        note=N_("Job seekers proposed for a vacancy and hired, by the month of the hire, "
                "with their groups on the day of the hire (long-term unemployed: "
                "unemployed for 12 months or more; partial work ability: from the case "
                "facts). A job seeker may belong to both groups."),
        total=total, members=members.result())
