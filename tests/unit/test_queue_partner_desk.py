"""The queue's services as data and the transfer to a partner's desk (#24 item 5).

A point's queue offers its active `queue_service` rows, in their order, named in the
user's language; a ticket names its service's row and is counted as the row's service
area; a desk calls only the services of its duty, by default those its own desks serve
(a partner's desk: its organisation's). A ticket naming a customer goes to a partner's
service only under the customer's consent to that partner covering contact details:
refused with the reason and audited otherwise. A partner's account serves its own
organisation's tickets only, finishes them without a visit record, transfers nothing and
registers no one. Every write goes through the outbox."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app import i18n
from app.dto.partners import ConsentInput
from app.dto.visits import VisitInput
from app.models import (
    AuditEvent,
    Customer,
    OfferedService,
    OutboxEntry,
    PartnerOrg,
    QueueTicket,
    Staff,
    StaffCredential,
    Visit,
)
from app.rules.codes import PartnerKind, Role, ServiceArea
from app.rules.queue import BUILT_IN_NAMES, built_in_services, service_id
from app.services.errors import NotFound, PermissionDenied, ServiceError
from app.services.partners import ConsentRefused
from tests.factories import Clock, add_people, verifier

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 10.00 in Helsinki
TODAY = date(2026, 11, 24)
POINT = "sp-rov"
CAREER = "career_guidance"  # REDU's service at the point, counted as skills
KELA = "kela_benefits"  # another partner's
CAREER_NAMES = ("Uraohjaus", "Karriärvägledning", "Career guidance")
# The point's built-in services offered (the others inactive), then the extra rows.
CONFIGURED = "information,finding_work,skills"
OFFERED = ["information", "finding_work", CAREER, "skills", KELA]


def _service(code: str, names: tuple[str, str, str], area: str, partner: str | None,
             position: int, active: bool = True) -> OfferedService:
    return OfferedService(id=service_id(POINT, code), service_point_id=POINT, code=code,
                          name_fi=names[0], name_sv=names[1], name_en=names[2],
                          service_area=ServiceArea(area), partner_org_id=partner,
                          position=position, active=active)


@pytest.fixture
def q(services):
    """The coach on duty at desk 2 (default services); REDU's partner account `opo`
    exists; the point offers the rows of OFFERED (and some inactive ones)."""
    services.ctx.now = Clock(START)
    services.auth.sign_in("admin", "demo")
    services.people = add_people(services)
    with services.ctx.session_factory.begin() as s:
        s.add_all([PartnerOrg(id="po-school", name="REDU", kind=PartnerKind.SCHOOL,
                              active=True),
                   PartnerOrg(id="po-kela", name="Kela", kind=PartnerKind.KELA, active=True)])
        s.flush()
        for row in built_in_services(POINT, CONFIGURED):
            s.add(OfferedService(**{**row, "position": row["position"] * 10,
                                    "service_area": ServiceArea(row["service_area"])}))
        s.add_all([
            _service(CAREER, CAREER_NAMES, "skills", "po-school", 15),
            _service(KELA, ("Kelan etuudet", "FPA:s förmåner", "Kela benefits"),
                     "initial", "po-kela", 25),
            _service("old_service", ("Vanha", "Gammal", "Old"), "information", None, 5,
                     active=False),
        ])
        s.add(Staff(id="staff-opo", username="opo", full_name="Olli Opo", role=Role.PARTNER,
                    service_point_id=POINT, partner_org_id="po-school", active=True))
        s.flush()
        s.add(StaffCredential(staff_id="staff-opo", verifier=verifier()))
    services.auth.sign_out()
    services.auth.sign_in("coach", "demo")
    services.queue.set_workstation("2", "A")
    services.queue.start_duty()
    return services


def as_partner(q) -> None:
    q.auth.sign_out()
    q.auth.sign_in("opo", "demo")
    q.queue.start_duty()


def consent(q, customer: str, info: tuple[str, ...] = ("contact",)) -> str:
    return q.consents.record(customer, ConsentInput(
        partner_org_id="po-school", purpose="Uraohjaus", information=info,
        given_how="signed", valid_from=date(2026, 1, 1))).id


def ticket(q, ticket_id: str) -> QueueTicket:
    with q.ctx.session_factory() as s:
        t = s.get(QueueTicket, ticket_id)
        s.expunge(t)
        return t


def audits(q, action: str) -> list[AuditEvent]:
    with q.ctx.session_factory() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def visits_of(q, ticket_id: str) -> list[Visit]:
    with q.ctx.session_factory() as s:
        return list(s.scalars(select(Visit).where(Visit.ticket_id == ticket_id)))


def outbox_states(q, ticket_id: str) -> list[dict]:
    with q.ctx.session_factory() as s:
        return [json.loads(e.fields) for e in s.scalars(
            select(OutboxEntry).where(OutboxEntry.table_name == "queue_ticket",
                                      OutboxEntry.row_id == ticket_id)
            .order_by(OutboxEntry.seq))]


def serve(q, ticket_id: str) -> None:
    q.queue.call(ticket_id)
    q.queue.start(ticket_id)


# --- what the point offers ------------------------------------------------------------------


def test_offered_lists_the_active_services_in_position_order(q):
    offered = q.queue.offered()
    assert [o.code for o in offered] == OFFERED
    assert q.queue.point_services() == OFFERED
    career = offered[2]
    assert (career.id, career.service_area, career.partner_org_id, career.partner_name) == (
        service_id(POINT, CAREER), "skills", "po-school", "REDU")
    assert offered[0].partner_org_id is None and offered[0].partner_name is None


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_offered_names_are_in_the_current_language(q, lang):
    index = ("fi", "sv", "en").index(lang)
    before = i18n.current_language()
    i18n.set_language(lang)
    try:
        names = {o.code: o.name for o in q.queue.offered()}
        row = q.queue.register_walk_in(None, CAREER)
    finally:
        i18n.set_language(before)
    assert names[CAREER] == CAREER_NAMES[index]
    assert names["information"] == BUILT_IN_NAMES["information"][index]
    assert row.service_name == CAREER_NAMES[index]


@pytest.mark.parametrize("code", ["old_service", "initial", "no_such_service"])
def test_an_inactive_or_unknown_service_is_not_offered_nor_chosen(q, code):
    assert code not in q.queue.point_services()
    with pytest.raises(ServiceError):
        q.queue.register_walk_in(None, code)
    with pytest.raises(ServiceError):
        q.queue.start_duty({code})
    with q.ctx.session_factory() as s:
        assert s.scalar(select(QueueTicket.id)) is None


def test_an_empty_english_name_falls_back_to_finnish(q):
    with q.ctx.session_factory.begin() as s:
        s.get(OfferedService, service_id(POINT, CAREER)).name_en = ""
    before = i18n.current_language()
    i18n.set_language("en")
    try:
        names = {o.code: o.name for o in q.queue.offered()}
    finally:
        i18n.set_language(before)
    assert names[CAREER] == "Uraohjaus"


# --- arrival --------------------------------------------------------------------------------


def test_register_names_the_service_row_and_counts_its_area(q):
    row = q.queue.register_walk_in(None, CAREER, note="Oppisopimus")
    assert (row.service, row.service_area, row.partner_org_id, row.state) == (
        CAREER, "skills", "po-school", "waiting")
    t = ticket(q, row.id)
    assert (t.queue_service_id, t.service_area) == (service_id(POINT, CAREER),
                                                     ServiceArea.SKILLS)
    assert ticket(q, q.queue.register_walk_in(None, "finding_work").id).queue_service_id == \
        service_id(POINT, "finding_work")


def test_register_for_a_partner_service_needs_the_customers_consent(q):
    customer = q.people[0]
    with pytest.raises(ConsentRefused) as refused:
        q.queue.register_walk_in(customer, CAREER)
    assert "not given" in str(refused.value)
    with q.ctx.session_factory() as s:
        assert s.scalar(select(QueueTicket.id)) is None
    (audit,) = audits(q, "partner.share.refused")
    assert audit.entity_id == customer
    assert json.loads(audit.detail)["partner_org_id"] == "po-school"
    consent(q, customer)
    row = q.queue.register_walk_in(customer, CAREER)
    assert row.customer_id == customer and row.service == CAREER
    assert [a.entity_id for a in audits(q, "partner.share.queue")] == [customer]


# --- duty and calling -----------------------------------------------------------------------


def test_the_desks_default_duty_leaves_out_partner_services(q):
    duty = q.queue.snapshot().duty
    assert duty is not None and set(duty.services) == {"information", "finding_work", "skills"}
    q.queue.register_walk_in(None, CAREER)
    q.queue.register_walk_in(None, KELA)
    assert q.queue.call_next() is None


def test_a_desk_on_duty_for_one_service_does_not_call_another(q):
    q.queue.start_duty({"information"})
    q.queue.register_walk_in(None, "finding_work")  # waited longer, but not mine
    q.ctx.now.advance(5)
    assert q.queue.call_next() is None
    mine = q.queue.register_walk_in(None, "information")
    called = q.queue.call_next()
    assert called is not None and called.id == mine.id


def test_a_partners_default_duty_is_its_organisations_services(q):
    as_partner(q)
    duty = q.queue.snapshot().duty
    assert duty is not None and duty.services == (CAREER,)
    for other in ("information", KELA):
        with pytest.raises(ServiceError):
            q.queue.start_duty({other})


def test_a_coach_does_not_call_their_own_customer_sent_to_a_partner(q):
    customer = q.people[0]
    with q.ctx.session_factory.begin() as s:
        s.get(Customer, customer).coach_id = "staff-coach"
    consent(q, customer)
    q.queue.register_walk_in(customer, CAREER)
    assert q.queue.call_next() is None


def test_a_partners_desk_does_not_wait_for_the_customers_coach(q):
    customer = q.people[0]
    with q.ctx.session_factory.begin() as s:
        s.get(Customer, customer).coach_id = "staff-lead"
    consent(q, customer)
    row = q.queue.register_walk_in(customer, CAREER)
    q.auth.sign_out()
    q.auth.sign_in("lead", "demo")
    q.queue.start_duty()  # the customer's coach on duty, serving the area's services
    as_partner(q)
    called = q.queue.call_next()
    assert called is not None and called.id == row.id


# --- the transfer to a partner's service -----------------------------------------------------


def test_a_transfer_naming_a_customer_without_consent_is_refused_and_audited(q):
    customer = q.people[0]
    row = q.queue.register_walk_in(customer, "information")
    serve(q, row.id)
    before = ticket(q, row.id)
    with pytest.raises(ConsentRefused) as refused:
        q.queue.transfer(row.id, CAREER, None, "Uraohjaukseen")
    assert isinstance(refused.value, ServiceError)
    assert "not given" in str(refused.value)
    after = ticket(q, row.id)
    assert (after.state, after.leg, after.queue_service_id, after.service_area,
            after.transfer_note, after.served_by) == (
        before.state, before.leg, before.queue_service_id, before.service_area, None,
        "staff-coach")
    assert visits_of(q, row.id) == []  # the transfer's visit was not recorded either
    (audit,) = audits(q, "partner.share.refused")
    assert (audit.entity_id, audit.staff_id) == (customer, "staff-coach")
    assert json.loads(audit.detail) == {"action": "queue_transfer",
                                        "partner_org_id": "po-school", "info": "contact"}
    assert audits(q, "partner.share.queue") == []


def test_a_consent_not_covering_contact_refuses_the_transfer(q):
    customer = q.people[0]
    consent(q, customer, info=("plan",))
    row = q.queue.register_walk_in(customer, "information")
    with pytest.raises(ConsentRefused) as refused:
        q.queue.transfer(row.id, CAREER, None, "")
    assert "does not cover" in str(refused.value)
    assert ticket(q, row.id).queue_service_id == service_id(POINT, "information")


def test_a_transfer_under_a_consent_goes_to_the_partners_desk(q):
    customer = q.people[0]
    consent(q, customer)
    row = q.queue.register_walk_in(customer, "information")
    serve(q, row.id)
    moved = q.queue.transfer(row.id, CAREER, None, "Oppisopimus")
    assert (moved.state, moved.leg, moved.service, moved.service_area, moved.partner_org_id,
            moved.code, moved.transfer_note) == (
        "waiting", 1, CAREER, "skills", "po-school", row.code, "Oppisopimus")
    t = ticket(q, row.id)
    assert (t.queue_service_id, t.served_by, t.desk) == (service_id(POINT, CAREER), None, None)
    (shared,) = audits(q, "partner.share.queue")
    assert shared.entity_id == customer
    assert json.loads(shared.detail) == {"partner_org_id": "po-school"}
    assert [v.outcome for v in visits_of(q, row.id)] == ["transferred"]
    # The area's desk no longer calls it; the partner's desk does.
    assert q.queue.call_next() is None
    as_partner(q)
    called = q.queue.call_next()
    assert called is not None and called.id == row.id and called.desk == "2"


def test_a_withdrawn_consent_refuses_again(q):
    customer = q.people[0]
    consent_id = consent(q, customer)
    first = q.queue.register_walk_in(customer, "information")
    q.queue.transfer(first.id, CAREER, None, "")
    q.consents.withdraw(consent_id)
    second = q.queue.register_walk_in(customer, "finding_work")
    with pytest.raises(ConsentRefused) as refused:
        q.queue.transfer(second.id, CAREER, None, "")
    assert "withdrawn" in str(refused.value)
    assert ticket(q, second.id).queue_service_id == service_id(POINT, "finding_work")
    assert len(audits(q, "partner.share.refused")) == 1


def test_a_ticket_without_a_customer_transfers_without_consent(q):
    row = q.queue.register_walk_in(None, "information")
    moved = q.queue.transfer(row.id, CAREER, None, "")
    assert (moved.service, moved.leg, moved.customer_id) == (CAREER, 1, None)
    assert audits(q, "partner.share.refused") == [] and audits(q, "partner.share.queue") == []


def test_a_transfer_to_an_inactive_service_is_refused(q):
    row = q.queue.register_walk_in(None, "information")
    with pytest.raises(ServiceError):
        q.queue.transfer(row.id, "old_service", None, "")
    assert ticket(q, row.id).leg == 0


# --- the partner's account --------------------------------------------------------------------


@pytest.fixture
def waiting(q):
    """Tickets of each kind registered by the coach: REDU's (two), Kela's, the area's."""
    rows = {name: q.queue.register_walk_in(None, code) for name, code in (
        ("career1", CAREER), ("kela", KELA), ("info", "information"))}
    q.ctx.now.advance(3)
    rows["career2"] = q.queue.register_walk_in(None, CAREER)
    return rows


