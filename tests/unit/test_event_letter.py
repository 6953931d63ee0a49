"""The event invitation read back from the PDF: one page per participant, each in the
participant's language (fi, sv, en; another language prints in Finnish)."""

import io
import re
from datetime import UTC, date, datetime

from pypdf import PdfReader

from app.dto.events import EventDetail, EventRow, ParticipantRow, SessionRow
from app.i18n import translate_in
from app.printing.event_letter import LetterPlace, render_invitations
from app.rules.codes import EVENT_LABELS, EventKind

# Babel's own words for the day: proof each page's dates are in its language.
DATE_WORDS = {"fi": ("tiistai", "joulukuuta", "10.00–12.00"),
              "sv": ("tisdag", "december", "10.00–12.00"),
              "en": ("Tuesday", "December", "10:00–12:00")}


def event(**kw):
    row = EventRow(id="e1", service_point_id="p1", service_point_name="Osaamo",
                   kind="group_coaching", status="planned", title="Työnhaun valmennus",
                   language="fi", capacity=12, starts_at=datetime(2026, 12, 8, 8, tzinfo=UTC),
                   ends_at=datetime(2026, 12, 15, 10, tzinfo=UTC), sessions=2, registered=3,
                   waiting=0, invited=2, organiser_names=("Pekka Ylitalo",))
    sessions = tuple(
        SessionRow(id=f"s{n}", event_id="e1", number=n,
                   starts_at=datetime(2026, 12, d, 8, tzinfo=UTC),
                   ends_at=datetime(2026, 12, d, 10, tzinfo=UTC), room_id="r1",
                   room_name="Neuvotteluhuone Kaira", online_link="", cancelled=False)
        for n, d in ((1, 8), (2, 15)))
    values = dict(row=row, description="Bring your CV.\nCoffee is served.",
                  target_groups=("young",), organiser_ids=("st1",),
                  external_organisers="Staffing Oy", employer_id=None, employer_name="",
                  online_link="", cancel_reason="", sessions=sessions)
    values.update(kw)
    return EventDetail(**values)


def participant(lang, name):
    return ParticipantRow(id=f"p-{lang}", event_id="e1", customer_id=f"c-{lang}", name=name,
                          customer_number="A1", language=lang, status="registered",
                          registered_at=None, waiting_position=None)


def pages(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def test_one_page_per_participant_in_their_language():
    people = [participant("fi", "Máret Guttorm"), participant("sv", "Anna Lindqvist"),
              participant("en", "John Smith"), participant("ru", "Olga Ivanova")]
    place = LetterPlace("Osaamo", "Rovakatu 2, 96200 Rovaniemi", "016 123 4567")
    texts = pages(render_invitations(event(), people, place, date(2026, 12, 1)))
    assert len(texts) == 4
    for text, lang, name in zip(texts, ("fi", "sv", "en", "fi"),
                                ("Máret Guttorm", "Anna Lindqvist", "John Smith",
                                 "Olga Ivanova"), strict=True):
        t = lambda msgid, lang=lang: translate_in(lang, msgid)  # noqa: E731
        assert name in text
        assert "Työnhaun valmennus" in text
        assert t(EVENT_LABELS[EventKind.GROUP_COACHING]) in text
        for word in DATE_WORDS[lang]:
            assert word in text
        assert text.count(DATE_WORDS[lang][2]) == 2  # both sessions
        assert "Rovakatu 2, 96200 Rovaniemi" in text
        assert "Neuvotteluhuone Kaira" in text
        assert "016 123 4567" in text  # how to cancel
        assert "Bring your CV." in text and "Coffee is served." in text
        assert "Pekka Ylitalo" in text and "Staffing Oy" in text
    # another participant's name is never on someone's page
    assert "John Smith" not in texts[0]


def test_online_event_gives_the_link_not_the_address():
    detail = event(online_link="https://meet.example/abc", sessions=(
        SessionRow(id="s1", event_id="e1", number=1,
                   starts_at=datetime(2026, 12, 8, 8, tzinfo=UTC),
                   ends_at=datetime(2026, 12, 8, 10, tzinfo=UTC), room_id=None,
                   room_name="", online_link="https://meet.example/abc", cancelled=False),))
    place = LetterPlace("Osaamo", "Rovakatu 2, 96200 Rovaniemi", "")
    [text] = pages(render_invitations(detail, [participant("en", "John Smith")], place,
                                      date(2026, 12, 1)))
    assert "https://meet.example/abc" in text
    assert "Rovakatu 2" not in text.split("Place", 1)[1]
