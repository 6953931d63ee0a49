"""The channels a message goes on, behind one small interface (Channel): e-mail through
the municipality's SMTP relay, SMS through an HTTP gateway. Suomi.fi Messages would be
one more class with the same two methods (docs/messages.md).

`send` hands one message over and returns the channel's own reference for it; `lookup`
asks the channel whether a message with that reference went out ("sent"), or not
("unknown"), or None when the channel cannot be asked (SMTP: a relay keeps no record one
can query). The messenger uses lookup to recover a message whose send was interrupted.

The SMS gateway interface (what a gateway, or an adapter in front of an operator's API,
offers; JSON over HTTPS, `Authorization: Bearer <token>`):

    POST {url}/messages      {"to": "+358401234567", "from": "Tyollisyys",
                              "text": "...", "client_ref": "<message id>"}
        -> 200/201/202 {"id": "<gateway id>", "status": "accepted"}
        A second POST with a client_ref the gateway has seen sends nothing and answers
        with the first message's id (200).
        4xx: refused (a bad number, say): not retried. 5xx or no answer: retried later.
    GET  {url}/messages?client_ref=<message id>
        -> 200 {"id": "...", "status": "..."}: the gateway has it (sent)
        -> 404: the gateway never got it"""

from __future__ import annotations

import http.client
import json
import re
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Literal, Protocol

from app.i18n import N_
from app.messenger.config import SmsConfig, SmtpConfig
from app.rules.codes import MessageChannel

Found = Literal["sent", "unknown"]

SMTP_REFUSED = N_("The e-mail server refused the message.")
SMTP_UNREACHABLE = N_("The e-mail server could not be reached.")
SMTP_NO_TLS = N_("The e-mail server offers no encrypted connection.")
SMS_REFUSED = N_("The SMS gateway refused the message.")
SMS_UNREACHABLE = N_("The SMS gateway could not be reached.")


class DeliveryInDoubt(Exception):
    """The message was handed over but the channel's answer was lost (an SMTP relay's
    final reply after the body): it may have gone. Never sent again by itself."""


class ChannelError(Exception):
    """A send that did not go through. `reason`: a message id (no personal data);
    `permanent`: trying again will not help (the address is refused)."""

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.permanent = reason, permanent


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "text/calendar", "application/pdf"
    data: bytes


@dataclass(frozen=True)
class Outgoing:
    """One message ready to go: the text rendered, the address of this moment."""

    id: str
    channel: MessageChannel
    language: str
    recipient: str
    subject: str | None
    body: str
    attachments: tuple[Attachment, ...] = field(default=())


class Channel(Protocol):
    kind: MessageChannel

    def send(self, message: Outgoing, now: datetime) -> str:
        """Hand the message over; the channel's reference for it. ChannelError when
        it did not go."""
        ...

    def lookup(self, message_id: str, reference: str | None) -> Found | None:
        """Did a message with this id / reference go out? None: the channel cannot be
        asked; ChannelError: it can, but did not answer now."""
        ...


def message_id_header(message_id: str) -> str:
    return f"<{message_id}@desk-messenger>"


def build_email(message: Outgoing, sender: str, now: datetime) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Subject"] = message.subject or ""
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = message_id_header(message.id)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body)
    for item in message.attachments:
        main, _slash, sub = item.content_type.partition("/")
        params = {"method": "PUBLISH"} if item.content_type == "text/calendar" else {}
        mail.add_attachment(item.data, maintype=main, subtype=sub, filename=item.filename,
                            params=params)
    # After the content: setting the content clears the Content-* headers.
    mail["Content-Language"] = message.language
    return mail


def _close(smtp: smtplib.SMTP | None, polite: bool = False) -> None:
    if smtp is None:
        return
    try:
        if polite:
            smtp.quit()
    except (OSError, smtplib.SMTPException):
        pass
    finally:
        smtp.close()


