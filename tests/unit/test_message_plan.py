"""The messenger's planning rules (#23), without a database: which messages should
exist for an appointment or an event participant, on which channel, when due, and which
queued ones are cancelled with what reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from app.i18n import HELSINKI
from app.rules import message_plan as mp
from app.rules.codes import AppointmentStatus as A
from app.rules.codes import EventStatus, ParticipantStatus
from app.rules.codes import MessageChannel as C
from app.rules.codes import MessageKind as K
from app.rules.codes import MessageStatus as S
from app.rules.message_plan import AppointmentFacts, Contacts, ParticipantFacts, SessionFacts
from app.rules.messages import message_id

BEGAN = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
BOOKED = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
STARTS = datetime(2027, 3, 4, 10, 0, tzinfo=HELSINKI)  # Thursday
DUE = datetime(2027, 3, 3, 16, 0, tzinfo=HELSINKI)  # Wednesday 16.00
AT = time(16, 0)

SMS_ONLY = Contacts("c1", recorded=True, sms=True, phone="040 1", customer_language="sv")
BOTH = Contacts("c1", recorded=True, sms=True, email=True, phone="040 1",
                email_address="a@example.fi", preference_language="en",
                customer_language="fi")
NOTHING = Contacts("c1")


def appt(**kw):
    base = AppointmentFacts(id="a1", customer_id="c1", service_point_id="sp",
                            status=A.BOOKED, starts_at=STARTS.astimezone(UTC),
                            rescheduled_from_id=None, written_at=BOOKED)
    return replace(base, **kw)


def made(plan):
    return {(p.kind, p.channel): p for p in plan.make}


def test_channel_choice_reminders_by_sms_first_the_rest_by_e_mail_first():
    assert mp.choose_channel(K.REMINDER, BOTH) is C.SMS
    assert mp.choose_channel(K.EVENT_REMINDER, BOTH) is C.SMS
    assert mp.choose_channel(K.CONFIRMATION, BOTH) is C.EMAIL
    assert mp.choose_channel(K.EVENT_INVITATION, BOTH) is C.EMAIL
    assert mp.choose_channel(K.CONFIRMATION, SMS_ONLY) is C.SMS
    # An agreed channel without an address does not count.
    no_number = Contacts("c1", recorded=True, sms=True, email=True, phone=" ",
                         email_address="a@example.fi")
    assert mp.choose_channel(K.REMINDER, no_number) is C.EMAIL
    # A number without consent does not count either.
    unagreed = Contacts("c1", recorded=True, phone="040 1", email_address="a@example.fi")
    assert mp.agreed_channels(unagreed) == ()


def test_without_a_usable_channel_a_printed_letter_and_no_reminder():
    for kind in (K.CONFIRMATION, K.MOVED, K.CANCELLED, K.EVENT_INVITATION):
        assert mp.choose_channel(kind, NOTHING) is C.PRINT
    for kind in (K.REMINDER, K.EVENT_REMINDER):
        assert mp.choose_channel(kind, NOTHING) is None
    opted_out = Contacts("c1", recorded=True, sms=True, email=True, opted_out=True,
                         phone="040 1", email_address="a@example.fi")
    for kind in (K.CONFIRMATION, K.REMINDER, K.EVENT_INVITATION):
        assert mp.choose_channel(kind, opted_out) is None
    erased = Contacts("c1", recorded=True, sms=True, phone="040 1", usable=False)
    assert mp.choose_channel(K.REMINDER, erased) is None
    assert mp.choose_channel(K.CONFIRMATION, erased) is C.PRINT


def test_language_the_preferences_then_the_customers_else_finnish():
    assert mp.language_for(BOTH) == "en"
    assert mp.language_for(SMS_ONLY) == "sv"
    assert mp.language_for(Contacts("c1", customer_language="so")) == "fi"
    assert mp.language_for(Contacts("c1", preference_language="de",
                                    customer_language="sv")) == "fi"
    assert mp.language_for(NOTHING) == "fi"


def test_reminder_time_and_due_in_helsinki_time():
    assert mp.reminder_clock("09:15") == time(9, 15)
    assert mp.reminder_clock("25:00") == time(16, 0)
    assert mp.reminder_clock(None) == time(16, 0)
    assert mp.reminder_due(STARTS, AT) == DUE.astimezone(UTC)
    # Over the change to summer time (Sunday 28 March 2027): 16.00 EEST is 13.00 UTC.
    monday = datetime(2027, 3, 29, 9, 0, tzinfo=HELSINKI)
    assert mp.reminder_due(monday, AT) == datetime(2027, 3, 28, 13, 0, tzinfo=UTC)


def test_a_booked_appointment_gets_a_confirmation_and_a_reminder():
    plan = mp.plan_appointment(appt(), BOTH, NOW, AT, BEGAN)
    got = made(plan)
    assert set(got) == {(K.CONFIRMATION, C.EMAIL), (K.REMINDER, C.SMS)}
    confirmation, reminder = got[(K.CONFIRMATION, C.EMAIL)], got[(K.REMINDER, C.SMS)]
    assert confirmation.id == message_id(K.CONFIRMATION, "a1")
    assert confirmation.due_at <= NOW and confirmation.language == "en"
    assert reminder.id == message_id(K.REMINDER, "a1")
    assert reminder.due_at == DUE.astimezone(UTC)
    assert reminder.about_starts_at == STARTS.astimezone(UTC)
    assert plan.cancel == []
    # Planned again with the messages made: nothing new.
    existing = {p.id: (p.kind, S.QUEUED) for p in plan.make}
    again = mp.plan_appointment(appt(messages=existing), BOTH, NOW, AT, BEGAN)
    assert again.make == [] and again.cancel == []


def test_a_moved_appointment_gets_a_move_notice():
    got = made(mp.plan_appointment(appt(rescheduled_from_id="a0"), BOTH, NOW, AT, BEGAN))
    assert (K.MOVED, C.EMAIL) in got and (K.CONFIRMATION, C.EMAIL) not in got


def test_nothing_for_what_was_written_before_messaging_began():
    old = appt(written_at=BEGAN - timedelta(minutes=1))
    assert mp.plan_appointment(old, BOTH, NOW, AT, BEGAN).make == []
    assert mp.plan_appointment(appt(), BOTH, NOW, AT, None).make == []
    assert mp.plan_appointment(appt(written_at=None), BOTH, NOW, AT, BEGAN).make == []
    assert mp.plan_appointment(appt(customer_id=None), None, NOW, AT, BEGAN).make == []


def test_the_reminder_is_skipped_when_booked_after_it_was_due_and_late_otherwise():
    after_due = DUE.astimezone(UTC) + timedelta(hours=1)
    late_booking = appt(written_at=after_due)
    got = made(mp.plan_appointment(late_booking, BOTH, after_due, AT, BEGAN))
    assert set(got) == {(K.CONFIRMATION, C.EMAIL)}
    # Booked offline before the reminder was due, reaching the centre after: late.
    got = made(mp.plan_appointment(appt(), BOTH, after_due, AT, BEGAN))
    assert got[(K.REMINDER, C.SMS)].due_at == DUE.astimezone(UTC) < after_due
    # But not once the appointment has begun.
    begun = STARTS.astimezone(UTC) + timedelta(minutes=1)
    assert mp.plan_appointment(appt(), BOTH, begun, AT, BEGAN).make == []


def test_queued_messages_of_a_past_or_cancelled_appointment_are_cancelled():
    reminder = message_id(K.REMINDER, "a1")
    confirmation = message_id(K.CONFIRMATION, "a1")
    queued = {reminder: (K.REMINDER, S.QUEUED), confirmation: (K.CONFIRMATION, S.SENT)}
    begun = STARTS.astimezone(UTC) + timedelta(minutes=1)
    plan = mp.plan_appointment(appt(messages=queued), BOTH, begun, AT, BEGAN)
    assert plan.cancel == [mp.Cancel(reminder, mp.APPOINTMENT_PASSED)]
    # Cancelled with no new time after the confirmation went out: a cancellation notice.
    plan = mp.plan_appointment(appt(status=A.CANCELLED, messages=queued), BOTH, NOW, AT,
                               BEGAN)
    assert plan.cancel == [mp.Cancel(reminder, mp.APPOINTMENT_CANCELLED)]
    assert set(made(plan)) == {(K.CANCELLED, C.EMAIL)}
    assert plan.make[0].id == message_id(K.CANCELLED, "a1")
    # Moved (a successor exists): the new appointment's move notice tells it.
    plan = mp.plan_appointment(appt(status=A.CANCELLED, has_successor=True,
                                    messages=queued), BOTH, NOW, AT, BEGAN)
    assert plan.cancel == [mp.Cancel(reminder, mp.APPOINTMENT_MOVED)] and plan.make == []
    # Cancelled before anything went out: no notice, the queued ones cancelled.
    not_yet = {reminder: (K.REMINDER, S.QUEUED), confirmation: (K.CONFIRMATION, S.QUEUED)}
    plan = mp.plan_appointment(appt(status=A.CANCELLED, messages=not_yet), BOTH, NOW, AT,
                               BEGAN)
    assert plan.make == [] and {c.id for c in plan.cancel} == {reminder, confirmation}


def test_opted_out_gets_nothing_and_no_channel_gets_a_printed_confirmation_only():
    opted = Contacts("c1", recorded=True, sms=True, phone="040 1", opted_out=True)
    assert mp.plan_appointment(appt(), opted, NOW, AT, BEGAN).make == []
    got = made(mp.plan_appointment(appt(), NOTHING, NOW, AT, BEGAN))
    assert set(got) == {(K.CONFIRMATION, C.PRINT)}


def test_consent_is_checked_again_before_sending():
    assert mp.still_agreed(C.SMS, BOTH) is None
    assert mp.still_agreed(C.EMAIL, BOTH) is None
    assert mp.still_agreed(C.EMAIL, SMS_ONLY) == mp.CHANNEL_WITHDRAWN
    opted = Contacts("c1", recorded=True, sms=True, phone="040 1", opted_out=True)
    assert mp.still_agreed(C.SMS, opted) == mp.OPTED_OUT
    assert mp.still_agreed(C.PRINT, opted) == mp.OPTED_OUT
    assert mp.still_agreed(C.PRINT, NOTHING) is None
    gone = Contacts("c1", recorded=True, sms=True, phone="")
    assert mp.still_agreed(C.SMS, gone) == mp.NO_ADDRESS


def participant(status=ParticipantStatus.REGISTERED, event=EventStatus.PLANNED, **kw):
    sessions = (SessionFacts("s1", STARTS.astimezone(UTC)),
                SessionFacts("s2", (STARTS + timedelta(days=7)).astimezone(UTC)),
                SessionFacts("s0", datetime(2027, 2, 1, 8, tzinfo=UTC)))
    base = ParticipantFacts(id="p1", customer_id="c1", service_point_id="sp", status=status,
                            event_status=event, sessions=sessions, written_at=BOOKED)
    return replace(base, **kw)


def test_event_invitation_and_a_reminder_for_each_coming_session():
    invited = mp.plan_participant(participant(ParticipantStatus.INVITED), BOTH, NOW, AT,
                                  BEGAN)
    assert [(p.kind, p.channel) for p in invited.make] == [(K.EVENT_INVITATION, C.EMAIL)]
    assert invited.make[0].id == message_id(K.EVENT_INVITATION, "p1")
    registered = mp.plan_participant(participant(), BOTH, NOW, AT, BEGAN)
    assert [(p.kind, p.session_id) for p in registered.make] == [
        (K.EVENT_REMINDER, "s1"), (K.EVENT_REMINDER, "s2")]
    assert registered.make[0].id == mp.event_reminder_id(
        "p1", SessionFacts("s1", STARTS.astimezone(UTC)))
    assert registered.make[0].due_at == DUE.astimezone(UTC)
    # No agreed channel: a printed invitation, and no reminders.
    assert [p.channel for p in mp.plan_participant(
        participant(ParticipantStatus.INVITED), NOTHING, NOW, AT, BEGAN).make] == [C.PRINT]
    assert mp.plan_participant(participant(), NOTHING, NOW, AT, BEGAN).make == []


def test_event_messages_no_longer_wanted_are_cancelled():
    invitation = message_id(K.EVENT_INVITATION, "p1")
    first = mp.event_reminder_id("p1", SessionFacts("s1", STARTS.astimezone(UTC)))
    queued = {invitation: (K.EVENT_INVITATION, S.QUEUED), first: (K.EVENT_REMINDER, S.QUEUED)}
    cancelled = mp.plan_participant(participant(event=EventStatus.CANCELLED,
                                                messages=queued), BOTH, NOW, AT, BEGAN)
    assert cancelled.make == [] and {c.reason for c in cancelled.cancel} == {
        mp.EVENT_CANCELLED}
    declined = mp.plan_participant(participant(ParticipantStatus.DECLINED, messages=queued),
                                   BOTH, NOW, AT, BEGAN)
    assert set(declined.cancel) == {mp.Cancel(invitation, mp.NOT_INVITED),
                                    mp.Cancel(first, mp.NOT_REGISTERED)}
    sessions = (SessionFacts("s1", STARTS.astimezone(UTC), cancelled=True),)
    plan = mp.plan_participant(participant(sessions=sessions, messages={
        first: (K.EVENT_REMINDER, S.QUEUED)}), BOTH, NOW, AT, BEGAN)
    assert plan.cancel == [mp.Cancel(first, mp.SESSION_CANCELLED)]


def test_a_session_moved_in_place_gets_a_new_reminder_and_the_old_one_is_cancelled():
    old = mp.event_reminder_id("p1", SessionFacts("s1", STARTS.astimezone(UTC)))
    later = (STARTS + timedelta(days=3)).astimezone(UTC)  # Thursday to Sunday
    sessions = (SessionFacts("s1", later),)
    plan = mp.plan_participant(participant(sessions=sessions, messages={
        old: (K.EVENT_REMINDER, S.QUEUED)}), BOTH, NOW, AT, BEGAN)
    assert plan.cancel == [mp.Cancel(old, mp.SESSION_CANCELLED)]
    [new] = plan.make
    assert new.id != old and new.session_id == "s1" and new.about_starts_at == later
    assert new.due_at == mp.reminder_due(later, AT)


def test_the_reminder_is_due_at_the_helsinki_hour_across_the_autumn_clock_change():
    # Summer time ends on Sunday 25 October 2026 at 04.00 (EEST, UTC+3 -> EET, UTC+2).
    monday = datetime(2026, 10, 26, 10, 0, tzinfo=HELSINKI)  # EET
    assert mp.reminder_due(monday, AT) == datetime(2026, 10, 25, 14, 0, tzinfo=UTC)
    sunday = datetime(2026, 10, 25, 10, 0, tzinfo=HELSINKI)  # EET already
    assert mp.reminder_due(sunday, AT) == datetime(2026, 10, 24, 13, 0, tzinfo=UTC)  # EEST
