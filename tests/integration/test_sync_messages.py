"""Messages to customers between workstations and the central PostgreSQL, as the real
staff roles (#23). A contact preference recorded at one desk while it was off line
reaches the other; a letter a desk asks for reaches the centre with its PDF; what the
messenger writes centrally comes down to the workstations of the customer's point (and
not to another point's), without the plan's password at the desk; a desk's decision on
a failed message goes up and is accepted; and every workstation ends holding what the
centre holds in its scope."""

from __future__ import annotations

import base64
import functools
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select, text

from app.db.central_schema import central_table
from app.models import ContactPreference, Message, new_id
from app.rules.codes import ConsentHow, MessageChannel, MessageKind, MessageStatus
from app.rules.messages import message_id, preference_id
from app.rules.permissions import Permission
from tests.factories import customer_input
from tests.integration.test_central_security import customer as customer_row
from tests.integration.test_sync import assert_converged, quiet_as_staff, scope_rows
from tests.integration.test_sync_referrals import _synced, central

TABLES = ["contact_preference", "message", "message_template", "messenger_heartbeat"]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
CENTRAL_MESSAGE = (
    "INSERT INTO message (id, customer_id, service_point_id, kind, channel, status, "
    "language, about_id, due_at, recipient, body, secret, attempts, sent_at, channel_ref, "
    "error, updated_at, hlc) VALUES (:id, :cid, :sp, :kind, :channel, :status, 'fi', :about, "
    "now() AT TIME ZONE 'utc', :recipient, :body, :secret, :attempts, :sent_at, :ref, "
    ":error, now() AT TIME ZONE 'utc', '')")


@pytest.fixture
def area(make_desk):
    return functools.partial(make_desk, as_staff=True)


def _world(area, staff_central):
    """The administrator's seed: a Rovaniemi customer with a phone and an e-mail; and, as
    the centre holds it, Ranua with a customer of its own. Returns the Rovaniemi
    customer's id."""
    seeder = area("seed", seed=True, as_staff=False)
    services = seeder.sign_in("admin")
    card = services.customers.create(customer_input(
        "Mäkelä", "Aino", date(1985, 3, 12), 124, phone="040 123 4567",
        email="aino.makela@example.fi"))
    seeder.sync()
    with staff_central.begin() as conn:
        conn.execute(text("INSERT INTO service_point (id, code, name, municipality, mode, "
                          "queue_services, updated_at, hlc) VALUES ('sp-ran', 'RAN', "
                          "'Ranua', 'Ranua', 'appointment', '', now(), '')"))
        conn.execute(insert(central_table("customer")),
                     [customer_row("c-ran", "sp-ran", "9002")])
    return card.id


def _messenger_writes(staff_central, **values):
    """A message as the messenger writes it (the owner's connection: the messenger's
    rights are shown in test_messages_central.py)."""
    row = {"id": new_id(), "cid": None, "sp": "sp-rov", "kind": "confirmation",
           "channel": "sms", "status": "sent", "about": None, "recipient": "+358401234567",
           "body": "Aika ti 8.12. klo 10.00, Osaamo.", "secret": None, "attempts": 1,
           "sent_at": None, "ref": None, "error": None, **values}
    with staff_central.begin() as conn:
        conn.execute(text(CENTRAL_MESSAGE), row)
    return row["id"]


def _local(desk, model, row_id):
    with desk.services.ctx.session_factory() as s:
        row = s.get(model, row_id)
        if row is not None:
            s.expunge(row)
        return row


def _assert_messages_converged(staff_central, *desks):
    """assert_converged, and the message tables compared the same way (each desk holds
    exactly what its users' logins read of the centre in its scope)."""
    assert_converged(staff_central, *desks)
    _hold_what_the_centre_holds(desks, TABLES)


def _hold_what_the_centre_holds(desks, tables):
    for desk in desks:
        point = desk.engine.point_id()
        for table in tables:
            (user,) = sorted(desk.users)
            expected = scope_rows(desk.logins[user], table, point)
            held = scope_rows(desk.services.ctx.engine, table, None)
            assert held == expected, (desk.name, table)


def test_a_preference_recorded_off_line_at_one_desk_reaches_the_other(area, staff_central):
    customer = _world(area, staff_central)
    a, b = area("a"), area("b")
    a.sign_in("desk")
    b.sign_in("desk")
    _synced(a)
    _synced(b)
    # Off line, desk A records what the customer agreed to on the phone.
    a.online = False
    with a.services.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
        s.add(ContactPreference(id=preference_id(customer), customer_id=customer, sms=True,
                                email=True, opted_out=False, language="sv",
                                given_how=ConsentHow.PHONE, given_on=a.services.ctx.today(),
                                recorded_by="staff-desk"))
    assert _local(b, ContactPreference, preference_id(customer)) is None
    a.online = True
    _synced(a)
    _synced(b)
    held = _local(b, ContactPreference, preference_id(customer))
    assert (held.sms, held.email, held.opted_out, held.language, held.given_how) == (
        True, True, False, "sv", ConsentHow.PHONE)
    assert central(staff_central, "SELECT customer_id, updated_by FROM contact_preference"
                   ) == [(customer, "staff-desk")]
    _assert_messages_converged(staff_central, a, b)


