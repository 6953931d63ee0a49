"""Audit of #19 (closing a case): the Done-when clauses that no test covered yet.

"Caseloads count open cases only: the caseload view, balancing, the cap warning, 'a coach
leaves' and the caseload report" — the view and "a coach leaves" are covered in
tests/unit/test_case_periods.py; here the caseload report, the cap warning and the
balancing suggestion before and after closings. And "one 100-day count everywhere": the
customer list's and the caseload list's days unemployed against the card's."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from app.dto.reports import ReportFilter
from app.models import CaseFacts, Staff, case_facts_id
from app.rules.codes import CoachOnClose, Role
from tests.factories import Clock, customer_input

TODAY_UTC = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 24.11.2026 in Helsinki
TODAY = date(2026, 11, 24)
COACH = "staff-coach"  # Pekka Ylitalo, team-1


@pytest.fixture
def lead(signed_in):
    """Three open cases in the coach's caseload; a second coach in the same team; the
    team lead signed in (reads reports, closes cases)."""
    services = signed_in
    services.ctx.now = Clock(TODAY_UTC)
    with services.ctx.session_factory.begin() as s:
        s.add(Staff(id="staff-coach2", username="coach2", full_name="Kaisa Toinen",
                    role=Role.COACH, team_id="team-1", service_point_id="sp-rov"))
    ids = []
    for individual in (331, 332, 333):
        cid = services.customers.create(customer_input(
            "Salkku", "Asiakas", date(1990, 1, 1), individual,
            jobseeker_registered_on=date(2026, 3, 2), unemployed_since=date(2026, 3, 2))).id
        services.coaching.assign(cid, COACH, "Alkuhaastattelu")
        ids.append(cid)
    services.ctx.now.advance(60)  # the closings come after the assignments
    services.auth.sign_out()
    services.auth.sign_in("lead", "demo")
    return services, ids


def _report_row(services, cap: int) -> tuple:
    inputs = dataclasses.replace(services.reports.inputs(), caseload_cap=cap)
    table = services.reports.run("caseloads", ReportFilter(TODAY, TODAY), inputs)
    return next(tuple(r) for r in table.rows if r[0] == "Pekka Ylitalo")


def test_closings_lower_the_caseload_report_and_its_over_cap_column(lead):
    services, (released, kept, _still_open) = lead
    name, _team, customers, _share, over = _report_row(services, cap=2)
    assert (name, customers, over) == ("Pekka Ylitalo", 3, 1)
    services.case_periods.close(released, TODAY, "employed_open_market",
                                coach=CoachOnClose.RELEASE)
    services.case_periods.close(kept, TODAY, "studies", coach=CoachOnClose.KEEP)
    _name, _team, customers, _share, over = _report_row(services, cap=2)
    # The kept one still names the coach but counts in no caseload.
    assert (customers, over) == (1, 0)


def test_a_closing_clears_the_cap_warning_and_the_balancing_suggestion(lead):
    services, (_first, kept, _third) = lead
    before = services.coaching.caseloads(2)
    row = next(r for r in before.coaches if r.staff_id == COACH)
    assert row.over and row.active == 3
    assert [(m.from_staff_id, m.to_staff_id, m.count) for m in before.suggestions] == [
        (COACH, "staff-coach2", 1)]
    services.case_periods.close(kept, TODAY, "moved_away", coach=CoachOnClose.KEEP)
    after = services.coaching.caseloads(2)
    row = next(r for r in after.coaches if r.staff_id == COACH)
    assert not row.over and row.active == 2
    assert after.suggestions == []
    # A leaving coach's open cases are spread within the team; the closed one stays.
    assert services.coaching.reassign_all(COACH, "Vuorotteluvapaa") == {"staff-coach2": 2}


def test_the_lists_count_days_unemployed_as_the_card_does(signed_in):
    services = signed_in
    services.ctx.now = Clock(TODAY_UTC)
    cid = services.customers.create(customer_input(
        "Laskenta", "Lista", date(1990, 1, 1), 334,
        jobseeker_registered_on=date(2026, 3, 2), unemployed_since=date(2026, 3, 2))).id
    services.coaching.assign(cid, COACH, "Alkuhaastattelu")
    with services.ctx.session_factory.begin() as s:
        s.add(CaseFacts(id=case_facts_id(cid), customer_id=cid, partial_work_ability=False,
                        first_benefit_on=date(2026, 3, 9)))
    card = services.customers.get(cid)
    # By hand: day 1 Mon 9.3.2026; 9.3.-20.11. is 37 whole weeks (185 benefit days),
    # Mon 23.11. the 186th, Tue 24.11. the 187th. (From Mon 2.3. it would be 192.)
    assert (card.days_unemployed, card.hundred_day_approximate) == (187, False)
    listed = next(r for r in services.customers.page("Laskenta").rows if r.id == cid)
    in_caseload = next(c for c in services.coaching.caseload_customers(COACH) if c.id == cid)
    assert (listed.days_unemployed, in_caseload.days_unemployed) == (187, 187)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_unverified_sections_are_said_in_the_users_language(lang):
    from app import i18n
    from app.rules.statutory import GROUP_RULES, RULES
    from app.views.coaching.texts import source_tooltip

    before = i18n.current_language()
    i18n.set_language(lang)
    try:
        shown = [source_tooltip(rule.source) for rule in (*RULES, *GROUP_RULES)]
    finally:
        i18n.set_language(before)
    assert not [text for text in shown if "unverified" in text]


def test_a_later_closing_does_not_rewrite_the_months_before_it(signed_in):
    services = signed_in
    services.ctx.now = Clock(TODAY_UTC)
    # Unemployed from Mon 22.12.2025: the 100th benefit day is Fri 8.5.2026 (counted by
    # hand in tests/unit/test_statutory_dates_by_hand.py).
    cid = services.customers.create(customer_input(
        "Raportti", "Sata", date(1980, 1, 1), 335,
        jobseeker_registered_on=date(2025, 12, 22), unemployed_since=date(2025, 12, 22))).id
    services.auth.sign_out()
    services.auth.sign_in("lead", "demo")
    may = ReportFilter(date(2026, 5, 1), date(2026, 5, 31))

    def crossing_in_may() -> int:
        return services.reports.run("hundred_days", may).rows[0][1]

    assert crossing_in_may() == 1
    services.case_periods.close(cid, date(2026, 6, 30), "employed_open_market")
    assert crossing_in_may() == 1  # the mark was reached in May, while the case was open


def test_a_team_s_months_keep_a_customer_whose_coach_was_released_later(signed_in):
    """The team filter takes the coach the customer had on the mark day (the coach
    history), not today's: closing with "release" clears the coach, not the past."""
    services = signed_in
    services.ctx.now = Clock(TODAY_UTC)
    cid = services.customers.create(customer_input(
        "Raportti", "Tiimi", date(1980, 1, 1), 336,
        jobseeker_registered_on=date(2025, 12, 22), unemployed_since=date(2025, 12, 22))).id
    services.ctx.now = Clock(datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    services.coaching.assign(cid, COACH, "Alkuhaastattelu")
    services.ctx.now = Clock(TODAY_UTC)
    services.auth.sign_out()
    services.auth.sign_in("lead", "demo")
    may = ReportFilter(date(2026, 5, 1), date(2026, 5, 31), team_id="team-1")

    def crossing_in_may() -> int:
        return services.reports.run("hundred_days", may).rows[0][1]

    assert crossing_in_may() == 1
    services.case_periods.close(cid, date(2026, 6, 30), "employed_open_market",
                                coach=CoachOnClose.RELEASE)
    assert crossing_in_may() == 1
    other_team = ReportFilter(date(2026, 5, 1), date(2026, 5, 31), team_id="team-2")
    assert services.reports.run("hundred_days", other_team).rows[0][1] == 0
