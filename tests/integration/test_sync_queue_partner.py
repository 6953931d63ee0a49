"""The queue transfer to a partner's desk over real sync (#24 item 5): two workstations
against one central PostgreSQL, each syncing as its user's own login. The desk registers
a walk-in naming a customer who has consented to share their contact details with the
partner (recorded by a coach), transfers the ticket to the partner's service; the
partner's workstation receives it, its worker goes on duty, calls the customer (the
desk's lobby shows the partner's desk) and finishes without a visit record. A ticket of
the area's own services never reaches the partner's workstation, and a partner's pull
moves no cursor the desk relies on when both sign in at one workstation."""

from __future__ import annotations

import functools
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.db.central_roles import create_login_role, drop_login_role
from app.dto.partners import ConsentInput
from app.models import PartnerOrg, QueueTicket, Staff
from app.models.visit import OfferedService
from app.rules.codes import PartnerKind, Role, ServiceArea
from app.rules.queue import built_in_services, service_id
from tests.factories import PASSWORD, customer_input
from tests.integration.test_sync_referrals import _synced, central

ORG = "po-redu"
CODE = "redu"
SERVICE = service_id("sp-rov", CODE)
PARTNER_DESK = "REDU 1"


@pytest.fixture
def partner_login(staff_central):
    """A partner's own PostgreSQL login (cluster-wide: a unique name, dropped after)."""
    user = f"t{uuid.uuid4().hex[:8]}_opo"
    create_login_role(staff_central, user, PASSWORD, Role.PARTNER)
    yield user
    drop_login_role(staff_central, user)


@pytest.fixture
def area(partner_login, make_desk):
    """Workstations syncing as their users' own logins (set up after the partner's
    login, so they let go of it before it is dropped)."""
    return functools.partial(make_desk, as_staff=True)


def _world(area, partner_user):
    """The administrator's seed, synced to the centre: the point's built-in services,
    REDU with its service at Rovaniemi and its worker's account, and a customer. Returns
    the customer's id."""
    seeder = area("seed", seed=True, as_staff=False)
    services = seeder.sign_in("admin")
    with services.ctx.session_factory.begin() as s:
        s.add(PartnerOrg(id=ORG, name="Lapin koulutuskeskus REDU", kind=PartnerKind.SCHOOL,
                         active=True))
        s.flush()
        s.add_all([OfferedService(**row) for row in built_in_services("sp-rov", "")])
        s.add(OfferedService(id=SERVICE, service_point_id="sp-rov", code=CODE,
                             name_fi="Uraohjaus (REDU)", name_sv="Karriärvägledning (REDU)",
                             name_en="Career guidance (REDU)",
                             service_area=ServiceArea.SKILLS, partner_org_id=ORG,
                             position=7, active=True))
        s.add(Staff(id="staff-opo", username=partner_user, full_name="Olli Opo",
                    role=Role.PARTNER, service_point_id="sp-rov", partner_org_id=ORG,
                    active=True))
    card = services.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12),
                                                    124))
    seeder.sync()
    return card.id


def _consent(area, customer_id):
    """A coach records the customer's consent to share contact details with REDU."""
    coach = area("coach")
    services = coach.sign_in("coach")
    _synced(coach)
    services.consents.record(customer_id, ConsentInput(
        partner_org_id=ORG, purpose="Uraohjaus", information=("contact",),
        given_how="signed", valid_from=services.ctx.today() - timedelta(days=1)))
    _synced(coach)


def _local_tickets(desk) -> set[str]:
    with desk.services.ctx.session_factory() as s:
        return set(s.scalars(select(QueueTicket.id)))


def test_a_walk_in_transferred_to_a_partners_desk_is_called_and_served_there(
        area, partner_login, staff_central):
    customer = _world(area, partner_login)
    desk = area("desk")
    queue = desk.sign_in("desk").queue
    _synced(desk)
    _consent(area, customer)
    # The desk registers the walk-in for the area's own service, then, the customer
    # having consented (synced here), sends them to REDU's desk.
    ticket = queue.register_walk_in(customer, "finding_work")
    _synced(desk)
    moved = queue.transfer(ticket.id, CODE, None, "Uraohjausta")
    assert (moved.service, moved.partner_org_id, moved.state) == (CODE, ORG, "waiting")
    _synced(desk)
    assert central(staff_central, "SELECT queue_service_id, state FROM queue_ticket "
                                  "WHERE id = :id", id=ticket.id) == [(SERVICE, "waiting")]
    # The partner's workstation: the ticket, with whom it names.
    partner = area("partner")
    mine = partner.sign_in(partner_login).queue
    _synced(partner)
    snap = mine.snapshot()
    assert [(r.id, r.customer_label, r.service) for r in snap.waiting] == [
        (ticket.id, "Mäkelä A.", CODE)]
    mine.set_workstation(PARTNER_DESK, "R")
    assert mine.start_duty().services == (CODE,)
    called = mine.call_next()
    assert called is not None and called.id == ticket.id
    assert (called.state, called.desk) == ("called", PARTNER_DESK)
    _synced(partner)
    # The desk's lobby shows the call at the partner's desk.
    _synced(desk)
    calls = queue.lobby()
    assert [(c.code, c.desk, c.calling) for c in calls] == [(ticket.code, PARTNER_DESK,
                                                             True)]
    assert queue.lobby_board().calls == calls
    # The partner serves and finishes: no visit record, the ticket done everywhere.
    mine.start(ticket.id)
    done = mine.finish(ticket.id, None)
    assert done.state == "done"
    _synced(partner)
    assert central(staff_central, "SELECT state, served_by, desk FROM queue_ticket "
                                  "WHERE id = :id", id=ticket.id) == [
        ("done", "staff-opo", PARTNER_DESK)]
    assert central(staff_central, "SELECT count(*) FROM visit WHERE ticket_id = :id",
                   id=ticket.id) == [(0,)]
    _synced(desk)
    assert ticket.id not in {r.id for r in queue.snapshot().waiting + queue.snapshot().serving}
    with desk.services.ctx.session_factory() as s:
        assert s.get(QueueTicket, ticket.id).state.value == "done"


