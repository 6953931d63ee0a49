"""One language at a time (issue 18, fault 9): Qt's own dialogs, the demo build's progress,
dates, the sync status and the feedback question follow the UI language."""

import re
import threading
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QMessageBox

from app import i18n
from app.dto.report_display import axis_label
from app.dto.reports import WEEK, Column
from app.i18n import N_, translate_in
from app.views import application
from app.views.feedback.customer_window import CustomerFeedbackWindow
from app.views.feedback.kiosk import KioskWindow
from app.views.shell.session import describe_sync
from app.views.tasks import TaskRunner

ROOT = Path(__file__).resolve().parents[2]


def file_dialog_labels(qtbot) -> list[str]:
    dialog = QFileDialog(None, "x", str(Path.home()), "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    dialog.reject()
    return texts


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_qt_dialogs_speak_the_ui_language(qtbot, switcher, lang):
    switcher.switch(lang)
    labels = file_dialog_labels(qtbot)
    assert len(labels) == 3, labels
    english = ("Look in", "File name", "File &name", "Files of")
    assert not [t for t in labels if any(e in t for e in english)], labels
    # Each keeps a keyboard shortcut.
    assert all("&" in t for t in labels), labels
    box = QMessageBox(QMessageBox.Icon.Question, "x", "y",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    texts = [b.text().replace("&", "") for b in box.buttons() + buttons.buttons()]
    assert not {"Yes", "No", "Save", "Cancel"} & set(texts), texts
    # The type of a folder in the dialog's file list.
    assert QCoreApplication.translate("QAbstractFileIconProvider", "Folder",
                                      "All other platforms") != "Folder"


def test_qt_dialogs_follow_a_switch_back_to_english(qtbot, switcher):
    switcher.switch("fi")
    switcher.switch("en")
    assert "&Look in:" in file_dialog_labels(qtbot)


def test_the_bundle_keeps_qt_catalogs_for_finnish_and_swedish():
    """installer/desk.spec filters Qt's .qm files: qtbase_fi and qtbase_sv must pass (the
    PyInstaller hook collects them with QtCore), and they exist where Qt looks."""
    spec = (ROOT / "installer" / "desk.spec").read_text(encoding="utf-8")
    pattern = re.search(r'KEEP_QM = re\.compile\(r"([^"]+)"\)', spec)
    assert pattern is not None
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    for lang in ("fi", "sv"):
        assert re.match(pattern.group(1), f"qtbase_{lang}.qm")
        assert (folder / f"qtbase_{lang}.qm").is_file()


def test_demo_progress_lines_are_in_the_ui_language(qtbot, switcher, monkeypatch, services):
    switcher.switch("sv")
    release = threading.Event()

    def fill(_services, seed, scale, progress, cancel):  # the build's worker thread
        progress(N_("Writing visits…"), 0.5)
        release.wait(10)

    monkeypatch.setattr(application.demo, "fill", fill)
    runner = TaskRunner()
    done = []
    dialog = application.build_demo_with_progress(runner, services, 0.01, 1,
                                                  lambda: done.append(True))
    try:
        qtbot.waitUntil(lambda: "\n" in dialog.labelText(), timeout=15000)
        line = dialog.labelText().split("\n")[1]
        assert line == translate_in("sv", "Writing visits…") != "Writing visits…"
    finally:
        release.set()
        qtbot.waitUntil(lambda: done == [True], timeout=15000)
        runner.wait()


def test_english_dates_have_one_style():
    """The reports' chart axis wrote "14.9." beside "14/09/2026" in the table."""
    week = Column("week", "Week", WEEK)
    monday = date(2026, 9, 14)
    assert axis_label(week, monday, "en") == "14/09"
    assert axis_label(week, monday, "fi") == "14.9."
    assert i18n.format_day(monday, "EEEE", year=True, lang="en") == "Monday 14/09/2026"
    assert i18n.date_input_format("en") == "dd/MM/yyyy"
    assert i18n.date_input_format("fi", with_time=True) == "d.M.yyyy H.mm"
    # The calendar's hour lines wrote "8.00" beside cards saying "08:30–09:15".
    assert i18n.format_minutes(8 * 60, "en") == "08:00"
    assert i18n.format_minutes(8 * 60 + 30, "fi") == "8.30"
    # The working hours' time fields wrote "8.00" in English.
    assert (i18n.time_input_format("en"), i18n.time_input_format("sv")) == ("HH:mm", "H.mm")


def test_the_working_hours_fields_show_the_languages_time(qtbot, switcher):
    from PySide6.QtCore import QTime

    from app.views.appointments.working_hours import _time_edit

    switcher.switch("en")
    try:
        edit = _time_edit(8 * 60)
        qtbot.addWidget(edit)
        assert edit.text() == "08:00" and edit.time() == QTime(8, 0)
    finally:
        switcher.switch("fi")
    assert _time_edit(8 * 60).text() == "8.00"


def test_sync_status_is_translated_in_swedish(switcher):
    switcher.switch("sv")
    counts = SimpleNamespace(conflicts=0, rejected=0, pending=0)
    online = SimpleNamespace(counts=counts, syncing=False, online=True, last_sync=None)
    offline = SimpleNamespace(counts=counts, syncing=False, online=False, last_sync=None)
    texts = [describe_sync(online, None)[0], describe_sync(offline, None)[0]]
    assert not [t for t in texts if "Online" in t or "Offline" in t], texts


def test_kiosk_and_end_of_visit_window_ask_the_same_question(qtbot, window):
    services = window.services
    kiosk = KioskWindow(services.feedback, services.auth, window.runner,
                        services.feedback.kiosk_point("ROV"))
    qtbot.addWidget(kiosk)
    asked = {label.text() for label in kiosk.questions}
    for lang in i18n.LANGUAGES:
        customer = CustomerFeedbackWindow(lambda _answer: None, window.runner, False, lang)
        qtbot.addWidget(customer)
        assert customer.question.text() in asked, (lang, customer.question.text(), asked)
