"""The desk's flow faults (issue 18): a typed name that matches no one never becomes an
anonymous ticket by itself, and F5 never opens a second visit at a desk."""

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from sqlalchemy import func, select

from app.dto.visits import VisitInput
from app.i18n import _
from app.models import QueueTicket
from app.rules.codes import ServiceArea, TicketState
from app.services.errors import ServiceError
from app.views.common import label
from tests.factories import Clock, customer_input
from tests.gui.test_queue import press, signed_in_at_queue, wait_state


def tickets(window) -> list[QueueTicket]:
    with window.services.ctx.session_factory() as s:
        return list(s.scalars(select(QueueTicket).order_by(QueueTicket.number)))


def open_arrival(qtbot, window, page, text):
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    qtbot.keyClicks(dialog.search, text)
    return dialog


def ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_unmatched_name_is_never_silently_anonymous(qtbot, window):
    page = signed_in_at_queue(qtbot, window, Clock(), "desk")
    dialog = open_arrival(qtbot, window, page, "ruokojarvi kaa")
    qtbot.wait(400)  # the search has run (debounced) and found no one
    window.runner.wait()
    qtbot.wait(50)
    assert dialog.results.count() == 0
    # Enter (the dialog's OK) gives no ticket: the worker must choose.
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    window.runner.wait()
    qtbot.wait(50)
    assert dialog.isVisible() and dialog.registered is None
    assert dialog.unmatched.isVisible()
    assert "ruokojarvi kaa" in dialog.chosen.text()
    assert dialog.error.isVisible() and dialog.register_button.hasFocus()
    assert tickets(window) == []
    # The explicit choice, from the keyboard: back one field, Enter on "anonymous ticket".
    qtbot.keyClick(dialog.register_button, Qt.Key.Key_Backtab)
    assert dialog.anonymous_button.hasFocus()
    qtbot.keyClick(dialog.anonymous_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    [ticket] = tickets(window)
    assert ticket.customer_id is None


def test_enter_before_the_results_arrive_gives_no_ticket(qtbot, window):
    """The old fault's other half: the list was still empty, so no warning at all."""
    page = signed_in_at_queue(qtbot, window, Clock(), "desk")
    dialog = open_arrival(qtbot, window, page, "virtanen")
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    window.runner.wait()
    qtbot.wait(300)
    assert dialog.isVisible() and tickets(window) == []
    # Whatever the list shows, the typed text still needs a choice.
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=15000)
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    window.runner.wait()
    qtbot.wait(50)
    assert dialog.isVisible() and tickets(window) == []
    assert dialog.results.hasFocus()


def test_new_customer_keeps_the_typed_name(qtbot, window):
    page = signed_in_at_queue(qtbot, window, Clock(), "desk")
    dialog = open_arrival(qtbot, window, page, "ruokojarvi kaarina")
    qtbot.waitUntil(lambda: dialog.searched is not None, timeout=15000)
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.customer_dialog is not None
                    and dialog.customer_dialog.isVisible(), timeout=15000)
    form = dialog.customer_dialog
    assert form.edits["last_name"].text() == "Ruokojarvi"
    assert form.edits["first_names"].text() == "Kaarina"
    form.edits["birth_date"].setText("3.4.1988")
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=15000)
    assert dialog.customer_id == form.saved.id
    assert not dialog.unmatched.isVisible()
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    [ticket] = tickets(window)
    assert ticket.customer_id == form.saved.id


def test_more_than_eight_matches_says_so(qtbot, window):
    services = window.services
    services.auth.sign_in("admin", "demo")
    for i in range(10):
        services.customers.create(customer_input("Heikkinen", f"Anna{'a' * i}",
                                                 date(1980, 1, 1 + i), 200 + i))
    services.auth.sign_out()
    page = signed_in_at_queue(qtbot, window, Clock(), "desk")
    dialog = open_arrival(qtbot, window, page, "heikkinen")
    qtbot.waitUntil(lambda: dialog.results.count() == 8, timeout=15000)
    assert dialog.more.isVisible() and "8" in dialog.more.text()
    qtbot.keyClicks(dialog.search, " annaaaaaaaa")
    qtbot.waitUntil(lambda: 0 < dialog.results.count() < 8, timeout=15000)
    assert not dialog.more.isVisible()


