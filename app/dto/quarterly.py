"""The quarterly export for the ministry (TEM) and the ELY centre (#25): the agreed
indicators of one quarter, each a row with the figures of the quarter's three months and
of the quarter as a whole, and the report each figure is taken from.

Every figure is a figure of an existing report (app.services.reports.catalogue) run over
the month or the quarter, so the export adds up with the other reports; the views, the
exports, the PDF and the CLI read these plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel import dates as babel_dates

from app.dto.report_display import format_decimal
from app.dto.reports import COUNT, NUMBER, PERCENT, ReportFilter, ReportTable, shown
from app.i18n import N_, babel_locale, format_date, translate_in

EURO = "euro"  # an amount in euros (the other kinds are those of app.dto.reports)
UNITS = {COUNT: N_("number"), PERCENT: "%", EURO: "€", NUMBER: N_("days")}


@dataclass(frozen=True)
class Indicator:
    """One row: `values` are the three months, then the quarter (None: not known, or
    not a figure of a month: the caseloads are counted on the day the export is made)."""

    key: str  # stable, for machines: "visits.phone", "initial_interviews_on_time.share"
    section: str  # message id
    title: str  # message id
    detail: str | None  # a message id (Label) or a name from the data (a municipality)
    kind: str  # COUNT, PERCENT, NUMBER or EURO
    source: str  # the report's name in REPORTS (`report NAME` on the command line)
    source_title: str  # message id
    values: tuple[Any, ...]


@dataclass(frozen=True)
class QuarterlyReport:
    year: int
    quarter: int
    months: tuple[date, ...]  # the first day of each month of the quarter
    filter: ReportFilter  # the quarter, and the service point or team if chosen
    service_point: str | None  # names (None: the whole area)
    team: str | None
    made_at: datetime  # the context clock
    role: str  # rules.codes.Role value of the one who made it (no personal data)
    counted_to: date | None  # the quarter is not over: the figures go up to this day
    indicators: tuple[Indicator, ...]
    # The source reports over the quarter, drawn in the PDF as the reports PDF does.
    charts: tuple[ReportTable, ...] = ()


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    last = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1))
    return first, date.fromordinal(last.toordinal() - 1)


def last_complete_quarter(today: date) -> tuple[int, int]:
    """The quarter before the one `today` falls in."""
    quarter = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)


def t(lang: str, msgid: str) -> str:
    return translate_in(lang, msgid)


def quarter_title(year: int, quarter: int, lang: str) -> str:
    return t(lang, N_("Quarter {quarter}/{year}")).format(quarter=quarter, year=year)


def month_title(first: date, lang: str) -> str:
    text = babel_dates.format_date(first, "LLLL yyyy", locale=babel_locale(lang))
    return text[:1].upper() + text[1:]


def column_titles(report: QuarterlyReport, lang: str) -> list[str]:
    return [*(month_title(m, lang) for m in report.months),
            quarter_title(report.year, report.quarter, lang)]


def detail_text(indicator: Indicator, lang: str) -> str:
    if indicator.detail is None:
        return ""
    return str(shown(indicator.detail, lambda m: t(lang, m)))


def unit_text(indicator: Indicator, lang: str) -> str:
    return t(lang, UNITS[indicator.kind])


def value_text(indicator: Indicator, value: Any, lang: str) -> str:
    """A figure as shown on paper: "1 234", "95,2 %", "1 234,50 €", "–" when unknown."""
    if value is None:
        return "–"
    if indicator.kind == PERCENT:
        return format_decimal(100 * value, "0.0", lang) + " %"
    if indicator.kind == EURO:
        return format_decimal(value, "#,##0.00", lang) + " €"
    if indicator.kind == NUMBER:
        return format_decimal(value, "#,##0.0", lang)
    return format_decimal(value, "#,##0", lang)


def area_text(report: QuarterlyReport, lang: str) -> str:
    """"Rovaseutu employment area · All service points · All teams"."""
    return "  ·  ".join((t(lang, N_("Rovaseutu employment area")),
                         report.service_point or t(lang, N_("All service points")),
                         report.team or t(lang, N_("All teams"))))


def period_text(report: QuarterlyReport, lang: str) -> str:
    """"Quarter 4/2026 (1.10.2026–31.12.2026)"."""
    f = report.filter
    return "{} ({}–{})".format(quarter_title(report.year, report.quarter, lang),
                               format_date(f.date_from, "short", lang),
                               format_date(f.date_to, "short", lang))


def notes(report: QuarterlyReport, lang: str) -> list[str]:
    """What the reader must know to read the figures right."""
    out = [t(lang, N_(
        "Each figure is the figure of the named report run over the month or over the "
        "quarter, so it adds up with that report. A share over the quarter is counted "
        "from the quarter's cases, not as a mean of the months. Customers in caseloads "
        "are counted on the day the export was made. – : not known yet or no cases."))]
    if report.counted_to is not None:
        out.append(t(lang, N_("The quarter is not over: the figures are counted up to "
                              "{date}.")).format(date=format_date(report.counted_to,
                                                                  "short", lang)))
    return out