def test_a_partner_sees_only_its_organisations_tickets(q, waiting):
    as_partner(q)
    snap = q.queue.snapshot()
    assert [r.id for r in snap.waiting] == [waiting["career1"].id, waiting["career2"].id]
    assert snap.stats.waiting == 2
    assert all(r.service == CAREER and r.partner_org_id == "po-school" for r in snap.waiting)


def test_a_partner_calls_serves_and_finishes_without_a_visit(q, waiting):
    as_partner(q)
    called = q.queue.call_next()
    assert called is not None and called.id == waiting["career1"].id
    assert called.served_by == "staff-opo"
    q.queue.start(called.id)
    done = q.queue.finish(called.id, None)
    assert done.state == "done"
    assert visits_of(q, called.id) == []
    with q.ctx.session_factory() as s:
        assert s.scalar(select(Visit.id)) is None
    assert q.queue.snapshot().stats.served_today == 1
    q.ctx.now.advance(1)
    assert q.queue.call_next().id == waiting["career2"].id
    # The lobby shows the partner's desk like any other.
    assert [(c.code, c.desk, c.calling) for c in q.queue.lobby()] == [
        (waiting["career2"].code, "2", True), (called.code, "2", False)]
    states = [p["state"] for p in outbox_states(q, called.id) if "state" in p]
    assert states == ["waiting", "called", "serving", "done"]


