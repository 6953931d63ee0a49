"""The wording of messages to customers (#23): built-in texts in three languages, the
placeholders, the template check, rendering in Helsinki time, the calendar file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from app.rules import message_text as mt
from app.rules.codes import MessageChannel as C
from app.rules.codes import MessageKind as K
from app.rules.message_text import Facts

WINTER = datetime(2027, 1, 14, 7, 30, tzinfo=UTC)  # Thursday 9.30 in Helsinki (UTC+2)
SUMMER = datetime(2027, 6, 10, 10, 0, tzinfo=UTC)  # Thursday 13.00 in Helsinki (UTC+3)


def facts(language="fi", starts_at=WINTER, **kw):
    values = {"place": "Ranuan palvelupiste", "address": "Keskustie 1, 97700 Ranua",
              "phone": "016 355 1000"}
    values.update(kw)
    return Facts(language=language, starts_at=starts_at, **values)


def test_template_pairs_are_the_channels_each_kind_may_use():
    pairs = set(mt.TEMPLATE_PAIRS)
    assert len(pairs) == len(mt.TEMPLATE_PAIRS) == 15
    for kind in (K.CONFIRMATION, K.MOVED, K.CANCELLED, K.EVENT_INVITATION, K.REMINDER,
                 K.EVENT_REMINDER):
        assert {(kind, C.EMAIL), (kind, C.SMS)} <= pairs
    assert (K.LETTER, C.SMS) not in pairs and (K.PLAN, C.SMS) not in pairs
    assert (K.PASSWORD, C.EMAIL) not in pairs
    assert not any(channel is C.PRINT for _kind, channel in pairs)
    with pytest.raises(ValueError):
        mt.default_template(K.PLAN, C.SMS, "fi")


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_built_in_text_passes_its_own_check_and_renders(language):
    for kind, channel in mt.TEMPLATE_PAIRS:
        subject, body = mt.default_template(kind, channel, language)
        assert mt.check_template(kind, channel, subject, body) == {}, (kind, channel)
        assert (subject is None) is (channel is C.SMS)
        rendered_subject, text = mt.render(kind, channel, mt.sample_facts(language))
        assert "{" not in text and "}" not in text
        if channel is C.SMS:
            assert rendered_subject is None and len(text) <= mt.SMS_MAX
            assert "\n" not in text
        else:
            assert rendered_subject and "\n" not in rendered_subject
        if kind is not K.PASSWORD:
            assert "016 322 6000" in text, (kind, channel)  # how to cancel or ask: call


def test_texts_differ_by_language_and_another_language_gets_finnish():
    bodies = {lang: mt.default_template(K.REMINDER, C.SMS, lang)[1]
              for lang in ("fi", "sv", "en")}
    assert len(set(bodies.values())) == 3
    assert mt.default_template(K.REMINDER, C.SMS, "so") == mt.default_template(
        K.REMINDER, C.SMS, "fi")
    assert mt.render(K.REMINDER, C.SMS, facts("ru")) == mt.render(K.REMINDER, C.SMS,
                                                                    facts("fi"))


def test_time_and_day_are_shown_in_helsinki_time_in_the_customers_language():
    _s, fi = mt.render(K.REMINDER, C.SMS, facts("fi"))
    _s, sv = mt.render(K.REMINDER, C.SMS, facts("sv"))
    _s, en = mt.render(K.REMINDER, C.SMS, facts("en"))
    assert "torstaina 14.1.2027 klo 9.30" in fi
    assert "torsdag 14.1.2027 kl. 9.30" in sv
    assert "Thursday 14 January 2027 at 09:30" in en
    _s, summer = mt.render(K.REMINDER, C.SMS, facts("fi", SUMMER))
    assert "torstaina 10.6.2027 klo 13.00" in summer


def test_a_text_message_tells_only_the_time_the_place_and_the_phone():
    for kind, channel in mt.TEMPLATE_PAIRS:
        if channel is not C.SMS:
            continue
        allowed = set(mt.placeholders(kind, channel))
        if kind is K.PASSWORD:
            assert allowed == {"password", "phone"}
        else:
            assert allowed <= {"date", "time", "place", "phone"}
    secret = facts(title="Mielenterveyskuntoutujien ryhmä", link="https://x.example/v",
                   address="Salainen katu 1")
    for kind in (K.EVENT_INVITATION, K.EVENT_REMINDER, K.REMINDER, K.CONFIRMATION):
        _s, text = mt.render(kind, C.SMS, secret)
        assert "Mielenterveys" not in text and "x.example" not in text
        assert "Salainen" not in text
    _s, password = mt.render(K.PASSWORD, C.SMS, facts(password="Ab3-xY9"))
    assert "Ab3-xY9" in password and "016 355 1000" in password
    assert "Ranua" not in password


def test_the_e_mail_names_the_service_point_its_address_and_how_to_cancel():
    subject, body = mt.render(K.CONFIRMATION, C.EMAIL, facts("fi"))
    assert subject == "Ajanvarauksen vahvistus: torstaina 14.1.2027 klo 9.30"
    assert "Ranuan palvelupiste\nKeskustie 1, 97700 Ranua" in body
    assert "peru tai siirrä aika soittamalla numeroon 016 355 1000" in body
    # An empty address or link leaves no run of empty lines.
    _s, phone_call = mt.render(K.CONFIRMATION, C.EMAIL, facts(
        "en", place=mt.meeting_place("phone", "Ranua", "en"), address=""))
    assert "\n\n\n" not in phone_call and "by phone\n\nIf you cannot come" in phone_call


def test_check_template_names_what_is_wrong():
    assert mt.check_template(K.REMINDER, C.SMS, None, "{date} {address}") == {
        "body": mt.SMS_PLACEHOLDER}
    assert mt.check_template(K.REMINDER, C.SMS, None, "{date} {name}") == {
        "body": mt.UNKNOWN_PLACEHOLDER}
    assert mt.check_template(K.REMINDER, C.EMAIL, "{time}", "{place.__class__}") == {
        "body": mt.UNKNOWN_PLACEHOLDER}
    assert mt.check_template(K.REMINDER, C.EMAIL, "{time!r}", "ok") == {
        "subject": mt.UNKNOWN_PLACEHOLDER}
    assert mt.check_template(K.REMINDER, C.EMAIL, "x", "{0}") == {
        "body": mt.UNKNOWN_PLACEHOLDER}
    assert mt.check_template(K.REMINDER, C.EMAIL, "x", "{password}") == {
        "body": mt.UNKNOWN_PLACEHOLDER}
    assert mt.check_template(K.REMINDER, C.EMAIL, "", "hello") == {
        "subject": mt.NO_SUBJECT}
    assert mt.check_template(K.REMINDER, C.EMAIL, "x", "  ") == {"body": mt.EMPTY_BODY}
    assert mt.check_template(K.REMINDER, C.EMAIL, "x", "a { b") == {"body": mt.BAD_BRACES}
    assert mt.check_template(K.REMINDER, C.SMS, None, "x" * 481) == {
        "body": mt.SMS_TOO_LONG}
    # Short as written, long once filled in.
    assert mt.check_template(K.REMINDER, C.SMS, None, "x" * 440 + "{date} {place}") == {
        "body": mt.SMS_TOO_LONG}
    assert mt.check_template(K.REMINDER, C.SMS, None, "Aika {date} {time}") == {}


def test_render_uses_a_custom_template_and_refuses_a_bad_one():
    custom = (None, "Tervetuloa {date} klo {time} paikkaan {place}. Puh. {phone}")
    _s, text = mt.render(K.REMINDER, C.SMS, facts(), custom)
    assert text == ("Tervetuloa torstaina 14.1.2027 klo 9.30 paikkaan Ranuan palvelupiste. "
                    "Puh. 016 355 1000")
    bad = (None, "{place.__class__.__mro__}")
    assert mt.render(K.REMINDER, C.SMS, facts(), bad) == mt.render(K.REMINDER, C.SMS,
                                                                    facts())


def test_meeting_place_in_each_language():
    assert mt.meeting_place("service_point", "Ranua", "sv") == "Ranua"
    assert mt.meeting_place("phone", "Ranua", "fi") == "puhelimitse"
    assert mt.meeting_place("video", "Ranua", "sv") == "via videolänk"
    assert mt.meeting_place("phone", "Ranua", "xx") == "puhelimitse"


def test_appointment_ics_is_a_calendar_entry_in_utc():
    ends = datetime(2027, 1, 14, 8, 15, tzinfo=UTC)
    data = mt.appointment_ics("appt-1", WINTER, ends, "Aika", "Ranua, Keskustie 1")
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == WINTER and event.decoded("dtend") == ends
    assert str(event["uid"]) == "appt-1@desk-messenger"
    assert str(event["location"]) == "Ranua, Keskustie 1"
    # The same appointment gives the same file (no clock inside).
    assert data == mt.appointment_ics("appt-1", WINTER, ends, "Aika", "Ranua, Keskustie 1")


def test_sample_facts_fill_every_placeholder():
    for language in ("fi", "sv", "en"):
        sample = mt.sample_facts(language)
        assert sample.language == language
        assert all([sample.place, sample.address, sample.phone, sample.title, sample.link,
                    sample.password, sample.starts_at])
    assert mt.sample_facts("de").language == "fi"
