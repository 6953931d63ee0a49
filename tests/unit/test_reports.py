"""Every report against figures worked out by hand on tests/report_fixture.py."""

from __future__ import annotations

import statistics
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert
from sqlalchemy.orm import Session

from app.dto.reports import ReportFilter
from app.models import CaseFacts, case_facts_id
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.reports import REPORTS, sql
from tests import report_fixture as fx

STATS = {"year": 2024, "municipalities": [
    {"name": "Rovaniemi", "working_age": 900, "broad_unemployment": 80},
    {"name": "Ranua", "working_age": 100, "broad_unemployment": 20},
]}


@pytest.fixture
def area(services):
    fx.build(services)
    services.auth.sign_in("lead", "demo")
    return services


def run(area, name, **changes):
    return area.reports.run(name, replace(fx.NOVEMBER, **changes))


def rows(table):
    return [tuple(r) for r in table.rows]


def test_visits_per_week_by_point_count_local_weeks(area):
    table = run(area, "visits_by_point")
    assert [c.key for c in table.columns] == ["week", "point_RAN", "point_ROV", "total"]
    # v6 (Sunday 23.30 local) is in; v7 (1.11. 23.30) and v8 (16.11. 0.30) are out.
    assert rows(table) == [(date(2026, 11, 2), 0, 3, 3), (date(2026, 11, 9), 1, 3, 4)]
    assert table.total == ("Total", 1, 6, 7)


def test_visits_by_channel_and_area(area):
    channel = run(area, "visits_by_channel")
    assert rows(channel) == [(date(2026, 11, 2), 2, 1, 0, 3), (date(2026, 11, 9), 3, 0, 1, 4)]
    by_area = run(area, "visits_by_area")
    keys = [c.key for c in by_area.columns]
    first = dict(zip(keys, by_area.rows[0], strict=True))
    second = dict(zip(keys, by_area.rows[1], strict=True))
    assert (first["initial"], first["finding_work"], first["information"]) == (1, 1, 1)
    assert (second["initial"], second["skills"], second["information"]) == (1, 2, 1)


def test_visit_filters_by_point_and_team(area):
    assert run(area, "visits_by_point", service_point_id="sp-ran").total == ("Total", 1, 1)
    assert run(area, "visits_by_area", team_id="team-2").total[-1] == 1
    assert run(area, "visits_by_area", date_from=date(2026, 11, 9)).total[-1] == 4


def test_waiting_times_median_and_90th_percentile_by_arrival_hour(area):
    table = run(area, "waiting_times")
    # Hour 9: waits 4, 10, 30 -> median 10, p90 at rank 1.8: 10 + 0.8 * 20 = 26.
    # Hour 14: v5 started 14.20 after 20 min -> arrived 14.00.
    assert rows(table) == [(9, 3, 10.0, 26.0), (14, 1, 20.0, 20.0)]
    # All: 4, 10, 20, 30 -> median 15, p90 at rank 2.7: 20 + 0.7 * 10 = 27.
    assert table.total[1:] == (4, 15.0, pytest.approx(27.0))


def test_waiting_hour_in_summer_time(area):
    with area.ctx.session_factory.begin() as s:
        s.add(fx._visit("v-summer", None, "sp-rov", fx.Channel.SERVICE_POINT, True,
                        fx.A.INFORMATION, "staff-desk", "team-1",
                        fx.local(10, 9, 10, month=6), 5, wait=20))
    table = run(area, "waiting_times", date_from=date(2026, 6, 1), date_to=date(2026, 6, 30))
    assert rows(table) == [(8, 1, 20.0, 20.0)]  # arrived 8.50 summer time (5.50 UTC)