def test_a_ticket_of_the_areas_services_never_reaches_the_partners_workstation(
        area, partner_login, staff_central):
    customer = _world(area, partner_login)
    desk = area("desk")
    queue = desk.sign_in("desk").queue
    _synced(desk)
    area_named = queue.register_walk_in(customer, "finding_work")
    area_anon = queue.register_walk_in(None, "initial")
    for_redu = queue.register_walk_in(None, CODE)
    _synced(desk)
    partner = area("partner")
    mine = partner.sign_in(partner_login).queue
    _synced(partner)
    assert _local_tickets(partner) == {for_redu.id}
    assert [r.id for r in mine.snapshot().waiting] == [for_redu.id]
    # Transferred later to another area service, the area's tickets still stay away.
    queue.transfer(area_named.id, "skills", None, "")
    _synced(desk)
    _synced(partner)
    assert _local_tickets(partner) == {for_redu.id}
    assert area_anon.id not in _local_tickets(partner)


def test_a_partners_pull_leaves_the_desk_all_tickets_on_a_shared_workstation(
        area, partner_login, staff_central):
    """The partner signs in first at a workstation the desk then uses too: the partner's
    pull, which reads only REDU's tickets, does not move the desk's cursor past the
    area's (app/sync/pull.py PARTNER_OWN_CURSOR)."""
    _world(area, partner_login)
    desk = area("desk")
    queue = desk.sign_in("desk").queue
    _synced(desk)
    # The area's tickets reach the centre before REDU's (each its own push): a cursor
    # moved to REDU's ticket would be past them.
    made = {}
    for code in ("finding_work", "initial", CODE):
        made[code] = queue.register_walk_in(None, code).id
        _synced(desk)
    redu = made[CODE]
    shared = area("shared")
    shared.sign_in(partner_login)
    _synced(shared)
    assert _local_tickets(shared) == {redu}
    shared.sign_in("desk")
    _synced(shared)
    assert _local_tickets(shared) == set(made.values())
    assert {r.id for r in shared.services.queue.snapshot().waiting} == set(made.values())
    # And back: the partner's next pull brings what came meanwhile; its queue shows
    # REDU's tickets only, whatever the desk's pull left on the workstation.
    later = queue.register_walk_in(None, CODE).id
    _synced(desk)
    shared.sign_in(partner_login)
    _synced(shared)
    assert later in _local_tickets(shared)
    assert {r.id for r in shared.services.queue.snapshot().waiting} == {redu, later}


def test_a_transfer_made_before_the_withdrawal_was_heard_is_refused_centrally(
        area, partner_login, staff_central):
    """A coach withdraws the consent; the desk, not yet synced, still holds it in force
    and sends the customer to REDU: the centre refuses the push (desk_guard_ticket_
    partner), the ticket stays with the area's service there, and the partner's
    workstation never receives it."""
    customer = _world(area, partner_login)
    desk = area("desk")
    queue = desk.sign_in("desk").queue
    _synced(desk)
    coach = area("coach")
    services = coach.sign_in("coach")
    _synced(coach)
    given = services.consents.record(customer, ConsentInput(
        partner_org_id=ORG, purpose="Uraohjaus", information=("contact",),
        given_how="signed", valid_from=services.ctx.today() - timedelta(days=1)))
    _synced(coach)
    ticket = queue.register_walk_in(customer, "finding_work")
    _synced(desk)
    services.consents.withdraw(given.id)
    _synced(coach)
    queue.transfer(ticket.id, CODE, None, "")  # the desk has not heard of it yet
    report = desk.sync()
    assert report.rejected == 1
    (rejected,) = desk.services.sync.rejected()
    assert (rejected.table_name, rejected.row_id) == ("queue_ticket", ticket.id)
    assert "has not consented" in rejected.reason
    assert central(staff_central, "SELECT queue_service_id, leg FROM queue_ticket "
                                  "WHERE id = :id", id=ticket.id) == [
        (service_id("sp-rov", "finding_work"), 0)]
    partner = area("partner")
    partner.sign_in(partner_login)
    _synced(partner)
    assert _local_tickets(partner) == set()
