"""The annual targets (#25): the good / watch / off rule, each figure worked out by hand on
a small area that crosses New Year and the 1.1.2026 change of the initial-interview
deadline, the targets as validated area settings, and `targets show` / `targets set`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from app import cli
from app.i18n import HELSINKI
from app.models import (
    Appointment,
    Customer,
    EffectFollowup,
    Feedback,
    JobSearchPeriod,
    Referral,
    ServiceContract,
    ServiceProvider,
    followup_id,
)
from app.rules import targets as rules
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    CaseExitReason,
    Channel,
    FollowupSituation,
    ReferralState,
    ServiceKind,
)
from app.services.context import AppContext
from app.services.errors import PermissionDenied, ValidationFailed
from tests.factories import open_services

TODAY = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # Tuesday 10.3.2026, 12.00 in Helsinki
INTERVIEW, TALK = AppointmentType.INITIAL_INTERVIEW, AppointmentType.JOB_SEARCH_CONVERSATION
DONE, BOOKED = AppointmentStatus.DONE, AppointmentStatus.BOOKED
R = CaseExitReason


def local(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=HELSINKI).astimezone(UTC)


def build(services) -> None:
    """Customers (registered, unemployed since, active, periods) and what happened:

    c1 registered Mon 22.12.2025: 5 working days (the rule of the registration day) ->
       due Fri 2.1.2026; interview held 2.1. -> on time (January).
    c2 registered Fri 9.1.2026: 10 working days -> due Fri 23.1.; held Mon 26.1. -> late.
    c3 registered Mon 2.2.2026 -> due Mon 16.2.; no interview, but a job-search
       conversation held 16.2. stands for it (as the statutory clock) -> on time.
    c4 registered Mon 2.3.2026 -> due Mon 16.3., after today: not counted yet.
    c5 registered 3.11.2025 -> due 10.11.2025, last year: not counted.
    c6 registered Mon 23.2.2026 -> due Mon 9.3. (yesterday); only booked, and an interview
       of an earlier job search (June 2025) does not count -> missed.
    """
    services.ctx.now = lambda: TODAY
    with services.ctx.session_factory.begin() as s:
        for cid, registered, since, active in (
            ("c1", date(2025, 12, 22), date(2025, 1, 15), True),
            ("c2", date(2026, 1, 9), date(2025, 3, 10), True),
            ("c3", date(2026, 2, 2), date(2025, 6, 1), True),
            ("c4", date(2026, 3, 2), None, True),
            ("c5", date(2025, 11, 3), date(2025, 11, 3), False),
            ("c6", date(2026, 2, 23), date(2026, 2, 1), True),
            ("c7", None, None, False),
            ("c8", None, None, False),
            ("c9", None, None, False),
        ):
            s.add(Customer(id=cid, customer_number=cid.upper(), first_names="Testi",
                           last_name=cid, sort_name=cid, home_municipality="Rovaniemi",
                           service_point_id="sp-rov",
                           coach_id="staff-coach" if cid in ("c1", "c2", "c3", "c4") else None,
                           jobseeker_registered_on=registered, unemployed_since=since,
                           active=active))
        s.flush()
        for pid, cid, opened, closed, reason in (
            ("p1", "c1", date(2025, 12, 22), None, None),
            ("p2", "c2", date(2026, 1, 9), None, None),
            ("p3", "c3", date(2026, 2, 2), None, None),
            ("p4", "c4", date(2026, 3, 2), None, None),
            ("p5", "c5", date(2025, 11, 3), date(2026, 1, 20), R.EMPLOYED_OPEN_MARKET),
            ("p6", "c6", date(2026, 2, 23), None, None),
            ("p7", "c7", date(2026, 2, 1), date(2026, 2, 10), R.MOVED_AWAY),
            ("p8", "c8", date(2026, 2, 3), date(2026, 2, 20), R.STUDIES),
            ("p9", "c9", date(2025, 6, 1), date(2025, 12, 30), R.STUDIES),
        ):
            s.add(JobSearchPeriod(id=pid, customer_id=cid, opened_on=opened, closed_on=closed,
                                  exit_reason=reason))
        for aid, cid, kind, status, at in (
            ("a1", "c1", INTERVIEW, DONE, local(2026, 1, 2)),
            ("a2", "c2", INTERVIEW, DONE, local(2026, 1, 26)),
            ("a3", "c3", TALK, DONE, local(2026, 2, 16, 15)),
            ("a6", "c6", INTERVIEW, BOOKED, local(2026, 3, 12)),
            ("a6old", "c6", INTERVIEW, DONE, local(2025, 6, 2)),
        ):
            s.add(Appointment(id=aid, customer_id=cid, staff_id="staff-coach",
                              service_point_id="sp-rov", type=kind, channel=Channel.SERVICE_POINT,
                              status=status, starts_at=at,
                              ends_at=at.replace(hour=at.hour + 1)))
        # Feedback: 2026 has 5 (January), 4 at 0.30 on New Year's Day (still 31.12. in
        # UTC), 2 (February), 3 (March); 1 on 31.12.2025 is last year's.
        for fid, at, score in (
            ("f1", local(2026, 1, 15), 5), ("f2", local(2026, 1, 1, 0, 30), 4),
            ("f3", local(2026, 2, 5), 2), ("f4", local(2026, 3, 2), 3),
            ("f0", local(2025, 12, 31, 12), 1),
        ):
            s.add(Feedback(id=fid, service_point_id="sp-rov", channel=Channel.SERVICE_POINT,
                           answered_at=at, score=score))


@pytest.fixture
def area(services):
    build(services)
    services.auth.sign_in("lead", "demo")
    return services


# --- the rule ---------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "target", "figure", "expected"), [
    (rules.INTERVIEWS_ON_TIME, 95, 95.0, rules.GOOD),
    (rules.INTERVIEWS_ON_TIME, 95, 94.96, rules.GOOD),  # shown as 95.0 %
    (rules.INTERVIEWS_ON_TIME, 95, 94.9, rules.WATCH),
    (rules.INTERVIEWS_ON_TIME, 95, 90.0, rules.WATCH),  # 5 points below: still watch
    (rules.INTERVIEWS_ON_TIME, 95, 89.9, rules.OFF),
    (rules.LONG_TERM_SHARE, 40, 40.0, rules.GOOD),
    (rules.LONG_TERM_SHARE, 40, 45.0, rules.WATCH),
    (rules.LONG_TERM_SHARE, 40, 45.1, rules.OFF),
    (rules.CASELOAD_MAX, 120, 120, rules.GOOD),
    (rules.CASELOAD_MAX, 120, 132, rules.WATCH),  # 10 % of 120
    (rules.CASELOAD_MAX, 120, 133, rules.OFF),
    (rules.CASELOAD_MAX, 120, None, None),
])
def test_good_watch_off(key, target, figure, expected):
    assert rules.state(rules.BY_KEY[key], target, figure) == expected


@pytest.mark.parametrize(("key", "value", "problem"), [
    (rules.INTERVIEWS_ON_TIME, 100, None),
    (rules.INTERVIEWS_ON_TIME, 0, None),
    (rules.INTERVIEWS_ON_TIME, 100.5, rules.RANGE_PERCENT),
    (rules.LONG_TERM_SHARE, -1, rules.RANGE_PERCENT),
    (rules.CASELOAD_MAX, 500, None),
    (rules.CASELOAD_MAX, 0, rules.RANGE_CASELOAD),
    (rules.CASELOAD_MAX, 501, rules.RANGE_CASELOAD),
    (rules.CASELOAD_MAX, 12.5, rules.RANGE_CASELOAD),
    (rules.CASELOAD_MAX, "120", rules.NOT_A_NUMBER),
    (rules.CASELOAD_MAX, True, rules.NOT_A_NUMBER),
    ("unknown", 1, rules.UNKNOWN_TARGET),
])
def test_target_values_are_checked(key, value, problem):
    assert rules.value_problem(key, value) == problem


def test_parse_accepts_a_decimal_comma_and_percent_sign():
    assert rules.parse("92,5") == 92.5
    assert rules.parse(" 90 % ") == 90
    assert rules.parse("9x") is None
    assert rules.parse("nan") is None


# --- the figures ------------------------------------------------------------------------

def test_figures_by_hand(area):
    report = area.targets.report(2026)
    assert report.through == date(2026, 3, 10)
    jan, feb, mar = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)

    interviews = report.figure(rules.INTERVIEWS_ON_TIME)
    # Due so far: c1, c2 (January), c3 (February), c6 (March); on time c1, c3 and c6,
    # whose interview of June 2025 the statutory clock takes as held (the worklist asks
    # for no interview): the target counts the clock's steps (reports.timeliness).
    assert (interviews.figure, interviews.counted) == (75.0, 4)
    assert interviews.months == ((jan, 50.0), (feb, 100.0), (mar, 100.0))
    assert (interviews.target, interviews.state) == (95, rules.OFF)

    caseload = report.figure(rules.CASELOAD_MAX)
    # c1-c4 open with the one coach; c6 has no coach.
    assert (caseload.figure, caseload.counted, caseload.state) == (4, 1, rules.GOOD)
    assert caseload.months == ((jan, None), (feb, None), (mar, 4))

    long_term = report.figure(rules.LONG_TERM_SHARE)
    # Open today: c1, c2, c3, c4, c6; 12 months unemployed: c1 (15.1.2025) and c2
    # (10.3.2025: exactly twelve months today) -> 2/5. End of January: c1 and c2 open
    # (c5 closed 20.1.), c1 long-term -> 1/2. End of February: c1, c2, c3, c6 -> 1/4.
    assert (long_term.figure, long_term.counted) == (40.0, 5)
    assert long_term.months == ((jan, 50.0), (feb, 25.0), (mar, 40.0))
    assert long_term.state == rules.GOOD  # at most 40 %

    feedback = report.figure(rules.FEEDBACK_SATISFIED)
    # 5 and 4 (New Year's night, local time) of 5, 4, 2, 3; last year's 1 left out.
    assert (feedback.figure, feedback.counted) == (50.0, 4)
    assert feedback.months == ((jan, 100.0), (feb, 0.0), (mar, 0.0))
    assert feedback.state == rules.OFF

    exits = report.figure(rules.WORK_OR_STUDY_EXITS)
    # Closed in 2026: c5 work (January), c7 moved away and c8 studies (February).
    assert exits.counted == 3
    assert exits.figure == pytest.approx(200 / 3)
    assert exits.months == ((jan, 100.0), (feb, 50.0), (mar, None))
    assert exits.state == rules.GOOD  # 66.7 % >= 50 %


def test_the_service_effect_figure_by_hand(area):
    """Six months after each ended service, as the effect report counts it (its total
    row): the follow-up's answer or the case's exit; a point still to come is not
    counted, an unanswered past one counts as not known (not good)."""
    with area.ctx.session_factory.begin() as s:
        s.add(ServiceProvider(id="prov", name="Valmennus Oy", business_id="1572860-0"))
        s.flush()
        s.add(ServiceContract(id="con", provider_id="prov",
                              service=ServiceKind.INDIVIDUAL_COACHING, title="Valmennus",
                              starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31),
                              places=None, unit_price_cents=100000))
        s.flush()
        for rid, cid, state, ended in (
            ("r1", "c1", ReferralState.COMPLETED, date(2025, 8, 15)),  # point 15.2.
            ("r2", "c2", ReferralState.INTERRUPTED, date(2025, 7, 20)),  # 20.1., no answer
            ("r3", "c3", ReferralState.COMPLETED, date(2025, 10, 1)),  # 1.4.: to come
            ("r8", "c8", ReferralState.COMPLETED, date(2025, 8, 25)),  # 25.2.: c8's exit
        ):
            s.add(Referral(id=rid, customer_id=cid, contract_id="con", state=state,
                           proposed_on=date(2025, 1, 2), sent_on=date(2025, 1, 3),
                           started_on=date(2025, 2, 1), ended_on=ended))
        s.flush()
        s.add(EffectFollowup(id=followup_id("r1", 6), customer_id="c1", referral_id="r1",
                             months=6, due_on=date(2026, 2, 15),
                             situation=FollowupSituation.EMPLOYED_OPEN_MARKET,
                             answered_on=date(2026, 2, 16)))
    effect = area.targets.report(2026).figure(rules.SERVICE_EFFECT)
    jan, feb, mar = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
    # Counted: r2 (January: no answer, no exit: not known), r1 (February: employed) and
    # r8 (February: c8's case closed for studies on 20.2., before its point 25.2.); r3's
    # point (1.4.) is still to come.
    assert effect.months == ((jan, 0.0), (feb, 100.0), (mar, None))
    assert (effect.figure, effect.counted) == (pytest.approx(200 / 3), 3)
    assert (effect.target, effect.state) == (45, rules.GOOD)


def test_an_earlier_year_and_a_year_not_begun(area):
    report = area.targets.report(2025)
    assert report.through == date(2025, 12, 31)
    assert report.figure(rules.CASELOAD_MAX).figure is None  # today's only
    assert report.figure(rules.WORK_OR_STUDY_EXITS).counted == 1  # c9's studies
    later = area.targets.report(2027)
    assert later.through is None
    assert all(f.figure is None and f.state is None for f in later.figures)


def test_targets_are_area_settings_per_year(area):
    assert area.targets.targets(2026)[rules.INTERVIEWS_ON_TIME] == 95  # the default
    area.targets.set_targets(2026, {rules.INTERVIEWS_ON_TIME: 50, rules.CASELOAD_MAX: 3})
    report = area.targets.report(2026)
    assert report.figure(rules.INTERVIEWS_ON_TIME).state == rules.GOOD  # 50 % >= 50 %
    assert report.figure(rules.CASELOAD_MAX).state == rules.OFF  # 4 > 3 + 10 %
    assert area.targets.targets(2027)[rules.CASELOAD_MAX] == 120  # 2027 keeps the default
    assert area.settings.get("annual_targets") == {
        "2026": {rules.INTERVIEWS_ON_TIME: 50, rules.CASELOAD_MAX: 3}}


def test_bad_targets_are_refused_and_nothing_saved(area):
    with pytest.raises(ValidationFailed) as refused:
        area.targets.set_targets(2026, {rules.INTERVIEWS_ON_TIME: 90,
                                        rules.FEEDBACK_SATISFIED: 101,
                                        rules.CASELOAD_MAX: 0})
    assert refused.value.errors == {rules.FEEDBACK_SATISFIED: rules.RANGE_PERCENT,
                                    rules.CASELOAD_MAX: rules.RANGE_CASELOAD}
    assert area.targets.targets(2026)[rules.INTERVIEWS_ON_TIME] == 95
    # The area setting itself is checked too, whoever writes it.
    with pytest.raises(ValidationFailed):
        area.settings.set("annual_targets", {"2026": {rules.CASELOAD_MAX: 999}})
    with pytest.raises(ValidationFailed):
        area.settings.set("annual_target_defaults", {rules.LONG_TERM_SHARE: -5})


def test_a_coach_cannot_set_or_read_targets(area):
    area.auth.sign_out()
    area.auth.sign_in("coach", "demo")
    with pytest.raises(PermissionDenied):
        area.targets.set_targets(2026, {rules.CASELOAD_MAX: 100})
    with pytest.raises(PermissionDenied):
        area.settings.set("annual_targets", {"2026": {rules.CASELOAD_MAX: 100}})
    with pytest.raises(PermissionDenied):
        area.targets.report(2026)
    assert area.settings.get("annual_targets") == {}


# --- the command line -------------------------------------------------------------------

def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_show_and_set(capsys, tmp_path, monkeypatch):
    services = open_services(tmp_path)
    build(services)
    services.close()
    monkeypatch.setattr(AppContext, "today", lambda _self: TODAY.date())
    db = str(tmp_path / "desk.sqlite3")
    code, out, _err = run(capsys, "targets", "show", "--year", "2026", "--db", db, "--json",
                          "--user", "lead")
    assert code == 0
    shown = {t["key"]: t for t in json.loads(out)["targets"]}
    assert shown[rules.INTERVIEWS_ON_TIME]["figure"] == 75.0
    assert shown[rules.INTERVIEWS_ON_TIME]["state"] == "off"
    assert shown[rules.WORK_OR_STUDY_EXITS]["figure"] == 66.7
    assert shown[rules.LONG_TERM_SHARE]["months"][0] == {"month": "2026-01", "figure": 50.0}

    code, out, _err = run(capsys, "targets", "set", rules.INTERVIEWS_ON_TIME, "50",
                          "--year", "2026", "--db", db, "--user", "lead")
    assert code == 0 and "50" in out
    code, out, _err = run(capsys, "targets", "show", "--year", "2026", "--db", db)
    assert code == 0 and "Initial interviews on time" in out and "≥ 50 %" in out
    assert "Good" in out  # 50 % against 50 %

    code, _out, err = run(capsys, "targets", "set", rules.CASELOAD_MAX, "0", "--year",
                          "2026", "--db", db)
    assert code == 1 and "500" in err
    code, _out, err = run(capsys, "targets", "set", rules.CASELOAD_MAX, "100", "--year",
                          "2026", "--db", db, "--user", "coach")
    assert code == 1 and err
    code, _out, err = run(capsys, "targets", "set", rules.CASELOAD_MAX, "lots", "--year",
                          "2026", "--db", db)
    assert code == 2 and "lots" in err
