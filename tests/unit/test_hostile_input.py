"""Hostile input refused everywhere (issue #27, item 5): control characters, escape
sequences and direction overrides in any text a service writes; Excel's CSV dialects and
an over-long field in the customer import; formulas neutralised in every CSV and XLSX
the application writes."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app import i18n
from app.dto.reports import COUNT, NUMBER, TEXT, ChartSpec, Column, ReportTable
from app.models import Customer
from app.rules import spreadsheet, text_input
from app.services.appointments import REMINDER_COLUMNS, reminders_csv
from app.services.customer_import import read_rows
from app.services.errors import ValidationFailed
from app.services.reports.export import to_csv, to_xlsx
from app.services.text_guard import TextRefused
from tests.factories import Clock, add_people, customer_input
from tests.unit.test_appointment_service import COACH, add_hours, booking, local

NUL, ESC, RLO = "\x00", "\x1b[31m", "\u202e"
HOSTILE = {"NUL": f"Rova{NUL}niemi", "ESC": f"{ESC}Rovaniemi", "RLO": f"{RLO}imeinavoR"}
FORMULA = "=cmd|' /C calc'!A0"


# --- the rules ---------------------------------------------------------------------


@pytest.mark.parametrize("text, multiline, reason", [
    ("Rovaniemi", False, None),
    ("Aino-Maria O’Brien", False, None),
    ("Anna \"Anni\"", False, None),
    ("Rova\x00niemi", False, text_input.CONTROL),
    ("\x1b[2J\x1b[H", True, text_input.CONTROL),
    ("a\x7fb", False, text_input.CONTROL),
    ("a\x85b", False, text_input.CONTROL),  # C1 (NEL)
    ("a\ud800b", True, text_input.CONTROL),  # a lone surrogate
    ("two\nlines", False, text_input.LINE_BREAK),
    ("tab\there", False, text_input.LINE_BREAK),
    ("cr\rhere", False, text_input.LINE_BREAK),
    ("two\nlines\tand a tab", True, None),
    ("a lone\rcarriage return", True, text_input.CONTROL),
    ("\u202eevil", False, text_input.DIRECTION),
    ("isolate \u2066x\u2069", True, text_input.DIRECTION),
    ("\u05e9\u05dc\u05d5\u05dd \u200f(1)", False, None),  # RLM is a mark, allowed
])
def test_text_rule(text, multiline, reason):
    found = text_input.refusal(text, multiline=multiline)
    assert (found.message if found else None) == reason


def test_text_rule_lengths():
    assert text_input.refusal("x" * 60, limit=60) is None
    too_long = text_input.refusal("x" * 61, limit=60)
    assert too_long == text_input.Refusal(text_input.TOO_LONG, 60)
    assert too_long.detail() == (text_input.TOO_LONG_AT_MOST, {"n": 60})
    assert text_input.refusal("x" * text_input.MAX_TEXT, multiline=True) is None
    assert text_input.refusal("x" * (text_input.MAX_TEXT + 1), multiline=True) is not None


@pytest.mark.parametrize("text, safe", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("  =1+1", "'  =1+1"), ("\uff1d1+1", "'\uff1d1+1"),
    (FORMULA, "'" + FORMULA), ("-", "'-"),
    ("Rovaniemi", "Rovaniemi"), ("a=b", "a=b"), ("", ""),
    ("+358 40 123 4567", "+358 40 123 4567"), ("-12,5", "-12,5"), ("-3", "-3"),
])
def test_safe_cell(text, safe):
    assert spreadsheet.safe_cell(text) == safe


# --- customers: create, edit, import -----------------------------------------------


@pytest.mark.parametrize("kind", HOSTILE)
def test_customer_create_and_edit_refuse_hostile_text(signed_in, kind):
    born = date(1985, 3, 12)
    with pytest.raises(ValidationFailed) as refused:
        signed_in.customers.create(replace(customer_input("Mäkelä", "Aino", born, 124),
                                           home_municipality=HOSTILE[kind]))
    assert set(refused.value.errors) == {"home_municipality"}
    card = signed_in.customers.create(customer_input("Mäkelä", "Aino", born, 124))
    form = signed_in.customers.edit_form(card.id)
    for field in ("last_name", "phone", "street_address", "post_office"):
        with pytest.raises(ValidationFailed) as refused:
            signed_in.customers.update(card.id, replace(form, **{field: HOSTILE[kind]}),
                                       card.revision)
        assert field in refused.value.errors
    with signed_in.ctx.reading() as s:
        stored = s.scalar(select(Customer).where(Customer.id == card.id))
        assert stored is not None and stored.home_municipality == "Rovaniemi"


def test_customer_form_says_why_in_finnish(signed_in):
    with pytest.raises(ValidationFailed) as refused:
        signed_in.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124,
                                                  street_address=f"Koskikatu {RLO}1"))
    assert refused.value.errors == {"street_address": text_input.DIRECTION}


HEADER = "hetu,first_name,last_name,birth_date,home_municipality,language\n"


def import_file(services, tmp_path, text: str | bytes):
    path = tmp_path / "people.csv"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return services.customer_import.preview(path)


@pytest.fixture
def lead(services):
    services.auth.sign_in("lead", "demo")
    return services


def test_import_refuses_rows_with_hostile_text_and_keeps_the_good(lead, tmp_path):
    rows = [
        ",Aino,Mäkelä,1985-03-12,Rovaniemi,fi\n",
        f",Nul,Row,1990-01-01,{HOSTILE['NUL']},fi\n",
        f",Esc,Row,1990-01-01,{HOSTILE['ESC']},fi\n",
        f",Rlo,Row,1990-01-01,{HOSTILE['RLO']},fi\n",
        f",Name{ESC},Row,1990-01-01,Ranua,fi\n",
        ",Áilu,Aikio,1.2.1990,Ranua,fi\n",
    ]
    preview = import_file(lead, tmp_path, HEADER + "".join(rows))
    assert [r.name for r in preview.accepted] == ["Mäkelä, Aino", "Aikio, Áilu"]
    refused = {r.line: r.problems for r in preview.rejected}
    assert sorted(refused) == [3, 4, 5, 6]
    assert [p.column for p in refused[3]] == ["home_municipality"]
    assert refused[3][0].message == text_input.CONTROL
    assert refused[4][0].message == text_input.CONTROL
    assert refused[5][0].message == text_input.DIRECTION
    assert [p.column for p in refused[6]] == ["first_name"]
    assert lead.customer_import.commit(preview).created == 2
    with lead.ctx.reading() as s:
        municipalities = set(s.scalars(select(Customer.home_municipality)))
    assert municipalities == {"Rovaniemi", "Ranua"}


def test_import_reads_doubled_quotes_without_shifting_columns():
    text = ('first_name,last_name,home_municipality,language\n'
            '"Anna ""Anni""",Aho,"Rovaniemen ""mlk"", Muurola",sv\n')
    rows = read_rows(text.encode())
    assert rows == [(2, {"first_name": 'Anna "Anni"', "last_name": "Aho",
                         "home_municipality": 'Rovaniemen "mlk", Muurola',
                         "language": "sv"})]


