"""How a report's values read on screen and on paper, in a given language (Babel)."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from app.dto.reports import (
    COUNT,
    HOUR,
    MONTH,
    NUMBER,
    PERCENT,
    WEEK,
    Column,
    Label,
    Partial,
    ReportTable,
)
from app.i18n import N_, babel_locale, current_language, format_date, format_day, translate_in


def format_decimal(value: float, pattern: str, lang: str) -> str:
    return babel_numbers.format_decimal(value, pattern, locale=babel_locale(lang))


def title(text: str, lang: str | None = None) -> str:
    return translate_in(lang or current_language(), text)


def header(column: Column, lang: str | None = None) -> str:
    return column.title if column.literal else title(column.title, lang)


def cell(column: Column, value: Any, lang: str | None = None) -> str:
    lang = lang or current_language()
    if value is None:
        return "–"
    if isinstance(value, Label):
        return translate_in(lang, value)
    if isinstance(value, str):
        return value
    if column.kind == WEEK and isinstance(value, date):
        return format_date(value, "short", lang)
    if column.kind == MONTH and isinstance(value, date):
        return babel_dates.format_date(value, "LLLL yyyy", locale=babel_locale(lang))
    if column.kind == HOUR:
        return f"{value:02d}–{(value + 1) % 24:02d}"
    if column.kind == COUNT:
        return format_decimal(value, "#,##0", lang)
    if column.kind == NUMBER:
        return format_decimal(value, "#,##0.0", lang)
    if column.kind == PERCENT:
        return format_decimal(100 * value, "0.0", lang) + " %"
    return str(value)


def axis_label(column: Column, value: Any, lang: str | None = None) -> str:
    """Shorter than `cell` where space is tight: the x axis of a chart."""
    lang = lang or current_language()
    if column.kind == WEEK and isinstance(value, date):
        return format_day(value, lang=lang)
    if column.kind == MONTH and isinstance(value, date):
        return babel_dates.format_date(value, "LLL yy", locale=babel_locale(lang))
    if column.kind == HOUR:
        return str(value)
    return cell(column, value, lang)


def text_rows(table: ReportTable, lang: str | None = None) -> list[list[str]]:
    rows = [*table.rows, *([table.total] if table.total else [])]
    return [[table_cell(table, i, j, lang) for j in range(len(table.columns))]
            for i in range(len(rows))]


def table_cell(table: ReportTable, row: int, column: int, lang: str | None = None) -> str:
    """A cell of the table as shown and printed: an incomplete period says so beside its
    date ("30.11.2026 (so far)"), as its bar in the chart is hatched."""
    values = table.total if row == len(table.rows) and table.total else table.rows[row]
    text = cell(table.columns[column], values[column], lang)
    partial = table.partial_row(row) if row < len(table.rows) else None
    if partial is not None and table.columns[column].key == table.chart.x:
        text = title(N_("{period} ({marker})"), lang).format(
            period=text, marker=partial_marker(partial, lang))
    return text


def partial_marker(partial: Partial, lang: str | None = None) -> str:
    return title(N_("so far") if partial.in_progress else N_("partial"), lang)


def partial_note(table: ReportTable, lang: str | None = None) -> str:
    """What the hatched bars and the marked rows are, with the days each one counts."""
    if not table.partial:
        return ""
    x = table.columns[table.column(table.chart.x)]
    lines = [title(N_("Hatched bars are periods not counted whole."), lang)]
    for p in table.partial:
        start = table.rows[p.row][table.column(x.key)]
        if x.kind == WEEK:
            period = title(N_("Week {n}"), lang).format(n=start.isocalendar().week)
        else:
            period = cell(x, start, lang)
            period = period[:1].upper() + period[1:]
        if p.in_progress:
            text = title(N_("{period} is not over: counted up to {date} so far."), lang)
            lines.append(text.format(period=period, date=format_date(p.last, "short", lang)))
        else:
            text = title(N_("{period}: only {first}–{last} are within the chosen dates."),
                         lang)
            lines.append(text.format(period=period, first=format_date(p.first, "short", lang),
                                     last=format_date(p.last, "short", lang)))
    return " ".join(lines)
