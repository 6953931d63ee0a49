"""Which messages should exist (#23): the messenger's planning rules, without a database.

Given what an appointment or an event participant is (its facts as the centre holds
them), the customer's contact preference and the area's reminder time, the rules say
which messages are to be made (kind, channel, when due, their derived id) and which
queued ones are no longer wanted and why. The messenger (app/messenger/planner.py)
reads the facts, asks these rules and writes the answer with INSERT ... ON CONFLICT DO
NOTHING, so running the plan twice, or in two processes, makes every message once.

- An appointment booked for a customer gets a CONFIRMATION (a MOVED notice when it
  replaced another) and a REMINDER due the day before at the reminder time (Helsinki).
  A reminder is skipped when the appointment was booked after it was due; an
  appointment that reaches the centre late (its desk was offline) but was booked before
  then still gets it, late, as long as the appointment is ahead.
- A cancelled appointment with no successor whose confirmation or move notice went out
  gets a CANCELLED notice; every queued message about a cancelled, moved or past
  appointment is cancelled with the reason.
- Only appointments and participants written after messaging began are messaged, so
  starting the messenger does not message every old booking.
- A participant invited gets an EVENT_INVITATION; a registered one an EVENT_REMINDER
  for each coming session, the day before at the reminder time.
- Channels: the customer's agreed channels that have an address. Reminders by SMS
  first, everything else by e-mail first. Without a usable agreed channel (and not opted
  out) a confirmation, move or cancellation notice, or an invitation, becomes a printed
  letter in the print list; a reminder is not made at all.
- Language: the preference's, else the customer's, if Finnish, Swedish or English;
  otherwise Finnish.

Reasons (`error`) are message ids (N_), never the customer's data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from app.i18n import HELSINKI, N_
from app.rules.codes import (
    AppointmentStatus,
    EventStatus,
    MessageChannel,
    MessageKind,
    MessageStatus,
    ParticipantStatus,
)
from app.rules.messages import LANGUAGES, message_id
from app.rules.settings import DEFAULTS

K, C, S = MessageKind, MessageChannel, MessageStatus
REMINDER_SETTING = "messages.reminder_time"
DEFAULT_REMINDER_TIME: str = DEFAULTS[REMINDER_SETTING]

REMINDER_KINDS = frozenset({K.REMINDER, K.EVENT_REMINDER})
# Kinds that become a printed letter when no electronic channel is usable.
PRINTABLE = frozenset({K.CONFIRMATION, K.MOVED, K.CANCELLED, K.EVENT_INVITATION})
WENT_OUT = frozenset({S.SENT, S.DELIVERED})

APPOINTMENT_CANCELLED = N_("The appointment was cancelled.")
APPOINTMENT_MOVED = N_("The appointment was moved to another time.")
APPOINTMENT_PASSED = N_("The appointment has already taken place.")
EVENT_CANCELLED = N_("The event was cancelled.")
SESSION_CANCELLED = N_("The event session was moved or cancelled.")
SESSION_PASSED = N_("The event session has already taken place.")
NOT_INVITED = N_("The invitation has been answered or withdrawn.")
NOT_REGISTERED = N_("The customer is no longer registered for the event.")
OPTED_OUT = N_("The customer has opted out of messages.")
PLAN_NOT_SENT = N_("The plan itself was not sent.")
CHANNEL_WITHDRAWN = N_("The customer no longer agrees to messages on this channel.")
NO_ADDRESS = N_("The customer has no address for this channel.")


@dataclass(frozen=True)
class Contacts:
    """The customer's contact preference and addresses, as the messenger reads them."""

    customer_id: str
    recorded: bool = False        # a preference row exists (else: nothing agreed)
    sms: bool = False
    email: bool = False
    opted_out: bool = False
    preference_language: str | None = None
    customer_language: str | None = None
    phone: str | None = None
    email_address: str | None = None
    usable: bool = True           # the customer is active, neither erased nor deleted


@dataclass(frozen=True)
class AppointmentFacts:
    id: str
    customer_id: str | None
    service_point_id: str
    status: AppointmentStatus
    starts_at: datetime           # aware UTC
    rescheduled_from_id: str | None
    written_at: datetime | None   # the physical part of the row's hlc (None: central row)
    has_successor: bool = False   # another appointment was rescheduled from this one
    # The messages that exist about it: id -> (kind, status).
    messages: Mapping[str, tuple[MessageKind, MessageStatus]] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionFacts:
    id: str
    starts_at: datetime
    cancelled: bool = False


