"""The quarterly export for the ministry (TEM) and the ELY centre (#25, item 4).

Layout: one table whose rows are the agreed indicators and whose columns are the
quarter's three months and the quarter as a whole (the ministry compares quarters with
each other itself; the months show the trend within one). Every figure is read off an
existing report (catalogue.REPORTS) run through ReportService.run over the month or over
the quarter with the same service point and team, so it is exactly the figure the
Reports page and `report NAME` show for that range; each row names its report. A share
over the quarter is therefore counted from the quarter's cases, never averaged.

The set, as the ministry and the ELY centre follow an employment area: visits by channel,
new job seekers registered, customers in caseloads, the statutory steps on time (initial
interviews, job-search conversations, plan reviews, activation and integration plans when
those reports exist), case exits by reason, employed or studying within 3, 6 and 12
months, customers crossing 100 days, plans made, customer feedback, purchased services'
effect at 3 and 6 months and their euros by municipality against the cost split.

CSV and XLSX follow app.services.reports.export (UTF-8 with BOM, `;`, the language's
decimal separator, shares as percent numbers; typed numbers with formats in XLSX), with a
unit column since a row's unit is the row's own."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from babel import numbers as babel_numbers

from app.dto.quarterly import (
    EURO,
    Indicator,
    QuarterlyReport,
    area_text,
    column_titles,
    detail_text,
    last_complete_quarter,
    notes,
    period_text,
    quarter_range,
    unit_text,
    value_text,
)
from app.dto.reports import (
    COUNT,
    MONTH,
    NUMBER,
    PERCENT,
    ChartSpec,
    Column,
    Label,
    ReportFilter,
    ReportInputs,
    ReportTable,
)
from app.i18n import N_, babel_locale, format_datetime, translate_in
from app.rules.codes import LABELS, CaseExitReason, Channel, Role
from app.rules.spreadsheet import safe_cell, safe_xlsx_text
from app.services.errors import ValidationFailed
from app.services.reports.catalogue import REPORTS
from app.services.reports.export import CSV_DELIMITER
from app.services.reports.periods import period_end, with_partial

if TYPE_CHECKING:
    from app.services.reports.service import ReportService

ACTIVITY = N_("Activity")
TIMELINESS = N_("Statutory timeliness")
OUTCOMES = N_("Outcomes")
PURCHASED = N_("Purchased services")
FORMATS = ("csv", "xlsx", "pdf", "text")

# The statutory steps, in this order; a report not (yet) in the catalogue is left out.
TIMELINESS_REPORTS = ("initial_interviews_on_time", "job_search_conversations_on_time",
                      "plan_reviews_on_time", "activation_plans_on_time",
                      "integration_plans_on_time")
# Of each: (column key, kind). The share first: the figure the targets are set for.
TIMELINESS_FIGURES = (("share_on_time", PERCENT), ("due", COUNT), ("held_on_time", COUNT),
                      ("late", COUNT), ("not_yet_held", COUNT))
ALL_CUSTOMERS = "All customers"  # the timeliness reports' first row (their msgid)


def check_quarter(year: int, quarter: int, today: date) -> None:
    if not 1 <= quarter <= 4:
        raise ValidationFailed({"quarter": N_("The quarter is 1, 2, 3 or 4.")})
    if not 2000 <= year <= 2100:
        raise ValidationFailed({"year": N_("The year is not valid.")})
    if quarter_range(year, quarter)[0] > today:
        raise ValidationFailed({"quarter": N_("The quarter has not begun yet.")})


def months_of(first: date) -> tuple[date, ...]:
    return tuple(date(first.year, first.month + i, 1) for i in range(3))


def default_quarter(today: date) -> tuple[int, int]:
    return last_complete_quarter(today)


@dataclass
class _Runs:
    """Each source report run over the three months and over the quarter."""

    service: ReportService
    filters: tuple[ReportFilter, ...]  # the three months, then the quarter
    inputs: ReportInputs
    found: dict[str, tuple[ReportTable, ...]]

    def tables(self, name: str) -> tuple[ReportTable, ...] | None:
        if name not in REPORTS:
            return None
        if name not in self.found:
            self.found[name] = tuple(self.service.run(name, f, self.inputs)
                                     for f in self.filters)
        return self.found[name]

    def quarter(self, name: str) -> ReportTable | None:
        tables = self.tables(name)
        return tables[-1] if tables else None

    def title_of(self, name: str, key: str) -> Label | None:
        """The title of a source report's column (a message id), as a detail."""
        table = self.quarter(name)
        if table is None:
            return None
        return Label(table.columns[table.column(key)].title)


