"""Signing out leaves nothing of the previous person for the next one at a shared desk
(issue 18, fault 5): not the customer search or its results, not a status message, not
an open dialog, not the username in the sign-in form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from app.views.main_window import ROW
from tests.gui.test_session_lock import visible_text


def type_sign_in(qtbot, window, username: str) -> None:
    """As a person does: type into the empty form, Enter."""
    login = window.login
    qtbot.keyClicks(login.username, username)
    qtbot.keyClick(login.username, Qt.Key.Key_Return)  # on to the password
    qtbot.keyClicks(login.password, "demo")
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)


def activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)


def test_the_next_person_finds_nothing_of_the_desks_session(qtbot, window):
    type_sign_in(qtbot, window, "desk")
    activate(qtbot, window)
    # The desk searches the register from anywhere (Ctrl+K) and sees a result.
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    customers = window.page("customers")
    search = customers.list_view.search
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClicks(search, "guttorm")
    qtbot.waitUntil(lambda: customers.model.query == "guttorm"
                    and customers.model.rowCount() == 1, timeout=15000)
    qtbot.waitUntil(lambda: "löytyi" in customers.list_view.status.text(), timeout=15000)
    customers.list_view.table.selectRow(0)
    window.statusBar().showMessage("Kioskin PIN tallennettu.", 60000)  # the desk's message
    # A dialog of the desk's is open when the session ends (the lock screen's "Sign out",
    # the kiosk, a sign-out while away).
    customers.new_customer()
    qtbot.waitUntil(lambda: customers.dialog is not None and customers.dialog.isVisible())
    assert "Guttorm" in visible_text()

    window.session.sign_out()
    login = window.login
    assert window.root.currentWidget() is login
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog) and w.isVisible()]
    assert window.statusBar().currentMessage() == ""
    assert login.username.text() == "" and not login.username.isUndoAvailable()
    assert login.username.hasFocus()
    assert search.text() == "" and not search.isUndoAvailable()  # no Ctrl+Z brings it back
    assert customers.model.rowCount() == 0 and customers.list_view.status.text() == ""
    assert not customers.list_view.table.selectionModel().hasSelection()
    assert window.nav.currentRow() == -1
    text = visible_text()
    assert "Guttorm" not in text and "guttorm" not in text and "Tiina Tiski" not in text

    type_sign_in(qtbot, window, "coach")  # typed into the emptied field: "coach"
    assert window.actor.username == "coach"
    assert window.pages.currentWidget() is window.page("today")  # a coach's start
    window.nav.setCurrentRow(ROW["customers"])
    qtbot.waitUntil(lambda: customers.model.rowCount() > 1, timeout=10000)
    assert search.text() == "" and customers.model.query == ""  # the whole list, not hers
    assert search.hasFocus()
    qtbot.keyClick(search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert search.text() == ""
    assert window.statusBar().currentMessage() == ""
    assert "Tiina Tiski" not in window.user_label.text()


def test_the_sign_in_view_says_a_central_database_is_configured(qtbot, window):
    """--central without a shared account: the sync starts with each sign-in. The sign-in
    view must not claim there is no central database."""
    local_only = window.sync_label.text()
    assert local_only == "Vain paikallinen: keskustietokantaa ei ole määritetty"
    window.session.sync_starter = lambda _url: None  # as connect_central sets it
    at_sign_in = window.sync_label.text()
    assert at_sign_in not in ("", local_only)
    type_sign_in(qtbot, window, "desk")  # offline: no session URL, no sync
    assert window.sync_label.text() not in ("", local_only, at_sign_in)
