"""Referrals, support decisions, providers and effect follow-ups between workstations
through the central PostgreSQL, as the real staff roles (#20). Two desks change the same
referral offline: the state merges forward only (app/rules/referrals.py, app/sync/merge.py
and the central guard of c0070); two level but different states (declined on one desk,
started on the other) are a conflict for a person, the first push's value standing.

What a decision decided on one desk and edited as a draft on another does: the order of
the pushes decides. Decided first, the draft edit reaches a decided row: the centre
refuses it (a decided decision is never edited), the edit is rejected and listed as such
on its desk, and its desk pulls the decision as decided, with the amount the team lead
decided. Edited first, the decision does not stand: the lead's push carries the content
the lead decided (SupportDecision.__sync_together__), the centre sees the draft changed
since, keeps the draft with the edit, and holds the decision and the amount as conflicts
for the lead."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app.models import (
    EffectFollowup,
    Referral,
    ServiceContract,
    ServiceProvider,
    SupportDecision,
    SyncConflict,
    followup_id,
    new_id,
)
from app.rules.codes import (
    DecisionKind,
    DecisionStatus,
    FollowupSituation,
    PlacesPeriod,
    ReferralEndReason,
    ReferralState,
    ServiceKind,
)
from app.rules.permissions import Permission
from tests.factories import customer_input
from tests.integration.test_sync import assert_converged, pending

PURCHASED = ("service_provider", "service_contract", "referral", "support_decision",
             "effect_followup")


@pytest.fixture
def area(make_desk):
    """Workstations whose users sync as their own central logins."""
    return functools.partial(make_desk, as_staff=True)


def central(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def _synced(desk):
    report = desk.sync()
    assert report.rejected == 0, [(r.table_name, r.reason)
                                  for r in desk.services.sync.rejected()]
    return report


def _world(area):
    """The seeded area (written by the administrator): a customer of the coach's caseload,
    a provider with a contract, the customer's referral sent to it, and a draft support
    decision. Returns (seeder, ids)."""
    seeder = area("seed", seed=True, as_staff=False)
    services = seeder.sign_in("admin")
    today = services.ctx.today()
    card = services.customers.create(customer_input(
        "Mäkelä", "Aino", date(1985, 3, 12), 124,
        jobseeker_registered_on=today - timedelta(days=200)))
    services.coaching.assign(card.id, "staff-coach", "Alkuhaastattelu")
    ids = {"customer": card.id, "provider": new_id(), "contract": new_id(),
           "referral": new_id(), "decision": new_id()}
    with services.ctx.transaction(Permission.PROVIDER_MANAGE) as s:
        s.add(ServiceProvider(id=ids["provider"], name="Lapin Valmennuspolku Oy",
                              business_id="2541212-4", active=True))
        s.flush()
        s.add(ServiceContract(id=ids["contract"], provider_id=ids["provider"],
                              service=ServiceKind.INDIVIDUAL_COACHING,
                              title="Yksilövalmennus", starts_on=today - timedelta(days=300),
                              ends_on=today + timedelta(days=300), places=20,
                              places_per=PlacesPeriod.YEAR, unit_price_cents=120000,
                              service_point_ids=""))
        s.flush()
        s.add(Referral(id=ids["referral"], customer_id=card.id, contract_id=ids["contract"],
                       coach_id="staff-coach", state=ReferralState.SENT,
                       proposed_on=today - timedelta(days=20),
                       sent_on=today - timedelta(days=19)))
        s.add(SupportDecision(id=ids["decision"], customer_id=card.id,
                              kind=DecisionKind.PAY_SUBSIDY, status=DecisionStatus.DRAFT,
                              employer_name="Rovaniemen Rakennus Oy",
                              employer_business_id="2541212-4",
                              starts_on=today + timedelta(days=14),
                              ends_on=today + timedelta(days=194), percentage=50,
                              hours_per_week=37.5, amount_cents=600000,
                              paying_municipality="Rovaniemi", drafted_by="staff-coach"))
    seeder.sync()
    return seeder, ids


def _step(desk, referral_id, state, day, reason=None):
    """The referral's next state on this desk, as the referral service writes it."""
    with desk.services.ctx.transaction(Permission.REFERRAL_MAKE) as s:
        row = s.get(Referral, referral_id)
        row.state = state
        if state == ReferralState.ACCEPTED or state == ReferralState.DECLINED:
            row.answered_on = day
        elif state == ReferralState.STARTED:
            row.started_on = day
        else:
            row.ended_on = day
        row.end_reason = reason