class EmailChannel:
    """SMTP with STARTTLS (required unless configured otherwise for a local relay).
    The Message-ID is the message's own id; a relay cannot be asked afterwards whether
    it took a message, so lookup answers None."""

    kind = MessageChannel.EMAIL

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def send(self, message: Outgoing, now: datetime) -> str:
        mail = build_email(message, self.config.sender, now)
        cfg = self.config
        smtp: smtplib.SMTP | None = None
        try:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
            smtp.ehlo()
            if cfg.starttls != "off" and smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            elif cfg.starttls == "require":
                raise ChannelError(SMTP_NO_TLS)
            if cfg.user:
                smtp.login(cfg.user, cfg.password or "")
            # The envelope step by step: a refusal names its code (5xx: for good, 4xx:
            # later); once the body is on its way, a lost answer cannot be told from a
            # message taken (DeliveryInDoubt below).
            for code, _text in (smtp.mail(parseaddr(self.config.sender)[1]),
                                smtp.rcpt(parseaddr(message.recipient)[1])):
                if not 200 <= code < 300:
                    raise ChannelError(SMTP_REFUSED, permanent=500 <= code < 600)
            body = mail.as_bytes(policy=policy.SMTP)
        except ChannelError:
            _close(smtp)
            raise
        except smtplib.SMTPResponseException as exc:
            _close(smtp)
            raise ChannelError(SMTP_REFUSED, permanent=500 <= exc.smtp_code < 600) from exc
        except (OSError, smtplib.SMTPException) as exc:
            _close(smtp)
            raise ChannelError(SMTP_UNREACHABLE) from exc
        try:
            code, _text = smtp.docmd("DATA")
            if code != 354:  # refused before the body: it did not go
                raise ChannelError(SMTP_REFUSED, permanent=500 <= code < 600)
            code, _text = _send_body(smtp, body)
        except ChannelError:
            _close(smtp)
            raise
        except (OSError, smtplib.SMTPException) as exc:
            _close(smtp)
            raise DeliveryInDoubt() from exc
        if code != 250:  # the relay said no to the message itself
            _close(smtp)
            raise ChannelError(SMTP_REFUSED, permanent=500 <= code < 600)
        # Taken: whatever the goodbye does, the message went.
        _close(smtp, polite=True)
        return message_id_header(message.id)

    def lookup(self, message_id: str, reference: str | None) -> Found | None:
        return None


def _send_body(smtp: smtplib.SMTP, body: bytes) -> tuple[int, bytes]:
    """The body after a 354, dot-stuffed and ended with <CRLF>.<CRLF>, and the relay's
    reply (smtplib.SMTP.data without its DATA command, so that a refusal of DATA and a
    lost reply after the body are told apart)."""
    lines = re.sub(rb"\r\n|\n|\r", b"\r\n", body)
    stuffed = re.sub(rb"(?m)^\.", b"..", lines)
    if not stuffed.endswith(b"\r\n"):
        stuffed += b"\r\n"
    smtp.send(stuffed + b".\r\n")
    code, text = smtp.getreply()
    return code, text


def international(number: str) -> str:
    """A Finnish mobile number as the gateway takes it: +358401234567."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return "+358" + digits[1:]
    return digits


class SmsGatewayChannel:
    """The HTTP SMS gateway of the module docstring. The client reference is the
    message's id, so the gateway itself refuses a double and can be asked afterwards."""

    kind = MessageChannel.SMS

    def __init__(self, config: SmsConfig) -> None:
        self.config = config

    def _request(self, method: str, path: str, body: dict[str, str] | None = None
                 ) -> tuple[int, dict[str, str]]:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(
            self.config.url + path, data=data, method=method,
            headers={"Authorization": f"Bearer {self.config.token}",
                     "Accept": "application/json",
                     **({"Content-Type": "application/json"} if data else {})})
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as answer:
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, b""
        except http.client.HTTPException as exc:  # a garbled answer: as no answer
            raise OSError(str(exc)) from exc
        try:
            parsed = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            parsed = {}
        return status, parsed if isinstance(parsed, dict) else {}

    def send(self, message: Outgoing, now: datetime) -> str:
        try:
            status, _answer = self._request("POST", "/messages", {
                "to": international(message.recipient), "from": self.config.sender,
                "text": message.body, "client_ref": message.id})
        except (OSError, urllib.error.URLError) as exc:
            raise ChannelError(SMS_UNREACHABLE) from exc
        if 200 <= status < 300:
            return message.id
        raise ChannelError(SMS_REFUSED if 400 <= status < 500 else SMS_UNREACHABLE,
                           permanent=400 <= status < 500 and status not in (408, 429))

    def lookup(self, message_id: str, reference: str | None) -> Found | None:
        query = urllib.parse.urlencode({"client_ref": message_id})
        try:
            status, _answer = self._request("GET", f"/messages?{query}")
        except (OSError, urllib.error.URLError) as exc:
            raise ChannelError(SMS_UNREACHABLE) from exc
        if status == 200:
            return "sent"
        if status == 404:
            return "unknown"
        raise ChannelError(SMS_UNREACHABLE)