def test_a_letter_asked_for_at_a_desk_reaches_the_centre_with_its_pdf(area, staff_central):
    customer = _world(area, staff_central)
    a = area("a")
    a.sign_in("desk")
    _synced(a)
    letter = new_id()
    with a.services.ctx.transaction(Permission.MESSAGE_SEND) as s:
        s.add(Message(id=letter, customer_id=customer, service_point_id="sp-rov",
                      kind=MessageKind.LETTER, channel=MessageChannel.EMAIL,
                      status=MessageStatus.QUEUED, language="fi", due_at=a.services.ctx.now(),
                      attempts=0, document="appointment_letter", attachment_name="kirje.pdf",
                      attachment=base64.b64encode(PDF).decode("ascii"),
                      requested_by="staff-desk"))
    _synced(a)
    (kind, channel, status, attachment, name, requested_by, recipient), = central(
        staff_central, "SELECT kind, channel, status, attachment, attachment_name, "
                       "requested_by, recipient FROM message WHERE id = :id", id=letter)
    assert (kind, channel, status, name, requested_by, recipient) == (
        "letter", "email", "queued", "kirje.pdf", "staff-desk", None)
    assert base64.b64decode(attachment) == PDF
    _assert_messages_converged(staff_central, a)


def test_what_the_messenger_writes_comes_down_to_the_customer_s_point_only(
        area, staff_central):
    customer = _world(area, staff_central)
    a, b = area("a"), area("b")
    a.sign_in("desk")
    b.sign_in("desk")
    _synced(a)
    _synced(b)
    appointment = new_id()
    confirmation = _messenger_writes(
        staff_central, id=message_id(MessageKind.CONFIRMATION, appointment), cid=customer,
        about=appointment, sent_at=a.services.ctx.now().replace(tzinfo=None), ref="ref-1")
    password = _messenger_writes(staff_central, cid=customer, kind="password",
                                 status="queued", recipient=None, body=None,
                                 secret="kala-PUU-42", attempts=0)
    ranua = _messenger_writes(staff_central, cid="c-ran", sp="sp-ran")
    with staff_central.begin() as conn:
        conn.execute(text("INSERT INTO messenger_heartbeat (id, name, host, started_at, "
                          "seen_at, sent_count, failed_count, updated_at, hlc) VALUES "
                          "('hb-1', 'messenger-1', 'central', now(), now(), 1, 0, now(), "
                          "'')"))
    _synced(a)
    _synced(b)
    for desk in (a, b):
        held = _local(desk, Message, confirmation)
        assert (held.status, held.recipient, held.channel_ref) == (
            MessageStatus.SENT, "+358401234567", "ref-1"), desk.name
        # The plan's password never reaches a desk's workstation.
        assert _local(desk, Message, password).secret is None, desk.name
        assert _local(desk, Message, ranua) is None, desk.name  # Ranua's
        with desk.services.ctx.session_factory() as s:
            assert s.execute(text("SELECT count(*) FROM message WHERE secret IS NOT NULL")
                             ).scalar() == 0
            assert s.execute(text("SELECT name FROM messenger_heartbeat")).scalars().all() \
                == ["messenger-1"]
    assert central(staff_central, "SELECT secret FROM message WHERE id = :id",
                   id=password) == [("kala-PUU-42",)]
    _assert_messages_converged(staff_central, a, b)
    # A workstation of Ranua pulls Ranua's message and none of Rovaniemi's (the pull
    # scope, on the development set-up's one account that policies do not filter).
    ran = area("ran", as_staff=False)
    ran.engine.point_code = "RAN"
    ran.sync()
    with ran.services.ctx.session_factory() as s:
        assert s.scalars(select(Message.id)).all() == [ranua]


