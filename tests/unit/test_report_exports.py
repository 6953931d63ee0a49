"""Exports: the CLI writes CSV and XLSX that read back with the figures of the report."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from app import cli, i18n
from app.services.reports import REPORTS
from app.services.reports.export import to_csv, to_xlsx
from tests import report_fixture as fx


@pytest.fixture
def db(services):
    fx.build(services)
    path = services.ctx.engine.url.database
    services.close()
    return path


def _cli(db, name, fmt, out, lang="en"):
    return cli.main(["report", name, "--db", db, "--from", "2026-11-02", "--to", "2026-11-15",
                     "--format", fmt, "--out", str(out), "--lang", lang])


def test_cli_writes_csv_for_excel(db, tmp_path):
    out = tmp_path / "visits.csv"
    assert _cli(db, "visits_by_point", "csv", out, lang="fi") == 0
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel needs the BOM to read UTF-8
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][1:] == ["Ranua", "Rovaniemi – Osaamo", i18n.translate_in("fi", "Total")]
    assert lines[1:] == [["2026-11-02", "0", "3", "3"], ["2026-11-09", "1", "3", "4"],
                         [i18n.translate_in("fi", "Total"), "1", "6", "7"]]


def test_cli_writes_xlsx_that_reads_back(db, tmp_path):
    out = tmp_path / "feedback.xlsx"
    assert _cli(db, "feedback", "xlsx", out) == 0
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "Customer feedback"
    assert [c.value for c in sheet[2]][:3] == ["Month", "Answers", "Mean score (1–5)"]
    total = [c.value for c in sheet[4]]
    assert total[:4] == ["Total", 4, 3.5, 0.5]
    assert sheet.cell(4, 4).number_format == "0.0 %"


def test_csv_uses_the_languages_decimal_separator(services):
    fx.build(services)
    services.auth.sign_in("lead", "demo")
    table = services.reports.run("waiting_times", fx.NOVEMBER)
    i18n.set_language("en")
    assert "27.0" in to_csv(table).decode("utf-8-sig")
    i18n.set_language("sv")
    assert "27,0" in to_csv(table).decode("utf-8-sig")


def test_every_report_exports(services):
    fx.build(services)
    services.auth.sign_in("lead", "demo")
    for name in REPORTS:
        table = services.reports.run(name, fx.NOVEMBER)
        assert to_csv(table).decode("utf-8-sig").count("\r\n") >= 2
        assert load_workbook(io.BytesIO(to_xlsx(table))).active.max_row >= 2


def test_cli_help_lists_the_reports(capsys):
    with pytest.raises(SystemExit):
        cli.main(["report", "--help"])
    text = capsys.readouterr().out
    assert all(name in text for name in REPORTS)


def test_export_is_audited(services):
    from sqlalchemy import select

    from app.models import AuditEvent

    fx.build(services)
    services.auth.sign_in("lead", "demo")
    services.reports.export("caseloads", fx.NOVEMBER, "xlsx")
    with services.ctx.reading() as s:
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.entity == "report")) == \
            "report.export"


def test_reports_pdf_reads_back_with_charts_and_figures(services):
    from datetime import UTC, datetime

    from pypdf import PdfReader

    from app.printing.reports_pdf import ReportsDocument, render_reports

    fx.build(services)
    services.auth.sign_in("lead", "demo")
    tables = tuple(services.reports.run_all(fx.NOVEMBER))
    document = ReportsDocument("2.11.2026–15.11.2026 · Ranua · Osaaminen",
                               (("Käynnit", "7"), ("Odotus", "15 min")),
                               datetime(2026, 11, 24, 10, tzinfo=UTC), tables)
    reader = PdfReader(io.BytesIO(render_reports(document, "sv")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "2.11.2026–15.11.2026 · Ranua · Osaaminen" in text
    for table in tables:
        assert i18n.translate_in("sv", table.title) in text
    assert "27,0" in text  # the 90th percentile of all waits, Swedish decimal comma
    images = sum(len(page.images) for page in reader.pages)
    assert images == len(tables)  # one chart per report


def test_an_empty_area_still_charts_exports_and_prints(services):
    from datetime import UTC, datetime

    from app.printing.report_charts import png
    from app.printing.reports_pdf import ReportsDocument, render_reports

    services.auth.sign_in("lead", "demo")
    tables = tuple(services.reports.run_all(fx.NOVEMBER))
    for table in tables:
        assert png(table).startswith(b"\x89PNG")
        to_csv(table)
        to_xlsx(table)
    figures = services.reports.key_figures(fx.NOVEMBER)
    assert (figures.visits, figures.walk_in_median_wait, figures.no_show_rate) == (0, None, None)
    pdf = render_reports(ReportsDocument("", (), datetime(2026, 11, 24, tzinfo=UTC), tables), "fi")
    assert pdf.startswith(b"%PDF")
