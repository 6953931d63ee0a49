"""Sending exactly once.

1. Claim: `SELECT ... FOR UPDATE SKIP LOCKED` the due QUEUED messages of the channels
   this messenger has, mark them CLAIMED with its name and a lease, commit. Two
   messengers never claim the same message.
2. Per message: check the consent again (withdrawn: CANCELLED), render the text, mark it
   SENDING (attempts + 1, the recipient and the text recorded, the lease renewed),
   commit; hand it to the channel; mark it SENT with the channel's reference. The
   password of a PASSWORD message (`secret`) is cleared whenever the message ends (and
   the text kept of it shows no password); a letter's or the plan's PDF once it is sent
   or not to be sent (a failed or held one keeps it, to be sent again).
3. A failed send goes back to QUEUED with a backoff, up to MAX_ATTEMPTS, then FAILED
   with the reason (a message id; never the customer's data). A refused address fails
   at once.
4. Recovery (a messenger died, or lost its connection, holding messages): once a lease
   has run out, CLAIMED goes back to QUEUED (nothing was handed over); SENDING is asked
   of the channel by the message's id: the SMS gateway knows it (SENT) or not (QUEUED);
   an SMTP relay cannot be asked, so the message is HELD "may have been sent; a person
   decides" rather than risk a second copy.

Every write checks, in its WHERE, the state and the holder it expects, so a recovered
message is never finished by the messenger that lost it. Time comes from the injected
clock."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, text

from app.i18n import N_
from app.messenger.channels import (
    Attachment,
    Channel,
    ChannelError,
    DeliveryInDoubt,
    Outgoing,
)
from app.messenger.planner import load_contacts, naive, utc
from app.rules import message_plan as plan_rules
from app.rules import message_text
from app.rules.codes import AppointmentStatus, MessageChannel, MessageKind
from app.rules.message_text import Facts

log = logging.getLogger("app.messenger.dispatcher")

MAX_ATTEMPTS = 3
BACKOFF = timedelta(minutes=5)  # doubled after each failed attempt
MAY_HAVE_BEEN_SENT = N_("May have been sent: a person decides.")
SEND_BROKE_OFF = N_("A send broke off: the message is checked again later.")
NO_TEXT = N_("The message could not be written: what it is about is missing.")
APPOINTMENT_KINDS = frozenset({MessageKind.CONFIRMATION, MessageKind.REMINDER,
                               MessageKind.MOVED, MessageKind.CANCELLED})
EVENT_KINDS = frozenset({MessageKind.EVENT_INVITATION, MessageKind.EVENT_REMINDER})
PASSWORD_SHOWN = "********"


@dataclass
class DispatchCounts:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    held: int = 0
    cancelled: int = 0
    recovered: int = 0
    errors: list[str] = field(default_factory=list)


class Dispatcher:
    def __init__(self, engine: Engine, channels: Mapping[MessageChannel, Channel],
                 name: str, clock: Callable[[], datetime], lease: float = 300,
                 batch: int = 50) -> None:
        self.engine, self.channels, self.name, self.clock = engine, channels, name, clock
        self.lease, self.batch = timedelta(seconds=lease), batch

    # -- recovery -----------------------------------------------------------------------
    def recover(self, counts: DispatchCounts) -> None:
        now = self.clock()
        with self.engine.begin() as conn:
            rows = conn.execute(text(
                "SELECT id, status, channel, channel_ref, attempts FROM message "
                "WHERE status IN ('claimed', 'sending') AND lease_until < :now "
                "ORDER BY id FOR UPDATE SKIP LOCKED"), {"now": naive(now)}).all()
            for row in rows:
                try:
                    with conn.begin_nested():  # a savepoint: one row's error stays its own
                        self._recover_one(conn, row, now, counts)
                except Exception as exc:  # one row's trouble must not stop the sending
                    log.error("message %s: recovery failed (%s)", row.id,
                              type(exc).__name__)

    def _recover_one(self, conn: Connection, row: Any, now: datetime,
                     counts: DispatchCounts) -> None:
        if row.status == "claimed":
            self._set(conn, row.id, "claimed", None, status="queued",
                      claimed_by=None, lease_until=None)
            counts.recovered += 1
            return
        channel = self.channels.get(MessageChannel(row.channel))
        if channel is None:
            return  # another messenger, with that channel, will look
        try:
            found = channel.lookup(row.id, row.channel_ref)
        except ChannelError:
            return  # cannot ask now: next pass
        if found == "sent":
            self._set(conn, row.id, "sending", None, status="sent",
                      sent_at=naive(now), secret=None, attachment=None,
                      lease_until=None, error=None)
            counts.sent += 1
        elif found == "unknown" and row.attempts < MAX_ATTEMPTS:
            self._set(conn, row.id, "sending", None, status="queued",
                      claimed_by=None, lease_until=None, due_at=naive(now))
        elif found == "unknown":  # broke off again and again: a person looks
            self._set(conn, row.id, "sending", None, status="failed",
                      lease_until=None, error=SEND_BROKE_OFF, secret=None)
            counts.failed += 1
        else:
            self._set(conn, row.id, "sending", None, status="held",
                      lease_until=None, error=MAY_HAVE_BEEN_SENT, secret=None)
            counts.held += 1
        counts.recovered += 1
        log.info("recovered message %s: %s", row.id, found or "held")

    # -- claiming -----------------------------------------------------------------------
    def claim(self) -> list[str]:
        if not self.channels:
            return []
        now = self.clock()
        with self.engine.begin() as conn:
            ids = list(conn.execute(text(
                "SELECT id FROM message m WHERE status = 'queued' AND due_at <= :now "
                "AND channel = ANY(:channels) AND deleted_at IS NULL "
                # The plan's password goes only after the plan itself went.
                "AND (kind <> 'password' OR EXISTS (SELECT 1 FROM message p "
                "WHERE p.id = m.about_id AND p.status IN ('sent', 'delivered'))) "
                "ORDER BY due_at, id LIMIT :batch FOR UPDATE SKIP LOCKED"),
                {"now": naive(now), "batch": self.batch,
                 "channels": [c.value for c in self.channels]}).scalars())
            if ids:
                conn.execute(text(
                    "UPDATE message SET status = 'claimed', claimed_by = :me, "
                    "lease_until = :lease, updated_at = :now WHERE id = ANY(:ids)"),
                    {"me": self.name, "lease": naive(now + self.lease), "now": naive(now),
                     "ids": ids})
        return ids

    # -- sending ------------------------------------------------------------------------
    def run(self) -> DispatchCounts:
        counts = DispatchCounts()
        self.recover(counts)
        for message_id in self.claim():
            self.send_one(message_id, counts)
        return counts

    def send_one(self, message_id: str, counts: DispatchCounts) -> None:
        now = self.clock()
        with self.engine.begin() as conn:
            row = conn.execute(text(
                "SELECT * FROM message WHERE id = :id AND status = 'claimed' "
                "AND claimed_by = :me FOR UPDATE"), {"id": message_id, "me": self.name}
            ).mappings().first()
            if row is None:
                return  # recovered by another messenger meanwhile
            channel_kind = MessageChannel(row["channel"])
            contacts = load_contacts(conn, [row["customer_id"]]).get(row["customer_id"])
            reason = (plan_rules.still_agreed(channel_kind, contacts) if contacts
                      else plan_rules.CHANNEL_WITHDRAWN)
            outgoing = None
            if reason is None:
                reason, outgoing = self._compose(conn, row, contacts, now)
            if outgoing is None:
                self._set(conn, message_id, "claimed", self.name, status="cancelled",
                          error=reason, lease_until=None, secret=None, attachment=None)
                counts.cancelled += 1
                log.info("message %s not sent: %s", message_id, reason)
                return
            shown = outgoing.body
            if row["secret"]:
                shown = shown.replace(row["secret"], PASSWORD_SHOWN)
            self._set(conn, message_id, "claimed", self.name, status="sending",
                      attempts=int(row["attempts"]) + 1, recipient=outgoing.recipient,
                      subject=outgoing.subject, body=shown,
                      channel_ref=message_id, lease_until=naive(now + self.lease))
        attempts = int(row["attempts"]) + 1
        channel = self.channels[channel_kind]
        try:
            reference = channel.send(outgoing, now)
        except DeliveryInDoubt:
            with self.engine.begin() as conn:
                self._set(conn, message_id, "sending", self.name, status="held",
                          error=MAY_HAVE_BEEN_SENT, lease_until=None, secret=None)
            counts.held += 1
            log.warning("message %s: the channel's answer was lost: held", message_id)
            return
        except Exception as exc:  # a fault of ours, or a refusal (ChannelError)
            if not isinstance(exc, ChannelError):
                # Whether it went cannot be told: the row stays SENDING, and once its lease
                # runs out the recovery asks the channel or holds it for a person.
                log.error("message %s: the send broke off (%s)", message_id,
                          type(exc).__name__)
                counts.errors.append(SEND_BROKE_OFF)
                return
            done = self.clock()
            final = exc.permanent or attempts >= MAX_ATTEMPTS
            with self.engine.begin() as conn:
                changes: dict[str, Any] = {"error": exc.reason, "lease_until": None}
                if final:
                    changes.update(status="failed", secret=None)
                    counts.failed += 1
                else:
                    changes.update(status="queued", claimed_by=None,
                                   due_at=naive(done + BACKOFF * 2 ** (attempts - 1)))
                    counts.retried += 1
                self._set(conn, message_id, "sending", self.name, **changes)
            counts.errors.append(exc.reason)
            log.warning("message %s: attempt %d failed (%s)", message_id, attempts,
                        "final" if final else "will retry")
            return
        done = self.clock()
        with self.engine.begin() as conn:
            recorded = self._set(conn, message_id, "sending", self.name, status="sent",
                                 sent_at=naive(done), channel_ref=reference, secret=None,
                                 attachment=None, lease_until=None, error=None)
        if not recorded:  # the lease ran out meanwhile and another messenger took it over
            log.warning("message %s went, but another messenger had recovered it",
                        message_id)
        counts.sent += 1
        log.info("message %s sent (%s)", message_id, channel_kind.value)

    # -- helpers ------------------------------------------------------------------------
    def _set(self, conn: Connection, message_id: str, expected: str, holder: str | None,
             **changes: Any) -> int:
        changes["updated_at"] = naive(self.clock())
        sets = ", ".join(f"{column} = :{column}" for column in changes)
        where = "id = :_id AND status = :_expected"
        params = {**changes, "_id": message_id, "_expected": expected}
        if holder is not None:
            where += " AND claimed_by = :_holder"
            params["_holder"] = holder
        return conn.execute(text(f"UPDATE message SET {sets} WHERE {where}"),
                            params).rowcount

    def _compose(self, conn: Connection, row: Any,
                 contacts: plan_rules.Contacts | None, now: datetime
                 ) -> tuple[str | None, Outgoing | None]:
        """(reason not to send, None) or (None, the message ready to go)."""
        assert contacts is not None
        kind, channel = MessageKind(row["kind"]), MessageChannel(row["channel"])
        language = row["language"] if row["language"] in message_text.LANGUAGES else "fi"
        point = conn.execute(text(
            "SELECT name, street_address, postal_code, municipality, phone "
            "FROM service_point WHERE id = :id"), {"id": row["service_point_id"]}).first()
        if point is None:
            return NO_TEXT, None
        address = ", ".join(part for part in (
            point.street_address or "",
            " ".join(p for p in (point.postal_code, point.municipality) if p)) if part)
        facts = Facts(language=language, starts_at=utc(row["about_starts_at"]),
                      place=point.name, address=address, phone=point.phone or "",
                      password=row["secret"] or "")
        attachments: list[Attachment] = []
        if kind in APPOINTMENT_KINDS:
            appt = conn.execute(text(
                "SELECT starts_at, ends_at, channel, video_link, status, deleted_at "
                "FROM appointment WHERE id = :id"), {"id": row["about_id"]}).first()
            if appt is None:
                return NO_TEXT, None
            starts = utc(appt.starts_at)
            assert starts is not None
            if kind is not MessageKind.CANCELLED and (
                    appt.deleted_at is not None or appt.status != AppointmentStatus.BOOKED
                    or starts <= now):
                return (plan_rules.APPOINTMENT_PASSED if starts <= now
                        else plan_rules.APPOINTMENT_CANCELLED), None
            facts = Facts(language=language, starts_at=starts,
                          place=message_text.meeting_place(appt.channel, point.name,
                                                           language),
                          address=address if appt.channel == "service_point" else "",
                          phone=facts.phone, meeting=appt.channel,
                          link=(appt.video_link or "") if appt.channel == "video" else "")
            if channel is MessageChannel.EMAIL and kind in (MessageKind.CONFIRMATION,
                                                            MessageKind.MOVED):
                ends = utc(appt.ends_at)
                assert ends is not None
                location = ", ".join(p for p in (facts.place, facts.address) if p)
                attachments.append(Attachment(
                    "appointment.ics", "text/calendar", message_text.appointment_ics(
                        row["about_id"], starts, ends, message_text.ics_summary(language),
                        location, stamp=now)))
        elif kind in EVENT_KINDS:
            found = conn.execute(text(
                "SELECT e.title, e.online_link FROM event_participant p "
                "JOIN event e ON e.id = p.event_id WHERE p.id = :id"),
                {"id": row["about_id"]}).first()
            if found is None:
                return NO_TEXT, None
            link = found.online_link or ""
            if row["session_id"]:
                session_link = conn.execute(text(
                    "SELECT online_link FROM event_session WHERE id = :id"),
                    {"id": row["session_id"]}).scalar()
                link = session_link or link
            facts = Facts(language=language, starts_at=facts.starts_at, place=point.name,
                          address=address, phone=facts.phone, title=found.title or "",
                          link=link)
        elif kind in (MessageKind.LETTER, MessageKind.PLAN):
            if not row["attachment"]:
                return NO_TEXT, None
            try:
                data = base64.b64decode(row["attachment"], validate=True)
            except ValueError:
                return NO_TEXT, None
            attachments.append(Attachment(row["attachment_name"] or "document.pdf",
                                          "application/pdf", data))
        elif kind is MessageKind.PASSWORD and not row["secret"]:
            return NO_TEXT, None
        template = conn.execute(text(
            "SELECT subject, body FROM message_template WHERE kind = :k AND channel = :c "
            "AND language = :l AND deleted_at IS NULL"),
            {"k": kind.value, "c": channel.value, "l": language}).first()
        subject, body = message_text.render(
            kind, channel, facts, (template.subject, template.body) if template else None)
        recipient = (contacts.phone if channel is MessageChannel.SMS
                     else contacts.email_address) or ""
        return None, Outgoing(id=row["id"], channel=channel, language=language,
                              recipient=recipient.strip(), subject=subject, body=body,
                              attachments=tuple(attachments))


HEARTBEAT = text(
    "INSERT INTO messenger_heartbeat AS h (id, name, host, started_at, seen_at, sent_count, "
    "failed_count, last_error, hlc, updated_at) VALUES (:id, :name, :host, :now, :now, "
    ":sent, :failed, :error, '', :now) "
    "ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at, host = EXCLUDED.host, "
    "sent_count = h.sent_count + EXCLUDED.sent_count, "
    "failed_count = h.failed_count + EXCLUDED.failed_count, "
    "last_error = CASE WHEN EXCLUDED.failed_count > 0 THEN EXCLUDED.last_error "
    "WHEN EXCLUDED.sent_count > 0 THEN NULL ELSE h.last_error END, "
    "updated_at = EXCLUDED.updated_at, deleted_at = NULL")


def heartbeat(engine: Engine, name: str, host: str, now: datetime, sent: int = 0,
              failed: int = 0, error: str | None = None) -> None:
    """Upsert this messenger's heartbeat (its id from its name). `started_at` is kept
    from the first time the name was heard: messaging began then, and a restart must not
    move it (appointments booked while the messenger was down are still messaged)."""
    from app.rules.messages import heartbeat_id

    with engine.begin() as conn:
        conn.execute(HEARTBEAT, {"id": heartbeat_id(name), "name": name[:80],
                                 "host": host[:120], "now": naive(now), "sent": sent,
                                 "failed": failed, "error": error})


def run_pass(engine: Engine, dispatcher: Dispatcher, host: str) -> DispatchCounts:
    """One pass: be heard (the first pass starts messaging), plan, recover, send, be
    heard again with the counts."""
    from app.messenger.planner import plan_pass

    heartbeat(engine, dispatcher.name, host, dispatcher.clock())
    plan_pass(engine, dispatcher.clock)
    counts = dispatcher.run()
    heartbeat(engine, dispatcher.name, host, dispatcher.clock(), sent=counts.sent,
              failed=counts.failed, error=counts.errors[-1] if counts.errors else None)
    log.info("pass done: %d sent, %d failed, %d to retry, %d held, %d not sent, "
             "%d recovered", counts.sent, counts.failed, counts.retried, counts.held,
             counts.cancelled, counts.recovered)
    return counts