def _referral(desk, referral_id):
    with desk.services.ctx.session_factory() as s:
        row = s.get(Referral, referral_id)
        return (row.state, row.answered_on, row.started_on, row.end_reason)


def _conflicts(desk):
    with desk.services.ctx.session_factory() as s:
        return [(c.table_name, c.row_id, c.field) for c in s.scalars(select(SyncConflict))]


def _two_desks(area):
    seeder, ids = _world(area)
    a, b = area("a"), area("b")
    a.sign_in("coach")
    b.sign_in("lead")
    _synced(a)
    _synced(b)
    return seeder, a, b, ids


def test_started_on_one_desk_and_accepted_on_the_other_merge_to_started(
        area, staff_central):
    _seeder, a, b, ids = _two_desks(area)
    today = a.services.ctx.today()
    # Offline, the coach hears the customer started; the lead records the acceptance.
    _step(a, ids["referral"], ReferralState.STARTED, today - timedelta(days=3))
    _step(b, ids["referral"], ReferralState.ACCEPTED, today - timedelta(days=5))
    _synced(a)
    _synced(b)  # behind the centre: nothing of it applies, and no conflict
    _synced(a)
    want = (ReferralState.STARTED, None, today - timedelta(days=3), None)
    assert _referral(a, ids["referral"]) == want
    assert _referral(b, ids["referral"]) == want
    assert central(staff_central, "SELECT state, started_on FROM referral") == [
        ("started", today - timedelta(days=3))]
    assert central(staff_central, "SELECT count(*) FROM sync_conflict") == [(0,)]
    assert _conflicts(a) == [] and _conflicts(b) == []
    assert_converged(staff_central, a, b)


def test_accepted_pushed_first_then_started_moves_forward(area, staff_central):
    _seeder, a, b, ids = _two_desks(area)
    today = a.services.ctx.today()
    _step(a, ids["referral"], ReferralState.STARTED, today - timedelta(days=3))
    _step(b, ids["referral"], ReferralState.ACCEPTED, today - timedelta(days=5))
    _synced(b)
    _synced(a)  # further along: applies with its date
    _synced(b)
    for desk in (a, b):
        state, _answered, started, _reason = _referral(desk, ids["referral"])
        assert (state, started) == (ReferralState.STARTED, today - timedelta(days=3))
    assert central(staff_central, "SELECT state FROM referral") == [("started",)]
    assert central(staff_central, "SELECT count(*) FROM sync_conflict") == [(0,)]


def test_started_on_one_desk_and_declined_on_the_other_is_a_conflict_first_push_wins(
        area, staff_central):
    _seeder, a, b, ids = _two_desks(area)
    today = a.services.ctx.today()
    _step(a, ids["referral"], ReferralState.STARTED, today - timedelta(days=2))
    _step(b, ids["referral"], ReferralState.DECLINED, today - timedelta(days=4),
          ReferralEndReason.NO_PLACES)
    _synced(a)
    report = b.sync()
    assert report.rejected == 0
    for _ in range(2):
        _synced(a)
        _synced(b)
    # The first push stands on both desks, with none of the declined one's progress.
    want = (ReferralState.STARTED, None, today - timedelta(days=2), None)
    assert _referral(a, ids["referral"]) == want
    assert _referral(b, ids["referral"]) == want
    rows = central(staff_central, "SELECT table_name, row_id, field, central_value, "
                                  "client_value, status FROM sync_conflict")
    assert len(rows) == 1
    table, row_id, field, central_value, client_value, status = rows[0]
    assert (table, row_id, field, status) == ("referral", ids["referral"], "state", "open")
    assert "started" in central_value and "declined" in client_value
    # Both desks hold the conflict for review (the lead's, and the coach's caseload).
    assert _conflicts(a) == [("referral", ids["referral"], "state")]
    assert _conflicts(b) == [("referral", ids["referral"], "state")]
    assert_converged(staff_central, a, b)


