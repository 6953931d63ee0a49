"""The wording of messages to customers (#23): the built-in texts in Finnish, Swedish and
English, the placeholders a template may use, the check a template passes before it is
saved, and the rendering of a message from the facts of what it is about.

The texts are customer-facing data, not interface strings: a customer gets their own
language whatever the worker's is, so they live here in three languages rather than in
the translation catalogue. A text message tells only the time, the place and the service
point's phone number (the password message: the password and the phone): never what the
appointment is about, nor anything of health, benefits or the plan. Templates are filled
with `str.format_map` and a mapping that refuses every name but the placeholders; a
placeholder with an attribute, an index or a format is refused before it is saved and
again before it is used."""

from __future__ import annotations

import string
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from icalendar import Calendar
from icalendar import Event as IcsEvent

from app.i18n import BABEL_LOCALES, HELSINKI, N_
from app.rules.codes import MessageChannel, MessageKind

K, C = MessageKind, MessageChannel
LANGUAGES = ("fi", "sv", "en")
SMS_MAX = 480  # three concatenated text messages
ICS_PRODUCT = "-//Rovaseutu employment services//Messages//FI"
ICS_DOMAIN = "desk-messenger"

# Which channels each kind may use; templates exist for exactly these pairs.
TEMPLATE_PAIRS: tuple[tuple[MessageKind, MessageChannel], ...] = (
    (K.CONFIRMATION, C.EMAIL), (K.CONFIRMATION, C.SMS),
    (K.REMINDER, C.EMAIL), (K.REMINDER, C.SMS),
    (K.MOVED, C.EMAIL), (K.MOVED, C.SMS),
    (K.CANCELLED, C.EMAIL), (K.CANCELLED, C.SMS),
    (K.EVENT_INVITATION, C.EMAIL), (K.EVENT_INVITATION, C.SMS),
    (K.EVENT_REMINDER, C.EMAIL), (K.EVENT_REMINDER, C.SMS),
    (K.LETTER, C.EMAIL), (K.PLAN, C.EMAIL), (K.PASSWORD, C.SMS),
)

ALL_PLACEHOLDERS = ("date", "time", "place", "address", "phone", "title", "link", "password")
_APPOINTMENT = ("date", "time", "place", "address", "phone", "link")
_EVENT = ("title", "date", "time", "place", "address", "phone", "link")
_DOCUMENT = ("place", "address", "phone")
# What a text message may carry: the time, the place, the phone (the password kind: the
# password and the phone).
SMS_ALLOWED = ("date", "time", "place", "phone")

# Why a template is refused (field -> msgid).
UNKNOWN_PLACEHOLDER = N_("The text has a placeholder this message cannot fill. Use only the "
                         "placeholders listed.")
SMS_PLACEHOLDER = N_("A text message may tell only the time, the place and the phone number.")
SMS_TOO_LONG = N_("A text message may be at most 480 characters long.")
EMPTY_BODY = N_("Write the text of the message.")
NO_SUBJECT = N_("An e-mail needs a subject.")
BAD_BRACES = N_("A brace does not close. Write each placeholder as its name in braces, "
                "and no other braces.")


@dataclass(frozen=True)
class Facts:
    language: str                 # fi, sv, en
    starts_at: datetime | None    # aware UTC; shown in Helsinki time
    place: str                    # service point name, or the translated "by phone"/"video"
    address: str                  # street, postal code, municipality ("" when none)
    phone: str                    # the service point's phone ("" when none)
    meeting: str = "service_point"  # service_point | phone | video
    title: str = ""               # the event's title (event kinds), "" otherwise
    link: str = ""                # a video or online link, "" when none
    password: str = ""            # PASSWORD kind only


def placeholders(kind: MessageKind, channel: MessageChannel) -> tuple[str, ...]:
    """The placeholders a template of `kind` on `channel` may use."""
    kind, channel = MessageKind(kind), MessageChannel(channel)
    if kind is K.PASSWORD:
        return ("password", "phone")
    if kind in (K.LETTER, K.PLAN):
        return _DOCUMENT
    allowed = _EVENT if kind in (K.EVENT_INVITATION, K.EVENT_REMINDER) else _APPOINTMENT
    if channel is C.SMS:
        return tuple(p for p in allowed if p in SMS_ALLOWED)
    return allowed


