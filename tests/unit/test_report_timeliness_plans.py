"""Activation and integration plans made when due, a new job-search period's own clock
(the worklist and the reports together), and the drill-down members of every timeliness
figure: against figures worked out by hand across the 1.1.2026 rule change and the
Christmas holidays, and against the customer's clock and Today's worklist.

Benefit days (the activation plan): Monday to Friday, public holidays included.
Working days (the initial interview, so the integration plan): Monday to Friday, not
public holidays (25.12., 26.12., 1.1., 6.1.), not Christmas Eve.

Today is Monday 16.2.2026. The period is 1.12.2025-28.2.2026.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.dto.reports import ReportFilter
from app.models import (
    Appointment,
    CaseFacts,
    Customer,
    JobSearchPeriod,
    Plan,
    PlanVersion,
    UnemploymentPeriod,
    case_facts_id,
)
from app.rules import clock as rules
from app.rules import groups as group_rules
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    BenefitType,
    CaseExitReason,
    Channel,
    PlanStatus,
    PlanType,
)
from app.rules.permissions import Permission
from app.services.reports import timeliness
from app.services.statutory_clock_facts import Facts, held_facts, opening
from tests.unit.test_report_timeliness import at, by_group, local
from tests.unit.test_report_timeliness import build as build_interviews

T = AppointmentType
TODAY = date(2026, 2, 16)  # a Monday
PERIOD = ReportFilter(date(2025, 12, 1), date(2026, 2, 28))

# id, born, registered, first residence permit, job-search periods (opened, closed).
CUSTOMERS = (
    # Activation plans.
    ("a1", date(2003, 1, 1), date(2025, 6, 2), None, ()),
    ("a2", date(1980, 1, 1), date(2024, 2, 12), None, ()),
    ("a3", date(1975, 1, 1), date(2025, 6, 23), None, ()),
    ("a4", date(1970, 1, 1), date(2023, 6, 1), None, ()),
    ("a5", date(2004, 1, 1), date(2025, 6, 2), None,
     ((date(2025, 6, 2), date(2026, 1, 30)),)),
    ("a6", date(1960, 1, 1), date(2021, 1, 4), None, ()),
    # Integration plans.
    ("n1", date(1990, 1, 1), date(2025, 12, 22), date(2024, 3, 1), ()),
    ("n2", date(1991, 1, 1), date(2026, 1, 2), date(2023, 6, 1), ()),
    ("n3", date(1992, 1, 1), date(2026, 1, 2), date(2022, 12, 1), ()),
    ("n4", date(1993, 1, 1), date(2025, 9, 1), date(2024, 9, 1),
     ((date(2025, 9, 1), date(2025, 9, 30)), (date(2026, 2, 9), None))),
    # Registered again: a new initial interview from the new period's opening.
    ("r1", date(1985, 1, 1), date(2025, 9, 1), None,
     ((date(2025, 9, 1), date(2025, 10, 31)), (date(2026, 1, 26), None))),
    ("r2", date(1986, 1, 1), date(2025, 9, 1), None,
     ((date(2025, 9, 1), date(2025, 10, 31)), (date(2026, 1, 26), None))),
    # Interviewed long before the period, the last conversation just inside the reach.
    ("k1", date(1987, 1, 1), date(2024, 1, 8), None, ()),
)

# Labour-market subsidy: customer, from, to (None: running).
SUBSIDY = (
    ("a1", date(2025, 6, 2), None),
    ("a2", date(2024, 2, 12), None),
    ("a3", date(2025, 6, 23), None),
    ("a4", date(2023, 6, 1), None),
    ("a5", date(2025, 6, 2), None),
    ("a6", date(2021, 1, 4), None),
)

# Plans: plan id, customer, type, the first version's acceptance day.
PLANS = (
    ("pa1", "a1", PlanType.ACTIVATION, date(2026, 2, 4)),
    ("pa4", "a4", PlanType.ACTIVATION, date(2025, 12, 16)),
    ("pn1", "n1", PlanType.INTEGRATION, date(2026, 1, 2)),
    ("pn4", "n4", PlanType.INTEGRATION, date(2025, 9, 4)),
    # An employment plan is no activation plan.
    ("pe2", "a2", PlanType.EMPLOYMENT, date(2025, 12, 1)),
)

# Meetings held: customer, kind, day.
HELD = (
    ("r1", T.INITIAL_INTERVIEW, date(2025, 9, 3)),
    ("r1", T.JOB_SEARCH_CONVERSATION, date(2025, 10, 15)),
    ("r2", T.INITIAL_INTERVIEW, date(2025, 9, 3)),
    ("r2", T.INITIAL_INTERVIEW, date(2026, 2, 4)),
    ("k1", T.INITIAL_INTERVIEW, date(2024, 1, 10)),
    ("k1", T.JOB_SEARCH_CONVERSATION, date(2024, 4, 10)),
    ("k1", T.JOB_SEARCH_CONVERSATION, date(2025, 8, 29)),
)


def build(services, today: date = TODAY) -> None:
    services.ctx.now = lambda: at(today)
    with services.ctx.session_factory.begin() as s:
        for cid, born, registered, permit, periods in CUSTOMERS:
            active = not periods or periods[-1][1] is None
            s.add(Customer(id=cid, customer_number=cid.upper(), first_names="Testi",
                           last_name=cid, sort_name=cid, home_municipality="Rovaniemi",
                           service_point_id="sp-rov", coach_id="staff-coach", birth_date=born,
                           jobseeker_registered_on=registered, unemployed_since=registered,
                           first_residence_permit_on=permit, active=active))
        s.flush()
        for cid, *_rest, periods in CUSTOMERS:
            for n, (opened, closed) in enumerate(periods):
                s.add(JobSearchPeriod(id=f"period-{cid}-{n}", customer_id=cid,
                                      opened_on=opened, closed_on=closed,
                                      exit_reason=CaseExitReason.OTHER if closed else None))
        for n, (cid, start, end) in enumerate(SUBSIDY):
            s.add(UnemploymentPeriod(id=f"u{n}", customer_id=cid, starts_on=start,
                                     ends_on=end, benefit=BenefitType.LABOUR_MARKET_SUBSIDY))
        # a3's allowance ran out; Kela counted a4's subsidy days.
        s.add(CaseFacts(id=case_facts_id("a3"), customer_id="a3",
                        allowance_exhausted_on=date(2025, 6, 20)))
        s.add(CaseFacts(id=case_facts_id("a4"), customer_id="a4", subsidy_days=490,
                        subsidy_days_on=date(2025, 11, 28)))
        for plan_id, cid, kind, accepted in PLANS:
            s.add(Plan(id=plan_id, customer_id=cid, plan_type=kind, coach_id="staff-coach"))
            s.flush()
            s.add(PlanVersion(id=f"{plan_id}v1", plan_id=plan_id, number=1,
                              status=PlanStatus.ACCEPTED, accepted_at=local(accepted)))
        for n, (cid, kind, day) in enumerate(HELD):
            s.add(Appointment(id=f"m{n}", customer_id=cid, staff_id="staff-coach",
                              service_point_id="sp-rov", type=kind,
                              channel=Channel.SERVICE_POINT, status=AppointmentStatus.DONE,
                              starts_at=local(day), ends_at=local(day) + timedelta(hours=1)))


@pytest.fixture
def area(services):
    build(services)
    services.auth.sign_in("lead", "demo")
    return services


def members(table, key: str, row: int = 0) -> list[str]:
    return sorted(table.members_of(row, key))


def test_the_hand_counts_are_the_benefit_days():
    # The counts below, checked against the clock's own benefit-day count.
    assert rules.benefit_days_from(date(2025, 6, 2), date(2026, 2, 6)) == 180
    assert rules.benefit_days_from(date(2024, 2, 12), date(2026, 1, 9)) == 500
    assert rules.benefit_days_from(date(2025, 6, 23), date(2026, 2, 27)) == 180
    assert rules.benefit_days_from(date(2025, 12, 1), date(2025, 12, 12)) == 10


def test_activation_plans_by_hand(area):
    # a1 (22, under 25): subsidy from Mon 2.6.2025; benefit days June 21, July 23,
    #     August 21, September 22, October 23, November 20, December 23 (Christmas
    #     counted) = 153, January 22 = 175, 2.-6.2.: Fri 6.2.2026 the 180th (within 12
    #     months). The activation plan accepted Wed 4.2.: on time.
    # a2 (46): subsidy from Mon 12.2.2024, 100 weeks of five: the 500th Fri 9.1.2026. Only
    #     an employment plan: overdue 9.1. -> 16.2. = 38 days.
    # a3 (51): the allowance ran out Fri 20.6.2025, subsidy from Mon 23.6.: the 180th
    #     after it, 36 weeks on, Fri 27.2.2026: not yet due.
    # a4 (55): Kela counted 490 days by Fri 28.11.2025; 1.-5.12. (495), Fri 12.12.2025
    #     the 500th. The plan accepted Tue 16.12.: 4 days late.
    # a5 (22): as a1, due 6.2.2026, but the case ended 30.1.2026: not counted.
    # a6: subsidy since 2021: the 500 days were reached in 2022, before the period.
    table = area.reports.run("activation_plans_on_time", PERIOD)
    assert [c.key for c in table.columns] == list(timeliness.COLUMNS)
    figures = by_group(table)
    # 4 due: on time a1, late a4, overdue a2, not yet due a3; median of 4 and 38: 21.
    assert figures["All customers"] == (4, 1, 1, 1, 1, 1 / 3, 21.0)
    assert figures["Under 30"] == (1, 1, 0, 0, 0, 1.0, None)
    # a4 born 1.1.1970: 55 on 12.12.2025.
    assert figures["55 and over"] == (1, 0, 1, 0, 0, 0.0, 4.0)
    # a2 unemployed since 2024: long-term on 9.1.2026; a4 since 2023; a3 since 23.6.2025
    # is not (12 months on 23.6.2026).
    assert figures["Long-term unemployed"] == (2, 0, 1, 1, 0, 0.0, 21.0)
    assert members(table, "held_on_time") == ["a1"]
    assert members(table, "late") == ["a4"]
    assert members(table, "not_yet_held") == ["a2"]
    assert members(table, "pending") == ["a3"]
    assert members(table, "due") == ["a1", "a2", "a3", "a4"]
    # Up to 31.1.: a1's (6.2.) and a3's (27.2.) fall after it.
    january = by_group(area.reports.run("activation_plans_on_time",
                                        replace(PERIOD, date_to=date(2026, 1, 31))))
    assert january["All customers"][:5] == (2, 0, 1, 1, 0)


def test_activation_due_days_are_the_customers_clock(area):
    """The report's due day of each customer is the one their clock (the card) shows."""
    table = area.reports.run("activation_plans_on_time",
                             ReportFilter(date(2020, 1, 1), date(2027, 12, 31)))
    counted = set(table.members_of(0, "due"))
    for cid in ("a1", "a2", "a3", "a4", "a6"):
        card = area.clock.customer_clock(cid)
        due = [d.due_on for d in card.deadlines if d.key == "activation_plan"]
        # a1 and a4 have their activation plan: the card no longer asks for one.
        assert len(due) == (0 if cid in ("a1", "a4") else 1) and cid in counted, cid
    shown = {cid: next(d.due_on for d in area.clock.customer_clock(cid).deadlines
                       if d.key == "activation_plan") for cid in ("a2", "a3")}
    assert shown == {"a2": date(2026, 1, 9), "a3": date(2026, 2, 27)}
    # Without their accepted plans, a1's and a4's cards show the report's due day.
    with area.ctx.transaction(Permission.PLAN_EDIT) as s:
        for version in s.scalars(select(PlanVersion).join(Plan, Plan.id == PlanVersion.plan_id)
                                 .where(Plan.customer_id.in_(("a1", "a4")),
                                        Plan.plan_type == PlanType.ACTIVATION)):
            version.accepted_at, version.status = None, PlanStatus.DRAFT
    for cid, due_on in (("a1", date(2026, 2, 6)), ("a4", date(2025, 12, 12))):
        assert [d.due_on for d in area.clock.customer_clock(cid).deadlines
                if d.key == "activation_plan"] == [due_on], cid
    # a5's case is closed: no clock on the card, and not counted.
    assert not area.clock.customer_clock("a5").deadlines and "a5" not in counted


