"""Pages from the keyboard (issue 18, fault 6): Ctrl+1 … Ctrl+9 switch to the n-th page
the navigation shows, focus lands on the page's first useful control (never on a hidden
widget), arrowing in the navigation keeps focus there, and F1 lists every shortcut."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from app.views.main_window import ROW, first_focusable
from app.views.shell.pages import PAGES
from app.views.shell.shortcuts import SHORTCUTS, listed_keys
from tests.gui.test_sign_out_privacy import activate, type_sign_in

DIGITS = [getattr(Qt.Key, f"Key_{n}") for n in range(1, 10)]


def focus_in(window, key: str) -> QWidget:
    """The focused widget, checked to be a visible control of that page."""
    focused = QApplication.focusWidget()
    page = window.page(key)
    assert focused is not None, key
    assert page.isAncestorOf(focused), (key, focused.objectName())
    assert focused.isVisible() and focused.isEnabled(), (key, focused.objectName())
    return focused


@pytest.mark.parametrize("username", ["admin", "desk"])
def test_every_page_from_the_keyboard(qtbot, window, username):
    type_sign_in(qtbot, window, username)
    activate(qtbot, window)
    shown = [spec.key for spec in PAGES if not window.nav.isRowHidden(ROW[spec.key])]
    assert len(shown) >= 5
    # The navigation names each page's key (the first nine pages have one: Ctrl+1…9).
    for place, key in enumerate(shown, start=1):
        tip = window.nav.item(ROW[key]).toolTip()
        assert (f"Ctrl+{place}" in tip) == (place <= len(DIGITS)), tip
    for place, key in reversed(list(enumerate(shown[:len(DIGITS)], start=1))):
        qtbot.keyClick(window, DIGITS[place - 1], Qt.KeyboardModifier.ControlModifier)
        # The switch is done when the key returns (the reports page imports matplotlib).
        assert window.pages.currentWidget() is window.page(key)
        assert window.nav.currentRow() == ROW[key]
        if first_focusable(window.page(key)) is None:
            # Nothing to focus yet (the desk's Feedback notice, Reports still loading):
            # focus waits in the navigation, never on a hidden or unfocusable widget.
            assert QApplication.focusWidget() is window.nav
            if key == "reports":  # built just now: once its controls show, focus moves
                qtbot.waitUntil(lambda: first_focusable(window.page("reports")) is not None,
                                timeout=10000)
                qtbot.waitUntil(lambda: window.page("reports").isAncestorOf(
                    QApplication.focusWidget()), timeout=15000)
            continue
        focused = focus_in(window, key)
        assert focused is not window.page(key)
        assert focused.focusPolicy() & Qt.FocusPolicy.TabFocus
    # Beyond the pages shown: nothing happens (when the nine keys are not all used).
    if len(shown) < len(DIGITS):
        qtbot.keyClick(window, DIGITS[len(shown)], Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.page(shown[0])


def test_focus_after_sign_in_is_on_the_pages_first_control(qtbot, window):
    type_sign_in(qtbot, window, "desk")
    queue = window.page("queue")
    assert window.pages.currentWidget() is queue
    focused = focus_in(window, "queue")
    assert focused in (queue.buttons["call_next"], queue.buttons["finish"], queue.new_button)
    window.session.sign_out()
    type_sign_in(qtbot, window, "admin")
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.page("customers").list_view.search


def test_arrowing_in_the_navigation_keeps_focus_there(qtbot, window):
    type_sign_in(qtbot, window, "coach")
    activate(qtbot, window)
    nav = window.nav
    nav.setFocus()
    qtbot.waitUntil(nav.hasFocus)
    start = nav.currentRow()
    qtbot.keyClick(nav, Qt.Key.Key_Down)
    assert nav.currentRow() > start
    key = PAGES[nav.currentRow()].key
    assert window.pages.currentWidget() is window.page(key)
    assert nav.hasFocus()  # the page shows; focus stays for the next arrow
    qtbot.keyClick(nav, Qt.Key.Key_Down)
    assert nav.hasFocus()
    key = PAGES[nav.currentRow()].key
    qtbot.keyClick(nav, Qt.Key.Key_Return)  # Enter: into the page shown
    focus_in(window, key)


def test_navigation_and_tables_take_focus(qtbot, window):
    type_sign_in(qtbot, window, "desk")
    assert window.nav.focusPolicy() & Qt.FocusPolicy.TabFocus
    queue = window.page("queue")
    for table in (queue.waiting_table, window.page("customers").list_view.table):
        assert table.focusPolicy() & Qt.FocusPolicy.TabFocus


def window_keys(window) -> set[str]:
    """Every shortcut the window and its pages hold (all pages built)."""
    keys = set()
    for shortcut in window.findChildren(QShortcut):
        keys.add(shortcut.key().toString())
    for action in window.findChildren(QAction):
        keys.update(sequence.toString() for sequence in action.shortcuts())
    return {key for key in keys if key}


def test_the_overview_lists_every_shortcut_of_the_window(qtbot, window):
    type_sign_in(qtbot, window, "admin")
    window.nav.setCurrentRow(ROW["reports"])  # built when first shown
    qtbot.waitUntil(lambda: window.page("reports").page is not None, timeout=15000)
    missing = window_keys(window) - listed_keys()
    assert not missing, f"shortcuts not in the overview: {sorted(missing)}"

    activate(qtbot, window)
    for keys in ("F1", "Ctrl+/"):
        sequence = QKeySequence(keys)
        combo = sequence[0]
        qtbot.keyClick(window, combo.key(), combo.keyboardModifiers())
        qtbot.waitUntil(lambda: window.shortcuts_dialog is not None
                        and window.shortcuts_dialog.isVisible(), timeout=2000)
        dialog = window.shortcuts_dialog
        tree = dialog.tree
        assert tree.topLevelItemCount() == len(SHORTCUTS)
        rows = [tree.topLevelItem(g).child(r) for g in range(tree.topLevelItemCount())
                for r in range(tree.topLevelItem(g).childCount())]
        assert any("F5" in row.text(0) for row in rows)
        assert any(row.text(0).startswith("Ctrl+1") for row in rows)
        assert all(row.text(1) for row in rows)
        qtbot.keyClick(tree, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda dialog=dialog: not dialog.isVisible(), timeout=2000)
        activate(qtbot, window)

