"""The idle lock: a locked session shows no customer data until the password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QWidget

from app.views.main_window import ROW
from tests.gui.conftest import sign_in

NAMES = ("Guttorm", "Mäkelä", "Virtanen", "300501A")


def visible_text() -> str:
    """Everything a person (or a screen reader) could read in the application now."""
    parts = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel | QLineEdit):
                parts.append(widget.text())
            if isinstance(widget, QAbstractItemView) and widget.model() is not None:
                model = widget.model()
                for row in range(50):
                    col = 0
                    while (index := model.index(row, col)).isValid():
                        parts.append(str(index.data() or ""))
                        col += 1
            parts.append(widget.accessibleName())
            parts.append(widget.windowTitle())
    return "\n".join(parts)


def open_card(qtbot, window, text="guttorm"):
    search = window.page("customers").list_view.search
    search.clear()
    qtbot.keyClicks(search, text)
    model = window.page("customers").model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.query == text, timeout=15000)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    card = window.page("customers").card_view
    qtbot.waitUntil(lambda: window.page("customers").currentWidget() is card, timeout=15000)
    return card


def test_a_locked_session_shows_no_customer_data(qtbot, window):
    sign_in(qtbot, window)
    card = open_card(qtbot, window)
    assert "Guttorm" in visible_text()  # the check can see customer data when shown
    window.session.lock()
    qtbot.waitUntil(lambda: window.root.currentWidget() is window.session.lock_view)
    text = visible_text()
    for name in NAMES:
        assert name not in text
    assert not window.shell.isVisible() and not card.isVisible()
    assert "Pekka Ylitalo" in window.session.lock_view.who.text()
    # A wrong password keeps it locked; the right one brings the card back.
    qtbot.keyClicks(window.session.lock_view.password, "wrong")
    qtbot.keyClick(window.session.lock_view.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(window.session.lock_view.error.text()), timeout=10000)
    assert window.root.currentWidget() is window.session.lock_view
    window.session.lock_view.password.setText("demo")
    qtbot.keyClick(window.session.lock_view.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.root.currentWidget() is window.shell, timeout=10000)
    assert card.isVisible() and "Guttorm" in visible_text()


def test_idle_time_locks_and_input_postpones_it(qtbot, window):
    sign_in(qtbot, window)
    qtbot.waitUntil(lambda: window.session.idle.timer.isActive(), timeout=15000)
    assert window.session.idle.timer.interval() == 10 * 60_000  # the area setting's default
    window.session.idle.start(0.01)  # 600 ms
    qtbot.wait(300)
    qtbot.keyClick(window.page("customers").list_view.search, Qt.Key.Key_A)  # activity
    qtbot.wait(400)
    assert window.root.currentWidget() is window.shell
    qtbot.waitUntil(lambda: window.root.currentWidget() is window.session.lock_view, timeout=3000)
    assert "Mäkelä" not in visible_text()


def test_sign_out_from_the_lock_screen(qtbot, window):
    sign_in(qtbot, window)
    window.session.lock()
    qtbot.mouseClick(window.session.lock_view.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.root.currentWidget() is window.login, timeout=15000)
    assert window.actor is None and not window.session.idle.timer.isActive()


def test_a_team_lead_sees_the_access_log_on_the_card(qtbot, window):
    sign_in(qtbot, window, "coach")
    first_id = open_card(qtbot, window).card.id
    assert not window.page("customers").card_view.access_log.isVisible()  # coaches: no button
    window.session.sign_out()
    sign_in(qtbot, window, "lead")
    customers = window.page("customers")
    customers.open_customer(first_id)
    card = customers.card_view
    qtbot.waitUntil(lambda: customers.currentWidget() is card and card.card is not None
                    and card.card.id == first_id, timeout=15000)
    assert card.access_log.isVisible()
    qtbot.mouseClick(card.access_log, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(window.page("customers"), "access_dialog", None) is not None,
                    timeout=15000)
    dialog = window.page("customers").access_dialog
    qtbot.waitUntil(dialog.isVisible)
    shown = [[dialog.model.index(r, c).data() for c in range(4)]
             for r in range(dialog.model.rowCount())]
    assert any(row[1] == "Pekka Ylitalo" for row in shown)  # the coach opened it
    assert any(row[1] == "Liisa Lead" for row in shown)  # this very opening
    dialog.reject()


def test_repeated_wrong_passwords_ask_to_wait(qtbot, window):
    login = window.login
    for attempt in range(4):
        login.username.setText("coach")
        login.password.setText(f"wrong-{attempt}")
        qtbot.mouseClick(login.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(login.button.isEnabled, timeout=10000)
    import re

    text = login.error.text()  # the placeholder filled in, not the wrong-password text
    assert re.search(r"\b\d+ s\b", text) and "{" not in text, text
    assert "Käyttäjätunnus tai salasana on väärin" not in text
    assert window.actor is None


def test_nothing_of_the_previous_person_is_left_after_signing_out(qtbot, window):
    sign_in(qtbot, window, "coach")
    open_card(qtbot, window)  # a search typed, a card open
    window.nav.setCurrentRow(ROW["queue"])  # on duty at the queue (a coach starts on Today)
    window.nav.setCurrentRow(ROW["appointments"])
    calendar = window.page("appointments")
    qtbot.waitUntil(lambda: calendar.data is not None, timeout=10000)
    calendar.set_mode("day")
    window.services.queue.register_walk_in(None, "information")
    window.page("queue").refresh()
    qtbot.waitUntil(lambda: window.nav.item(ROW["queue"]).text() == "Jono  1", timeout=10000)

    window.session.sign_out()
    assert window.root.currentWidget() is window.login
    assert window.login.username.text() == "" and window.login.password.text() == ""
    assert [window.nav.item(row).text() for row in range(window.nav.count())] == [
        "Tänään", "Jono", "Kalenteri", "Asiakkaat", "Asiakassalkut",
        "Palveluntuottajat", "Työnantajat", "Tapahtumat", "Viestit", "Kumppanit", "Palaute",
        "Raportit", "Synkronointi"]
    customers = window.page("customers")
    assert customers.currentWidget() is customers.list_view
    assert customers.list_view.search.text() == "" and customers.model.rowCount() == 0
    assert calendar.mode == "week" and calendar.worker_combo.count() == 0
    assert calendar.message.text() == ""

    sign_in(qtbot, window, "desk")  # the desk's own list, unfiltered
    assert customers.model.query == "" and customers.model.rowCount() > 1
    assert window.nav.isRowHidden(ROW["today"]) and window.nav.isRowHidden(ROW["caseload"])
    assert "Pekka Ylitalo" not in window.user_label.text()