def test_integration_plans_by_hand(area):
    # n1: permit 1.3.2024, registered Mon 22.12.2025: the 2025 rule, 5 working days ->
    #     Fri 2.1.2026; the integration plan accepted 2.1.: on time.
    # n2: permit 1.6.2023 (three years end 1.6.2026), registered Fri 2.1.2026: the 2026
    #     rule, 10 working days -> Mon 19.1.; no plan: overdue 28 days.
    # n3: permit 1.12.2022: the integration period ended 1.12.2025, before the deadline
    #     19.1.2026: not counted.
    # n4: permit 1.9.2024; a plan made 4.9.2025 in the first period (closed 30.9.); the
    #     new period from Mon 9.2.2026 -> 10 working days, Mon 23.2.: not yet due (the
    #     earlier period's plan does not count for it).
    table = area.reports.run("integration_plans_on_time", PERIOD)
    figures = by_group(table)
    assert figures["All customers"] == (3, 1, 0, 1, 1, 0.5, 28.0)
    assert figures["Integration period"] == figures["All customers"]
    assert members(table, "due") == ["n1", "n2", "n4"]
    assert members(table, "not_yet_held") == ["n2"]
    # In the first period, 1.9.-30.9.2025: n4's deadline Mon 8.9.2025, the plan 4.9.
    september = area.reports.run("integration_plans_on_time",
                                 ReportFilter(date(2025, 9, 1), date(2025, 9, 30)))
    assert by_group(september)["All customers"][:3] == (1, 1, 0)


