"""The idle lock: a locked session shows no customer data until the password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QWidget

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
    search = window.customers.list_view.search
    search.clear()
    qtbot.keyClicks(search, text)
    model = window.customers.model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.query == text, timeout=5000)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    card = window.customers.card_view
    qtbot.waitUntil(lambda: window.customers.currentWidget() is card, timeout=5000)
    return card


def test_a_locked_session_shows_no_customer_data(qtbot, window):
    sign_in(qtbot, window)
    card = open_card(qtbot, window)
    assert "Guttorm" in visible_text()  # the check can see customer data when shown
    window.lock_session()
    qtbot.waitUntil(lambda: window.root.currentWidget() is window.lock_view)
    text = visible_text()
    for name in NAMES:
        assert name not in text
    assert not window.shell.isVisible() and not card.isVisible()
    assert "Pekka Ylitalo" in window.lock_view.who.text()
    # A wrong password keeps it locked; the right one brings the card back.
    qtbot.keyClicks(window.lock_view.password, "wrong")
    qtbot.keyClick(window.lock_view.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(window.lock_view.error.text()), timeout=10000)
    assert window.root.currentWidget() is window.lock_view
    window.lock_view.password.setText("demo")
    qtbot.keyClick(window.lock_view.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.root.currentWidget() is window.shell, timeout=10000)
    assert card.isVisible() and "Guttorm" in visible_text()


def test_idle_time_locks_and_input_postpones_it(qtbot, window):
    sign_in(qtbot, window)
    qtbot.waitUntil(lambda: window.idle.timer.isActive(), timeout=5000)
    assert window.idle.timer.interval() == 10 * 60_000  # the area setting's default
    window.idle.start(0.01)  # 600 ms
    qtbot.wait(300)
    qtbot.keyClick(window.customers.list_view.search, Qt.Key.Key_A)  # activity
    qtbot.wait(400)
    assert window.root.currentWidget() is window.shell
    qtbot.waitUntil(lambda: window.root.currentWidget() is window.lock_view, timeout=3000)
    assert "Mäkelä" not in visible_text()


def test_sign_out_from_the_lock_screen(qtbot, window):
    sign_in(qtbot, window)
    window.lock_session()
    qtbot.mouseClick(window.lock_view.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.root.currentWidget() is window.login, timeout=5000)
    assert window.actor is None and not window.idle.timer.isActive()


def test_a_team_lead_sees_the_access_log_on_the_card(qtbot, window):
    sign_in(qtbot, window, "coach")
    first_id = open_card(qtbot, window).card.id
    assert not window.customers.card_view.access_log.isVisible()  # coaches: no button
    window.sign_out()
    sign_in(qtbot, window, "lead")
    window.customers.open_customer(first_id)
    card = window.customers.card_view
    qtbot.waitUntil(lambda: window.customers.currentWidget() is card and card.card is not None
                    and card.card.id == first_id, timeout=5000)
    assert card.access_log.isVisible()
    qtbot.mouseClick(card.access_log, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(window.customers, "access_dialog", None) is not None,
                    timeout=5000)
    dialog = window.customers.access_dialog
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
