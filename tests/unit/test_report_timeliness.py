"""The statutory timeliness reports against figures worked out by hand, on a small area
whose deadlines cross the 1.1.2026 rule change (5 -> 10 working days for the initial
interview, by the rule of the registration day) and the Christmas, New Year and
Epiphany holidays; and against Today's worklist for the same customers.

Working days: Monday to Friday, not public holidays (25.12., 26.12., 1.1., 6.1.), not
Christmas Eve (24.12.). New Year's Eve 31.12. is a working day. Times are local.

Today is Monday 16.2.2026. The period is 1.12.2025-28.2.2026 unless a test says so.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from app.dto.reports import ReportFilter
from app.i18n import HELSINKI
from app.models import (
    Appointment,
    CaseFacts,
    Customer,
    JobSearchPeriod,
    Plan,
    PlanVersion,
    ServicePoint,
    Staff,
    Team,
    case_facts_id,
)
from app.models.coaching import CustomerBarrier
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    CaseExitReason,
    Channel,
    PlanStatus,
    PlanType,
    Role,
    ServiceArea,
    ServicePointMode,
)
from app.services.reports import timeliness

T = AppointmentType
TODAY = date(2026, 2, 16)  # a Monday
PERIOD = ReportFilter(date(2025, 12, 1), date(2026, 2, 28))


def local(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=HELSINKI).astimezone(UTC)


def at(today: date) -> datetime:
    return local(today, 12)


# Customers: id, registered, born, unemployed since, first residence permit, point, coach,
# closed (the day the case ended; None: open).
CUSTOMERS = (
    # Initial interviews due in the period.
    ("i1", date(2025, 12, 22), date(1965, 1, 10), date(2025, 12, 22), None, None),
    ("i2", date(2026, 1, 2), date(1985, 3, 3), date(2026, 1, 2), None, None),
    ("i3", date(2025, 12, 29), date(1990, 4, 4), date(2025, 12, 29), date(2024, 6, 1), None),
    ("i4", date(2026, 2, 9), date(1991, 5, 5), date(2026, 2, 9), None, None),
    ("i5", date(2025, 12, 1), date(1992, 6, 6), date(2025, 12, 1), None, date(2025, 12, 3)),
    ("i6", date(2025, 12, 15), date(2000, 5, 5), date(2025, 12, 15), None, None),
    # Job-search conversations and plan reviews due in the period (the interviews were
    # due before it).
    ("j1", date(2025, 9, 22), date(1980, 1, 1), date(2025, 9, 22), None, None),
    ("j2", date(2025, 10, 1), date(1981, 1, 1), date(2024, 11, 1), None, None),
    ("j3", date(2025, 11, 12), date(1982, 1, 1), date(2025, 11, 12), None, None),
    ("j4", date(2025, 10, 29), date(1983, 1, 1), date(2025, 10, 29), None, None),
    ("j5", date(2025, 8, 28), date(1984, 1, 1), date(2025, 8, 28), None, date(2025, 11, 20)),
    ("j6", date(2025, 8, 28), date(1985, 1, 1), date(2025, 8, 28), None, None),
)

# Meetings held (status done): customer, kind, day.
HELD = (
    ("i1", T.INITIAL_INTERVIEW, date(2026, 1, 2)),
    ("i2", T.INITIAL_INTERVIEW, date(2026, 1, 22)),
    # i6 has no initial interview recorded: the first job-search conversation stands for it.
    ("i6", T.JOB_SEARCH_CONVERSATION, date(2025, 12, 19)),
    ("j1", T.INITIAL_INTERVIEW, date(2025, 9, 24)),
    ("j1", T.JOB_SEARCH_CONVERSATION, date(2025, 12, 29)),
    ("j2", T.INITIAL_INTERVIEW, date(2025, 10, 6)),
    ("j2", T.JOB_SEARCH_CONVERSATION, date(2026, 1, 12)),
    ("j3", T.INITIAL_INTERVIEW, date(2025, 11, 17)),
    ("j4", T.INITIAL_INTERVIEW, date(2025, 11, 3)),
    # Neither restarts the clock nor holds the job-search conversation.
    ("j4", T.SUPPLEMENTARY_CONVERSATION, date(2026, 2, 10)),
    ("j4", T.MULTI_PROFESSIONAL, date(2026, 2, 11)),
    ("j5", T.INITIAL_INTERVIEW, date(2025, 9, 1)),
    ("j6", T.INITIAL_INTERVIEW, date(2025, 9, 1)),
    ("j6", T.JOB_SEARCH_CONVERSATION, date(2025, 11, 28)),
    ("j6", T.PLAN_REVIEW, date(2026, 2, 16)),
)

# Plan versions: plan, customer, number, status, accepted, review date.
PLANS = (
    ("p1", "j1", 1, PlanStatus.ACCEPTED, date(2025, 9, 24), date(2025, 12, 24)),
    ("p2", "j2", 1, PlanStatus.SUPERSEDED, date(2025, 10, 6), date(2026, 1, 6)),
    ("p2", "j2", 2, PlanStatus.ACCEPTED, date(2026, 1, 9), date(2026, 4, 9)),
    ("p3", "j4", 1, PlanStatus.ACCEPTED, date(2025, 11, 3), date(2026, 2, 3)),
    ("p4", "i1", 1, PlanStatus.ACCEPTED, date(2026, 1, 2), date(2026, 3, 2)),
    ("p5", "j5", 1, PlanStatus.ACCEPTED, date(2025, 9, 1), date(2025, 12, 1)),
    ("p6", "j6", 1, PlanStatus.ACCEPTED, date(2025, 9, 1), date(2026, 2, 20)),
)


def build(services, today: date = TODAY) -> None:
    services.ctx.now = lambda: at(today)
    with services.ctx.session_factory.begin() as s:
        s.add_all([
            ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                         mode=ServicePointMode.APPOINTMENT),
            Team(id="team-2", name="Osaaminen", service_area=ServiceArea.SKILLS),
        ])
        s.flush()
        s.add(Staff(id="staff-coach2", username="riikka", full_name="Riikka Ranua",
                    role=Role.COACH, team_id="team-2", service_point_id="sp-ran"))
        s.flush()
        for cid, registered, born, since, permit, closed in CUSTOMERS:
            # i2 is Ranua's, in team 2; everyone else the Rovaniemi coach's.
            point, coach = ("sp-ran", "staff-coach2") if cid == "i2" else (
                "sp-rov", "staff-coach")
            s.add(Customer(id=cid, customer_number=cid.upper(), first_names="Testi",
                           last_name=cid, sort_name=cid, home_municipality="Rovaniemi",
                           service_point_id=point, coach_id=coach, birth_date=born,
                           jobseeker_registered_on=registered, unemployed_since=since,
                           first_residence_permit_on=permit, active=closed is None))
        s.flush()
        for cid, registered, *_rest, closed in CUSTOMERS:
            if closed is not None:
                s.add(JobSearchPeriod(id=f"period-{cid}", customer_id=cid, opened_on=registered,
                                      closed_on=closed, exit_reason=CaseExitReason.OTHER))
        s.add(CaseFacts(id=case_facts_id("i2"), customer_id="i2", partial_work_ability=True))
        for barrier in ("debt", "health", "skills"):
            s.add(CustomerBarrier(customer_id="i2", barrier=barrier))
        for n, (cid, kind, day) in enumerate(HELD):
            s.add(Appointment(id=f"a{n}", customer_id=cid, staff_id="staff-coach",
                              service_point_id="sp-rov", type=kind,
                              channel=Channel.SERVICE_POINT, status=AppointmentStatus.DONE,
                              starts_at=local(day), ends_at=local(day) + timedelta(hours=1)))
        for plan_id, cid, *_rest in PLANS:
            if s.get(Plan, plan_id) is None:
                s.add(Plan(id=plan_id, customer_id=cid, plan_type=PlanType.EMPLOYMENT,
                           coach_id="staff-coach"))
                s.flush()
        for plan_id, _cid, number, status, accepted, review in PLANS:
            s.add(PlanVersion(id=f"{plan_id}v{number}", plan_id=plan_id, number=number,
                              status=status, accepted_at=local(accepted),
                              next_review_on=review))


@pytest.fixture
def area(services):
    build(services)
    services.auth.sign_in("lead", "demo")
    return services


def by_group(table) -> dict[str, tuple]:
    """Each group's figures: (due, on time, late, not yet held, not yet due, share,
    median days late), keyed by the group's message id."""
    return {str(row[0]): tuple(row[1:]) for row in table.rows}


