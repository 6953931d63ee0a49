"""Save dialogs start in the user's Documents folder, never the program's working folder,
and propose a name saying what, whose and when (issue 18, fault 11)."""

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from app.dto.appointments import BookingInput
from app.i18n import HELSINKI, translate_in
from app.services.reports import REPORTS
from app.views import file_dialogs
from app.views.appointments.letter import LetterActions
from tests.gui.test_appointments import calendar  # noqa: F401 (a fixture)
from tests.gui.test_plans import editor, open_new_plan  # noqa: F401 (editor: a fixture)
from tests.gui.test_reports_view import open_reports


@pytest.fixture
def documents(tmp_path, monkeypatch):
    """A Documents folder of our own, and a working folder that must not be proposed."""
    folder = tmp_path / "Documents"
    folder.mkdir()
    real = QStandardPaths.writableLocation

    def located(kind):
        if kind == QStandardPaths.StandardLocation.DocumentsLocation:
            return str(folder)
        return real(kind)

    monkeypatch.setattr(QStandardPaths, "writableLocation", located)
    work = tmp_path / "working"
    work.mkdir()
    monkeypatch.chdir(work)
    file_dialogs.forget_folder()
    yield folder
    file_dialogs.forget_folder()


@pytest.fixture
def proposed(monkeypatch):
    """What each save dialog proposed; `answer` is what the user then chooses."""
    asked: list[Path] = []
    answer: list[str] = [""]  # "": cancelled

    def fake(_parent, _caption, proposal, _filter, *rest, **kw):
        asked.append(Path(proposal))
        return answer[0], _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return asked, answer


def test_file_names_are_safe_and_dated():
    name = file_dialogs.file_name('Ruoko/järvi: "A*?<B>|\\"', "Employment plan",
                                  day=date(2026, 12, 2), suffix="pdf")
    assert name == "Ruoko järvi A B – Employment plan 2026-12-02.pdf"
    assert file_dialogs.file_name(None, "Reminders", day=date(2026, 1, 5), suffix=".csv") \
        == "Reminders 2026-01-05.csv"
    assert file_dialogs.safe_name(" .. ") == "document"


def test_without_documents_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(QStandardPaths, "writableLocation",
                        lambda _kind: str(tmp_path / "missing"))
    assert file_dialogs.documents_folder() == Path.home()


def test_the_folder_chosen_last_is_where_the_next_dialog_starts(qapp, documents, proposed,
                                                                  tmp_path):
    asked, answer = proposed
    other = tmp_path / "elsewhere"
    other.mkdir()
    answer[0] = str(other / "first.pdf")
    assert file_dialogs.ask_save_path(None, "x", "first.pdf", "PDF (*.pdf)") \
        == other / "first.pdf"
    answer[0] = ""
    assert file_dialogs.ask_save_path(None, "x", "second.pdf", "PDF (*.pdf)") is None
    assert asked == [documents / "first.pdf", other / "second.pdf"]


def test_plan_pdf_proposes_documents_the_customer_and_the_date(qtbot, editor, documents,  # noqa: F811
                                                               proposed):
    asked, _answer = proposed
    open_new_plan(qtbot, editor)
    editor.header.save_pdf_action.trigger()
    assert len(asked) == 1
    path = asked[0]
    assert path.parent == documents  # not the working folder
    customer = editor.overview.customer_name
    plan = translate_in("fi", "Employment plan")
    assert path.name == file_dialogs.file_name(customer, plan, day=editor.today(),
                                               suffix="pdf")
    assert customer.split(",")[0] in path.name and editor.today().isoformat() in path.name


def test_report_exports_propose_the_period_and_the_date(qtbot, window, documents, proposed):
    asked, _answer = proposed
    page = open_reports(qtbot, window)
    page.csv_button.click()
    page.pdf_button.click()
    f = page.filter
    period = f"{f.date_from.isoformat()}–{f.date_to.isoformat()}"
    today = window.services.session.today().isoformat()
    title = translate_in("fi", REPORTS[page.current_name()].title)
    assert [p.parent for p in asked] == [documents, documents]
    assert asked[0].name == f"{title} {period} {today}.csv"
    assert asked[1].name == f"{translate_in('fi', 'Reports')} {period} {today}.pdf"


def test_letter_and_reminders_propose_the_customer_and_the_day(qtbot, window, calendar,  # noqa: F811
                                                               documents, proposed):
    from pypdf import PdfReader

    asked, answer = proposed
    services = window.services
    customer = services.customers.page("guttorm").rows[0]
    booked = services.appointments.book(BookingInput(
        customer.id, "staff-coach", "plan_review", "service_point",
        datetime(2026, 11, 25, 12, tzinfo=HELSINKI), 45))
    said: list[str] = []
    answer[0] = str(documents / "chosen.pdf")
    LetterActions(services.appointments, window.runner, window, said.append).save(booked.id)
    qtbot.waitUntil(lambda: (documents / "chosen.pdf").exists() and "chosen.pdf" in said[-1],
                    timeout=10000)
    assert PdfReader(str(documents / "chosen.pdf")).pages
    letter = translate_in("fi", "Appointment letter")
    assert asked[0].parent == documents
    assert asked[0].name.endswith(f" – {letter} 2026-11-25.pdf")
    assert "Guttorm" in asked[0].name

    answer[0] = ""
    calendar.calendar_actions.reminders()
    dialog = calendar.dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=15000)
    dialog.export_csv()
    # The folder chosen for the letter is where this dialog starts.
    assert asked[1] == documents / f"{translate_in('fi', 'Reminders')} 2026-11-25.csv"
    dialog.reject()


def test_the_next_person_starts_in_documents_again(qtbot, window, documents, proposed,
                                                   tmp_path):
    """The folder one worker chose is not where the next one's dialogs start (a shared
    desk: it may be that worker's own folder)."""
    _asked, answer = proposed
    window.session.sign_in("desk", "demo")
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)
    other = tmp_path / "mine"
    other.mkdir()
    answer[0] = str(other / "a.pdf")
    file_dialogs.ask_save_path(window, "x", "a.pdf", "PDF (*.pdf)")
    assert file_dialogs.start_folder() == other
    window.session.sign_out()
    assert file_dialogs.start_folder() == documents


def test_the_customer_import_opens_in_documents(qtbot, documents, monkeypatch, services):
    """The Open dialog of "Import customers" started in the program's working folder."""
    from app.views.coaching.import_dialog import ImportDialog
    from app.views.tasks import TaskRunner

    started: list[Path] = []
    chosen = documents / "asiakkaat.csv"

    def fake(_parent, _caption, folder, _filter, *rest, **kw):
        started.append(Path(folder))
        return str(chosen), _filter

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake)
    runner = TaskRunner()
    dialog = ImportDialog(services.customer_import, runner, None)
    qtbot.addWidget(dialog)
    dialog._browse()
    assert started == [documents]
    assert dialog.path.text() == str(chosen)
    runner.wait()
