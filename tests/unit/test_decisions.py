"""Support decisions through the service: draft -> decided -> ended early or replaced,
forward only; a coach drafts but does not decide; a decided decision is never edited;
replacing keeps the history; the content is validated (Y-tunnus with remainder 1, the
period, hours, percentage, euros, the paying municipality) and audited with ids only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.dto.decisions import DecisionInput
from app.models import AuditEvent, OutboxEntry, SupportDecision
from app.models.settings import AreaSetting, setting_id
from app.rules import decisions as rules
from app.rules.codes import DecisionKind
from app.services.decisions import with_fields
from app.services.errors import Conflict, PermissionDenied, ValidationFailed
from tests.factories import Clock, customer_input

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@pytest.fixture
def coach(signed_in):
    signed_in.ctx.now = Clock(START)
    return signed_in


def new_customer(services, individual=301):
    return services.customers.create(
        customer_input("Mäkelä", "Aino", date(1985, 3, 12), individual)).id


def pay_subsidy(**kw):
    values = dict(kind="pay_subsidy", employer_name="Lapin Kone Oy",
                  employer_business_id="2077474-0", starts_on=TODAY,
                  ends_on=TODAY + timedelta(days=180), hours_per_week=30.0, percentage=50,
                  amount_cents=600000, paying_municipality="Rovaniemi", note="Palkkatuki")
    values.update(kw)
    return DecisionInput(**values)  # type: ignore[arg-type]


def as_lead(services):
    services.auth.sign_out()
    services.auth.sign_in("lead", "demo")


def as_coach(services):
    services.auth.sign_out()
    services.auth.sign_in("coach", "demo")


def test_draft_decide_end_early_forward_only(coach):
    cid = new_customer(coach)
    d = coach.decisions.draft(cid, pay_subsidy())
    assert (d.status, d.drafted_by_name, d.decided_on) == ("draft", "Pekka Ylitalo", None)
    assert d.employer_business_id == "2077474-0" and d.amount_cents == 600000
    # The coach cannot decide: only decision.decide does.
    with pytest.raises(PermissionDenied):
        coach.decisions.decide(d.id)
    with pytest.raises(PermissionDenied):
        coach.decisions.end_early(d.id, TODAY, "x")
    as_lead(coach)
    decided = coach.decisions.decide(d.id)
    assert (decided.status, decided.decided_on, decided.decided_by_name) == (
        "decided", TODAY, "Liisa Lead")
    with pytest.raises(Conflict):
        coach.decisions.decide(d.id)  # never twice
    with pytest.raises(ValidationFailed) as err:
        coach.decisions.end_early(d.id, TODAY + timedelta(days=400), "")
    assert set(err.value.errors) == {"on", "reason"}
    ended = coach.decisions.end_early(d.id, TODAY + timedelta(days=30), "Työsuhde päättyi")
    assert (ended.status, ended.ended_on, ended.end_reason) == (
        "ended", TODAY + timedelta(days=30), "Työsuhde päättyi")
    for step in (lambda: coach.decisions.decide(d.id),
                 lambda: coach.decisions.end_early(d.id, TODAY, "uudelleen"),
                 lambda: coach.decisions.replace(d.id)):
        with pytest.raises(Conflict):
            step()
    with coach.ctx.session_factory() as s:
        actions = [(e.action, e.detail) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.entity == "support_decision")
            .order_by(AuditEvent.id))]
        tables = {e.table_name for e in s.scalars(select(OutboxEntry))}
    assert sorted(a for a, _ in actions) == ["decision.decide", "decision.draft",
                                             "decision.end"]
    # Ids only: no employer, no reason, no note in the trail.
    trail = " ".join(detail or "" for _, detail in actions)
    assert "Lapin Kone" not in trail and "Työsuhde" not in trail and "Palkkatuki" not in trail
    assert "support_decision" in tables


def test_a_decided_decision_is_never_edited(coach):
    cid = new_customer(coach)
    d = coach.decisions.draft(cid, pay_subsidy())
    edited = coach.decisions.edit(d.id, pay_subsidy(amount_cents=700000, percentage=70))
    assert (edited.amount_cents, edited.percentage, edited.status) == (700000, 70, "draft")
    as_lead(coach)
    coach.decisions.decide(d.id)
    with pytest.raises(Conflict) as err:
        coach.decisions.edit(d.id, pay_subsidy(amount_cents=1))
    assert "never edited" in err.value.message
    assert coach.decisions.get(d.id).amount_cents == 700000


def test_replace_keeps_the_history(coach):
    cid = new_customer(coach)
    d = coach.decisions.draft(cid, pay_subsidy())
    as_lead(coach)
    coach.decisions.decide(d.id)
    as_coach(coach)
    new = coach.decisions.replace(d.id)
    assert (new.status, new.replaces_id, new.employer_name, new.percentage) == (
        "draft", d.id, "Lapin Kone Oy", 50)
    assert coach.decisions.replace(d.id).id == new.id  # one pending replacement
    coach.decisions.edit(new.id, with_fields(new, percentage=70, amount_cents=800000))
    # Until the replacement is decided the old decision stays in force.
    assert coach.decisions.get(d.id).status == "decided"
    as_lead(coach)
    decided = coach.decisions.decide(new.id)
    assert decided.status == "decided"
    old = coach.decisions.get(d.id)
    assert (old.status, old.replaced_by_id, old.amount_cents) == ("replaced", new.id, 600000)
    listed = coach.decisions.list_for_customer(cid)
    assert {(r.id, r.status) for r in listed.rows} == {(d.id, "replaced"),
                                                        (new.id, "decided")}
    assert listed.may_decide and listed.writable
    with pytest.raises(Conflict):
        coach.decisions.replace(d.id)  # a replaced decision is final
    with pytest.raises(Conflict):
        coach.decisions.end_early(d.id, TODAY, "x")


def test_a_replacement_of_an_ended_decision_is_not_decided(coach):
    cid = new_customer(coach)
    d = coach.decisions.draft(cid, pay_subsidy())
    as_lead(coach)
    coach.decisions.decide(d.id)
    new = coach.decisions.replace(d.id)
    coach.decisions.end_early(d.id, TODAY, "Päättyi")
    with pytest.raises(Conflict):
        coach.decisions.decide(new.id)
    assert coach.decisions.get(new.id).status == "draft"
    assert coach.decisions.get(d.id).status == "ended"


def test_validation_messages_per_field(coach):
    cid = new_customer(coach)
    with pytest.raises(ValidationFailed) as err:
        coach.decisions.draft(cid, pay_subsidy(
            employer_name=" ", employer_business_id="1000008-0",
            ends_on=TODAY - timedelta(days=1), percentage=0, hours_per_week=61.0,
            amount_cents=-1, paying_municipality="Helsinki"))
    assert set(err.value.errors) == {"employer_name", "employer_business_id", "ends_on",
                                     "percentage", "hours_per_week", "amount",
                                     "paying_municipality"}
    with pytest.raises(ValidationFailed) as err:
        coach.decisions.draft(cid, pay_subsidy(hours_per_week=0.0, percentage=101,
                                               amount_cents=None))
    assert set(err.value.errors) == {"hours_per_week", "percentage", "amount"}
    # A start-up grant needs no hours nor percentage (those typed are not kept).
    grant = coach.decisions.draft(cid, pay_subsidy(
        kind="start_up_grant", employer_business_id="", hours_per_week=None,
        percentage=33, paying_municipality="Ranua"))
    assert (grant.percentage, grant.hours_per_week, grant.employer_business_id) == (
        None, None, None)
    trial = coach.decisions.draft(cid, pay_subsidy(
        kind="work_trial", percentage=None, amount_cents=None, hours_per_week=25.5,
        employer_business_id=" 20774740 "))
    assert (trial.hours_per_week, trial.employer_business_id) == (25.5, "2077474-0")


def test_business_id_remainder_one_is_invalid():
    # 1000008: the weighted sum of its digits leaves 1 -> no check digit fits.
    assert all(rules.business_id(f"1000008-{d}")[1] for d in range(10))
    assert rules.business_id("2077474-1")[1]
    assert rules.business_id("2077474-0") == ("2077474-0", None)
    assert rules.business_id("") == (None, None)


def test_euros_and_numbers_as_typed():
    assert rules.parse_euros("1 234,50") == 123450
    assert rules.parse_euros("300 €") == 30000
    assert rules.parse_euros("12.5") == 1250
    assert rules.parse_euros("") is None
    assert rules.parse_euros("-5") == -500
    with pytest.raises(ValueError):
        rules.parse_euros("12,345")
    with pytest.raises(ValueError):
        rules.parse_euros("abc")
    assert rules.parse_number("37,5") == 37.5
    with pytest.raises(ValueError):
        rules.parse_number("nan")


def test_paying_municipality_falls_back_to_home(coach):
    cid = new_customer(coach)
    # The area's list: Rovaniemi and Ranua by default.
    assert coach.decisions.list_for_customer(cid).municipalities == ["Rovaniemi", "Ranua"]
    with coach.ctx.session_factory.begin() as s:
        s.add(AreaSetting(id=setting_id("municipal_statistics"), key="municipal_statistics",
                          value='{"year": 2023, "municipalities": []}'))
    listed = coach.decisions.list_for_customer(cid)
    assert listed.municipalities == ["Rovaniemi"]  # the customer's home municipality


def test_another_coachs_customer_and_the_desk(coach):
    cid = new_customer(coach)
    d = coach.decisions.draft(cid, pay_subsidy())
    coach.auth.sign_out()
    coach.auth.sign_in("desk", "demo")
    with pytest.raises(PermissionDenied):
        coach.decisions.list_for_customer(cid)
    with pytest.raises(PermissionDenied):
        coach.decisions.draft(cid, pay_subsidy())
    with coach.ctx.session_factory() as s:
        assert s.get(SupportDecision, d.id).kind is DecisionKind.PAY_SUBSIDY
