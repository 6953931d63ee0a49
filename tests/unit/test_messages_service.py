"""Messages at the workstation (#23) through the service as the screens call it: contact
preferences with validation and audit, the customer's history and the Messages page's
lists, a person's decisions (allowed and refused moves), the letter and the encrypted
plan by e-mail (consent first; the PDF opens only with its password), templates, the
print list's letters and the messenger's heartbeat on the context clock."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.dto.messages import PreferenceInput
from app.models import Appointment, AuditEvent, OutboxEntry
from app.models.message import ContactPreference, Message, MessengerHeartbeat
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    Channel,
    MessageChannel,
    MessageKind,
    MessageStatus,
)
from app.rules.messages import message_id, preference_id
from app.services.errors import PermissionDenied, ServiceError, ValidationFailed
from app.services.messages import PASSWORD_ALPHABET, new_password
from app.services.plans import PlanService
from tests.factories import Clock, customer_input
from tests.unit.test_plans import good_content

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 10.00 in Helsinki
TODAY = date(2026, 11, 24)


@pytest.fixture
def ms(signed_in):
    signed_in.ctx.now = Clock(START)
    with_contacts = signed_in.customers.create(customer_input(
        "Mäkelä", "Aino", date(1985, 3, 12), 124, phone="040 123 4567",
        email="aino@example.fi", language="sv"))
    bare = signed_in.customers.create(customer_input("Virtanen", "Matti", date(1990, 7, 1),
                                                     235))
    signed_in.aino, signed_in.matti = with_contacts.id, bare.id
    return signed_in


def agree(services, customer_id, sms=True, email=True, opted_out=False, language=None):
    return services.messages.save_preference(customer_id, PreferenceInput(
        sms=sms, email=email, opted_out=opted_out, language=language,
        given_how="in_person", given_on=TODAY))


def audits(services, action):
    with services.ctx.session_factory() as s:
        return [json.loads(a.detail or "{}") for a in s.scalars(
            select(AuditEvent).where(AuditEvent.action == action))]


def outbox(services, table):
    with services.ctx.session_factory() as s:
        return s.scalars(select(OutboxEntry).where(OutboxEntry.table_name == table)).all()


def add_message(services, customer_id, kind=MessageKind.REMINDER,
                channel=MessageChannel.SMS, status=MessageStatus.SENT, due=START,
                sent=None, about_id="about-1", **kw):
    mid = kw.pop("id", None) or message_id(kind, about_id)
    with services.ctx.session_factory.begin() as s:
        s.add(Message(id=mid, customer_id=customer_id, service_point_id="sp-rov",
                      kind=kind, channel=channel, status=status, language="fi",
                      about_id=about_id, due_at=due, sent_at=sent, attempts=1, **kw))
    return mid


def sign_in_as(services, username):
    services.auth.sign_out()
    services.auth.sign_in(username, "demo")


# --- contact preferences --------------------------------------------------------------


def test_nothing_is_agreed_until_a_preference_is_recorded(ms):
    row = ms.messages.preference(ms.aino)
    assert (row.recorded, row.sms, row.email, row.opted_out) == (False, False, False, False)
    assert row.phone and row.email_address == "aino@example.fi"
    assert ms.messages.preference(ms.matti).phone is None


def test_a_preference_is_refused_by_field_and_nothing_is_kept(ms):
    with pytest.raises(ValidationFailed) as refused:
        ms.messages.save_preference(ms.matti, PreferenceInput(
            sms=True, email=True, opted_out=False, language="de", given_how="telepathy",
            given_on=TODAY + timedelta(days=1)))
    assert set(refused.value.errors) == {"sms", "email", "given_on", "language", "given_how"}
    with ms.ctx.session_factory() as s:
        assert s.scalars(select(ContactPreference)).all() == []


def test_a_preference_is_stored_under_the_customers_id_audited_and_pushed(ms):
    row = agree(ms, ms.aino, sms=True, email=False, language="en")
    assert (row.recorded, row.sms, row.email, row.language) == (True, True, False, "en")
    assert row.recorded_by_name == "Pekka Ylitalo" and row.given_on == TODAY
    again = agree(ms, ms.aino, sms=False, email=True)
    assert (again.sms, again.email, again.language) == (False, True, None)
    with ms.ctx.session_factory() as s:
        stored = s.scalars(select(ContactPreference)).all()
    assert [p.id for p in stored] == [preference_id(ms.aino)]
    assert len(outbox(ms, "contact_preference")) == 2
    assert audits(ms, "message.preference")[-1] == {
        "customer": ms.aino, "sms": False, "email": True, "opted_out": False,
        "how": "in_person"}


def test_opting_out_withdraws_every_channel(ms):
    agree(ms, ms.aino)
    row = agree(ms, ms.aino, opted_out=True)
    assert (row.opted_out, row.sms, row.email) == (True, False, False)
    # Opting out needs no contacts at all.
    assert agree(ms, ms.matti, sms=True, email=True, opted_out=True).opted_out


# --- history and the Messages page ------------------------------------------------------


def test_history_is_newest_first_with_names(ms):
    old = add_message(ms, ms.aino, kind=MessageKind.CONFIRMATION,
                      channel=MessageChannel.EMAIL, due=START - timedelta(days=3),
                      sent=START - timedelta(days=3), recipient="aino@example.fi",
                      subject="Aika", body="Tervetuloa")
    new = add_message(ms, ms.aino, status=MessageStatus.QUEUED,
                      due=START + timedelta(days=1))
    add_message(ms, ms.matti, kind=MessageKind.CONFIRMATION, about_id="other")
    rows = ms.messages.history(ms.aino)
    assert [r.id for r in rows] == [new, old]
    assert rows[1].customer_name == "Mäkelä, Aino"
    assert (rows[1].recipient, rows[1].subject, rows[1].sent_at) == (
        "aino@example.fi", "Aika", START - timedelta(days=3))
    assert rows[0].due_at.tzinfo is not None


def test_the_pages_lists(ms):
    failed = add_message(ms, ms.aino, status=MessageStatus.FAILED, error="rejected",
                         about_id="a1")
    held = add_message(ms, ms.aino, kind=MessageKind.CONFIRMATION,
                       channel=MessageChannel.EMAIL, status=MessageStatus.HELD, about_id="a2")
    sent_today = add_message(ms, ms.matti, status=MessageStatus.SENT,
                             due=START - timedelta(days=1), sent=START, about_id="a3")
    due_today = add_message(ms, ms.matti, status=MessageStatus.QUEUED,
                            due=START + timedelta(hours=6), about_id="a4")
    add_message(ms, ms.matti, status=MessageStatus.QUEUED,  # tomorrow
                due=START + timedelta(days=1), about_id="a5")
    letter = add_message(ms, ms.matti, kind=MessageKind.CONFIRMATION,
                         channel=MessageChannel.PRINT, status=MessageStatus.QUEUED,
                         about_id="a6")
    assert {r.id for r in ms.messages.to_handle()} == {failed, held}
    assert ms.messages.to_handle("sp-other") == []
    assert {r.id for r in ms.messages.day_queue(TODAY)} >= {sent_today, due_today}
    assert letter not in {r.id for r in ms.messages.day_queue(TODAY)}
    assert [r.id for r in ms.messages.print_list()] == [letter]


# --- decisions --------------------------------------------------------------------------


def test_a_failed_message_is_queued_again_due_now(ms):
    mid = add_message(ms, ms.aino, status=MessageStatus.FAILED,
                      due=START - timedelta(hours=5), error="gateway said no")
    ms.ctx.now.advance(30)
    row = ms.messages.decide(mid, "queued")
    assert (row.status, row.due_at, row.decided_by_name) == (
        "queued", START + timedelta(minutes=30), "Pekka Ylitalo")
    assert audits(ms, "message.decide") == [{"from": "failed", "to": "queued"}]
    assert len(outbox(ms, "message")) == 2  # the test's own insert, then the decision


@pytest.mark.parametrize(("channel", "old", "new", "allowed"), [
    (MessageChannel.EMAIL, MessageStatus.HELD, MessageStatus.SENT, True),
    (MessageChannel.EMAIL, MessageStatus.QUEUED, MessageStatus.CANCELLED, True),
    (MessageChannel.PRINT, MessageStatus.QUEUED, MessageStatus.PRINTED, True),
    (MessageChannel.EMAIL, MessageStatus.QUEUED, MessageStatus.PRINTED, False),
    (MessageChannel.SMS, MessageStatus.SENT, MessageStatus.QUEUED, False),
    (MessageChannel.PRINT, MessageStatus.QUEUED, MessageStatus.SENT, False),
    (MessageChannel.SMS, MessageStatus.FAILED, MessageStatus.DELIVERED, False),
])
def test_a_person_moves_a_message_only_as_allowed(ms, channel, old, new, allowed):
    mid = add_message(ms, ms.aino, channel=channel, status=old)
    if allowed:
        assert ms.messages.decide(mid, new.value).status == new.value
    else:
        with pytest.raises(ServiceError):
            ms.messages.decide(mid, new.value)
        with ms.ctx.session_factory() as s:
            assert s.get(Message, mid).status == old


def test_an_unknown_state_or_message_is_refused(ms):
    mid = add_message(ms, ms.aino, status=MessageStatus.FAILED)
    with pytest.raises(ServiceError):
        ms.messages.decide(mid, "teleported")
    with pytest.raises(ServiceError):
        ms.messages.decide("no-such-message", "queued")


# --- a letter and the plan by e-mail ----------------------------------------------------

PDF = b"%PDF-1.4\n% a letter\n"


def test_a_letter_is_refused_without_consent_an_address_or_when_opted_out(ms):
    with pytest.raises(ServiceError) as no_preference:
        ms.messages.send_letter(ms.aino, "appointment", PDF, "kirje.pdf")
    assert "e-mail" in no_preference.value.message
    agree(ms, ms.aino, sms=True, email=False)
    with pytest.raises(ServiceError):
        ms.messages.send_letter(ms.aino, "appointment", PDF, "kirje.pdf")
    agree(ms, ms.aino, opted_out=True)
    with pytest.raises(ServiceError):
        ms.messages.send_letter(ms.aino, "appointment", PDF, "kirje.pdf")
    agree(ms, ms.matti, sms=False, email=False)
    with pytest.raises(ServiceError):
        ms.messages.send_letter(ms.matti, "appointment", PDF, "kirje.pdf")
    with ms.ctx.session_factory() as s:
        assert s.scalars(select(Message)).all() == []


def test_a_letter_is_queued_for_the_messenger(ms):
    agree(ms, ms.aino, sms=False, email=True)
    row = ms.messages.send_letter(ms.aino, "referral", PDF, "../lähete kopio.pdf", "ref-1")
    assert (row.kind, row.channel, row.status, row.language, row.attempts) == (
        "letter", "email", "queued", "sv", 0)
    assert (row.recipient, row.due_at, row.document, row.about_id) == (
        None, START, "referral", "ref-1")
    assert row.requested_by_name == "Pekka Ylitalo"
    with ms.ctx.session_factory() as s:
        stored = s.get(Message, row.id)
        assert base64.b64decode(stored.attachment) == PDF
        assert stored.attachment_name == "lähete_kopio.pdf"
    assert len(outbox(ms, "message")) == 1
    assert audits(ms, "message.letter") == [{"customer": ms.aino, "document": "referral"}]
    with pytest.raises(ServiceError):
        ms.messages.send_letter(ms.aino, "referral", b"not a pdf", "x.pdf")


def accepted_plan(services, customer_id):
    plans = PlanService(services.ctx)
    draft = plans.create_plan(customer_id, "employment")
    plans.save_draft(draft.id, good_content(TODAY), draft.revision)
    return plans.accept(draft.id, "signed")


def test_the_password_has_no_look_alike_characters():
    for _ in range(50):
        password = new_password()
        assert len(password) == 10 and set(password) <= set(PASSWORD_ALPHABET)
    assert not set("0O1lIio") & set(PASSWORD_ALPHABET)


def test_the_plan_goes_encrypted_and_opens_only_with_its_password(ms):
    accepted_plan(ms, ms.aino)
    agree(ms, ms.aino, sms=True, email=True, language="fi")
    sent = ms.messages.send_plan(ms.aino, password_by_sms=True)
    assert (sent.message.kind, sent.message.channel, sent.message.status) == (
        "plan", "email", "queued")
    with ms.ctx.session_factory() as s:
        plan = s.get(Message, sent.message.id)
        secret = s.get(Message, sent.password_message.id)
        pdf = base64.b64decode(plan.attachment)
        assert plan.secret is None and plan.attachment_name == "plan.pdf"
        assert (secret.kind, secret.channel, secret.secret, secret.attachment) == (
            MessageKind.PASSWORD, MessageChannel.SMS, sent.password, None)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.is_encrypted
    assert not reader.decrypt("wrong-pass")
    with pytest.raises(Exception):  # noqa: B017 (pypdf: FileNotDecryptedError)
        reader.pages[0].extract_text()
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.decrypt(sent.password)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Hygieniapassi" in text
    assert len(outbox(ms, "message")) == 2
    assert audits(ms, "message.plan")[0]["password_by_sms"] is True
    assert sent.password not in json.dumps(audits(ms, "message.plan"))


def test_the_password_sms_needs_sms_consent(ms):
    accepted_plan(ms, ms.aino)
    agree(ms, ms.aino, sms=False, email=True)
    with pytest.raises(ServiceError):
        ms.messages.send_plan(ms.aino, password_by_sms=True)
    with ms.ctx.session_factory() as s:
        assert s.scalars(select(Message)).all() == []
    sent = ms.messages.send_plan(ms.aino, password_by_sms=False)
    assert sent.password_message is None and len(sent.password) == 10


def test_the_plan_needs_e_mail_consent_and_the_right_to_print_it(ms):
    accepted_plan(ms, ms.aino)
    with pytest.raises(ServiceError):
        ms.messages.send_plan(ms.aino, password_by_sms=False)
    agree(ms, ms.aino)
    sign_in_as(ms, "desk")
    with pytest.raises(PermissionDenied):
        ms.messages.send_plan(ms.aino, password_by_sms=False)


# --- print list -------------------------------------------------------------------------


def test_print_list_letters_print_as_pdf(ms):
    with ms.ctx.session_factory.begin() as s:
        s.add(Appointment(id="appt-1", customer_id=ms.matti, staff_id="staff-coach",
                          service_point_id="sp-rov",
                          type=AppointmentType.JOB_SEARCH_CONVERSATION,
                          channel=Channel.SERVICE_POINT, status=AppointmentStatus.BOOKED,
                          starts_at=START + timedelta(days=2),
                          ends_at=START + timedelta(days=2, hours=1)))
    confirmation = add_message(ms, ms.matti, kind=MessageKind.CONFIRMATION,
                               channel=MessageChannel.PRINT, status=MessageStatus.QUEUED,
                               about_id="appt-1", about_starts_at=START + timedelta(days=2))
    cancelled = add_message(ms, ms.matti, kind=MessageKind.CANCELLED,
                            channel=MessageChannel.PRINT, status=MessageStatus.QUEUED,
                            about_id="appt-1", about_starts_at=START + timedelta(days=2))
    for mid in (confirmation, cancelled):
        pdf = ms.messages.print_letter(mid)
        assert pdf.startswith(b"%PDF")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert "Virtanen" in text
    # Not marked printed until the view says so.
    assert {r.id for r in ms.messages.print_list()} == {confirmation, cancelled}
    ms.messages.decide(confirmation, "printed")
    assert [r.id for r in ms.messages.print_list()] == [cancelled]
    email = add_message(ms, ms.matti, kind=MessageKind.CONFIRMATION,
                        channel=MessageChannel.EMAIL, about_id="appt-2")
    with pytest.raises(ServiceError):
        ms.messages.print_letter(email)


def test_an_event_invitation_prints_as_the_invitation_letter(ms):
    from app.dto.events import EventInput, SessionInput
    from app.rules.events import participant_id

    event = ms.events.create(EventInput(
        service_point_id="sp-rov", kind="service_info", title="Palveluinfo",
        sessions=(SessionInput("3.12.2026", "13:00", "14:30"),)))
    ms.events.invite(event.row.id, [ms.matti])
    pid = participant_id(event.row.id, ms.matti)
    mid = add_message(ms, ms.matti, kind=MessageKind.EVENT_INVITATION,
                      channel=MessageChannel.PRINT, status=MessageStatus.QUEUED,
                      about_id=pid)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        ms.messages.print_letter(mid))).pages)
    assert "Palveluinfo" in text and "Matti" in text


# --- templates --------------------------------------------------------------------------


def test_templates_every_pair_and_language_built_in_until_edited(ms):
    rows = ms.messages.templates()
    assert len(rows) == 15 * 3 and not any(r.custom for r in rows)
    sign_in_as(ms, "coach")
    with pytest.raises(PermissionDenied):
        ms.messages.save_template("reminder", "sms", "fi", None, "Aika {date} {time}.")
    sign_in_as(ms, "admin")
    with pytest.raises(ValidationFailed) as refused:
        ms.messages.save_template("reminder", "sms", "fi", None, "Hei {name}")
    assert "body" in refused.value.errors
    assert not any(r.custom for r in ms.messages.templates())
    saved = ms.messages.save_template("reminder", "sms", "fi", "ignored",
                                      "Muistutus: {date} klo {time}, {place}. {phone}")
    assert saved.custom and saved.subject is None
    mine = [r for r in ms.messages.templates() if r.custom]
    assert [(r.kind, r.channel, r.language) for r in mine] == [("reminder", "sms", "fi")]
    preview = ms.messages.preview("reminder", "sms", "fi", None, saved.body)
    assert preview[0] is None and "Muistutus:" in preview[1] and "{" not in preview[1]
    back = ms.messages.reset_template("reminder", "sms", "fi")
    assert not back.custom and not any(r.custom for r in ms.messages.templates())
    assert len(audits(ms, "message.template")) == 1
    assert len(audits(ms, "message.template_reset")) == 1
    with pytest.raises(ServiceError):
        ms.messages.save_template("plan", "sms", "fi", None, "x")


# --- the messenger's heartbeat ----------------------------------------------------------


def test_the_messenger_status_by_the_context_clock(ms):
    status = ms.messages.messenger_status()
    assert (status.heard, status.stale, status.seen_at) == (False, True, None)
    with ms.ctx.session_factory.begin() as s:
        s.add(MessengerHeartbeat(id="hb-1", name="m1", started_at=START - timedelta(hours=2),
                                 seen_at=START - timedelta(minutes=4), sent_count=7,
                                 failed_count=1, last_error="smtp: timeout"))
        s.add(MessengerHeartbeat(id="hb-2", name="m2", started_at=START - timedelta(hours=2),
                                 seen_at=START - timedelta(minutes=5), sent_count=3,
                                 failed_count=0))
    status = ms.messages.messenger_status()
    assert (status.heard, status.minutes_since, status.stale) == (True, 4, False)
    assert (status.sent_count, status.failed_count, status.last_error) == (
        10, 1, "smtp: timeout")
    ms.ctx.now.advance(20)
    status = ms.messages.messenger_status()
    assert (status.minutes_since, status.stale, status.sent_count) == (24, True, 7)


def test_the_appointment_letter_goes_by_e_mail_in_the_messages_language(ms):
    with ms.ctx.session_factory.begin() as s:
        s.add(Appointment(id="appt-9", customer_id=ms.aino, staff_id="staff-coach",
                          service_point_id="sp-rov",
                          type=AppointmentType.JOB_SEARCH_CONVERSATION,
                          channel=Channel.SERVICE_POINT, status=AppointmentStatus.BOOKED,
                          starts_at=START + timedelta(days=3),
                          ends_at=START + timedelta(days=3, hours=1)))
    with pytest.raises(ServiceError):  # no e-mail agreed yet
        ms.messages.send_appointment_letter("appt-9")
    agree(ms, ms.aino, sms=False, email=True, language="en")
    row = ms.messages.send_appointment_letter("appt-9")
    assert (row.kind, row.channel, row.document, row.about_id, row.language) == (
        "letter", "email", "appointment_letter", "appt-9", "en")
    with ms.ctx.session_factory() as s:
        stored = s.get(Message, row.id)
        pdf = base64.b64decode(stored.attachment)
        assert stored.attachment_name == "appointment-2026-11-27.pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Mäkelä" in text and "27" in text