def test_a_new_period_starts_a_new_initial_interview_on_the_worklist(services):
    # r1 and r2 registered 1.9.2025 (interviewed 3.9.), closed 31.10.2025, registered
    # again Mon 26.1.2026: 10 working days -> Mon 9.2.2026. r1 was not interviewed again:
    # overdue 7 days (before the fix: a job-search conversation due 3.12.2025). r2 was,
    # on 4.2.2026: its next job-search conversation is due 4.5.2026.
    build(services)
    services.auth.sign_in("coach", "demo")
    items = {(i.customer_id, i.kind): i for i in services.clock.worklist()
             if i.customer_id in ("r1", "r2")}
    assert set(items) >= {("r1", "initial_interview")}
    assert items[("r1", "initial_interview")].due_on == date(2026, 2, 9)
    assert items[("r1", "initial_interview")].overdue
    assert ("r1", "job_search_conversation") not in items
    assert not any(kind in ("initial_interview", "job_search_conversation")
                   for cid, kind in items if cid == "r2")
    r2 = services.clock.customer_clock("r2")
    assert r2.interview_held_on == date(2026, 2, 4)
    assert [d.due_on for d in r2.deadlines if d.key == "job_search_conversation"] == [
        date(2026, 5, 4)]
    r1 = services.clock.customer_clock("r1")
    assert [d.due_on for d in r1.deadlines if d.key == "initial_interview"] == [
        date(2026, 2, 9)]


