"""The appointment letter read back from the PDF in Finnish, Swedish and English."""

import io
import re
import subprocess
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from app.dto.appointments import AppointmentLetter
from app.i18n import translate_in
from app.printing.appointment_letter import BRING, render_letter

# Babel's own words for the date: proof the letter's dates are in the letter's language.
DATE_WORDS = {"fi": ("tiistai", "marraskuuta", "10.00–11.00"),
              "sv": ("tisdag", "november", "10.00–11.00"),
              "en": ("Tuesday", "November", "10:00–11:00")}


def letter(lang="fi", channel="service_point", **kw):
    values = dict(
        lang=lang, customer_name="Máret Čuovga Guttorm", customer_address="Kairatie 1\n96400 "
        "ROVANIEMI", type="initial_interview", channel=channel,
        starts_at=datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
        ends_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC), staff_name="Pekka Ylitalo",
        staff_phone="040 123 4567", service_point_name="Ranua",
        service_point_address="Keskustie 10, 97700 Ranua", service_point_phone="016 355 0000",
        room="Huone 3", video_link=None, printed_at=datetime(2026, 11, 20, 9, tzinfo=UTC))
    values.update(kw)
    return AppointmentLetter(**values)


def text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_letter_reads_back_in_its_language(lang):
    reader, body = text(render_letter(letter(lang)))
    t = lambda msgid: translate_in(lang, msgid)  # noqa: E731
    assert len(reader.pages) == 1
    assert "Máret Čuovga Guttorm" in body  # Sámi letters survive
    for word in DATE_WORDS[lang]:
        assert word in body
    for msgid in ("Your appointment", "Initial interview", "Please bring", "Place"):
        assert t(msgid) in body
    for item in BRING["initial_interview"]:
        assert t(item) in body
    assert "Keskustie 10, 97700 Ranua" in body and "Huone 3" in body
    assert "016 355 0000" in body  # how to cancel
    assert reader.metadata.title == t("Your appointment")
    fonts = {f["/BaseFont"] for page in reader.pages
             for f in page["/Resources"]["/Font"].get_object().values()}
    assert all("DejaVu" in str(f) for f in fonts)


def test_video_letter_has_the_link_and_no_room(tmp_path):
    pdf = render_letter(letter("en", "video", room=None,
                               video_link="https://video.example.org/abc"))
    _reader, body = text(pdf)
    assert "https://video.example.org/abc" in body
    assert "Huone" not in body
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    shown = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    if shown.returncode == 0:
        assert "video" in shown.stdout.lower()
