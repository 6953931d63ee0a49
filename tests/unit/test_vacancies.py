"""Vacancies and matching job seekers (#22): the vacancy form's checks, its status, the
candidates by caseload, group, language, municipality and text (only open cases the
worker may write), one proposal per vacancy and job seeker, the outcomes (a hire
closing the case), who reads the job tips, and a merge moving them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.dto.employers import CandidateFilter, VacancyInput
from app.models import (
    AuditEvent,
    CaseFacts,
    Customer,
    Employer,
    JobProposal,
    JobSearchPeriod,
    Staff,
    StaffCredential,
    Vacancy,
    case_facts_id,
)
from app.rules.codes import CaseExitReason, Role
from app.rules.employers import employer_id, proposal_id
from app.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.factories import Clock, customer_input, verifier

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 24.11.2026 in Helsinki
TODAY = date(2026, 11, 24)
BID = "2077474-0"


def add_employer(services, bid=BID, name="Lapin Kone Oy", active=True) -> str:
    eid = employer_id(bid)
    with services.ctx.session_factory.begin() as s:
        s.add(Employer(id=eid, business_id=bid, name=name, municipality="Rovaniemi",
                       active=active))
    return eid


def add_staff(services, username="coach2", name="Kaisa Toinen", role=Role.COACH,
              team="team-1"):
    with services.ctx.session_factory.begin() as s:
        s.add(Staff(id=f"staff-{username}", username=username, full_name=name, role=role,
                    team_id=team, service_point_id="sp-rov"))
        s.flush()
        s.add(StaffCredential(staff_id=f"staff-{username}", verifier=verifier()))
    return f"staff-{username}"


def new_customer(services, individual, last="Hakija", first="Testi", born=date(1985, 1, 1),
                 coach_id=None, **kw):
    values = dict(jobseeker_registered_on=date(2026, 3, 2), unemployed_since=date(2026, 3, 2))
    values.update(kw)
    cid = services.customers.create(customer_input(last, first, born, individual,
                                                   **values)).id
    if coach_id:
        with services.ctx.session_factory.begin() as s:
            s.get(Customer, cid).coach_id = coach_id
    return cid


def vacancy_input(**kw):
    values = dict(title="Koneistaja", occupation="Koneistaja", municipality="Rovaniemi",
                  positions="2", starts_on=TODAY + timedelta(days=30),
                  apply_by=TODAY + timedelta(days=14))
    values.update(kw)
    return VacancyInput(**values)


def audits(services, action):
    with services.ctx.session_factory() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def coach(services):
    services.ctx.now = Clock(NOW)
    services.auth.sign_in("coach", "demo")
    return services


@pytest.fixture
def vacancy(coach):
    eid = add_employer(coach)
    return coach.vacancies.save_vacancy(eid, vacancy_input())


# --- the vacancy ---------------------------------------------------------------------------


def test_a_new_vacancy_is_open_from_today_and_audited(coach, vacancy):
    assert (vacancy.status, vacancy.opened_on, vacancy.closed_on) == ("open", TODAY, None)
    assert (vacancy.positions, vacancy.employer_name, vacancy.staff_name) == (
        2, "Lapin Kone Oy", "Pekka Ylitalo")
    assert vacancy.staff_id == "staff-coach"
    [event] = audits(coach, "vacancy.create")
    assert event.entity_id == vacancy.id
    edited = coach.vacancies.save_vacancy(vacancy.employer_id, vacancy_input(
        title="CNC-koneistaja", hidden=True, pay_subsidy_possible=True, positions="1"),
        vacancy.id)
    assert (edited.id, edited.title, edited.hidden, edited.pay_subsidy_possible,
            edited.positions) == (vacancy.id, "CNC-koneistaja", True, True, 1)
    assert coach.vacancies.vacancy_form(vacancy.id).title == "CNC-koneistaja"
    assert [r.id for r in coach.vacancies.vacancies(query="cnc")] == [vacancy.id]
    assert coach.vacancies.vacancies(query="kokki") == []
    assert [r.id for r in coach.vacancies.vacancies(employer_id=vacancy.employer_id)] == [
        vacancy.id]


@pytest.mark.parametrize(("changes", "fields"), [
    (dict(title="  ", municipality=""), {"title", "municipality"}),
    (dict(positions="0"), {"positions"}),
    (dict(positions="1,5"), {"positions"}),
    (dict(positions="kaksi"), {"positions"}),
    (dict(apply_by=TODAY - timedelta(days=1)), {"apply_by"}),
    (dict(starts_on=TODAY - timedelta(days=1), apply_by=None), {"starts_on"}),
    (dict(starts_on=TODAY + timedelta(days=5), apply_by=TODAY + timedelta(days=6)),
     {"apply_by"}),
    (dict(hours="nights"), {"hours"}),
    (dict(staff_id="nobody"), {"staff_id"}),
])
def test_the_vacancy_form_is_checked_field_by_field(coach, changes, fields):
    eid = add_employer(coach)
    with pytest.raises(ValidationFailed) as caught:
        coach.vacancies.save_vacancy(eid, vacancy_input(**changes))
    assert set(caught.value.errors) == fields
    assert coach.vacancies.vacancies() == []


def test_an_old_deadline_may_stay_as_it_was_when_editing(coach, vacancy):
    coach.ctx.now.advance(60 * 24 * 20)  # the deadline (14 days) has passed
    edited = coach.vacancies.save_vacancy(vacancy.employer_id, vacancy_input(
        title="Koneistaja (2)"), vacancy.id)
    assert edited.apply_by == TODAY + timedelta(days=14)
    with pytest.raises(ValidationFailed):
        coach.vacancies.save_vacancy(vacancy.employer_id, vacancy_input(
            apply_by=TODAY + timedelta(days=15)), vacancy.id)


def test_the_desk_reads_vacancies_but_does_not_write_them(services, vacancy):
    services.auth.sign_out()
    services.auth.sign_in("desk", "demo")
    assert [r.id for r in services.vacancies.vacancies()] == [vacancy.id]
    with pytest.raises(PermissionDenied):
        services.vacancies.save_vacancy(vacancy.employer_id, vacancy_input())
    with pytest.raises(PermissionDenied):
        services.vacancies.set_status(vacancy.id, "filled")


def test_an_inactive_employer_gets_no_new_vacancy(coach):
    eid = add_employer(coach, active=False)
    with pytest.raises(Conflict):
        coach.vacancies.save_vacancy(eid, vacancy_input())
    with pytest.raises(NotFound):
        coach.vacancies.save_vacancy("no-such", vacancy_input())


def test_status_closes_with_a_day_and_reopens(coach, vacancy):
    with pytest.raises(ValidationFailed):
        coach.vacancies.set_status(vacancy.id, "filled", TODAY + timedelta(days=1))
    with pytest.raises(ValidationFailed):
        coach.vacancies.set_status(vacancy.id, "filled", TODAY - timedelta(days=1))
    with pytest.raises(ValidationFailed):
        coach.vacancies.set_status(vacancy.id, "lost")
    filled = coach.vacancies.set_status(vacancy.id, "filled")
    assert (filled.status, filled.closed_on) == ("filled", TODAY)
    assert [r.id for r in coach.vacancies.vacancies(status="filled")] == [vacancy.id]
    assert coach.vacancies.vacancies(status="open") == []
    reopened = coach.vacancies.set_status(vacancy.id, "open")
    assert (reopened.status, reopened.closed_on) == ("open", None)
    cancelled = coach.vacancies.set_status(vacancy.id, "cancelled")
    assert cancelled.status == "cancelled"
    assert [json.loads(e.detail)["status"] for e in audits(coach, "vacancy.status")] == [
        "filled", "open", "cancelled"]


# --- candidates -------------------------------------------------------------------------------


@pytest.fixture
def seekers(coach):
    other = add_staff(coach)
    return {
        "mine": new_customer(coach, 301, "Aalto", "Aino", coach_id="staff-coach"),
        "young": new_customer(coach, 302, "Berg", "Bea", born=date(2003, 5, 1),
                              coach_id="staff-coach", language="sv"),
        "unassigned": new_customer(coach, 303, "Carlsson", "Cecilia"),
        "colleague": new_customer(coach, 304, "Dahl", "Dan", coach_id=other),
        "closed": new_customer(coach, 305, "Ek", "Eero", coach_id="staff-coach"),
        "long": new_customer(coach, 306, "Forsman", "Frida", coach_id="staff-coach",
                             unemployed_since=date(2025, 6, 1)),
    }


def names(rows):
    return [r.name.split(",")[0] for r in rows]


def test_candidates_are_the_open_cases_the_worker_may_write(coach, vacancy, seekers):
    coach.case_periods.close(seekers["closed"], TODAY, CaseExitReason.STUDIES)
    mine = CandidateFilter(own_caseload=True)
    assert names(coach.vacancies.candidates(vacancy.id, mine)) == ["Aalto", "Berg", "Forsman"]
    every = CandidateFilter(own_caseload=False)
    # A colleague's customer is read by the team, written only by their own coach.
    assert names(coach.vacancies.candidates(vacancy.id, every)) == [
        "Aalto", "Berg", "Carlsson", "Forsman"]
    assert names(coach.vacancies.candidates(vacancy.id, CandidateFilter(
        own_caseload=False, language="sv"))) == ["Berg"]
    assert names(coach.vacancies.candidates(vacancy.id, CandidateFilter(
        own_caseload=False, text="carl"))) == ["Carlsson"]
    with coach.ctx.session_factory.begin() as s:
        s.get(Customer, seekers["mine"]).home_municipality = "Ranua"
    assert names(coach.vacancies.candidates(vacancy.id, CandidateFilter(
        own_caseload=False, municipality="ranua"))) == ["Aalto"]
    assert len(coach.vacancies.candidates(vacancy.id, every, limit=2)) == 2
    coach.auth.sign_out()
    coach.auth.sign_in("lead", "demo")
    assert names(coach.vacancies.candidates(vacancy.id, every)) == [
        "Aalto", "Berg", "Carlsson", "Dahl", "Forsman"]


def test_candidates_by_group_on_the_day(coach, vacancy, seekers):
    def group(code):
        return names(coach.vacancies.candidates(vacancy.id, CandidateFilter(
            own_caseload=False, group=code)))

    assert group("young") == ["Berg"]  # born 2003: 23
    assert group("long_term") == ["Forsman"]  # unemployed since 1.6.2025: 12 months
    assert group("older") == []
    assert group("partial_work_ability") == []
    with coach.ctx.session_factory.begin() as s:
        s.add(CaseFacts(id=case_facts_id(seekers["unassigned"]),
                        customer_id=seekers["unassigned"], partial_work_ability=True))
        s.get(Customer, seekers["mine"]).birth_date = date(1970, 1, 1)
    assert group("partial_work_ability") == ["Carlsson"]
    assert group("older") == ["Aalto"]
    coach.coaching.set_barriers(seekers["young"], {"debt", "health", "skills"})
    assert group("many_barriers") == ["Berg"]
    with pytest.raises(ValidationFailed):
        group("tall")


# --- proposals ---------------------------------------------------------------------------------


def test_proposing_twice_makes_one_proposal(coach, vacancy, seekers):
    ids = [seekers["mine"], seekers["young"]]
    first = coach.vacancies.propose(vacancy.id, ids, "Ammattitutkinto, trukkikortti.")
    assert sorted(p.id for p in first) == sorted(proposal_id(vacancy.id, c) for c in ids)
    assert {p.outcome for p in first} == {"proposed"}
    coach.vacancies.set_outcome(first[0].id, "applied")
    again = coach.vacancies.propose(vacancy.id, [*ids, seekers["unassigned"]], "Toinen")
    assert len(again) == 3
    with coach.ctx.session_factory() as s:
        rows = list(s.scalars(select(JobProposal).where(JobProposal.vacancy_id == vacancy.id)))
    assert len(rows) == 3
    kept = next(r for r in rows if r.id == first[0].id)
    assert (kept.outcome.value, kept.shared) == ("applied", "Ammattitutkinto, trukkikortti.")
    assert coach.vacancies.vacancy(vacancy.id).proposed == 3
    flagged = {r.name.split(",")[0]: r.already_proposed
               for r in coach.vacancies.candidates(vacancy.id, CandidateFilter(False))}
    assert flagged == {"Aalto": True, "Berg": True, "Carlsson": True, "Forsman": False,
                       "Ek": False}
    # Audited once per job seeker proposed, by ids, never a name or the shared text.
    events = audits(coach, "job_proposal.create")
    assert len(events) == 3
    assert all("Aalto" not in (e.detail or "") and "trukki" not in (e.detail or "")
               for e in events)


def test_only_the_writers_of_a_case_propose(coach, vacancy, seekers):
    with pytest.raises(PermissionDenied):
        coach.vacancies.propose(vacancy.id, [seekers["colleague"]])
    coach.case_periods.close(seekers["closed"], TODAY, CaseExitReason.STUDIES)
    with pytest.raises(Conflict):
        coach.vacancies.propose(vacancy.id, [seekers["closed"]])
    with pytest.raises(ValidationFailed):
        coach.vacancies.propose(vacancy.id, [])
    coach.vacancies.set_status(vacancy.id, "closed")
    with pytest.raises(Conflict):
        coach.vacancies.propose(vacancy.id, [seekers["mine"]])
    with coach.ctx.session_factory() as s:
        assert s.scalar(select(JobProposal.id)) is None


def test_the_desk_neither_proposes_nor_reads_job_tips(coach, vacancy, seekers):
    [tip] = coach.vacancies.propose(vacancy.id, [seekers["mine"]])
    coach.auth.sign_out()
    coach.auth.sign_in("desk", "demo")
    with pytest.raises(PermissionDenied):
        coach.vacancies.propose(vacancy.id, [seekers["unassigned"]])
    with pytest.raises(PermissionDenied):
        coach.vacancies.proposals_of(seekers["mine"])
    with pytest.raises(PermissionDenied):
        coach.vacancies.proposals(vacancy.id)
    with pytest.raises(PermissionDenied):
        coach.vacancies.set_outcome(tip.id, "hired")
    with pytest.raises(PermissionDenied):
        coach.vacancies.candidates(vacancy.id, CandidateFilter(False))
    # The vacancy's figures are not about anyone: the desk sees them.
    assert coach.vacancies.vacancy(vacancy.id).proposed == 1


def test_job_tips_are_read_by_the_case_readers(coach, vacancy, seekers):
    [tip] = coach.vacancies.propose(vacancy.id, [seekers["mine"]], "Kokemus kunnossa")
    [row] = coach.vacancies.proposals_of(seekers["mine"])
    assert (row.id, row.vacancy_title, row.employer_name, row.proposed_by_name,
            row.shared, row.customer_number) == (
        tip.id, "Koneistaja", "Lapin Kone Oy", "Pekka Ylitalo", "Kokemus kunnossa",
        tip.customer_number)
    assert [p.id for p in coach.vacancies.proposals(vacancy.id)] == [tip.id]
    # A coach of another team neither reads the tip nor sees it among the vacancy's.
    add_staff(coach, "coach3", "Olli Muu", team=None)
    coach.auth.sign_out()
    coach.auth.sign_in("coach3", "demo")
    with pytest.raises(PermissionDenied):
        coach.vacancies.proposals_of(seekers["mine"])
    assert coach.vacancies.proposals(vacancy.id) == []


def test_outcomes_with_their_days(coach, vacancy, seekers):
    [tip] = coach.vacancies.propose(vacancy.id, [seekers["mine"]])
    with pytest.raises(ValidationFailed):
        coach.vacancies.set_outcome(tip.id, "applied", TODAY + timedelta(days=1))
    with pytest.raises(ValidationFailed):
        coach.vacancies.set_outcome(tip.id, "applied", TODAY - timedelta(days=1))
    with pytest.raises(ValidationFailed):
        coach.vacancies.set_outcome(tip.id, "lucky")
    with pytest.raises(ValidationFailed):  # only a hire closes the case
        coach.vacancies.set_outcome(tip.id, "interviewed", close_case=True)
    coach.ctx.now.advance(60 * 24 * 3)
    row = coach.vacancies.set_outcome(tip.id, "interviewed")
    assert (row.outcome, row.outcome_on) == ("interviewed", TODAY + timedelta(days=3))
    counts = coach.vacancies.vacancy(vacancy.id)
    assert (counts.proposed, counts.interviewed, counts.hired) == (1, 1, 0)
    row = coach.vacancies.set_outcome(tip.id, "hired")
    assert row.outcome == "hired"
    counts = coach.vacancies.vacancy(vacancy.id)
    assert (counts.proposed, counts.interviewed, counts.hired) == (1, 1, 1)
    # Without close_case the case stays open.
    with coach.ctx.session_factory() as s:
        assert s.get(Customer, seekers["mine"]).active


def load_of(services, staff_id):
    return next(r.active for r in services.coaching.caseloads(120).coaches
                if r.staff_id == staff_id)


def test_a_hire_closes_the_case_when_asked_and_the_caseload_falls(coach, vacancy, seekers):
    [tip] = coach.vacancies.propose(vacancy.id, [seekers["mine"]])
    before = load_of(coach, "staff-coach")
    coach.ctx.now.advance(60 * 24)
    hired = coach.vacancies.set_outcome(tip.id, "hired", close_case=True)
    assert (hired.outcome, hired.outcome_on) == ("hired", TODAY + timedelta(days=1))
    case = coach.case_periods.periods(seekers["mine"])
    assert (case.status, case.closed_on, case.reason) == (
        "closed", TODAY + timedelta(days=1), "employed_open_market")
    assert case.coach_name is None  # released, as closing a case does by default
    assert load_of(coach, "staff-coach") == before - 1
    [event] = audits(coach, "case.close")
    assert json.loads(event.detail)["reason"] == "employed_open_market"
    # The tip stays on the closed case's timeline for those who read it (a lead now).
    coach.auth.sign_out()
    coach.auth.sign_in("lead", "demo")
    assert [p.outcome for p in coach.vacancies.proposals_of(seekers["mine"])] == ["hired"]
    # Closing again is refused and changes nothing.
    with pytest.raises(Conflict):
        coach.vacancies.set_outcome(tip.id, "hired", close_case=True)
    with coach.ctx.session_factory() as s:
        assert len(list(s.scalars(select(JobSearchPeriod).where(
            JobSearchPeriod.customer_id == seekers["mine"])))) == 1


def test_a_refused_close_keeps_the_outcome_unchanged(coach, vacancy, seekers):
    [tip] = coach.vacancies.propose(vacancy.id, [seekers["mine"]])
    coach.case_periods.close(seekers["mine"], TODAY, CaseExitReason.STUDIES,
                             coach="keep")
    with pytest.raises(Conflict):
        coach.vacancies.set_outcome(tip.id, "hired", close_case=True)
    assert coach.vacancies.proposals_of(seekers["mine"])[0].outcome == "proposed"


def test_a_merge_moves_the_job_tips(coach, vacancy, seekers):
    dup = new_customer(coach, 399, "Aalto", "Aino Maria")
    coach.vacancies.propose(vacancy.id, [dup], "Trukkikortti")
    coach.auth.sign_out()
    coach.auth.sign_in("lead", "demo")
    preview = coach.customer_merge.preview(dup, seekers["mine"])
    assert dict(preview.moves)["job_proposal"] == 1
    coach.customer_merge.merge(dup, seekers["mine"])
    [tip] = coach.vacancies.proposals_of(seekers["mine"])
    assert (tip.vacancy_id, tip.shared) == (vacancy.id, "Trukkikortti")
    assert [p.customer_id for p in coach.vacancies.proposals(vacancy.id)] == [seekers["mine"]]


# --- the demo ----------------------------------------------------------------------------


def test_the_demo_vacancies_follow_the_cases(coach, monkeypatch):
    from app.demo import vacancies as demo
    from app.rules import business_id

    monkeypatch.setattr(demo, "HIRED_SHARE", 1.0)
    valid = [business_id.check(f"{n}-{d}") for n in range(1000000, 1000100) for d in range(10)]
    bids = [v.value for v in valid if v.ok][:20]
    assert len(bids) == 20
    for i, bid in enumerate(bids):
        add_employer(coach, bid, f"Yritys {chr(65 + i)} Oy")
    employed = [new_customer(coach, 500 + i, "Työllistyvä", "Testi", coach_id="staff-coach")
                for i in range(3)]
    for i, cid in enumerate(employed):
        coach.case_periods.close(cid, TODAY - timedelta(days=30 + 20 * i),
                                 CaseExitReason.EMPLOYED_OPEN_MARKET)
    studying = new_customer(coach, 510, "Opiskeleva", "Testi", coach_id="staff-coach")
    coach.case_periods.close(studying, TODAY - timedelta(days=30), CaseExitReason.STUDIES)
    active = [new_customer(coach, 520 + i, "Avoin", "Testi", coach_id="staff-coach")
              for i in range(6)]
    with coach.ctx.engine.begin() as conn:
        demo.add_vacancies(conn, 3, TODAY, 1.0)
    with coach.ctx.session_factory() as s:
        vacancies = {v.id: v for v in s.scalars(select(Vacancy))}
        proposals = list(s.scalars(select(JobProposal)))
        closed_on = {p.customer_id: p.closed_on for p in s.scalars(select(JobSearchPeriod))}
    assert len(vacancies) == 24  # 1.2 a year per employer
    assert {v.status.value for v in vacancies.values()} >= {"open", "filled"}
    assert any(v.hidden for v in vacancies.values())
    assert all(TODAY - timedelta(days=365) <= v.opened_on < TODAY for v in vacancies.values())
    hires = [p for p in proposals if p.outcome.value == "hired"]
    assert hires, "an employed customer was hired through a vacancy"
    for p in hires:  # hired on the day their case closed with work
        assert p.customer_id in employed and p.outcome_on == closed_on[p.customer_id]
    assert studying not in {p.customer_id for p in proposals}
    for p in proposals:
        v = vacancies[p.vacancy_id]
        assert p.id == proposal_id(v.id, p.customer_id)
        assert v.opened_on <= p.proposed_on <= (p.outcome_on or p.proposed_on) <= TODAY
        assert v.closed_on is None or (p.outcome_on or p.proposed_on) <= v.closed_on
        assert p.customer_id in employed or p.customer_id in active
    # The tips show on the cards: the coach reads their own customers'.
    shown = {p.customer_id for p in proposals}
    assert all(coach.vacancies.proposals_of(cid) for cid in shown)