def test_a_new_period_in_the_reports(area):
    # Initial interviews due in the period: r1's and r2's second ones (9.2.2026): r1
    # not held (7 days), r2 held 4.2.: on time. (n1, n2, n3, n4's of the integration
    # customers too: n1 2.1., n2 and n3 19.1., n4 23.2.; none interviewed.)
    table = area.reports.run("initial_interviews_on_time", PERIOD)
    assert members(table, "held_on_time") == ["r2"]
    assert "r1" in members(table, "not_yet_held")
    # Their first periods' interviews (due 8.9.2025) were held 3.9.: on time, counted in
    # September; the first period's conversation (from 15.10.2025, due 15.1.2026) fell
    # after it closed, and r2's new one is due 4.5.2026: no conversations in the period.
    september = area.reports.run("initial_interviews_on_time",
                                 ReportFilter(date(2025, 9, 1), date(2025, 9, 30)))
    assert members(september, "held_on_time") == ["r1", "r2"]
    conversations = area.reports.run("job_search_conversations_on_time", PERIOD)
    assert not {"r1", "r2"} & set(conversations.members_of(0, "due"))


def test_the_period_rules_read_alike():
    # The worklist (gather) and the reports (read_scope) share these two rules.
    one = ((date(2025, 9, 1), None),)
    assert opening(date(2025, 9, 1), one) == (date(2025, 9, 1), None)
    again = ((date(2025, 9, 1), date(2025, 10, 31)), (date(2026, 1, 26), None))
    assert opening(date(2025, 9, 1), again) == (date(2026, 1, 26), date(2026, 1, 26))
    assert opening(None, again) == (None, None)
    # A merge left an older period open: it is the current one, the first.
    merged = ((date(2025, 9, 1), None), (date(2026, 1, 26), date(2026, 2, 1)))
    assert opening(date(2025, 9, 1), merged) == (date(2025, 9, 1), None)
    meetings = [(T.INITIAL_INTERVIEW, date(2025, 9, 3)),
                (T.JOB_SEARCH_CONVERSATION, date(2025, 12, 3)),
                (T.JOB_SEARCH_CONVERSATION, date(2026, 2, 4))]
    assert held_facts(meetings) == (date(2025, 9, 3), date(2025, 9, 3), date(2026, 2, 4))
    assert held_facts(meetings, date(2026, 1, 26)) == (None, date(2026, 2, 4),
                                                       date(2026, 2, 4))


