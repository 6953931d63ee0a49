"""Feedback figures, caseloads against the cap, customers crossing 100 days, and plans."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import String, and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from app.dto.reports import (
    COUNT,
    MONTH,
    NUMBER,
    PERCENT,
    TEXT,
    ChartSpec,
    Column,
    Label,
    ReportFilter,
    ReportInputs,
    ReportTable,
)
from app.i18n import HELSINKI, N_
from app.models import (
    CaseFacts,
    CoachAssignment,
    Customer,
    Feedback,
    JobSearchPeriod,
    Plan,
    PlanVersion,
    Staff,
    Team,
)
from app.rules import feedback as feedback_rules
from app.rules.clock import hundred_day_date, since_range_reaching_mark
from app.rules.codes import PlanStatus, Role
from app.services.feedback import tally_columns, tally_of
from app.services.reports import sql
from app.services.reports.members import Members, concat, ids_of

MONTH_COLUMN = Column("month", N_("Month"), MONTH)
CHART_COACHES = 20


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


# --- feedback -------------------------------------------------------------------------


def feedback_filters(f: ReportFilter) -> list[Any]:
    where = [Feedback.deleted_at.is_(None), *sql.in_range(Feedback.answered_at, f)]
    if f.service_point_id:
        where.append(Feedback.service_point_id == f.service_point_id)
    if f.team_id:
        where.append(Feedback.team_id == f.team_id)
    return where


def _feedback_row(first: Any, sums: Any) -> tuple:
    """A report row from one row of the feedback service's SQL tally, with the figures
    as rules.feedback defines them (satisfaction as a share, NPS -100..100)."""
    figures = feedback_rules.figures(tally_of(sums))
    satisfied = None if figures.satisfaction is None else figures.satisfaction / 100
    return (first, figures.answers, figures.mean, satisfied, figures.nps,
            figures.recommend_answers)


def feedback(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    month = sql.month_of(sql.local_day(Feedback.answered_at, f))
    found = {m: sums for m, *sums in s.execute(
        select(month, *tally_columns()).where(*feedback_filters(f)).group_by(month))}
    rows = tuple(_feedback_row(m, found.get(m.isoformat(), ())) for m in sql.months(f))
    total = _feedback_row(Label(N_("Total")), s.execute(
        select(*tally_columns()).where(*feedback_filters(f))).one())
    return ReportTable(
        "feedback", N_("Customer feedback"),
        (MONTH_COLUMN, Column("answers", N_("Answers"), COUNT),
         Column("mean", N_("Mean score (1–5)"), NUMBER),
         Column("satisfied", N_("Satisfied, 4–5 (%)"), PERCENT),
         Column("nps", N_("Net promoter score"), NUMBER),
         Column("nps_answers", N_("Recommendation answers"), COUNT)),
        rows, ChartSpec("bars", "month", ("satisfied",), percent=True),
        note=N_("Net promoter score: the share of 9–10 answers less the share of 0–6 "
                "answers to “would you recommend”, from −100 to 100."), total=total)


# --- caseloads ------------------------------------------------------------------------


def caseloads(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    customers = (select(Customer.coach_id, func.count().label("n"),
                        concat(Customer.id).label("ids"))
                 .where(Customer.deleted_at.is_(None), Customer.active.is_(True))
                 .group_by(Customer.coach_id).subquery())
    where = [Staff.deleted_at.is_(None), Staff.active.is_(True), Staff.role == Role.COACH]
    if f.service_point_id:
        where.append(Staff.service_point_id == f.service_point_id)
    if f.team_id:
        where.append(Staff.team_id == f.team_id)
    n = func.coalesce(customers.c.n, 0)
    rows = s.execute(
        select(Staff.full_name, Team.name, n, customers.c.ids)
        .outerjoin(customers, customers.c.coach_id == Staff.id)
        .outerjoin(Team, Team.id == Staff.team_id)
        .where(*where).order_by(n.desc(), Staff.full_name)).all()
    cap = inputs.caseload_cap
    table = tuple((name, team or "", count, sql.share(count, cap), max(0, count - cap))
                  for name, team, count, _ids in rows)
    members = Members()
    for i, (*_r, ids) in enumerate(rows):
        members.add(i, "customers", ids_of(ids), total=True)
    total = (Label(N_("Total")), "", sum(r[2] for r in table), None,
             sum(r[4] for r in table))
    return ReportTable(
        "caseloads", N_("Caseloads per coach"),
        (Column("coach", N_("Coach"), TEXT), Column("team", N_("Team"), TEXT),
         Column("customers", N_("Customers"), COUNT),
         Column("of_cap", N_("Of the cap (%)"), PERCENT),
         Column("over_cap", N_("Over the cap"), COUNT)),
        table, ChartSpec("hbars", "coach", ("customers",), reference=float(cap),
                         reference_title=N_("Cap"), limit=CHART_COACHES),
        note=N_("Active customers per coach today, against the caseload cap in the area "
                "settings; the date range does not apply."), total=total,
        members=members.result())


# --- 100 days -------------------------------------------------------------------------


def _mark_month(start: Any, f: ReportFilter) -> Any:
    """The month (its first day, as text) in which the 100-day mark of a count starting
    on `start` falls, in SQL: for each month of the range the start dates whose mark
    falls in it form one date range (rules.clock.since_range_reaching_mark), so the
    query compares dates and never counts days row by row. NULL: outside the range."""
    whens = []
    for month in sql.months(f):
        month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        found = since_range_reaching_mark(max(month, f.date_from), min(month_end, f.date_to))
        if found is not None:
            whens.append((start.between(*found), literal(month.isoformat())))
    return case(*whens, else_=None) if whens else literal(None, String)


@lru_cache(maxsize=8192)
def _mark_on(month: str, since: date) -> date:
    """The day the 100-day mark is reached from `since`, by the rule of `month` (a
    year's customers share a few hundred start days: counted once per day)."""
    mark = hundred_day_date(None, date.fromisoformat(month), since)
    assert mark is not None
    return mark.due_on


def _coach_on(s: Session, customers: set[str]) -> dict[str, list[tuple[date, str | None]]]:
    """Each customer's coach history as (Helsinki day assigned, coach), in order."""
    found: dict[str, list[tuple[date, str | None]]] = {}
    for cid, coach_id, at in s.execute(
            select(CoachAssignment.customer_id, CoachAssignment.coach_id,
                   CoachAssignment.assigned_at)
            .where(CoachAssignment.deleted_at.is_(None))
            .order_by(CoachAssignment.customer_id, CoachAssignment.assigned_at)):
        if cid in customers:
            found.setdefault(cid, []).append((at.astimezone(HELSINKI).date(), coach_id))
    return found


def hundred_days(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    # The same count as the card and Today: benefit days from the first benefit day when
    # the case facts hold it, else from the start of unemployment (rules.clock).
    start = func.coalesce(CaseFacts.first_benefit_on, Customer.unemployed_since)
    month = _mark_month(start, f)
    coach = aliased(Staff)
    where = [Customer.deleted_at.is_(None), start.is_not(None), month.is_not(None)]
    stmt = (select(month, Customer.id, start, Customer.active, Customer.coach_id)
            .select_from(Customer)
            .outerjoin(CaseFacts, and_(CaseFacts.customer_id == Customer.id,
                                       CaseFacts.deleted_at.is_(None)))
            .where(*where))
    if f.service_point_id:
        stmt = stmt.where(Customer.service_point_id == f.service_point_id)
    candidates = s.execute(stmt).all()
    # Counted when the case was open on the day the mark was reached: a case closed
    # later does not rewrite the months before (its job-search periods tell; a customer
    # without a stored period, from a workstation not yet upgraded, by `active`).
    periods: dict[str, list[tuple[Any, Any]]] = {}
    wanted = {row[1] for row in candidates}
    if wanted:
        for cid, opened, closed in s.execute(
            select(JobSearchPeriod.customer_id, JobSearchPeriod.opened_on,
                   JobSearchPeriod.closed_on)
            .where(JobSearchPeriod.deleted_at.is_(None),
                   JobSearchPeriod.customer_id.in_(
                       stmt.with_only_columns(Customer.id).scalar_subquery()))):
            if cid in wanted:
                periods.setdefault(cid, []).append((opened, closed))
    found: dict[str, int] = {}
    members = Members()
    ids: dict[str, str | None] = {}
    chosen: dict[str, list[str]] = {}
    # A team's figure counts the customers whose coach was in the team on the mark day
    # (the coach history): a case closed later, its coach released, stays counted.
    coach_then = _coach_on(s, wanted) if f.team_id else None
    teams = dict(s.execute(select(coach.id, coach.team_id)).all()) if f.team_id else {}
    for m, cid, since, active, coach_now in candidates:
        mark_on = _mark_on(m, since)
        spans = periods.get(cid)
        open_then = (any(opened <= mark_on and (closed is None or closed >= mark_on)
                         for opened, closed in spans) if spans else bool(active))
        if coach_then is not None:
            history = coach_then.get(cid)
            whose = (next((c for day, c in reversed(history) if day <= mark_on), None)
                     if history else coach_now)
            open_then = open_then and whose is not None and teams.get(whose) == f.team_id
        if open_then:
            chosen.setdefault(m, []).append(cid)
    for m, customers in chosen.items():
        found[m], ids[m] = len(customers), ",".join(sorted(customers))
    rows = tuple((m, found.get(m.isoformat(), 0)) for m in sql.months(f))
    for i, (m, _n) in enumerate(rows):
        members.add(i, "customers", ids_of(ids.get(m.isoformat())), total=True)
    return ReportTable(
        "hundred_days", N_("Customers crossing 100 days of unemployment"),
        (MONTH_COLUMN, Column("customers", N_("Customers"), COUNT)), rows,
        ChartSpec("bars", "month", ("customers",)),
        note=N_("Customers whose count of benefit days (Monday to Friday, public holidays "
                "included) reaches 100 in the month, counted from the first benefit day "
                "when known, else from the start of unemployment: the municipality's "
                "share of the benefit begins."),
        total=(Label(N_("Total")), sum(r[1] for r in rows)), members=members.result())


# --- plans ----------------------------------------------------------------------------


def _plan_scope(stmt: Any, f: ReportFilter) -> Any:
    stmt = stmt.join(Plan, Plan.id == PlanVersion.plan_id).where(
        PlanVersion.deleted_at.is_(None), Plan.deleted_at.is_(None))
    if f.service_point_id:
        stmt = stmt.join(Customer, Customer.id == Plan.customer_id).where(
            Customer.service_point_id == f.service_point_id)
    if f.team_id:
        coach = aliased(Staff)
        stmt = stmt.join(coach, coach.id == Plan.coach_id).where(coach.team_id == f.team_id)
    return stmt


def plans(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    start, end = sql.utc_bounds(f)
    accepted_month = sql.month_of(sql.local_day(PlanVersion.accepted_at, f))
    first = PlanVersion.number == 1
    # Per month: the four counts, and the customers behind each (one per plan version).
    made: dict[str, tuple[int, int]] = {}
    who: dict[tuple[str, str], str | None] = {}
    for m, n, new, accepted_ids, new_ids in s.execute(_plan_scope(
        select(accepted_month, func.count(), _count_if(first), concat(Plan.customer_id),
               concat(Plan.customer_id, first))
        .where(PlanVersion.accepted_at >= start, PlanVersion.accepted_at < end,
               PlanVersion.status.in_((PlanStatus.ACCEPTED, PlanStatus.SUPERSEDED)))
        .group_by(accepted_month), f)):
        made[m] = (n, new)
        who[(m, "accepted")], who[(m, "new")] = accepted_ids, new_ids
    # The review falls due on the current accepted version; it is overdue while that
    # version is still the current one after its date.
    due_month = func.strftime("%Y-%m-01", PlanVersion.next_review_on, type_=String)
    overdue = PlanVersion.next_review_on < inputs.today
    due: dict[str, tuple[int, int]] = {}
    for m, n, late, due_ids, late_ids in s.execute(_plan_scope(
        select(due_month, func.count(), _count_if(overdue), concat(Plan.customer_id),
               concat(Plan.customer_id, overdue))
        .where(PlanVersion.status == PlanStatus.ACCEPTED,
               PlanVersion.next_review_on >= f.date_from,
               PlanVersion.next_review_on <= f.date_to)
        .group_by(due_month), f)):
        due[m] = (n, late)
        who[(m, "reviews_due")], who[(m, "overdue")] = due_ids, late_ids
    rows: tuple[tuple[Any, ...], ...] = tuple(
        (m, *made.get(m.isoformat(), (0, 0)), *due.get(m.isoformat(), (0, 0)))
        for m in sql.months(f))
    members = Members()
    for i, row in enumerate(rows):
        for key in ("accepted", "new", "reviews_due", "overdue"):
            members.add(i, key, ids_of(who.get((row[0].isoformat(), key))), total=True)
    total = (Label(N_("Total")), *(sum(r[i] for r in rows) for i in range(1, 5)))
    return ReportTable(
        "plans", N_("Plans made and reviews overdue"),
        (MONTH_COLUMN, Column("accepted", N_("Plans accepted"), COUNT),
         Column("new", N_("First plans"), COUNT),
         Column("reviews_due", N_("Reviews due"), COUNT),
         Column("overdue", N_("Reviews overdue"), COUNT)),
        rows, ChartSpec("bars", "month", ("accepted", "overdue")),
        note=N_("Plans accepted in the month (first plans and new versions); reviews "
                "falling due in the month and, of those, still not done today."),
        total=total, members=members.result())


def overdue_reviews(s: Session, f: ReportFilter, inputs: ReportInputs) -> int:
    """Every review past its date today, whatever the range (a key figure)."""
    return s.scalar(_plan_scope(
        select(func.count()).select_from(PlanVersion)
        .where(PlanVersion.status == PlanStatus.ACCEPTED,
               PlanVersion.next_review_on < inputs.today), f)) or 0


