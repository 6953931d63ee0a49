"""Small shared pieces of the views: labels of code lists, icons, field errors."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtGui import QFontMetrics, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from app.i18n import _
from app.rules.codes import CUSTOMER_LANGUAGES, LABELS
from app.views import style

# Editors save by themselves this long after the last change (plans, barriers).
AUTOSAVE_MS = 1000


def label(code: StrEnum) -> str:
    return _(LABELS[code])


def language_label(code: str) -> str:
    return _(CUSTOMER_LANGUAGES.get(code, code))


def icon(name: str, widget: QWidget | None = None) -> QIcon:
    """An icon from the icon font, coloured from the palette (high contrast works).

    qtawesome is imported here, not at the top: the sign-in view paints before it is
    needed (start-up, benchmarks/README.md)."""
    import qtawesome as qta

    color = None
    if widget is not None:
        color = widget.palette().color(widget.foregroundRole())
    return qta.icon(name, color=color) if color is not None else qta.icon(name)


class FieldError(QLabel):
    """The message under a form field: a warning sign and bold text as well as colour,
    so it never relies on colour alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        # The style sheet's error colour (style.OVERDUE), from the palette in use.
        self.setProperty("status", style.OVERDUE)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(f"⚠ {text}" if text else "")
        self.setVisible(bool(text))


class _ShownOnly(QObject):
    """Enables a page's shortcuts only while the page is shown, so that pages may use
    the same keys without Qt finding them ambiguous."""

    def __init__(self, scope: QWidget) -> None:
        super().__init__(scope)
        self.shortcuts: list[QShortcut] = []
        scope.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            for sc in self.shortcuts:
                sc.setEnabled(event.type() == QEvent.Type.Show)
        return False


def shortcut(scope: QWidget, keys: str, button: QAbstractButton) -> QShortcut:
    """A key that presses `button` anywhere in the window while `scope` (a page) is
    shown. Kept apart from the button, whose text mnemonic ("&Edit") would replace it."""
    guard = scope.findChild(_ShownOnly) or _ShownOnly(scope)
    sc = QShortcut(QKeySequence(keys), scope)
    sc.setContext(Qt.ShortcutContext.WindowShortcut)
    sc.setEnabled(scope.isVisible())

    def press() -> None:
        if button.isEnabled():
            button.click()

    sc.activated.connect(press)
    guard.shortcuts.append(sc)
    return sc


def combo_line_edit(combo: QComboBox) -> QLineEdit:
    """The line edit of an editable combo box (Qt gives None for one not editable)."""
    edit = combo.lineEdit()
    if edit is None:
        raise ValueError(f"the combo box {combo.objectName()!r} is not editable")
    return edit


def heading_label() -> QLabel:
    """A page's title: larger and bold (style.title), following the text size."""
    return style.title(QLabel())


def list_table(name: str, model: QAbstractItemModel) -> QTableView:
    """A read-only list of whole rows: one selected at a time, Tab leaves the table."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.setShowGrid(False)  # alternating rows and faint separators (style.py) instead
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def two_lines(text: str) -> str:
    """A column title of two or more words on two lines, broken at the space nearest its
    middle: the figures under "Active customers" need not be as wide as the title."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    middle = min(spaces, key=lambda i: abs(len(text) - 2 * i))
    return text[:middle] + "\n" + text[middle + 1:]


class ColumnFitter(QObject):
    """Lays out a table's columns to its width as a web browser lays out a table: each
    column at least as wide as its title and its longest word, the width left shared in
    proportion to what each would need on one line. Text wraps and the rows grow: no
    text is cut and there is no sideways scroll bar while the minimums fit."""

    SAMPLE = 300  # rows measured: enough for the lists shown here

    def __init__(self, table: QTableView, wrap: bool = True) -> None:
        """`wrap` False (a long list, one line a row, searched as one types): a long
        text column may narrow to some 16 letters, its longest texts then shortened (…);
        only about two screens of rows are measured, each cell as its text plus the
        column's padding, so that fitting after every keystroke's new rows costs a few
        milliseconds, not the 45 ms that measuring 200 rows cell by cell took (#28)."""
        super().__init__(table)
        self.table, self.wrap = table, wrap
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # set here
        table.setWordWrap(wrap)
        if wrap:
            table.verticalHeader().setSectionResizeMode(
                QHeaderView.ResizeMode.ResizeToContents)
        table.viewport().installEventFilter(self)
        model = table.model()
        for signal in (model.modelReset, model.layoutChanged, model.headerDataChanged,
                       model.dataChanged):
            signal.connect(self.fit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            self.fit()
        return False

    def sample(self) -> int:
        """How many rows are measured: a one-line list's two screens, else SAMPLE."""
        if self.wrap:
            return self.SAMPLE
        row = max(1, self.table.verticalHeader().defaultSectionSize())
        return max(30, 2 * (self.table.viewport().height() // row + 1))

    def widths(self, column: int) -> tuple[int, int]:
        """(least, on one line) for a column: its title and its cells as the delegate
        draws them (the style's padding and any icon included)."""
        table, model = self.table, self.table.model()
        option = QStyleOptionViewItem()
        table.initViewItemOption(option)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
        header = table.horizontalHeader()
        # No section is narrower than the header's minimum, whatever it is given.
        title = max(header.sectionSizeFromContents(column).width(), header.minimumSectionSize())
        least, line = title, title
        padding: int | None = None  # one-line lists: the delegate's, measured once
        for row in range(min(model.rowCount(), self.sample())):
            index = model.index(row, column)
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            if not text:
                continue
            fm = QFontMetrics(index.data(Qt.ItemDataRole.FontRole) or table.font())
            longest = max(fm.horizontalAdvance(t) for t in text.split("\n"))
            if self.wrap or padding is None:
                width = table.itemDelegateForIndex(index).sizeHint(option, index).width()
                padding = width - longest
            else:
                width = longest + padding
            word = max((fm.horizontalAdvance(w) for w in text.split()), default=0)
            line = max(line, width)
            least = max(least, width - longest + word)
        if not self.wrap:
            least = max(title, min(line, table.fontMetrics().averageCharWidth() * 16))
        return least, line

    def fit(self) -> None:
        table, model = self.table, self.table.model()
        if model is None or model.columnCount() == 0:
            return
        sizes = [self.widths(c) for c in range(model.columnCount())]
        room = table.viewport().width()
        least = sum(a for a, _b in sizes)
        want = sum(b - a for a, b in sizes)
        spare = max(0, room - least)
        if want and spare < want:  # share the spare room by what each would need more
            widths = [a + (b - a) * spare // want for a, b in sizes]
        else:  # everything fits on one line: the rest shared by width, as air between
            line = sum(b for _a, b in sizes)
            widths = [b + b * max(0, room - line) // max(1, line) for _a, b in sizes]
        header = table.horizontalHeader()
        for column, width in enumerate(widths):
            header.resizeSection(column, width)
        if self.wrap:
            table.resizeRowsToContents()  # the wrapped rows' heights for the new widths