@pytest.mark.parametrize("report", ["initial_interviews_on_time",
                                    "job_search_conversations_on_time",
                                    "plan_reviews_on_time"])
def test_members_are_the_customers_each_figure_counts(services, report):
    """On the interview area of test_report_timeliness: every counting cell's members
    are as many as its figure, and each is a customer of the step counted there."""
    build_interviews(services)
    services.auth.sign_in("lead", "demo")
    table = services.reports.run(report, PERIOD)
    for row_index, row in enumerate(table.rows):
        for key in timeliness.COUNTED:
            ids = table.members_of(row_index, key)
            assert len(ids) == row[table.column(key)], (report, row_index, key)
    due = table.members_of(0, "due")
    assert sorted(due) == sorted(
        table.members_of(0, "held_on_time") + table.members_of(0, "late")
        + table.members_of(0, "not_yet_held") + table.members_of(0, "pending"))
    expected = {
        "initial_interviews_on_time": {"held_on_time": ["i1", "i6"], "late": ["i2"],
                                       "not_yet_held": ["i3"], "pending": ["i4"]},
        "job_search_conversations_on_time": {"held_on_time": ["j1", "j6"], "late": ["j2"],
                                             "not_yet_held": ["j4"], "pending": ["j3"]},
        "plan_reviews_on_time": {"held_on_time": ["j1", "j6"], "late": ["j2"],
                                 "not_yet_held": ["j4"], "pending": []},
    }[report]
    for key, ids in expected.items():
        assert members(table, key) == ids, key


def test_members_count_a_customer_once_per_step(services):
    # To 31.3.: j6 has two conversations due (1.12.2025 held on time, 2.3.2026 not yet
    # due), so it is among the due twice, as the figure counts it.
    build_interviews(services)
    services.auth.sign_in("lead", "demo")
    table = services.reports.run("job_search_conversations_on_time",
                                 replace(PERIOD, date_to=date(2026, 3, 31)))
    assert table.members_of(0, "due").count("j6") == 2
    assert len(table.members_of(0, "due")) == table.rows[0][1] == 8


@pytest.mark.parametrize("day", [date(2025, 12, 22), date(2026, 1, 9), date(2026, 6, 19),
                                 date(2027, 2, 28), date(2028, 2, 29)])