@dataclass(frozen=True)
class ParticipantFacts:
    id: str
    customer_id: str
    service_point_id: str
    status: ParticipantStatus
    event_status: EventStatus
    sessions: tuple[SessionFacts, ...]
    written_at: datetime | None
    messages: Mapping[str, tuple[MessageKind, MessageStatus]] = field(default_factory=dict)


@dataclass(frozen=True)
class Planned:
    """A message to make (INSERT ... ON CONFLICT (id) DO NOTHING)."""

    id: str
    kind: MessageKind
    channel: MessageChannel
    customer_id: str
    service_point_id: str
    about_id: str
    session_id: str | None
    about_starts_at: datetime
    due_at: datetime
    language: str


@dataclass(frozen=True)
class Cancel:
    id: str
    reason: str


@dataclass
class Plan:
    make: list[Planned] = field(default_factory=list)
    cancel: list[Cancel] = field(default_factory=list)

    def extend(self, other: Plan) -> None:
        self.make.extend(other.make)
        self.cancel.extend(other.cancel)


def reminder_clock(value: object) -> time:
    """The area's reminder time ("HH:MM", Helsinki); the default when not a time."""
    if isinstance(value, str):
        try:
            hours, minutes = value.strip().split(":")
            return time(int(hours), int(minutes))
        except ValueError:
            pass
    hours, minutes = DEFAULT_REMINDER_TIME.split(":")
    return time(int(hours), int(minutes))


def reminder_due(starts_at: datetime, at: time) -> datetime:
    """The day before `starts_at` (Helsinki) at `at`, in UTC."""
    day = _aware(starts_at).astimezone(HELSINKI).date() - timedelta(days=1)
    return datetime.combine(day, at, tzinfo=HELSINKI).astimezone(UTC)


def language_for(contacts: Contacts) -> str:
    for value in (contacts.preference_language, contacts.customer_language):
        if value in LANGUAGES:
            return value
        if value:  # a language of their own but not one of ours: Finnish
            break
    return "fi"


def agreed_channels(contacts: Contacts) -> tuple[MessageChannel, ...]:
    """The electronic channels the customer agreed to and has an address for."""
    if not contacts.recorded or contacts.opted_out or not contacts.usable:
        return ()
    found = []
    if contacts.sms and (contacts.phone or "").strip():
        found.append(C.SMS)
    if contacts.email and (contacts.email_address or "").strip():
        found.append(C.EMAIL)
    return tuple(found)


def choose_channel(kind: MessageKind, contacts: Contacts) -> MessageChannel | None:
    """The one channel a message of `kind` goes on, or None: not made at all."""
    agreed = agreed_channels(contacts)
    order = (C.SMS, C.EMAIL) if kind in REMINDER_KINDS else (C.EMAIL, C.SMS)
    for channel in order:
        if channel in agreed:
            return channel
    if kind in PRINTABLE and not contacts.opted_out:
        return C.PRINT
    return None


def still_agreed(channel: MessageChannel, contacts: Contacts) -> str | None:
    """Just before sending: None when `channel` may still be used, else the reason."""
    if contacts.opted_out:
        return OPTED_OUT
    if channel is C.PRINT:
        return None
    if not contacts.recorded or not contacts.usable or not (
            contacts.sms if channel is C.SMS else contacts.email):
        return CHANNEL_WITHDRAWN
    address = contacts.phone if channel is C.SMS else contacts.email_address
    if not (address or "").strip():
        return NO_ADDRESS
    return None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _queued(messages: Mapping[str, tuple[MessageKind, MessageStatus]],
            kinds: Iterable[MessageKind] | None = None) -> list[str]:
    wanted = set(kinds) if kinds is not None else None
    return sorted(mid for mid, (kind, status) in messages.items()
                  if status is S.QUEUED and (wanted is None or kind in wanted))


def event_reminder_id(participant_id: str, session: SessionFacts) -> str:
    """A session's reminder is about its time too: a session moved in place gets a new
    reminder (the old one, still queued, is cancelled)."""
    at = _aware(session.starts_at).astimezone(UTC).strftime("%Y%m%dT%H%M")
    return message_id(K.EVENT_REMINDER, participant_id, f"{session.id}@{at}")


def _new(kind: MessageKind, about: str, session: str | None, customer: str, point: str,
         starts_at: datetime, due: datetime, contacts: Contacts,
         made_id: str | None = None) -> Planned | None:
    channel = choose_channel(kind, contacts)
    if channel is None:
        return None
    return Planned(id=made_id or message_id(kind, about, session), kind=kind, channel=channel,
                   customer_id=customer, service_point_id=point, about_id=about,
                   session_id=session, about_starts_at=starts_at, due_at=due,
                   language=language_for(contacts))