def test_a_decision_decided_on_one_desk_and_edited_as_a_draft_on_the_other(
        area, staff_central):
    _seeder, a, b, ids = _two_desks(area)
    today = a.services.ctx.today()
    with a.services.ctx.transaction(Permission.REFERRAL_MAKE) as s:  # the coach edits
        s.get(SupportDecision, ids["decision"]).amount_cents = 650000
    with b.services.ctx.transaction(Permission.DECISION_DECIDE) as s:  # the lead decides
        row = s.get(SupportDecision, ids["decision"])
        row.status, row.decided_on, row.decided_by = (DecisionStatus.DECIDED, today,
                                                     "staff-lead")
    _synced(b)
    report = a.sync()
    # The draft edit reached a decided decision: refused centrally, listed on its desk.
    assert report.rejected == 1
    assert "never edited" in " ".join(r.reason for r in a.services.sync.rejected())
    for _ in range(2):
        a.sync()
        _synced(b)
    assert central(staff_central, "SELECT status, amount_cents, decided_by FROM "
                                  "support_decision") == [("decided", 600000, "staff-lead")]
    with b.services.ctx.session_factory() as s:
        row = s.get(SupportDecision, ids["decision"])
        assert (row.status, row.amount_cents) == (DecisionStatus.DECIDED, 600000)
    with a.services.ctx.session_factory() as s:
        assert s.get(SupportDecision, ids["decision"]).status == DecisionStatus.DECIDED


def test_a_draft_edit_pushed_before_the_decision_stops_the_decision(area, staff_central):
    """The lead decided the figures they read; a coach's edit of the draft reached the
    centre first: the decision does not stand for figures nobody decided. The draft stays
    a draft with the edit, and the decision and its amount wait as conflicts for the lead
    (merge._decided_unseen)."""
    _seeder, a, b, ids = _two_desks(area)
    today = a.services.ctx.today()
    with a.services.ctx.transaction(Permission.REFERRAL_MAKE) as s:
        s.get(SupportDecision, ids["decision"]).amount_cents = 650000
    with b.services.ctx.transaction(Permission.DECISION_DECIDE) as s:
        row = s.get(SupportDecision, ids["decision"])
        row.status, row.decided_on, row.decided_by = (DecisionStatus.DECIDED, today,
                                                     "staff-lead")
    _synced(a)
    _synced(b)
    _synced(a)
    assert central(staff_central, "SELECT status, amount_cents FROM support_decision"
                   ) == [("draft", 650000)]
    for desk in (a, b):
        with desk.services.ctx.session_factory() as s:
            row = s.get(SupportDecision, ids["decision"])
            assert (row.status, row.amount_cents) == (DecisionStatus.DRAFT, 650000)
    assert sorted(central(staff_central, "SELECT field FROM sync_conflict")) == [
        ("amount_cents",), ("status",)]


def test_providers_and_contracts_edited_by_a_lead_reach_a_coachs_desk(area, staff_central):
    _seeder, a, b, ids = _two_desks(area)
    today = b.services.ctx.today()
    new_provider, new_contract = new_id(), new_id()
    with b.services.ctx.transaction(Permission.PROVIDER_MANAGE) as s:
        s.get(ServiceContract, ids["contract"]).places = 25
        s.get(ServiceProvider, ids["provider"]).phone = "040 123 4567"
        s.add(ServiceProvider(id=new_provider, name="Ranuan Työpaja ry",
                              business_id="1572860-0", active=True))
        s.flush()
        s.add(ServiceContract(id=new_contract, provider_id=new_provider,
                              service=ServiceKind.WORK_ABILITY_ASSESSMENT,
                              title="Työkyvyn arviointi", starts_on=today,
                              ends_on=today + timedelta(days=365), places=None,
                              places_per=PlacesPeriod.CONTRACT, lump_sum_cents=2400000,
                              service_point_ids="sp-rov"))
    _synced(b)
    _synced(a)
    with a.services.ctx.session_factory() as s:
        assert s.get(ServiceContract, ids["contract"]).places == 25
        assert s.get(ServiceProvider, ids["provider"]).phone == "040 123 4567"
        assert s.get(ServiceProvider, new_provider).name == "Ranuan Työpaja ry"
        added = s.get(ServiceContract, new_contract)
        assert (added.lump_sum_cents, added.service_point_ids) == (2400000, "sp-rov")
    # The coach's own attempt past the application is refused centrally.
    with a.services.ctx.transaction(Permission.REFERRAL_MAKE) as s:
        s.get(ServiceContract, ids["contract"]).places = 99
    assert a.sync().rejected == 1
    assert central(staff_central, "SELECT places FROM service_contract WHERE id = :c",
                   c=ids["contract"]) == [(25,)]