def test_the_report_groups_are_the_cards(day):
    """groups_on looks the rules up once per day: the same groups as rules.groups."""
    for born in (date(1996, 2, 29), date(1971, 6, 19), date(2001, 1, 9), None):
        for since in (None, date(2025, 2, 28), date(2026, 1, 9), date(2027, 2, 28)):
            for permit in (None, date(2023, 1, 9), date(2025, 2, 28), date(2029, 1, 1)):
                f = Facts("x", "", None, born, None, since, permit,
                          partial_work_ability=born is None, barriers=3 if since else 1)
                card = {g.value for g in group_rules.groups(
                    born=born, unemployed_since=since, days_unemployed=None,
                    partial_work_ability=f.partial_work_ability, first_permit_on=permit,
                    barriers=f.barriers, today=day)}
                ours = set(timeliness.groups_on(f, day)) - {"all", "older"}
                assert ours == card, (born, since, permit)


@settings(max_examples=500, deadline=None)
@given(born=st.dates(date(1960, 1, 1), date(2008, 12, 31)),
       spells=st.lists(st.tuples(st.dates(date(2022, 1, 1), date(2027, 6, 30)),
                                 st.one_of(st.none(), st.integers(0, 900))),
                       min_size=1, max_size=4),
       exhausted=st.one_of(st.none(), st.dates(date(2022, 1, 1), date(2027, 1, 1))),
       known=st.one_of(st.none(), st.tuples(st.integers(0, 600),
                                             st.dates(date(2023, 1, 1), date(2026, 12, 31)))),
       today=st.dates(date(2025, 1, 1), date(2027, 12, 31)),
       ahead=st.integers(-400, 900))
def test_the_fast_activation_count_is_the_clocks(born, spells, exhausted, known, today,
                                                 ahead):
    """The report counts the subsidy days period by period where that gives the same
    day as the clock counting day by day: the same due day, up to any horizon."""
    periods = [rules.SubsidySpell(start, None if length is None
                                  else start + timedelta(days=length))
               for start, length in spells]
    f = Facts("x", "", None, born, None, None, None, allowance_exhausted_on=exhausted)
    if known is not None:
        f.subsidy_days, f.subsidy_days_on = known
    until = today + timedelta(days=ahead)
    step = timeliness.activation_step(f, periods, [], today, until)
    horizon = min(ahead, timeliness.ACTIVATION_HORIZON)
    clock_due = rules.activation_plan_due(
        born, periods, today, horizon,
        known=rules.SubsidyCount(*known) if known is not None else None,
        allowance_exhausted_on=exhausted)
    assert (step.due_on if step else None) == (clock_due.due_on if clock_due else None)


def _every_conversation(services, f: ReportFilter) -> tuple:
    """The job-search conversations counted the plain way: every customer, every
    meeting, no narrowing."""
    with services.ctx.reading() as s:
        scope = timeliness.read_scope(s, f)
        steps = ((cycle, step) for cid in scope.facts for cycle in scope.cycles(cid)
                 for step in timeliness.conversation_steps(
                     cycle.facts, [d for k, d in cycle.held if k in timeliness.RESTARTS_CLOCK],
                     f.date_to))
        counted = timeliness._counted_cycles(f, scope, steps)
    return timeliness._table("x", "x", "x", counted, TODAY).rows


@pytest.mark.parametrize("period", [PERIOD, ReportFilter(date(2025, 1, 1), date(2025, 12, 31)),
                                    ReportFilter(date(2025, 9, 1), date(2025, 9, 30)),
                                    ReportFilter(date(2024, 1, 1), date(2026, 6, 30))])
def test_the_narrowed_conversations_are_all_of_them(services, period):
    """The report reads only the customers with a meeting in reach of the period, and
    only their recent meetings: the same figures as reading everything. k1 was
    interviewed in January 2024 (read only as the first interview held); the last
    conversation, Fri 29.8.2025 (95 days before the period), -> 29.11.2025 a Saturday ->
    due Mon 1.12.2025, not held: overdue 77 days, in the period."""
    build_interviews(services)
    build(services)
    services.auth.sign_in("lead", "demo")
    table = services.reports.run("job_search_conversations_on_time", period)
    assert table.rows == _every_conversation(services, period)
    if period == PERIOD:
        assert "k1" in table.members_of(0, "not_yet_held")