NONE = (0, 0, 0, 0, 0, None, None)


def test_initial_interviews_by_hand(area):
    # i1 registered Mon 22.12.2025: the 2025 rule, 5 working days: 23.12. (1), 24.-28.12.
    #    not, 29. (2), 30. (3), 31. (4), 1.1. not, Fri 2.1.2026 (5). Held 2.1.: on time.
    # i2 registered Fri 2.1.2026: the 2026 rule, 10 working days: 5.1. (1), 6.1. not,
    #    7.-9.1. (2-4), 12.-16.1. (5-9), Mon 19.1. (10). Held Thu 22.1.: 3 days late.
    # i3 registered Mon 29.12.2025: 5 working days by the rule of the registration day
    #    (although due in 2026): 30.12. (1), 31.12. (2), 2.1. (3), 5.1. (4), 6.1. not,
    #    Wed 7.1. (5). Never held: overdue 7.1. -> 16.2. = 40 days.
    # i4 registered Mon 9.2.2026: 10 working days -> Mon 23.2.: not yet due today.
    # i5 registered Mon 1.12.2025, due Mon 8.12., but the case ended 3.12.: not counted.
    # i6 registered Mon 15.12.2025 -> Mon 22.12.; a job-search conversation held 19.12.
    #    stands for the interview: on time.
    # The j customers' interviews were due in September-November: outside the period.
    table = area.reports.run("initial_interviews_on_time", PERIOD)
    assert [c.key for c in table.columns] == list(timeliness.COLUMNS)
    figures = by_group(table)
    # 5 due (i1 i2 i3 i4 i6); on time i1 i6; late i2; missing i3; pending i4.
    # Share: 2 of the 4 decided; median days late of 3 and 40: 21.5.
    assert figures["All customers"] == (5, 2, 1, 1, 1, 0.5, 21.5)
    # i6 born 5.5.2000: 25 on 22.12.2025.
    assert figures["Under 30"] == (1, 1, 0, 0, 0, 1.0, None)
    # i1 born 10.1.1965: 60 on 2.1.2026.
    assert figures["55 and over"] == (1, 1, 0, 0, 0, 1.0, None)
    # i2: partial work ability (case facts) and three barriers; held 3 days late.
    assert figures["Partial work ability"] == (1, 0, 1, 0, 0, 0.0, 3.0)
    assert figures["Three or more barriers"] == (1, 0, 1, 0, 0, 0.0, 3.0)
    # i3: first residence permit 1.6.2024, within three years on 7.1.2026.
    assert figures["Integration period"] == (1, 0, 0, 1, 0, 0.0, 40.0)
    # Nobody is long-term unemployed when registering.
    assert figures["Long-term unemployed"] == NONE