def _fields(text: str) -> list[str] | None:
    """The placeholders of `text` as written (with any attribute, index, conversion or
    format they carry), or None when its braces do not parse."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        names.append(name + (f"!{conversion}" if conversion else "")
                     + (f":{spec}" if spec else ""))
    return names


def check_template(kind: MessageKind, channel: MessageChannel, subject: str | None,
                   body: str) -> dict[str, str]:
    """Why the template may not be saved: field ("subject"/"body") -> a msgid; empty
    when it may."""
    kind, channel = MessageKind(kind), MessageChannel(channel)
    allowed = set(placeholders(kind, channel))
    problems: dict[str, str] = {}
    parts = {"body": body or ""}
    if channel is C.EMAIL:
        parts["subject"] = subject or ""
        if not (subject or "").strip():
            problems["subject"] = NO_SUBJECT
    for field, text in parts.items():
        names = _fields(text)
        if names is None:
            problems[field] = BAD_BRACES
            continue
        for name in names:
            if name in allowed:
                continue
            if (channel is C.SMS and name in ALL_PLACEHOLDERS
                    and name in placeholders(kind, C.EMAIL)):
                problems[field] = SMS_PLACEHOLDER
            else:
                problems[field] = UNKNOWN_PLACEHOLDER
            break
    if not (body or "").strip():
        problems["body"] = EMPTY_BODY
    if "body" not in problems and channel is C.SMS:
        longest = max(len(_fill(body, _values(kind, sample_facts(lang))))
                      for lang in LANGUAGES)
        if max(len(body), longest) > SMS_MAX:
            problems["body"] = SMS_TOO_LONG
    return problems


class _Only(dict[str, str]):
    """A format mapping that refuses every name it does not hold."""

    def __missing__(self, key: str) -> str:
        raise KeyError(key)


def format_day(value: datetime, language: str) -> str:
    """The Helsinki day of `value` in the customer's language (Babel)."""
    local = value.astimezone(HELSINKI)
    pattern = "EEEE d MMMM yyyy" if language == "en" else "EEEE d.M.yyyy"
    return babel_date(local.date(), pattern, locale=BABEL_LOCALES.get(language, "fi_FI"))


def format_clock(value: datetime, language: str) -> str:
    """The Helsinki time of day of `value` in the customer's language (Babel)."""
    local = value.astimezone(HELSINKI)
    return babel_time(local.time(), "short", locale=BABEL_LOCALES.get(language, "fi_FI"))


def _values(kind: MessageKind, facts: Facts) -> _Only:
    language = facts.language if facts.language in LANGUAGES else "fi"
    values = {"date": "", "time": "", "place": facts.place, "address": facts.address,
              "phone": facts.phone, "title": facts.title, "link": facts.link,
              "password": facts.password}
    if facts.starts_at is not None:
        values["date"] = format_day(facts.starts_at, language)
        values["time"] = format_clock(facts.starts_at, language)
    return _Only({k: v for k, v in values.items() if k in placeholders(kind, C.EMAIL)
                  or k in placeholders(kind, C.SMS)})


def _fill(text: str, values: _Only) -> str:
    filled = text.format_map(values)
    lines = [line.rstrip() for line in filled.splitlines()]
    tidy: list[str] = []
    for line in lines:  # a placeholder left empty leaves no run of empty lines behind
        if not line and tidy and not tidy[-1]:
            continue
        tidy.append(line)
    return "\n".join(tidy).strip()


