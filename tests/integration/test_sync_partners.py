"""Multi-professional work between workstations and the central PostgreSQL, as the real
staff roles (#24). What a coach writes at one desk (the partner register, a consent, a
meeting with a partner and a staff member, a task, the minute into the plan with its
participants) reaches the coach's other desk and the centre alike, and the desk role's
workstation holds the register and the consents, never the meeting's participants. A
consent withdrawn at desk A: once desk B has synced, B cannot add that partner to a
meeting (refused with the reason, and audited); a desk that did not hear of it in time
adds the partner locally and the centre refuses the push (desk_consent_active). Two
desks adding the same partner make one participant (its derived id); an off-line
correction of a consent withdrawn meanwhile is refused; a merge moves consents,
participants and tasks everywhere; an erasure leaves none of what was agreed or said."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.dto.partners import ConsentInput, PartnerOrgInput, PartnerPersonInput
from app.models import Appointment, AuditEvent, new_id
from app.models.partner import MeetingParticipant, MeetingTask, PlanParticipant
from app.rules.codes import AppointmentStatus, AppointmentType, Channel
from app.rules.partners import participant_id
from app.rules.permissions import Permission
from app.services.partners import ConsentRefused
from tests.factories import customer_input
from tests.integration.test_sync import assert_converged
from tests.integration.test_sync_messages import _hold_what_the_centre_holds
from tests.integration.test_sync_referrals import _synced, central

TABLES = ["partner_org", "partner_person", "customer_consent", "meeting_participant",
          "meeting_task", "plan_participant"]
WITHDRAWN = "The customer has withdrawn their consent to share this with this partner."


@pytest.fixture
def area(make_desk):
    return functools.partial(make_desk, as_staff=True)


def _world(area):
    """The administrator's seed: a customer of the coach's caseload; Kela and the
    wellbeing county in the register with one person each. Returns the ids."""
    seeder = area("seed", seed=True, as_staff=False)
    services = seeder.sign_in("admin")
    card = services.customers.create(customer_input(
        "Mäkelä", "Aino", date(1985, 3, 12), 124, phone="040 123 4567"))
    services.coaching.assign(card.id, "staff-coach", "Monialainen tuki")
    kela = services.partners.save_org(None, PartnerOrgInput(
        "Kela Rovaniemi", "kela", phone="020 692 207", post_office="Rovaniemi"))
    kaisa = services.partners.save_person(None, PartnerPersonInput(
        kela.id, "Kaisa Kelanen", title="Työkykykoordinaattori", email="kaisa@example.fi"))
    county = services.partners.save_org(None, PartnerOrgInput(
        "Lapin hyvinvointialue", "wellbeing_county"))
    sari = services.partners.save_person(None, PartnerPersonInput(
        county.id, "Sari Sosiaalityö", title="Sosiaalityöntekijä"))
    seeder.sync()
    return {"customer": card.id, "kela": kela.id, "kaisa": kaisa.id, "county": county.id,
            "sari": sari.id}


def _consent(services, ids, org, **values):
    data = {"partner_org_id": ids[org], "purpose": "Monialainen yhteispalvelu",
            "information": ("contact", "plan"), "given_how": "signed",
            "valid_from": services.ctx.today() - timedelta(days=1), **values}
    return services.consents.record(ids["customer"], ConsentInput(**data))


def _meeting(services, customer_id):
    """A multi-professional appointment tomorrow at ten (booked through the one write
    path)."""
    day = services.ctx.today() + timedelta(days=1)
    starts = datetime.combine(day, time(8, 0), tzinfo=UTC)  # ten in Helsinki
    aid = new_id()
    with services.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
        s.add(Appointment(id=aid, customer_id=customer_id, staff_id="staff-coach",
                          service_point_id="sp-rov", type=AppointmentType.MULTI_PROFESSIONAL,
                          channel=Channel.SERVICE_POINT, status=AppointmentStatus.BOOKED,
                          starts_at=starts, ends_at=starts + timedelta(hours=1)))
    return aid


def test_every_partner_table_makes_the_round_trip(area, staff_central):
    ids = _world(area)
    a, b, d = area("a"), area("b"), area("d")
    services = a.sign_in("coach")
    b.sign_in("coach")
    d.sign_in("desk")
    for desk in (a, b, d):
        _synced(desk)
    # Desk A: the register grows, the customer consents, the meeting is held, the
    # minute goes into the plan with its participants.
    ohjaamo = services.partners.save_org(None, PartnerOrgInput("Ohjaamo Rovaniemi",
                                                               "ohjaamo"))
    services.partners.save_person(None, PartnerPersonInput(ohjaamo.id, "Olli Ohjaaja"))
    kela_consent = _consent(services, ids, "kela")
    _consent(services, ids, "county", information=("plan", "work_ability"))
    aid = _meeting(services, ids["customer"])
    kaisa = services.meetings.add_partner(aid, ids["kaisa"], "Etuudet")
    sari = services.meetings.add_partner(aid, ids["sari"])
    mate = services.meetings.add_staff(aid, "staff-lead", "Tiimin vetäjä")
    assert {p.id for p in (kaisa, sari, mate)} == {participant_id(aid, ids["kaisa"]),
                                                    participant_id(aid, ids["sari"]),
                                                    participant_id(aid, "staff-lead")}
    services.meetings.set_attended(kaisa.id, True)
    assert services.meetings.invitation_letter(kaisa.id).startswith(b"%PDF")  # invited_at
    task = services.meetings.add_task(aid, kaisa.id, "Selvittää kuntoutusraha",
                                      services.ctx.today() + timedelta(days=14))
    version = services.meetings.record_minute(aid, "Sovittiin kuntoutusselvityksestä.")
    _synced(a)
    assert sorted(central(staff_central, "SELECT partner_person_id, staff_id, updated_by "
                                         "FROM meeting_participant"), key=str) == sorted([
        (ids["kaisa"], None, "staff-coach"), (ids["sari"], None, "staff-coach"),
        (None, "staff-lead", "staff-coach")], key=str)
    assert central(staff_central, "SELECT recorded_by FROM customer_consent WHERE id = :id",
                   id=kela_consent.id) == [("staff-coach",)]
    assert sorted(n for (n,) in central(
        staff_central, "SELECT name FROM plan_participant WHERE plan_version_id = :v",
        v=version)) == ["Kaisa Kelanen", "Liisa Lead", "Sari Sosiaalityö"]
    # Desk B (the coach's other workstation) holds it all; desk D (the desk role's) the
    # register and the consents, but no participant, task or plan.
    _synced(b)
    _synced(d)
    row = b.services.meetings.meeting(aid)
    held = {p.name: (p.invited_at, p.attended) for p in row.participants}
    made = {p.name: (p.invited_at, p.attended)
            for p in services.meetings.meeting(aid).participants}
    assert held == made
    assert held["Kaisa Kelanen"][0] is not None and held["Kaisa Kelanen"][1] is True
    assert set(held) == {"Kaisa Kelanen", "Sari Sosiaalityö", "Liisa Lead"}
    assert [t.id for t in row.tasks] == [task.id]
    for desk in (b, d):
        consents = desk.services.consents.consents(ids["customer"])
        assert {(c.partner_org_id, c.in_force) for c in consents} == {
            (ids["kela"], True), (ids["county"], True)}, desk.name
    assert {o.name for o in d.services.partners.orgs()} == {
        "Kela Rovaniemi", "Lapin hyvinvointialue", "Ohjaamo Rovaniemi"}
    with d.services.ctx.session_factory() as s:
        for model in (MeetingParticipant, MeetingTask, PlanParticipant):
            assert s.scalars(select(model)).all() == [], model
    _hold_what_the_centre_holds([a, b, d], TABLES)
    assert_converged(staff_central, a, b, d)


def test_a_consent_withdrawn_at_one_desk_stops_the_partner_at_another(area, staff_central):
    ids = _world(area)
    a, b, c = area("a"), area("b"), area("c")
    services = a.sign_in("coach")
    b.sign_in("coach")
    c.sign_in("coach")
    _synced(a)
    given = _consent(services, ids, "kela")
    aid = _meeting(services, ids["customer"])
    for desk in (a, b, c):
        _synced(desk)
    # Desk C goes off line before it hears of the withdrawal.
    c.online = False
    services.consents.withdraw(given.id)
    _synced(a)
    assert central(staff_central, "SELECT withdrawn_on, withdrawn_by FROM customer_consent"
                   ) == [(services.ctx.today(), "staff-coach")]
    # Desk B, synced: refused with the reason, and the refusal is on the trail.
    _synced(b)
    with pytest.raises(ConsentRefused) as caught:
        b.services.meetings.add_partner(aid, ids["kaisa"])
    assert str(caught.value) == WITHDRAWN
    assert b.services.consents.check(ids["customer"], ids["kela"], "plan") == WITHDRAWN
    with b.services.ctx.session_factory() as s:
        refused = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "partner.share.refused")).all()
        assert [(e.entity_id, e.staff_id) for e in refused] == [
            (ids["customer"], "staff-coach")]
        assert s.get(MeetingParticipant, participant_id(aid, ids["kaisa"])) is None
    # Desk C still holds the consent in force: it adds the partner there...
    added = c.services.meetings.add_partner(aid, ids["kaisa"])
    c.online = True
    c.sign_in("coach")
    report = c.sync()
    # ...and the centre refuses it, whatever the workstation said.
    assert report.rejected == 1
    (rejected,) = c.services.sync.rejected()
    assert rejected.table_name == "meeting_participant"
    assert "has not consented" in rejected.reason
    assert central(staff_central, "SELECT count(*) FROM meeting_participant") == [(0,)]
    assert added.id == participant_id(aid, ids["kaisa"])
    # Sent again, it is judged afresh and refused again; the worker gives it up.
    c.services.sync.retry(rejected.seq)
    assert c.sync().rejected == 1
    c.services.sync.discard(c.services.sync.rejected()[0].seq)
    # C now knows of the withdrawal; a staff member still joins without a consent.
    assert c.services.consents.check(ids["customer"], ids["kela"], "plan") == WITHDRAWN
    c.services.meetings.add_staff(aid, "staff-lead")
    _synced(c)
    assert central(staff_central, "SELECT staff_id FROM meeting_participant") == [
        ("staff-lead",)]


def test_two_desks_adding_the_same_partner_off_line_make_one_participant(
        area, staff_central):
    ids = _world(area)
    a, b = area("a"), area("b")
    services = a.sign_in("coach")
    b.sign_in("coach")
    _synced(a)
    _consent(services, ids, "kela")
    aid = _meeting(services, ids["customer"])
    _synced(a)
    _synced(b)
    a.services.meetings.add_partner(aid, ids["kaisa"], "Etuudet")
    b.services.meetings.add_partner(aid, ids["kaisa"], "Kuntoutus")
    _synced(a)
    _synced(b)
    _synced(a)
    assert central(staff_central, "SELECT id FROM meeting_participant") == [
        (participant_id(aid, ids["kaisa"]),)]
    _hold_what_the_centre_holds([a, b], TABLES)


def test_a_merge_at_one_desk_moves_consents_participants_and_tasks_everywhere(
        area, staff_central):
    """The coach at desk A records the duplicate's consents (one withdrawn since) and
    holds a meeting with them; a team lead at desk B merges the duplicate into the real
    customer. The consents (the withdrawn one as it was), the participant and the task
    end under the real customer at the centre and on both desks."""
    ids = _world(area)
    real = ids["customer"]
    a, b = area("a"), area("b")
    services = a.sign_in("coach")
    _synced(a)
    dup = services.customers.create(customer_input(
        "Mäkelä", "Aino Maria", date(1985, 3, 12), 135)).id
    dup_ids = {**ids, "customer": dup}
    kela = _consent(services, dup_ids, "kela")
    county = _consent(services, dup_ids, "county")
    services.consents.withdraw(county.id)
    aid = _meeting(services, dup)
    kaisa = services.meetings.add_partner(aid, ids["kaisa"])
    task = services.meetings.add_task(aid, kaisa.id, "Selvittää kuntoutusraha", None)
    _synced(a)
    b.sign_in("lead")
    _synced(b)
    b.services.customer_merge.merge(dup, real)
    _synced(b)
    _synced(a)
    _synced(b)
    assert sorted(central(staff_central, "SELECT id, customer_id, withdrawn_on IS NOT NULL "
                                         "FROM customer_consent")) == sorted([
        (kela.id, real, False), (county.id, real, True)])
    assert central(staff_central, "SELECT customer_id FROM meeting_participant") == [(real,)]
    assert central(staff_central, "SELECT id, customer_id FROM meeting_task") == [
        (task.id, real)]
    for desk in (a, b):
        assert {c.id for c in desk.services.consents.consents(real)} == {
            kela.id, county.id}, desk.name
    # The real customer's consent lets the partner stay; a new meeting may have them.
    assert a.services.consents.check(real, ids["kela"], "plan") is None
    assert a.services.consents.check(real, ids["county"], "plan") == WITHDRAWN
    _hold_what_the_centre_holds([a, b], TABLES)


SECRETS = ("Velkaneuvonnan suostumus", "Aikuissosiaalityön asiakkuus",
           "Hakee toimeentulotukea", "Päihdekuntoutus sovittu")


def test_an_erasure_leaves_no_consent_task_role_or_minute_anywhere(make_desk,
                                                                  staff_central):
    """The coach records a consent, holds a meeting with a partner, agrees a task and
    writes the minute into the plan; the customer is erased at that desk. What they
    agreed to and what was said is gone from both workstations and the centre; the
    participant stays (the figures count meetings by partner) without their part."""
    from tests.customer_data import everything_text, mark_inactive
    from tests.factories import Clock

    a = make_desk("a", seed=True)
    clock = Clock()
    a.services.ctx.now = clock
    services = a.sign_in("coach")
    card = services.customers.create(customer_input(
        "Guttorm", "Máret Čuovga", date(2001, 5, 30), 456))
    org = services.partners.save_org(None, PartnerOrgInput("Lapin hyvinvointialue",
                                                           "wellbeing_county"))
    sari = services.partners.save_person(None, PartnerPersonInput(org.id, "Sari Sosiaali"))
    ids = {"customer": card.id, "county": org.id}
    _consent(services, ids, "county", purpose=SECRETS[0])
    aid = _meeting(services, card.id)
    sari_row = services.meetings.add_partner(aid, sari.id, SECRETS[1])
    services.meetings.add_task(aid, sari_row.id, SECRETS[2], None)
    services.meetings.record_minute(aid, SECRETS[3])
    a.sync()
    b = make_desk("b")
    b.sync()
    for engine in (a.services.ctx.engine, b.services.ctx.engine, staff_central):
        with engine.connect() as conn:
            found = everything_text(conn)
        assert all(secret in found for secret in SECRETS), engine.url
    admin = a.services
    admin.auth.sign_out()
    admin.auth.sign_in("admin", "demo")
    mark_inactive(admin, card.id)
    clock.now += timedelta(days=366 * 5)
    admin.rights.erase(card.id)
    for desk in (a, b, a, b):
        desk.sync()
    for engine in (a.services.ctx.engine, b.services.ctx.engine, staff_central):
        with engine.connect() as conn:
            found = everything_text(conn)
        assert [s for s in SECRETS if s in found] == [], engine.url
    assert central(staff_central, "SELECT partner_person_id, role FROM meeting_participant"
                   ) == [(sari.id, None)]


def test_an_off_line_correction_of_a_consent_withdrawn_meanwhile_is_refused(
        area, staff_central):
    """Desk A withdraws the consent; desk B, off line, widens the same consent. The
    withdrawal stands: B's change is refused centrally (a withdrawn consent never
    changes) and kept for the worker, and B ends holding the withdrawn consent."""
    from app.models.partner import CustomerConsent

    ids = _world(area)
    a, b = area("a"), area("b")
    services = a.sign_in("coach")
    b.sign_in("coach")
    _synced(a)
    given = _consent(services, ids, "kela", information=("contact",))
    _synced(a)
    _synced(b)
    b.online = False
    with b.services.ctx.transaction(Permission.CONSENT_RECORD) as s:
        s.get(CustomerConsent, given.id).information = "contact,plan"
    services.consents.withdraw(given.id)
    _synced(a)
    b.online = True
    b.sign_in("coach")
    report = b.sync()
    assert report.rejected == 1
    (rejected,) = b.services.sync.rejected()
    assert (rejected.table_name, rejected.row_id) == ("customer_consent", given.id)
    assert "stays withdrawn" in rejected.reason
    assert central(staff_central, "SELECT information, withdrawn_on IS NOT NULL FROM "
                                  "customer_consent") == [("contact", True)]
    b.services.sync.discard(rejected.seq)
    _synced(b)
    (held,) = b.services.consents.consents(ids["customer"])
    assert (held.information, held.withdrawn_on) == (("contact",), services.ctx.today())
    assert b.services.consents.check(ids["customer"], ids["kela"], "plan") is not None
    _hold_what_the_centre_holds([a, b], TABLES)