def test_job_search_conversations_by_hand(area):
    # j1: interview Wed 24.9.2025 -> three months: 24.12. Christmas Eve, 25.-26. holidays,
    #     weekend -> due Mon 29.12.2025; held 29.12.: on time. The next from 29.12.:
    #     29.3.2026 (a Sunday -> 30.3.): after the period.
    # j2: interview Mon 6.10.2025 -> 6.1.2026 Epiphany -> due Wed 7.1.; held Mon 12.1.:
    #     5 days late. The next 12.4.2026: after the period.
    # j3: interview Mon 17.11.2025 -> due Tue 17.2.2026: not yet due today.
    # j4: interview Mon 3.11.2025 -> due Tue 3.2.2026; a supplementary conversation and a
    #     multi-professional meeting held do not count: overdue 3.2. -> 16.2. = 13 days.
    # j5: due Mon 1.12.2025, but the case ended 20.11.2025: not counted.
    # j6: interview Mon 1.9.2025 -> due Mon 1.12.2025; held Fri 28.11.: on time. The next
    #     from 28.11.: 28.2.2026 is a Saturday -> Mon 2.3.: after the period. (The plan
    #     review held 16.2. does not restart the clock.)
    # i6: from the conversation 19.12.2025 -> Thu 19.3.2026; i1 (2.1.) -> 2.4., i2 (22.1.)
    # -> 22.4.: all after the period.
    figures = by_group(area.reports.run("job_search_conversations_on_time", PERIOD))
    # 5 due; on time j1 j6; late j2; missing j4; pending j3; median of 5 and 13: 9.
    assert figures["All customers"] == (5, 2, 1, 1, 1, 0.5, 9.0)
    # j2 unemployed since 1.11.2024: over 12 months on 7.1.2026.
    assert figures["Long-term unemployed"] == (1, 0, 1, 0, 0, 0.0, 5.0)
    assert figures["Under 30"] == NONE
    # To 31.3. the period also takes, not yet due: j6's next one (Mon 2.3.2026), i6's
    # (19.3.) and j1's (Mon 30.3.).
    longer = by_group(area.reports.run("job_search_conversations_on_time",
                                       replace(PERIOD, date_to=date(2026, 3, 31))))
    assert longer["All customers"][:5] == (8, 2, 1, 1, 4)