def render(kind: MessageKind, channel: MessageChannel, facts: Facts,
           template: tuple[str | None, str] | None = None) -> tuple[str | None, str]:
    """The subject (None for a text message) and the body of the message. A template
    that does not pass check_template is not used: the built-in wording is."""
    kind, channel = MessageKind(kind), MessageChannel(channel)
    language = facts.language if facts.language in LANGUAGES else "fi"
    facts = replace(facts, language=language)
    if template is None or check_template(kind, channel, template[0], template[1]):
        template = default_template(kind, channel, language)
    values = _values(kind, facts)
    subject = (_fill(template[0] or "", values).replace("\n", " ")
               if channel is C.EMAIL else None)
    body = _fill(template[1], values)
    if channel is C.SMS:
        body = " ".join(body.split())
    return subject, body


def meeting_place(meeting: str, point_name: str, language: str) -> str:
    """The place a message names: the service point, or "by phone" / "by video"."""
    words = _MEETING.get(language, _MEETING["fi"])
    return words.get(meeting, point_name) or point_name


def sample_facts(language: str) -> Facts:
    """Made-up facts for the template editor's preview."""
    language = language if language in LANGUAGES else "fi"
    return Facts(language=language,
                 starts_at=datetime(2027, 3, 9, 7, 30, tzinfo=UTC),
                 place={"fi": "Rovaniemen palvelupiste", "sv": "Rovaniemi servicepunkt",
                        "en": "Rovaniemi service point"}[language],
                 address="Koskikatu 25, 96200 Rovaniemi", phone="016 322 6000",
                 title={"fi": "Rekrytointitilaisuus", "sv": "Rekryteringsevenemang",
                        "en": "Recruitment event"}[language],
                 link="https://example.fi/tapaaminen", password="Kx7-pR4q-Lm2")


def appointment_ics(appointment_id: str, starts_at: datetime, ends_at: datetime,
                    summary: str, location: str, stamp: datetime | None = None) -> bytes:
    """An iCalendar file with the one appointment (UTC times; the UID from the
    appointment, so a calendar that imports it twice keeps one entry). `stamp`: when
    it was made (DTSTAMP; the start when not given, so the file depends on the
    appointment alone)."""
    def utc(value: datetime) -> datetime:
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

    cal = Calendar()
    cal.add("prodid", ICS_PRODUCT)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    item = IcsEvent()
    item.add("uid", f"{appointment_id}@{ICS_DOMAIN}")
    item.add("dtstamp", utc(stamp or starts_at))
    item.add("dtstart", utc(starts_at))
    item.add("dtend", utc(ends_at if ends_at > starts_at else starts_at + timedelta(hours=1)))
    item.add("summary", summary)
    if location:
        item.add("location", location)
    cal.add_component(item)
    return bytes(cal.to_ical())


def default_template(kind: MessageKind, channel: MessageChannel, language: str
                     ) -> tuple[str | None, str]:
    """The built-in wording: (subject, or None for a text message; body)."""
    kind, channel = MessageKind(kind), MessageChannel(channel)
    if (kind, channel) not in TEMPLATE_PAIRS:
        raise ValueError(f"no {channel.value} message of kind {kind.value}")
    language = language if language in LANGUAGES else "fi"
    text = _TEXTS[language][(kind, channel)]
    if channel is C.SMS:
        return None, text
    subject, body = text.split("\n", 1)
    return subject, body.lstrip("\n")


def ics_summary(language: str) -> str:
    """The calendar entry's title."""
    return _ICS_SUMMARY.get(language, _ICS_SUMMARY["fi"])


_MEETING = {
    "fi": {"phone": "puhelimitse", "video": "videoyhteydellä"},
    "sv": {"phone": "per telefon", "video": "via videolänk"},
    "en": {"phone": "by phone", "video": "by video"},
}
_ICS_SUMMARY = {"fi": "Aika työllisyyspalveluissa", "sv": "Tid hos sysselsättningstjänsterna",
                "en": "Appointment at the employment services"}

_FI_END = ("\n\nYstävällisin terveisin\nTyöllisyyspalvelut\n\n"
           "Tämä on automaattinen viesti, eikä siihen voi vastata.")
_SV_END = ("\n\nMed vänliga hälsningar\nSysselsättningstjänsterna\n\n"
           "Detta är ett automatiskt meddelande som inte kan besvaras.")
_EN_END = ("\n\nKind regards\nEmployment services\n\n"
           "This is an automatic message: please do not reply to it.")