def test_a_desk_s_decision_on_a_failed_message_is_accepted(area, staff_central):
    customer = _world(area, staff_central)
    a, b = area("a"), area("b")
    a.sign_in("desk")
    b.sign_in("desk")
    failed = _messenger_writes(staff_central, cid=customer, status="failed", recipient=None,
                               body=None, attempts=3, error="gateway refused the number")
    _synced(a)
    _synced(b)
    now = a.services.ctx.now()
    with a.services.ctx.transaction(Permission.MESSAGE_SEND) as s:
        row = s.get(Message, failed)
        assert row.status is MessageStatus.FAILED
        row.status, row.due_at, row.decided_by = MessageStatus.QUEUED, now, "staff-desk"
    report = _synced(a)
    assert report.rejected == 0
    (status, decided_by, due_at, attempts), = central(
        staff_central, "SELECT status, decided_by, due_at, attempts FROM message "
                       "WHERE id = :id", id=failed)
    assert (status, decided_by, attempts) == ("queued", "staff-desk", 3)
    assert abs(due_at - now.replace(tzinfo=None)) < timedelta(seconds=1)
    _synced(b)
    assert _local(b, Message, failed).status is MessageStatus.QUEUED
    # A decision the rules do not allow is refused centrally and kept for a person.
    with b.services.ctx.transaction(Permission.MESSAGE_SEND) as s:
        s.get(Message, failed).status = MessageStatus.SENT
    report = b.sync()
    assert report.rejected == 1
    assert central(staff_central, "SELECT status FROM message WHERE id = :id",
                   id=failed) == [("queued",)]


def test_a_preference_recorded_at_two_desks_off_line_is_one_row(area, staff_central):
    """Its id is the customer's (rules/messages.py), so two desks recording it apart write
    one row: the centre keeps one (neither desk's write refused), and both desks end
    alike."""
    customer = _world(area, staff_central)
    a, b = area("a"), area("b")
    a.sign_in("desk")
    b.sign_in("desk")
    _synced(a)
    _synced(b)
    for desk, sms, language in ((a, True, "sv"), (b, False, "sv")):
        with desk.services.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
            s.add(ContactPreference(id=preference_id(customer), customer_id=customer,
                                    sms=sms, email=True, opted_out=False, language=language,
                                    given_how=ConsentHow.IN_PERSON,
                                    given_on=desk.services.ctx.today(),
                                    recorded_by="staff-desk"))
    _synced(a)
    _synced(b)
    _synced(a)
    rows = central(staff_central, "SELECT id, email, language FROM contact_preference")
    assert rows == [(preference_id(customer), True, "sv")]
    assert _local(a, ContactPreference, preference_id(customer)).sms == \
        _local(b, ContactPreference, preference_id(customer)).sms
    _assert_messages_converged(staff_central, a, b)


def test_a_merge_at_one_desk_moves_the_messages_and_the_preference_everywhere(
        area, staff_central):
    """Desk A records the duplicate's preference; the messenger sends the duplicate a
    confirmation; a team lead at desk B merges while desk A, not yet synced again, asks
    for a letter for the duplicate. Every workstation ends with the messages under the real
    customer, one live preference (the duplicate's, the real one having none), and the
    same rows as the centre."""
    real = _world(area, staff_central)
    a, b = area("a"), area("b")
    a.sign_in("desk")
    services = a.services
    dup = services.customers.create(customer_input(
        "Mäkelä", "Aino Maria", date(1985, 3, 12), 135, phone="040 765 4321")).id
    _synced(a)
    b.sign_in("lead")
    _synced(b)
    confirmation = _messenger_writes(staff_central, cid=dup)
    with a.services.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
        s.add(ContactPreference(id=preference_id(dup), customer_id=dup, sms=True,
                                email=False, opted_out=False, language="sv",
                                given_how=ConsentHow.SIGNED, given_on=a.services.ctx.today(),
                                recorded_by="staff-desk"))
    _synced(a)
    _synced(b)  # B holds the confirmation and the preference...
    letter = new_id()  # ...not the letter A asks for while B merges
    with a.services.ctx.transaction(Permission.MESSAGE_SEND) as s:
        s.add(Message(id=letter, customer_id=dup, service_point_id="sp-rov",
                      kind=MessageKind.LETTER, channel=MessageChannel.EMAIL,
                      status=MessageStatus.QUEUED, language="fi", due_at=a.services.ctx.now(),
                      attempts=0, document="appointment_letter", attachment_name="kirje.pdf",
                      attachment=base64.b64encode(PDF).decode("ascii"),
                      requested_by="staff-desk"))
    b.services.customer_merge.merge(dup, real)
    _synced(b)
    _synced(a)
    _synced(b)
    assert central(staff_central, "SELECT id, customer_id FROM message ORDER BY id") == \
        sorted([(confirmation, real), (letter, real)])
    assert central(staff_central, "SELECT id, customer_id, sms, language FROM "
                                  "contact_preference WHERE deleted_at IS NULL") == [
        (preference_id(real), real, True, "sv")]
    for desk in (a, b):
        with desk.services.ctx.session_factory() as s:
            assert sorted(s.execute(select(Message.id, Message.customer_id)).all()) == \
                sorted([(confirmation, real), (letter, real)]), desk.name
            assert s.execute(select(ContactPreference.id).where(
                ContactPreference.deleted_at.is_(None))).scalars().all() == [
                preference_id(real)], desk.name
    # (assert_converged's trail check knows no merge: its stamps are the merge's.)
    quiet_as_staff([a, b])
    _hold_what_the_centre_holds([a, b], [*TABLES, "customer", "customer_merge"])
