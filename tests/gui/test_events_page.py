"""The Events page (#21) by keyboard: a coach creates a service-info event in the form
(a refused field keeps what was typed), invites customers from their caseload, and on
the day checks two of them in: the list shows them attended and so does each one's
events (the timeline's source). The desk sees the week and the list and checks in, but
has no New event; signing out leaves nothing of the event."""

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from app.views.events.dialogs import EventDialog, InviteDialog
from app.views.main_window import ROW
from tests.factories import Clock
from tests.gui.conftest import sign_in
from tests.gui.test_accessibility import check_page

WAIT = 15000


def focused():
    return QApplication.focusWidget()


def press(qtbot, button) -> None:
    """A button pressed from the keyboard: focus, then Space."""
    button.setFocus()
    qtbot.waitUntil(lambda: focused() is button, timeout=WAIT)
    qtbot.keyClick(button, Qt.Key.Key_Space)


def type_into(qtbot, widget, text) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: focused() is widget, timeout=WAIT)
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def wait_dialog(qtbot, page, cls):
    qtbot.waitUntil(lambda: isinstance(page.dialog, cls) and page.dialog.isVisible(),
                    timeout=WAIT)
    dialog = page.dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT)
    return dialog


def open_page(qtbot, window):
    window.nav.setCurrentRow(ROW["events"])
    page = window.page("events")
    qtbot.waitUntil(lambda: page.week.point.count() > 0 and page.monday is not None,
                    timeout=WAIT)
    return page