_FI_WHEN = "{date} klo {time}\n{place}\n{address}\n{link}"
_SV_WHEN = "{date} kl. {time}\n{place}\n{address}\n{link}"
_EN_WHEN = "{date} at {time}\n{place}\n{address}\n{link}"

_TEXTS: dict[str, dict[tuple[MessageKind, MessageChannel], str]] = {
    "fi": {
        (K.CONFIRMATION, C.EMAIL): (
            "Ajanvarauksen vahvistus: {date} klo {time}\n"
            "Hei,\n\nsinulle on varattu aika työllisyyspalveluihin:\n\n" + _FI_WHEN +
            "\n\nJos et pääse paikalle, peru tai siirrä aika soittamalla numeroon {phone}."
            "\n\nLiitteenä on kalenterimerkintä." + _FI_END),
        (K.CONFIRMATION, C.SMS): (
            "Aikasi työllisyyspalveluihin: {date} klo {time}, {place}. "
            "Jos et pääse, soita {phone}."),
        (K.REMINDER, C.EMAIL): (
            "Muistutus: aikasi {date} klo {time}\n"
            "Hei,\n\nmuistutamme ajastasi työllisyyspalveluissa:\n\n" + _FI_WHEN +
            "\n\nJos et pääse paikalle, soita numeroon {phone}." + _FI_END),
        (K.REMINDER, C.SMS): (
            "Muistutus: aikasi työllisyyspalveluihin {date} klo {time}, {place}. "
            "Jos et pääse, soita {phone}."),
        (K.MOVED, C.EMAIL): (
            "Aikasi on siirretty: {date} klo {time}\n"
            "Hei,\n\naikasi työllisyyspalveluihin on siirretty. Uusi aika:\n\n" + _FI_WHEN +
            "\n\nJos uusi aika ei sovi, soita numeroon {phone}."
            "\n\nLiitteenä on kalenterimerkintä." + _FI_END),
        (K.MOVED, C.SMS): (
            "Aikasi työllisyyspalveluihin on siirretty: {date} klo {time}, {place}. "
            "Jos aika ei sovi, soita {phone}."),
        (K.CANCELLED, C.EMAIL): (
            "Aikasi on peruttu: {date} klo {time}\n"
            "Hei,\n\naikasi työllisyyspalveluihin {date} klo {time} on peruttu."
            "\n\nUuden ajan saat soittamalla numeroon {phone}." + _FI_END),
        (K.CANCELLED, C.SMS): (
            "Aikasi työllisyyspalveluihin {date} klo {time} on peruttu. "
            "Uuden ajan saat numerosta {phone}."),
        (K.EVENT_INVITATION, C.EMAIL): (
            "Kutsu: {title}\n"
            "Hei,\n\ntervetuloa tilaisuuteen {title}:\n\n" + _FI_WHEN +
            "\n\nIlmoittaudu tai kysy lisää numerosta {phone}." + _FI_END),
        (K.EVENT_INVITATION, C.SMS): (
            "Sinut on kutsuttu työllisyyspalvelujen tilaisuuteen {date} klo {time}, "
            "{place}. Ilmoittaudu: {phone}."),
        (K.EVENT_REMINDER, C.EMAIL): (
            "Muistutus: {title} {date} klo {time}\n"
            "Hei,\n\nmuistutamme tilaisuudesta {title}:\n\n" + _FI_WHEN +
            "\n\nJos et pääse, soita numeroon {phone}." + _FI_END),
        (K.EVENT_REMINDER, C.SMS): (
            "Muistutus: tilaisuus {date} klo {time}, {place}. Jos et pääse, soita {phone}."),
        (K.LETTER, C.EMAIL): (
            "Kirje työllisyyspalveluista\n"
            "Hei,\n\nliitteenä on sinulle kirje työllisyyspalveluista."
            "\n\nKysyttävää: soita numeroon {phone}.\n\n{place}\n{address}" + _FI_END),
        (K.PLAN, C.EMAIL): (
            "Asiakirja työllisyyspalveluista\n"
            "Hei,\n\nliitteenä on suunnitelmasi salattuna PDF-tiedostona. Avaa se "
            "salasanalla, jonka sait työntekijältä tai tekstiviestillä."
            "\n\nKysyttävää: soita numeroon {phone}.\n\n{place}\n{address}" + _FI_END),
        (K.PASSWORD, C.SMS): (
            "Sähköpostiisi lähetetyn asiakirjan salasana: {password} "
            "Kysyttävää: {phone}."),
    },
    "sv": {
        (K.CONFIRMATION, C.EMAIL): (
            "Bekräftelse av bokad tid: {date} kl. {time}\n"
            "Hej,\n\ndu har fått en tid hos sysselsättningstjänsterna:\n\n" + _SV_WHEN +
            "\n\nOm du inte kan komma, avboka eller flytta tiden genom att ringa {phone}."
            "\n\nEn kalenderpost finns som bilaga." + _SV_END),
        (K.CONFIRMATION, C.SMS): (
            "Din tid hos sysselsättningstjänsterna: {date} kl. {time}, {place}. "
            "Om du inte kan komma, ring {phone}."),
        (K.REMINDER, C.EMAIL): (
            "Påminnelse: din tid {date} kl. {time}\n"
            "Hej,\n\nvi påminner om din tid hos sysselsättningstjänsterna:\n\n"
            + _SV_WHEN + "\n\nOm du inte kan komma, ring {phone}." + _SV_END),
        (K.REMINDER, C.SMS): (
            "Påminnelse: din tid hos sysselsättningstjänsterna {date} kl. {time}, {place}. "
            "Om du inte kan komma, ring {phone}."),
        (K.MOVED, C.EMAIL): (
            "Din tid har flyttats: {date} kl. {time}\n"
            "Hej,\n\ndin tid hos sysselsättningstjänsterna har flyttats. Den nya tiden:\n\n"
            + _SV_WHEN + "\n\nOm den nya tiden inte passar, ring {phone}."
            "\n\nEn kalenderpost finns som bilaga." + _SV_END),
        (K.MOVED, C.SMS): (
            "Din tid hos sysselsättningstjänsterna har flyttats: {date} kl. {time}, "
            "{place}. Om tiden inte passar, ring {phone}."),
        (K.CANCELLED, C.EMAIL): (
            "Din tid har avbokats: {date} kl. {time}\n"
            "Hej,\n\ndin tid hos sysselsättningstjänsterna {date} kl. {time} har avbokats."
            "\n\nDu får en ny tid genom att ringa {phone}." + _SV_END),
        (K.CANCELLED, C.SMS): (
            "Din tid hos sysselsättningstjänsterna {date} kl. {time} har avbokats. "
            "Ny tid: ring {phone}."),
        (K.EVENT_INVITATION, C.EMAIL): (
            "Inbjudan: {title}\n"
            "Hej,\n\nvälkommen till {title}:\n\n" + _SV_WHEN +
            "\n\nAnmäl dig eller fråga mer på numret {phone}." + _SV_END),
        (K.EVENT_INVITATION, C.SMS): (
            "Du är inbjuden till ett evenemang hos sysselsättningstjänsterna {date} "
            "kl. {time}, {place}. Anmälan: {phone}."),
        (K.EVENT_REMINDER, C.EMAIL): (
            "Påminnelse: {title} {date} kl. {time}\n"
            "Hej,\n\nvi påminner om evenemanget {title}:\n\n" + _SV_WHEN +
            "\n\nOm du inte kan komma, ring {phone}." + _SV_END),
        (K.EVENT_REMINDER, C.SMS): (
            "Påminnelse: evenemang {date} kl. {time}, {place}. "
            "Om du inte kan komma, ring {phone}."),
        (K.LETTER, C.EMAIL): (
            "Brev från sysselsättningstjänsterna\n"
            "Hej,\n\nsom bilaga finns ett brev till dig från sysselsättningstjänsterna."
            "\n\nFrågor: ring {phone}.\n\n{place}\n{address}" + _SV_END),
        (K.PLAN, C.EMAIL): (
            "Dokument från sysselsättningstjänsterna\n"
            "Hej,\n\nsom bilaga finns din plan som en krypterad PDF-fil. Öppna den med "
            "lösenordet som du fick av handläggaren eller per textmeddelande."
            "\n\nFrågor: ring {phone}.\n\n{place}\n{address}" + _SV_END),
        (K.PASSWORD, C.SMS): (
            "Lösenordet till dokumentet som skickats till din e-post: {password} "
            "Frågor: {phone}."),
    },
    "en": {
        (K.CONFIRMATION, C.EMAIL): (
            "Appointment confirmed: {date} at {time}\n"
            "Hello,\n\nyou have an appointment at the employment services:\n\n" + _EN_WHEN +
            "\n\nIf you cannot come, please cancel or change the time by calling {phone}."
            "\n\nA calendar entry is attached." + _EN_END),
        (K.CONFIRMATION, C.SMS): (
            "Your appointment at the employment services: {date} at {time}, {place}. "
            "If you cannot come, call {phone}."),
        (K.REMINDER, C.EMAIL): (
            "Reminder: your appointment on {date} at {time}\n"
            "Hello,\n\na reminder of your appointment at the employment services:\n\n"
            + _EN_WHEN + "\n\nIf you cannot come, please call {phone}."
            + _EN_END),
        (K.REMINDER, C.SMS): (
            "Reminder: your appointment at the employment services on {date} at {time}, "
            "{place}. If you cannot come, call {phone}."),
        (K.MOVED, C.EMAIL): (
            "Your appointment has moved: {date} at {time}\n"
            "Hello,\n\nyour appointment at the employment services has moved. "
            "The new time:\n\n" + _EN_WHEN +
            "\n\nIf the new time does not suit you, please call {phone}."
            "\n\nA calendar entry is attached." + _EN_END),
        (K.MOVED, C.SMS): (
            "Your appointment at the employment services has moved: {date} at {time}, "
            "{place}. If it does not suit you, call {phone}."),
        (K.CANCELLED, C.EMAIL): (
            "Your appointment is cancelled: {date} at {time}\n"
            "Hello,\n\nyour appointment at the employment services on {date} at {time} "
            "is cancelled.\n\nFor a new time, please call {phone}." + _EN_END),
        (K.CANCELLED, C.SMS): (
            "Your appointment at the employment services on {date} at {time} is cancelled. "
            "For a new time, call {phone}."),
        (K.EVENT_INVITATION, C.EMAIL): (
            "Invitation: {title}\n"
            "Hello,\n\nyou are welcome to {title}:\n\n" + _EN_WHEN +
            "\n\nTo sign up or ask more, please call {phone}." + _EN_END),
        (K.EVENT_INVITATION, C.SMS): (
            "You are invited to an event at the employment services on {date} at {time}, "
            "{place}. To sign up, call {phone}."),
        (K.EVENT_REMINDER, C.EMAIL): (
            "Reminder: {title} on {date} at {time}\n"
            "Hello,\n\na reminder of the event {title}:\n\n" + _EN_WHEN +
            "\n\nIf you cannot come, please call {phone}." + _EN_END),
        (K.EVENT_REMINDER, C.SMS): (
            "Reminder: event on {date} at {time}, {place}. If you cannot come, call {phone}."),
        (K.LETTER, C.EMAIL): (
            "A letter from the employment services\n"
            "Hello,\n\nplease find attached a letter to you from the employment services."
            "\n\nQuestions: please call {phone}.\n\n{place}\n{address}" + _EN_END),
        (K.PLAN, C.EMAIL): (
            "A document from the employment services\n"
            "Hello,\n\nplease find attached your plan as an encrypted PDF file. Open it "
            "with the password you got from your adviser or by text message."
            "\n\nQuestions: please call {phone}.\n\n{place}\n{address}" + _EN_END),
        (K.PASSWORD, C.SMS): (
            "The password of the document sent to your e-mail: {password} "
            "Questions: {phone}."),
    },
}


def _all_texts() -> dict[str, Any]:  # for tests: every built-in text
    return _TEXTS
