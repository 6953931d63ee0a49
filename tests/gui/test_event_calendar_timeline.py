"""Events where staff already look (#21): a session in its organiser's calendar week (and
in its room's week), opened from there; and the customer's events on the card's
timeline, hidden when there are none and never left over from the previous customer."""

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt

from app.dto.events import EventInput, RoomInput, SessionInput
from app.models import WorkingHours
from app.rules import booking as rules
from app.views.customers.events_section import attended_text
from app.views.main_window import ROW
from tests.factories import Clock
from tests.gui.layout_check import cut_text
from tests.gui.test_appointments import calendar  # noqa: F401 - the fixture

WAIT = 15000


def coaching(services, room_id=""):
    """A two-session group coaching on Wednesday and Thursday 10–12, by the coach."""
    return services.events.create(EventInput(
        service_point_id="sp-rov", kind="group_coaching", title="Työnhakuvalmennus",
        sessions=(SessionInput(day="2026-11-25", start="10:00", end="12:00", room_id=room_id),
                  SessionInput(day="2026-11-26", start="10:00", end="12:00",
                               room_id=room_id))))


@pytest.fixture
def with_event(qtbot, window):
    services = window.services
    services.ctx.now = Clock(datetime(2026, 11, 24, 6, 0, tzinfo=UTC))
    services.auth.sign_in("admin", "demo")
    room = services.rooms.add(RoomInput(service_point_id="sp-rov", name="Sali 2", seats="20"))
    services.auth.sign_out()
    services.auth.sign_in("coach", "demo")
    detail = coaching(services, room.id)
    services.auth.sign_out()
    return detail, room


def test_session_in_the_organisers_week_and_opened(qtbot, window, with_event, calendar):  # noqa: F811
    detail, _room = with_event
    page = calendar
    qtbot.waitUntil(lambda: any(c.blocks for c in page.grid.columns), timeout=WAIT)
    wednesday = next(i for i, c in enumerate(page.grid.columns) if c.day == date(2026, 11, 25))
    (block,) = page.grid.columns[wednesday].blocks
    assert (block.title, block.series, block.room) == ("Työnhakuvalmennus", "1/2", "Sali 2")
    assert page.grid.columns[wednesday].appointments == []  # not one of the appointments
    page.grid.set_cursor(wednesday, page.grid.slot_for_minute(10 * 60 + 30))
    assert "Työnhakuvalmennus" in page.cursor_label.text()
    assert "Työnhakuvalmennus" in page.details.text()
    assert page.grid.cut_card_texts() == []
    # Enter: the window opens the event's card on the Events page.
    qtbot.keyClick(page.grid, Qt.Key.Key_Return)
    events = window.page("events")
    qtbot.waitUntil(lambda: window.pages.currentWidget() is events
                    and events.card.detail is not None
                    and events.card.detail.row.id == detail.row.id, timeout=WAIT)
    # With nobody routing it: a read-only summary of the event in the calendar.
    window.nav.setCurrentRow(ROW["appointments"])
    page.open_event.disconnect()
    page.grid.setFocus()
    qtbot.keyClick(page.grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=WAIT)
    assert page.dialog.objectName() == "appointments_event_summary"
    assert "Sali 2" in page.dialog.text()
    page.dialog.close()


def test_a_rooms_week_shows_what_holds_it(qtbot, window, with_event, calendar):  # noqa: F811
    _detail, room = with_event
    page = calendar
    qtbot.waitUntil(lambda: page.room_combo.findData(room.id) >= 0, timeout=WAIT)
    page.room_combo.setCurrentIndex(page.room_combo.findData(room.id))
    page.room_combo.activated.emit(page.room_combo.currentIndex())
    qtbot.waitUntil(lambda: page.room_bookings is not None, timeout=WAIT)
    days = {c.day: [b.title for b in c.blocks] for c in page.grid.columns}
    assert days[date(2026, 11, 25)] == days[date(2026, 11, 26)] == ["Työnhakuvalmennus"]
    assert days[date(2026, 11, 24)] == []
    # Back to the workers' calendar.
    page.room_combo.setCurrentIndex(0)
    page.room_combo.activated.emit(0)
    qtbot.waitUntil(lambda: page.room_bookings is None, timeout=WAIT)


def test_the_customers_events_on_the_timeline(qtbot, window):
    services = window.services
    services.ctx.now = Clock(datetime(2026, 11, 25, 8, 30, tzinfo=UTC))  # Wednesday 10.30
    with services.ctx.session_factory.begin() as s:
        for h in rules.standard_week(valid_from=date(2025, 1, 1)):
            s.add(WorkingHours(staff_id="staff-coach", weekday=h.weekday, start_minute=h.start,
                               end_minute=h.end, lunch_start_minute=h.lunch_start,
                               lunch_end_minute=h.lunch_end, valid_from=h.valid_from))
    services.auth.sign_in("coach", "demo")
    detail = coaching(services)
    virtanen = services.customers.page("virtanen", limit=1).rows[0].id
    guttorm = services.customers.page("guttorm", limit=1).rows[0].id
    services.events.register(detail.row.id, virtanen)
    services.events.check_in(detail.sessions[0].id, virtanen)
    services.auth.sign_out()
    window.login.username.setText("coach")
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=WAIT)
    customers = window.page("customers")
    window.open_customer(virtanen)
    qtbot.waitUntil(lambda: customers.card_view.card is not None
                    and customers.card_view.card.id == virtanen, timeout=WAIT)
    section = customers.card_view.events
    qtbot.waitUntil(lambda: section.model.rowCount() == 1, timeout=WAIT)
    row = section.model.rows[0]
    assert (row.title, row.kind, row.status, row.sessions, row.attended) == (
        "Työnhakuvalmennus", "group_coaching", "registered", 2, 1)
    cells = [section.model.index(0, c).data() for c in range(5)]
    assert cells[1] == "Työnhakuvalmennus" and cells[4] == attended_text(row)
    customers.card_view.sections.setCurrentIndex(1)  # the timeline, under the visits
    qtbot.waitUntil(section.isVisible, timeout=WAIT)
    assert not [p for p in cut_text(section) if "customer_events" in p]
    assert section.table.accessibleName()
    # The next customer has none: nothing of Virtanen's stays, and the section hides.
    window.open_customer(guttorm)
    qtbot.waitUntil(lambda: customers.card_view.card is not None
                    and customers.card_view.card.id == guttorm, timeout=WAIT)
    assert section.model.rowCount() == 0
    qtbot.waitUntil(lambda: not section.isVisible(), timeout=WAIT)
