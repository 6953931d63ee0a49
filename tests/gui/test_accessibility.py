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
    customers = window.page("customers")
    first = customers.model.rows[0].id
    customers.open_customer(first)
    qtbot.waitUntil(lambda: customers.currentWidget() is customers.card_view)
    check_page(qtbot, window.shell, "customer card")
    customers.edit_customer(first)
    qtbot.waitUntil(lambda: customers.dialog is not None
                    and customers.dialog.isVisible(), timeout=15000)
    check_page(qtbot, customers.dialog, "customer dialog")


def test_queue_sync_and_their_dialogs_are_named_and_reachable(qtbot, window):
    from app.dto.queue import StaffChoice
    from app.rules.codes import ServiceArea
    from app.views.main_window import ROW
    from app.views.queue.arrival import ArrivalDialog
    from app.views.queue.dialogs import DeskDialog, TransferDialog, VisitRecordDialog

    window.login.username.setText("coach")
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)
    window.nav.setCurrentRow(ROW["queue"])  # a coach starts on Today
    qtbot.waitUntil(lambda: window.page("queue").snapshot is not None, timeout=10000)
    window.services.queue.register_walk_in(None, "information")
    window.page("queue").refresh()
    qtbot.waitUntil(lambda: window.page("queue").waiting_model.rowCount() == 1, timeout=15000)
    window.page("queue").waiting_table.selectRow(0)
    check_page(qtbot, window.shell, "queue")
    areas = [a.value for a in ServiceArea]
    staff = [StaffChoice("s1", "Pekka Ylitalo", True)]
    for dialog, where in (
        (ArrivalDialog(window.services.queue, window.services.customers, window.runner,
                       areas, window), "arrival dialog"),
        (VisitRecordDialog(areas, "information", "Waited 3 min", parent=window), "visit"),
        (VisitRecordDialog(areas, "information", contact=True, parent=window), "contact"),
        (TransferDialog(areas, "information", staff, window), "transfer dialog"),
        (DeskDialog("1", "A", areas, set(), window), "desk dialog"),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
        check_page(qtbot, dialog, where)
        dialog.close()
    window.nav.setCurrentRow(ROW["sync"])
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.page("sync"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    check_page(qtbot, window.shell, "sync")


def test_the_shortcuts_overview_is_named_and_reachable(qtbot, window):
    sign_in(qtbot, window, "desk")
    window.show_shortcuts()
    dialog = window.shortcuts_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    check_page(qtbot, dialog, "shortcuts overview")
    dialog.reject()
