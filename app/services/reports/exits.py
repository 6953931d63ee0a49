"""Outcomes of the cases: job-search periods ended, by reason and by customer group, and
the share of those registered who found work or began studies within 3, 6 and 12 months.

Everything is counted in SQLite: dates are ISO text there (`job_search_period.opened_on`
and `closed_on`), so months, ages and "twelve months later" are date functions over a
column, grouped in the database; a year's exits come to Python as a few hundred
aggregate rows, never one per customer.

The groups are those of rules.groups as of the day the period ended (age, long-term
unemployment, the integration period), with partial work ability from the case facts
and three or more barriers ticked now (the checklist keeps no history), plus over 55.
A team is the team of the customer's coach when the period ended (closing a case
usually releases the coach, so the coach history tells who it was), of an open period
the coach's now."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Integer, String, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session

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
from app.i18n import N_
from app.models import CaseFacts, CoachAssignment, Customer, JobSearchPeriod, Staff
from app.rules.clock import add_months
from app.rules.codes import LABELS, CaseExitReason
from app.rules.statutory import rule_for
from app.services.coaching import many_barriers_ids
from app.services.reports import sql
from app.services.reports.members import Members, concat, ids_of
from app.services.reports.periods import period_end

R = CaseExitReason
EMPLOYED = (R.EMPLOYED_OPEN_MARKET, R.EMPLOYED_PAY_SUBSIDY, R.SELF_EMPLOYED)
EMPLOYED_OR_STUDYING = (*EMPLOYED, R.STUDIES)
HORIZONS = (3, 6, 12)  # months after the period opened
# The organising plan's older jobseekers: 55 and over (not a rules.groups group yet).
OLDER_AGE = 55

MONTH_COLUMN = Column("month", N_("Month"), MONTH)
P = JobSearchPeriod
REASON_TITLES = {r: LABELS[r] for r in R}


def _months_later(day: Any, months: int) -> Any:
    """rules.clock.add_months in SQL: the same day `months` later, or the last day of
    that month (SQLite's '+N months' would run 31.1. over into March)."""
    return func.min(func.date(day, f"+{months} months"),
                    func.date(day, "start of month", f"+{months + 1} months", "-1 day"))


def _age(born: Any, on: Any) -> Any:
    """Whole years from `born` to `on` (rules.groups._age): yyyymmdd difference / 10000."""
    def ymd(day: Any) -> Any:
        return cast(func.strftime("%Y%m%d", day), Integer)
    return (ymd(on) - ymd(born)) // 10000


def _coach_at_close() -> Any:
    """The coach of the period's customer when it ended: the latest assignment made
    before its closing day (a release made at the close comes later and is passed over;
    one made earlier leaves none); the coach named now for an open period or when no
    history reaches back that far."""
    latest = (select(func.coalesce(CoachAssignment.coach_id, ""))
              .where(CoachAssignment.customer_id == P.customer_id,
                     CoachAssignment.deleted_at.is_(None),
                     CoachAssignment.assigned_at < P.closed_on)
              .order_by(CoachAssignment.assigned_at.desc()).limit(1).scalar_subquery())
    return case((P.closed_on.is_(None), Customer.coach_id),
                else_=func.nullif(func.coalesce(latest, Customer.coach_id, ""), ""))


def _scope(stmt: Any, f: ReportFilter) -> Any:
    """The periods of live customers, by the filter's service point and team."""
    stmt = stmt.select_from(P).join(Customer, Customer.id == P.customer_id).where(
        P.deleted_at.is_(None), Customer.deleted_at.is_(None))
    if f.service_point_id:
        stmt = stmt.where(Customer.service_point_id == f.service_point_id)
    if f.team_id:
        stmt = stmt.where(_coach_at_close().in_(
            select(Staff.id).where(Staff.team_id == f.team_id)))
    return stmt


def _closed_in(f: ReportFilter) -> list[Any]:
    return [P.closed_on >= f.date_from, P.closed_on <= f.date_to]


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


# --- exits by reason ------------------------------------------------------------------


def exits_by_reason(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    month = func.strftime("%Y-%m-01", P.closed_on, type_=String)
    found: dict[tuple[str, str], int] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    for m, r, n, customers in s.execute(
            _scope(select(month, P.exit_reason, func.count(), concat(P.customer_id)), f)
            .where(*_closed_in(f)).group_by(month, P.exit_reason)):
        found[(m, str(r))], ids[(m, str(r))] = n, ids_of(customers)
    rows: list[tuple[Any, ...]] = []
    members = Members()
    for i, first in enumerate(sql.months(f)):
        values = [found.get((first.isoformat(), r.value), 0) for r in R]
        rows.append((first, *values, sum(values)))
        for r in R:
            got = ids.get((first.isoformat(), r.value), [])
            members.add(i, r.value, got, total=True)
            members.add(i, "total", got, total=True)
    columns = (MONTH_COLUMN, *(Column(r.value, REASON_TITLES[r], COUNT) for r in R),
               Column("total", N_("Total"), COUNT))
    total = (Label(N_("Total")), *(sum(row[i] for row in rows) for i in range(1, len(columns))))
    return ReportTable(
        "exits_by_reason", N_("Case exits per month by reason"), columns, tuple(rows),
        ChartSpec("stacked", "month", tuple(r.value for r in R)),
        note=N_("Job-search periods that ended in the month, by the reason coded at the "
                "close. A customer whose case was reopened and closed again counts once "
                "for each period."), total=total, members=members.result())


# --- exits by group -------------------------------------------------------------------

GROUPS: tuple[tuple[str, str], ...] = (
    ("all", N_("All customers")),
    ("young", N_("Under 30")),
    ("older", N_("55 and over")),
    ("long_term", N_("Long-term unemployed")),
    ("partial_work_ability", N_("Partial work ability")),
    ("integration", N_("Integration period")),
    ("many_barriers", N_("Three or more barriers")),
)


def _group_conditions(on: Any, f: ReportFilter) -> dict[str, Any]:
    """Each group as a condition on a period's row (joined with the customer and the
    case facts), as of the day `on`. The limits are the rules in force at the end of the
    range (rules.statutory.GROUP_RULES: none of them changes within a year)."""
    rule_day = max(f.date_to, date(2025, 1, 1))
    young = rule_for("young_age_limit", rule_day).value
    long_term = rule_for("long_term_months", rule_day).value
    integration = 12 * rule_for("integration_years", rule_day).value
    born, since = Customer.birth_date, Customer.unemployed_since
    permit = Customer.first_residence_permit_on
    return {
        "all": literal(True),
        "young": and_(born.is_not(None), _age(born, on) < young),
        "older": and_(born.is_not(None), _age(born, on) >= OLDER_AGE),
        "long_term": and_(since.is_not(None), _months_later(since, long_term) <= on),
        "partial_work_ability": CaseFacts.partial_work_ability.is_(True),
        "integration": and_(permit.is_not(None), permit <= on,
                            _months_later(permit, integration) > on),
        "many_barriers": Customer.id.in_(many_barriers_ids()),
    }


def _outcome(reason: Any) -> Any:
    return case((reason.in_(EMPLOYED), literal("employed")),
                (reason == R.STUDIES, literal("studies")), else_=literal("other"))


def exits_by_group(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    conditions = _group_conditions(P.closed_on, f)
    days = cast(func.julianday(P.closed_on) - func.julianday(P.opened_on), Integer)
    outcome = _outcome(P.exit_reason)
    # Each period's groups worked out once (inner), then counted and their customers
    # gathered by days and outcome (outer).
    names = [f"g{i}" for i in range(len(conditions))]
    per_period = (_scope(select(P.customer_id.label("customer"), days.label("days"),
                                outcome.label("outcome"),
                                *(case((c, 1), else_=0).label(name)
                                  for c, name in zip(conditions.values(), names,
                                                     strict=True))), f)
                  .outerjoin(CaseFacts, and_(CaseFacts.customer_id == P.customer_id,
                                             CaseFacts.deleted_at.is_(None)))
                  .where(*_closed_in(f)).subquery())
    q = per_period.c
    stmt = (select(q.days, q.outcome, *(func.sum(q[name]) for name in names),
                   *(concat(q.customer, q[name] == 1) for name in names))
            .group_by(q.days, q.outcome))
    # Per group: exits by outcome, and the frequency table of days to exit.
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    members = Members()
    row_of = {key: i for i, (key, _label) in enumerate(GROUPS)}
    for d, kind, *counts in s.execute(stmt):
        flagged, customers = counts[:len(conditions)], counts[len(conditions):]
        for key, n, text in zip(conditions, flagged, customers, strict=True):
            if n:
                outcomes[key][kind] += n
                histograms[key][d] += n
                members.add(row_of[key], "exits", ids_of(text))
                members.add(row_of[key], kind, ids_of(text))
    rows = []
    for key, label in GROUPS:
        got = outcomes[key]
        exits = sum(got.values())
        employed, studies, other = got["employed"], got["studies"], got["other"]
        histogram = sorted((float(d), n) for d, n in histograms[key].items())
        median = sql.quantiles_of(histogram, (0.5,))[1][0] if histogram else None
        rows.append((Label(label), exits, employed, studies, other,
                     sql.share(employed + studies, exits), median))
    return ReportTable(
        "exits_by_group", N_("Case exits by customer group"),
        (Column("group", N_("Group"), TEXT), Column("exits", N_("Exits"), COUNT),
         Column("employed", N_("Employed"), COUNT), Column("studies", N_("Studies"), COUNT),
         Column("other", N_("Other reasons"), COUNT),
         Column("share_employed_or_studying", N_("Employed or studying (%)"), PERCENT),
         Column("median_days_to_exit", N_("Median days to exit"), NUMBER)),
        tuple(rows), ChartSpec("hbars", "group", ("share_employed_or_studying",),
                               percent=True),
        note=N_("Job-search periods that ended within the chosen dates, by the customer's "
                "group on the day the period ended (three or more barriers: as ticked "
                "now). Employed: the open labour market, pay subsidy or self-employment. "
                "Days to exit: from the day the period began to the day it ended. A "
                "customer may belong to several groups."), members=members.result())


# --- employed or studying within 3, 6 and 12 months ------------------------------------


def employed_within(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    month = func.strftime("%Y-%m-01", P.opened_on, type_=String)
    success = and_(P.closed_on.is_not(None), P.exit_reason.in_(EMPLOYED_OR_STUDYING))
    within = [_count_if(and_(success, P.closed_on <= _months_later(P.opened_on, h)))
              for h in HORIZONS]
    found: dict[str, tuple[int, ...]] = {}
    registered_ids: dict[str, list[str]] = {}
    for m, n, customers, *hits in s.execute(
            _scope(select(month, func.count(), concat(P.customer_id), *within), f)
            .where(P.opened_on >= f.date_from, P.opened_on <= f.date_to).group_by(month)):
        found[m], registered_ids[m] = (n, *hits), ids_of(customers)
    members = Members()
    rows: list[tuple[Any, ...]] = []
    known_sums = [[0, 0] for _h in HORIZONS]  # per horizon: registered, hits (known)
    for first in sql.months(f):
        registered, *hits = found.get(first.isoformat(), (0, 0, 0, 0))
        last_opened = min(period_end(first, MONTH), f.date_to)
        shares: list[float | None] = []
        for i, h in enumerate(HORIZONS):
            # Known once the last day anyone in the cohort could reach the mark is over.
            if add_months(last_opened, h) < inputs.today:
                shares.append(sql.share(hits[i], registered))
                known_sums[i][0] += registered
                known_sums[i][1] += hits[i]
            else:
                shares.append(None)
        rows.append((first, registered, *shares))
        members.add(len(rows) - 1, "registered", registered_ids.get(first.isoformat(), []),
                    total=True)
    total = (Label(N_("Total")), sum(r[1] for r in rows),
             *(sql.share(hits, registered) for registered, hits in known_sums))
    return ReportTable(
        "employed_within", N_("Employed or studying within 3, 6 and 12 months"),
        (Column("month", N_("Registered in"), MONTH),
         Column("registered", N_("Registered"), COUNT),
         Column("within_3", N_("Within 3 months (%)"), PERCENT),
         Column("within_6", N_("Within 6 months (%)"), PERCENT),
         Column("within_12", N_("Within 12 months (%)"), PERCENT)),
        tuple(rows), ChartSpec("lines", "month", ("within_3", "within_6", "within_12"),
                               percent=True),
        note=N_("Job-search periods that began in the month, and the share of them that "
                "ended with employment (open labour market, pay subsidy, "
                "self-employment) or studies within 3, 6 and 12 months of the start. A "
                "figure is shown (–) as not yet known until that many months have "
                "passed for everyone registered in the month; the total counts the "
                "months whose figure is known."), total=total, members=members.result())
