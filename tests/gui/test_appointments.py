"""The calendar driven from the keyboard: book, a refused double booking, check-in into
the queue, and a no-show rebooked from the offered free slots."""

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.dto.appointments import BookingInput
from app.i18n import HELSINKI
from app.models import WorkingHours
from app.rules import booking as rules
from app.views.main_window import ROW
from tests.factories import Clock


def press(qtbot, window, key):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, key)


@pytest.fixture
def calendar(qtbot, window):
    services = window.services
    with services.ctx.session_factory.begin() as s:
        for staff_id in ("staff-coach", "staff-lead"):
            for h in rules.standard_week(valid_from=date(2025, 1, 1)):
                s.add(WorkingHours(staff_id=staff_id, weekday=h.weekday, start_minute=h.start,
                                   end_minute=h.end, lunch_start_minute=h.lunch_start,
                                   lunch_end_minute=h.lunch_end, valid_from=h.valid_from))
    clock = Clock(datetime(2026, 11, 24, 6, 0, tzinfo=UTC))  # Tuesday 8.00 in Helsinki
    services.ctx.now = clock
    window.login.username.setText("coach")
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)
    window.nav.setCurrentRow(ROW["appointments"])
    page = window.page("appointments")
    qtbot.waitUntil(lambda: page.data is not None, timeout=10000)
    page.grid.setFocus()
    page.clock = clock
    return page


def cursor_at(page, hour, minute=0):
    column = page.grid.cursor_column()
    return (column.day, page.grid.cursor_minute()) == (date(2026, 11, 24), hour * 60 + minute)


def book_here(qtbot, window, page, search, key=Qt.Key.Key_Return):
    if key == Qt.Key.Key_Return:
        qtbot.keyClick(page.grid, key)
    else:
        press(qtbot, window, key)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    qtbot.keyClicks(dialog.search, search)
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=15000)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)
    assert dialog.customer_id is not None
    assert dialog.minutes.value() == rules.DEFAULT_MINUTES[rules.AppointmentType(
        dialog.type.currentData())]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    return dialog


def nav_text(window):
    return window.nav.item(ROW["appointments"]).text()


def test_book_refuse_double_booking_and_check_in(qtbot, window, calendar):
    page = calendar
    assert page.mode == "week" and page.grid.cursor_column().staff_id == "staff-coach"
    assert nav_text(window) == "Kalenteri"  # nothing booked for today yet
    qtbot.keyClick(page.grid, Qt.Key.Key_T)
    assert cursor_at(page, 8)
    qtbot.keyClick(page.grid, Qt.Key.Key_Down)
    qtbot.keyClick(page.grid, Qt.Key.Key_Down)
    assert cursor_at(page, 9)
    assert "9.00" in page.cursor_label.text()
    dialog = book_here(qtbot, window, page, "virtanen")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: page.grid.cursor_appointment() is not None, timeout=15000)
    booked = page.grid.cursor_appointment()
    assert booked.customer_name.startswith("Virtanen") and booked.type == "initial_interview"
    assert "Virtanen" in page.details.text()
    # The navigation counts the worker's appointments still to come today.
    qtbot.waitUntil(lambda: nav_text(window) == "Kalenteri  1", timeout=15000)

    # 9.30 is inside the 9.00-10.00 interview: refused, and the dialog keeps its input.
    qtbot.keyClick(page.grid, Qt.Key.Key_Down)
    dialog = book_here(qtbot, window, page, "korhonen", key=Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=15000)
    assert "9.00–10.00" in dialog.error.text()
    assert dialog.isVisible() and dialog.customer_label.text().startswith("Korhonen")
    dialog.reject()

    # Check in the 9.00 customer: the queue gets a ticket for this worker, first in line.
    window.services.queue.set_workstation("1", "A")
    window.services.queue.register_walk_in(None, "finding_work", "accessibility")
    qtbot.keyClick(page.grid, Qt.Key.Key_Up)
    page.clock.advance(55)
    qtbot.waitUntil(lambda: page.buttons["check_in"].isEnabled(), timeout=2000)
    press(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "A 0" in page.message.text() or "⚠" in page.message.text(),
                    timeout=15000)
    assert "⚠" not in page.message.text()
    snapshot = window.services.queue.snapshot()
    first = snapshot.waiting[0]
    assert first.customer_label.startswith("Virtanen")
    assert first.transferred_to_name == "Pekka Ylitalo"
    assert first.code in page.message.text()
    qtbot.waitUntil(lambda: page.grid.cursor_appointment() is not None
                    and page.grid.cursor_appointment().status == "arrived", timeout=15000)
    qtbot.waitUntil(lambda: nav_text(window) == "Kalenteri", timeout=15000)  # arrived
    assert not page.buttons["check_in"].isEnabled()


