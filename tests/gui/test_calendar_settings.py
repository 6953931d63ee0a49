"""The calendar's settings dialogs with real widgets: a coach changes their own working
hours (a refused entry keeps what was typed), a team lead opens a holiday for booking,
gives a worker a day off and takes it back; the calendar follows each change."""

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from app.dto.appointments import BookingInput
from app.i18n import HELSINKI, _
from app.models import Customer, WorkingHours
from app.rules import booking as rules
from app.views.main_window import ROW
from tests.factories import Clock


def open_calendar(qtbot, window, username):
    services = window.services
    with services.ctx.session_factory.begin() as s:
        for staff_id in ("staff-coach", "staff-lead"):
            for h in rules.standard_week(valid_from=date(2025, 1, 1)):
                s.add(WorkingHours(staff_id=staff_id, weekday=h.weekday, start_minute=h.start,
                                   end_minute=h.end, lunch_start_minute=h.lunch_start,
                                   lunch_end_minute=h.lunch_end, valid_from=h.valid_from))
    services.ctx.now = Clock(datetime(2026, 11, 24, 6, 0, tzinfo=UTC))  # Tue 8.00
    window.login.username.setText(username)
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)
    window.nav.setCurrentRow(ROW["appointments"])
    page = window.page("appointments")
    qtbot.waitUntil(lambda: page.data is not None, timeout=10000)
    page.grid.setFocus()
    return page


def shortcut(qtbot, window, key):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def first_slot(services, staff_id, day):
    start = datetime(day.year, day.month, day.day, tzinfo=HELSINKI)
    return services.appointments.find_slots(60, start, staff_id=staff_id, count=1)[0] \
        .starts_at.astimezone(HELSINKI)


@pytest.fixture
def coach_calendar(qtbot, window):
    return open_calendar(qtbot, window, "coach")


@pytest.fixture
def lead_calendar(qtbot, window):
    return open_calendar(qtbot, window, "lead")


def test_a_coach_changes_their_own_hours(qtbot, window, coach_calendar):
    page = coach_calendar
    with window.services.ctx.session_factory() as s:
        customer = s.scalars(select(Customer.id)).first()
    # Booked on Friday 4.12., a day the coach is about to stop working on.
    window.services.appointments.book(BookingInput(
        customer, "staff-coach", "plan_review", "phone",
        datetime(2026, 12, 4, 9, tzinfo=HELSINKI), 45))
    shortcut(qtbot, window, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=15000)
    dialog = page.dialog
    assert dialog.objectName() == "working_hours_dialog" and dialog.editable
    assert "Pekka Ylitalo" in dialog.windowTitle()
    monday, tuesday, friday = dialog.days[0], dialog.days[1], dialog.days[4]
    assert monday.start.time() == QTime(8, 0) and not dialog.days[5].works.isChecked()
    for row in dialog.days:  # every editor has a name a screen reader says
        for w in (row.works, row.start, row.end, row.lunch, row.lunch_start, row.lunch_end):
            assert w.accessibleName()

    dialog.valid_from.setDate(QDate(2026, 11, 30))
    monday.end.setTime(QTime(15, 0))
    tuesday.end.setTime(QTime(7, 0))  # before it starts: refused
    friday.works.setFocus()
    qtbot.keyClick(friday.works, Qt.Key.Key_Space)
    assert not friday.works.isChecked() and not friday.start.isEnabled()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tuesday.error.isVisible(), timeout=15000)
    assert _("The day must end after it starts.") in tuesday.error.text()
    assert not monday.error.isVisible() and dialog.isVisible()
    assert monday.end.time() == QTime(15, 0) and not friday.works.isChecked()  # kept

    tuesday.end.setTime(QTime(16, 0))
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    assert "Pekka Ylitalo" in page.message.text() and "⚠ 1 " in page.message.text()
    saved = window.services.calendar_settings.working_hours("staff-coach", date(2026, 11, 30))
    assert saved.days[0].end == 15 * 60 and saved.days[4].start is None
    # This week is as it was; next week the calendar shows Friday closed.
    assert window.services.calendar_settings.working_hours("staff-coach").days[4].start
    page.grid.setFocus()
    qtbot.keyClick(page.grid, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: page.data is not None and page.data.first == date(2026, 11, 30),
                    timeout=15000)
    friday_day = next(d for d in page.data.worker_days if d.day == date(2026, 12, 4))
    assert friday_day.periods == () and friday_day.closed_reason

    # Opened again, the dialog shows the saved change, from its day on.
    page.dialog = None
    shortcut(qtbot, window, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=15000)
    again = page.dialog
    assert again.valid_from.date() == QDate(2026, 11, 30)
    assert again.days[0].end.time() == QTime(15, 0) and not again.days[4].works.isChecked()
    again.reject()


