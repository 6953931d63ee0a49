"""The one small style sheet of the application, and the status colours.

Everything here is built from the application palette (QPalette roles), so it follows
light, dark and high-contrast themes; `install` re-applies it when the palette or the
text size changes. Native widgets stay native apart from the few rules below.

API (all a view needs):

- ``style.install(app)``: once at start-up (application.py does it).
- ``style.title(label)`` / ``style.heading(label)`` / ``style.secondary(label)``: the type
  hierarchy — page title, section heading, quieter secondary text. They set the dynamic
  property ``role`` ("title" / "heading" / "secondary"), which the style sheet sizes from
  the current text size. Body text needs nothing.
- ``style.status_color(kind, palette=None) -> QColor`` for kind in ``OK``, ``WARN``,
  ``OVERDUE``, ``INFO``: readable on the palette's base colour (falls back to the text
  colour where a hue would not be). Never colour alone: pair it with
  ``style.status_symbol(kind)`` (a text symbol: ✓ ⚠ ‼ ℹ) or
  ``style.status_icon(kind, widget)`` (an icon-font icon) and a word.
- ``style.set_status(label, kind, text)``: a label showing "<symbol> <text>" in the
  status colour (kind None clears it).
- ``style.read_only(widget, on)``: marks a field read-only in the one read-only look
  (the window's background, full-contrast text, no arrows); the caller makes it
  read-only in behaviour (setReadOnly, or plans.fields.lock for combo and check boxes).
- ``style.banner(frame)``: a framed notice across a page (an accepted plan, say).
- ``style.GAP`` / ``style.MARGIN``: the spacing between controls and around a page.

Focus: every focusable widget — buttons, fields, combo boxes, check boxes, lists and
tables (the navigation too) — shows a 2 px ring in the palette's highlight colour when
it has keyboard focus (combo and spin boxes get it from `FocusRing`, drawn just outside
them, so they keep their native look). Tables draw no grid: alternating rows tell the
rows apart.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFocusFrame,
    QLabel,
    QStyle,
    QWidget,
)
from shiboken6 import isValid

W = TypeVar("W", bound=QWidget)

GAP = 8  # between controls
MARGIN = 12  # around a page or a group

OK, WARN, OVERDUE, INFO = "ok", "warn", "overdue", "info"
STATUS_KINDS = (OK, WARN, OVERDUE, INFO)

# Hues for a light and a dark background; `status_color` checks their contrast against
# the palette actually in use and falls back to its text colour.
_HUES = {
    OK: ("#1b6e20", "#81c784"),
    WARN: ("#8a5300", "#ffcc80"),
    OVERDUE: ("#b00020", "#ff8a80"),
}
_SYMBOLS = {OK: "✓", WARN: "⚠", OVERDUE: "‼", INFO: "ℹ"}
_ICONS = {OK: "mdi6.check-circle-outline", WARN: "mdi6.alert-outline",
          OVERDUE: "mdi6.clock-alert-outline", INFO: "mdi6.information-outline"}

_ROLE = "role"
_STATUS = "status"


# --- type hierarchy -------------------------------------------------------------------

def title(label: QLabel) -> QLabel:
    """A page's title."""
    return _set(label, _ROLE, "title")


def heading(label: QLabel) -> QLabel:
    """A section's heading within a page."""
    return _set(label, _ROLE, "heading")


def secondary(label: QLabel) -> QLabel:
    """Quieter text: hints, captions, counts beside the main thing."""
    return _set(label, _ROLE, "secondary")


def banner(frame: QWidget) -> QWidget:
    """A notice across a page: framed in the highlight colour on a quiet background."""
    return _set(frame, _ROLE, "banner")


def read_only(widget: QWidget, on: bool) -> None:
    """The one read-only look of a field (see the module's docstring)."""
    _set(widget, "locked", "true" if on else "")


# --- status colours -------------------------------------------------------------------

def status_color(kind: str, palette: QPalette | None = None) -> QColor:
    """The colour of a status (OK, WARN, OVERDUE, INFO) on `palette`'s base colour."""
    pal = palette if palette is not None else QGuiApplication.palette()
    background = pal.color(QPalette.ColorRole.Base)
    text = pal.color(QPalette.ColorRole.Text)
    if kind == INFO:
        color = QColor(pal.color(QPalette.ColorRole.Link))
    elif kind in _HUES:
        light, dark = _HUES[kind]
        color = QColor(dark if background.lightness() < 128 else light)
    else:
        raise ValueError(f"unknown status {kind!r}")
    return color if contrast(color, background) >= 4.5 else QColor(text)


