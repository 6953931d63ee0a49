"""The messenger (#23) against a real PostgreSQL, a real SMTP server (aiosmtpd) and an
HTTP server standing in for the SMS gateway at its documented interface, all in the
test process; the messengers are real processes (`python -m app.messenger --once`),
two at a time, with the messenger's own login (the desk_messenger group role).

Appointments are booked at two desks; one of them stays offline until after the
reminders are due. Each reminder reaches the SMTP server or the gateway exactly once,
in the customer's language; opt-out and missing contacts are respected (a printed
letter in the print list instead), and an opt-out after booking is respected when the
reminder's time comes; a messenger killed with SIGKILL in the middle of a send sends
nothing twice after a restart. Also: a letter and a plan password as a worker asks for
them; an appointment moved and cancelled through the appointment service itself; an
event's invitation and reminder; the channels and the configuration on their own."""

from __future__ import annotations

import asyncio
import base64
import email
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import text
from sqlalchemy.engine import URL

from app.i18n import HELSINKI
from app.models import Appointment, ContactPreference, ServicePoint
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    Channel,
    ConsentHow,
    MessageKind,
)
from app.rules.message_plan import APPOINTMENT_CANCELLED, APPOINTMENT_MOVED, OPTED_OUT
from app.rules.messages import message_id, preference_id
from app.rules.permissions import Permission
from tests.factories import Clock, customer_input
from tests.integration.test_sync import _copy_credentials, central, desks  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "gateway-token-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the SMTP server ----------------------------------------------------------------------
class Mailbox:
    """aiosmtpd handler: keeps every mail; can hold the DATA of one recipient until
    released (a messenger killed in the middle of a send)."""

    def __init__(self) -> None:
        self.port = 0
        self.mails: list[email.message.EmailMessage] = []
        self.hold_for: str | None = None
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        mail = email.message_from_bytes(envelope.content, policy=policy.default)
        self.mails.append(mail)
        if self.hold_for and self.hold_for in envelope.rcpt_tos:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 OK"


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    box.release.set()
    controller.stop()


