"""Demo messages to customers (#23): contact preferences, what the messenger sent, and
its heartbeat, consistent with the demo's appointments and events.

- Most customers have a preference: some agree to text messages only, some to e-mail
  only, some to both, a few have opted out; the rest have none recorded (nothing
  agreed: they get printed letters). A channel is agreed only where the customer has
  the number or the address.
- Messaging began MESSAGING_DAYS before the demo's today (the heartbeat's start): for
  each appointment with a customer since then, a confirmation when booked (by the agreed
  channel, else a printed letter, printed for past ones and in the print list for
  coming ones), a reminder the day before at 16.00 for those with an agreed channel
  (sent when due, queued when not yet; missed appointments had one less often, so the
  figures show the difference), and a cancellation notice for cancelled ones. Event
  invitations go to those invited to coming events. One text message failed with the
  gateway's reason, one e-mail is held for a person to decide.
- One messenger's heartbeat, last seen a minute before the demo's now.

Texts are rendered with the built-in wordings (app/rules/message_text.py) in the
customer's language. Rows go in with Core inserts as if pulled (version 1, no outbox),
ids from app/rules/messages.py; its own `random.Random` from the seed: the same seed,
scale and today give the same rows."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select

from app.i18n import HELSINKI
from app.messenger.channels import SMS_REFUSED
from app.messenger.dispatcher import MAY_HAVE_BEEN_SENT
from app.models import Appointment, Customer, Event, EventParticipant, EventSession, ServicePoint
from app.models.message import ContactPreference, Message, MessengerHeartbeat
from app.rules.codes import (
    AppointmentStatus,
    ConsentHow,
    EventStatus,
    MessageChannel,
    MessageKind,
    MessageStatus,
    ParticipantStatus,
)
from app.rules.message_plan import Contacts, choose_channel, language_for
from app.rules.message_text import Facts, meeting_place, render
from app.rules.messages import LANGUAGES, heartbeat_id, message_id, preference_id

MESSAGING_DAYS = 45
REMINDER_AT = time(16, 0)
MESSENGER = "messenger-1"
CHUNK = 500
K, C, S = MessageKind, MessageChannel, MessageStatus
A = AppointmentStatus
# The reasons the messenger itself records (msgids: the views translate them).
GATEWAY_REFUSED = SMS_REFUSED
MAY_HAVE_GONE = MAY_HAVE_BEEN_SENT


def add_messages(conn: Connection, seed: int, today: date, now: datetime) -> dict[str, int]:
    """Preferences, messages and the heartbeat; returns the counts."""
    maker = _Messages(conn, seed, today, now)
    maker.build()
    return maker.write()


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class _Messages:
    def __init__(self, conn: Connection, seed: int, today: date, now: datetime) -> None:
        self.conn, self.today, self.now = conn, today, _utc(now)
        self.rng = random.Random(seed * 7919 + 23)
        self.began = self.now - timedelta(days=MESSAGING_DAYS)
        self.preferences: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []
        self.agreed: dict[str, dict[str, Any]] = {}  # customer -> preference row
        self.customers: dict[str, Any] = {}
        self.points: dict[str, Any] = {}
        self.failed = self.held = False

    @staticmethod
    def synced(at: datetime) -> dict[str, Any]:
        return {"version": 1, "hlc": "", "updated_at": at, "updated_by": None,
                "deleted_at": None}

    # --- preferences ----------------------------------------------------------------

    def build(self) -> None:
        conn, rng = self.conn, self.rng
        self.points = {p.id: p for p in conn.execute(select(
            ServicePoint.id, ServicePoint.name, ServicePoint.street_address,
            ServicePoint.postal_code, ServicePoint.municipality, ServicePoint.phone))}
        for c in conn.execute(select(Customer.id, Customer.phone, Customer.email,
                                     Customer.language, Customer.active,
                                     Customer.coach_id, Customer.erased_at)
                              .where(Customer.deleted_at.is_(None))
                              .order_by(Customer.id)):
            self.customers[c.id] = c
            if c.erased_at is not None:
                continue
            draw = rng.random()
            if draw < 0.15:
                continue  # nothing recorded: printed letters
            phone, email = bool((c.phone or "").strip()), bool((c.email or "").strip())
            opted_out = draw < 0.19
            sms = not opted_out and phone and draw < 0.75
            mail = not opted_out and email and (draw >= 0.50)
            if not (sms or mail or opted_out):
                continue
            given = self.today - timedelta(days=rng.randint(1, 400))
            language = None
            if rng.random() < 0.05:
                language = rng.choice([x for x in LANGUAGES if x != c.language])
            row = {"id": preference_id(c.id), "customer_id": c.id, "sms": sms, "email": mail,
                   "opted_out": opted_out, "language": language,
                   "given_how": rng.choice([ConsentHow.IN_PERSON, ConsentHow.IN_PERSON,
                                            ConsentHow.PHONE, ConsentHow.SIGNED,
                                            ConsentHow.ONLINE]),
                   "given_on": given, "recorded_by": c.coach_id,
                   **self.synced(datetime.combine(given, time(10), HELSINKI).astimezone(UTC))}
            self.preferences.append(row)
            self.agreed[c.id] = row
        self.appointments()
        self.invitations()

    # --- choosing ---------------------------------------------------------------------

    def contacts(self, customer_id: str) -> Contacts:
        """As the messenger reads them (planner.load_contacts), for its own rules."""
        pref = self.agreed.get(customer_id)
        customer = self.customers[customer_id]
        return Contacts(customer_id, recorded=pref is not None,
                        sms=bool(pref and pref["sms"]), email=bool(pref and pref["email"]),
                        opted_out=bool(pref and pref["opted_out"]),
                        preference_language=(pref or {}).get("language"),
                        customer_language=customer.language, phone=customer.phone,
                        email_address=customer.email, usable=customer.erased_at is None)

    def language(self, customer_id: str) -> str:
        return language_for(self.contacts(customer_id))

    def channel(self, customer_id: str, kind: MessageKind) -> MessageChannel | None:
        """The messenger's own choice (message_plan.choose_channel)."""
        return choose_channel(kind, self.contacts(customer_id))

    def facts(self, point_id: str, language: str, starts: datetime | None, meeting: str,
              link: str = "", title: str = "") -> Facts:
        p = self.points.get(point_id)
        town = " ".join(x for x in ((p.postal_code if p else None),
                                    (p.municipality if p else None)) if x)
        address = ", ".join(x for x in ((p.street_address if p else None), town) if x)
        if meeting != "service_point":
            address = ""  # met by phone or video: no street address to come to
        return Facts(language=language, starts_at=starts,
                     place=meeting_place(meeting, p.name if p else "", language),
                     address=address, phone=(p.phone or "") if p else "",
                     meeting=meeting, title=title, link=link)

    def add(self, kind: MessageKind, customer_id: str, about_id: str, point_id: str,
            starts: datetime | None, due: datetime, facts: Facts, session_id: str = "",
            went_out: bool | None = None) -> None:
        channel = self.channel(customer_id, kind)
        if channel is None:
            return
        language = facts.language
        rng = self.rng
        row: dict[str, Any] = {
            "id": message_id(kind, about_id, session_id or None), "customer_id": customer_id,
            "service_point_id": point_id, "kind": kind, "channel": channel,
            "language": language, "about_id": about_id, "session_id": session_id or None,
            "about_starts_at": starts, "due_at": due, "recipient": None, "subject": None,
            "body": None, "document": None, "attachment_name": None, "attachment": None,
            "secret": None, "requested_by": None, "attempts": 0, "claimed_by": None,
            "lease_until": None, "sent_at": None, "delivered_at": None, "channel_ref": None,
            "error": None, "decided_by": None}
        done = due <= self.now if went_out is None else went_out
        if channel is C.PRINT:
            # Printed within a few days; the latest ones wait in the print list.
            row["status"] = S.PRINTED if done and due < self.now - timedelta(days=2) \
                else S.QUEUED
            self.messages.append(row | self.synced(min(due, self.now)))
            return
        if not done:
            row["status"] = S.QUEUED
            self.messages.append(row | self.synced(min(due, self.now)))
            return
        sent = due + timedelta(seconds=rng.randint(5, 90))
        if sent > self.now:
            sent = self.now - timedelta(seconds=30)
        customer = self.customers[customer_id]
        row["recipient"] = customer.phone if channel is C.SMS else customer.email
        row["subject"], row["body"] = render(kind, channel, facts)
        row["attempts"] = 1
        row["channel_ref"] = row["id"] if channel is C.SMS else f"<{row['id']}@desk-messenger>"
        if channel is C.SMS and not self.failed and due > self.now - timedelta(days=3):
            self.failed = True
            row.update(status=S.FAILED, attempts=3, error=GATEWAY_REFUSED, recipient=None,
                       subject=None, body=None, channel_ref=None)
        elif channel is C.EMAIL and not self.held and due > self.now - timedelta(days=2):
            self.held = True
            row.update(status=S.HELD, error=MAY_HAVE_GONE, channel_ref=row["channel_ref"])
        elif channel is C.SMS and rng.random() < 0.8:
            row.update(status=S.DELIVERED, sent_at=sent,
                       delivered_at=sent + timedelta(seconds=rng.randint(2, 40)))
        else:
            row.update(status=S.SENT, sent_at=sent)
        self.messages.append(row | self.synced(min(sent, self.now)))

    # --- appointments and events -----------------------------------------------------

    def reminder_due(self, starts: datetime) -> datetime:
        day = starts.astimezone(HELSINKI).date() - timedelta(days=1)
        return datetime.combine(day, REMINDER_AT, HELSINKI).astimezone(UTC)

    def appointments(self) -> None:
        rng = self.rng
        rows = self.conn.execute(
            select(Appointment.id, Appointment.customer_id, Appointment.service_point_id,
                   Appointment.channel, Appointment.status, Appointment.starts_at,
                   Appointment.video_link, Appointment.rescheduled_from_id)
            .where(Appointment.deleted_at.is_(None), Appointment.customer_id.is_not(None),
                   Appointment.starts_at >= self.began + timedelta(days=7))
            .order_by(Appointment.starts_at, Appointment.id)).all()
        for a in rows:
            if a.customer_id not in self.customers:
                continue
            starts = _utc(a.starts_at)
            language = self.language(a.customer_id)
            meeting = a.channel.value if hasattr(a.channel, "value") else str(a.channel)
            facts = self.facts(a.service_point_id, language, starts, meeting,
                               a.video_link or "")
            booked = max(self.began, starts - timedelta(days=rng.randint(3, 21),
                                                        minutes=rng.randint(0, 480)))
            kind = K.MOVED if a.rescheduled_from_id else K.CONFIRMATION
            if booked < self.now:
                self.add(kind, a.customer_id, a.id, a.service_point_id, starts, booked, facts)
            status = A(a.status)
            if status is A.CANCELLED:
                cancelled = starts - timedelta(hours=rng.randint(2, 96))
                if booked < cancelled < self.now:
                    self.add(K.CANCELLED, a.customer_id, a.id, a.service_point_id, starts,
                             cancelled, facts)
                continue
            due = self.reminder_due(starts)
            if booked >= due:
                continue  # booked after the reminder was due: none
            # Those who missed had a reminder less often (the figures show the effect).
            chance = 0.45 if status is A.NO_SHOW else 0.92
            if starts < self.now and rng.random() > chance:
                continue
            if self.channel(a.customer_id, K.REMINDER) in (C.SMS, C.EMAIL):
                self.add(K.REMINDER, a.customer_id, a.id, a.service_point_id, starts, due,
                         facts)

    def invitations(self) -> None:
        first: dict[str, datetime] = {}
        for event_id, starts in self.conn.execute(
                select(EventSession.event_id, EventSession.starts_at)
                .where(EventSession.deleted_at.is_(None), EventSession.cancelled.is_(False))
                .order_by(EventSession.starts_at)):
            first.setdefault(event_id, _utc(starts))
        for p in self.conn.execute(
                select(EventParticipant.id, EventParticipant.customer_id,
                       EventParticipant.service_point_id, EventParticipant.invited_at,
                       Event.id.label("event_id"), Event.title, Event.online_link)
                .join(Event, Event.id == EventParticipant.event_id)
                .where(EventParticipant.deleted_at.is_(None), Event.deleted_at.is_(None),
                       Event.status == EventStatus.PLANNED,
                       EventParticipant.status.in_((ParticipantStatus.INVITED,
                                                    ParticipantStatus.REGISTERED)))
                .order_by(EventParticipant.id)):
            begins = first.get(p.event_id)
            if begins is None or begins < self.now or p.customer_id not in self.customers:
                continue
            invited = _utc(p.invited_at) if p.invited_at else None
            if invited is None or invited < self.began or invited > self.now:
                continue
            language = self.language(p.customer_id)
            facts = self.facts(p.service_point_id, language, begins, "service_point",
                               p.online_link or "", p.title)
            self.add(K.EVENT_INVITATION, p.customer_id, p.id, p.service_point_id, begins,
                     invited, facts)

    # --- writing ---------------------------------------------------------------------

    def write(self) -> dict[str, int]:
        conn = self.conn
        for table, rows in ((ContactPreference.__table__, self.preferences),
                            (Message.__table__, self.messages)):
            for start in range(0, len(rows), CHUNK):
                conn.execute(insert(table), rows[start:start + CHUNK])
        gone = sum(1 for m in self.messages if m["status"] in (S.SENT, S.DELIVERED))
        failed = sum(1 for m in self.messages if m["status"] is S.FAILED)
        seen = self.now - timedelta(minutes=1)
        conn.execute(insert(MessengerHeartbeat.__table__), [{
            "id": heartbeat_id(MESSENGER), "name": MESSENGER, "host": "viestit.rovaseutu.local",
            "started_at": self.began, "seen_at": seen, "sent_count": gone,
            "failed_count": failed, "last_error": GATEWAY_REFUSED if failed else None,
            **self.synced(seen)}])
        return {"preferences": len(self.preferences), "messages": len(self.messages),
                "sent": gone, "failed": failed}