@pytest.mark.parametrize("other", ["kela", "info"])
def test_a_partner_cannot_touch_another_services_ticket(q, waiting, other):
    as_partner(q)
    target = waiting[other].id
    with pytest.raises(NotFound):
        q.queue.call(target)
    with pytest.raises(NotFound):
        q.queue.finish(target, None)
    # Even when someone has it in service.
    q.auth.sign_out()
    q.auth.sign_in("coach", "demo")
    serve(q, target)
    q.auth.sign_out()
    q.auth.sign_in("opo", "demo")
    with pytest.raises(NotFound):
        q.queue.finish(target, None)
    assert ticket(q, target).state.value == "serving"


def test_a_partner_neither_transfers_nor_registers(q, waiting):
    as_partner(q)
    mine = q.queue.call_next()
    q.queue.start(mine.id)
    with pytest.raises(ServiceError):
        q.queue.transfer(mine.id, "information", None, "")
    with pytest.raises(ServiceError):
        q.queue.transfer(mine.id, None, "staff-coach", "")
    assert ticket(q, mine.id).leg == 0
    with pytest.raises(PermissionDenied):
        q.queue.register_walk_in(None, CAREER)


def test_the_area_desk_cannot_finish_without_a_visit_record(q):
    row = q.queue.register_walk_in(None, "information")
    serve(q, row.id)
    with pytest.raises(ServiceError):
        q.queue.finish(row.id, None)
    assert ticket(q, row.id).state.value == "serving"
    done = q.queue.finish(row.id, VisitInput("information", outcome="resolved"))
    assert done.state == "done" and len(visits_of(q, row.id)) == 1