# --- F5 while serving ---------------------------------------------------------------------

def serving_one(qtbot, window):
    clock = Clock()
    page = signed_in_at_queue(qtbot, window, clock, "desk")
    queue = window.services.queue
    ids = [r.id for r in window.services.customers.page("virtanen").rows]
    queue.register_walk_in(ids[0], "information")
    clock.advance(4)
    queue.register_walk_in(None, "information")
    press(qtbot, window, Qt.Key.Key_F5)
    wait_state(qtbot, page, "A 001", "called")
    press(qtbot, window, Qt.Key.Key_F9)
    wait_state(qtbot, page, "A 001", "serving")
    return page, clock


def test_call_next_while_serving_asks_to_finish_first(qtbot, window):
    page, clock = serving_one(qtbot, window)
    clock.advance(6)
    press(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: isinstance(page.dialog, QMessageBox) and page.dialog.isVisible(),
                    timeout=15000)
    box = page.dialog
    assert "A 001" in box.text() and "Virtanen M." in box.text()
    window.runner.wait()
    assert [t.state.value for t in tickets(window)] == ["serving", "waiting"]
    # Its button opens the visit record, which names the ticket and the customer.
    finish = next(b for b in box.buttons() if b.objectName() == "queue_busy_finish")
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.objectName()
                    == "visit_dialog" and page.dialog.isVisible(), timeout=15000)
    record = page.dialog
    assert "A 001" in record.windowTitle() and "Virtanen M." in record.windowTitle()
    assert record.whom.text() == "A 001 · Virtanen M." and record.whom.isVisible()
    assert "6" in record.times.text()
    qtbot.mouseClick(record.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not record.isVisible(), timeout=15000)
    wait_state(qtbot, page, "A 002", "waiting")
    qtbot.waitUntil(lambda: page.busy_ticket() is None, timeout=15000)
    press(qtbot, window, Qt.Key.Key_F5)
    wait_state(qtbot, page, "A 002", "called")


def test_call_next_right_after_a_finish_is_not_refused_by_a_stale_view(qtbot, window):
    """F12 saved, F5 at once: the page's last snapshot may still show the customer just
    finished (until the next refresh); F5 asks the queue as it is."""
    page, _clock = serving_one(qtbot, window)
    stale = page.snapshot
    [serving] = stale.mine
    window.services.queue.finish(serving.id, VisitInput("information"))
    page.snapshot = stale  # as shown until the refresh lands
    press(qtbot, window, Qt.Key.Key_F5)
    wait_state(qtbot, page, "A 002", "called")
    assert not (isinstance(page.dialog, QMessageBox) and page.dialog.isVisible())


def test_f12_names_whom_it_finishes(qtbot, window):
    page, _clock = serving_one(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.objectName()
                    == "visit_dialog" and page.dialog.isVisible(), timeout=15000)
    assert "A 001 · Virtanen M." in page.dialog.windowTitle()
    assert page.dialog.whom.text() == "A 001 · Virtanen M."
    page.dialog.reject()


def test_call_next_while_called_says_how_to_go_on(qtbot, window):
    clock = Clock()
    page = signed_in_at_queue(qtbot, window, clock, "desk")
    queue = window.services.queue
    queue.register_walk_in(None, "information")
    queue.register_walk_in(None, "information")
    press(qtbot, window, Qt.Key.Key_F5)
    wait_state(qtbot, page, "A 001", "called")
    press(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: isinstance(page.dialog, QMessageBox) and page.dialog.isVisible(),
                    timeout=15000)
    assert "A 001" in page.dialog.text() and "F9" in page.dialog.text()
    page.dialog.accept()
    window.runner.wait()
    assert [t.state.value for t in tickets(window)] == ["called", "waiting"]


