"""Referrals to purchased services: forward-only steps with their dates and reasons, the
contract's places when sending, the plan link, and who may refer (#20)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.dto.plans import PlanContent, PlanServiceItem
from app.models import (
    AuditEvent,
    PlannedService,
    Referral,
    ServiceContract,
    ServiceProvider,
    Staff,
    StaffCredential,
    Team,
)
from app.rules.codes import (
    PlacesPeriod,
    PlanStatus,
    ReferralEndReason,
    ReferralState,
    Role,
    ServiceArea,
    ServiceKind,
)
from app.services.errors import Conflict, PermissionDenied, ValidationFailed
from app.services.referrals import PlacesFull
from tests.factories import Clock, customer_input, verifier

TODAY_UTC = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 24.11.2026 in Helsinki
TODAY = date(2026, 11, 24)
R = ReferralState


def seed_contract(services, places=2, per=PlacesPeriod.QUARTER, points="", **kw):
    with services.ctx.session_factory.begin() as s:
        provider = ServiceProvider(name="Valmennus Oy", business_id="0737546-2",
                                   email="info@valmennus.example", phone="040 123 4567",
                                   street_address="Koskikatu 1", postal_code="96100",
                                   post_office="Rovaniemi")
        s.add(provider)
        s.flush()
        contract = ServiceContract(provider_id=provider.id,
                                   service=ServiceKind.INDIVIDUAL_COACHING,
                                   title="Yksilövalmennus 2026–2027",
                                   starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31),
                                   places=places, places_per=per, unit_price_cents=120000,
                                   service_point_ids=points, **kw)
        s.add(contract)
        s.flush()
        return contract.id


@pytest.fixture
def coach(signed_in):
    signed_in.ctx.now = Clock(TODAY_UTC)
    return signed_in


def new_customer(services, individual, coach_id="staff-coach"):
    cid = services.customers.create(customer_input(
        "Testi", "Asiakas", date(1990, 1, 1), individual,
        jobseeker_registered_on=date(2026, 3, 2), unemployed_since=date(2026, 3, 2))).id
    if coach_id:
        services.coaching.assign(cid, coach_id, "Alkuhaastattelu")
    return cid


def test_a_referral_is_proposed_today_and_moves_forward_with_dates(coach):
    contract = seed_contract(coach)
    cid = new_customer(coach, 401)
    row = coach.referrals.refer(cid, contract, note="Soita ensin")
    assert (row.state, row.proposed_on, row.note, row.coach_name) == (
        "proposed", TODAY, "Soita ensin", "Pekka Ylitalo")
    assert row.next_states == ("sent",)
    assert (row.provider_name, row.service) == ("Valmennus Oy", "individual_coaching")
    row = coach.referrals.advance(row.id, R.SENT, on=date(2026, 11, 24))
    assert (row.state, row.sent_on) == ("sent", TODAY)
    assert set(row.next_states) == {"accepted", "declined", "started"}
    row = coach.referrals.advance(row.id, R.ACCEPTED)
    assert (row.state, row.answered_on) == ("accepted", TODAY)
    row = coach.referrals.advance(row.id, R.STARTED)
    assert row.started_on == TODAY
    row = coach.referrals.advance(row.id, R.COMPLETED)
    assert (row.state, row.ended_on, row.end_reason, row.next_states) == (
        "completed", TODAY, None, ())
    listed = coach.referrals.list_for_customer(cid)
    assert [r.id for r in listed.rows] == [row.id] and listed.writable


ALLOWED = [(R.PROPOSED, R.SENT), (R.SENT, R.ACCEPTED), (R.SENT, R.DECLINED),
           (R.SENT, R.STARTED), (R.ACCEPTED, R.STARTED), (R.ACCEPTED, R.INTERRUPTED),
           (R.STARTED, R.INTERRUPTED), (R.STARTED, R.COMPLETED)]
PATHS = {R.PROPOSED: [], R.SENT: [R.SENT], R.ACCEPTED: [R.SENT, R.ACCEPTED],
         R.STARTED: [R.SENT, R.STARTED], R.DECLINED: [R.SENT, R.DECLINED],
         R.INTERRUPTED: [R.SENT, R.STARTED, R.INTERRUPTED],
         R.COMPLETED: [R.SENT, R.STARTED, R.COMPLETED]}


def reach(services, referral_id, state):
    for step in PATHS[state]:
        services.referrals.advance(referral_id, step, reason=ReferralEndReason.OTHER,
                                   send_anyway=True)


def test_every_step_allowed_and_every_other_refused(coach):
    contract = seed_contract(coach, places=None)
    cid = new_customer(coach, 402)
    for current in R:
        for target in R:
            referral = coach.referrals.refer(cid, contract)
            reach(coach, referral.id, current)
            if (current, target) in ALLOWED:
                row = coach.referrals.advance(referral.id, target,
                                              reason=ReferralEndReason.HEALTH)
                assert row.state == target.value
            else:
                with pytest.raises(Conflict) as refused:
                    coach.referrals.advance(referral.id, target,
                                            reason=ReferralEndReason.HEALTH)
                final = current in (R.DECLINED, R.INTERRUPTED, R.COMPLETED)
                assert ("has ended" in refused.value.message) == final
                with coach.ctx.session_factory() as s:
                    assert s.get(Referral, referral.id).state == current


def test_declined_and_interrupted_need_a_reason(coach):
    contract = seed_contract(coach, places=None)
    cid = new_customer(coach, 403)
    r = coach.referrals.refer(cid, contract)
    coach.referrals.advance(r.id, R.SENT)
    with pytest.raises(ValidationFailed) as missing:
        coach.referrals.advance(r.id, R.DECLINED)
    assert "reason" in missing.value.errors
    with pytest.raises(ValidationFailed):
        coach.referrals.advance(r.id, R.DECLINED, reason="no_such_reason")
    row = coach.referrals.advance(r.id, R.DECLINED, reason=ReferralEndReason.NO_PLACES)
    assert (row.state, row.end_reason, row.answered_on) == ("declined", "no_places", TODAY)
    r2 = coach.referrals.refer(cid, contract)
    coach.referrals.advance(r2.id, R.SENT)
    coach.referrals.advance(r2.id, R.STARTED)
    with pytest.raises(ValidationFailed):
        coach.referrals.advance(r2.id, R.INTERRUPTED)
    row = coach.referrals.advance(r2.id, R.INTERRUPTED, reason="employed")
    assert (row.state, row.end_reason) == ("interrupted", "employed")


def test_dates_never_in_the_future_nor_before_the_previous_step(coach):
    contract = seed_contract(coach, places=None)
    cid = new_customer(coach, 404)
    coach.ctx.now = Clock(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    r = coach.referrals.refer(cid, contract)  # proposed 2.11.
    coach.ctx.now = Clock(TODAY_UTC)
    with pytest.raises(ValidationFailed) as future:
        coach.referrals.advance(r.id, R.SENT, on=date(2026, 11, 25))
    assert "on" in future.value.errors
    with pytest.raises(ValidationFailed) as early:
        coach.referrals.advance(r.id, R.SENT, on=date(2026, 11, 1))
    assert "on" in early.value.errors
    row = coach.referrals.advance(r.id, R.SENT, on=date(2026, 11, 5))
    assert row.sent_on == date(2026, 11, 5)
    with pytest.raises(ValidationFailed):
        coach.referrals.advance(r.id, R.STARTED, on=date(2026, 11, 4))
    row = coach.referrals.advance(r.id, R.STARTED, on=date(2026, 11, 5))  # the same day is fine
    assert (row.started_on, row.answered_on) == (date(2026, 11, 5), None)


def test_a_full_period_warns_with_the_next_free_period_and_sends_when_confirmed(coach):
    contract = seed_contract(coach, places=1, per=PlacesPeriod.QUARTER)
    cid = new_customer(coach, 405)
    first = coach.referrals.refer(cid, contract)
    coach.referrals.advance(first.id, R.SENT)
    second = coach.referrals.refer(cid, contract)
    assert second.places.full and second.places.left == 0
    with pytest.raises(PlacesFull) as full:
        coach.referrals.advance(second.id, R.SENT)
    places = full.value.places
    assert (places.period_start, places.period_end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert places.next_free == (date(2027, 1, 1), date(2027, 3, 31))
    text = full.value.text()
    assert "1.1.2027" in text or "01/01/2027" in text or "2027" in text
    with coach.ctx.session_factory() as s:
        assert s.get(Referral, second.id).state == R.PROPOSED  # nothing written
    row = coach.referrals.advance(second.id, R.SENT, send_anyway=True)
    assert row.state == "sent" and row.places.used == 2
    with coach.ctx.session_factory() as s:
        detail = s.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "referral.advance", AuditEvent.entity_id == second.id)).one()
    assert "places_full_confirmed" in detail


def test_a_declined_referral_frees_its_place_and_no_free_period_left_is_named(coach):
    contract = seed_contract(coach, places=1, per=PlacesPeriod.CONTRACT)
    cid = new_customer(coach, 406)
    first = coach.referrals.refer(cid, contract)
    coach.referrals.advance(first.id, R.SENT)
    second = coach.referrals.refer(cid, contract)
    with pytest.raises(PlacesFull) as full:
        coach.referrals.advance(second.id, R.SENT)
    assert full.value.places.next_free is None
    assert "no free period" in full.value.message
    coach.referrals.advance(first.id, R.DECLINED, reason=ReferralEndReason.NOT_SUITABLE)
    assert coach.referrals.advance(second.id, R.SENT).state == "sent"


def test_contracts_offered_serve_the_customer_s_point_today(coach):
    here = seed_contract(coach, points="sp-rov other")
    seed_contract(coach, points="sp-elsewhere")
    everywhere = seed_contract(coach, points="")
    cid = new_customer(coach, 407)
    offered = {c.contract_id for c in coach.referrals.contracts_for(cid)}
    assert offered == {here, everywhere}
    elsewhere = [c for c in seed_ids(coach) if c not in offered]
    with pytest.raises(ValidationFailed):
        coach.referrals.refer(cid, elsewhere[0])


def seed_ids(services):
    with services.ctx.session_factory() as s:
        return list(s.scalars(select(ServiceContract.id)))


def add_outsider(services):
    with services.ctx.session_factory.begin() as s:
        s.add(Team(id="team-2", name="Nuoret", service_area=ServiceArea.FINDING_WORK))
        s.flush()
        s.add(Staff(id="staff-other", username="other", full_name="Olli Muu", role=Role.COACH,
                    team_id="team-2", service_point_id="sp-rov"))
        s.flush()
        s.add(StaffCredential(staff_id="staff-other", verifier=verifier()))


def test_a_coach_outside_the_caseload_and_the_desk_are_refused(coach):
    contract = seed_contract(coach)
    cid = new_customer(coach, 408)
    r = coach.referrals.refer(cid, contract)
    add_outsider(coach)
    coach.auth.sign_in("other", "demo")
    with pytest.raises(PermissionDenied):
        coach.referrals.refer(cid, contract)
    with pytest.raises(PermissionDenied):
        coach.referrals.advance(r.id, R.SENT)
    with pytest.raises(PermissionDenied):
        coach.referrals.list_for_customer(cid)
    assert coach.referrals.list_all() == []
    coach.auth.sign_in("desk", "demo")
    for call in (lambda: coach.referrals.refer(cid, contract),
                 lambda: coach.referrals.advance(r.id, R.SENT),
                 lambda: coach.referrals.list_for_customer(cid),
                 lambda: coach.referrals.list_all()):
        with pytest.raises(PermissionDenied):
            call()
    coach.auth.sign_in("lead", "demo")  # a team lead moves anyone's referral on
    assert coach.referrals.advance(r.id, R.SENT).state == "sent"
    assert [x.id for x in coach.referrals.list_all(cid)] == [r.id]


def test_the_audit_holds_ids_and_states_only(coach):
    contract = seed_contract(coach)
    cid = new_customer(coach, 409)
    r = coach.referrals.refer(cid, contract, note="Salainen huomio")
    coach.referrals.advance(r.id, R.SENT, note="Toinen huomio")
    with coach.ctx.session_factory() as s:
        details = s.scalars(select(AuditEvent.detail).where(
            AuditEvent.action.like("referral.%"))).all()
    assert len(details) == 2
    assert all("huomio" not in d and "Testi" not in d for d in details)


def test_a_plan_line_links_its_referral_and_the_next_draft_keeps_it(coach):
    contract = seed_contract(coach)
    cid = new_customer(coach, 410)
    draft = coach.plans.create_plan(cid, "employment")
    content = PlanContent(services=(PlanServiceItem("coaching", "Valmennus Oy",
                                                    date(2026, 12, 1), date(2027, 2, 28)),))
    coach.plans.save_draft(draft.row.id, content, draft.revision)
    lines = coach.referrals.plan_lines(cid)
    assert len(lines) == 1 and lines[0].draft
    r = coach.referrals.refer(cid, contract, plan_service_id=lines[0].plan_service_id)
    assert r.plan_service_id == lines[0].plan_service_id
    with coach.ctx.session_factory() as s:
        assert s.get(PlannedService, lines[0].plan_service_id).referral_id == r.id
    coach.referrals.advance(r.id, R.SENT)
    states = coach.referrals.states_for_lines([lines[0].plan_service_id])
    assert states[lines[0].plan_service_id].state == "sent"
    shown = coach.plans.version(draft.row.id).content.services[0]
    assert (shown.referral_state, shown.referral_on) == ("sent", TODAY)
    with coach.ctx.session_factory.begin() as s:  # accepted (as the plan tests do)
        from app.models import PlanVersion
        s.get(PlanVersion, draft.row.id).status = PlanStatus.ACCEPTED
    new = coach.plans.start_new_draft(draft.row.id)
    with coach.ctx.session_factory() as s:
        copied = s.scalars(select(PlannedService).where(
            PlannedService.plan_version_id == new.row.id,
            PlannedService.deleted_at.is_(None))).all()
    assert [x.referral_id for x in copied] == [r.id]
    # A line referred from an accepted version is linked by the referral alone, and the
    # next draft made from it still carries the link.
    other = coach.referrals.refer(cid, contract, plan_service_id=copied[0].id)
    assert other.plan_service_id == copied[0].id


def test_a_line_keeps_its_referral_when_the_editor_re_sorts_the_lines(coach):
    from dataclasses import replace

    contract = seed_contract(coach)
    cid = new_customer(coach, 415)
    draft = coach.plans.create_plan(cid, "employment")
    coaching = PlanServiceItem("coaching", "Valmennus Oy", date(2026, 12, 1),
                               date(2027, 2, 28))
    coach.plans.save_draft(draft.row.id, PlanContent(services=(coaching,)), draft.revision)
    line = coach.referrals.plan_lines(cid)[0].plan_service_id
    r = coach.referrals.refer(cid, contract, plan_service_id=line)
    loaded = coach.plans.version(draft.row.id)
    (shown,) = loaded.content.services
    assert shown.referral_id == r.id
    # An earlier line is added: stored rows are matched by position, the link follows
    # its line, not the row.
    training = PlanServiceItem("labour_market_training", "Opisto", date(2026, 10, 1), None)
    coach.plans.save_draft(draft.row.id, PlanContent(services=(training, shown)),
                           loaded.revision)
    services = coach.plans.version(draft.row.id).content.services
    assert [(x.service_type, x.referral_state) for x in services] == [
        ("labour_market_training", None), ("coaching", "proposed")]
    # An editor that read the draft before the referral was made saves without the
    # link: the line keeps it.
    again = coach.plans.version(draft.row.id)
    stale = tuple(replace(x, referral_id=None) for x in again.content.services)
    edited = (stale[0], replace(stale[1], note="Aamuisin"))
    coach.plans.save_draft(draft.row.id, PlanContent(services=edited), again.revision)
    services = coach.plans.version(draft.row.id).content.services
    assert services[1].referral_state == "proposed" and services[1].note == "Aamuisin"


def test_a_plan_line_of_another_customer_is_refused(coach):
    contract = seed_contract(coach)
    cid = new_customer(coach, 411)
    other = new_customer(coach, 412)
    draft = coach.plans.create_plan(other, "employment")
    coach.plans.save_draft(draft.row.id, PlanContent(services=(
        PlanServiceItem("coaching", "X", date(2026, 12, 1), None),)), draft.revision)
    line = coach.referrals.plan_lines(other)[0].plan_service_id
    with pytest.raises(ValidationFailed):
        coach.referrals.refer(cid, contract, plan_service_id=line)


def test_a_merge_moves_referrals_and_the_extract_lists_them(coach):
    from app.models import SupportDecision
    from app.printing.extract_pdf import render_extract
    from app.rules.codes import DecisionKind

    contract = seed_contract(coach)
    dup = new_customer(coach, 413)
    real = new_customer(coach, 414)
    r = coach.referrals.refer(dup, contract, note="Muistiinpano")
    with coach.ctx.session_factory.begin() as s:
        s.add(SupportDecision(customer_id=dup, kind=DecisionKind.WORK_TRIAL,
                              employer_name="Kahvila Oy", starts_on=date(2026, 12, 1),
                              ends_on=date(2027, 2, 28), paying_municipality="Rovaniemi"))
    coach.auth.sign_in("lead", "demo")
    moved = dict(coach.customer_merge.merge(dup, real).moves)
    assert (moved["referral"], moved["support_decision"], moved["effect_followup"]) == (1, 1, 0)
    assert [x.id for x in coach.referrals.list_for_customer(real).rows] == [r.id]
    coach.auth.sign_in("admin", "demo")
    extract = coach.rights.extract(real)
    assert [x["id"] for x in extract["sections"]["referral"]] == [r.id]
    assert [x["employer_name"] for x in extract["sections"]["support_decision"]] == [
        "Kahvila Oy"]
    assert extract["sections"]["effect_followup"] == []
    import io

    from pypdf import PdfReader
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        render_extract(extract, "en"))).pages)
    assert "Referrals" in text and "Support decisions" in text and "Kahvila Oy" in text