def test_no_shows_by_point_and_worker(area):
    by_point = run(area, "no_shows_by_point")
    # Cancelled (a3), still booked (a6) and out-of-range (a7) appointments do not count.
    assert rows(by_point) == [("Ranua", 2, 1, 0.5), ("Rovaniemi – Osaamo", 3, 1, 1 / 3)]
    assert by_point.total == ("Total", 5, 2, 0.4)
    by_worker = run(area, "no_shows_by_worker")
    assert rows(by_worker) == [("Riikka Ranua", "Osaaminen", 2, 1, 0.5),
                               ("Pekka Ylitalo", "Työnvälitys", 3, 1, 1 / 3)]
    assert rows(run(area, "no_shows_by_worker", team_id="team-2")) == [
        ("Riikka Ranua", "Osaaminen", 2, 1, 0.5)]


def test_feedback_figures(area):
    table = run(area, "feedback")
    # f1..f4 in range (f5 in October): mean (5+4+2+3)/4, satisfied 2 of 4,
    # recommend: 10 and 9 promoters, 3 a detractor, of 3 answers -> NPS 33.3.
    expected = (4, 3.5, 0.5, pytest.approx(100 / 3), 3)
    assert table.rows[0][1:] == expected
    assert table.total[1:] == expected
    assert run(area, "feedback", service_point_id="sp-ran").total[1:] == (1, 2.0, 0.0, -100.0, 1)


def test_caseloads_against_the_cap(area):
    area.settings.set("caseload_cap", 1)
    table = run(area, "caseloads")
    # c4 is inactive; the lead and the desk are not coaches.
    assert rows(table) == [("Pekka Ylitalo", "Työnvälitys", 2, 2.0, 1),
                           ("Riikka Ranua", "Osaaminen", 1, 1.0, 0)]
    assert table.chart.reference == 1.0
    assert rows(run(area, "caseloads", service_point_id="sp-ran")) == [
        ("Riikka Ranua", "Osaaminen", 1, 1.0, 0)]


def test_customers_crossing_100_days(area):
    # Benefit days (Mon-Fri, holidays included), as the card and Today count, no longer
    # calendar days. c1, unemployed since Sun 26.7.2026: day 1 Mon 27.7., 19 weeks on
    # Mon 7.12. is the 96th, Fri 11.12. the 100th. c2 (Mon 10.8.): Mon 21.12. the 96th,
    # Fri 25.12. (Christmas Day, a benefit day) the 100th. c4 is inactive.
    december = {"date_from": date(2026, 12, 1), "date_to": date(2026, 12, 31)}
    assert rows(run(area, "hundred_days", **december)) == [(date(2026, 12, 1), 2)]
    assert rows(run(area, "hundred_days", date_from=date(2026, 12, 1),
                    date_to=date(2026, 12, 24))) == [(date(2026, 12, 1), 1)]
    assert rows(run(area, "hundred_days", team_id="team-2", **december)) == [
        (date(2026, 12, 1), 1)]
    assert rows(run(area, "hundred_days")) == [(date(2026, 11, 1), 0)]
    # The first benefit day in the case facts is day 1: c2 from Mon 6.7.2026, the 96th
    # Mon 16.11., the 100th Fri 20.11.
    with area.ctx.session_factory.begin() as s:
        s.add(CaseFacts(id=case_facts_id("c2"), customer_id="c2",
                        first_benefit_on=date(2026, 7, 6)))
    assert rows(run(area, "hundred_days", date_to=date(2026, 11, 30))) == [
        (date(2026, 11, 1), 1)]
    assert rows(run(area, "hundred_days", date_to=date(2026, 11, 19))) == [
        (date(2026, 11, 1), 0)]
    assert rows(run(area, "hundred_days", **december)) == [(date(2026, 12, 1), 1)]


def test_plans_made_and_reviews_overdue(area):
    table = run(area, "plans")
    # Accepted in range: p1v1, p1v2, p3v1 (two first plans); due in range: p1v2 (14.11.)
    # and p2v1 (5.11.), both still current and past due on 24.11.
    assert rows(table) == [(date(2026, 11, 1), 3, 2, 2, 2)]
    assert rows(run(area, "plans", service_point_id="sp-ran")) == [(date(2026, 11, 1), 0, 0, 1, 1)]


