"""The customer card's Messages tab (#23) by keyboard: a customer with an e-mail address
but no mobile number has agreed to nothing (letters are printed); the coach records the
preferences in the dialog, where text messages without a number are refused next to the
field and what was chosen stays; e-mail is agreed instead. The history shows a sent and
a failed message with its reason. The plan goes by e-mail with its password shown once.
Signing out leaves nothing of the customer's messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models.message import Message
from app.rules.codes import MessageChannel, MessageKind, MessageStatus
from app.rules.messages import message_id
from app.services.plans import PlanService
from app.views.customers.messages_section import (
    PasswordDialog,
    PlanDialog,
    PreferenceDialog,
)
from tests.factories import Clock, customer_input
from tests.gui.conftest import sign_in
from tests.gui.layout_check import cut_text
from tests.gui.test_accessibility import check_page
from tests.unit.test_plans import good_content

WAIT = 15000
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 10.00 in Helsinki
TODAY = date(2026, 11, 24)


def focused():
    return QApplication.focusWidget()


def press(qtbot, button) -> None:
    button.setFocus()
    qtbot.waitUntil(lambda: focused() is button, timeout=WAIT)
    qtbot.keyClick(button, Qt.Key.Key_Space)


def wait_dialog(qtbot, controller, cls):
    qtbot.waitUntil(lambda: isinstance(controller.dialog, cls)
                    and controller.dialog.isVisible(), timeout=WAIT)
    dialog = controller.dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT)
    return dialog


def add_message(services, customer_id, kind, channel, status, about_id, **kw):
    with services.ctx.session_factory.begin() as s:
        s.add(Message(id=message_id(kind, about_id), customer_id=customer_id,
                      service_point_id="sp-rov", kind=kind, channel=channel, status=status,
                      language="fi", about_id=about_id, attempts=1, **kw))


def setup_customer(services) -> str:
    services.ctx.now = Clock(START)
    services.auth.sign_in("coach", "demo")
    card = services.customers.create(customer_input(
        "Lindqvist", "Aino", date(1987, 4, 2), 618, email="aino@example.fi",
        unemployed_since=date(2026, 6, 1)))
    plans = PlanService(services.ctx)
    draft = plans.create_plan(card.id, "employment")
    plans.save_draft(draft.id, good_content(TODAY), draft.revision)
    plans.accept(draft.id, "signed")
    services.auth.sign_out()
    add_message(services, card.id, MessageKind.CONFIRMATION, MessageChannel.EMAIL,
                MessageStatus.SENT, "appt-1", due_at=START - timedelta(days=2),
                sent_at=START - timedelta(days=2), recipient="aino@example.fi")
    add_message(services, card.id, MessageKind.REMINDER, MessageChannel.SMS,
                MessageStatus.FAILED, "appt-1", due_at=START - timedelta(hours=3),
                error="The gateway refused the number")
    return card.id


def open_messages(qtbot, window, customer_id):
    customers = window.page("customers")
    window.open_customer(customer_id)
    card = customers.card_view
    qtbot.waitUntil(lambda: card.card is not None and card.card.id == customer_id,
                    timeout=WAIT)
    card.sections.setCurrentWidget(card.messages)
    section, controller = card.messages, customers.messages
    qtbot.waitUntil(lambda: section.preference is not None
                    and section.model.rowCount() >= 2, timeout=WAIT)
    return section, controller


def test_preferences_history_and_the_plan_by_keyboard(qtbot, window, services):
    customer_id = setup_customer(services)
    sign_in(qtbot, window, "coach")
    section, controller = open_messages(qtbot, window, customer_id)

    # Nothing agreed yet: a clear note that letters are printed; the address is shown.
    assert section.summary.text().startswith("ℹ")
    assert "aino@example.fi" in section.values["email"][1].text()
    assert section.send_plan.isVisible() and section.edit.isVisible()
    check_page(qtbot, section, "customer messages")
    qtbot.waitUntil(lambda: not cut_text(window), timeout=WAIT)  # once laid out

    # The history: newest first, the failure with its reason.
    rows = section.model.rows
    assert [r.kind for r in rows] == ["reminder", "confirmation"]
    assert section.model.index(0, 5).data() == "The gateway refused the number"
    assert "⚠" in section.model.index(0, 3).data()
    assert section.model.index(1, 4).data() == "aino@example.fi"
    assert "⚠" in section.title.text()

    # Text messages without a number: refused next to the field, the choice kept.
    press(qtbot, section.edit)
    dialog = wait_dialog(qtbot, controller, PreferenceDialog)
    check_page(qtbot, dialog, "preference dialog")
    dialog.sms.setFocus()
    qtbot.waitUntil(lambda: focused() is dialog.sms, timeout=WAIT)
    qtbot.keyClick(dialog.sms, Qt.Key.Key_Space)
    assert dialog.sms.isChecked()
    qtbot.keyClick(dialog.sms, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.sms_error.isVisible(), timeout=WAIT)
    # The reason is read whole, however many lines it wraps to.
    error = dialog.sms_error
    qtbot.waitUntil(lambda: error.height() >= error.heightForWidth(error.width()),
                    timeout=WAIT)
    assert dialog.isVisible() and dialog.sms.isChecked()
    assert focused() is dialog.sms
    assert not services.messages.preference(customer_id).recorded

    # E-mail instead: saved, the card says where messages go.
    qtbot.keyClick(dialog.sms, Qt.Key.Key_Space)
    dialog.email.setFocus()
    qtbot.waitUntil(lambda: focused() is dialog.email, timeout=WAIT)
    qtbot.keyClick(dialog.email, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.email, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: section.preference is not None and section.preference.email,
                    timeout=WAIT)
    stored = services.messages.preference(customer_id)
    assert (stored.recorded, stored.sms, stored.email, stored.given_on) == (
        True, False, True, TODAY)
    assert section.summary.text().startswith("✓")
    assert "Pekka Ylitalo" in section.values["given"][1].text()

    # The plan by e-mail: the password by SMS is not offered (not agreed); it is shown
    # once, and forgotten when the dialog closes.
    press(qtbot, section.send_plan)
    plan = wait_dialog(qtbot, controller, PlanDialog)
    check_page(qtbot, plan, "plan dialog")
    assert plan.tell.isChecked() and not plan.by_sms.isEnabled()
    qtbot.keyClick(plan.tell, Qt.Key.Key_Return)
    shown = wait_dialog(qtbot, controller, PasswordDialog)
    password = shown.password.text()
    assert len(password) >= 8 and not shown.by_sms
    qtbot.keyClick(shown.buttons.buttons()[0], Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not shown.isVisible(), timeout=WAIT)
    assert shown.password.text() == "" and shown.password.accessibleName() == ""
    qtbot.waitUntil(lambda: section.model.rowCount() == 3, timeout=WAIT)
    assert "plan" in [r.kind for r in section.model.rows]

    # Signing out leaves nothing of the customer's messages.
    window.session.sign_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
    assert section.model.rowCount() == 0 and section.preference is None
    assert all(v.text() == "" for _c, v in section.values.values())
    assert section.summary.text() == ""

    # The desk reads the tab but sends no plan.
    sign_in(qtbot, window, "desk")
    section, controller = open_messages(qtbot, window, customer_id)
    assert not section.send_plan.isVisible()


def test_the_appointment_letter_goes_by_e_mail_from_the_card(qtbot, window, services):
    from app.dto.messages import PreferenceInput
    from app.i18n import _
    from app.models import Appointment
    from app.rules.codes import AppointmentStatus, AppointmentType, Channel

    customer_id = setup_customer(services)
    with services.ctx.session_factory.begin() as s:
        s.add(Appointment(id="appt-mail", customer_id=customer_id, staff_id="staff-coach",
                          service_point_id="sp-rov",
                          type=AppointmentType.JOB_SEARCH_CONVERSATION,
                          channel=Channel.SERVICE_POINT, status=AppointmentStatus.BOOKED,
                          starts_at=START + timedelta(days=2),
                          ends_at=START + timedelta(days=2, hours=1)))
    sign_in(qtbot, window, "coach")
    customers = window.page("customers")
    window.open_customer(customer_id)
    card = customers.card_view
    qtbot.waitUntil(lambda: card.card is not None and card.card.id == customer_id,
                    timeout=WAIT)
    section = card.appointments
    qtbot.waitUntil(lambda: section.model.rowCount() == 1, timeout=WAIT)
    section.table.selectRow(0)
    # Not agreed to e-mail: refused with the reason; nothing queued.
    card.sections.setCurrentIndex(next(
        i for i in range(card.sections.count())
        if card.sections.widget(i) is section or card.sections.widget(i).isAncestorOf(section)))
    qtbot.waitUntil(section.email_letter.isVisible, timeout=WAIT)
    section.email_letter.click()
    qtbot.waitUntil(lambda: section.status.text().startswith("⚠"), timeout=WAIT)
    assert not [r for r in services.messages.history(customer_id) if r.kind == "letter"]
    services.messages.save_preference(customer_id, PreferenceInput(
        sms=False, email=True, opted_out=False, language=None, given_how="in_person",
        given_on=TODAY))
    section.email_letter.click()

    def letters():
        return [r for r in services.messages.history(customer_id) if r.kind == "letter"]

    qtbot.waitUntil(lambda: bool(letters()) and bool(section.status.text())
                    and not section.status.text().startswith("⚠")
                    and section.status.text() != _("Preparing the letter…"),
                    timeout=WAIT)
    [letter] = letters()
    assert (letter.document, letter.channel, letter.status) == (
        "appointment_letter", "email", "queued")
