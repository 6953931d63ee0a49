"""The drill-down (#25): the customers behind each figure (ReportTable.members) of the
outcome, caseload, plan and purchased-services reports, each against its fixture worked
out by hand; and who sees them, masked as the register masks them, audited without
personal data."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.dto.reports import COUNT, ReportTable
from app.models import AuditEvent, Customer
from app.services.errors import NotSignedIn
from app.services.reports.members import TOTAL_ROW
from tests import report_fixture as fx
from tests.unit import test_report_exits as exits_fixture
from tests.unit import test_report_purchased as purchased_fixture

NOVEMBER = fx.NOVEMBER
DECEMBER = fx.ReportFilter(date(2026, 12, 1), date(2026, 12, 31))


def figure(table: ReportTable, row: int, key: str):
    values = table.total if row == TOTAL_ROW else table.rows[row]
    assert values is not None
    return values[table.column(key)]


def assert_members_match(table: ReportTable, without: tuple[str, ...] = ()) -> None:
    """Every cell with members has exactly as many as its figure, and every counted
    figure (but `without`) above zero has its members."""
    for (row, key), ids in table.members.items():
        assert len(ids) == figure(table, row, key), (table.name, row, key)
    for column in table.columns:
        if column.kind != COUNT or column.key in without:
            continue
        rows = list(range(len(table.rows))) + ([TOTAL_ROW] if table.total else [])
        for row in rows:
            if figure(table, row, column.key):
                assert table.members_of(row, column.key), (table.name, row, column.key)


def cell(table: ReportTable, row: int, key: str) -> list[str]:
    return sorted(table.members_of(row, key))


# --- outcomes: exits by reason and group, employed within ----------------------------


@pytest.fixture
def exits_area(services):
    exits_fixture.build(services)
    services.auth.sign_in("lead", "demo")
    return services


def test_exits_by_reason_members(exits_area):
    table = exits_area.reports.run("exits_by_reason", exits_fixture.WINTER)
    assert_members_match(table)
    # December p1 (c1); January p3 (c2, pay subsidy) and p5 (c4); February p4 (c3);
    # March p2 (c1 again: counted once for each period).
    assert cell(table, 0, "employed_open_market") == ["c1"]
    assert cell(table, 1, "employed_pay_subsidy") == ["c2"]
    assert cell(table, 1, "self_employed") == ["c4"]
    assert cell(table, 1, "total") == ["c2", "c4"]
    assert cell(table, 2, "moved_away") == ["c3"]
    assert cell(table, TOTAL_ROW, "total") == ["c1", "c1", "c2", "c3", "c4"]
    assert cell(table, TOTAL_ROW, "studies") == ["c1"]
    assert table.members_of(0, "studies") == ()  # a zero has nobody behind it
    team2 = exits_area.reports.run("exits_by_reason", fx.ReportFilter(
        exits_fixture.WINTER.date_from, exits_fixture.WINTER.date_to, team_id="team-2"))
    assert cell(team2, TOTAL_ROW, "total") == ["c2", "c4"]


def test_exits_by_group_members(exits_area):
    table = exits_area.reports.run("exits_by_group", exits_fixture.WINTER)
    assert_members_match(table)
    group = {str(r[0]): i for i, r in enumerate(table.rows)}
    assert cell(table, group["All customers"], "exits") == ["c1", "c1", "c2", "c3", "c4"]
    assert cell(table, group["All customers"], "other") == ["c3"]
    assert cell(table, group["Under 30"], "employed") == ["c1"]
    assert cell(table, group["55 and over"], "exits") == ["c2"]
    assert cell(table, group["Long-term unemployed"], "other") == ["c3"]
    assert cell(table, group["Integration period"], "employed") == ["c4"]
    assert cell(table, group["Three or more barriers"], "exits") == ["c1", "c1"]
    assert cell(table, group["Three or more barriers"], "studies") == ["c1"]


def test_employed_within_members_are_the_registered(exits_area):
    table = exits_area.reports.run("employed_within", exits_fixture.COHORTS)
    assert_members_match(table)
    months = table.values("month")
    assert cell(table, months.index(date(2025, 12, 1)), "registered") == ["c2", "c4"]
    assert cell(table, months.index(date(2026, 2, 1)), "registered") == ["c2", "c3"]
    assert len(table.members_of(TOTAL_ROW, "registered")) == 8
    # Shares are not counts of customers: no members.
    assert not any(key.startswith("within") for _row, key in table.members)


# --- caseloads, 100 days, plans (tests/report_fixture.py) ----------------------------


@pytest.fixture
def area(services):
    fx.build(services)
    services.auth.sign_in("lead", "demo")
    return services


def test_caseload_members(area):
    table = area.reports.run("caseloads", NOVEMBER)
    assert_members_match(table, without=("over_cap",))
    coach = {r[0]: i for i, r in enumerate(table.rows)}
    # c4 is inactive: not in Pekka's caseload.
    assert cell(table, coach["Pekka Ylitalo"], "customers") == ["c1", "c3"]
    assert cell(table, coach["Riikka Ranua"], "customers") == ["c2"]
    assert cell(table, TOTAL_ROW, "customers") == ["c1", "c2", "c3"]


def test_hundred_days_members(area):
    table = area.reports.run("hundred_days", DECEMBER)
    assert_members_match(table)
    assert cell(table, 0, "customers") == ["c1", "c2"]  # 100th day 11.12. and 25.12.
    assert cell(table, TOTAL_ROW, "customers") == ["c1", "c2"]
    early = area.reports.run("hundred_days", fx.ReportFilter(date(2026, 12, 1),
                                                             date(2026, 12, 24)))
    assert cell(early, 0, "customers") == ["c1"]


def test_plan_members(area):
    table = area.reports.run("plans", NOVEMBER)
    assert_members_match(table)
    # Accepted: p1v1 and p1v2 (c1 twice), p3v1 (c3); first plans p1v1, p3v1; due and
    # overdue: p1v2 (c1) and p2v1 (c2).
    assert cell(table, 0, "accepted") == ["c1", "c1", "c3"]
    assert cell(table, 0, "new") == ["c1", "c3"]
    assert cell(table, 0, "reviews_due") == ["c1", "c2"]
    assert cell(table, 0, "overdue") == ["c1", "c2"]
    assert cell(table, TOTAL_ROW, "overdue") == ["c1", "c2"]


def test_feedback_is_anonymous(area):
    assert area.reports.run("feedback", NOVEMBER).members == {}


# --- purchased services --------------------------------------------------------------


@pytest.fixture
def purchased(services):
    from datetime import UTC, datetime

    from tests.factories import Clock

    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("admin", "demo")
    purchased_fixture.build(services)
    with services.ctx.session_factory() as s:
        ids = {first: cid for first, cid in s.execute(
            select(Customer.first_names, Customer.id).where(
                Customer.last_name == "Ostopalvelu"))}
    return services, ids


def test_purchased_referral_and_end_reason_members(purchased):
    services, c = purchased
    a, b, cc, d = c["Anna"], c["Bertta"], c["Cecilia"], c["Daniel"]
    table = services.reports.run("purchased_referrals", purchased_fixture.YEAR)
    assert_members_match(table)
    # Individual coaching (K1): r1 A completed, r2 B interrupted, r3 C declined, r4 C
    # accepted, r5 D started. Training (K2): r6 A, r7 C completed, r8 D proposed.
    assert cell(table, 0, "declined") == [cc]
    assert cell(table, 0, "total") == sorted([a, b, cc, cc, d])
    assert cell(table, 1, "completed") == sorted([a, cc])
    assert cell(table, TOTAL_ROW, "proposed") == [d]
    assert len(table.members_of(TOTAL_ROW, "total")) == 8
    reasons = services.reports.run("purchased_end_reasons", purchased_fixture.YEAR)
    assert_members_match(reasons)
    assert cell(reasons, 0, "health") == [b]
    assert cell(reasons, 0, "no_places") == [cc]
    assert cell(reasons, TOTAL_ROW, "total") == sorted([b, cc])


def test_purchased_effect_members(purchased):
    services, c = purchased
    a, b, cc = c["Anna"], c["Bertta"], c["Cecilia"]
    table = services.reports.run("purchased_effect", purchased_fixture.YEAR)
    assert_members_match(table)
    # Individual coaching: 3 mo r1 (A, other) and r2 (B, unknown); 6 mo both good.
    assert cell(table, 0, "counted_3") == sorted([a, b])
    assert cell(table, 0, "unknown_3") == [b]
    assert table.members_of(0, "good_3") == ()
    assert cell(table, 0, "good_6") == sorted([a, b])
    # Training: 3 mo r6 (A, good) and r7 (C, other).
    assert cell(table, 1, "good_3") == [a]
    assert cell(table, TOTAL_ROW, "counted_3") == sorted([a, b, a, cc, a, cc])


# --- who sees them -------------------------------------------------------------------


def drill(services, table: ReportTable, row: int, key: str):
    return services.reports.customers_behind(table.name, row, key,
                                             table.members_of(row, key))


def test_a_lead_sees_every_customer_behind_a_figure_masked(purchased):
    services, c = purchased
    services.auth.sign_out()
    services.auth.sign_in("lead", "demo")
    table = services.reports.run("purchased_referrals", purchased_fixture.YEAR)
    got = drill(services, table, 0, "total")
    # A, B, C (twice: once shown), D: sorted by name as the register.
    assert [r.name for r in got.rows] == ["Ostopalvelu, Anna", "Ostopalvelu, Bertta",
                                          "Ostopalvelu, Cecilia", "Ostopalvelu, Daniel"]
    assert (got.hidden, got.gone, got.own_caseload_only) == (0, 0, False)
    first = got.rows[0]
    assert first.id == c["Anna"]
    assert first.hetu_masked.endswith("****") and len(first.hetu_masked) == 11
    with services.ctx.session_factory() as s:
        hetu = s.get(Customer, first.id).hetu
        number = s.get(Customer, first.id).customer_number
        events = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "report.drilldown")).all()
    assert hetu and first.hetu_masked == hetu[:7] + "****"
    assert first.customer_number == number
    (event,) = events
    assert json.loads(event.detail) == {"report": "purchased_referrals", "row": 0,
                                        "column": "total", "customers": 4, "shown": 4}
    for secret in ("Anna", "Ostopalvelu", hetu, first.id):
        assert secret not in event.detail


def test_a_coach_sees_only_their_own_caseload(area):
    table = area.reports.run("caseloads", NOVEMBER)
    ids = table.members_of(TOTAL_ROW, "customers")
    area.auth.sign_out()
    area.auth.sign_in("coach", "demo")  # Pekka: c1 and c3; c2 is Riikka's
    got = area.reports.customers_behind("caseloads", TOTAL_ROW, "customers", ids)
    assert [r.id for r in got.rows] == ["c1", "c3"]
    assert (got.hidden, got.own_caseload_only) == (1, True)
    assert got.rows[0].coach == "Pekka Ylitalo" and got.rows[0].service_point


def test_the_desk_sees_nobody_behind_a_figure(area):
    table = area.reports.run("hundred_days", DECEMBER)
    ids = table.members_of(0, "customers")
    area.auth.sign_out()
    area.auth.sign_in("desk", "demo")
    got = area.reports.customers_behind("hundred_days", 0, "customers", ids)
    assert got.rows == () and got.hidden == 2


def test_an_erased_customer_is_counted_not_shown(area):
    table = area.reports.run("plans", NOVEMBER)
    with area.ctx.session_factory.begin() as s:
        s.get(Customer, "c2").deleted_at = fx.TODAY
    got = drill(area, table, 0, "overdue")
    assert [r.id for r in got.rows] == ["c1"] and (got.hidden, got.gone) == (0, 1)


def test_signed_out_nobody_is_shown(area):
    area.auth.sign_out()
    with pytest.raises(NotSignedIn):
        area.reports.customers_behind("plans", 0, "overdue", ["c1"])
