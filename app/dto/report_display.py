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
    ReportTable,
)
from app.i18n import babel_locale, current_language, format_date, translate_in


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
        return babel_dates.format_date(value, "d.M.", locale=babel_locale(lang))
    if column.kind == MONTH and isinstance(value, date):
        return babel_dates.format_date(value, "LLL yy", locale=babel_locale(lang))
    if column.kind == HOUR:
        return str(value)
    return cell(column, value, lang)


def text_rows(table: ReportTable, lang: str | None = None) -> list[list[str]]:
    rows = [*table.rows, *([table.total] if table.total else [])]
    return [[cell(c, v, lang) for c, v in zip(table.columns, r, strict=True)] for r in rows]
