"""Every page: each focusable control has an accessible name and is reachable by Tab."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from tests.gui.conftest import sign_in


def focusable(root: QWidget) -> list[QWidget]:
    return [
        w for w in root.findChildren(QWidget)
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not isinstance(w, QLabel) and w.window() is root.window()
        and w.objectName() != "qt_scrollarea_viewport"
        and not w.objectName().startswith("qt_")
        and w.focusProxy() is None  # focus goes to its proxy (an editable combo's line edit)
    ]


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name) if interface else ""
    if not name and isinstance(widget, QAbstractButton):
        name = widget.text()
    return name.replace("&", "").strip()


def tab_reachable(qtbot, root: QWidget, limit: int = 200) -> set[QWidget]:
    start = focusable(root)[0]
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    seen: set[QWidget] = set()
    for _ in range(limit):
        current = QApplication.focusWidget()
        if current in seen:
            break
        seen.add(current)
        root.window().focusNextChild()
    return seen


def check_page(qtbot, root: QWidget, where: str) -> None:
    widgets = focusable(root)
    assert widgets, where
    unnamed = [f"{type(w).__name__}#{w.objectName()}" for w in widgets if not accessible_name(w)]
    assert not unnamed, f"{where}: controls without an accessible name: {unnamed}"
    reached = tab_reachable(qtbot, root)
    missing = [f"{type(w).__name__}#{w.objectName()}" for w in widgets if w not in reached]
    assert not missing, f"{where}: not reachable with Tab: {missing}"


def test_every_page_is_named_and_keyboard_reachable(qtbot, window):
    check_page(qtbot, window.login, "login")
    sign_in(qtbot, window)
    check_page(qtbot, window.shell, "customer list")
    first = window.customers.model.rows[0].id
    window.customers.open_customer(first)
    qtbot.waitUntil(lambda: window.customers.currentWidget() is window.customers.card_view)
    check_page(qtbot, window.shell, "customer card")
    window.customers.edit_customer(first)
    qtbot.waitUntil(lambda: window.customers.dialog is not None
                    and window.customers.dialog.isVisible(), timeout=5000)
    check_page(qtbot, window.customers.dialog, "customer dialog")