def test_no_show_is_rebooked_from_the_offered_slots(qtbot, window, calendar):
    page = calendar
    qtbot.keyClick(page.grid, Qt.Key.Key_T)
    dialog = book_here(qtbot, window, page, "guttorm")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: page.grid.cursor_appointment() is not None, timeout=15000)
    missed = page.grid.cursor_appointment()
    page.clock.advance(30)
    page.calendar_actions.show_appointment(missed)  # the clock moved: the action becomes available
    assert page.buttons["no_show"].isEnabled()
    press(qtbot, window, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible()
                    and page.dialog.mode == "rebook", timeout=15000)
    rebook = page.dialog
    assert rebook.customer_label.text().startswith("Guttorm")
    qtbot.waitUntil(lambda: rebook.slots.count() > 0 and rebook.slot_staff is not None,
                    timeout=15000)
    offered = rebook.chosen_start()
    # The first slot offered: the next half hour after now (8.30), with the same worker.
    assert offered == datetime(2026, 11, 24, 8, 30, tzinfo=HELSINKI)
    qtbot.mouseClick(rebook.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not rebook.isVisible(), timeout=15000)
    appointments = window.services.appointments
    assert appointments.get(missed.id).status == "no_show"
    mine = appointments.for_customer(missed.customer_id)
    new = next(r for r in mine if r.status == "booked")
    assert new.rescheduled_from_id == missed.id and new.starts_at == offered
    assert [r.id for r in appointments.history(new.id)] == [missed.id, new.id]


