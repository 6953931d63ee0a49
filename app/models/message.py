"""Messages to customers by e-mail and SMS (#23): the customer's contact preferences,
the messages themselves (made and sent once, at the centre, by the messenger:
app/messenger/), the templates admins edit, and the messenger's heartbeat.

Desks never send. They write the rows that cause messages (an appointment, an event
invitation, a letter the worker chooses to send) and read what happened; the messenger
writes the rest. Every table here is synchronised through the one write path."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced, enum_column
from app.rules.codes import ConsentHow, MessageChannel, MessageKind, MessageStatus


class ContactPreference(Synced, Base):
    """The channels a customer agrees to be messaged on, their language for messages,
    and their opt-out. One per customer (its id from the customer: rules/messages.py),
    so two desks recording it offline write one row. Without it, nothing electronic is
    sent: the customer gets printed letters."""

    __tablename__ = "contact_preference"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    sms: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[bool] = mapped_column(Boolean, default=False)
    # No messages at all, printed letters included (what is handed over at the desk stays).
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(8))  # none: the customer's
    given_how: Mapped[ConsentHow] = enum_column(ConsentHow, default=ConsentHow.IN_PERSON)
    given_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(String(36))


class Message(Synced, Base):
    """One message to one customer on one channel. Made by the messenger with an id
    derived from what it is about (rules/messages.py message_id), so two messengers or
    two passes make it once; or asked for by a worker (a letter, the plan, its
    password). Its status moves forward only (codes.MessageStatus)."""

    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_due", "status", "due_at"),
        Index("ix_message_about", "about_id"),
        Index("ix_message_point", "service_point_id", "status"),
    )

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    # The point whose print list holds it and whose figures count it: the appointment's
    # or event's, or the requesting worker's.
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    kind: Mapped[MessageKind] = enum_column(MessageKind)
    channel: Mapped[MessageChannel] = enum_column(MessageChannel)
    status: Mapped[MessageStatus] = enum_column(MessageStatus, default=MessageStatus.QUEUED)
    language: Mapped[str] = mapped_column(String(8), default="fi")
    # What it is about: an appointment, an event participant (with the session for an
    # event reminder), a decision or referral for a letter; and the time it tells.
    about_id: Mapped[str | None] = mapped_column(String(36))
    session_id: Mapped[str | None] = mapped_column(String(36))
    about_starts_at: Mapped[datetime | None]
    due_at: Mapped[datetime]
    # Filled when sent: where it went (the address or number of that moment), the text.
    recipient: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    # A letter or the plan: the PDF (base64) the worker's workstation made, its name.
    document: Mapped[str | None] = mapped_column(String(40))  # what letter (printing/)
    attachment_name: Mapped[str | None] = mapped_column(String(120))
    attachment: Mapped[str | None] = mapped_column(Text)
    # The plan's password for a PASSWORD message: cleared once sent; the desk group never
    # reads it (central_trust.WITHHELD).
    secret: Mapped[str | None] = mapped_column(String(64))
    requested_by: Mapped[str | None] = mapped_column(String(36))  # staff, for a letter
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80))  # the messenger's name
    lease_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    # The channel's own reference: the e-mail's Message-ID, the gateway's client reference.
    channel_ref: Mapped[str | None] = mapped_column(String(200))
    # Why it failed, was held or not sent: a reason, never the customer's data.
    error: Mapped[str | None] = mapped_column(String(400))
    decided_by: Mapped[str | None] = mapped_column(String(36))  # who handled a failure


class MessageTemplate(Synced, Base):
    """An admin's wording of one kind of message on one channel in one language (its
    id from the three: rules/messages.py). Without one, the built-in wording is used
    (app/rules/message_text.py)."""

    __tablename__ = "message_template"

    kind: Mapped[MessageKind] = enum_column(MessageKind)
    channel: Mapped[MessageChannel] = enum_column(MessageChannel)
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str | None] = mapped_column(String(300))  # e-mail only
    body: Mapped[str] = mapped_column(Text)


class MessengerHeartbeat(Synced, Base):
    """One per messenger process name (its id from the name): when it was last heard
    from. Desks warn when no messenger has been heard from for a while."""

    __tablename__ = "messenger_heartbeat"

    name: Mapped[str] = mapped_column(String(80))
    host: Mapped[str | None] = mapped_column(String(120))
    started_at: Mapped[datetime]
    seen_at: Mapped[datetime]
    sent_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(400))