def test_municipal_split_against_the_statistics(area):
    area.reports.set_statistics(STATS)
    table = run(area, "municipal_split")
    # Cost: Rovaniemi 0.5 * 900/1000 + 0.5 * 80/100 = 0.85, Ranua 0.15.
    # Use: Rovaniemi c1 (v1 20, v2 15, v6 30 min) + anonymous at Rovaniemi (v3 5, v9 6):
    # 5 visits, 76 min, 1 customer; Ranua v4: 1, 45 min, 1; Kemi (other) v5: 1, 10 min, 1.
    got = {r[0]: r[1:] for r in table.rows}
    approx = pytest.approx
    assert got["Rovaniemi"] == approx((0.85, 5, 5 / 7, 76 / 60, 76 / 131, 1, 1 / 3))
    assert got["Ranua"] == approx((0.15, 1, 1 / 7, 45 / 60, 45 / 131, 1, 1 / 3))
    assert got["Other municipalities"][1:] == approx((1, 1 / 7, 10 / 60, 10 / 131, 1, 1 / 3))
    assert table.note_args == (("year", "2024"),)


def test_statistics_are_validated_and_need_a_lead(area):
    with pytest.raises(ValidationFailed):
        area.reports.set_statistics({"year": 2024, "municipalities": [
            {"name": "Rovaniemi", "working_age": -1, "broad_unemployment": 3}]})
    area.auth.sign_out()
    area.auth.sign_in("coach", "demo")
    with pytest.raises(PermissionDenied):
        run(area, "plans")


def test_key_figures(area):
    figures = area.reports.key_figures(fx.NOVEMBER)
    assert (figures.visits, figures.walk_in_median_wait, figures.satisfied_share,
            figures.no_show_rate, figures.reviews_overdue) == (7, 15.0, 0.5, 0.4, 2)


def test_every_report_matches_its_registry_entry(area):
    for name, spec in REPORTS.items():
        table = area.reports.run(name, fx.NOVEMBER)
        assert (table.name, table.title) == (name, spec.title)
        keys = [c.key for c in table.columns]
        assert [k for k in keys if k in spec.columns] == list(spec.columns), name
        assert all(len(r) == len(keys) for r in table.rows)


def test_end_before_start_is_refused(area):
    with pytest.raises(ValidationFailed):
        area.reports.run("feedback", ReportFilter(date(2026, 11, 5), date(2026, 11, 1)))


def test_summer_time_periods_agree_with_zoneinfo():
    for start, end in sql.summer_periods(2024, 2027):
        assert start.month == 3 and end.month == 10 and start.hour == end.hour == 1


_engine = create_engine("sqlite://")
_table = Table("t", MetaData(), Column("g", Integer), Column("v", Integer))
_table.metadata.create_all(_engine)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=1, max_size=40))
def test_quantiles_interpolate_like_statistics(values):
    with Session(_engine) as s:
        s.execute(_table.delete())
        s.execute(insert(_table), [{"g": 1, "v": v} for v in values])
        ((n, (median, p90)),) = sql.quantiles(s, _table.c.g, _table.c.v, []).values()
    assert n == len(values)
    assert median == pytest.approx(statistics.median(values))
    if len(values) > 1:
        expected = statistics.quantiles(values, n=10, method="inclusive")[8]
        assert p90 == pytest.approx(expected)


def test_weeks_across_the_end_of_summer_time(area):
    # Sunday 25.10.2026 0.30 is summer time (21.30 UTC on Saturday); Monday 26.10. 0.30
    # is winter time (22.30 UTC on Sunday): one visit in each week.
    with area.ctx.session_factory.begin() as s:
        for vid, day in (("v-sun", 25), ("v-mon", 26)):
            s.add(fx._visit(vid, None, "sp-rov", fx.Channel.PHONE, False, fx.A.INFORMATION,
                            "staff-desk", "team-1", fx.local(day, 0, 30, month=10), 5))
    table = run(area, "visits_by_point", date_from=date(2026, 10, 19),
                date_to=date(2026, 11, 1))
    assert rows(table) == [(date(2026, 10, 19), 0, 1, 1), (date(2026, 10, 26), 0, 2, 2)]