def _total(key: str) -> Callable[[ReportTable], Any]:
    def read(table: ReportTable) -> Any:
        return table.total[table.column(key)] if table.total else None
    return read


def _known_total(key: str) -> Callable[[ReportTable], Any]:
    """The total of a share over months, only when every month with registrations has
    its figure known (employed_within's total counts the known months only: a quarter
    whose last month is not yet known would read as the whole quarter's)."""
    def read(table: ReportTable) -> Any:
        if table.total is None:
            return None
        registered, share = table.column("registered"), table.column(key)
        if any(row[share] is None and (row[registered] or 0) > 0 for row in table.rows):
            return None
        return table.total[share]
    return read


def _row(label: str, key: str) -> Callable[[ReportTable], Any]:
    """The figure in the row whose first cell is `label` (None when there is none)."""
    def read(table: ReportTable) -> Any:
        for row in table.rows:
            if str(row[0]) == label:
                return row[table.column(key)]
        return None
    return read


def compute(service: ReportService, year: int, quarter: int,
            service_point_id: str | None = None, team_id: str | None = None
            ) -> QuarterlyReport:
    inputs = service.inputs()
    today = inputs.today
    check_quarter(year, quarter, today)
    first, last = quarter_range(year, quarter)
    months = months_of(first)
    filters = (*(ReportFilter(m, period_end(m, MONTH), service_point_id, team_id)
                 for m in months), ReportFilter(first, last, service_point_id, team_id))
    runs = _Runs(service, filters, inputs, {})
    indicators: list[Indicator] = []

    def add(key: str, section: str, title: str, detail: str | None, kind: str, source: str,
            read: Callable[[ReportTable], Any], months_too: bool = True) -> None:
        tables = runs.tables(source)
        if tables is None:
            return
        # A month not yet begun has no figure (not a zero).
        values = tuple(read(table) if (months_too or n == 3)
                       and (n == 3 or months[n] <= today) else None
                       for n, table in enumerate(tables))
        indicators.append(Indicator(key, section, title, detail, kind, source,
                                    REPORTS[source].title, values))

    # --- activity -------------------------------------------------------------------
    add("visits.total", ACTIVITY, N_("Visits"), Label(N_("Total")), COUNT,
        "visits_by_channel", _total("total"))
    for channel in Channel:
        add(f"visits.{channel.value}", ACTIVITY, N_("Visits"), Label(LABELS[channel]),
            COUNT, "visits_by_channel", _total(channel.value))
    add("registered", ACTIVITY, N_("New job seekers registered"), None, COUNT,
        "employed_within", _total("registered"))
    add("caseloads.customers", ACTIVITY, N_("Customers in caseloads"),
        Label(N_("On the day the export was made")), COUNT, "caseloads",
        _total("customers"), months_too=False)
    add("caseloads.over_cap", ACTIVITY, N_("Customers in caseloads"),
        Label(N_("Over the cap")), COUNT, "caseloads", _total("over_cap"), months_too=False)
    add("plans.accepted", ACTIVITY, N_("Plans accepted"), None, COUNT, "plans",
        _total("accepted"))
    add("plans.new", ACTIVITY, N_("First plans"), None, COUNT, "plans", _total("new"))

    # --- statutory timeliness -------------------------------------------------------
    for name in TIMELINESS_REPORTS:
        quarter_table = runs.quarter(name)
        if quarter_table is None:
            continue
        keys = {c.key: c for c in quarter_table.columns}
        for key, kind in TIMELINESS_FIGURES:
            if key in keys:
                add(f"{name}.{key}", TIMELINESS, REPORTS[name].title,
                    Label(keys[key].title), kind, name, _row(ALL_CUSTOMERS, key))

    # --- outcomes -------------------------------------------------------------------
    add("exits.total", OUTCOMES, N_("Case exits"), Label(N_("Total")), COUNT,
        "exits_by_reason", _total("total"))
    for reason in CaseExitReason:
        add(f"exits.{reason.value}", OUTCOMES, N_("Case exits"), Label(LABELS[reason]),
            COUNT, "exits_by_reason", _total(reason.value))
    for months_after in (3, 6, 12):
        key = f"within_{months_after}"
        add(f"employed_within.{months_after}", OUTCOMES,
            N_("Employed or studying, of those registered"),
            runs.title_of("employed_within", key), PERCENT, "employed_within",
            _known_total(key))
    add("hundred_days", OUTCOMES, N_("Customers crossing 100 days of unemployment"), None,
        COUNT, "hundred_days", _total("customers"))
    add("feedback.answers", OUTCOMES, N_("Customer feedback"), Label(N_("Answers")), COUNT,
        "feedback", _total("answers"))
    add("feedback.satisfied", OUTCOMES, N_("Customer feedback"),
        Label(N_("Satisfied, 4–5 (%)")), PERCENT, "feedback", _total("satisfied"))

    # --- purchased services ---------------------------------------------------------
    for months_after in (3, 6):
        for key, kind in ((f"counted_{months_after}", COUNT),
                          (f"share_{months_after}", PERCENT)):
            add(f"purchased_effect.{key}", PURCHASED,
                N_("Employed or studying 3 and 6 months after a service"),
                runs.title_of("purchased_effect", key), kind, "purchased_effect",
                _total(key))
    euros = runs.quarter("purchased_euros")
    if euros is not None:
        add("euros.total", PURCHASED, N_("Purchased services and decisions (€)"),
            Label(N_("Total")), EURO, "purchased_euros", _total("total_eur"))
        cost_share = euros.column("cost_share")
        split = [row[0] for row in euros.rows if row[cost_share] is not None]
        for key, title, kind, rows in (
            ("total_eur", N_("Purchased services and decisions (€)"), EURO,
             [row[0] for row in euros.rows]),
            ("euro_share", N_("Share of euros (%)"), PERCENT, [row[0] for row in euros.rows]),
            ("cost_share", N_("Cost share (%)"), PERCENT, split),
            ("by_split_eur", N_("By the cost split (€)"), EURO, split),
        ):
            for detail in rows:  # a Label: a msgid, or a municipality's name as stored
                add(f"{key}.{detail}", PURCHASED, title, detail, kind, "purchased_euros",
                    _row(str(detail), key))

    point_name, team_name = _names(service, service_point_id, team_id)
    actor = service.ctx.signed_in
    return QuarterlyReport(
        year=year, quarter=quarter, months=months, filter=filters[-1],
        service_point=point_name, team=team_name, made_at=service.ctx.now(),
        role=str(actor.role), counted_to=today if last >= today else None,
        indicators=tuple(indicators), charts=_charts(runs, indicators, filters[-1], today))


