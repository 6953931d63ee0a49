"""The walk-in queue driven from the keyboard, the way a desk works a morning."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from app.dto.visits import VisitInput
from app.models import QueueTicket, Visit
from app.views.main_window import ROW
from tests.factories import Clock


def signed_in_at_queue(qtbot, window, clock, username="coach"):
    window.services.ctx.now = clock
    window.login.username.setText(username)
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)
    window.services.queue.set_workstation("1", "A")
    window.nav.setCurrentRow(ROW["queue"])  # a coach's day may start elsewhere
    page = window.page("queue")
    assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.snapshot is not None and page.snapshot.duty is not None,
                    timeout=10000)
    return page


def press(qtbot, window, key):
    # The offscreen platform does not give the window back its activation when a
    # dialog closes, as desktop window managers do; shortcuts need an active window.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, key)


def arrive(qtbot, window, page, search, service):
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    if search:
        qtbot.keyClicks(dialog.search, search)
        qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=15000)
        qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
        assert dialog.customer_id is not None
    dialog.service.setCurrentIndex(dialog.service.findData(service))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    return dialog.registered


def wait_state(qtbot, page, code, state):
    def seen():
        rows = (page.snapshot.waiting + page.snapshot.serving) if page.snapshot else []
        return any(r.code == code and r.state == state for r in rows)

    qtbot.waitUntil(seen, timeout=15000)


def test_a_morning_at_the_desk(qtbot, window):
    clock = Clock()
    page = signed_in_at_queue(qtbot, window, clock)
    first = arrive(qtbot, window, page, "virtanen", "finding_work")
    clock.advance(2)
    second = arrive(qtbot, window, page, "", "information")
    clock.advance(3)
    third = arrive(qtbot, window, page, "guttorm", "skills")
    assert [first.code, second.code, third.code] == ["A 001", "A 002", "A 003"]
    qtbot.waitUntil(lambda: page.waiting_model.rowCount() == 3, timeout=15000)
    assert window.nav.item(ROW["queue"]).text().endswith("3")

    # Call next: the longest waiting comes first; start, then finish with a visit record.
    clock.advance(5)  # first waited 10 minutes
    press(qtbot, window, Qt.Key.Key_F5)
    wait_state(qtbot, page, "A 001", "called")
    assert "A 001" in page.current_text()
    press(qtbot, window, Qt.Key.Key_F9)
    wait_state(qtbot, page, "A 001", "serving")
    clock.advance(14)
    press(qtbot, window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.objectName() == "visit_dialog"
                    and page.dialog.isVisible())
    record = page.dialog
    qtbot.keyClicks(record.topics, "CV and applications")
    qtbot.keyClicks(record.note, "Sent two applications together.")
    qtbot.mouseClick(record.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not record.isVisible(), timeout=15000)

    # The anonymous visitor is transferred to skills development with a note.
    press(qtbot, window, Qt.Key.Key_F5)
    wait_state(qtbot, page, "A 002", "called")
    press(qtbot, window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.objectName()
                    == "transfer_dialog" and page.dialog.isVisible(), timeout=15000)
    transfer = page.dialog
    transfer.service.setCurrentIndex(transfer.service.findData("skills"))
    qtbot.keyClicks(transfer.note, "Asks about training")
    qtbot.mouseClick(transfer.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not transfer.isVisible(), timeout=15000)
    wait_state(qtbot, page, "A 002", "waiting")

    # The third is called from the list, called again, and is not present.
    position = next(i for i, r in enumerate(page.waiting_model.rows) if r.code == "A 003")
    page.waiting_table.setFocus()
    page.waiting_table.selectRow(position)
    press(qtbot, window, Qt.Key.Key_F6)
    wait_state(qtbot, page, "A 003", "called")
    assert not page.buttons["not_present"].isEnabled()  # only after a recall
    press(qtbot, window, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: page.buttons["not_present"].isEnabled(), timeout=15000)
    press(qtbot, window, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: all(r.code != "A 003" for r in page.snapshot.serving), timeout=15000)

    with window.services.ctx.session_factory() as s:
        states = dict(s.execute(select(QueueTicket.number, QueueTicket.state)).all())
        visit = s.scalars(select(Visit).where(Visit.ticket_id == first.id)).one()
        transferred = s.get(QueueTicket, second.id)
    assert {n: st.value for n, st in states.items()} == {1: "done", 2: "waiting", 3: "left"}
    assert (visit.service_area.value, visit.wait_minutes, visit.walk_in) == (
        "finding_work", 10, True)
    assert round((visit.ended_at - visit.started_at).total_seconds() / 60) == 14
    assert visit.topics == "CV and applications"
    assert (transferred.leg, transferred.service_area.value, transferred.transfer_note) == (
        1, "skills", "Asks about training")
    assert "median" in page.stats.text() or "mediaani" in page.stats.text()

    # The customer's timeline shows the visit.
    window.nav.setCurrentRow(ROW["customers"])
    customers = window.page("customers")
    customers.open_customer(first.customer_id)
    qtbot.waitUntil(lambda: customers.card_view.visits_model.rowCount() == 1, timeout=15000)
    model = customers.card_view.visits_model
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    assert "14" in texts[3] and "10" in texts[3]
    assert "CV and applications" in texts[5]


def test_queue_survives_a_restart(qtbot, window, qapp):
    from app.views.application import build_main_window

    clock = Clock()
    page = signed_in_at_queue(qtbot, window, clock)
    arrive(qtbot, window, page, "", "information")
    press(qtbot, window, Qt.Key.Key_F5)
    wait_state(qtbot, page, "A 001", "called")
    window.runner.wait()
    again, runner = build_main_window(qapp, window.services, "fi")
    qtbot.addWidget(again)
    again.show()
    again.session.sign_in("coach", "demo")
    again.nav.setCurrentRow(ROW["queue"])  # a coach's day starts on Today
    qtbot.waitUntil(lambda: again.actor is not None, timeout=10000)
    again.nav.setCurrentRow(ROW["queue"])  # a coach starts on Today
    qtbot.waitUntil(lambda: again.page("queue").snapshot is not None, timeout=10000)
    assert [r.code for r in again.page("queue").snapshot.serving] == ["A 001"]
    runner.wait()


def test_phone_contact_from_the_customer_card(qtbot, window):
    clock = Clock()
    signed_in_at_queue(qtbot, window, clock)
    window.nav.setCurrentRow(ROW["customers"])
    customers = window.page("customers")
    qtbot.waitUntil(lambda: customers.model.rowCount() > 0, timeout=15000)
    customers.open_customer(customers.model.rows[0].id)
    card = customers.card_view
    qtbot.waitUntil(lambda: customers.currentWidget() is card, timeout=15000)
    qtbot.mouseClick(card.contact, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: customers.dialog is not None and customers.dialog.isVisible())
    dialog = customers.dialog
    dialog.minutes.setValue(12)
    qtbot.keyClicks(dialog.topics, "Pay subsidy")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.visits_model.rowCount() == 1, timeout=15000)
    assert card.visits_model.rows[0].channel == "phone"
    assert card.visits_model.rows[0].minutes == 12


def test_lobby_shows_calls_without_personal_data(qtbot, window):
    from PySide6.QtWidgets import QLabel

    from app.views.queue.lobby import LobbyWindow

    clock = Clock()
    page = signed_in_at_queue(qtbot, window, clock)
    services = window.services
    ids = [r.id for r in services.customers.page("").rows]
    for customer_id in ids[:3]:
        services.queue.register_walk_in(customer_id, "information")
    first = services.queue.call_next()
    services.queue.start(first.id)
    services.queue.finish(first.id, VisitInput("information"))
    second = services.queue.call_next()
    lobby = LobbyWindow(services.queue, window.runner, chime=False)
    qtbot.addWidget(lobby)
    lobby.show()
    lobby.start()
    qtbot.waitUntil(lambda: lobby.big[0][0].text().startswith(second.code), timeout=15000)
    assert lobby.big[0][0].text().endswith("Tiski 1")
    assert any(first.code in lbl.text() for lbl in lobby.recent_labels)
    shown = " ".join(label.text() for label in lobby.findChildren(QLabel))
    for name in ("Virtanen", "Mäkelä", "Aikio", "Guttorm", "Korhonen"):
        assert name not in shown
    lobby.close()
    assert page is not None