def test_a_lead_opens_a_holiday_and_gives_a_day_off(qtbot, window, lead_calendar):
    page = lead_calendar
    services = window.services
    shortcut(qtbot, window, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=15000)
    dialog = page.dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=15000)
    assert any(e.day == date(2026, 12, 24) and e.holiday == "Jouluaatto"
               for e in dialog.model.rows)
    assert dialog.add_box.isEnabled()
    for w in (dialog.year, dialog.table, dialog.day, dialog.point, dialog.worker, dialog.note,
              dialog.open_button, dialog.day_off_button, dialog.remove):
        assert w.accessibleName()

    # An ordinary Wednesday cannot be "opened": the message is next to the day.
    dialog.day.setDate(QDate(2026, 12, 2))
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors["day"].isVisible(), timeout=15000)

    # Epiphany 2027 opened at the service point: the list moves to 2027, a slot appears.
    epiphany = date(2027, 1, 6)
    assert first_slot(services, "staff-lead", epiphany).date() == date(2027, 1, 7)
    dialog.day.setDate(QDate(2027, 1, 6))
    dialog.note.insert("Avoinna ajanvarauksella")
    assert dialog.open_button.text().replace("&", "").endswith("Rovaniemi – Osaamo")
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.year.value() == 2027 and any(
        e.override for e in dialog.model.rows), timeout=15000)
    assert not dialog.errors["day"].isVisible()
    opened = next(e for e in dialog.model.rows if e.override)
    assert opened.day == epiphany and opened.holiday == "Loppiainen"
    assert first_slot(services, "staff-lead", epiphany) == datetime(
        2027, 1, 6, 8, tzinfo=HELSINKI)

    # A day off for the coach on Wednesday 2.12.2026, then taken back.
    dialog.day.setDate(QDate(2026, 12, 2))
    dialog.worker.setCurrentIndex(dialog.worker.findData("staff-coach"))
    assert "Pekka Ylitalo" in dialog.day_off_button.text()
    qtbot.mouseClick(dialog.day_off_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.year.value() == 2026 and dialog.selected() is not None
                    and dialog.selected().override is not None
                    and dialog.selected().override.kind == "day_off", timeout=15000)
    assert first_slot(services, "staff-coach", date(2026, 12, 2)).date() == date(2026, 12, 3)
    assert dialog.remove.isEnabled()
    qtbot.mouseClick(dialog.remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not any(e.override for e in dialog.model.rows), timeout=15000)
    assert first_slot(services, "staff-coach", date(2026, 12, 2)).date() == date(2026, 12, 2)
    dialog.reject()


def test_a_coach_sees_the_exceptions_but_cannot_change_them(qtbot, window, coach_calendar):
    page = coach_calendar
    page.buttons["exceptions"].click()
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=15000)
    dialog = page.dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=15000)
    assert not dialog.add_box.isEnabled() and not dialog.remove.isEnabled()
    dialog.reject()


def test_the_calendars_context_menu_opens_the_settings(qtbot, window, coach_calendar):
    page = coach_calendar
    menu = page.context_menu()
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    assert names[-2:] == ["appointments_menu_working_hours", "appointments_menu_exceptions"]
    action = next(a for a in menu.actions() if a.objectName().endswith("working_hours"))
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=15000)
    assert page.dialog.objectName() == "working_hours_dialog"
    page.dialog.reject()
    menu.deleteLater()