def _names(service: ReportService, point: str | None, team: str | None
           ) -> tuple[str | None, str | None]:
    if point is None and team is None:
        return None, None
    options = service.options()
    points = {o.id: o.name for o in options.service_points}
    teams = {o.id: o.name for o in options.teams}
    return (points.get(point, point) if point else None,
            teams.get(team, team) if team else None)


# --- the charts of the PDF --------------------------------------------------------------


def _monthly(name: str, title: str, months: tuple[date, ...], series: list[Indicator],
             chart: ChartSpec, f: ReportFilter, today: date) -> ReportTable:
    """The indicators `series` per month as a report table the report charts draw."""
    kind = series[0].kind if series else COUNT
    columns = (Column("month", N_("Month"), MONTH),
               *(Column(i.key.replace(".", "_"), i.detail or i.title, kind) for i in series))
    rows = tuple((m, *(i.values[n] for i in series)) for n, m in enumerate(months))
    return with_partial(ReportTable(name, title, columns, rows, chart), f, today)


def _charts(runs: _Runs, indicators: list[Indicator], f: ReportFilter, today: date
            ) -> tuple[ReportTable, ...]:
    months = months_of(f.date_from)
    by_key = {i.key: i for i in indicators}
    charts: list[ReportTable] = []
    shares = [Indicator(i.key, i.section, i.title, i.source_title, i.kind, i.source,
                        i.source_title, i.values)
              for i in indicators if i.section == TIMELINESS and i.key.endswith(".share_on_time")]
    if shares:
        keys = tuple(i.key.replace(".", "_") for i in shares)
        charts.append(_monthly("quarterly_timeliness", N_("Statutory steps on time per month"),
                               months, shares, ChartSpec("bars", "month", keys, percent=True),
                               f, today))
    channels = [by_key[f"visits.{c.value}"] for c in Channel if f"visits.{c.value}" in by_key]
    if channels:
        keys = tuple(i.key.replace(".", "_") for i in channels)
        charts.append(_monthly("quarterly_visits", N_("Visits per month by channel"), months,
                               channels, ChartSpec("stacked", "month", keys), f, today))
    for name in ("initial_interviews_on_time", "exits_by_reason", "feedback",
                 "purchased_euros"):
        table = runs.quarter(name)
        if table is not None and table.rows:
            charts.append(table)
    return tuple(charts)


# --- CSV and XLSX -----------------------------------------------------------------------


