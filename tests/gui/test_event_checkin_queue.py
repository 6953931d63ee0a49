"""A walk-in who comes for an event is checked in at the queue's arrival, not queued (#21):
the arrival offers the check-in first, as the default, and no ticket is made."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import func, select

from app.dto.events import EventInput, SessionInput
from app.models import EventAttendance, EventParticipant, QueueTicket
from app.rules.codes import CheckInVia, ParticipantStatus
from tests.factories import Clock
from tests.gui.layout_check import cut_text
from tests.gui.test_accessibility import check_page
from tests.gui.test_queue import press, signed_in_at_queue


def planned_info(services, customer_name):
    """An info event at 10–12 today (the clock's) with the customer invited."""
    services.ctx.now = Clock()
    services.auth.sign_in("coach", "demo")
    today = services.ctx.today()
    detail = services.events.create(EventInput(
        service_point_id="sp-rov", kind="service_info", title="Palveluinfo",
        sessions=(SessionInput(day=today.isoformat(), start="10:00", end="12:00"),)))
    customer_id = services.customers.page(customer_name, limit=1).rows[0].id
    services.events.invite(detail.row.id, [customer_id])
    services.auth.sign_out()
    return detail, customer_id


def choose(qtbot, window, page, search):
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=15000)
    dialog = page.dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=15000)
    qtbot.keyClicks(dialog.search, search)
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=15000)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    assert dialog.customer_id is not None
    return dialog


def test_arrival_checks_in_for_todays_event_without_a_ticket(qtbot, window):
    services = window.services
    detail, customer_id = planned_info(services, "virtanen")
    page = signed_in_at_queue(qtbot, window, Clock(), username="desk")
    dialog = choose(qtbot, window, page, "virtanen")
    qtbot.waitUntil(lambda: dialog.checkin_box.isVisible(), timeout=15000)
    button = dialog.checkin_buttons[0]
    assert "Palveluinfo" in button.accessibleName() and button.isDefault()
    assert "Palveluinfo 10.00" in dialog.checkin_rows[0].findChild(QLabel).text()
    assert button.hasFocus()
    check_page(qtbot, dialog, "arrival offering a check-in")
    assert cut_text(dialog) == []
    # Enter takes the default: the check-in, not the ticket.
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    assert dialog.checked_in is not None and dialog.registered is None
    assert "Palveluinfo" in page.message.text()
    with services.ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(QueueTicket)) == 0
        attendance = s.scalars(select(EventAttendance)).one()
        assert (attendance.customer_id, attendance.attended, attendance.via) == (
            customer_id, True, CheckInVia.QUEUE)
        assert attendance.session_id == detail.sessions[0].id
        participant = s.scalars(select(EventParticipant)).one()
        assert participant.status == ParticipantStatus.REGISTERED


def test_arrival_without_an_event_gives_a_ticket_as_before(qtbot, window):
    services = window.services
    planned_info(services, "virtanen")
    page = signed_in_at_queue(qtbot, window, Clock(), username="desk")
    dialog = choose(qtbot, window, page, "guttorm")  # not on the event's list
    dialog.service.setCurrentIndex(dialog.service.findData("information"))
    qtbot.waitUntil(lambda: dialog.matched_for == dialog.customer_id, timeout=15000)
    assert not dialog.checkin_box.isVisible() and not dialog.checkin_buttons
    qtbot.keyClick(dialog.service, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    assert dialog.registered is not None and dialog.checked_in is None
    with services.ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(EventAttendance)) == 0
