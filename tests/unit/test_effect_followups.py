"""The follow-up of a service's effect (#20): due three and six months after a referral
or a decision ended, not when the case closed with a reason, gone once answered, and one
row however many times (or on however many desks) it is answered."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.models import Customer, Staff
from app.models.purchased import (
    EffectFollowup,
    Referral,
    ServiceContract,
    ServiceProvider,
    SupportDecision,
    followup_id,
)
from app.rules.codes import (
    CaseExitReason,
    CoachOnClose,
    DecisionKind,
    DecisionStatus,
    FollowupSituation,
    ReferralState,
    Role,
    ServiceKind,
)
from app.services.effect_followups import add_months, from_detail
from app.services.errors import PermissionDenied
from tests.factories import Clock, customer_input

TODAY = date(2026, 11, 24)  # a Tuesday; the context clock's day


@pytest.fixture
def coach(signed_in):
    signed_in.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    return signed_in


FIRST = ("Anna", "Aino", "Bertta", "Cecilia", "Daniel", "Eero", "Fanni", "Gabriel", "Hilla",
         "Iida")


def new_customer(services, individual, coach_id="staff-coach"):
    cid = services.customers.create(customer_input(
        "Seuranta", FIRST[individual % 10], date(1990, 1, 1), individual,
        jobseeker_registered_on=date(2026, 1, 5), unemployed_since=date(2026, 1, 5))).id
    if coach_id:
        services.coaching.assign(cid, coach_id, "Alkuhaastattelu")
    return cid


def add_contract(services) -> str:
    with services.ctx.session_factory.begin() as s:
        s.add(ServiceProvider(id="prov-1", name="Valmennus Oy", business_id="1572860-0"))
        s.flush()
        s.add(ServiceContract(id="con-1", provider_id="prov-1",
                              service=ServiceKind.INDIVIDUAL_COACHING, title="Valmennus",
                              starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                              places=10, unit_price_cents=150000))
    return "con-1"


def add_referral(services, cid, state, ended_on=None, rid=None) -> str:
    with services.ctx.session_factory.begin() as s:
        r = Referral(customer_id=cid, contract_id="con-1", coach_id="staff-coach",
                     state=state, proposed_on=date(2026, 1, 10), sent_on=date(2026, 1, 11),
                     started_on=date(2026, 2, 1), ended_on=ended_on)
        if rid:
            r.id = rid
        s.add(r)
        s.flush()
        return r.id


def add_decision(services, cid, status, ends_on, ended_on=None) -> str:
    with services.ctx.session_factory.begin() as s:
        d = SupportDecision(customer_id=cid, kind=DecisionKind.PAY_SUBSIDY, status=status,
                            employer_name="Lapin Kone Oy", starts_on=date(2026, 1, 1),
                            ends_on=ends_on, ended_on=ended_on, amount_cents=500000,
                            paying_municipality="Rovaniemi")
        s.add(d)
        s.flush()
        return d.id


def due_of(services):
    """The follow-ups in the coach's Today: (source id, months, due day)."""
    return sorted((from_detail(i.detail).source_id, from_detail(i.detail).months, i.due_on)
                  for i in services.clock.worklist() if i.kind == "followup")


def test_calendar_months_keep_the_day_or_take_the_months_last():
    assert add_months(date(2026, 8, 24), 3) == date(2026, 11, 24)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 6) == date(2027, 6, 15)


def test_due_three_and_six_months_after_a_referral_and_a_decision_ended(coach):
    add_contract(coach)
    cid = new_customer(coach, 401)
    # Completed 24.8.: three months is today (due), six months 24.2.2027 (not yet).
    completed = add_referral(coach, cid, ReferralState.COMPLETED, date(2026, 8, 24))
    # Interrupted 23.5.: both due (23.8. and 23.11.).
    interrupted = add_referral(coach, cid, ReferralState.INTERRUPTED, date(2026, 5, 23))
    # Still going, or ended tomorrow in three months: nothing.
    add_referral(coach, cid, ReferralState.STARTED)
    add_referral(coach, cid, ReferralState.COMPLETED, date(2026, 8, 25))
    # A decision ended early 20.5.: both due. A decided one whose period ended 31.5.: its
    # three months (31.8.) due, six (30.11.) not yet. One still running: nothing; a draft
    # never decided: nothing.
    early = add_decision(coach, cid, DecisionStatus.ENDED, date(2026, 12, 31),
                         ended_on=date(2026, 5, 20))
    ran_out = add_decision(coach, cid, DecisionStatus.DECIDED, date(2026, 5, 31))
    add_decision(coach, cid, DecisionStatus.DECIDED, date(2027, 1, 31))
    add_decision(coach, cid, DecisionStatus.DRAFT, date(2026, 3, 31))
    # Three months after its due day an unanswered follow-up has left Today (the
    # interrupted referral's and the early-ended decision's three-month ones).
    assert due_of(coach) == sorted([
        (completed, 3, date(2026, 11, 24)),
        (interrupted, 6, date(2026, 11, 23)),
        (early, 6, date(2026, 11, 20)),
        (ran_out, 3, date(2026, 8, 31)),
    ])
    coach.ctx.now = Clock(datetime(2026, 11, 21, 8, 0, tzinfo=UTC))
    assert (interrupted, 3, date(2026, 8, 23)) in due_of(coach)  # within its window
    assert (early, 3, date(2026, 8, 20)) not in due_of(coach)
    item = next(i for i in coach.clock.worklist() if i.kind == "followup")
    assert (item.customer_id, item.name) == (cid, "Seuranta, Aino")
    ref = from_detail(item.detail)
    assert (ref.kind, ref.provider) in {("individual_coaching", "Valmennus Oy"),
                                        ("pay_subsidy", "Lapin Kone Oy")}