def test_a_follow_up_answered_on_two_desks_offline_is_one_row(area, staff_central):
    _seeder, a, b, ids = _two_desks(area)
    today = a.services.ctx.today()
    for desk, state, day in ((a, ReferralState.STARTED, 120), (a, ReferralState.COMPLETED,
                                                              100)):
        _step(desk, ids["referral"], state, today - timedelta(days=day))
    _synced(a)
    _synced(b)
    fid = followup_id(ids["referral"], 3)
    for desk, situation, staff in ((a, FollowupSituation.STUDIES, "staff-coach"),
                                   (b, FollowupSituation.EMPLOYED_OPEN_MARKET, "staff-lead")):
        with desk.services.ctx.transaction(Permission.REFERRAL_MAKE) as s:
            s.add(EffectFollowup(id=fid, customer_id=ids["customer"],
                                 referral_id=ids["referral"], months=3,
                                 due_on=today - timedelta(days=9), situation=situation,
                                 answered_on=today, answered_by=staff))
    _synced(a)
    b.sync()
    for _ in range(2):
        _synced(a)
        _synced(b)
    rows = central(staff_central, "SELECT id, situation FROM effect_followup")
    # One row, whichever answer stands: the later push's insert reaches the row the
    # first one made and merges into it (today the later answer is applied as it comes,
    # with no conflict row; a field conflict would be kept for review at most).
    assert len(rows) == 1 and rows[0][0] == fid
    standing = FollowupSituation(rows[0][1])
    assert standing in (FollowupSituation.STUDIES, FollowupSituation.EMPLOYED_OPEN_MARKET)
    conflicts = central(staff_central, "SELECT row_id, field FROM sync_conflict "
                                       "WHERE table_name = 'effect_followup'")
    assert set(conflicts) <= {(fid, "situation"), (fid, "answered_by")}
    for desk in (a, b):
        with desk.services.ctx.session_factory() as s:
            held = s.scalars(select(EffectFollowup)).all()
            assert [(f.id, f.situation) for f in held] == [(fid, standing)]


def test_the_desk_workstation_holds_none_of_the_case_work(area, staff_central):
    seeder, ids = _world(area)
    today = seeder.services.ctx.today()
    with seeder.services.ctx.transaction(Permission.REFERRAL_MAKE) as s:
        s.add(EffectFollowup(id=followup_id(ids["decision"], 3), customer_id=ids["customer"],
                             decision_id=ids["decision"], months=3, due_on=today,
                             situation=FollowupSituation.UNKNOWN, answered_on=today))
    seeder.sync()
    front = area("front")
    front.sign_in("desk")
    _synced(front)
    with front.services.ctx.session_factory() as s:
        for model in (Referral, SupportDecision, EffectFollowup):
            assert s.scalars(select(model)).all() == [], model.__tablename__
        assert [p.id for p in s.scalars(select(ServiceProvider))] == [ids["provider"]]
        assert [c.id for c in s.scalars(select(ServiceContract))] == [ids["contract"]]
    assert [e for e in pending(front) if e.table_name in PURCHASED] == []


def test_a_contract_s_places_are_counted_whole_on_a_desk_that_holds_none_of_its_referrals(
        area, staff_central):
    """The desk worker's copy holds no referral at all (case work), yet the contract's
    places are counted from the centre's ledger: the coach's referral sent on desk a takes
    a place on desk b, and gives it back when declined."""
    _seeder, ids = _world(area)
    a, b = area("a"), area("b")
    a.sign_in("coach")
    b.sign_in("desk")
    _synced(a)
    _synced(b)
    today = b.services.ctx.today()
    with b.services.ctx.session_factory() as s:
        assert s.scalars(select(Referral.id)).all() == []
    assert b.services.providers.places(ids["contract"], today).used == 1
    # A second customer's referral sent on desk a reaches desk b's count through the ledger.
    second = new_id()
    with a.services.ctx.transaction(Permission.REFERRAL_MAKE) as s:
        s.add(Referral(id=second, customer_id=ids["customer"], contract_id=ids["contract"],
                       coach_id="staff-coach", state=ReferralState.SENT,
                       proposed_on=today, sent_on=today))
    assert a.services.providers.places(ids["contract"], today).used == 2  # before the push
    _synced(a)
    _synced(b)
    assert b.services.providers.places(ids["contract"], today).used == 2
    _step(a, second, ReferralState.DECLINED, today, ReferralEndReason.NO_PLACES)
    _synced(a)
    _synced(b)
    assert b.services.providers.places(ids["contract"], today).used == 1
    assert a.services.providers.places(ids["contract"], today).used == 1
    # A team lead's attempt to reprice the contract past the application is refused.
    lead = area("c")
    lead.sign_in("lead")
    _synced(lead)
    with lead.services.ctx.transaction(Permission.PROVIDER_MANAGE) as s:
        s.get(ServiceContract, ids["contract"]).unit_price_cents = 99
    assert lead.sync().rejected == 1
    assert central(staff_central, "SELECT unit_price_cents FROM service_contract "
                                  "WHERE id = :c", c=ids["contract"]) == [(120000,)]
