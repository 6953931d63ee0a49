"""The facts behind the statutory rules through the service: one row per customer (made
when first saved), validation, the audit without values, periods of unemployment, and
the role rules (coaches and team leads by caseload, never the desk)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.dto.case_work import CaseFactsInput
from app.models import AuditEvent, CaseFacts, Customer, OutboxEntry, case_facts_id
from app.rules import case_facts as rules
from app.services.errors import PermissionDenied, ValidationFailed
from tests.factories import Clock, customer_input

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@pytest.fixture
def coach(signed_in):
    signed_in.ctx.now = Clock(NOW)
    return signed_in


def new_customer(services, individual=401):
    return services.customers.create(
        customer_input("Virtanen", "Matti", date(1980, 5, 6), individual)).id


FACTS = CaseFactsInput(partial_work_ability=True, work_ability_since=date(2026, 3, 1),
                       work_ability_basis="Työkykyarvio 2/2026", benefit="basic",
                       first_benefit_on=date(2026, 1, 12), subsidy_days=130,
                       subsidy_days_on=date(2026, 11, 1),
                       allowance_exhausted_on=date(2025, 12, 31))


def test_facts_are_empty_until_saved_then_one_row_per_customer(coach):
    cid = new_customer(coach)
    info = coach.case_facts.get(cid)
    assert info.facts == CaseFactsInput() and info.writable and info.updated_at is None
    coach.case_facts.save(cid, FACTS)
    saved = coach.case_facts.save(cid, FACTS)  # saved again: nothing changes
    assert saved.facts == FACTS
    with coach.ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(CaseFacts)) == 1
        assert s.get(CaseFacts, case_facts_id(cid)).customer_id == cid
        assert "case_facts" in {e.table_name for e in s.scalars(select(OutboxEntry))}
        events = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "case_facts.update")).all()
    assert len(events) == 1  # the second save changed nothing
    detail = json.loads(events[0].detail)
    assert "work_ability_basis" in detail["fields"]
    assert "Työkykyarvio" not in events[0].detail  # which fields, never their values


def test_without_partial_work_ability_its_date_and_basis_are_cleared(coach):
    cid = new_customer(coach)
    coach.case_facts.save(cid, FACTS)
    cleared = coach.case_facts.save(cid, CaseFactsInput(
        partial_work_ability=False, work_ability_since=date(2026, 3, 1),
        work_ability_basis="jää pois", benefit="basic"))
    assert cleared.facts.work_ability_since is None
    assert cleared.facts.work_ability_basis == ""
    assert cleared.facts.subsidy_days is None


@pytest.mark.parametrize(("change", "field"), [
    ({"work_ability_since": TODAY + timedelta(days=1)}, "work_ability_since"),
    ({"work_ability_basis": "x" * 201}, "work_ability_basis"),
    ({"work_ability_basis": "a\u202eb"}, "work_ability_basis"),
    ({"benefit": "lottery"}, "benefit"),
    ({"benefit": "none"}, "first_benefit_on"),
    ({"subsidy_days": -1}, "subsidy_days"),
    ({"subsidy_days": 2001}, "subsidy_days"),
    ({"subsidy_days_on": None}, "subsidy_days_on"),
    ({"subsidy_days": None}, "subsidy_days"),
    ({"subsidy_days_on": TODAY + timedelta(days=1)}, "subsidy_days_on"),
    ({"allowance_exhausted_on": TODAY + timedelta(days=1)}, "allowance_exhausted_on"),
])
def test_bad_facts_are_refused_by_field(coach, change, field):
    cid = new_customer(coach)
    values = {**FACTS.__dict__, **change}
    with pytest.raises(ValidationFailed) as caught:
        coach.case_facts.save(cid, CaseFactsInput(**values))
    assert field in caught.value.errors
    assert coach.case_facts.get(cid).facts == CaseFactsInput()  # nothing half-written


def test_the_rules_accept_the_edges():
    ok = dict(partial_work_ability=True, work_ability_since=TODAY, work_ability_basis="x" * 200,
              benefit="labour_market_subsidy", first_benefit_on=TODAY + timedelta(days=10),
              subsidy_days=2000, subsidy_days_on=TODAY, allowance_exhausted_on=TODAY)
    assert rules.validate(**ok, today=TODAY) == {}
    assert rules.validate(**{**ok, "subsidy_days": 0}, today=TODAY) == {}


def test_periods_of_unemployment_added_ended_and_removed(coach):
    cid = new_customer(coach)
    period = coach.case_facts.add_period(cid, date(2026, 1, 12), None, "labour_market_subsidy")
    coach.case_facts.add_period(cid, date(2025, 3, 1), date(2025, 9, 30), "basic")
    assert [(p.starts_on, p.ends_on) for p in coach.case_facts.get(cid).periods] == [
        (date(2026, 1, 12), None), (date(2025, 3, 1), date(2025, 9, 30))]
    with pytest.raises(ValidationFailed) as caught:
        coach.case_facts.end_period(period.id, date(2026, 1, 1))
    assert "ends_on" in caught.value.errors
    assert coach.case_facts.end_period(period.id, date(2026, 6, 30)).ends_on == date(2026, 6, 30)
    with pytest.raises(ValidationFailed):
        coach.case_facts.add_period(cid, TODAY + timedelta(days=2), None, "basic")
    coach.case_facts.remove_period(period.id)
    assert [p.benefit for p in coach.case_facts.get(cid).periods] == ["basic"]


def test_the_desk_never_reads_or_writes_facts(services):
    services.auth.sign_in("coach", "demo")
    cid = new_customer(services)
    services.case_facts.save(cid, FACTS)
    services.auth.sign_out()
    services.auth.sign_in("desk", "demo")
    for call in (lambda: services.case_facts.get(cid),
                 lambda: services.case_facts.save(cid, CaseFactsInput()),
                 lambda: services.case_facts.add_period(cid, TODAY, None, "basic")):
        with pytest.raises(PermissionDenied) as caught:
            call()
        assert "coaches and team leads" in caught.value.message
    # Nor does the customer card carry them to the desk.
    assert not hasattr(services.customers.get(cid), "partial_work_ability")


def test_a_coach_of_another_team_is_refused_a_lead_may(services):
    from app.models import Staff, Team
    from app.rules.codes import Role

    with services.ctx.session_factory.begin() as s:
        s.add(Team(id="team-2", name="Osaaminen", service_area="skills"))
        s.flush()
        s.add(Staff(id="staff-far", username="far", full_name="Far", role=Role.COACH,
                    team_id="team-2", service_point_id="sp-rov"))
    services.auth.sign_in("coach", "demo")
    cid = new_customer(services)
    services.coaching.assign(cid, "staff-coach", "Oma")
    actor = services.ctx.actor
    services.ctx.actor = type(actor)(**{**actor.__dict__, "staff_id": "staff-far",
                                        "team_id": "team-2"})
    with pytest.raises(PermissionDenied):
        services.case_facts.get(cid)
    with pytest.raises(PermissionDenied):
        services.case_facts.save(cid, FACTS)
    services.ctx.actor = type(actor)(**{**actor.__dict__, "staff_id": "staff-lead",
                                        "role": Role.TEAM_LEAD})
    assert services.case_facts.save(cid, FACTS).facts == FACTS


# --- the import's optional columns -------------------------------------------------------

IMPORT_HEADER = ("hetu,first_name,last_name,birth_date,home_municipality,language,"
                 "first_residence_permit_on,partial_work_ability,benefit,first_benefit_on\n")


def _import(services, tmp_path, body, update=False):
    path = tmp_path / "asiakkaat.csv"
    path.write_text(IMPORT_HEADER + body, encoding="utf-8")
    preview = services.customer_import.preview(path, update=update)
    return preview, services.customer_import.commit(preview)


def test_import_writes_the_facts_and_reports_bad_values_per_row(services, tmp_path):
    from app.rules import hetu

    services.ctx.now = Clock(NOW)
    services.auth.sign_in("lead", "demo")
    good = hetu.make(date(1985, 3, 12), 311)
    body = (f"{good},Aino,Mäkelä,,Rovaniemi,fi,2019-05-02,kyllä,basic,12.1.2026\n"
            ",Ali,Hassan,1990-02-01,Rovaniemi,fi,2040-01-01,,,\n"
            ",Bo,Berg,1991-02-01,Rovaniemi,sv,,maybe,,\n"
            ",Cai,Coe,1992-02-01,Rovaniemi,fi,,,lottery,\n"
            ",Dan,Dee,1993-02-01,Rovaniemi,fi,,,none,2026-01-01\n"
            ",Eve,Eno,1994-02-01,Rovaniemi,fi,,,,1.13.2026\n"
            ",Fay,Fox,1995-02-01,Rovaniemi,fi,2020-03-04,,,\n"
            ",Gus,Gee,1996-02-01,Rovaniemi,fi,,,,2026-01-05\n")  # a day, but which benefit?
    preview, result = _import(services, tmp_path, body)
    problems = {r.line: [p.column for p in r.problems] for r in preview.rejected}
    assert problems == {3: ["first_residence_permit_on"], 4: ["partial_work_ability"],
                        5: ["benefit"], 6: ["first_benefit_on"], 7: ["first_benefit_on"],
                        9: ["first_benefit_on"]}
    assert (result.created, result.rejected) == (2, 6)
    with services.ctx.session_factory() as s:
        aino = s.scalar(select(Customer).where(Customer.hetu == good))
        fay = s.scalar(select(Customer).where(Customer.last_name == "Fox"))
        facts = s.get(CaseFacts, case_facts_id(aino.id))
        assert aino.first_residence_permit_on == date(2019, 5, 2)
        assert fay.first_residence_permit_on == date(2020, 3, 4)
        assert (facts.partial_work_ability, facts.benefit.value, facts.first_benefit_on) \
            == (True, "basic", date(2026, 1, 12))
        assert s.get(CaseFacts, case_facts_id(fay.id)) is None  # no facts given: no row
    # Updating with empty cells keeps what is stored; "no" clears the work ability.
    _import(services, tmp_path, f"{good},Aino,Mäkelä,,Rovaniemi,fi,,ei,,\n", update=True)
    info = services.case_facts.get(aino.id)
    assert not info.facts.partial_work_ability and info.facts.benefit == "basic"


def test_facts_columns_need_case_facts(services, tmp_path, monkeypatch):
    """A role that may import but not enter case facts: those cells refuse the row."""
    from app.rules import permissions

    services.ctx.now = Clock(NOW)
    services.auth.sign_in("lead", "demo")
    lead = permissions.MATRIX[permissions.Role.TEAM_LEAD]
    monkeypatch.setitem(permissions.MATRIX, permissions.Role.TEAM_LEAD,
                        lead - {permissions.Permission.CASE_FACTS})
    preview, result = _import(services, tmp_path,
                              ",Ali,Hassan,1990-02-01,Rovaniemi,fi,2019-01-01,yes,,\n"
                              ",Bo,Berg,1991-02-01,Rovaniemi,sv,2019-01-01,,,\n")
    assert [(r.line, [p.column for p in r.problems]) for r in preview.rejected] == [
        (2, ["partial_work_ability"])]
    assert (result.created, result.rejected) == (1, 1)


# --- the first residence permit, in the customer form -----------------------------------

def test_the_first_residence_permit_date_in_the_customer_form(coach):
    from dataclasses import replace

    born = date(1990, 4, 5)
    data = customer_input("Hassan", "Ali", born, 402)
    for bad in (TODAY + timedelta(days=1), born - timedelta(days=1)):
        with pytest.raises(ValidationFailed) as caught:
            coach.customers.create(replace(data, first_residence_permit_on=bad))
        assert "first_residence_permit_on" in caught.value.errors
    card = coach.customers.create(replace(data, first_residence_permit_on=date(2019, 5, 2)))
    assert card.first_residence_permit_on == date(2019, 5, 2)
    form = coach.customers.edit_form(card.id)
    assert form.first_residence_permit_on == date(2019, 5, 2)
    updated = coach.customers.update(card.id, replace(form, first_residence_permit_on=None),
                                     card.revision)
    assert updated.first_residence_permit_on is None


def test_the_clock_of_another_teams_coach_does_not_use_the_facts(services):
    """The card and the clock read the first benefit day and partial work ability by the
    caseload rule, as the facts themselves: another team's coach sees the estimate."""
    from app.models import Staff, Team
    from app.rules.codes import Role

    services.ctx.now = Clock(NOW)
    with services.ctx.session_factory.begin() as s:
        s.add(Team(id="team-2", name="Osaaminen", service_area="skills"))
        s.flush()
        s.add(Staff(id="staff-far", username="far", full_name="Far", role=Role.COACH,
                    team_id="team-2", service_point_id="sp-rov"))
    services.auth.sign_in("coach", "demo")
    cid = services.customers.create(customer_input(
        "Virtanen", "Matti", date(1980, 5, 6), 402,
        unemployed_since=date(2026, 1, 1))).id
    services.coaching.assign(cid, "staff-coach", "Oma")
    services.case_facts.save(cid, FACTS)
    own_card, own_clock = services.customers.get(cid), services.clock.customer_clock(cid)
    assert not own_card.hundred_day_approximate and "partial_work_ability" in own_clock.groups
    actor = services.ctx.actor
    services.ctx.actor = type(actor)(**{**actor.__dict__, "staff_id": "staff-far",
                                        "team_id": "team-2"})
    card, clock = services.customers.get(cid), services.clock.customer_clock(cid)
    assert card.hundred_day_approximate and card.hundred_day_date != own_card.hundred_day_date
    assert "partial_work_ability" not in clock.groups
