"""The customer register driven the way a desk worker uses it."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.views.main_window import ROW
from tests.gui.conftest import sign_in


def test_wrong_password_shows_message_and_keeps_username(qtbot, window):
    window.login.username.setText("coach")
    window.login.password.setText("wrong")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.login.error.isVisible(), timeout=10000)
    assert "Käyttäjätunnus tai salasana on väärin" in window.login.error.text()
    assert window.login.username.text() == "coach"
    assert window.root.currentWidget() is window.login


def test_sign_in_shows_register_and_status(qtbot, window):
    sign_in(qtbot, window)
    assert window.root.currentWidget() is window.shell
    assert "Pekka Ylitalo" in window.user_label.text()
    assert "Rovaniemi" in window.user_label.text()
    qtbot.waitUntil(lambda: "5 asiakasta" in window.page("customers").list_view.status.text())


def test_search_while_typing_and_open_with_enter(qtbot, window):
    sign_in(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    search = window.page("customers").list_view.search
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClicks(search, "guttorm")
    model = window.page("customers").model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.query == "guttorm", timeout=15000)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    card = window.page("customers").card_view
    qtbot.waitUntil(lambda: window.page("customers").currentWidget() is card, timeout=15000)
    assert card.title.text() == "Guttorm, Máret Čuovga"
    assert "300501A****" in card.subtitle.text()
    # Revealing the full code is one click, and audited by the service.
    qtbot.mouseClick(card.reveal, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "300501A456" in card.subtitle.text(), timeout=15000)


def test_invalid_hetu_error_next_to_field_and_nothing_lost(qtbot, window):
    sign_in(qtbot, window)
    page = window.page("customers")
    qtbot.mouseClick(page.list_view.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    # QTest types ASCII only; insert() is how an input method delivers other letters.
    dialog.edits["last_name"].insert("Näkkäläjärvi")
    dialog.edits["first_names"].insert("Sárá")
    qtbot.keyClicks(dialog.edits["hetu"], "131052-308U")
    qtbot.keyClicks(dialog.edits["email"], "sara@")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    error = dialog.errors["hetu"]
    qtbot.waitUntil(error.isVisible, timeout=15000)
    assert "Tarkistusmerkki ei täsmää" in error.text()
    assert dialog.errors["email"].isVisible()
    assert dialog.isVisible()
    assert dialog.edits["last_name"].text() == "Näkkäläjärvi"
    assert dialog.edits["hetu"].text() == "131052-308U"
    # Correct the code and the address: the customer is saved and the card opens.
    dialog.edits["hetu"].setText("131052-308T")
    dialog.edits["email"].setText("sara@example.fi")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: page.currentWidget() is page.card_view, timeout=15000)
    assert page.card_view.title.text() == "Näkkäläjärvi, Sárá"


def test_cancel_with_typed_text_asks_first(qtbot, window, monkeypatch):
    sign_in(qtbot, window)
    page = window.page("customers")
    page.new_customer()
    dialog = page.dialog
    qtbot.keyClicks(dialog.edits["last_name"], "Keskenerainen")
    asked = []

    def answer(*args, **kwargs):
        asked.append(args)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", answer)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()
    assert dialog.edits["last_name"].text() == "Keskenerainen"


def test_switch_language_at_runtime(qtbot, window):
    sign_in(qtbot, window)
    window.preferences.set_language("sv")
    row = ROW["customers"]
    qtbot.waitUntil(lambda: window.nav.item(row).text() == "Kunder", timeout=3000)
    assert window.page("customers").list_view.new_button.text().startswith("&Ny kund")
    header = window.page("customers").model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "Namn"
    assert "Svenska" in window.user_label.text()
    window.preferences.set_language("en")
    qtbot.waitUntil(lambda: window.nav.item(row).text() == "Customers", timeout=3000)
    # Qt's own standard buttons follow too (qtbase catalogs).
    window.preferences.set_language("fi")
    box = QMessageBox(QMessageBox.Icon.Question, "x", "y",
                      QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Cancel).text() in ("Peru", "Peruuta")
    assert QApplication.instance() is not None
