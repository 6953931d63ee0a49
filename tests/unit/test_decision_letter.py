"""The decision letter read back from the PDF in Finnish, Swedish and English: through the
service (the customer's language chosen, the print audited) and rendered directly for
an ended and a replaced decision."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.dto.decisions import DecisionInput
from app.i18n import translate_in
from app.models import AuditEvent
from app.printing.style import PDF_LANG
from tests.factories import Clock, customer_input

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
# Babel's own ways (sv_FI writes dates as Finnish does): the dates and euros of the
# letter are in the letter's language.
SHOWN = {"fi": ("24.11.2026", "6 000,00 €", "Palkkatuki"),
         "sv": ("24.11.2026", "6 000,00 €", "Lönesubvention"),
         "en": ("24/11/2026", "€6,000.00", "Pay subsidy")}


def text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    raw = " ".join(p.extract_text() for p in reader.pages)
    return reader, re.sub(r"\s+", " ", raw.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.fixture
def coach(signed_in):
    signed_in.ctx.now = Clock(START)
    return signed_in


def decided(services, lang, individual=301):
    cid = services.customers.create(customer_input(
        "Guttorm", "Máret Čuovga", date(2001, 5, 30), individual, language=lang)).id
    d = services.decisions.draft(cid, DecisionInput(
        kind="pay_subsidy", employer_name="Lapin Kone Oy", employer_business_id="2077474-0",
        starts_on=TODAY, ends_on=TODAY + timedelta(days=180), hours_per_week=37.5,
        percentage=50, amount_cents=600000, paying_municipality="Ranua"))
    services.auth.sign_out()
    services.auth.sign_in("lead", "demo")
    services.decisions.decide(d.id)
    return d.id


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_letter_reads_back_in_the_customers_language(coach, lang):
    decision_id = decided(coach, lang)
    reader, shown = text(coach.decisions.letter_pdf(decision_id))
    day, euros, kind = SHOWN[lang]
    for expected in (kind, "Lapin Kone Oy", "2077474-0", day, euros, "Ranua", "50 %",
                     "Liisa Lead", "Máret Čuovga Guttorm",
                     translate_in(lang, "Printed on {date}").format(date=day),
                     translate_in(lang, "Decided")):
        assert expected in shown, (lang, expected, shown)
    assert ("37,5" if lang != "en" else "37.5") in shown
    assert reader.trailer["/Root"]["/Lang"] == PDF_LANG[lang]
    with coach.ctx.session_factory() as s:
        printed = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "decision.print")).all()
    assert [e.entity_id for e in printed] == [decision_id]
    assert "Lapin" not in (printed[0].detail or "")


def test_an_unknown_language_prints_in_finnish(coach):
    decision_id = decided(coach, "se")  # Northern Sami: no letter language of its own
    _reader, shown = text(coach.decisions.letter_pdf(decision_id))
    assert "Palkkatuki" in shown and "24.11.2026" in shown


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_ended_and_replaced_letters(coach, lang):
    decision_id = decided(coach, lang)
    ends = TODAY + timedelta(days=40)
    coach.decisions.end_early(decision_id, ends, "Työsuhde päättyi koeajalla")
    _r, shown = text(coach.decisions.letter_pdf(decision_id))
    assert translate_in(lang, "Ended early") in shown
    assert "Työsuhde päättyi koeajalla" in shown
    end_day = {"fi": "3.1.2027", "sv": "3.1.2027", "en": "03/01/2027"}[lang]
    assert end_day in shown

    other = decided(coach, lang, individual=302)
    coach.ctx.now.advance(60 * 24 * 2)  # the replacement is decided two days later
    new = coach.decisions.replace(other)
    coach.decisions.decide(new.id)
    _r, shown = text(coach.decisions.letter_pdf(other))
    later = {"fi": "26.11.2026", "sv": "26.11.2026", "en": "26/11/2026"}[lang]
    assert translate_in(lang, "Replaced") in shown
    assert later in shown  # the replacing decision named by its day
    _r, shown = text(coach.decisions.letter_pdf(new.id, lang))
    # The replacement's own letter: decided on the later day, naming the one it replaces.
    assert later in shown and SHOWN[lang][0] in shown
