"""A partner's account at the workstation (#24): the customer list holds only customers
whose consent to share with the partner's organisation is in force and covers identity
and contact details; opening anyone else is refused with the reason and audited; a
withdrawal takes effect at once; everything else a staff member reads refuses a partner
by default (the role holds partner.read only)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import AuditEvent, CustomerConsent, PartnerOrg, Staff, StaffCredential
from app.rules.codes import ConsentHow, PartnerKind, Role
from app.services.errors import PermissionDenied
from app.views.shell.pages import PAGES, start_page
from tests.factories import Clock, add_people, verifier

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
TODAY = date(2026, 12, 3)


@pytest.fixture
def partner(services):
    services.ctx.now = Clock(START)
    services.auth.sign_in("admin", "demo")
    ids = add_people(services)
    with services.ctx.session_factory.begin() as s:
        s.add_all([PartnerOrg(id="po-school", name="REDU", kind=PartnerKind.SCHOOL,
                              active=True),
                   PartnerOrg(id="po-kela", name="Kela", kind=PartnerKind.KELA, active=True)])
        s.flush()
        s.add(Staff(id="staff-opo", username="opo", full_name="Olli Opo", role=Role.PARTNER,
                    service_point_id="sp-rov", partner_org_id="po-school", active=True))
        s.flush()
        s.add(StaffCredential(staff_id="staff-opo", verifier=verifier()))

        def consent(cid: str, org: str = "po-school", info: str = "contact,plan",
                    withdrawn: date | None = None) -> None:
            s.add(CustomerConsent(customer_id=cid, partner_org_id=org, purpose="Uraohjaus",
                                  information=info, given_how=ConsentHow.SIGNED,
                                  valid_from=date(2026, 1, 1), withdrawn_on=withdrawn))

        consent(ids[0])                              # in force
        consent(ids[1], org="po-kela")               # another organisation's
        consent(ids[2], withdrawn=date(2026, 6, 1))  # withdrawn
        consent(ids[3], info="plan")                 # plans without contact details
    services.auth.sign_out()
    services.auth.sign_in("opo", "demo")
    services.people = ids
    return services


def refusals(services) -> list[dict]:
    with services.ctx.session_factory() as s:
        return [json.loads(a.detail or "{}") | {"customer": a.entity_id} for a in s.scalars(
            select(AuditEvent).where(AuditEvent.action == "partner.share.refused"))]


def test_the_list_holds_only_the_consented_customers(partner):
    rows = partner.customers.page().rows
    assert [r.id for r in rows] == [partner.people[0]]
    assert partner.customers.count() == 1
    assert partner.customers.count("Virtanen") == 0


def test_opening_a_consented_customer_is_allowed_and_audited(partner):
    card = partner.customers.get(partner.people[0])
    assert card.id == partner.people[0]
    with partner.ctx.session_factory() as s:
        assert s.scalar(select(AuditEvent.id).where(
            AuditEvent.action == "customer.read", AuditEvent.staff_id == "staff-opo",
            AuditEvent.entity_id == partner.people[0]))


@pytest.mark.parametrize(("index", "reason"), [
    (1, "not given consent"), (2, "withdrawn"), (3, "does not cover"), (4, "not given")])
def test_anyone_else_is_refused_with_the_reason_and_the_refusal_audited(partner, index,
                                                                       reason):
    with pytest.raises(PermissionDenied) as refused:
        partner.customers.get(partner.people[index])
    assert reason in str(refused.value)
    assert refusals(partner)[-1]["customer"] == partner.people[index]
    assert refusals(partner)[-1]["partner_org_id"] == "po-school"


def test_a_withdrawal_takes_effect_the_same_day(partner):
    first = partner.people[0]
    partner.customers.get(first)
    with partner.ctx.session_factory.begin() as s:
        s.scalars(select(CustomerConsent).where(
            CustomerConsent.customer_id == first)).one().withdrawn_on = TODAY
    assert partner.customers.page().rows == []
    with pytest.raises(PermissionDenied):
        partner.customers.get(first)


def test_an_expired_consent_gives_nothing(partner):
    partner.ctx.now = Clock(START + timedelta(days=400))
    first = partner.people[0]
    with partner.ctx.session_factory.begin() as s:
        s.scalars(select(CustomerConsent).where(
            CustomerConsent.customer_id == first)).one().valid_until = date(2027, 1, 1)
    with pytest.raises(PermissionDenied) as refused:
        partner.customers.get(first)
    assert "expired" in str(refused.value)


def test_other_readers_refuse_a_partner_by_default(partner):
    first = partner.people[0]
    for read in (lambda: partner.visits.timeline(first),
                 lambda: partner.customers.edit_form(first),
                 lambda: partner.customers.reveal_hetu(first)):
        with pytest.raises(PermissionDenied):
            read()


def test_a_partner_sees_the_customers_page_and_starts_there(partner):
    actor = partner.ctx.actor
    assert actor.partner_org_id == "po-school"
    shown = [spec.key for spec in PAGES if spec.shown_to(actor)]
    # The queue too: its desk serves its own organisation's queue services (c0120).
    assert "customers" in shown and "sync" in shown and "queue" in shown
    for hidden in ("appointments", "today", "caseload", "employers", "feedback",
                   "messages", "events", "reports", "providers", "partners"):
        assert hidden not in shown
    assert start_page(actor) == "customers"


def test_a_partner_account_needs_its_organisation(services):
    from app.services.errors import ValidationFailed

    services.auth.sign_in("admin", "demo")
    with pytest.raises(ValidationFailed) as refused:
        services.staff.add("opo2", "Olli Opo", Role.PARTNER, "ROV", "salasana-1")
    assert "partner_org" in refused.value.errors


def test_a_partner_reads_the_plan_only_when_the_consent_covers_plans(partner, services):
    from app.models import Plan, PlanVersion
    from app.rules.codes import PlanStatus, PlanType

    first, fourth = partner.people[0], partner.people[3]
    with partner.ctx.session_factory.begin() as s:
        for cid in (first, fourth):
            plan = Plan(customer_id=cid, plan_type=PlanType.EMPLOYMENT)
            s.add(plan)
            s.flush()
            s.add(PlanVersion(plan_id=plan.id, number=1, status=PlanStatus.DRAFT,
                              summary="Tavoitteena kokin työ"))
    shown = partner.plans.open_customer(first)
    assert shown.current is not None and shown.current.content.summary
    assert partner.plans.version(shown.current.id).customer_id == first
    # Plans without contact details (the fourth consent covers plans only): refused.
    with pytest.raises(PermissionDenied):
        partner.plans.open_customer(fourth)
    # Contact only: the customer opens, the plan does not.
    with partner.ctx.session_factory.begin() as s:
        s.scalars(select(CustomerConsent).where(
            CustomerConsent.customer_id == first)).one().information = "contact"
    assert partner.customers.get(first).id == first
    with pytest.raises(PermissionDenied) as refused:
        partner.plans.open_customer(first)
    assert "does not cover" in str(refused.value)
    # Nothing is written: a partner's account edits no plan.
    with pytest.raises(PermissionDenied):
        partner.plans.create_plan(first, "employment")


def test_a_partner_sees_no_sync_conflicts(partner):
    from app.models import SyncConflict

    with partner.ctx.session_factory.begin() as s:
        s.add(SyncConflict(table_name="customer", row_id=partner.people[1], field="phone",
                           central_value='"0401"', client_value='"0402"',
                           client_node="ws", client_hlc="1", status="open"))
    assert partner.sync.conflicts() == []
    partner.auth.sign_out()
    partner.auth.sign_in("admin", "demo")
    assert len(partner.sync.conflicts()) == 1  # staff still see it


def test_a_refusal_is_audited_in_the_partners_name_for_the_centre(partner):
    """The refusal's audit row goes to the centre as the partner's (its outbox entry
    carries the author the push sends it under)."""
    from app.models import OutboxEntry

    with pytest.raises(PermissionDenied):
        partner.customers.get(partner.people[1])
    with partner.ctx.session_factory() as s:
        refused = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "partner.share.refused")).one()
        assert refused.updated_by == "staff-opo"
        assert s.scalar(select(OutboxEntry.seq).where(OutboxEntry.row_id == refused.id))


def test_a_look_up_by_identity_code_never_tells_a_partner_who_is_a_customer(partner):
    """`customer show HETU` as a partner: someone who never consented to share with its
    organisation is "not found", as a code that is nobody's; someone who did (the consent
    withdrawn since) is refused with the reason: the partner knows them already."""
    from app.models import Customer
    from app.services.errors import NotFound

    with partner.ctx.session_factory() as s:
        never, withdrew = (s.get(Customer, partner.people[i]) for i in (1, 2))
        never_hetu, withdrew_hetu = never.hetu, withdrew.hetu
    with pytest.raises(NotFound) as nobody:
        partner.customers.find("010101-0000")
    with pytest.raises(NotFound) as not_told:
        partner.customers.find(never_hetu)
    assert not_told.value.message == nobody.value.message
    with pytest.raises(PermissionDenied):
        partner.customers.find(withdrew_hetu)
    assert partner.customers.find(partner.people[0]).id == partner.people[0]