# -- the SMS gateway ----------------------------------------------------------------------
class Gateway(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", free_port()), GatewayHandler)
        self.posts: list[dict] = []  # every POST, a double included
        self.known: dict[str, str] = {}  # client_ref -> gateway id
        self.hold_for: str | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api"


class GatewayHandler(BaseHTTPRequestHandler):
    server: Gateway

    def log_message(self, *args) -> None:
        pass

    def _answer(self, status: int, body: dict | None = None) -> None:
        data = json.dumps(body or {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._answer(401)
        if urlsplit(self.path).path != "/api/messages":
            return self._answer(404)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.posts.append(body)
            ref = body["client_ref"]
            first = ref not in self.server.known
            self.server.known.setdefault(ref, f"gw-{len(self.server.known) + 1}")
        if self.server.hold_for == body["to"]:
            self.server.holding.set()
            self.server.release.wait(30)
        self._answer(202 if first else 200,
                     {"id": self.server.known[ref], "status": "accepted"})

    def do_GET(self) -> None:
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._answer(401)
        ref = parse_qs(urlsplit(self.path).query).get("client_ref", [""])[0]
        if ref in self.server.known:
            return self._answer(200, {"id": self.server.known[ref], "status": "sent"})
        return self._answer(404)


@pytest.fixture
def gateway():
    server = Gateway()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


# -- the messenger's login and processes --------------------------------------------------
@pytest.fixture
def messenger_url(central, monkeypatch):  # noqa: F811
    """The messenger's own login, made as an operator would:
    `python -m app.cli central messenger-login URL --username NAME`."""
    from app.cli import main as cli
    from app.db.central_roles import drop_login_role

    name = f"messenger_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("DESK_MESSENGER_DB_PASSWORD", "messenger-secret")
    admin = central.url.render_as_string(hide_password=False)
    assert cli(["central", "messenger-login", admin, "--username", name]) == 0
    assert cli(["central", "messenger-login", admin, "--username", name]) != 0
    full = central.url
    yield URL.create(full.drivername, username=name, host=full.host, port=full.port,
                     database=full.database).render_as_string(hide_password=False)
    central.dispose()
    drop_login_role(central, name)


def messenger(url, smtp, gateway, now, name="m1", wait=True):
    env = {**os.environ, "PGPASSWORD": "messenger-secret",
           "DESK_MESSENGER_FROM": "Työllisyyspalvelut <no-reply@example.fi>",
           "DESK_MESSENGER_SMTP_STARTTLS": "if-offered",
           "DESK_MESSENGER_SMS_TOKEN": TOKEN, "DESK_MESSENGER_SMS_SENDER": "Tyollisyys"}
    process = subprocess.Popen(
        [sys.executable, "-m", "app.messenger", "--central", url,
         "--smtp", f"smtp://127.0.0.1:{smtp.port}", "--sms-gateway", gateway.url,
         "--once", "--name", name, "--now", now.isoformat()],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if wait:
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0, out
    return process


def two_messengers(url, smtp, gateway, now):
    """Two messenger processes at once against the one database."""
    running = [messenger(url, smtp, gateway, now, name, wait=False) for name in ("m1", "m2")]
    for process in running:
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0, out


# -- the world ----------------------------------------------------------------------------
T0 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # Monday 10.00 in Helsinki
VISIT = datetime(2027, 3, 4, 10, 0, tzinfo=HELSINKI)  # Thursday: reminders due Wed 16.00


def customer(services, n, last, language, phone="", mail="", sms=False, by_mail=False,
             opted_out=False, preference=True):
    from datetime import date

    card = services.customers.create(customer_input(
        last, "Testi", date(1980 + n, 1, 1 + n), 200 + n, language=language, phone=phone,
        email=mail))
    if preference:
        with services.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
            s.add(ContactPreference(id=preference_id(card.id), customer_id=card.id, sms=sms,
                                    email=by_mail, opted_out=opted_out,
                                    given_how=ConsentHow.IN_PERSON,
                                    given_on=services.ctx.today()))
    return card.id


def book(services, customer_id, starts_at, channel=Channel.SERVICE_POINT):
    with services.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
        appointment = Appointment(customer_id=customer_id, staff_id="staff-coach",
                                  service_point_id="sp-rov", type=AppointmentType.OTHER,
                                  channel=channel, status=AppointmentStatus.BOOKED,
                                  starts_at=starts_at.astimezone(UTC),
                                  ends_at=(starts_at + timedelta(minutes=45)).astimezone(UTC))
        s.add(appointment)
        s.flush()
        return appointment.id


def messages(central, **where):  # noqa: F811
    sql = "SELECT * FROM message"
    if where:
        sql += " WHERE " + " AND ".join(f"{k} = :{k}" for k in where)
    with central.connect() as conn:
        return conn.execute(text(sql + " ORDER BY id"), where).mappings().all()


def two_desks(desks, clock):  # noqa: F811
    a = desks("a", seed=True)
    services = a.sign_in()
    services.ctx.now = clock
    with services.ctx.session_factory.begin() as s:
        point = s.get(ServicePoint, "sp-rov")
        point.street_address, point.postal_code, point.phone = (
            "Koskikatu 25", "96200", "016 322 6000")
    a.sync()
    b = desks("b")
    b.sync()
    _copy_credentials(a, b)
    b.sign_in().ctx.now = clock
    return a, b


def test_reminders_go_once_in_the_customers_language_with_a_desk_offline(
        desks, central, messenger_url, smtp, gateway):  # noqa: F811
    clock = Clock(T0)
    a, b = two_desks(desks, clock)
    # Messaging begins: nothing booked before this is messaged.
    messenger(messenger_url, smtp, gateway, T0)
    clock.advance(60)
    sa, sb = a.services, b.services
    fi_sms = customer(sa, 1, "Aalto", "fi", phone="040 111 0001", sms=True)
    sv_mail = customer(sa, 2, "Berg", "sv", mail="berg@example.fi", by_mail=True)
    en_both = customer(sa, 3, "Carter", "en", phone="040 111 0003", mail="c@example.fi",
                       sms=True, by_mail=True)
    opted = customer(sa, 4, "Dahl", "fi", phone="040 111 0004", mail="d@example.fi",
                     sms=True, by_mail=True, opted_out=True)
    nothing = customer(sa, 5, "Eskola", "fi", preference=False)
    withdraws = customer(sa, 6, "Forsman", "sv", phone="040 111 0006", sms=True)
    a.sync()
    b.sync()
    # Desk a books two; desk b books three and then goes offline.
    at_a = {who: book(sa, who, VISIT) for who in (fi_sms, sv_mail, withdraws)}
    at_b = {who: book(sb, who, VISIT + timedelta(hours=1)) for who in (en_both, opted, nothing)}
    a.sync()
    # Before the reminders are due: the confirmations of desk a's bookings.
    two_messengers(messenger_url, smtp, gateway, T0 + timedelta(hours=2))
    assert len(smtp.mails) == 1 and len(gateway.posts) == 2
    confirmation = smtp.mails[0]
    assert confirmation["Content-Language"] == "sv"
    assert confirmation["Auto-Submitted"] == "auto-generated"
    sv_id = message_id(MessageKind.CONFIRMATION, at_a[sv_mail])
    assert confirmation["Message-ID"] == f"<{sv_id}@desk-messenger>"
    assert confirmation["To"] == "berg@example.fi"
    assert confirmation["Subject"].startswith("Bekräftelse av bokad tid: torsdag 4.3.2027")
    body = confirmation.get_body(("plain",)).get_content()
    assert "Koskikatu 25, 96200 Rovaniemi" in body and "016 322 6000" in body
    [ics] = [part for part in confirmation.iter_attachments()
             if part.get_content_type() == "text/calendar"]
    event = Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == VISIT.astimezone(UTC)
    assert str(event["uid"]) == f"{at_a[sv_mail]}@desk-messenger"
    fi_post = next(p for p in gateway.posts if p["to"] == "+358401110001")
    assert fi_post["text"].startswith("Aikasi työllisyyspalveluihin: torstaina "
                                               "4.3.2027 klo 10.00, Rovaniemi")
    # One customer opts out after the booking: the reminder queued for them is
    # cancelled when its time comes (the consent is checked again before sending).
    clock.advance(120)
    with sa.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
        s.get(ContactPreference, preference_id(withdraws)).opted_out = True
    a.sync()
    # The reminders are due (Wednesday 16.00); desk b is still offline.
    due = datetime(2027, 3, 3, 16, 30, tzinfo=HELSINKI)
    two_messengers(messenger_url, smtp, gateway, due)
    # Desk b comes back: its bookings arrive late, but were made before the reminders
    # were due: they go now, late; the opted-out customer gets nothing, the one with no
    # agreed channel a printed letter (and no reminder).
    b.sync()
    two_messengers(messenger_url, smtp, gateway, due + timedelta(hours=1))
    two_messengers(messenger_url, smtp, gateway, due + timedelta(hours=2))
    mail_ids = Counter(mail["Message-ID"] for mail in smtp.mails)
    sms_refs = Counter(post["client_ref"] for post in gateway.posts)
    assert set(mail_ids.values()) == {1} and set(sms_refs.values()) == {1}
    reminders = {who: message_id(MessageKind.REMINDER, appt)
                 for who, appt in {**at_a, **at_b}.items()}
    # Reminders: SMS first, else e-mail, in the customer's language.
    assert sms_refs[reminders[fi_sms]] == 1 and sms_refs[reminders[en_both]] == 1
    assert f"<{reminders[sv_mail]}@desk-messenger>" in mail_ids
    sv_reminder = next(m for m in smtp.mails
                       if m["Message-ID"] == f"<{reminders[sv_mail]}@desk-messenger>")
    assert sv_reminder["Content-Language"] == "sv"
    assert sv_reminder["Subject"].startswith("Påminnelse")
    en_text = next(p["text"] for p in gateway.posts if p["client_ref"] == reminders[en_both])
    assert en_text.startswith("Reminder: your appointment at the employment services on "
                              "Thursday 4 March 2027 at 11:00")
    # The English customer's confirmation by e-mail (e-mail first), once.
    assert mail_ids[f"<{message_id(MessageKind.CONFIRMATION, at_b[en_both])}@desk-messenger>"] == 1
    # Nothing to the opted-out customer; the one without agreed channels: print list.
    assert messages(central, customer_id=opted) == []
    assert all(p["to"] != "+358401110004" for p in gateway.posts)
    assert all(m["To"] != "d@example.fi" for m in smtp.mails)
    [printed] = messages(central, customer_id=nothing)
    assert (printed["kind"], printed["channel"], printed["status"]) == (
        "confirmation", "print", "queued")
    [withdrawn] = messages(central, id=reminders[withdraws])
    assert (withdrawn["status"], withdrawn["error"]) == ("cancelled", OPTED_OUT)
    assert [p["client_ref"] for p in gateway.posts if p["to"] == "+358401110006"] == [
        message_id(MessageKind.CONFIRMATION, at_a[withdraws])]
    sent = messages(central, status="sent")
    assert len(sent) == len(smtp.mails) + len(gateway.posts) == 7
    assert {m["claimed_by"] for m in sent} <= {"m1", "m2"}
    assert all(m["recipient"] and m["body"] and m["attempts"] == 1 for m in sent)
    with central.connect() as conn:
        beats = conn.execute(text("SELECT name, sent_count FROM messenger_heartbeat "
                                  "ORDER BY name")).all()
    assert [name for name, _count in beats] == ["m1", "m2"]
    assert sum(count for _name, count in beats) == 7
    # A letter by e-mail and a password by SMS, as a worker asks for them (the desk's
    # write, here straight into the central table): the PDF attached, the password sent
    # and then forgotten.
    pdf = b"%PDF-1.4\n% a letter\n%%EOF\n"
    letter, password = str(uuid.uuid4()), str(uuid.uuid4())
    with central.begin() as conn:
        for mid, who, kind, channel, language, extra in (
                (letter, sv_mail, "letter", "email", "sv",
                 {"attachment": base64.b64encode(pdf).decode(), "attachment_name":
                  "kirje.pdf", "document": "appointment_letter", "secret": None}),
                (password, en_both, "password", "sms", "en",
                 {"attachment": None, "attachment_name": None, "document": None,
                  "secret": "Xy7-Secret-42"})):
            conn.execute(text(
                "INSERT INTO message (id, customer_id, service_point_id, kind, channel, "
                "status, language, due_at, attempts, attachment, attachment_name, document, "
                "secret, hlc, updated_at) VALUES (:id, :cid, 'sp-rov', :kind, :channel, "
                "'queued', :language, :due, 0, :attachment, :attachment_name, :document, "
                ":secret, '', :due)"),
                {"id": mid, "cid": who, "kind": kind, "channel": channel,
                 "language": language,
                 "due": (due + timedelta(hours=2)).astimezone(UTC).replace(tzinfo=None),
                 **extra})
        # The password's plan went already (a password waits for its plan).
        plan = str(uuid.uuid4())
        conn.execute(text(
            "INSERT INTO message (id, customer_id, service_point_id, kind, channel, "
            "status, language, due_at, attempts, hlc, updated_at) VALUES (:id, :cid, "
            "'sp-rov', 'plan', 'email', 'sent', 'en', :due, 1, '', :due)"),
            {"id": plan, "cid": en_both, "due": due.astimezone(UTC).replace(tzinfo=None)})
        conn.execute(text("UPDATE message SET about_id = :plan WHERE id = :id"),
                     {"plan": plan, "id": password})
    messenger(messenger_url, smtp, gateway, due + timedelta(hours=3))
    mail = next(m for m in smtp.mails if m["Message-ID"] == f"<{letter}@desk-messenger>")
    assert mail["Content-Language"] == "sv" and mail["To"] == "berg@example.fi"
    [attached] = list(mail.iter_attachments())
    assert attached.get_filename() == "kirje.pdf" and attached.get_content() == pdf
    with central.connect() as conn:  # sent: the PDF is not kept
        assert conn.execute(text("SELECT status, attachment FROM message WHERE id = :id"),
                            {"id": letter}).one() == ("sent", None)
    [sms] = [p for p in gateway.posts if p["client_ref"] == password]
    assert "Xy7-Secret-42" in sms["text"] and "016 322 6000" in sms["text"]
    [row] = messages(central, id=password)
    assert row["status"] == "sent" and row["secret"] is None
    assert "Xy7-Secret-42" not in row["body"] and "********" in row["body"]


def kill_while_held(url, smtp, gateway, at, held):
    """Run a messenger until `held` (the gateway or the SMTP server) holds a send, then
    SIGKILL it in the middle of that send."""
    process = messenger(url, smtp, gateway, at, wait=False)
    deadline = time.monotonic() + 40
    while not held.holding.is_set():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    held.release.set()


def test_a_messenger_killed_in_the_middle_of_a_batch_sends_nothing_twice(
        desks, central, messenger_url, smtp, gateway):  # noqa: F811
    clock = Clock(T0)
    a, _b = two_desks(desks, clock)
    messenger(messenger_url, smtp, gateway, T0)
    clock.advance(60)
    s = a.services
    texts = [customer(s, n, f"Tekstari{'abc'[n - 1]}", "fi", phone=f"040 222 000{n}",
                      sms=True) for n in range(1, 4)]
    mails = [customer(s, n, f"Posti{'de'[n - 4]}", "fi", mail=f"mail{n}@example.fi",
                      by_mail=True) for n in range(4, 6)]
    for who in texts:
        book(s, who, VISIT)
    a.sync()
    # Killed while the gateway holds a text message: the others are sent, or claimed.
    gateway.hold_for = "+358402220002"
    at = T0 + timedelta(hours=2)
    kill_while_held(messenger_url, smtp, gateway, at, gateway)
    states = Counter(m["status"] for m in messages(central, kind="confirmation"))
    assert states["sending"] == 1 and states["sent"] < 3, states
    # A restart within the lease leaves the interrupted message alone; once the lease
    # has run out, the gateway is asked by the message's id: it has it, so it is sent.
    messenger(messenger_url, smtp, gateway, at + timedelta(minutes=1))
    assert Counter(m["status"] for m in messages(central, kind="confirmation"))[
        "sending"] == 1
    messenger(messenger_url, smtp, gateway, at + timedelta(minutes=10))
    sms_refs = Counter(post["client_ref"] for post in gateway.posts)
    assert len(sms_refs) == 3 and set(sms_refs.values()) == {1}
    assert {m["status"] for m in messages(central, kind="confirmation")} == {"sent"}
    # Killed while the SMTP server holds an e-mail: the relay cannot be asked, so after
    # the lease the message is held for a person to decide, never sent again.
    for who in mails:
        book(s, who, VISIT)
    a.sync()
    smtp.hold_for = "mail4@example.fi"
    later = at + timedelta(hours=1)
    kill_while_held(messenger_url, smtp, gateway, later, smtp)
    messenger(messenger_url, smtp, gateway, later + timedelta(minutes=10))
    mail_ids = Counter(mail["Message-ID"] for mail in smtp.mails)
    assert len(mail_ids) == 2 and set(mail_ids.values()) == {1}
    confirmations = {m["customer_id"]: m for m in messages(central, kind="confirmation")}
    held = confirmations[mails[0]]
    assert (held["status"], held["channel"], held["error"]) == (
        "held", "email", "May have been sent: a person decides.")
    assert confirmations[mails[1]]["status"] == "sent"
    assert {m["status"] for m in messages(central, kind="reminder")} == {"queued"}
    sms_refs = Counter(post["client_ref"] for post in gateway.posts)
    assert len(sms_refs) == 3 and set(sms_refs.values()) == {1}


def test_a_moved_and_then_cancelled_appointment_through_the_desks_own_services(
        desks, central, messenger_url, smtp, gateway):  # noqa: F811
    """Booked, moved and cancelled with the appointment service itself: the move notice
    (with the new time's calendar file) replaces the old reminder; the cancellation
    notice follows a move notice that went out."""
    from datetime import date

    from app.dto.appointments import BookingInput
    from app.models import WorkingHours
    from app.rules import booking

    clock = Clock(T0)
    a, _b = two_desks(desks, clock)
    s = a.services
    with s.ctx.transaction(Permission.APPOINTMENT_BOOK) as tx:
        for h in booking.standard_week(valid_from=date(2025, 1, 1)):
            tx.add(WorkingHours(staff_id="staff-coach", weekday=h.weekday,
                                start_minute=h.start, end_minute=h.end,
                                lunch_start_minute=h.lunch_start,
                                lunch_end_minute=h.lunch_end, valid_from=h.valid_from))
    a.sync()
    messenger(messenger_url, smtp, gateway, T0)
    clock.advance(60)
    who = customer(s, 7, "Grönlund", "fi", mail="g@example.fi", by_mail=True)
    first = s.appointments.book(BookingInput(who, "staff-coach", "other", "service_point",
                                             VISIT, 45)).id
    a.sync()
    messenger(messenger_url, smtp, gateway, T0 + timedelta(hours=2))
    assert [m["Subject"] for m in smtp.mails] == [
        "Ajanvarauksen vahvistus: torstaina 4.3.2027 klo 10.00"]
    clock.advance(120)
    later = VISIT + timedelta(days=1)
    second = s.appointments.reschedule(first, later, reason="Asiakkaan toive").id
    a.sync()
    messenger(messenger_url, smtp, gateway, T0 + timedelta(hours=4))
    moved = smtp.mails[-1]
    assert moved["Subject"] == "Aikasi on siirretty: perjantaina 5.3.2027 klo 10.00"
    [ics] = [p for p in moved.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert Calendar.from_ical(ics.get_content()).walk("VEVENT")[0].decoded(
        "dtstart") == later.astimezone(UTC)
    [old_reminder] = messages(central, id=message_id(MessageKind.REMINDER, first))
    assert (old_reminder["status"], old_reminder["error"]) == ("cancelled", APPOINTMENT_MOVED)
    assert messages(central, id=message_id(MessageKind.CANCELLED, first)) == []
    clock.advance(120)
    s.appointments.cancel(second, reason="Asiakas sai töitä")
    a.sync()
    messenger(messenger_url, smtp, gateway, T0 + timedelta(hours=6))
    assert smtp.mails[-1]["Subject"] == "Aikasi on peruttu: perjantaina 5.3.2027 klo 10.00"
    [reminder] = messages(central, id=message_id(MessageKind.REMINDER, second))
    assert (reminder["status"], reminder["error"]) == ("cancelled", APPOINTMENT_CANCELLED)
    assert len(smtp.mails) == 3 and len(set(m["Message-ID"] for m in smtp.mails)) == 3
    assert gateway.posts == []
    # An event (written here straight into the central tables, as a desk's sync would):
    # the invited customer gets an invitation by e-mail, the registered one a reminder by
    # SMS the day before, which names neither the event nor its subject.
    from app.rules.events import participant_id
    from app.sync.hlc import format_hlc

    texted = customer(s, 8, "Hakala", "fi", phone="040 111 0008", sms=True)
    a.sync()
    written = T0 + timedelta(hours=7)
    session_at = VISIT + timedelta(hours=3)
    with central.begin() as conn:
        conn.execute(text(
            "INSERT INTO event (id, service_point_id, kind, status, title, language, "
            "capacity, organiser_ids, annual, updated_at) VALUES ('ev-1', 'sp-rov', "
            "'service_info', 'planned', 'Työnhakuklinikka', 'fi', 20, 'staff-coach', false, "
            "now())"))
        conn.execute(text(
            "INSERT INTO event_session (id, event_id, service_point_id, number, starts_at, "
            "ends_at, cancelled, updated_at) VALUES ('ses-1', 'ev-1', 'sp-rov', 1, :start, "
            ":end, false, now())"),
            {"start": session_at.astimezone(UTC).replace(tzinfo=None),
             "end": (session_at + timedelta(hours=2)).astimezone(UTC).replace(tzinfo=None)})
        for cid, status in ((who, "invited"), (texted, "registered")):
            conn.execute(text(
                "INSERT INTO event_participant (id, event_id, customer_id, service_point_id, "
                "status, hlc, updated_at) VALUES (:id, 'ev-1', :cid, 'sp-rov', :status, "
                ":hlc, now())"),
                {"id": participant_id("ev-1", cid), "cid": cid, "status": status,
                 "hlc": format_hlc(int(written.timestamp() * 1000), 0, "deskb")})
    messenger(messenger_url, smtp, gateway, written + timedelta(minutes=5))
    invitation = smtp.mails[-1]
    assert invitation["Message-ID"] == "<{}@desk-messenger>".format(
        message_id(MessageKind.EVENT_INVITATION, participant_id("ev-1", who)))
    assert invitation["Subject"] == "Kutsu: Työnhakuklinikka"
    assert "torstaina 4.3.2027 klo 13.00" in invitation.get_body(("plain",)).get_content()
    assert gateway.posts == []
    messenger(messenger_url, smtp, gateway, datetime(2027, 3, 3, 16, 5, tzinfo=HELSINKI))
    [reminder_sms] = gateway.posts
    from app.rules.message_plan import SessionFacts, event_reminder_id
    assert reminder_sms["client_ref"] == event_reminder_id(
        participant_id("ev-1", texted),
        SessionFacts("ses-1", datetime(2027, 3, 4, 13, 0, tzinfo=HELSINKI)))
    assert reminder_sms["text"] == (
        "Muistutus: tilaisuus torstaina 4.3.2027 klo 13.00, Rovaniemi – Osaamo. "
        "Jos et pääse, soita 016 322 6000.")


# -- the channels and the configuration, without a database -------------------------------
def test_starttls_is_required_unless_configured_otherwise(smtp):
    from app.messenger.channels import SMTP_NO_TLS, ChannelError, EmailChannel, Outgoing
    from app.messenger.config import SmtpConfig
    from app.rules.codes import MessageChannel

    outgoing = Outgoing(id="m-1", channel=MessageChannel.EMAIL, language="fi",
                        recipient="a@example.fi", subject="Aihe", body="Teksti")
    strict = EmailChannel(SmtpConfig("127.0.0.1", smtp.port, None, None, "require",
                                     "no-reply@example.fi", timeout=5))
    with pytest.raises(ChannelError) as refused:
        strict.send(outgoing, T0)
    assert refused.value.reason == SMTP_NO_TLS and smtp.mails == []
    relay = EmailChannel(SmtpConfig("127.0.0.1", smtp.port, None, None, "off",
                                    "no-reply@example.fi", timeout=5))
    assert relay.send(outgoing, T0) == "<m-1@desk-messenger>"
    assert relay.lookup("m-1", "<m-1@desk-messenger>") is None  # a relay cannot be asked
    [mail] = smtp.mails
    assert mail["Message-ID"] == "<m-1@desk-messenger>" and mail["Content-Language"] == "fi"


def test_the_sms_gateway_interface(gateway):
    from app.messenger.channels import SMS_REFUSED, ChannelError, Outgoing, SmsGatewayChannel
    from app.messenger.config import SmsConfig
    from app.rules.codes import MessageChannel

    outgoing = Outgoing(id="m-2", channel=MessageChannel.SMS, language="fi",
                        recipient="040 123 4567", subject=None, body="Aika huomenna")
    channel = SmsGatewayChannel(SmsConfig(gateway.url, TOKEN, "Tyollisyys", timeout=5))
    assert channel.lookup("m-2", None) == "unknown"
    assert channel.send(outgoing, T0) == "m-2"
    assert gateway.posts == [{"to": "+358401234567", "from": "Tyollisyys",
                              "text": "Aika huomenna", "client_ref": "m-2"}]
    assert channel.lookup("m-2", "m-2") == "sent"
    wrong = SmsGatewayChannel(SmsConfig(gateway.url, "wrong", "Tyollisyys", timeout=5))
    with pytest.raises(ChannelError) as refused:
        wrong.send(outgoing, T0)
    assert refused.value.reason == SMS_REFUSED and refused.value.permanent


def test_credentials_never_on_the_command_line(tmp_path):
    from app.messenger.config import ConfigError, load

    env = {"DESK_MESSENGER_FROM": "no-reply@example.fi", "DESK_MESSENGER_SMS_TOKEN": "t",
           "DESK_MESSENGER_SMS_SENDER": "Tyollisyys", "DESK_MESSENGER_SMTP_USER": "env-user"}
    with pytest.raises(ConfigError):
        load("postgresql+psycopg://m@db/desk", smtp_url="smtp://user:pw@relay:587",
             environ=env)
    with pytest.raises(ConfigError):
        load("postgresql+psycopg://m@db/desk", sms_url="https://u:token@sms.example.fi",
             environ=env)
    with pytest.raises(ConfigError):
        load("postgresql+psycopg://m@db/desk", smtp_url="smtp://relay:587", environ={})
    file = tmp_path / "messenger.toml"
    file.write_text('[messenger]\nname = "m-file"\nlease = 600\n[smtp]\nuser = "file-user"\n'
                    'password = "file-pw"\nstarttls = "if-offered"\n'
                    '[sms]\nurl = "https://sms.example.fi/api/"\n', encoding="utf-8")
    config = load("postgresql+psycopg://m@db/desk", smtp_url="smtp://relay:587",
                  config_file=file, environ=env)
    assert config.name == "m-file" and config.lease == 600
    assert config.smtp is not None and config.smtp.user == "env-user"  # the environment wins
    assert config.smtp.password == "file-pw" and config.smtp.starttls == "if-offered"
    assert config.smtp.port == 587 and config.smtp.host == "relay"
    assert config.sms is not None and config.sms.url == "https://sms.example.fi/api"
    plain = load("postgresql+psycopg://m@db/desk", smtp_url="smtp://relay", environ=env)
    assert plain.smtp is not None and plain.smtp.starttls == "require"
    assert plain.sms is None


# -- what the review found: a lost answer, a late opt-out, a password without its plan --------
def test_an_email_whose_final_answer_is_lost_is_in_doubt_never_failed():
    """The relay takes the body and the connection drops before its "250": the message
    may have gone, so it is not retried (the dispatcher holds it for a person)."""
    from app.messenger.channels import DeliveryInDoubt, EmailChannel, Outgoing
    from app.messenger.config import SmtpConfig
    from app.rules.codes import MessageChannel

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    took_body = threading.Event()

    def relay() -> None:
        conn, _addr = listener.accept()
        stream = conn.makefile("rb")
        conn.sendall(b"220 relay\r\n")
        while line := stream.readline():
            word = line[:4].upper()
            if word.startswith(b"EHLO"):
                conn.sendall(b"250 relay\r\n")
            elif word in (b"MAIL", b"RCPT"):
                conn.sendall(b"250 ok\r\n")
            elif word == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                while stream.readline() not in (b".\r\n", b""):
                    pass
                took_body.set()
                break  # the "250" is never sent: the connection drops
        conn.close()
        listener.close()

    threading.Thread(target=relay, daemon=True).start()
    channel = EmailChannel(SmtpConfig("127.0.0.1", port, None, None, "off",
                                      "no-reply@example.fi", timeout=5))
    outgoing = Outgoing(id="m-1", channel=MessageChannel.EMAIL, language="fi",
                        recipient="a@example.fi", subject="Aihe", body="Teksti\n.\nloppu")
    with pytest.raises(DeliveryInDoubt):
        channel.send(outgoing, datetime(2027, 3, 1, 10, tzinfo=UTC))
    assert took_body.is_set()


def _message_row(conn, mid, customer, kind, channel, status, about=None, secret=None):
    conn.execute(text(
        "INSERT INTO message (id, customer_id, service_point_id, kind, channel, status, "
        "language, about_id, due_at, attempts, secret, hlc, updated_at) VALUES (:id, :c, "
        "'sp-rov', :kind, :channel, :status, 'fi', :about, :due, 0, :secret, '', :due)"),
        {"id": mid, "c": customer, "kind": kind, "channel": channel, "status": status,
         "about": about, "due": datetime(2027, 3, 1, 8), "secret": secret})


def test_the_messenger_settles_late_opt_outs_and_passwords_whose_plan_did_not_go(
        central):  # noqa: F811
    from app.messenger.dispatcher import Dispatcher
    from app.messenger.planner import settle
    from app.rules.codes import MessageChannel
    from app.rules.message_plan import PLAN_NOT_SENT

    now = datetime(2027, 3, 1, 10, tzinfo=UTC)
    with central.begin() as conn:
        conn.execute(text(
            "INSERT INTO contact_preference (id, customer_id, sms, email, opted_out, "
            "given_how, given_on, hlc, updated_at) VALUES (:id, 'c-out', false, false, "
            "true, 'phone', '2027-02-28', '', now())"), {"id": preference_id("c-out")})
        _message_row(conn, "m-print-out", "c-out", "confirmation", "print", "queued")
        _message_row(conn, "m-print-in", "c-in", "confirmation", "print", "queued")
        _message_row(conn, "m-plan-failed", "c-in", "plan", "email", "failed")
        _message_row(conn, "m-pw-1", "c-in", "password", "sms", "queued",
                     about="m-plan-failed", secret="Abc234defg")
        _message_row(conn, "m-plan-queued", "c-in", "plan", "email", "queued")
        _message_row(conn, "m-pw-2", "c-in", "password", "sms", "queued",
                     about="m-plan-queued", secret="Xyz234defg")
    assert settle(central, now) == 2
    with central.connect() as conn:
        rows = {r.id: r for r in conn.execute(text(
            "SELECT id, status, error, secret FROM message"))}
    assert (rows["m-print-out"].status, rows["m-print-out"].error) == ("cancelled", OPTED_OUT)
    assert rows["m-print-in"].status == "queued"
    assert (rows["m-pw-1"].status, rows["m-pw-1"].error, rows["m-pw-1"].secret) == (
        "cancelled", PLAN_NOT_SENT, None)
    # The other password waits while its plan is queued, and goes once the plan went.
    dispatcher = Dispatcher(central, {MessageChannel.SMS: object()},  # type: ignore[dict-item]
                            "m-test", lambda: now)
    assert dispatcher.claim() == []
    with central.begin() as conn:
        conn.execute(text("UPDATE message SET status = 'sent' WHERE id = 'm-plan-queued'"))
    assert dispatcher.claim() == ["m-pw-2"]