def test_the_service_refuses_a_second_visit(qtbot, window):
    signed_in_at_queue(qtbot, window, Clock(), "desk")
    queue = window.services.queue
    first = queue.register_walk_in(None, "information")
    second = queue.register_walk_in(None, "information")
    queue.call_next()
    with pytest.raises(ServiceError) as refused:
        queue.call_next()
    assert "A 001" in refused.value.text()
    with pytest.raises(ServiceError):
        queue.call(second.id)
    queue.start(first.id)
    with pytest.raises(ServiceError):
        queue.call_next()
    queue.finish(first.id, VisitInput("information"))
    assert queue.call_next().id == second.id
    with window.services.ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(QueueTicket).where(
            QueueTicket.state == "called")) == 1


# --- the page for the person at the desk -------------------------------------------------

def test_a_chosen_row_of_another_desk_is_not_called_yours(qtbot, window):
    """Choosing another desk's customer in the serving list (to act on it) showed them
    under "At your desk"."""
    page, _clock = serving_one(qtbot, window)
    mine = page.snapshot.mine[-1]
    other = dataclasses.replace(mine, id="someone-elses", code="A 009", desk="3")
    page.serving_model.set_rows([*page.serving_model.rows, other], page.snapshot.now)
    page.serving_table.selectRow(len(page.serving_model.rows) - 1)
    page._show_current()
    assert page.current_code.text() == "A 009"
    assert page.current_box.title() == _("Chosen: at desk {desk}").format(desk="3")
    page.serving_table.clearSelection()
    page._show_current()
    assert page.current_code.text() == mine.code
    assert page.current_box.title().startswith(_("At your desk (desk {desk})").split("(")[0])


def test_the_customer_at_the_desk_comes_first_and_times_tick(qtbot, window):
    page, clock = serving_one(qtbot, window)
    assert page.current_code.text() == "A 001" and page.current_code.isVisible()
    assert page.current_name.text() == "Virtanen M."
    assert page.current_info.text() == "  ·  ".join(
        (label(ServiceArea.INFORMATION), label(TicketState.SERVING)))
    assert page.buttons["finish"].isVisible() and page.buttons["transfer"].isVisible()
    assert not page.buttons["call_next"].isVisible()
    assert "0 min" in page.current_times.text()
    # The service time ticks from the services' clock, not the wall clock.
    clock.advance(7)
    page._tick()
    assert "7 min" in page.current_times.text()
    assert "A 001" in page.current_text()


def test_nobody_at_the_desk_offers_call_next(qtbot, window):
    page = signed_in_at_queue(qtbot, window, Clock(), "desk")
    assert page.current_name.text() == _("No one at your desk.")
    assert page.buttons["call_next"].isVisible() and page.buttons["call_next"].isEnabled()
    assert not page.current_code.isVisible() and not page.buttons["finish"].isVisible()


def test_waiting_list_shows_the_priority_reason(qtbot, window):
    page = signed_in_at_queue(qtbot, window, Clock(), "desk")
    window.services.queue.register_walk_in(None, "information", "accessibility")
    qtbot.waitUntil(lambda: page.waiting_model.rowCount() == 1, timeout=10000)
    notes = page.waiting_model.index(0, 3).data()
    assert _("Accessibility need") in notes


def test_clear_drops_the_previous_workers_desk(qtbot, window):
    page, _clock = serving_one(qtbot, window)
    dialog = open_arrival(qtbot, window, page, "virtanen")
    page.clear()
    assert page.dialog is None and not dialog.isVisible()
    assert page.current_text() == "" and page.current_ticket() is None
    assert page.message.text() == ""