# --- the one write path ----------------------------------------------------------------------


def test_every_queue_write_is_in_the_outbox(q):
    customer = q.people[0]
    consent(q, customer)
    row = q.queue.register_walk_in(customer, "information")
    serve(q, row.id)
    q.queue.transfer(row.id, CAREER, None, "")
    patches = outbox_states(q, row.id)
    assert patches[0]["queue_service_id"] == service_id(POINT, "information")
    assert patches[-1]["queue_service_id"] == service_id(POINT, CAREER)
    assert patches[-1]["leg"] == 1 and patches[-1]["state"] == "waiting"
    with q.ctx.session_factory() as s:
        tables = set(s.scalars(select(OutboxEntry.table_name)))
        shared = s.scalar(select(AuditEvent.id).where(
            AuditEvent.action == "partner.share.queue"))
        assert s.scalar(select(OutboxEntry.seq).where(OutboxEntry.row_id == shared))
    assert {"queue_ticket", "visit", "desk_duty", "audit_event"} <= tables
    # The refusal's audit row too (written in a transaction of its own).
    second = q.queue.register_walk_in(q.people[1], "information")
    with pytest.raises(ConsentRefused):
        q.queue.transfer(second.id, CAREER, None, "")
    (refusal,) = audits(q, "partner.share.refused")
    with q.ctx.session_factory() as s:
        assert s.scalar(select(OutboxEntry.seq).where(OutboxEntry.row_id == refusal.id))


