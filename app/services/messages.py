"""Messages to customers (#23) at the workstation: the customer's contact preferences,
what was sent to them, the Messages page's lists (failures to handle, the day's queue,
the print list), a person's decisions on a message, the letter and the employment plan
a worker chooses to send by e-mail, the templates admins edit, and the messenger's
heartbeat.

Desks never send. The messenger (app/messenger/) makes the messages of appointments and
events at the centre and sends them; a desk writes only what a person asks for (a
letter, the plan and its password: status QUEUED, due now, recipient NULL: the messenger
fills it) and a person's decision on a message (rules/messages.py PERSON_MOVES). Every
write goes through the one write path (`ctx.transaction`, the outbox) and is audited
without personal data (ids, kinds, flags and counts only)."""

from __future__ import annotations

import base64
import io
import re
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.dto.messages import (
    MessageRow,
    MessengerStatus,
    PlanSent,
    PreferenceInput,
    PreferenceRow,
    TemplateRow,
)
from app.i18n import N_, to_local
from app.models import Customer, EventParticipant, ServicePoint, Staff
from app.models.message import ContactPreference, Message, MessageTemplate, MessengerHeartbeat
from app.rules.booking import at
from app.rules.codes import ConsentHow, MessageChannel, MessageKind, MessageStatus
from app.rules.message_text import (
    TEMPLATE_PAIRS,
    Facts,
    check_template,
    default_template,
    meeting_place,
    render,
    sample_facts,
)
from app.rules.messages import (
    LANGUAGES,
    NEEDS_A_PERSON,
    person_may_move,
    preference_id,
    template_id,
)
from app.rules.permissions import Permission
from app.services import text_guard
from app.services.context import AppContext
from app.services.customers import live_customer
from app.services.errors import NotFound, ServiceError, ValidationFailed

# The plan's password: no characters that look alike (0/O/o, 1/l/I/i).
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 10
DOCUMENT_LIMIT = 40
FILENAME_LIMIT = 120

MESSAGE_NOT_FOUND = N_("The message was not found.")
NO_EMAIL_CONSENT = N_("The customer has not agreed to messages by e-mail: record their "
                      "consent on the customer card first.")
NO_EMAIL_ADDRESS = N_("The customer has no e-mail address.")
OPTED_OUT = N_("The customer has asked not to be sent messages.")
NO_SMS_CONSENT = N_("The customer has not agreed to text messages: tell them the "
                    "password yourself.")
NO_PHONE = N_("The customer has no mobile phone number: tell them the password yourself.")


def new_password() -> str:
    """A password of PASSWORD_LENGTH characters without look-alike characters."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """The PDF encrypted with AES-256: it opens only with `password` (the owner password
    is random and never kept)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=secrets.token_urlsafe(24),
                   algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _name(first: str | None, last: str | None) -> str:
    return f"{last or ''}, {first or ''}".strip(", ")


def message_language(preference: ContactPreference | None, customer: Customer) -> str:
    """The preference's language, else the customer's, if fi, sv or en; else Finnish."""
    for chosen in ((preference.language if preference is not None else None),
                   customer.language):
        if chosen in LANGUAGES:
            return str(chosen)
    return "fi"


def _pairs() -> tuple[tuple[MessageKind, MessageChannel], ...]:
    return TEMPLATE_PAIRS


