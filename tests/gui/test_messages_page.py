"""The Messages page (#23) driven like a desk worker drives it: the messenger's stale
heartbeat warned about on the page and in the status bar; a failed text message sent
again from "To handle"; a letter of the print list printed (on a printer that writes a
PDF) and gone from the list; a team lead's template refused for an unknown fill-in
(the reason next to the field, the text kept), previewed and saved, then back to the
built-in wording. Signing out leaves nothing of any of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from app.models.message import Message, MessengerHeartbeat
from app.rules.codes import MessageChannel, MessageKind, MessageStatus
from app.rules.messages import heartbeat_id, message_id
from app.views.main_window import ROW
from tests.factories import Clock
from tests.gui.conftest import sign_in
from tests.gui.layout_check import cut_text
from tests.gui.test_accessibility import check_page

WAIT = 15000
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 10.00 in Helsinki


def focused():
    return QApplication.focusWidget()


def press(qtbot, button) -> None:
    """A button pressed from the keyboard: focus, then Space."""
    button.setFocus()
    qtbot.waitUntil(lambda: focused() is button, timeout=WAIT)
    qtbot.keyClick(button, Qt.Key.Key_Space)


def add_message(services, customer_id, kind, channel, status, about_id, **kw):
    mid = message_id(kind, about_id)
    with services.ctx.session_factory.begin() as s:
        s.add(Message(id=mid, customer_id=customer_id, service_point_id="sp-rov", kind=kind,
                      channel=channel, status=status, language="fi", about_id=about_id,
                      due_at=kw.pop("due_at", START - timedelta(hours=1)), attempts=3, **kw))
    return mid


def add_heartbeat(services, seen_at):
    with services.ctx.session_factory.begin() as s:
        s.add(MessengerHeartbeat(id=heartbeat_id("m1"), name="m1", host="central",
                                 started_at=START - timedelta(days=1), seen_at=seen_at,
                                 sent_count=12, failed_count=1))


def stored_status(services, mid):
    with services.ctx.session_factory() as s:
        return MessageStatus(s.get(Message, mid).status)


def setup_messages(services):
    services.ctx.now = Clock(START)
    services.auth.sign_in("admin", "demo")
    ids = [c.id for c in services.customers.page("").rows][:2]
    services.auth.sign_out()
    failed = add_message(services, ids[0], MessageKind.REMINDER, MessageChannel.SMS,
                         MessageStatus.FAILED, "appt-1",
                         error="The gateway refused the number",
                         about_starts_at=START + timedelta(days=1))
    letter = add_message(services, ids[1], MessageKind.CANCELLED, MessageChannel.PRINT,
                         MessageStatus.QUEUED, "appt-2",
                         about_starts_at=START + timedelta(days=2))
    sent = add_message(services, ids[1], MessageKind.CONFIRMATION, MessageChannel.EMAIL,
                       MessageStatus.SENT, "appt-3", sent_at=START - timedelta(minutes=30),
                       recipient="matti@example.fi")
    held = add_message(services, ids[0], MessageKind.CONFIRMATION, MessageChannel.EMAIL,
                       MessageStatus.HELD, "appt-4", error="may have been sent; a person "
                       "decides", due_at=START - timedelta(minutes=20))
    # Last heard from 40 minutes ago: stale.
    add_heartbeat(services, START - timedelta(minutes=40))
    return failed, letter, sent, held


def open_page(qtbot, window):
    window.nav.setCurrentRow(ROW["messages"])
    page = window.page("messages")
    qtbot.waitUntil(lambda: page.point.count() > 0 and page.status is not None, timeout=WAIT)
    return page


def test_desk_handles_a_failure_and_prints_a_letter(qtbot, window, services, tmp_path):
    failed, letter, sent, held = setup_messages(services)
    sign_in(qtbot, window, "desk")
    # The status bar warns: the messenger was last heard from 40 minutes ago.
    qtbot.waitUntil(lambda: window.messenger_label.isVisible(), timeout=WAIT)
    assert "⚠" in window.messenger_label.text()
    assert "9.20" in window.messenger_label.toolTip()  # 7.20 UTC in Helsinki time

    page = open_page(qtbot, window)
    qtbot.waitUntil(lambda: page.handle.model.rowCount() == 2
                    and page.printing.model.rowCount() == 1, timeout=WAIT)
    assert page.heartbeat.text().startswith("⚠") and "9.20" in page.heartbeat.text()
    assert page.point.currentData() == "sp-rov"
    assert page.tabs.indexOf(page.templates) < 0  # no settings.edit
    qtbot.waitUntil(lambda: window.nav.item(ROW["messages"]).text().endswith("3"),
                    timeout=WAIT)
    check_page(qtbot, page, "messages: to handle")
    qtbot.waitUntil(lambda: not cut_text(window), timeout=WAIT)  # once laid out

    # The held e-mail: "Do not send" asks first; answered no, nothing changes.
    assert [r.id for r in page.handle.model.rows] == [failed, held]  # oldest first
    page.handle.table.selectRow(1)
    assert page.handle.was_sent.isEnabled() and page.handle.not_send.isEnabled()
    asked: list[str] = []
    page.confirm = lambda text: asked.append(text) or False
    press(qtbot, page.handle.not_send)
    assert asked and stored_status(services, held) is MessageStatus.HELD
    page.confirm = lambda text: True
    press(qtbot, page.handle.not_send)
    qtbot.waitUntil(lambda: page.handle.model.rowCount() == 1, timeout=WAIT)
    assert stored_status(services, held) is MessageStatus.CANCELLED

    # To handle: the failed reminder with its reason; "It was sent" is for held ones.
    page.handle.table.setFocus()
    row = page.handle.model.rows[0]
    assert row.id == failed
    cells = [page.handle.model.index(0, c).data() for c in range(7)]
    assert "Epäonnistui" in cells[3] or "Failed" in cells[3]
    assert cells[6] == "The gateway refused the number"
    assert page.handle.again.isEnabled() and not page.handle.was_sent.isEnabled()
    press(qtbot, page.handle.again)
    qtbot.waitUntil(lambda: page.handle.model.rowCount() == 0, timeout=WAIT)
    assert stored_status(services, failed) is MessageStatus.QUEUED

    # Today: the sent confirmation and the re-queued reminder, with their status.
    page.tabs.setCurrentWidget(page.today)
    # The list read before the re-queue has three rows too: wait for the one after it.
    qtbot.waitUntil(lambda: {(r.id, r.status) for r in page.today.model.rows}
                    == {(failed, "queued"), (sent, "sent"), (held, "cancelled")},
                    timeout=WAIT)
    assert {r.id for r in page.today.model.rows} == {failed, sent, held}
    assert page.today.model.index(0, 0).data() == "9.30"  # the time alone on its day
    assert "3" in page.today.state.text()
    check_page(qtbot, page, "messages: today")

    # To print: the letter, printed on a printer that writes a PDF, leaves the list.
    page.tabs.setCurrentWidget(page.printing)
    qtbot.waitUntil(lambda: page.printing.table.isVisible(), timeout=WAIT)
    check_page(qtbot, page, "messages: to print")
    out = tmp_path / "printed.pdf"

    def pdf_printer():
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    page.ask_printer = pdf_printer
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    page.printing.table.setFocus()
    page.printing.table.selectRow(0)
    qtbot.keyClick(page.printing.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.printing.model.rowCount() == 0, timeout=WAIT)
    assert stored_status(services, letter) is MessageStatus.PRINTED
    assert len(PdfReader(str(out)).pages) >= 1
    assert "⚠" not in page.printing.state.text()

    # Signing out leaves nothing: no rows, no heartbeat line, no status bar warning.
    window.session.sign_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
    assert page.handle.model.rowCount() == page.today.model.rowCount() == 0
    assert page.printing.model.rowCount() == 0
    assert page.heartbeat.text() == "" and page.point.count() == 0
    assert not window.messenger_label.isVisible() and window.messenger_label.text() == ""


def test_a_fresh_heartbeat_is_no_warning(qtbot, window, services):
    services.ctx.now = Clock(START)
    add_heartbeat(services, START - timedelta(minutes=2))
    sign_in(qtbot, window, "coach")
    page = open_page(qtbot, window)
    assert page.heartbeat.text().startswith("✓") and "9.58" in page.heartbeat.text()
    assert not window.messenger_label.isVisible()


def test_lead_edits_a_template_with_a_refusal_and_a_preview(qtbot, window, services):
    services.ctx.now = Clock(START)
    sign_in(qtbot, window, "lead")
    page = open_page(qtbot, window)
    editor = page.templates
    assert page.tabs.indexOf(editor) >= 0
    page.tabs.setCurrentWidget(editor)
    qtbot.waitUntil(lambda: editor.loaded and editor.kind.count() > 0, timeout=WAIT)
    editor.kind.setCurrentIndex(editor.kind.findData("reminder"))
    editor.channel.setCurrentIndex(editor.channel.findData("sms"))
    editor.language.setCurrentIndex(editor.language.findData("fi"))
    qtbot.waitUntil(lambda: editor.key == ("reminder", "sms", "fi")
                    and editor.preview.text() != "", timeout=WAIT)
    assert not editor.subject.isVisible()  # a text message has no subject
    assert "{time}" in editor.fill_ins.text()
    check_page(qtbot, editor, "template editor")

    # An unknown fill-in: refused next to the text, which stays as typed.
    editor.body.setFocus()
    editor.body.selectAll()
    qtbot.keyClicks(editor.body, "Muista aika {date} klo {time}, {nimi}.")
    qtbot.waitUntil(lambda: editor.body_error.isVisible(), timeout=WAIT)
    assert "⚠" in editor.state.text()  # changed, not saved
    qtbot.keyClick(editor.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.save.isEnabled() and editor.body_error.isVisible(),
                    timeout=WAIT)
    assert editor.body.toPlainText() == "Muista aika {date} klo {time}, {nimi}."
    assert editor.body.hasFocus()
    assert not any(r.custom for r in services.messages.templates())

    # Fixed: the preview fills in the sample time; saved, it is the area's own wording.
    editor.body.selectAll()
    qtbot.keyClicks(editor.body, "Muista aika {date} klo {time}. Puh. {phone}")
    qtbot.waitUntil(lambda: not editor.body_error.isVisible()
                    and editor.preview.text().startswith("Muista aika ")
                    and "{" not in editor.preview.text(), timeout=WAIT)
    press(qtbot, editor.save)
    qtbot.waitUntil(lambda: editor.rows[("reminder", "sms", "fi")].custom, timeout=WAIT)
    assert "reminder" in [r.kind for r in services.messages.templates() if r.custom]
    assert editor.reset.isEnabled()

    # Another template and back: nothing typed is lost (a draft is kept meanwhile).
    editor.body.selectAll()
    qtbot.keyClicks(editor.body, "Luonnos {time}")
    editor.language.setCurrentIndex(editor.language.findData("sv"))
    qtbot.waitUntil(lambda: editor.key == ("reminder", "sms", "sv"), timeout=WAIT)
    editor.language.setCurrentIndex(editor.language.findData("fi"))
    qtbot.waitUntil(lambda: editor.key == ("reminder", "sms", "fi"), timeout=WAIT)
    assert editor.body.toPlainText() == "Luonnos {time}"

    press(qtbot, editor.reset)
    qtbot.waitUntil(lambda: not editor.rows[("reminder", "sms", "fi")].custom, timeout=WAIT)
    assert "{time}" in editor.body.toPlainText() and "Luonnos" not in editor.body.toPlainText()
    assert not any(r.custom for r in services.messages.templates())

    editor.body.selectAll()
    qtbot.keyClicks(editor.body, "Kesken {time}")
    window.session.sign_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
    assert editor.body.toPlainText() == "" and editor.drafts == {} and editor.rows == {}
    assert editor.preview.text() == ""


def test_lead_sets_the_reminder_time_with_a_refusal(qtbot, window, services):
    services.ctx.now = Clock(START)
    sign_in(qtbot, window, "lead")
    page = open_page(qtbot, window)
    editor = page.templates
    page.tabs.setCurrentWidget(editor)
    qtbot.waitUntil(lambda: editor.loaded, timeout=WAIT)
    qtbot.waitUntil(lambda: editor.reminder_time.time().toString("HH:mm") == "16:00",
                    timeout=WAIT)
    assert editor.reminder_label.buddy() is editor.reminder_time
    assert editor.reminder_time.accessibleName()

    # At 7.30 no reminder goes: refused next to the time, which stays as chosen.
    editor.reminder_time.setTime(editor.reminder_time.time().fromString("07:30", "HH:mm"))
    press(qtbot, editor.reminder_save)
    qtbot.waitUntil(lambda: editor.reminder_error.isVisible(), timeout=WAIT)
    assert editor.reminder_time.time().toString("HH:mm") == "07:30"
    assert services.settings.get("messages.reminder_time") == "16:00"

    editor.reminder_time.setTime(editor.reminder_time.time().fromString("17:00", "HH:mm"))
    press(qtbot, editor.reminder_save)
    qtbot.waitUntil(lambda: not editor.reminder_error.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: services.settings.get("messages.reminder_time") == "17:00",
                    timeout=WAIT)
    assert "17:00" in editor.state.text()


def test_the_screens_fit_at_150_percent_in_swedish(qapp, qtbot, services):
    """The page's tabs, the card's Messages tab and its dialogs at 1600x1000 with 150 %
    text in Swedish: nothing larger than the screen, no text cut off."""
    from PySide6.QtCore import QSize

    from app.dto.messages import PlanSent
    from app.views.application import build_main_window
    from app.views.customers.messages_section import (
        PasswordDialog,
        PlanDialog,
        PreferenceDialog,
    )
    from tests.factories import add_people
    from tests.gui.layout_check import too_large
    from tests.gui.test_layout import as_on_screen

    services.auth.sign_in("admin", "demo")
    add_people(services)
    services.auth.sign_out()
    setup_messages(services)
    screen = QSize(1600, 1000)
    base = QApplication.font()
    win, runner = build_main_window(qapp, services, "sv", text_scale=150)
    qtbot.addWidget(win)
    win.resize(screen)
    win.show()
    qtbot.waitExposed(win)
    try:
        found: list[str] = []
        sign_in(qtbot, win, "lead")
        page = open_page(qtbot, win)
        qtbot.waitUntil(lambda: page.handle.model.rowCount() == 2, timeout=WAIT)
        for tab in (page.handle, page.today, page.printing, page.templates):
            page.tabs.setCurrentWidget(tab)
            if tab is page.templates:
                qtbot.waitUntil(lambda: page.templates.preview.text() != "", timeout=WAIT)
            qtbot.wait(200)
            found += [f"{tab.objectName()}: {p}" for p in too_large(win, screen)
                      + cut_text(win)]
        customer_id = page.handle.model.rows[0].customer_id
        win.open_customer(customer_id)
        customers = win.page("customers")
        card = customers.card_view
        qtbot.waitUntil(lambda: card.card is not None and card.card.id == customer_id,
                        timeout=WAIT)
        card.sections.setCurrentWidget(card.messages)
        qtbot.waitUntil(lambda: card.messages.model.rowCount() == 2, timeout=WAIT)
        qtbot.wait(200)
        found += [f"card: {p}" for p in too_large(win, screen) + cut_text(win)]
        pref = card.messages.preference
        row = card.messages.model.rows[0]
        for name, dialog in (
                ("preferences", PreferenceDialog(pref, START.date(), win)),
                ("plan", PlanDialog(pref, win)),
                ("password", PasswordDialog(PlanSent(row, "Kx7pQ9mZ2w", row), win))):
            dialog.show()
            qtbot.wait(100)
            as_on_screen(dialog, screen)
            qtbot.wait(100)
            found += [f"{name}: {p}" for p in too_large(dialog, screen) + cut_text(dialog)]
            dialog.close()
        assert not found, "\n".join(found)
    finally:
        runner.wait()
        win.preferences.switcher.switch("fi")
        QApplication.setFont(base)