def _csv_number(indicator: Indicator, value: Any, lang: str) -> str:
    if value is None:
        return ""
    if indicator.kind == PERCENT:
        value = round(100 * value, 1)
    elif indicator.kind == EURO:
        value = f"{value:.2f}"
    elif indicator.kind == NUMBER:
        value = round(value, 1)
    return str(value).replace(".", babel_numbers.get_decimal_symbol(babel_locale(lang)))


def headers(report: QuarterlyReport, lang: str) -> list[str]:
    def t(msgid: str) -> str:
        return translate_in(lang, msgid)

    return [t(N_("Section")), t(N_("Indicator")), t(N_("Measure")), t(N_("Unit")),
            *column_titles(report, lang), t(N_("Source report")), t(N_("Report name"))]


def text_row(indicator: Indicator, lang: str) -> list[str]:
    """The text cells of a row: section, indicator, measure, unit."""
    return [translate_in(lang, indicator.section), translate_in(lang, indicator.title),
            detail_text(indicator, lang), unit_text(indicator, lang)]


def to_csv(report: QuarterlyReport, lang: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers(report, lang)])
    for indicator in report.indicators:
        writer.writerow([*(safe_cell(v) for v in text_row(indicator, lang)),
                         *(_csv_number(indicator, v, lang) for v in indicator.values),
                         safe_cell(translate_in(lang, indicator.source_title)),
                         indicator.source])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_XLSX_FORMATS = {COUNT: "#,##0", PERCENT: "0.0 %", EURO: '#,##0.00 "€"', NUMBER: "0.0"}


def made_text(report: QuarterlyReport, lang: str) -> str:
    """"Made 20.1.2027 10.00 by a team lead" (the role, never the person)."""
    return translate_in(lang, N_("Made {time} by: {role}")).format(
        time=format_datetime(report.made_at, "short", lang),
        role=translate_in(lang, LABELS[Role(report.role)]))


def document_title(lang: str) -> str:
    return translate_in(lang, N_("Quarterly indicators for the ministry and the ELY centre"))


def to_xlsx(report: QuarterlyReport, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = translate_in(lang, N_("Q{quarter} {year}")).format(
        quarter=report.quarter, year=report.year)
    for text, font in ((document_title(lang), Font(bold=True, size=13)),
                       (period_text(report, lang), Font(bold=True)),
                       (area_text(report, lang), None), (made_text(report, lang), None)):
        sheet.append([safe_xlsx_text(text)])
        if font is not None:
            sheet.cell(sheet.max_row, 1).font = font
    sheet.append([])
    sheet.append([safe_xlsx_text(h) for h in headers(report, lang)])
    head = sheet.max_row
    for cell in sheet[head]:
        cell.font = Font(bold=True)
    for indicator in report.indicators:
        sheet.append([*(safe_xlsx_text(v) for v in text_row(indicator, lang)),
                      *indicator.values,
                      safe_xlsx_text(translate_in(lang, indicator.source_title)),
                      indicator.source])
        for figure in sheet[sheet.max_row][4:8]:
            figure.number_format = _XLSX_FORMATS[indicator.kind]
    sheet.append([])
    for note in notes(report, lang):
        sheet.append([safe_xlsx_text(note)])
    for index, width in enumerate((22, 40, 30, 8, 15, 15, 15, 15, 40, 32), 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"E{head + 1}"  # the names stay in view
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_text(report: QuarterlyReport, lang: str) -> bytes:
    """The indicators as an aligned plain-text table (the command line's default)."""
    head = [translate_in(lang, N_("Indicator")), translate_in(lang, N_("Measure")),
            *column_titles(report, lang), translate_in(lang, N_("Report name"))]
    lines = [head]
    for indicator in report.indicators:
        lines.append([translate_in(lang, indicator.title), detail_text(indicator, lang),
                      *(value_text(indicator, v, lang) for v in indicator.values),
                      indicator.source])
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    numeric = range(2, 6)
    out = [document_title(lang), period_text(report, lang), area_text(report, lang),
           made_text(report, lang), ""]
    for n, line in enumerate(lines):
        out.append("  ".join(v.rjust(w) if i in numeric else v.ljust(w)
                             for i, (v, w) in enumerate(zip(line, widths, strict=True)))
                   .rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join([*out, "", *notes(report, lang)]).encode() + b"\n"


def render(report: QuarterlyReport, fmt: str, lang: str) -> bytes:
    if fmt == "text":
        return to_text(report, lang)
    if fmt == "csv":
        return to_csv(report, lang)
    if fmt == "xlsx":
        return to_xlsx(report, lang)
    from app.printing.quarterly_pdf import render_quarterly

    return render_quarterly(report, lang)
