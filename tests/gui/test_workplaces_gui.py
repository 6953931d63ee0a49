"""Where a worker works (#21) in the working hours dialog: the place of each weekday, and
a day at another service point added by keyboard; the slot finder then finds it there."""

from datetime import date, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.i18n import HELSINKI
from app.models import ServicePoint
from app.rules.codes import ServicePointMode
from tests.gui.test_calendar_settings import open_calendar, shortcut


def test_a_day_at_ranua_and_a_remote_friday(qtbot, window):
    with window.services.ctx.session_factory.begin() as s:
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           mode=ServicePointMode.APPOINTMENT))
    page = open_calendar(qtbot, window, "coach")
    shortcut(qtbot, window, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    visiting = dialog.visiting
    assert visiting is not None and visiting.place.accessibleName()
    friday = dialog.days[4]
    assert friday.place.currentText() and friday.place.accessibleName()

    # A day at Ranua: Thursday 26.11., 9-15 (the defaults), by keyboard.
    visiting.day.setDate(QDate(2026, 11, 26))
    visiting.place.setFocus()
    qtbot.keyClick(visiting.place, Qt.Key.Key_End)  # remote, the last
    assert visiting.place.currentData() == "remote"
    qtbot.keyClick(visiting.place, Qt.Key.Key_Home)  # the points by name: Ranua first
    assert visiting.place.currentData() == "sp-ran"
    visiting.add.setFocus()
    qtbot.keyClick(visiting.add, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: visiting.list.count() == 1)
    assert "Ranua" in visiting.list.item(0).text()
    assert dialog.isVisible()  # the week is saved apart, with OK

    # Fridays remote from next week on.
    friday.place.setCurrentIndex(friday.place.findData("remote"))
    dialog.valid_from.setDate(QDate(2026, 11, 30))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    services = window.services
    slots = services.appointments.find_slots(
        60, datetime(2026, 11, 24, 8, tzinfo=HELSINKI), service_point_id="sp-ran", count=2)
    assert [x.starts_at.astimezone(HELSINKI).date() for x in slots] == [date(2026, 11, 26)] * 2
    week = services.calendar_settings.working_hours("staff-coach", date(2026, 11, 30))
    assert week.days[4].remote and not week.days[3].remote
