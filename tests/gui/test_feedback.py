"""The feedback kiosk (answer, thanks, reset; leaving needs a PIN), the customer's
window at the end of a visit, and the feedback page."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import func, select

from app import i18n
from app.models import Feedback, FeedbackReplyRequest
from app.services.feedback import FeedbackAnswer
from app.views.main_window import ROW
from tests.factories import Clock
from tests.gui.test_queue import arrive, press, signed_in_at_queue, wait_state


def answers(services):
    with services.ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(Feedback))


def ok(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_kiosk_answers_and_leaving_needs_the_pin(qtbot, window):
    services = window.services
    services.auth.sign_in("coach", "demo")
    services.auth.set_pin("2468")
    services.auth.sign_out()

    window.displays.open_kiosk("ROV")
    qtbot.waitUntil(lambda: window.displays.kiosk is not None and window.displays.kiosk.isVisible(),
                    timeout=15000)
    kiosk = window.displays.kiosk
    assert not window.isVisible()
    assert all(q.text() for q in kiosk.questions) and len(kiosk.questions) == 3
    kiosk.reset_timer.setInterval(200)

    # A tap on a face is the answer: thanks at once, stored, then ready again.
    qtbot.mouseClick(kiosk.faces.buttons[4], Qt.MouseButton.LeftButton)
    assert kiosk.pages.currentIndex() == 1
    qtbot.waitUntil(lambda: answers(services) == 1, timeout=15000)
    qtbot.waitUntil(lambda: kiosk.pages.currentIndex() == 0, timeout=15000)
    with services.ctx.session_factory() as s:
        row = s.scalars(select(Feedback)).one()
    assert (row.score, row.service_point_id, row.channel.value, row.staff_id) == (
        4, "sp-rov", "service_point", None)

    # Closing the window does not end the kiosk.
    kiosk.close()
    assert kiosk.isVisible()

    # A wrong PIN keeps the kiosk.
    qtbot.mouseClick(kiosk.leave_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.dialog is not None and kiosk.dialog.isVisible(), timeout=15000)
    dialog = kiosk.dialog
    qtbot.keyClicks(dialog.username, "coach")
    qtbot.keyClicks(dialog.pin, "1357")
    ok(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10000)
    assert dialog.isVisible() and kiosk.isVisible() and dialog.pin.text() == ""
    assert window.displays.kiosk is kiosk

    # The right PIN leaves it, back to the sign-in view.
    qtbot.keyClicks(dialog.pin, "2468")
    ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not kiosk.isVisible(), timeout=10000)
    assert window.displays.kiosk is None and window.isVisible()
    assert window.root.currentWidget() is window.login
    assert answers(services) == 1


def test_opening_the_kiosk_signs_the_worker_out(qtbot, window):
    signed_in_at_queue(qtbot, window, Clock())
    window.menus.kiosk_action.trigger()
    qtbot.waitUntil(lambda: window.displays.kiosk is not None and window.displays.kiosk.isVisible(),
                    timeout=15000)
    assert window.actor is None
    qtbot.waitUntil(lambda: window.services.ctx.actor is None, timeout=15000)
    window.displays.kiosk.leave()


def test_feedback_offered_at_the_end_of_a_visit(qtbot, window):
    clock = Clock()
    page = signed_in_at_queue(qtbot, window, clock)
    ticket = arrive(qtbot, window, page, "virtanen", "finding_work")
    clock.advance(7)
    press(qtbot, window, Qt.Key.Key_F5)
    wait_state(qtbot, page, ticket.code, "called")
    press(qtbot, window, Qt.Key.Key_F9)
    wait_state(qtbot, page, ticket.code, "serving")
    clock.advance(10)
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.objectName() == "visit_dialog"
                    and page.dialog.isVisible(), timeout=15000)
    record = page.dialog
    record.offer_feedback.setChecked(True)
    ok(qtbot, record)
    qtbot.waitUntil(lambda: getattr(page, "feedback_window", None) is not None
                    and page.feedback_window.isVisible(), timeout=15000)
    customer = page.feedback_window

    # The customer switches to Swedish; the worker's language stays Finnish.
    finnish = customer.question.text()
    qtbot.mouseClick(customer.findChild(type(customer.send), "customer_lang_sv"),
                     Qt.MouseButton.LeftButton)
    assert customer.question.text() != finnish and customer.lang == "sv"
    assert i18n.current_language() == "fi"

    # Sending without a face asks for one.
    qtbot.mouseClick(customer.send, Qt.MouseButton.LeftButton)
    assert customer.error.isVisible()
    qtbot.mouseClick(customer.faces.buttons[5], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(customer.recommend.button(10), Qt.MouseButton.LeftButton)
    customer.comment.insertPlainText("Mycket bra hjälp med CV:t")
    qtbot.mouseClick(customer.wants_reply, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(customer.contact, "asiakas@example.fi")
    qtbot.mouseClick(customer.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: customer.sent, timeout=15000)
    assert customer.pages.currentIndex() == 1

    with window.services.ctx.session_factory() as s:
        row = s.scalars(select(Feedback)).one()
        reply = s.scalars(select(FeedbackReplyRequest)).one()
    assert (row.score, row.recommend, row.wait_minutes, row.channel.value) == (
        5, 10, 7, "service_point")
    assert row.staff_id == "staff-coach" and row.comment == "Mycket bra hjälp med CV:t"
    assert (reply.feedback_id, reply.contact) == (row.id, "asiakas@example.fi")


def test_feedback_page_figures_comments_and_replies(qtbot, window):
    services = window.services
    services.ctx.now = Clock()
    services.feedback.record_at_kiosk("sp-rov", FeedbackAnswer(score=5, comment="Kiitos"))
    services.feedback.record_at_kiosk("sp-rov", FeedbackAnswer(score=2, comment="Jono oli pitkä"))
    window.login.username.setText("lead")
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)
    window.nav.setCurrentRow(ROW["feedback"])
    page = window.page("feedback")
    page.start.setDate(page.end.date().addDays(-400))
    page.end.setDate(page.end.date().addDays(400))
    qtbot.waitUntil(lambda: page.figure_model.rowCount() == 2, timeout=15000)  # point + all
    assert page.cards["answers"].value.text() == "2"
    assert page.cards["satisfaction"].value.text().startswith("50")

    page.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: page.comment_model.rowCount() == 2, timeout=15000)
    qtbot.keyClicks(page.search, "JONO")
    qtbot.waitUntil(lambda: page.comment_model.rowCount() == 1, timeout=15000)
    assert "pitkä" in page.comment_model.rows[0].comment


def test_desk_role_sees_no_feedback_figures(qtbot, window):
    window.login.username.setText("desk")
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)
    window.nav.setCurrentRow(ROW["feedback"])
    assert window.page("feedback").denied.isVisible()
    assert not window.page("feedback").content.isVisible()


def test_kiosk_pauses_after_too_many_wrong_pins(qtbot, window):
    from app.views.feedback.kiosk import MAX_TRIES, KioskWindow

    services = window.services
    kiosk = KioskWindow(services.feedback, services.auth, window.runner,
                        services.feedback.kiosk_point("ROV"))
    qtbot.addWidget(kiosk)
    kiosk.show()
    kiosk.ask_pin()
    dialog = kiosk.dialog
    dialog.username.setText("coach")
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    for attempt in range(MAX_TRIES):
        dialog.pin.setText("0000")
        qtbot.waitUntil(button.isEnabled, timeout=15000)
        ok(qtbot, dialog)
        qtbot.waitUntil(lambda a=attempt: kiosk.wrong_tries == a + 1 or kiosk.wrong_tries == 0,
                        timeout=10000)
    qtbot.waitUntil(lambda: not button.isEnabled() and "30" in dialog.error.text(),
                    timeout=15000)
    assert kiosk.isVisible()
    kiosk.leave()
