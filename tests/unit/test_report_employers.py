"""The employer-services figures (#22) against a small fixture whose every figure is worked
out by hand below: contacts by team, staff and month; employers reached for the first
time; vacancies by status; proposals, interviews and hires per vacancy; the hires of
long-term unemployed and partial-work-ability job seekers (groups on the hire day)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app import cli
from app.dto.reports import ReportFilter
from app.models import (
    CaseFacts,
    Customer,
    Employer,
    EmployerContact,
    JobProposal,
    ServicePoint,
    Staff,
    Team,
    Vacancy,
    case_facts_id,
)
from app.rules.codes import (
    EmployerChannel,
    EmployerTopic,
    ProposalOutcome,
    Role,
    ServiceArea,
    ServicePointMode,
    VacancyStatus,
)
from app.rules.employers import employer_id, proposal_id
from app.services.reports.members import TOTAL_ROW
from tests.factories import Clock, customer_input

YEAR = ReportFilter(date(2026, 1, 1), date(2026, 12, 31))
TEAM_1 = ReportFilter(date(2026, 1, 1), date(2026, 12, 31), team_id="team-1")
TEAM_2 = ReportFilter(date(2026, 1, 1), date(2026, 12, 31), team_id="team-2")
RANUA = ReportFilter(date(2026, 1, 1), date(2026, 12, 31), service_point_id="sp-ran")
C = EmployerChannel
O = ProposalOutcome  # noqa: E741 - as the codes read
FEB, MAR, APR, MAY = (date(2026, m, 1) for m in (2, 3, 4, 5))

FIRST = {401: "Anni", 402: "Bertta", 403: "Carita", 404: "Daniel"}
E1, E2, E3 = employer_id("2077474-0"), employer_id("0112038-9"), employer_id("1572860-0")


@pytest.fixture
def area(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("admin", "demo")
    ids = build(services)
    return services, ids


def customer(services, individual, since, point="sp-rov"):
    cid = services.customers.create(customer_input(
        "Työnhakija", FIRST[individual], date(1980, 1, 1), individual,
        jobseeker_registered_on=since, unemployed_since=since)).id
    with services.ctx.session_factory.begin() as s:
        s.get(Customer, cid).service_point_id = point
    return cid


def contact(s, eid, day, staff, channel, deleted=False):
    s.add(EmployerContact(employer_id=eid, contacted_on=day, staff_id=staff, channel=channel,
                          topic=EmployerTopic.RECRUITMENT,
                          deleted_at=datetime(2026, 6, 1, tzinfo=UTC) if deleted else None))


def vacancy(s, vid, eid, title, opened, status, closed=None, staff="staff-coach",
            positions=1, hidden=False, subsidy=False):
    s.add(Vacancy(id=vid, employer_id=eid, title=title, municipality="Rovaniemi",
                  opened_on=opened, status=status, closed_on=closed, staff_id=staff,
                  positions=positions, hidden=hidden, pay_subsidy_possible=subsidy))


def proposal(s, vid, cid, proposed, outcome, outcome_on=None, by="staff-coach"):
    s.add(JobProposal(id=proposal_id(vid, cid), vacancy_id=vid, customer_id=cid,
                      proposed_by=by, proposed_on=proposed, outcome=outcome,
                      outcome_on=outcome_on))


def build(services):
    with services.ctx.session_factory.begin() as s:
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           mode=ServicePointMode.APPOINTMENT))
        s.add(Team(id="team-2", name="Yrityspalvelut", service_area=ServiceArea.EMPLOYER))
        s.flush()
        s.add(Staff(id="staff-rami", username="rami", full_name="Rami Ranua", role=Role.COACH,
                    team_id="team-2", service_point_id="sp-ran"))
        for eid, bid, name in ((E1, "2077474-0", "Aurora Kone Oy"),
                               (E2, "0112038-9", "Borealis Hotelli Oy"),
                               (E3, "1572860-0", "Castrén Rakennus Oy")):
            s.add(Employer(id=eid, business_id=bid, name=name, municipality="Rovaniemi"))
        s.flush()
        # E1 was first reached in 2025; E2 in February (the coach's visit); E3 in March
        # (Rami's meeting: its January contact was deleted).
        contact(s, E1, date(2025, 12, 10), "staff-coach", C.VISIT)
        contact(s, E1, date(2026, 2, 3), "staff-coach", C.PHONE)
        contact(s, E1, date(2026, 2, 20), "staff-lead", C.EMAIL)
        contact(s, E2, date(2026, 2, 5), "staff-coach", C.VISIT)
        contact(s, E2, date(2026, 3, 1), "staff-rami", C.PHONE)
        contact(s, E2, date(2026, 3, 20), None, C.EVENT)
        contact(s, E3, date(2026, 1, 5), "staff-rami", C.PHONE, deleted=True)
        contact(s, E3, date(2026, 3, 15), "staff-rami", C.MEETING)
        vacancy(s, "v1", E1, "Koneistaja", date(2026, 2, 1), VacancyStatus.FILLED,
                date(2026, 3, 1), positions=2, hidden=True)
        vacancy(s, "v2", E2, "Kokki", date(2026, 2, 10), VacancyStatus.OPEN,
                staff="staff-rami", positions=2, subsidy=True)
        vacancy(s, "v3", E3, "Kirvesmies", date(2026, 4, 1), VacancyStatus.CANCELLED,
                date(2026, 4, 10))
        vacancy(s, "v4", E1, "Asentaja", date(2025, 11, 1), VacancyStatus.CLOSED,
                date(2026, 1, 15))
        vacancy(s, "v5", E2, "Siivooja", date(2025, 5, 1), VacancyStatus.CLOSED,
                date(2025, 8, 1))
    c1 = customer(services, 401, date(2024, 1, 1))  # long-term unemployed
    c2 = customer(services, 402, date(2025, 10, 1), point="sp-ran")  # partial since Jan
    c3 = customer(services, 403, date(2026, 1, 1))  # partial only from June
    c4 = customer(services, 404, date(2026, 1, 1))
    with services.ctx.session_factory.begin() as s:
        s.add(CaseFacts(id=case_facts_id(c2), customer_id=c2, partial_work_ability=True,
                        work_ability_since=date(2026, 1, 1)))
        s.add(CaseFacts(id=case_facts_id(c3), customer_id=c3, partial_work_ability=True,
                        work_ability_since=date(2026, 6, 1)))
        proposal(s, "v1", c1, date(2026, 2, 2), O.HIRED, date(2026, 2, 20))
        proposal(s, "v1", c2, date(2026, 2, 2), O.NOT_CHOSEN, date(2026, 2, 25))
        proposal(s, "v1", c4, date(2026, 2, 2), O.INTERVIEWED, date(2026, 2, 15))
        proposal(s, "v2", c2, date(2026, 2, 12), O.HIRED, date(2026, 3, 10), by="staff-rami")
        proposal(s, "v2", c3, date(2026, 2, 12), O.HIRED, date(2026, 5, 10))
        proposal(s, "v2", c4, date(2026, 2, 12), O.APPLIED, date(2026, 2, 20))
        proposal(s, "v4", c3, date(2025, 12, 1), O.PROPOSED)
        proposal(s, "v5", c4, date(2025, 6, 1), O.HIRED, date(2025, 7, 1))
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4}


def run(services, name, f=YEAR):
    return services.reports.run(name, f)


def by_month(table):
    return {row[0]: row[1:] for row in table.rows}


def test_contacts_by_team_staff_and_month(area):
    services, _ids = area
    table = run(services, "employer_contacts")
    # visit, phone, e-mail, meeting, event, total
    assert [tuple(r) for r in table.rows] == [
        (FEB, "Työnvälitys", "Liisa Lead", 0, 0, 1, 0, 0, 1),
        (FEB, "Työnvälitys", "Pekka Ylitalo", 1, 1, 0, 0, 0, 2),
        (MAR, "No team", "Not recorded", 0, 0, 0, 0, 1, 1),
        (MAR, "Yrityspalvelut", "Rami Ranua", 0, 1, 0, 1, 0, 2),
    ]
    assert table.total == ("Total", None, None, 1, 2, 1, 1, 1, 6)
    assert [r[2] for r in run(services, "employer_contacts", TEAM_1).rows] == [
        "Liisa Lead", "Pekka Ylitalo"]
    assert [r[2] for r in run(services, "employer_contacts", RANUA).rows] == ["Rami Ranua"]
    assert table.members == {}  # employers, not customers


def test_employers_reached_for_the_first_time(area):
    services, _ids = area
    table = run(services, "employers_first_reached")
    assert len(table.rows) == 12
    months = by_month(table)
    assert months[FEB] == (1, 0, 0, 0, 0, 1)  # E2 by a visit
    assert months[MAR] == (0, 0, 0, 1, 0, 1)  # E3 at a meeting (January's was deleted)
    assert months[date(2026, 1, 1)][-1] == 0
    assert table.total == ("Total", 1, 0, 0, 1, 0, 2)
    assert run(services, "employers_first_reached", TEAM_1).total[-1] == 1
    assert run(services, "employers_first_reached", TEAM_2).total[-1] == 1
    # Reached in 2025 counts there, not in 2026.
    assert run(services, "employers_first_reached", ReportFilter(
        date(2025, 1, 1), date(2025, 12, 31))).total[-1] == 1


def test_vacancies_by_status(area):
    services, _ids = area
    table = run(services, "vacancies_by_status")
    months = by_month(table)
    # open, filled, closed, cancelled, total, hidden, pay subsidy possible
    assert months[FEB] == (1, 1, 0, 0, 2, 1, 1)
    assert months[APR] == (0, 0, 0, 1, 1, 0, 0)
    assert table.total == ("Total", 1, 1, 0, 1, 3, 1, 1)
    assert run(services, "vacancies_by_status", TEAM_2).total == (
        "Total", 1, 0, 0, 0, 1, 0, 1)


def test_proposals_interviews_and_hires_per_vacancy(area):
    services, ids = area
    table = run(services, "vacancy_proposals")
    # The vacancies open within the year (Asentaja closed in January; Siivooja in 2025),
    # the most proposed first, then by employer and title.
    assert [tuple(r) for r in table.rows] == [
        ("Aurora Kone Oy", "Koneistaja", "Filled", 2, 3, 2, 1, 1),
        ("Borealis Hotelli Oy", "Kokki", "Open", 2, 3, 2, 2, 0),
        ("Aurora Kone Oy", "Asentaja", "Closed without a hire", 1, 1, 0, 0, 0),
        ("Castrén Rakennus Oy", "Kirvesmies", "Cancelled", 1, 0, 0, 0, 0),
    ]
    assert table.total == ("Total", None, None, 6, 7, 4, 3, 1)
    assert table.members_of(0, "hired") == (ids["c1"],)
    assert sorted(table.members_of(1, "hired")) == sorted((ids["c2"], ids["c3"]))
    assert len(table.members_of(TOTAL_ROW, "proposed")) == 7
    assert [r[1] for r in run(services, "vacancy_proposals", TEAM_2).rows] == ["Kokki"]


def test_hires_of_long_term_unemployed_and_partial_work_ability(area):
    services, ids = area
    table = run(services, "employer_hires")
    months = by_month(table)
    assert months[FEB] == (1, 1, 0)  # long-term unemployed since 2024
    assert months[MAR] == (1, 0, 1)  # partial work ability since January
    assert months[MAY] == (1, 0, 0)  # partial work ability only from June
    assert table.total == ("Total", 3, 1, 1)
    assert table.members_of(TOTAL_ROW, "long_term") == (ids["c1"],)
    assert table.members_of(TOTAL_ROW, "partial_work_ability") == (ids["c2"],)
    assert run(services, "employer_hires", TEAM_1).total == ("Total", 2, 1, 0)
    assert run(services, "employer_hires", RANUA).total == ("Total", 1, 0, 1)
    assert run(services, "employer_hires", ReportFilter(
        date(2025, 1, 1), date(2025, 12, 31))).total == ("Total", 1, 0, 0)


def test_the_figures_on_the_command_line(area, capsys):
    services, _ids = area
    db = services.ctx.engine.url.database
    services.close()
    assert cli.main(["report", "vacancy_proposals", "--db", db, "--from", "2026-01-01",
                     "--to", "2026-12-31", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Job seekers proposed, interviewed and hired per vacancy" in out
    assert "Borealis Hotelli Oy" in out and "Kokki" in out