class MessageService:
    STALE_MINUTES = 15

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- contact preferences -----------------------------------------------------------

    def preference(self, customer_id: str) -> PreferenceRow:
        self.ctx.require(Permission.CUSTOMER_READ)
        with self.ctx.reading() as s:
            customer = live_customer(s, customer_id)
            return self._preference_row(s, customer)

    def save_preference(self, customer_id: str, data: PreferenceInput) -> PreferenceRow:
        """Record the customer's channels, language and opt-out. Opting out withdraws
        the consent to every channel (what is handed over at the desk stays)."""
        actor = self.ctx.require(Permission.CUSTOMER_EDIT)
        with self.ctx.transaction(Permission.CUSTOMER_EDIT) as s:
            customer = live_customer(s, customer_id)
            sms, email = (False, False) if data.opted_out else (data.sms, data.email)
            errors: dict[str, str] = {}
            if sms and not (customer.phone or "").strip():
                errors["sms"] = N_("Text messages need the customer's mobile phone number: "
                                   "add it first.")
            if email and not (customer.email or "").strip():
                errors["email"] = N_("E-mail needs the customer's e-mail address: add it "
                                     "first.")
            if data.given_on > self.ctx.today():
                errors["given_on"] = N_("The day of consent cannot be in the future.")
            if data.language is not None and data.language not in LANGUAGES:
                errors["language"] = N_("Choose Finnish, Swedish or English.")
            try:
                how = ConsentHow(data.given_how)
            except ValueError:
                errors["given_how"] = N_("Choose how the customer gave their consent.")
                how = ConsentHow.IN_PERSON
            if errors:
                raise ValidationFailed(errors)
            pid = preference_id(customer.id)
            row = s.get(ContactPreference, pid)
            if row is None:
                row = ContactPreference(id=pid, customer_id=customer.id)
                s.add(row)
            values = {"sms": sms, "email": email, "opted_out": data.opted_out,
                      "language": data.language, "given_how": how, "given_on": data.given_on,
                      "recorded_by": actor.staff_id, "deleted_at": None}
            for key, value in values.items():
                if getattr(row, key) != value:
                    setattr(row, key, value)
            s.flush()
            self.ctx.audit(s, "message.preference", "contact_preference", pid,
                           {"customer": customer.id, "sms": sms, "email": email,
                            "opted_out": data.opted_out, "how": how.value})
            return self._preference_row(s, customer)

    def _preference_row(self, s: Session, customer: Customer) -> PreferenceRow:
        row = self._live_preference(s, customer.id)
        phone = (customer.phone or "").strip() or None
        address = (customer.email or "").strip() or None
        if row is None:
            return PreferenceRow(customer.id, False, False, False, False, None,
                                 ConsentHow.IN_PERSON.value, None, None, phone, address)
        by = s.scalar(select(Staff.full_name).where(Staff.id == row.recorded_by)) \
            if row.recorded_by else None
        return PreferenceRow(customer.id, True, bool(row.sms), bool(row.email),
                             bool(row.opted_out), row.language, ConsentHow(row.given_how).value,
                             row.given_on, by, phone, address)

    @staticmethod
    def _live_preference(s: Session, customer_id: str) -> ContactPreference | None:
        row = s.get(ContactPreference, preference_id(customer_id))
        if row is None or row.deleted_at is not None:
            # A row made under another id (never by this program) still counts.
            row = s.scalar(select(ContactPreference).where(
                ContactPreference.customer_id == customer_id,
                ContactPreference.deleted_at.is_(None)).limit(1))
        return row

    # --- what was sent -----------------------------------------------------------------

    def history(self, customer_id: str) -> list[MessageRow]:
        """The customer's messages, newest first (by when sent, else when due)."""
        self.ctx.require(Permission.MESSAGE_READ)
        with self.ctx.reading() as s:
            live_customer(s, customer_id)
            stmt = (select(Message).where(Message.customer_id == customer_id,
                                          Message.deleted_at.is_(None))
                    .order_by(func.coalesce(Message.sent_at, Message.due_at).desc(),
                              Message.id))
            return self._rows(s, s.scalars(stmt))

    def to_handle(self, service_point_id: str | None = None) -> list[MessageRow]:
        """Failed and held messages: a person decides on them (oldest first)."""
        self.ctx.require(Permission.MESSAGE_READ)
        with self.ctx.reading() as s:
            stmt = select(Message).where(Message.deleted_at.is_(None),
                                         Message.status.in_(tuple(NEEDS_A_PERSON)))
            if service_point_id:
                stmt = stmt.where(Message.service_point_id == service_point_id)
            return self._rows(s, s.scalars(stmt.order_by(Message.due_at, Message.id)))

    def day_queue(self, day: date, service_point_id: str | None = None) -> list[MessageRow]:
        """E-mail and SMS due or sent on that Helsinki day, by time."""
        self.ctx.require(Permission.MESSAGE_READ)
        start = at(day, 0).astimezone(UTC)
        end = at(day + timedelta(days=1), 0).astimezone(UTC)
        with self.ctx.reading() as s:
            stmt = select(Message).where(
                Message.deleted_at.is_(None),
                Message.channel.in_((MessageChannel.EMAIL, MessageChannel.SMS)),
                or_(Message.due_at.between(start, end - timedelta(microseconds=1)),
                    Message.sent_at.between(start, end - timedelta(microseconds=1))))
            if service_point_id:
                stmt = stmt.where(Message.service_point_id == service_point_id)
            rows = self._rows(s, s.scalars(stmt))
        return sorted(rows, key=lambda r: (r.sent_at or r.due_at, r.id))

    def print_list(self, service_point_id: str | None = None) -> list[MessageRow]:
        """Letters to print (channel PRINT, still QUEUED), by the time they tell."""
        self.ctx.require(Permission.MESSAGE_READ)
        with self.ctx.reading() as s:
            # A customer who opted out since is not posted a letter (the messenger
            # cancels it too, once it runs: planner.settle).
            opted_out = select(ContactPreference.customer_id).where(
                ContactPreference.opted_out, ContactPreference.deleted_at.is_(None))
            stmt = select(Message).where(Message.deleted_at.is_(None),
                                         Message.channel == MessageChannel.PRINT,
                                         Message.status == MessageStatus.QUEUED,
                                         Message.customer_id.not_in(opted_out))
            if service_point_id:
                stmt = stmt.where(Message.service_point_id == service_point_id)
            rows = self._rows(s, s.scalars(stmt))
        return sorted(rows, key=lambda r: (r.about_starts_at or r.due_at, r.due_at, r.id))

    def get(self, message_id: str) -> MessageRow:
        self.ctx.require(Permission.MESSAGE_READ)
        with self.ctx.reading() as s:
            return self._rows(s, [self._message(s, message_id)])[0]

    # --- a person's decisions ----------------------------------------------------------

    def decide(self, message_id: str, status: str) -> MessageRow:
        """Queue a failed or held message again (due now), say a held one did go out,
        decide it is not to be sent, or mark a print-list letter printed."""
        actor = self.ctx.require(Permission.MESSAGE_SEND)
        try:
            new = MessageStatus(status)
        except ValueError:
            raise ServiceError(N_("Unknown state of a message.")) from None
        with self.ctx.transaction(Permission.MESSAGE_SEND) as s:
            message = self._message(s, message_id)
            old = MessageStatus(message.status)
            if not person_may_move(old, new, MessageChannel(message.channel)):
                raise ServiceError(N_("The message cannot be changed that way in its "
                                      "present state (it may have changed meanwhile)."))
            message.status = new
            message.decided_by = actor.staff_id
            if new is MessageStatus.QUEUED:
                message.due_at = self.ctx.now()
            s.flush()
            self.ctx.audit(s, "message.decide", "message", message.id,
                           {"from": old.value, "to": new.value})
            return self._rows(s, [message])[0]

    def print_letter(self, message_id: str) -> bytes:
        """The PDF of a print-list message: the appointment letter (a confirmation or a
        moved appointment), the event invitation, or for a cancelled appointment a
        notice with the message's wording. Not marked printed: the view calls
        decide(id, "printed") once printed."""
        self.ctx.require(Permission.MESSAGE_SEND)
        with self.ctx.reading() as s:
            message = self._message(s, message_id)
            if message.channel != MessageChannel.PRINT:
                raise ServiceError(N_("Only a letter of the print list is printed here."))
            kind, about, lang = MessageKind(message.kind), message.about_id, message.language
            customer_id = message.customer_id
        if about is None:
            raise ServiceError(N_("The message is not about an appointment or an event."))
        if kind in (MessageKind.CONFIRMATION, MessageKind.MOVED):
            from app.services.appointments import AppointmentService

            appointments = AppointmentService(self.ctx)
            return appointments.render_letter(appointments.letter(about, lang))
        if kind is MessageKind.EVENT_INVITATION:
            return self._invitation(about, customer_id)
        if kind is MessageKind.CANCELLED:
            return self._notice(message_id)
        raise ServiceError(N_("This kind of message is not printed."))

    def _invitation(self, participant_id: str, customer_id: str) -> bytes:
        from app.printing.event_letter import LetterPlace, render_invitations
        from app.services.events import EventService

        with self.ctx.reading() as s:
            event_id = s.scalar(select(EventParticipant.event_id).where(
                EventParticipant.id == participant_id))
        if event_id is None:
            raise NotFound(N_("The event was not found."))
        events = EventService(self.ctx)
        detail = events.get(event_id)
        people = [p for p in events.participants(event_id)
                  if p.id == participant_id or p.customer_id == customer_id][:1]
        if not people:
            raise NotFound(N_("The customer is no longer on the event's list."))
        name, address, phone = events.point_contact(detail.row.service_point_id)
        return render_invitations(detail, people, LetterPlace(name, address, phone),
                                  self.ctx.today())

    def _notice(self, message_id: str) -> bytes:
        """A one-page notice in the message's language: the e-mail wording of the
        message's kind (the admins' template, else the built-in one)."""
        from app.printing.message_letter import render_notice

        with self.ctx.reading() as s:
            message = self._message(s, message_id)
            customer = s.get(Customer, message.customer_id)
            facts = self._facts(s, message)
            template = self._stored_template(s, MessageKind(message.kind),
                                             MessageChannel.EMAIL, message.language)
            name = f"{customer.first_names} {customer.last_name}" if customer else ""
            point = s.get(ServicePoint, message.service_point_id)
            sender = "\n".join(x for x in ((point.name, point.phone or "") if point else ())
                               if x)
            address = ""
            if customer is not None:
                town = " ".join(x for x in (customer.postal_code, customer.post_office) if x)
                address = "\n".join(x for x in (customer.street_address, town) if x)
        subject, body = render(MessageKind(message.kind), MessageChannel.EMAIL, facts,
                               template)
        return render_notice(message.language, name, address, subject or "", body, sender,
                             self.ctx.today())

    def _facts(self, s: Session, message: Message) -> Facts:
        from app.models import Appointment
        from app.services.appointment_outputs import point_address

        point = s.get(ServicePoint, message.service_point_id)
        meeting = "service_point"
        link = ""
        if message.about_id:
            appointment = s.get(Appointment, message.about_id)
            if appointment is not None:
                meeting = appointment.channel.value if appointment.channel.value in (
                    "phone", "video") else "service_point"
                link = appointment.video_link or ""
        place = meeting_place(meeting, point.name if point else "", message.language)
        return Facts(language=message.language, starts_at=_aware(message.about_starts_at),
                     place=place,
                     address=point_address(point) if point and meeting == "service_point"
                     else "",
                     phone=(point.phone or "") if point else "", meeting=meeting, link=link)

    # --- letters and the plan by e-mail -------------------------------------------------

    def send_letter(self, customer_id: str, document: str, pdf: bytes, filename: str,
                    about_id: str | None = None) -> MessageRow:
        """Queue a letter (a PDF made here) to go to the customer by e-mail."""
        self.ctx.require(Permission.MESSAGE_SEND)
        document = (document or "").strip()[:DOCUMENT_LIMIT] or "letter"
        filename = _filename(filename, "letter.pdf")
        if not pdf.startswith(b"%PDF"):
            raise ServiceError(N_("Only a PDF document is sent as a letter."))
        with self.ctx.transaction(Permission.MESSAGE_SEND) as s:
            customer = live_customer(s, customer_id)
            language = self._may_email(s, customer)
            message = self._request(s, customer, MessageKind.LETTER, MessageChannel.EMAIL,
                                    language, document=document, attachment_name=filename,
                                    attachment=base64.b64encode(pdf).decode("ascii"),
                                    about_id=about_id)
            self.ctx.audit(s, "message.letter", "message", message.id,
                           {"customer": customer.id, "document": document})
            return self._rows(s, [message])[0]

    def send_appointment_letter(self, appointment_id: str) -> MessageRow:
        """The appointment letter, as it prints, to the customer by e-mail (in the
        letter's language, named by its day)."""
        from app.services.appointments import AppointmentService

        self.ctx.require(Permission.MESSAGE_SEND)
        appointments = AppointmentService(self.ctx)
        row = appointments.get(appointment_id)
        if not row.customer_id:
            raise ServiceError(N_("The appointment has no customer to send the letter to."))
        # In the language the customer's messages go in (the e-mail's own).
        letter = appointments.letter(appointment_id,
                                     lang=self.preference(row.customer_id).language)
        pdf = appointments.render_letter(letter)
        day = to_local(letter.starts_at).date().isoformat()
        name = f"{LETTER_NAMES.get(letter.lang, LETTER_NAMES['fi'])}-{day}.pdf"
        return self.send_letter(row.customer_id, "appointment_letter", pdf, name,
                                about_id=appointment_id)

    def send_plan(self, customer_id: str, password_by_sms: bool) -> PlanSent:
        """The customer's current plan as a PDF encrypted with a generated password, by
        e-mail; the password by SMS when asked (else the worker tells it)."""
        from app.services.plans import PlanService

        self.ctx.require(Permission.PLAN_PRINT)
        self.ctx.require(Permission.MESSAGE_SEND)
        with self.ctx.reading() as s:
            customer = live_customer(s, customer_id)
            language = self._may_email(s, customer)
            if password_by_sms:
                self._may_sms(s, customer)
        plans = PlanService(self.ctx)
        version_id = plans.printable_version(customer_id)
        pdf = plans.render(plans.print_document(version_id, language, purpose="email"))
        password = new_password()
        encrypted = encrypt_pdf(pdf, password)
        with self.ctx.transaction(Permission.MESSAGE_SEND) as s:
            customer = live_customer(s, customer_id)
            language = self._may_email(s, customer)
            if password_by_sms:
                self._may_sms(s, customer)
            message = self._request(
                s, customer, MessageKind.PLAN, MessageChannel.EMAIL, language,
                document="plan", attachment_name="plan.pdf",
                attachment=base64.b64encode(encrypted).decode("ascii"), about_id=version_id)
            secret_message = None
            if password_by_sms:
                secret_message = self._request(s, customer, MessageKind.PASSWORD,
                                               MessageChannel.SMS, language,
                                               about_id=message.id, secret=password)
            self.ctx.audit(s, "message.plan", "message", message.id,
                           {"customer": customer.id, "plan_version": version_id,
                            "password_by_sms": bool(password_by_sms)})
            rows = self._rows(s, [message] + ([secret_message] if secret_message else []))
        return PlanSent(rows[0], password, rows[1] if len(rows) > 1 else None)

    def _may_email(self, s: Session, customer: Customer) -> str:
        """The message language, once e-mail may be sent (else ServiceError)."""
        preference = self._live_preference(s, customer.id)
        if preference is not None and preference.opted_out:
            raise ServiceError(OPTED_OUT)
        if preference is None or not preference.email:
            raise ServiceError(NO_EMAIL_CONSENT)
        if not (customer.email or "").strip():
            raise ServiceError(NO_EMAIL_ADDRESS)
        if customer.erased_at is not None:
            raise ServiceError(OPTED_OUT)
        return message_language(preference, customer)

    def _may_sms(self, s: Session, customer: Customer) -> None:
        preference = self._live_preference(s, customer.id)
        if preference is None or preference.opted_out or not preference.sms:
            raise ServiceError(NO_SMS_CONSENT)
        if not (customer.phone or "").strip():
            raise ServiceError(NO_PHONE)

    def _request(self, s: Session, customer: Customer, kind: MessageKind,
                 channel: MessageChannel, language: str, **values: object) -> Message:
        actor = self.ctx.signed_in
        message = Message(customer_id=customer.id, service_point_id=actor.service_point_id,
                          kind=kind, channel=channel, status=MessageStatus.QUEUED,
                          language=language, due_at=self.ctx.now(), attempts=0,
                          requested_by=actor.staff_id, **values)
        s.add(message)
        s.flush()
        return message

    # --- templates ---------------------------------------------------------------------

    def templates(self) -> list[TemplateRow]:
        """Every kind x channel x language: the admins' wording, else the built-in one."""
        self.ctx.require(Permission.MESSAGE_READ)
        with self.ctx.reading() as s:
            stored = {(MessageKind(t.kind), MessageChannel(t.channel), t.language): t
                      for t in s.scalars(select(MessageTemplate).where(
                          MessageTemplate.deleted_at.is_(None)))}
        rows = []
        for kind, channel in _pairs():
            for language in LANGUAGES:
                t = stored.get((kind, channel, language))
                if t is not None:
                    rows.append(TemplateRow(kind.value, channel.value, language,
                                            t.subject, t.body, True))
                else:
                    subject, body = default_template(kind, channel, language)
                    rows.append(TemplateRow(kind.value, channel.value, language, subject,
                                            body, False))
        return rows

    def save_template(self, kind: str, channel: str, language: str,
                      subject: str | None, body: str) -> TemplateRow:
        self.ctx.require(Permission.SETTINGS_EDIT)
        k, c = self._pair(kind, channel, language)
        subject = None if c is MessageChannel.SMS else (subject or "").strip() or None
        body = (body or "").strip()
        errors = dict(check_template(k, c, subject, body))
        for key, problem in text_guard.field_errors(
                MessageTemplate, {"subject": subject or "", "body": body}).items():
            errors.setdefault(key, problem)
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(Permission.SETTINGS_EDIT) as s:
            tid = template_id(k, c, language)
            row = s.get(MessageTemplate, tid)
            if row is None:
                row = MessageTemplate(id=tid, kind=k, channel=c, language=language,
                                      subject=subject, body=body)
                s.add(row)
            else:
                for key, value in (("subject", subject), ("body", body),
                                   ("deleted_at", None)):
                    if getattr(row, key) != value:
                        setattr(row, key, value)
            s.flush()
            self.ctx.audit(s, "message.template", "message_template", tid,
                           {"kind": k.value, "channel": c.value, "language": language})
        return TemplateRow(k.value, c.value, language, subject, body, True)

    def reset_template(self, kind: str, channel: str, language: str) -> TemplateRow:
        """Back to the built-in wording (the admins' one tombstoned)."""
        self.ctx.require(Permission.SETTINGS_EDIT)
        k, c = self._pair(kind, channel, language)
        with self.ctx.transaction(Permission.SETTINGS_EDIT) as s:
            tid = template_id(k, c, language)
            row = s.get(MessageTemplate, tid)
            if row is not None and row.deleted_at is None:
                row.deleted_at = self.ctx.now()
                s.flush()
                self.ctx.audit(s, "message.template_reset", "message_template", tid,
                               {"kind": k.value, "channel": c.value, "language": language})
        subject, body = default_template(k, c, language)
        return TemplateRow(k.value, c.value, language, subject, body, False)

    def preview(self, kind: str, channel: str, language: str, subject: str | None,
                body: str) -> tuple[str | None, str]:
        """The wording filled in with sample facts; ValidationFailed as save_template."""
        self.ctx.require(Permission.MESSAGE_READ)
        k, c = self._pair(kind, channel, language)
        subject = None if c is MessageChannel.SMS else (subject or "").strip() or None
        errors = check_template(k, c, subject, body or "")
        if errors:
            raise ValidationFailed(dict(errors))
        return render(k, c, sample_facts(language), (subject, body or ""))

    @staticmethod
    def _pair(kind: str, channel: str, language: str) -> tuple[MessageKind, MessageChannel]:
        try:
            k, c = MessageKind(kind), MessageChannel(channel)
        except ValueError:
            raise ServiceError(N_("No such kind of message on that channel.")) from None
        if (k, c) not in _pairs():
            raise ServiceError(N_("No such kind of message on that channel."))
        if language not in LANGUAGES:
            raise ServiceError(N_("Choose Finnish, Swedish or English."))
        return k, c

    @staticmethod
    def _stored_template(s: Session, kind: MessageKind, channel: MessageChannel,
                         language: str) -> tuple[str | None, str] | None:
        row = s.get(MessageTemplate, template_id(kind, channel, language))
        if row is None or row.deleted_at is not None:
            return None
        return row.subject, row.body

    # --- the messenger -----------------------------------------------------------------

    def messenger_status(self) -> MessengerStatus:
        """When a messenger was last heard from, by the context clock. The counts are
        those of the messengers heard from within STALE_MINUTES (else the latest's)."""
        _ = self.ctx.signed_in
        now = self.ctx.now()
        with self.ctx.reading() as s:
            beats = list(s.scalars(select(MessengerHeartbeat).where(
                MessengerHeartbeat.deleted_at.is_(None))
                .order_by(MessengerHeartbeat.seen_at.desc(), MessengerHeartbeat.id)))
        if not beats:
            return MessengerStatus(False, None, None, True, 0, 0, None)
        latest = beats[0]
        seen = _aware(latest.seen_at)
        assert seen is not None
        minutes = max(0, int((now - seen).total_seconds() // 60))
        fresh = [b for b in beats
                 if now - (_aware(b.seen_at) or seen) < timedelta(minutes=self.STALE_MINUTES)]
        counted = fresh or [latest]
        return MessengerStatus(True, seen, minutes, minutes >= self.STALE_MINUTES,
                               sum(b.sent_count or 0 for b in counted),
                               sum(b.failed_count or 0 for b in counted), latest.last_error)

    # --- helpers -----------------------------------------------------------------------

    @staticmethod
    def _message(s: Session, message_id: str) -> Message:
        message = s.get(Message, message_id)
        if message is None or message.deleted_at is not None:
            raise NotFound(MESSAGE_NOT_FOUND)
        return message

    @staticmethod
    def _rows(s: Session, messages: Iterable[Message]) -> list[MessageRow]:
        found = list(messages)
        if not found:
            return []
        customers = {cid: _name(first, last) for cid, first, last in s.execute(
            select(Customer.id, Customer.first_names, Customer.last_name).where(
                Customer.id.in_({m.customer_id for m in found})))}
        wanted = {x for m in found for x in (m.requested_by, m.decided_by) if x}
        staff = dict(s.execute(select(Staff.id, Staff.full_name).where(
            Staff.id.in_(wanted))).all()) if wanted else {}
        return [MessageRow(
            id=m.id, customer_id=m.customer_id, customer_name=customers.get(m.customer_id, ""),
            kind=MessageKind(m.kind).value, channel=MessageChannel(m.channel).value,
            status=MessageStatus(m.status).value, language=m.language,
            due_at=_aware(m.due_at) or m.due_at, sent_at=_aware(m.sent_at),
            delivered_at=_aware(m.delivered_at), recipient=m.recipient, subject=m.subject,
            body=m.body, error=m.error, attempts=m.attempts or 0, about_id=m.about_id,
            about_starts_at=_aware(m.about_starts_at), service_point_id=m.service_point_id,
            document=m.document,
            requested_by_name=staff.get(m.requested_by) if m.requested_by else None,
            decided_by_name=staff.get(m.decided_by) if m.decided_by else None)
            for m in found]


# The appointment letter's file name, in the letter's language.
LETTER_NAMES = {"fi": "ajanvaraus", "sv": "tidsbokning", "en": "appointment"}


def _filename(name: str, fallback: str) -> str:
    """A plain file name for the attachment (no folders, no odd characters)."""
    name = re.sub(r"[^\w.\-]+", "_", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    name = name.strip("._") or fallback
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name[-FILENAME_LIMIT:]