def test_plan_reviews_by_hand(area):
    # p1 (j1): review 24.12.2025 Christmas Eve -> due Mon 29.12.; the job-search
    #     conversation held 29.12. reviews it: on time.
    # p2 (j2): review 6.1.2026 Epiphany -> due Wed 7.1.; version 2 accepted Fri 9.1.:
    #     2 days late. (Version 2's review 9.4.2026 falls after the period.)
    # p3 (j4): review Tue 3.2.2026; only a supplementary conversation and a
    #     multi-professional meeting since: overdue 13 days.
    # p4 (i1): review 2.3.2026: after the period.
    # p5 (j5): review 1.12.2025, but the case ended 20.11.2025: not counted.
    # p6 (j6): review Fri 20.2.2026, not yet due, but a plan review held today 16.2.:
    #     on time.
    figures = by_group(area.reports.run("plan_reviews_on_time", PERIOD))
    # 4 due; on time p1 p6; late p2; missing p3; median of 2 and 13: 7.5.
    assert figures["All customers"] == (4, 2, 1, 1, 0, 0.5, 7.5)


def test_service_point_and_team_filters(area):
    # Only i2 is Ranua's (and team 2's): due 19.1.2026, held 3 days late.
    for changes in ({"service_point_id": "sp-ran"}, {"team_id": "team-2"}):
        figures = by_group(area.reports.run("initial_interviews_on_time",
                                            replace(PERIOD, **changes)))
        assert figures["All customers"] == (1, 0, 1, 0, 0, 0.0, 3.0)
        conversations = area.reports.run("job_search_conversations_on_time",
                                         replace(PERIOD, **changes))
        assert by_group(conversations)["All customers"] == NONE
    # Rovaniemi: everyone else.
    figures = by_group(area.reports.run("initial_interviews_on_time",
                                        replace(PERIOD, service_point_id="sp-rov")))
    assert figures["All customers"] == (4, 2, 0, 1, 1, 2 / 3, 40.0)


@pytest.mark.parametrize("today", [date(2025, 12, 10), date(2026, 1, 8), date(2026, 1, 20),
                                   date(2026, 2, 4), TODAY])
