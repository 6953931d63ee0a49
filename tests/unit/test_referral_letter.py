"""The referral letter to the provider and the customer's own copy, read back in Finnish,
Swedish and English (#20)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from app.i18n import format_date, translate_in
from app.models import Customer, Staff
from app.printing import referral_letter
from app.printing.referral_letter import CUSTOMER_TITLE, PROVIDER_TITLE
from app.rules.codes import ReferralState
from tests.factories import Clock, customer_input
from tests.unit.test_referrals import seed_contract

TODAY_UTC = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
SERVICE = {"fi": "Yksilövalmennus", "sv": "Individuell coachning", "en": "Individual coaching"}


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def referral(signed_in):
    services = signed_in
    services.ctx.now = Clock(TODAY_UTC)
    contract = seed_contract(services)
    cid = services.customers.create(customer_input(
        "Lindqvist", "Saga", date(1992, 4, 2), 481, phone="040 555 1234",
        street_address="Pohjolankatu 3 A 5", postal_code="96100", post_office="Rovaniemi")).id
    services.coaching.assign(cid, "staff-coach", "Alkuhaastattelu")
    with services.ctx.session_factory.begin() as s:
        coach = s.get(Staff, "staff-coach")
        coach.phone, coach.email = "040 777 8888", "pekka.ylitalo@example.fi"
    row = services.referrals.refer(cid, contract, note="Aamupäivät sopivat parhaiten")
    services.referrals.advance(row.id, ReferralState.SENT)
    return services, cid, row.id


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_both_letters_print_in_the_customer_s_language(referral, lang):
    services, cid, referral_id = referral
    with services.ctx.session_factory.begin() as s:
        s.get(Customer, cid).language = lang
    data = services.referrals.letter(referral_id)
    assert data.language == lang
    provider = text_of(referral_letter.provider_letter_pdf(data))
    for expected in (translate_in(lang, PROVIDER_TITLE), "Saga Lindqvist", data.customer_number,
                     SERVICE[lang], "Valmennus Oy", "Yksilövalmennus 2026–2027",
                     "Pekka Ylitalo", "040 777 8888", "pekka.ylitalo@example.fi",
                     "Aamupäivät sopivat parhaiten",
                     format_date(date(2026, 11, 24), "short", lang)):
        assert expected in provider, expected
    # Never the identity code.
    with services.ctx.session_factory() as s:
        hetu = s.get(Customer, cid).hetu
    assert hetu not in provider
    copy = text_of(referral_letter.customer_copy_pdf(data))
    for expected in (translate_in(lang, CUSTOMER_TITLE), "Saga Lindqvist", SERVICE[lang],
                     "Valmennus Oy", "Koskikatu 1", "96100 Rovaniemi", "040 123 4567",
                     "info@valmennus.example", "Pekka Ylitalo"):
        assert expected in copy, expected
    assert hetu not in copy and "Aamupäivät" not in copy  # the note is the provider's
    both = PdfReader(io.BytesIO(services.referrals.letter_pdf(referral_id, "both")))
    assert len(both.pages) == 2


def test_a_language_outside_fi_sv_en_prints_in_finnish(referral):
    services, cid, referral_id = referral
    with services.ctx.session_factory.begin() as s:
        s.get(Customer, cid).language = "ru"
    data = services.referrals.letter(referral_id)
    assert data.language == "fi"
    assert SERVICE["fi"] in text_of(referral_letter.customer_copy_pdf(data))


def test_the_desk_gets_no_letter(referral):
    from app.services.errors import PermissionDenied

    services, _cid, referral_id = referral
    services.auth.sign_in("desk", "demo")
    with pytest.raises(PermissionDenied):
        services.referrals.letter(referral_id)