def status_symbol(kind: str) -> str:
    """The symbol that goes with a status colour, so colour is never alone."""
    return _SYMBOLS[kind]


def status_icon(kind: str, widget: QWidget | None = None) -> QIcon:
    """The icon-font icon of a status, in its status colour."""
    import qtawesome as qta  # late: the sign-in view paints before it is needed

    palette = widget.palette() if widget is not None else None
    return qta.icon(_ICONS[kind], color=status_color(kind, palette))


def set_status(label: QLabel, kind: str | None, text: str) -> None:
    """`label` shows "<symbol> <text>" in the colour of `kind`; None: plain text."""
    label.setText(f"{_SYMBOLS[kind]} {text}" if kind and text else text)
    _set(label, _STATUS, kind or "")


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
                + 0.0722 * channel(c.blueF()))

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- the style sheet ------------------------------------------------------------------

# The text size the platform gave (100 %) and the sizes its style draws beside text
# then: check boxes' boxes and icons grow with the text from these (set_base_point_size).
_base: dict[str, float] = {}


def set_base_point_size(points: float) -> None:
    """The 100 % text size, once: the icons and the boxes of check boxes and radio
    buttons are scaled by the style sheet as the text grows. (A Python QProxyStyle did
    this first; its pixelMetric, called with widgets being destroyed, left dangling
    pointers in Qt's style sheet caches and crashed the next style sheet change.)"""
    app = QApplication.instance()
    if _base or points <= 0 or not isinstance(app, QApplication):
        return
    metric = QStyle.PixelMetric
    style = app.style()
    _base.update(points=points,
                 indicator=style.pixelMetric(metric.PM_IndicatorWidth),
                 radio=style.pixelMetric(metric.PM_ExclusiveIndicatorWidth),
                 button_icon=style.pixelMetric(metric.PM_ButtonIconSize),
                 small_icon=style.pixelMetric(metric.PM_SmallIconSize))
    apply(app)


def _scaled_sizes(point_size: float) -> str:
    """The rules that grow icons and indicators with the text; none at 100 %."""
    if not _base or abs(point_size - _base["points"]) < 0.05:
        return ""
    factor = point_size / _base["points"]

    def px(key: str) -> int:
        return round(_base[key] * factor)

    return f"""
QCheckBox::indicator, QGroupBox::indicator, QAbstractItemView::indicator {{
    width: {px("indicator")}px; height: {px("indicator")}px; }}
QRadioButton::indicator {{ width: {px("radio")}px; height: {px("radio")}px; }}
QPushButton, QToolButton, QCheckBox, QRadioButton {{ icon-size: {px("button_icon")}px; }}
QListView, QTreeView, QTableView, QTabBar {{ icon-size: {px("small_icon")}px; }}
"""


