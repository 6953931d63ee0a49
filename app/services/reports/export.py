"""CSV and XLSX of one report, in the current UI language.

CSV is written for Excel as the staff open it, on Finnish or Swedish Windows: UTF-8 with
a byte-order mark (else Excel reads Ä and Ö as cp1252), `;` between fields (the list
separator of those locales, where `,` is the decimal comma), decimals with the language's
separator and no grouping, dates as ISO 8601 (Excel reads them as dates in any locale),
shares as percent numbers (the column titles say "%"). XLSX keeps real numbers and dates
with number formats, so no locale guessing happens there at all. Every text cell of both
(a name, a title) passes app.rules.spreadsheet: a formula in it is shown, never run; the
figures, written as numbers, are not touched."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from babel import numbers as babel_numbers

from app.dto.report_display import partial_note
from app.dto.reports import (
    COUNT,
    MONTH,
    NUMBER,
    PERCENT,
    WEEK,
    Column,
    ReportTable,
    shown,
)
from app.i18n import _, babel_locale
from app.rules.spreadsheet import safe_cell, safe_xlsx_text

CSV_DELIMITER = ";"


def header(column: Column) -> str:
    return column.title if column.literal else _(column.title)


def all_rows(table: ReportTable) -> list[tuple[Any, ...]]:
    return [*table.rows, *([table.total] if table.total else [])]


def _csv_value(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(str(shown(value, _)))
    if isinstance(value, date):
        return value.isoformat()[:7] if column.kind == MONTH else value.isoformat()
    if column.kind == PERCENT:
        value = round(100 * value, 1)
    elif column.kind == NUMBER:
        value = round(value, 1)
    decimal = babel_numbers.get_decimal_symbol(babel_locale())
    return str(value).replace(".", decimal)


def to_csv(table: ReportTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([safe_cell(header(c)) for c in table.columns])
    for row in all_rows(table):
        writer.writerow([_csv_value(c, v) for c, v in zip(table.columns, row, strict=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_FORMATS = {PERCENT: "0.0 %", NUMBER: "0.0", COUNT: "0", WEEK: "yyyy-mm-dd",
            MONTH: "yyyy-mm"}


def _xlsx_value(value: object) -> object:
    """A text made safe (app.rules.spreadsheet); a number or a date stays what it is."""
    return safe_xlsx_text(value) if isinstance(value, str) else value


def to_xlsx(table: ReportTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = table.name[:31]
    sheet.append([safe_xlsx_text(_(table.title))])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([safe_xlsx_text(header(c)) for c in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, row in enumerate(all_rows(table)):
        sheet.append([_xlsx_value(shown(v, _)) for v in row])
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            if column.kind in _FORMATS and not isinstance(cell.value, str):
                cell.number_format = _FORMATS[column.kind]
            if table.partial_row(number) and number < len(table.rows):
                cell.font = Font(italic=True)  # an incomplete period, as on screen
    if table.total:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for note in (table.note_text(_), partial_note(table)):
        if note:
            sheet.append([])
            sheet.append([safe_xlsx_text(note)])
    for index, column in enumerate(table.columns, 1):
        width = max(len(header(column)), 10)
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 40)
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
