"""What the layout test looks for in a shown window: text that does not fit where it is
drawn (a label, a button, a group title, a column header, a table cell, a calendar card)
and a window larger than its screen. Each finding is one line naming the widget."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionViewItem,
    QTabBar,
    QToolButton,
    QWidget,
)

SLACK = 1  # pixels of rounding


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}#{widget.objectName() or '?'}"


def _plain(text: str) -> str:
    """The text as drawn: mnemonics ("&Save") and rich text tags removed."""
    if Qt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _width(font: QFont, text: str) -> int:
    fm = QFontMetrics(font)
    return max((fm.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _shown(widget: QWidget) -> bool:
    """Visible and not scrolled out of a parent's frame (e.g. a hidden stacked page)."""
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _label(label: QLabel) -> str | None:
    text = _plain(label.text())
    if not text.strip() or not label.pixmap().isNull():
        return None
    room = label.contentsRect().adjusted(label.margin(), 0, -label.margin(), 0)
    room_width = room.width() - max(0, label.indent())
    if label.wordWrap():
        # Wrapped text needs its height; one word longer than the line is cut too.
        longest = max((_width(label.font(), w) for w in text.split()), default=0)
        need = label.heightForWidth(label.width())
        if longest > room_width + SLACK or need > label.height() + SLACK:
            return f"{_name(label)} {text[:40]!r}: wrapped text does not fit " \
                   f"({label.width()}x{label.height()}, needs height {need})"
        return None
    need = _width(label.font(), text)
    if need > room_width + SLACK:
        return f"{_name(label)} {text[:40]!r}: needs {need} px, has {room_width}"
    return None


def _button(button: QWidget) -> str | None:
    """A button narrower than its size hint (the style's, padding included) clips its
    text; an icon-only tool button has none."""
    text = _plain(button.text())  # type: ignore[attr-defined]
    if not text.strip() or (isinstance(button, QToolButton) and button.toolButtonStyle()
                            == Qt.ToolButtonStyle.ToolButtonIconOnly):
        return None
    need = button.sizeHint()
    if need.width() > button.width() + SLACK or need.height() > button.height() + 2:
        return f"{_name(button)} {text[:40]!r}: needs {need.width()}x{need.height()} px, " \
               f"has {button.width()}x{button.height()}"
    return None


def _group(box: QGroupBox) -> str | None:
    title = _plain(box.title())
    if not title:
        return None
    need = _width(box.font(), title) + 8
    if box.isCheckable():
        need += box.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, box) + 4
    if need > box.width() + SLACK:
        return f"{_name(box)} title {title[:40]!r}: needs {need} px, has {box.width()}"
    return None


def _header(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return []
    found = []
    viewport = header.viewport().width() if header.parent() else header.width()
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        text = model.headerData(logical, Qt.Orientation.Horizontal,
                                Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        need = header.sectionSizeFromContents(logical).width()
        size = header.sectionSize(logical)
        right = header.sectionViewportPosition(logical) + size
        if need > size + SLACK:
            found.append(f"{_name(header.parentWidget() or header)} header {text!r}: "
                         f"needs {need} px, has {size}")
        elif right > viewport + SLACK:
            found.append(f"{_name(header.parentWidget() or header)} column {text!r} "
                         f"reaches past the visible width ({right} > {viewport})")
    return found


def _cells(view: QAbstractItemView) -> list[str]:
    """The visible rows' texts against their cells, as the view's delegate measures them
    (with the style sheet's padding; a wrapping view's for the column's width)."""
    model = view.model()
    if model is None or model.rowCount(QModelIndex()) == 0:
        return []
    found: list[str] = []
    viewport = view.viewport()
    # A list model's column count is private in PySide6: one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    option = QStyleOptionViewItem()
    try:
        view.initViewItemOption(option)  # protected: only views made from Python
    except (AttributeError, TypeError):
        return []  # Qt's own (a calendar popup's): not ours to check
    first = view.indexAt(viewport.rect().topLeft()).row()
    for row in range(max(0, first), model.rowCount(QModelIndex())):
        for column in range(columns):
            index = model.index(row, column, QModelIndex())
            rect = view.visualRect(index)
            if rect.isEmpty():
                continue
            if rect.top() > viewport.height():
                return found
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text is None or str(text) == "":
                continue
            text = str(text)
            room = min(rect.right() + 1, viewport.width()) - rect.left()
            if room <= 0:  # scrolled out of sight: the header check reports the column
                continue
            option.rect = rect  # a wrapping view's hint is for the column's width
            hint = view.itemDelegateForIndex(index).sizeHint(option, index)
            need = hint.width()
            if view.wordWrap():  # wrapped: the lines' height, and no word wider than the cell
                font = index.data(Qt.ItemDataRole.FontRole) or view.font()
                word = max((_width(font, w) for w in text.split()), default=0)
                if hint.height() > rect.height() + SLACK or word > room:
                    found.append(f"{_name(view)} row {row} {text[:30]!r}: needs "
                                 f"{hint.width()}x{hint.height()} px, has "
                                 f"{room}x{rect.height()}")
                continue
            if need > room + SLACK:
                found.append(f"{_name(view)} row {row} {text[:30]!r}: needs {need} px, "
                             f"has {room}")
                if len(found) > 3:
                    return found
    return found


def _tabs(bar: QTabBar) -> list[str]:
    found = []
    for i in range(bar.count()):
        text = _plain(bar.tabText(i))
        need = bar.tabSizeHint(i).width()
        if text and bar.tabRect(i).width() + SLACK < need:
            found.append(f"{_name(bar)} tab {text!r}: needs {need} px, "
                         f"has {bar.tabRect(i).width()}")
    return found


def cut_text(root: QWidget) -> list[str]:
    """Every shown text in `root` (a window) that does not fit where it is drawn."""
    found: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not _shown(widget) or widget.window() is not root.window():
            continue
        problem: str | None = None
        if isinstance(widget, QLabel):
            problem = _label(widget)
        elif isinstance(widget, (QPushButton, QToolButton, QCheckBox, QRadioButton)):
            problem = _button(widget)
        elif isinstance(widget, QGroupBox):
            problem = _group(widget)
        elif isinstance(widget, QHeaderView):
            found += _header(widget)
        elif isinstance(widget, QAbstractItemView):
            found += _cells(widget)
        elif isinstance(widget, QTabBar):
            found += _tabs(widget)
        card_problems = getattr(widget, "cut_card_texts", None)
        if callable(card_problems):  # a painted view that reports its own texts
            found += [f"{_name(widget)} {p}" for p in card_problems()]
        if problem:
            found.append(problem)
    return found


def too_large(window: QWidget, screen: QSize) -> list[str]:
    """The window, shown and laid out, against the screen it is on."""
    found = []
    for what, size in (("minimum size", window.minimumSizeHint()),
                       ("size", window.size())):
        if size.width() > screen.width() or size.height() > screen.height():
            found.append(f"{_name(window)} {what} {size.width()}x{size.height()} "
                         f"> screen {screen.width()}x{screen.height()}")
    return found


def scrolls_sideways(area: QAbstractScrollArea) -> bool:
    return area.horizontalScrollBar().isVisible()
