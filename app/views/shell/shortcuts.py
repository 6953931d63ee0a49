"""The application's keyboard shortcuts in one list, and the overview that shows them
(F1 or Ctrl+/ anywhere in the window).

The list is written out here, not gathered from the widgets at run time: a shortcut
needs its words, and the pages are built only once their modules load. A test checks
that every shortcut the window holds is listed (tests/gui/test_keyboard_navigation.py)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _

# Ctrl+1 … Ctrl+9: the n-th page the signed-in person's navigation shows.
PAGE_KEYS = tuple(f"Ctrl+{n}" for n in range(1, 10))
OVERVIEW_KEYS = ("F1", "Ctrl+/")
SEARCH_KEYS = ("Ctrl+K", "F3")

# (group, ((keys, what they do), ...)); keys are QKeySequence strings or key names
# (arrows, Enter, Esc) shown as they are on the keyboard.
SHORTCUTS: tuple[tuple[str, tuple[tuple[tuple[str, ...], str], ...]], ...] = (
    (N_("Anywhere"), (
        (PAGE_KEYS, N_("The first … ninth page of the navigation")),
        (SEARCH_KEYS, N_("Search customers")),
        (OVERVIEW_KEYS, N_("This list of keyboard shortcuts")),
        (("Ctrl+Shift+K",), N_("Lock the session")),
        (("Ctrl+Shift+L",), N_("Sign out")),
        (("↑", "↓"), N_("In the navigation: choose the page (focus stays there)")),
        (("Tab", "Shift+Tab"), N_("Next or previous control")),
        (("Esc",), N_("Close the dialog")),
    )),
    (N_("Queue"), (
        (("F2",), N_("Register a walk-in customer")),
        (("F5",), N_("Call the next customer")),
        (("F6",), N_("Call the selected customer")),
        (("F7",), N_("Call again")),
        (("F8",), N_("Not present")),
        (("F9",), N_("Start the service")),
        (("F11",), N_("Transfer to another service or worker")),
        (("F12",), N_("Finish the visit with its record")),
    )),
    (N_("Calendar"), (
        (("F2",), N_("Book an appointment")),
        (("F5",), N_("Check the customer in")),
        (("F6",), N_("No-show and rebook")),
        (("F7",), N_("Move the appointment")),
        (("F8",), N_("Cancel the appointment")),
        (("Ctrl+D",), N_("Day view")),
        (("Ctrl+W",), N_("Week view")),
        (("Ctrl+S",), N_("Save the appointment letter")),
        (("Ctrl+P",), N_("Print the appointment letter")),
        (("Ctrl+M",), N_("Reminders")),
        (("Ctrl+H",), N_("Working hours")),
        (("Ctrl+E",), N_("Holidays and exceptions")),
        (("←", "→"), N_("Previous or next working day")),
        (("Ctrl+←", "Ctrl+→"), N_("Previous or next worker (day view)")),
        (("↑", "↓"), N_("Half an hour earlier or later")),
        (("PgUp", "PgDown"), N_("Previous or next week")),
        (("T",), N_("Today")),
        (("Enter",), N_("Book the free time or act on the appointment")),
        (("Ctrl+F",), N_("Booking: find the first free times")),
    )),
    (N_("Customers"), (
        (("Ctrl+N",), N_("New customer")),
        (("↓",), N_("From the search to the results")),
        (("Enter",), N_("Open the customer")),
        (("Alt+Left",), N_("Back to the list")),
        (("Ctrl+E",), N_("Edit the customer")),
        (("Ctrl+R",), N_("Record a phone or video contact")),
        (("Ctrl+L",), N_("The customer's employment plans")),
    )),
    (N_("Employers"), (  # #22
        (("Ctrl+N",), N_("New employer")),
        (("↓",), N_("From the search to the results")),
        (("Enter",), N_("Open the employer")),
        (("Alt+Left",), N_("Back to the list")),
        (("Ctrl+R",), N_("Record a contact with the employer")),
    )),
    (N_("Events"), (  # #21
        (("Ctrl+N",), N_("New event")),
        (("Enter",), N_("Open the event")),
        (("Alt+Left",), N_("Back to the list")),
        (("F5",), N_("Check the chosen participants in")),
    )),
    (N_("Employment plan"), (
        (("Ctrl+S",), N_("Save now")),
        (("Ctrl+P",), N_("Print the plan")),
        (("Alt+Left",), N_("Back to the customer")),
    )),
    (N_("Today"), (
        (("F5",), N_("Refresh the worklist")),
        (("Enter",), N_("Open the customer")),
    )),
    (N_("Reports"), (
        (("Ctrl+P",), N_("Save the page as a PDF")),
    )),
)


def listed_keys() -> set[str]:
    """Every key sequence the overview lists, in Qt's portable form."""
    return {QKeySequence(key).toString() for _group, rows in SHORTCUTS
            for keys, _what in rows for key in keys}


def key_text(keys: tuple[str, ...]) -> str:
    """How the keys read on screen: the platform's names ("Ctrl+K"), a range for the
    page keys."""
    if keys == PAGE_KEYS:
        return f"{_native(PAGE_KEYS[0])} … {_native(PAGE_KEYS[-1])}"
    return ", ".join(_native(key) for key in keys)


def _native(key: str) -> str:
    text = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
    return text if len(key) > 1 and text else key  # arrows and letters as written


class ShortcutsDialog(QDialog):
    """The overview: a group per page, each key with what it does."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.tree = QTreeWidget()
        self.tree.setObjectName("shortcuts_list")
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setAlternatingRowColors(True)
        # Read only: arrows scroll with a focus frame, nothing looks chosen.
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.tree, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(640, 680)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.intro.setText(_("The keys of each page work while the page is shown."))
        self.tree.setHeaderLabels([_("Keys"), _("Action")])
        self.tree.setAccessibleName(_("Keyboard shortcuts"))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        self.tree.clear()
        first: QTreeWidgetItem | None = None
        for group, rows in SHORTCUTS:
            heading = QTreeWidgetItem([_(group), ""])
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(heading)
            heading.setFirstColumnSpanned(True)  # takes effect once in the tree
            for keys, what in rows:
                item = QTreeWidgetItem([key_text(keys), _(what)])
                heading.addChild(item)
                first = first or item
        self.tree.expandAll()
        if first is not None:
            self.tree.setCurrentItem(first)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