def test_coach_organises_invites_and_checks_in_by_keyboard(qtbot, window, services):
    # Tuesday 24.11.2026 10.00 in Helsinki; the event is on Thursday of the same week.
    clock = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.ctx.now = clock
    event_day = date(2026, 11, 26)
    services.auth.sign_in("admin", "demo")
    ids = [c.id for c in services.customers.page("").rows][:3]
    for cid in ids:  # three of the five are the coach's caseload
        services.coaching.assign(cid, "staff-coach", "test")
    services.auth.sign_out()

    sign_in(qtbot, window)
    page = open_page(qtbot, window)
    assert page.week.new.isVisible()
    check_page(qtbot, page, "events week")
    press(qtbot, page.week.new)
    dialog = wait_dialog(qtbot, page, EventDialog)
    check_page(qtbot, dialog, "event dialog")
    assert dialog.kind.currentData() == "service_info"
    assert "staff-coach" in [dialog.organisers.item(i).data(Qt.ItemDataRole.UserRole)
                             for i in range(dialog.organisers.count())
                             if dialog.organisers.item(i).checkState() == Qt.CheckState.Checked]
    type_into(qtbot, dialog.title, "Palveluinfo: CV-paja")
    type_into(qtbot, dialog.capacity, "kymmenen")  # refused: not a number
    row = dialog.rows_[0]
    type_into(qtbot, row.day, f"{event_day.day}.{event_day.month}.{event_day.year}")
    type_into(qtbot, row.start, "10:00")
    type_into(qtbot, row.end, "11:30")
    qtbot.keyClick(row.end, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=WAIT)
    assert dialog.isVisible()
    assert focused() is dialog.capacity  # the refused field takes the focus
    assert dialog.title.text() == "Palveluinfo: CV-paja"  # what was typed stays
    type_into(qtbot, dialog.capacity, "10")
    qtbot.keyClick(dialog.capacity, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)

    qtbot.waitUntil(lambda: page.currentWidget() is page.card
                    and page.card.detail is not None, timeout=WAIT)
    detail = page.card.detail
    assert detail.row.title == "Palveluinfo: CV-paja"
    assert detail.row.capacity == 10 and len(detail.sessions) == 1
    assert "Palveluinfo: CV-paja" in page.card.heading.text()
    check_page(qtbot, page.card, "event card")

    # Invite from the caseload filter: the coach's three customers.
    press(qtbot, page.card.invite)
    invite = wait_dialog(qtbot, page, InviteDialog)
    qtbot.waitUntil(lambda: invite.candidates.count() == 3, timeout=WAIT)
    check_page(qtbot, invite, "invite dialog")
    assert invite.caseload.currentData() == "staff-coach"
    assert invite.invite.isEnabled() and "3" in invite.invite.text()
    press(qtbot, invite.invite)
    qtbot.waitUntil(lambda: not invite.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: "3" in page.card.message.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: len(page.card.participants) == 3, timeout=WAIT)
    assert {p.status for p in page.card.participants} == {"invited"}

    # The week lists the event.
    press(qtbot, page.card.back)
    qtbot.waitUntil(lambda: page.week.model.rowCount() == 1, timeout=WAIT)
    assert page.week.model.rows[0].event.title == "Palveluinfo: CV-paja"

    # On the day: two of them are checked in from the list.
    clock.now = datetime(2026, 11, 26, 7, 55, tzinfo=UTC)
    page.week.table.setFocus()
    page.week.table.selectRow(0)
    qtbot.keyClick(page.week.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.currentWidget() is page.card
                    and len(page.card.participants) == 3, timeout=WAIT)
    assert len(page.card.todays_sessions()) == 1
    table = page.card.table
    table.setFocus()
    selection = table.selectionModel()
    selection.clearSelection()
    for r in (0, 1):
        selection.select(table.model().index(r, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    checked = {page.card.participants[r].customer_id for r in (0, 1)}
    press(qtbot, page.card.check_in)
    qtbot.waitUntil(lambda: sum(p.attended_today for p in page.card.participants) == 2,
                    timeout=WAIT)
    attended = {p.customer_id for p in page.card.participants if p.attended_today}
    assert attended == checked
    assert all(p.status == "registered" for p in page.card.participants
               if p.customer_id in checked)
    # Each one's events (what the customer's timeline shows) say they attended.
    for cid in checked:
        [row] = services.events.for_customer(cid)
        assert row.attended == 1
    third = (set(ids) - checked).pop()
    assert services.events.for_customer(third)[0].attended == 0
    # ... and the customer card's timeline shows it.
    customers = window.page("customers")
    for cid in checked:
        window.open_customer(cid)
        qtbot.waitUntil(lambda cid=cid: bool(
            customers.card_view.card is not None and customers.card_view.card.id == cid
            and customers.card_view.events.model.rows
            and customers.card_view.events.model.rows[0].event_id == detail.row.id
            and customers.card_view.events.model.rows[0].attended == 1), timeout=WAIT)
    window.nav.setCurrentRow(ROW["events"])

    # Signing out leaves nothing of the event.
    window.session.sign_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
    assert page.card.detail is None and page.card.participants == []
    assert page.week.model.rowCount() == 0

    # The desk: the list and the check-in, no New event.
    sign_in(qtbot, window, "desk")
    page = open_page(qtbot, window)
    assert not page.week.new.isVisible()
    qtbot.waitUntil(lambda: page.week.model.rowCount() == 1, timeout=WAIT)
    page.week.table.setFocus()
    page.week.table.selectRow(0)
    qtbot.keyClick(page.week.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.currentWidget() is page.card
                    and len(page.card.participants) == 3, timeout=WAIT)
    assert not page.card.invite.isVisible() and not page.card.edit.isVisible()
    index = next(i for i, p in enumerate(page.card.participants) if p.customer_id == third)
    page.card.table.selectRow(index)
    press(qtbot, page.card.check_in)
    qtbot.waitUntil(lambda: sum(p.attended_today for p in page.card.participants) == 3,
                    timeout=WAIT)
    assert page.monday == date(2026, 11, 23)
    assert page.monday + timedelta(days=3) == event_day


def test_invitations_annual_calendar_pdf_and_ics_are_saved(qtbot, window, services,
                                                             monkeypatch, tmp_path):
    """Save the invitations (one page each), the annual calendar (one page) and the
    year's iCalendar from the page; a team lead adds a theme there."""
    import io

    from icalendar import Calendar
    from pypdf import PdfReader

    from app.dto.events import EventInput, InviteFilter, SessionInput
    from app.views import file_dialogs
    from app.views.events.annual import ThemesDialog
    from app.views.events.dialogs import ThemeDialog

    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("lead", "demo")
    detail = services.events.create(EventInput(
        service_point_id="sp-rov", kind="recruitment", title="Rekrytointipaiva",
        sessions=(SessionInput(day="26.11.2026", start="13:00", end="15:00"),)))
    ids = [c.customer_id for c in services.events.invite_candidates(detail.row.id,
                                                                    InviteFilter())][:2]
    services.events.invite(detail.row.id, ids)
    services.auth.sign_out()

    sign_in(qtbot, window, "lead")
    page = open_page(qtbot, window)
    saved = {"pdf": tmp_path / "kutsut.pdf", "annual": tmp_path / "vuosikello.pdf",
             "ics": tmp_path / "tapahtumat.ics"}
    answers = iter([saved["pdf"], saved["annual"], saved["ics"]])
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: next(answers))
    page.open_event(detail.row.id)
    qtbot.waitUntil(lambda: len(page.card.participants) == 2, timeout=WAIT)
    press(qtbot, page.card.save_letters)
    qtbot.waitUntil(lambda: saved["pdf"].exists() and "kutsut.pdf" in page.card.message.text(),
                    timeout=WAIT)
    reader = PdfReader(io.BytesIO(saved["pdf"].read_bytes()))
    assert len(reader.pages) == 2
    assert "Rekrytointipaiva" in reader.pages[1].extract_text()

    press(qtbot, page.card.back)
    page.tabs.setCurrentIndex(1)
    annual = page.annual
    qtbot.waitUntil(lambda: annual.calendar is not None, timeout=WAIT)
    assert annual.themes_button.isVisible()  # a team lead keeps the themes
    press(qtbot, annual.themes_button)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ThemesDialog),
                    timeout=WAIT)
    themes = QApplication.activeModalWidget()
    press(qtbot, themes.add)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ThemeDialog),
                    timeout=WAIT)
    form = QApplication.activeModalWidget()
    form.month.setCurrentIndex(10)
    type_into(qtbot, form.title, "Talvisesongin rekrytoinnit")
    qtbot.keyClick(form.title, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: themes.list.count() == 1, timeout=WAIT)
    themes.reject()
    qtbot.waitUntil(lambda: "Talvisesongin" in annual.months[10][1].text(), timeout=WAIT)
    assert "Rekrytointipaiva" in annual.months[10][1].text()

    press(qtbot, annual.save_button)
    qtbot.waitUntil(lambda: saved["annual"].exists()
                    and "vuosikello" in annual.status.text(), timeout=WAIT)
    reader = PdfReader(io.BytesIO(saved["annual"].read_bytes()))
    assert len(reader.pages) == 1
    assert "Talvisesongin rekrytoinnit" in reader.pages[0].extract_text()

    press(qtbot, annual.ics_button)
    qtbot.waitUntil(lambda: saved["ics"].exists() and "tapahtumat" in annual.status.text(),
                    timeout=WAIT)
    summaries = {str(c.get("SUMMARY")) for c in Calendar.from_ical(
        saved["ics"].read_bytes()).walk("VEVENT")}
    assert "Rekrytointipaiva" in summaries