def test_a_ticket_is_never_sent_to_a_partners_account_by_name(q):
    """A partner's desk serves only its own organisation's services: sent to it by name,
    a ticket would wait for ever (its desk never sees it). The transfer's list of workers
    leaves partners out, and a transfer naming one is refused."""
    assert "staff-opo" not in {c.id for c in q.queue.staff_choices()}
    row = q.queue.register_walk_in(None, "information")
    with pytest.raises(ServiceError):
        q.queue.transfer(row.id, None, "staff-opo", "")
    assert q.queue.transfer(row.id, None, "staff-lead", "").leg == 1


def test_a_transfers_new_service_travels_with_its_leg_in_a_merge():
    """Two desks transferring one ticket offline: the leg that wins brings its service
    with its other progress fields (app/sync/merge.py TICKET_PROGRESS)."""
    from app.sync import merge

    central = {"state": "waiting", "leg": 1, "queue_service_id": "qs-a",
               "service_area": "skills", "transfer_note": "A"}
    mine = {"state": "waiting", "leg": 2, "queue_service_id": "qs-b",
            "service_area": "initial", "transfer_note": "B"}
    decision = merge.decide("queue_ticket", central, 3, mine, {}, 2)
    assert decision.apply["queue_service_id"] == "qs-b" and not decision.conflicts
    behind = merge.decide("queue_ticket", {**central, "leg": 3}, 4, mine, {}, 2)
    assert "queue_service_id" not in behind.apply
