"""A partner's account in the real window (#24): a school's career counsellor signs in
and starts on Customers; the list holds only the customer who consented to share with the
school; the card shows that customer's details and the plan button, no tabs of case work,
no editing; the plan opens read-only when the consent covers plans; signing out and in as
a coach brings the whole card back."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from app.models import (
    Customer,
    CustomerConsent,
    PartnerOrg,
    Plan,
    PlanVersion,
    Staff,
    StaffCredential,
)
from app.rules.codes import ConsentHow, PartnerKind, PlanStatus, PlanType, Role
from tests.factories import Clock, verifier
from tests.gui.conftest import sign_in

WAIT = 20000
START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def seed_partner(services) -> str:
    """A school, its counsellor's account, and the one customer who consented (contact
    details and plans), with a plan; returns that customer's id."""
    services.ctx.now = Clock(START)
    with services.ctx.session_factory.begin() as s:
        s.add(PartnerOrg(id="po-school", name="REDU", kind=PartnerKind.SCHOOL, active=True))
        s.flush()
        s.add(Staff(id="staff-opo", username="opo", full_name="Olli Opo", role=Role.PARTNER,
                    service_point_id="sp-rov", partner_org_id="po-school", active=True))
        s.flush()
        s.add(StaffCredential(staff_id="staff-opo", verifier=verifier()))
        customer_id = s.scalars(select(Customer.id).order_by(Customer.sort_name)).first()
        s.add(CustomerConsent(customer_id=customer_id, partner_org_id="po-school",
                              purpose="Uraohjaus", information="contact,plan",
                              given_how=ConsentHow.SIGNED, valid_from=date(2026, 1, 1)))
        plan = Plan(customer_id=customer_id, plan_type=PlanType.EMPLOYMENT)
        s.add(plan)
        s.flush()
        s.add(PlanVersion(plan_id=plan.id, number=1, status=PlanStatus.ACCEPTED,
                          summary="Tavoitteena opinnot"))
    return customer_id


def test_a_partner_sees_only_the_consented_customer_and_no_case_work(qtbot, window,
                                                                    services):
    customer_id = seed_partner(services)
    sign_in(qtbot, window, "opo")
    assert window.actor.role is Role.PARTNER
    customers = window.page("customers")
    qtbot.waitUntil(lambda: customers.model.rowCount() == 1, timeout=WAIT)
    table = customers.list_view.table  # no jobseeker facts in the list either
    assert [table.isColumnHidden(c) for c in (5, 7)] == [True, True]
    window.open_customer(customer_id)
    card = customers.card_view
    qtbot.waitUntil(lambda: card.card is not None and card.card.id == customer_id,
                    timeout=WAIT)
    assert not card.sections.isVisible()
    assert not card.situation.isVisible()
    assert not card.groups["jobseeker"][0].isVisible()
    assert not card.case.strip.isVisible()
    for hidden in (card.edit, card.contact, card.reveal):
        assert not hidden.isVisible()
    assert card.plan.isVisible()
    card.plan.click()
    editor = customers.plan_view
    qtbot.waitUntil(lambda: customers.currentWidget() is editor, timeout=WAIT)
    qtbot.waitUntil(lambda: editor.info is not None, timeout=WAIT)
    assert editor.info.content.summary == "Tavoitteena opinnot"
    header = editor.header  # read only: no new plan, no new draft, no printing
    for hidden in (header.new_plan_button, header.new_draft_button, header.print_button):
        assert not hidden.isVisible()
    # Signing out and in as a coach: the card has its tabs and its actions again.
    window.session.sign_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
    sign_in(qtbot, window, "coach")
    window.open_customer(customer_id)
    qtbot.waitUntil(lambda: card.card is not None and card.card.id == customer_id
                    and customers.currentWidget() is card, timeout=WAIT)
    assert card.sections.isVisible() and card.edit.isVisible()
    card.plan.click()
    qtbot.waitUntil(lambda: customers.currentWidget() is editor
                    and editor.info is not None, timeout=WAIT)
    assert header.print_button.isVisible() and header.new_plan_button.isVisible()