def test_not_due_when_the_case_closed_with_a_reason_by_then(coach):
    coach.ctx.now = Clock(datetime(2026, 11, 1, 8, 0, tzinfo=UTC))  # all still in Today
    add_contract(coach)
    closed_early = new_customer(coach, 402)
    closed_late = new_customer(coach, 403)
    first = add_referral(coach, closed_early, ReferralState.COMPLETED, date(2026, 6, 1))
    second = add_referral(coach, closed_late, ReferralState.COMPLETED, date(2026, 5, 1))
    assert {(s, m) for s, m, _d in due_of(coach)} == {(first, 3), (second, 3), (second, 6)}
    # The coach stays named (KEEP): only the closing, not the caseload, drops them.
    coach.case_periods.close(closed_early, date(2026, 8, 15), CaseExitReason.STUDIES,
                             coach=CoachOnClose.KEEP)
    # Closed 1.10.: after the three-month day (1.8.), on the six-month day (1.11.).
    coach.case_periods.close(closed_late, date(2026, 11, 1), CaseExitReason.MOVED_AWAY,
                             coach=CoachOnClose.KEEP)
    assert due_of(coach) == [(second, 3, date(2026, 8, 1))]


def test_an_answered_follow_up_leaves_today_and_two_answers_are_one_row(coach):
    add_contract(coach)
    cid = new_customer(coach, 404)
    rid = add_referral(coach, cid, ReferralState.COMPLETED, date(2026, 8, 24))
    assert due_of(coach) == [(rid, 3, date(2026, 11, 24))]
    first = coach.clock.answer_followup("referral", rid, 3, "unemployed")
    assert due_of(coach) == []
    assert coach.followups.due() == []
    # Another desk (or a second thought) answers the same follow-up: the same row.
    second = coach.followups.answer("referral", rid, 3, FollowupSituation.STUDIES)
    assert first == second == followup_id(rid, 3)
    with coach.ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(EffectFollowup)) == 1
        row = s.get(EffectFollowup, first)
        assert (row.customer_id, row.referral_id, row.decision_id, row.months, row.due_on,
                row.situation, row.answered_on, row.answered_by) == (
            cid, rid, None, 3, date(2026, 11, 24), FollowupSituation.STUDIES, TODAY,
            "staff-coach")


def test_a_decision_answer_and_who_may_answer(coach):
    coach.ctx.now = Clock(datetime(2026, 11, 20, 8, 0, tzinfo=UTC))  # all still in Today
    add_contract(coach)
    cid = new_customer(coach, 405)
    other = new_customer(coach, 406, coach_id=None)
    with coach.ctx.session_factory.begin() as s:  # another coach's customer
        s.add(Staff(id="staff-other", username="other", full_name="Olli Toinen",
                    role=Role.COACH, service_point_id="sp-rov"))
        s.flush()
        s.get(Customer, other).coach_id = "staff-other"
    did = add_decision(coach, cid, DecisionStatus.ENDED, date(2026, 12, 31),
                       ended_on=date(2026, 5, 20))
    theirs = add_decision(coach, other, DecisionStatus.ENDED, date(2026, 12, 31),
                          ended_on=date(2026, 5, 20))
    coach.followups.answer("decision", did, 6, "employed_supported")
    assert due_of(coach) == [(did, 3, date(2026, 8, 20))]
    with coach.ctx.session_factory() as s:
        row = s.get(EffectFollowup, followup_id(did, 6))
        assert (row.decision_id, row.referral_id, row.due_on) == (
            did, None, date(2026, 11, 20))
    coach.auth.sign_out()
    coach.auth.sign_in("lead", "demo")
    coach.followups.answer("decision", theirs, 3, "unknown")  # a team lead may
    coach.auth.sign_out()
    coach.auth.sign_in("coach", "demo")
    with pytest.raises(PermissionDenied):
        coach.followups.answer("decision", theirs, 6, "unknown")
    coach.auth.sign_out()
    coach.auth.sign_in("desk", "demo")
    with pytest.raises(PermissionDenied):
        coach.followups.answer("decision", did, 3, "unknown")