def test_import_reads_excel_semicolons_bom_and_crlf(lead, tmp_path):
    text = ("hetu;first_name;last_name;birth_date;home_municipality;language\r\n"
            ";Aino;Mäkelä;12.3.1985;\"Rovaniemi; keskusta\";fi\r\n"
            ";\"Áilu\";Aikio;1.2.1990;Ranua;se\r\n")
    preview = import_file(lead, tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert not preview.rejected
    assert [(r.line, r.name) for r in preview.accepted] == [(2, "Mäkelä, Aino"),
                                                          (3, "Aikio, Áilu")]
    assert preview.accepted[0].data is not None
    assert preview.accepted[0].data.home_municipality == "Rovaniemi; keskusta"
    assert preview.accepted[1].data is not None
    assert preview.accepted[1].data.language == "se"


def test_a_200_kb_field_refuses_its_row_not_the_file(lead, tmp_path):
    huge = "x" * 200_000
    text = (HEADER + ",Aino,Mäkelä,1985-03-12,Rovaniemi,fi\n"
            f",Huge,Field,1990-01-01,\"{huge}\",fi\n"
            f",Huge,Date,{huge},Ranua,fi\n"
            ",Áilu,Aikio,1.2.1990,Ranua,fi\n")
    preview = import_file(lead, tmp_path, text)
    assert [r.name for r in preview.accepted] == ["Mäkelä, Aino", "Aikio, Áilu"]
    refused = {r.line: r.problems for r in preview.rejected}
    assert [p.column for p in refused[3]] == ["home_municipality"]
    assert refused[3][0].text(lambda m: i18n.translate_in("fi", m)) == (
        "home_municipality: Liian pitkä: enintään 60 merkkiä.")
    assert [p.column for p in refused[4]] == ["birth_date"]


# --- the net under every other write path ------------------------------------------


@pytest.fixture
def appt(signed_in):
    signed_in.ctx.now = Clock(datetime(2026, 11, 24, 6, 0, tzinfo=UTC))
    add_hours(signed_in, COACH)
    signed_in.people = add_people(signed_in)
    return signed_in


def test_room_and_cancel_reason_with_control_characters_are_refused(appt):
    a = appt.appointments
    with pytest.raises(TextRefused) as refused:
        a.book(booking(appt, local(2026, 11, 25, 9), room=f"Huone{ESC}"))
    assert refused.value.column == "room"
    assert "Huone" in refused.value.text()  # the field, named in the user's language
    assert refused.value.text(lambda m: i18n.translate_in("en", m)) == (
        "“Room” was not saved. It contains a control character (such as NUL or an escape "
        "sequence).")
    assert ESC not in str(refused.value) and ESC not in refused.value.text()
    assert a.reminders(date(2026, 11, 25)) == []  # nothing was stored
    booked = a.book(booking(appt, local(2026, 11, 25, 9), room="Huone 3"))
    with pytest.raises(TextRefused) as refused:
        a.cancel(booked.id, f"Ei{NUL} tarvetta")
    assert refused.value.column == "cancel_reason"
    assert "Syy" in refused.value.text()
    with pytest.raises(TextRefused):
        a.cancel(booked.id, "x" * 401)
    assert "400" in TextRefused("appointment", "cancel_reason",
                                text_input.Refusal(text_input.TOO_LONG, 400)).text()


def test_formula_typed_as_a_room_is_neutralised_in_the_reminders_csv(appt):
    a = appt.appointments
    a.book(booking(appt, local(2026, 11, 25, 9), room=FORMULA))
    table = list(csv.reader(io.StringIO(reminders_csv(a.reminders(date(2026, 11, 25))))))
    row = dict(zip(REMINDER_COLUMNS, table[1], strict=True))
    assert row["room"] == "'" + FORMULA
    assert row["date"] == "2026-11-25" and row["customer"] == "Mäkelä, Aino Maria"


def test_reminders_keep_phone_numbers_as_they_are(appt):
    form = appt.customers.edit_form(appt.people[0])
    card = appt.customers.get(appt.people[0])
    appt.customers.update(card.id, replace(form, phone="+358 40 123 4567"), card.revision)
    appt.appointments.book(booking(appt, local(2026, 11, 25, 9)))
    table = list(csv.reader(io.StringIO(reminders_csv(
        appt.appointments.reminders(date(2026, 11, 25))))))
    assert table[1][REMINDER_COLUMNS.index("phone")] == "+358 40 123 4567"


# --- reports ------------------------------------------------------------------------


def hostile_table() -> ReportTable:
    columns = (Column("name", "Name", TEXT), Column("=HYPERLINK(\"x\")", "@SUM(A1)", COUNT,
                                                     literal=True),
               Column("change", "Change", NUMBER))
    rows = ((FORMULA, 3, -1.5), ("+SUM(1,2)", 4, 2.0), ("Ranua", 5, -0.5))
    return ReportTable("hostile", "Visits", columns, rows, ChartSpec("bars", "name", ()))


def test_report_csv_neutralises_formulas_and_keeps_numbers():
    raw = to_csv(hostile_table()).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert lines[0][1] == "'@SUM(A1)"
    assert [line[0] for line in lines[1:]] == ["'" + FORMULA, "'+SUM(1,2)", "Ranua"]
    assert [line[2] for line in lines[1:]] == ["-1,5", "2,0", "-0,5"]  # numbers stay numbers


def test_report_xlsx_neutralises_formulas_and_keeps_numbers():
    sheet = load_workbook(io.BytesIO(to_xlsx(hostile_table()))).active
    assert sheet is not None
    assert sheet.cell(2, 2).value == "'@SUM(A1)"
    names = [sheet.cell(r, 1) for r in (3, 4, 5)]
    assert [c.value for c in names] == ["'" + FORMULA, "'+SUM(1,2)", "Ranua"]
    assert all(c.data_type == "s" for c in names)  # text, no formula among them
    assert [sheet.cell(r, 3).value for r in (3, 4, 5)] == [-1.5, 2.0, -0.5]
    assert sheet.cell(3, 3).data_type == "n"


def test_queue_note_is_multi_line_free_text_without_control_characters(services):
    services.auth.sign_in("desk", "demo")
    queue = services.queue
    queue.set_workstation("1", "A")
    with pytest.raises(TextRefused) as refused:
        queue.register_walk_in(None, "information", note=f"Asiakas {ESC}soittaa")
    assert (refused.value.table, refused.value.column) == ("queue_ticket", "note")
    assert queue.snapshot().waiting == []
    ticket = queue.register_walk_in(None, "information", note="Kaksi\nriviä\tja sarkain")
    assert [t.id for t in queue.snapshot().waiting] == [ticket.id]
