"""The register of service providers and contracts (#20): the Y-tunnus (valid, a wrong
check digit, a bad format, a check remainder of 1), contract validation, the places per
period with the next free one, who may write, and the contracts that serve a point."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, select

from app.dto.providers import ContractInput, ProviderInput
from app.models import AuditEvent, ContractPlace, OutboxEntry, Referral, ServiceProvider
from app.rules import business_id
from app.rules.codes import ReferralState
from app.rules.permissions import Permission
from app.services.errors import NotFound, PermissionDenied, ValidationFailed
from tests.factories import Clock, add_people


@pytest.fixture
def lead(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("lead", "demo")
    return services


def provider(name="Valmennus Oy", bid="2077474-0", **kw):
    return ProviderInput(name=name, business_id=bid, **kw)


def contract(provider_id, **kw):
    values = dict(provider_id=provider_id, service="individual_coaching",
                  title="Yksilövalmennus 2026", starts_on=date(2026, 1, 1),
                  ends_on=date(2026, 12, 31), places="2", places_per="quarter",
                  unit_price="1 250,50")
    values.update(kw)
    return ContractInput(**values)


@pytest.mark.parametrize(("typed", "stored"), [
    ("2077474-0", "2077474-0"), ("20774740", "2077474-0"), (" 2077474 - 0 ", "2077474-0"),
    ("FI20774740", "2077474-0"), ("112038-9", "0112038-9")])
def test_a_valid_business_id_is_stored_formatted(typed, stored):
    assert business_id.check(typed).value == stored


@pytest.mark.parametrize(("typed", "error"), [
    ("2077474-1", business_id.BAD_CHECKSUM),
    ("1234567-8", business_id.BAD_CHECKSUM),
    ("12345", business_id.BAD_FORMAT),
    ("2077474-X", business_id.BAD_FORMAT),
    ("20774740-0", business_id.BAD_FORMAT),
    # 0000006: 6 x 2 = 12, remainder 1 -> no check digit exists for these digits.
    ("0000006-1", business_id.REMAINDER_ONE),
    ("0000006-0", business_id.REMAINDER_ONE),
])
def test_a_wrong_business_id_says_why(typed, error):
    checked = business_id.check(typed)
    assert not checked.ok and checked.value is None and checked.error == error


def test_the_service_refuses_a_wrong_business_id(lead):
    with pytest.raises(ValidationFailed) as caught:
        lead.providers.save_provider(provider(bid="2077474-1", email="x@", phone="12"))
    errors = caught.value.errors
    assert errors["business_id"] == business_id.BAD_CHECKSUM
    assert set(errors) == {"business_id", "email", "phone"}
    with pytest.raises(ValidationFailed) as caught:
        lead.providers.save_provider(provider(name="  ", bid=""))
    assert set(caught.value.errors) == {"name", "business_id"}


def test_save_edit_deactivate_and_search(lead):
    a = lead.providers.save_provider(provider(email="info@valmennus.fi", phone="040 1234567"))
    b = lead.providers.save_provider(provider("Åbo Utbildning Ab", "0112038-9"))
    assert a.business_id == "2077474-0" and a.active
    edited = lead.providers.save_provider(provider("Valmennus Oy Ab", "20774740"), a.id)
    assert edited.id == a.id and edited.name == "Valmennus Oy Ab" and edited.email == ""
    with pytest.raises(ValidationFailed) as caught:  # the other's business ID
        lead.providers.save_provider(provider("Copy", "0112038-9"), a.id)
    assert "business_id" in caught.value.errors
    lead.providers.set_active(b.id, False)
    names = [p.name for p in lead.providers.providers()]
    assert names == ["Valmennus Oy Ab", "Åbo Utbildning Ab"]  # the active one first
    assert [p.name for p in lead.providers.providers(include_inactive=False)] == [
        "Valmennus Oy Ab"]
    assert [p.id for p in lead.providers.providers("åbo")] == [b.id]
    assert [p.id for p in lead.providers.providers("0112038")] == [b.id]
    assert lead.providers.find("2077474-0").id == a.id
    lead.providers.set_active(b.id, True)
    assert all(p.active for p in lead.providers.providers())
    with lead.ctx.session_factory() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).where(
            AuditEvent.entity == "service_provider"))]
        details = [e.detail or "" for e in s.scalars(select(AuditEvent))]
    assert actions.count("provider.create") == 2 and "provider.deactivate" in actions
    assert not any("Valmennus" in d for d in details)  # no names in the trail


def test_contract_validation(lead):
    p = lead.providers.save_provider(provider())
    cases = {
        "ends_on": contract(p.id, ends_on=date(2025, 12, 31)),
        "places": contract(p.id, places="0"),
        "unit_price": contract(p.id, unit_price="", lump_sum=""),
        "lump_sum": contract(p.id, lump_sum="5000"),
        "service": contract(p.id, service="massage"),
        "title": contract(p.id, title=" "),
    }
    for field, data in cases.items():
        with pytest.raises(ValidationFailed) as caught:
            lead.providers.save_contract(data)
        assert field in caught.value.errors, field
    with pytest.raises(ValidationFailed) as caught:
        lead.providers.save_contract(contract(p.id, unit_price="12,345"))
    assert "unit_price" in caught.value.errors
    saved = lead.providers.save_contract(contract(p.id, places="", unit_price="",
                                                  lump_sum="80 000 €"))
    assert saved.places is None and saved.lump_sum_cents == 8_000_000
    assert saved.unit_price_cents is None and not saved.places_now.full
    form = lead.providers.contract_form(saved.id)
    assert form.lump_sum == "80000,00" and form.places == ""
    again = lead.providers.save_contract(contract(p.id, unit_price="99.9"), saved.id)
    assert again.id == saved.id and again.unit_price_cents == 9990
    assert again.lump_sum_cents is None and again.places == 2


def _refer(services, contract_id, customer_id, sent_on, state=ReferralState.SENT):
    with services.ctx.session_factory.begin() as s:
        s.add(Referral(customer_id=customer_id, contract_id=contract_id, state=state,
                       proposed_on=sent_on, sent_on=None if state == ReferralState.PROPOSED
                       else sent_on))


def test_places_per_period_and_the_next_free_period(lead):
    p = lead.providers.save_provider(provider())
    c = lead.providers.save_contract(contract(p.id))  # 2 places per quarter in 2026
    people = add_people(lead)
    _refer(lead, c.id, people[0], date(2026, 10, 5))
    _refer(lead, c.id, people[1], date(2026, 11, 2), ReferralState.COMPLETED)
    _refer(lead, c.id, people[2], date(2026, 11, 3), ReferralState.DECLINED)  # no place
    _refer(lead, c.id, people[3], date(2026, 11, 4), ReferralState.PROPOSED)  # not sent
    _refer(lead, c.id, people[4], date(2026, 7, 1))
    q4 = lead.providers.places(c.id, date(2026, 11, 24))
    assert (q4.period_start, q4.period_end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert q4.used == 2 and q4.left == 0 and q4.full
    assert q4.next_free is None  # the contract ends with this quarter
    q3 = lead.providers.places(c.id, date(2026, 8, 1))
    assert q3.used == 1 and q3.left == 1 and not q3.full
    _refer(lead, c.id, people[0], date(2026, 4, 1))
    _refer(lead, c.id, people[1], date(2026, 5, 1))
    q2 = lead.providers.places(c.id, date(2026, 6, 30))
    assert q2.full and q2.next_free == (date(2026, 7, 1), date(2026, 9, 30))
    detail = lead.providers.provider(p.id)
    assert detail.contracts[0].places_now.used == 2 and detail.provider.contracts == 1


def test_places_taken_on_other_workstations_count_from_the_ledger(lead):
    """The centre's ledger holds the places of referrals this workstation does not hold
    (another service point's customers, another team's caseload): they count too; a
    referral held here counts as it stands here, not as its older ledger row says."""
    p = lead.providers.save_provider(provider())
    c = lead.providers.save_contract(contract(p.id))  # 2 places per quarter in 2026
    people = add_people(lead)
    with lead.ctx.session_factory.begin() as s:
        s.add(ContractPlace(id="elsewhere-1", contract_id=c.id, sent_on=date(2026, 10, 9),
                            holds_place=True, home_municipality="Ranua",
                            service_point_id="sp-ran"))
        s.add(ContractPlace(id="elsewhere-2", contract_id=c.id, sent_on=date(2026, 10, 9),
                            holds_place=False))  # declined there: no place
        s.add(ContractPlace(id="here", contract_id=c.id, sent_on=date(2026, 10, 2),
                            holds_place=True))  # before this desk's decline was pushed
        # A copy this desk no longer follows (the customer moved away): it says sent,
        # the ledger knows it was declined since.
        s.add(ContractPlace(id="stale", contract_id=c.id, sent_on=date(2026, 10, 2),
                            holds_place=False))
        s.add(Referral(id="stale", customer_id=people[2], contract_id=c.id,
                       state=ReferralState.SENT, proposed_on=date(2026, 10, 1),
                       sent_on=date(2026, 10, 2)))
    with lead.ctx.session_factory.begin() as s:  # "stale" was pushed long ago
        s.execute(delete(OutboxEntry).where(OutboxEntry.row_id == "stale"))
    with lead.ctx.transaction(Permission.REFERRAL_MAKE) as s:  # waits in the outbox
        s.add(Referral(id="here", customer_id=people[0], contract_id=c.id,
                       state=ReferralState.DECLINED, proposed_on=date(2026, 10, 1),
                       sent_on=date(2026, 10, 2), answered_on=date(2026, 10, 3)))
    q4 = lead.providers.places(c.id, date(2026, 11, 24))
    assert q4.used == 1 and not q4.full
    _refer(lead, c.id, people[1], date(2026, 11, 2))
    assert lead.providers.places(c.id, date(2026, 11, 24)).full


def test_a_contract_with_sent_referrals_keeps_its_terms(lead):
    p = lead.providers.save_provider(provider())
    c = lead.providers.save_contract(contract(p.id))
    # Before any referral is sent, everything may change.
    c = lead.providers.save_contract(contract(p.id, unit_price="1 300"), c.id)
    people = add_people(lead)
    _refer(lead, c.id, people[0], date(2026, 11, 2))
    for changed, field in ((dict(unit_price="1 400"), "unit_price"),
                           (dict(service="group_coaching"), "service"),
                           (dict(starts_on=date(2026, 2, 1)), "starts_on"),
                           (dict(unit_price="", lump_sum="9000"), "lump_sum"),
                           (dict(ends_on=date(2026, 11, 1)), "ends_on")):
        with pytest.raises(ValidationFailed) as caught:
            lead.providers.save_contract(contract(p.id, **{"unit_price": "1 300", **changed}),
                                         c.id)
        assert field in caught.value.errors, field
    # A referral sent after the contract's end does not stop other edits while the end
    # stays; a declined one locks nothing.
    _refer(lead, c.id, people[1], date(2027, 1, 5))
    lead.providers.save_contract(contract(p.id, unit_price="1 300", places="3"), c.id)
    fresh = lead.providers.save_contract(contract(p.id, title="Toinen"))
    _refer(lead, fresh.id, people[2], date(2026, 11, 2), ReferralState.DECLINED)
    lead.providers.save_contract(contract(p.id, title="Toinen", unit_price="999"), fresh.id)
    # Places, the title and the end (not before the last referral) still may.
    kept = lead.providers.save_contract(contract(
        p.id, unit_price="1 300", places="5", title="Lisäpaikat", ends_on=date(2027, 1, 31)),
        c.id)
    assert (kept.places, kept.title, kept.ends_on) == (5, "Lisäpaikat", date(2027, 1, 31))
    with pytest.raises(ValidationFailed) as caught:  # before the send of 5.1.2027
        lead.providers.save_contract(contract(p.id, unit_price="1 300",
                                              ends_on=date(2027, 1, 4)), c.id)
    assert "ends_on" in caught.value.errors


def test_contracts_for_a_service_point(lead):
    p = lead.providers.save_provider(provider())
    everywhere = lead.providers.save_contract(contract(p.id))
    rov_only = lead.providers.save_contract(contract(
        p.id, service="group_coaching", title="Ryhmä", service_point_ids=("sp-rov",)))
    with lead.ctx.session_factory.begin() as s:
        from app.models import ServicePoint
        from app.rules.codes import ServicePointMode
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           mode=ServicePointMode.WALK_IN))
    elsewhere = lead.providers.save_contract(contract(
        p.id, title="Ranua", service_point_ids=("sp-ran",)))
    day = date(2026, 11, 24)
    assert {c.id for c in lead.providers.contracts_for("sp-rov", day)} == {
        everywhere.id, rov_only.id}
    assert [c.id for c in lead.providers.contracts_for("sp-rov", day, "group_coaching")] == [
        rov_only.id]
    assert {c.id for c in lead.providers.contracts_for("sp-ran", day)} == {
        everywhere.id, elsewhere.id}
    assert lead.providers.contracts_for("sp-rov", date(2027, 1, 1)) == []
    lead.providers.set_active(p.id, False)
    assert lead.providers.contracts_for("sp-rov", day) == []
    with pytest.raises(ValidationFailed):
        lead.providers.save_contract(contract(p.id, service_point_ids=("sp-nowhere",)))


def test_a_coach_reads_but_cannot_write(services):
    services.auth.sign_in("lead", "demo")
    p = services.providers.save_provider(provider())
    services.auth.sign_out()
    services.auth.sign_in("coach", "demo")
    assert [r.id for r in services.providers.providers()] == [p.id]
    with pytest.raises(PermissionDenied):
        services.providers.save_provider(provider("Another Oy", "0112038-9"))
    with pytest.raises(PermissionDenied):
        services.providers.save_contract(contract(p.id))
    with pytest.raises(PermissionDenied):
        services.providers.set_active(p.id, False)
    with services.ctx.session_factory() as s:
        assert s.scalar(select(ServiceProvider.active).where(ServiceProvider.id == p.id))
    with pytest.raises(NotFound):
        services.providers.provider("nope")
