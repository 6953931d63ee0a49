"""Messages to customers (#23) as the views and the command line see them: a customer's
contact preferences, the messages sent or to be sent, the messenger's heartbeat, the
templates admins edit and the employment plan sent by e-mail.

Codes (kind, channel, status, how consent was given) are the values of app/rules/codes.py;
the views label them with MESSAGE_LABELS. Times are aware UTC datetimes; the views show
them in Helsinki time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class PreferenceRow:
    customer_id: str
    recorded: bool  # False: no preference recorded yet (nothing agreed)
    sms: bool
    email: bool
    opted_out: bool
    language: str | None  # None: the customer's own
    given_how: str  # ConsentHow value
    given_on: date | None
    recorded_by_name: str | None
    phone: str | None  # the customer's current mobile number and e-mail
    email_address: str | None


@dataclass(frozen=True)
class PreferenceInput:
    sms: bool
    email: bool
    opted_out: bool
    language: str | None
    given_how: str
    given_on: date


@dataclass(frozen=True)
class MessageRow:
    id: str
    customer_id: str
    customer_name: str
    kind: str
    channel: str
    status: str
    language: str
    due_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    recipient: str | None
    subject: str | None
    body: str | None
    error: str | None
    attempts: int
    about_id: str | None
    about_starts_at: datetime | None
    service_point_id: str
    document: str | None
    requested_by_name: str | None
    decided_by_name: str | None


@dataclass(frozen=True)
class MessengerStatus:
    heard: bool  # any heartbeat at all
    seen_at: datetime | None  # the latest heartbeat
    minutes_since: int | None  # by the context clock
    stale: bool  # not heard from for STALE_MINUTES (15) or never
    sent_count: int
    failed_count: int
    last_error: str | None


@dataclass(frozen=True)
class TemplateRow:
    kind: str
    channel: str
    language: str
    subject: str | None
    body: str
    custom: bool  # False: the built-in wording


@dataclass(frozen=True)
class PlanSent:
    message: MessageRow
    password: str  # to tell the customer (shown once to the worker)
    password_message: MessageRow | None
