"""The annual calendar prints on ONE landscape A4 page with all twelve months, their
themes and events readable, however full the year is."""

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from app.dto.events import AnnualCalendar, AnnualMonth, EventRow, ThemeRow
from app.printing.annual_calendar import month_name, render_annual_calendar

MONTHS = {"fi": ("Tammikuu", "Kesäkuu", "Joulukuu"),
          "sv": ("Januari", "Juni", "December"),
          "en": ("January", "June", "December")}


def ev(month, n, annual=False):
    return EventRow(id=f"e{month}-{n}", service_point_id="p", service_point_name="Osaamo",
                    kind="service_info", status="planned", title=f"Palveluinfo {month}/{n}",
                    language="fi", capacity=None,
                    starts_at=datetime(2027, month, 1 + n % 28, 8, tzinfo=UTC),
                    ends_at=datetime(2027, month, 1 + n % 28, 9, tzinfo=UTC), sessions=1,
                    registered=0, waiting=0, invited=0, annual=annual)


def calendar(events_per_month):
    return AnnualCalendar(2027, None, tuple(
        AnnualMonth(m, (ThemeRow(f"t{m}", 2027, m, f"Teema {m}", "", None, ""),),
                    tuple(ev(m, n, annual=n == 0) for n in range(events_per_month)))
        for m in range(1, 13)))


def read(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_twelve_months_on_one_landscape_page(lang):
    reader, text = read(render_annual_calendar(calendar(3), "Osaamo", lang))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    for name in MONTHS[lang]:
        assert name in text
    for m in range(1, 13):
        assert month_name(m, lang) in text
        assert f"Teema {m}" in text
        assert f"Palveluinfo {m}/2" in text
    assert "↻" in text and "2027" in text and "Osaamo" in text


def test_a_full_year_still_fits_one_page():
    reader, text = read(render_annual_calendar(calendar(30), "", "fi"))
    assert len(reader.pages) == 1
    assert "Teema 12" in text and "Joulukuu" in text
    assert "+ 20" in text  # shortened, not spilled onto a second page


def test_an_event_held_several_times_a_month_is_one_line_with_its_days():
    from datetime import UTC, datetime

    from app.dto.events import EventRow
    from app.printing.annual_lines import month_lines

    def row(day: int, title: str, annual: bool) -> EventRow:
        when = datetime(2027, 3, day, 11, 0, tzinfo=UTC)
        return EventRow(f"e{day}", "sp", "Osaamo", "service_info", "planned", title, "fi",
                        None, when, when, 1, 0, 0, 0, annual=annual)

    lines = month_lines([row(16, "Palveluinfo", True), row(2, "Palveluinfo", True),
                         row(9, "Starttiaamu", False), row(23, "Palveluinfo", True)],
                        lambda when: f"{when.day}.{when.month}.")
    assert lines == ["Palveluinfo ↻: 2.3., 16.3., 23.3.", "9.3. Starttiaamu"]