def test_keyboard_navigation_between_days_and_weeks(qtbot, window, calendar):
    page = calendar
    grid = page.grid
    qtbot.keyClick(grid, Qt.Key.Key_T)
    assert grid.cursor_column().day == date(2026, 11, 24)
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.cursor_column().day == date(2026, 11, 25)
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: grid.cursor_column().day == date(2026, 12, 2), timeout=15000)
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: grid.cursor_column().day == date(2026, 12, 9), timeout=15000)
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: grid.cursor_column().day == date(2026, 12, 16), timeout=15000)
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: grid.cursor_column().day == date(2026, 12, 23), timeout=15000)
    qtbot.keyClick(grid, Qt.Key.Key_Right)  # Christmas Eve: named, not bookable
    column = grid.cursor_column()
    assert column.day == date(2026, 12, 24) and column.holiday == "Jouluaatto"
    assert not column.periods and "Jouluaatto" in page.cursor_label.text()
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    qtbot.keyClick(grid, Qt.Key.Key_Right)  # over the weekend to Monday
    qtbot.waitUntil(lambda: grid.cursor_column().day == date(2026, 12, 28), timeout=15000)
    # The day view of everyone at the service point; Ctrl+arrows move between workers.
    press(qtbot, window, Qt.Key.Key_D)  # without Ctrl: not the day view
    assert page.mode == "week"
    page.worker_combo.setCurrentIndex(0)
    page.worker_combo.activated.emit(0)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert page.mode == "day"
    qtbot.waitUntil(lambda: [c.title for c in grid.columns] == [
        "Aapo Admin", "Liisa Lead", "Pekka Ylitalo"], timeout=15000)
    grid.setFocus()
    assert grid.cursor_column().title == "Pekka Ylitalo"  # the day view opens on the same worker
    qtbot.keyClick(grid, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert grid.cursor_column().title == "Liisa Lead"
    assert grid.cursor_column().day == date(2026, 12, 28)
    qtbot.keyClick(grid, Qt.Key.Key_Left)  # Friday 25.12., Christmas Day
    qtbot.waitUntil(lambda: grid.cursor_column().day == date(2026, 12, 25), timeout=15000)
    assert grid.cursor_column().title == "Liisa Lead"
    assert all(c.holiday == "Joulupäivä" and not c.periods for c in grid.columns)
    assert page.range_label.text().startswith("perjantai 25.")


def test_calendar_and_its_dialogs_are_named_and_reachable(qtbot, window, calendar, tmp_path):
    from tests.gui.test_accessibility import check_page

    page = calendar
    check_page(qtbot, window.shell, "calendar")
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    page.dialog.activateWindow()
    qtbot.waitUntil(page.dialog.isActiveWindow, timeout=2000)
    check_page(qtbot, page.dialog, "booking dialog")
    page.dialog.reject()
    # Reminders for the next working day, exported in the background as UTF-8 CSV.
    appointments = window.services.appointments
    customer = window.services.customers.page("guttorm").rows[0].id
    appointments.book(BookingInput(customer, "staff-coach", "plan_review", "phone",
                                   datetime(2026, 11, 25, 12, tzinfo=HELSINKI), 45))
    page.calendar_actions.reminders()
    dialog = page.dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=15000)
    assert dialog.chosen_day() == date(2026, 11, 25)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    check_page(qtbot, dialog, "reminders dialog")
    out = tmp_path / "muistutukset.csv"
    dialog.write(out)
    qtbot.waitUntil(lambda: out.exists() and str(out) in dialog.status.text(), timeout=15000)
    text = out.read_text(encoding="utf-8")
    assert "Guttorm, Máret Čuovga" in text and "12:00" in text


def test_customer_card_lists_appointments_books_and_saves_the_letter(qtbot, window, calendar,
                                                                     tmp_path):
    from pypdf import PdfReader

    services = window.services
    customer = services.customers.page("guttorm").rows[0]
    past = services.appointments.book(BookingInput(
        customer.id, "staff-coach", "job_search_conversation", "service_point",
        datetime(2026, 11, 24, 8, tzinfo=HELSINKI), 45))
    page = calendar
    page.clock.advance(60)
    services.appointments.mark_no_show(past.id)
    upcoming = services.appointments.book(BookingInput(
        customer.id, "staff-coach", "plan_review", "service_point",
        datetime(2026, 11, 26, 12, tzinfo=HELSINKI), 45, room="Huone 3"))
    window.nav.setCurrentRow(ROW["customers"])
    window.page("customers").open_customer(customer.id)
    section = window.page("customers").card_view.appointments
    qtbot.waitUntil(lambda: section.model.rowCount() == 2, timeout=15000)
    assert [r.id for r in section.model.rows] == [upcoming.id, past.id]  # upcoming first
    assert section.counts == (1, 1)
    assert section.save_letter.isEnabled()  # the upcoming one is selected

    out = tmp_path / "kirje.pdf"
    done = []
    from app.views.appointments.letter import LetterActions

    LetterActions(services.appointments, window.runner, window, section.say).write(
        upcoming.id, out, done.append)
    qtbot.waitUntil(lambda: done == [out], timeout=10000)
    text = PdfReader(str(out)).pages[0].extract_text()
    assert "Huone 3" in text and "torstai 26. marraskuuta 2026" in text

    qtbot.mouseClick(section.book, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=15000)
    assert window.pages.currentWidget() is page
    assert page.dialog.customer_id == customer.id
    assert page.dialog.customer_label.text() == customer.name
    page.dialog.reject()