def style_sheet(palette: QPalette, point_size: float) -> str:
    """The application's style sheet for `palette` and the body text size."""
    role = QPalette.ColorRole
    base = palette.color(role.Base)
    window_text = palette.color(role.WindowText)
    separator = _mix(palette.color(role.Mid), base, 0.45).name()
    frame = _mix(palette.color(role.Mid), base, 0.8).name()
    quiet = _mix(window_text, palette.color(role.Window), 0.7).name()
    tint = _mix(palette.color(role.Highlight), palette.color(role.Window), 0.12).name()
    size = max(point_size, 1.0)
    sheet = f"""
QLabel[role="title"] {{ font-size: {size * 1.4:.1f}pt; font-weight: bold; }}
QLabel[role="heading"] {{ font-size: {size * 1.15:.1f}pt; font-weight: bold; }}
QLabel[role="secondary"] {{ color: {quiet}; }}
QLabel[status="ok"] {{ color: {status_color(OK, palette).name()}; }}
QLabel[status="warn"] {{ color: {status_color(WARN, palette).name()}; font-weight: bold; }}
QLabel[status="overdue"] {{ color: {status_color(OVERDUE, palette).name()}; font-weight: bold; }}
QLabel[status="info"] {{ color: {status_color(INFO, palette).name()}; }}

QAbstractItemView {{ border: 1px solid {frame}; padding: 1px; }}
QAbstractItemView:focus {{ border: 2px solid palette(highlight); padding: 0px; }}
QHeaderView, QHeaderView:focus {{ border: none; padding: 0px; }}
QTableView {{ qproperty-showGrid: false; qproperty-alternatingRowColors: true; }}

QPushButton, QToolButton {{
    border: 1px solid {frame}; border-radius: 4px; padding: 4px 6px;
    background: palette(button); color: palette(button-text); }}
QToolButton {{ padding: 3px 5px; }}
QPushButton:hover, QToolButton:hover {{ border-color: palette(highlight); }}
QPushButton:pressed, QToolButton:pressed, QToolButton:checked {{
    background: {_mix(palette.color(role.Highlight), palette.color(role.Button), 0.25).name()}; }}
QPushButton:default {{ border-color: palette(highlight); }}
QPushButton:disabled, QToolButton:disabled {{ color: {quiet}; border-color: {separator}; }}
QPushButton:focus, QToolButton:focus {{ border: 2px solid palette(highlight); padding: 3px 5px; }}
QToolButton:focus {{ padding: 2px 4px; }}
QPushButton::menu-indicator {{ subcontrol-origin: padding; subcontrol-position: right center; }}

QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{
    border: 2px solid palette(highlight); border-radius: 3px; }}
QAbstractSpinBox QLineEdit:focus, QComboBox QLineEdit:focus {{ border: none; }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 3px; padding: 1px; }}
QCheckBox:focus, QRadioButton:focus {{ border-color: palette(highlight); }}
QTabBar::tab:focus {{ border: 2px solid palette(highlight); }}

QFrame[role="banner"] {{ background: {tint};
    border: 1px solid palette(highlight); border-radius: 4px; }}
QFrame[role="banner"] QLabel {{ background: transparent; border: none; }}

QLineEdit[locked="true"], QPlainTextEdit[locked="true"], QAbstractSpinBox[locked="true"],
QComboBox[locked="true"] {{ background: palette(window); color: palette(window-text);
    border: 1px solid {separator}; border-radius: 3px; padding: 2px 4px; }}
QComboBox[locked="true"] QLineEdit {{ background: transparent; border: none; padding: 0px; }}
QComboBox[locked="true"]::drop-down {{ width: 0px; border: none; }}
QAbstractSpinBox[locked="true"]::up-button, QAbstractSpinBox[locked="true"]::down-button {{
    width: 0px; border: none; }}
QLineEdit[locked="true"]:focus, QPlainTextEdit[locked="true"]:focus,
QAbstractSpinBox[locked="true"]:focus, QComboBox[locked="true"]:focus {{
    border: 2px solid palette(highlight); padding: 1px 3px; }}
"""
    return sheet + _scaled_sizes(size)


def install(app: QApplication) -> None:
    """Apply the style sheet now and again whenever the palette or text size changes."""
    if not app.property("style_installed"):
        app.setProperty("style_installed", True)
        # Signals, not an application-wide event filter: that would see every event.
        app.fontChanged.connect(lambda _font: apply(app))
        app.paletteChanged.connect(lambda _palette: apply(app))
        app.focusChanged.connect(_ring_around)
    apply(app)


class FocusRing(QFocusFrame):
    """The 2 px ring around a focused combo box or spin box. A style sheet border would
    have these drawn by the style sheet, arrows and all (they lose their native look),
    so the ring is a QFocusFrame drawn just outside the widget instead."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)


_ring: list[FocusRing] = []  # the one ring; Qt deletes it with the widget it is in


def _ring_around(_old: QWidget | None, new: QWidget | None) -> None:
    ring = _ring[0] if _ring and isValid(_ring[0]) else None
    if not (isinstance(new, QComboBox | QAbstractSpinBox) and new.window().isVisible()
            and new.property("locked") != "true"):  # a locked field has its own ring
        if ring is not None:
            ring.setWidget(None)  # type: ignore[arg-type]  # Qt takes None: track nothing
            ring.hide()
        return
    if ring is None:
        ring = FocusRing()
        ring.setObjectName("focus_ring")
        _ring[:] = [ring]
    ring.setWidget(new)
    ring.show()


def apply(app: QApplication) -> None:
    """Build the style sheet for the application's palette and font; set it if it
    changed (setting it re-polishes every widget)."""
    font = app.font()
    # A font set in pixels has no point size: 0.75 pt a pixel at 96 dpi.
    points = font.pointSizeF() if font.pointSizeF() > 0 else font.pixelSize() * 0.75
    sheet = style_sheet(app.palette(), points)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)


# --- helpers --------------------------------------------------------------------------

def _set(widget: W, name: str, value: str) -> W:
    if (widget.property(name) or "") != value:
        widget.setProperty(name, value)
        # Dynamic properties are not watched by the style sheet: polish again.
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        widget.update()
    return widget


def _mix(a: QColor, b: QColor, share_a: float) -> QColor:
    """`share_a` of colour a over the rest of colour b."""
    def blend(x: float, y: float) -> float:
        return share_a * x + (1 - share_a) * y

    return QColor.fromRgbF(blend(a.redF(), b.redF()), blend(a.greenF(), b.greenF()),
                           blend(a.blueF(), b.blueF()))