def plan_appointment(facts: AppointmentFacts, contacts: Contacts | None, now: datetime,
                     reminder_at: time, messaging_began: datetime | None) -> Plan:
    """The messages to make and the queued ones to cancel for one appointment."""
    plan = Plan()
    now, starts_at = _aware(now), _aware(facts.starts_at)
    ahead = starts_at > now
    if facts.status is not AppointmentStatus.BOOKED or not ahead:
        reason = (APPOINTMENT_PASSED if not ahead or facts.status is not
                  AppointmentStatus.CANCELLED else
                  APPOINTMENT_MOVED if facts.has_successor else APPOINTMENT_CANCELLED)
        plan.cancel.extend(Cancel(mid, reason) for mid in _queued(facts.messages))
    if facts.customer_id is None or contacts is None or not ahead:
        return plan
    written = _aware(facts.written_at) if facts.written_at else None
    if messaging_began is None or written is None or written < _aware(messaging_began):
        return plan
    if facts.status is AppointmentStatus.CANCELLED:
        told = any(kind in (K.CONFIRMATION, K.MOVED) and status in WENT_OUT
                   for kind, status in facts.messages.values())
        if told and not facts.has_successor:
            made = _new(K.CANCELLED, facts.id, None, facts.customer_id,
                        facts.service_point_id, starts_at, now, contacts)
            if made is not None and made.id not in facts.messages:
                plan.make.append(made)
        return plan
    if facts.status is not AppointmentStatus.BOOKED:
        return plan
    first = K.MOVED if facts.rescheduled_from_id else K.CONFIRMATION
    for kind, due in ((first, min(now, written)),
                      (K.REMINDER, reminder_due(starts_at, reminder_at))):
        if kind is K.REMINDER and written > due:
            continue  # booked after the reminder was due: the confirmation suffices
        made = _new(kind, facts.id, None, facts.customer_id, facts.service_point_id,
                    starts_at, due, contacts)
        if made is not None and made.id not in facts.messages:
            plan.make.append(made)
    return plan


def plan_participant(facts: ParticipantFacts, contacts: Contacts | None, now: datetime,
                     reminder_at: time, messaging_began: datetime | None) -> Plan:
    """The messages to make and the queued ones to cancel for one event participant."""
    plan = Plan()
    now = _aware(now)
    coming = [s for s in facts.sessions if not s.cancelled and _aware(s.starts_at) > now]
    live = facts.event_status is EventStatus.PLANNED
    # What is no longer wanted.
    for mid, (kind, status) in sorted(facts.messages.items()):
        if status is not S.QUEUED:
            continue
        if not live:
            plan.cancel.append(Cancel(mid, EVENT_CANCELLED))
        elif kind is K.EVENT_INVITATION and (facts.status is not ParticipantStatus.INVITED
                                             or not coming):
            plan.cancel.append(Cancel(mid, NOT_INVITED if coming else SESSION_PASSED))
        elif kind is K.EVENT_REMINDER:
            session = next((s for s in facts.sessions
                            if event_reminder_id(facts.id, s) == mid), None)
            if facts.status is not ParticipantStatus.REGISTERED:
                plan.cancel.append(Cancel(mid, NOT_REGISTERED))
            elif session is None or session.cancelled:
                plan.cancel.append(Cancel(mid, SESSION_CANCELLED))
            elif _aware(session.starts_at) <= now:
                plan.cancel.append(Cancel(mid, SESSION_PASSED))
    written = _aware(facts.written_at) if facts.written_at else None
    if (not live or not coming or contacts is None or messaging_began is None
            or written is None or written < _aware(messaging_began)):
        return plan
    if facts.status is ParticipantStatus.INVITED:
        first = min(coming, key=lambda s: _aware(s.starts_at))
        made = _new(K.EVENT_INVITATION, facts.id, None, facts.customer_id,
                    facts.service_point_id, _aware(first.starts_at), min(now, written),
                    contacts)
        if made is not None and made.id not in facts.messages:
            plan.make.append(made)
    elif facts.status is ParticipantStatus.REGISTERED:
        for session in coming:
            due = reminder_due(session.starts_at, reminder_at)
            if written > due:
                continue
            made = _new(K.EVENT_REMINDER, facts.id, session.id, facts.customer_id,
                        facts.service_point_id, _aware(session.starts_at), due, contacts,
                        made_id=event_reminder_id(facts.id, session))
            if made is not None and made.id not in facts.messages:
                plan.make.append(made)
    return plan