def test_overdue_agrees_with_the_worklist(services, today):
    """For the same customers on the same day, the worklist's overdue initial interviews
    and job-search conversations are the report's overdue and still not held (from the
    first day any was due up to today; nothing is booked in this area)."""
    build(services, today)
    services.auth.sign_in("coach", "demo")
    overdue = [i for i in services.clock.worklist() if i.overdue]
    services.auth.sign_out()
    services.auth.sign_in("lead", "demo")
    # The Rovaniemi coach's customers: the worklist is theirs.
    period = ReportFilter(date(2025, 1, 1), today, service_point_id="sp-rov")
    for report, kind in (("initial_interviews_on_time", "initial_interview"),
                         ("job_search_conversations_on_time", "job_search_conversation")):
        figures = by_group(services.reports.run(report, period))
        items = [i for i in overdue if i.kind == kind]
        assert figures["All customers"][3] == len(items), (report, today)
    # On the last day: i3's interview (due 7.1.) and j4's conversation (due 3.2.).
    if today == TODAY:
        assert sorted((i.customer_id, i.kind) for i in overdue
                      if i.kind in ("initial_interview", "job_search_conversation")) == [
            ("i3", "initial_interview"), ("j4", "job_search_conversation")]


def test_the_rules_are_the_clocks():
    # Due days by the clock's own functions, across the change and the holidays.
    assert timeliness.interview_due(date(2025, 12, 22)) == date(2026, 1, 2)
    assert timeliness.interview_due(date(2026, 1, 2)) == date(2026, 1, 19)
    assert timeliness.interview_due(date(2025, 12, 29)) == date(2026, 1, 7)
    assert timeliness.conversation_due(date(2025, 9, 24)) == date(2025, 12, 29)
    assert timeliness.conversation_due(date(2025, 11, 28)) == date(2026, 3, 2)


def test_command_line_with_point_and_team(services, tmp_path, capsys):
    """`report NAME --point/--team`, listed by `report --help`. The command runs on the
    wall clock, so only the figures that do not depend on today are checked."""
    import csv
    import io

    from app import cli

    build(services)
    services.close()
    db = str(tmp_path / "desk.sqlite3")
    with pytest.raises(SystemExit):
        cli.main(["report", "--help"])
    listed = capsys.readouterr().out
    assert all(name in listed for name in ("initial_interviews_on_time",
                                           "job_search_conversations_on_time",
                                           "plan_reviews_on_time"))
    for flags in (["--point", "Ranua"], ["--team", "osaaminen"], ["--point", "sp-ran"]):
        out = tmp_path / "out.csv"
        code = cli.main(["report", "initial_interviews_on_time", "--db", db, "--from",
                         "2025-12-01", "--to", "2026-02-28", "--format", "csv", "--out",
                         str(out), "--lang", "en", *flags])
        assert code == 0
        rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig")), delimiter=";"))
        assert rows[0][:4] == ["Group", "Due in the period", "Held on time", "Held late"]
        # Only i2, held 3 days late.
        assert rows[1][:4] == ["All customers", "1", "0", "1"]
    code = cli.main(["report", "plan_reviews_on_time", "--db", db, "--from", "2025-12-01",
                     "--to", "2026-02-28", "--format", "csv", "--out",
                     str(tmp_path / "x.csv"), "--team", "nobody"])
    assert code != 0 and "--team" in capsys.readouterr().err


def test_the_facts_are_read_as_the_worklist_reads_them(area):
    """The report reads the clock's facts in its own queries: the same values as
    statutory_clock_facts.gather, which the worklist and the card use."""
    from sqlalchemy import select

    from app.services.statutory_clock_facts import gather

    fields = ("registered_on", "born", "unemployed_since", "first_permit_on",
              "partial_work_ability", "barriers", "interview_on", "first_conversation_on",
              "last_conversation_on")
    with area.ctx.reading() as s:
        scope = timeliness.read_scope(s, PERIOD)
        theirs = gather(s, select(Customer.id), area.ctx.now(), case_facts=True)
    assert set(scope.facts) == set(theirs) == {c[0] for c in CUSTOMERS}
    for cid, facts in scope.facts.items():
        assert [getattr(facts, n) for n in fields] == [getattr(theirs[cid], n)
                                                       for n in fields], cid
    assert theirs["i6"].interview_on is None and scope.facts["i6"].first_conversation_on
