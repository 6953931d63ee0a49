"""Issue 18's end-to-end scenario at a shared desk, from the keyboard: the desk serves two
walk-ins (one typed by a name that matches no one, so the worker must choose between an
anonymous ticket and a new customer), signs out, and the coach who signs in next finds
nothing of the desk's session."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from app.models import Customer, QueueTicket, Visit
from app.views.main_window import ROW
from tests.factories import Clock
from tests.gui.test_queue import press, wait_state
from tests.gui.test_session_lock import visible_text
from tests.gui.test_sign_out_privacy import activate, type_sign_in


def arrival(qtbot, window, page, typed: str):
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    qtbot.keyClicks(dialog.search, typed)
    qtbot.waitUntil(lambda: dialog.searched is not None, timeout=15000)
    window.runner.wait()
    qtbot.wait(50)
    return dialog


def accept(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)


def serve_next(qtbot, window, page, clock, code: str, topics: str) -> None:
    press(qtbot, window, Qt.Key.Key_F5)
    wait_state(qtbot, page, code, "called")
    press(qtbot, window, Qt.Key.Key_F9)
    wait_state(qtbot, page, code, "serving")
    assert code in page.current_text()
    clock.advance(9)
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.objectName() == "visit_dialog"
                    and page.dialog.isVisible(), timeout=15000)
    record = page.dialog
    assert code in record.windowTitle() or code in visible_text()  # it says whom it ends
    qtbot.keyClicks(record.topics, topics)
    accept(qtbot, record)


def test_a_desk_serves_two_walk_ins_and_the_coach_after_finds_nothing(qtbot, window):
    clock = Clock()
    window.services.ctx.now = clock
    type_sign_in(qtbot, window, "desk")
    activate(qtbot, window)
    page = window.page("queue")
    assert window.pages.currentWidget() is page  # a desk's day starts at the queue
    window.services.queue.set_workstation("1", "A")
    page.refresh()
    qtbot.waitUntil(lambda: page.snapshot is not None and page.snapshot.duty is not None,
                    timeout=10000)

    # The first walk-in is found by name and chosen from the list.
    dialog = arrival(qtbot, window, page, "virtanen")
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=15000)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    assert dialog.customer_id is not None
    accept(qtbot, dialog)

    # The second is typed by a name that matches no one: Enter gives no ticket, the worker
    # chooses "New customer…", and the form keeps the typed name.
    clock.advance(1)
    dialog = arrival(qtbot, window, page, "ruokojarvi kaarina")
    assert dialog.results.count() == 0
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    window.runner.wait()
    qtbot.wait(50)
    assert dialog.isVisible() and dialog.registered is None
    assert dialog.anonymous_button.isVisible() and dialog.register_button.hasFocus()
    qtbot.keyClick(dialog.register_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.customer_dialog is not None
                    and dialog.customer_dialog.isVisible(), timeout=15000)
    form = dialog.customer_dialog
    assert (form.edits["last_name"].text(), form.edits["first_names"].text()) == (
        "Ruokojarvi", "Kaarina")
    form.edits["birth_date"].setText("3.4.1988")
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=15000)
    accept(qtbot, dialog)

    clock.advance(4)
    serve_next(qtbot, window, page, clock, "A 001", "Job search")
    serve_next(qtbot, window, page, clock, "A 002", "Registration")
    with window.services.ctx.session_factory() as s:
        tickets = list(s.scalars(select(QueueTicket).order_by(QueueTicket.number)))
        visits = s.scalars(select(Visit)).all()
        new = s.scalars(select(Customer).where(Customer.last_name == "Ruokojarvi")).one()
    assert [t.state.value for t in tickets] == ["done", "done"]
    assert tickets[1].customer_id == new.id and all(t.customer_id for t in tickets)
    assert len(visits) == 2

    # The desk opens the new customer's card from a search, goes back to the list (the
    # search stays), and signs out from the keyboard.
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    customers = window.page("customers")
    qtbot.keyClicks(customers.list_view.search, "ruokojarvi")
    qtbot.waitUntil(lambda: customers.model.rowCount() == 1
                    and customers.model.query == "ruokojarvi", timeout=15000)
    customers.open_customer(new.id)
    qtbot.waitUntil(lambda: customers.card_view.title.text() == "Ruokojarvi, Kaarina"
                    and customers.coaching.customer_id == new.id, timeout=15000)
    customers.show_list()
    window.runner.wait()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert window.root.currentWidget() is window.login
    leftovers = visible_text()
    assert "Ruokojarvi" not in leftovers and "ruokojarvi" not in leftovers
    # Nor hidden behind the list, nor reloaded for the next person by a change to barriers.
    assert customers.card_view.title.text() == "" and customers.card_view.card is None
    assert customers.coaching.customer_id is None

    type_sign_in(qtbot, window, "coach")
    assert window.actor.username == "coach"
    assert window.pages.currentWidget() is window.page("today")
    for key in ("queue", "customers"):
        window.nav.setCurrentRow(ROW[key])
        window.runner.wait()
        qtbot.wait(50)
        text = visible_text()
        assert "ruokojarvi" not in text and "Registration" not in text, key
    assert customers.list_view.search.text() == "" and customers.model.query == ""
    assert "A 00" not in page.current_text()  # no one at the coach's desk
    assert window.statusBar().currentMessage() == ""
