"""The one style sheet: installed at start-up, re-applied when the text size or the
palette changes, a visible focus ring on the navigation, tables and every other focusable
widget, and status colours taken from the palette (always with a symbol)."""

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.views import style
from tests.gui.conftest import sign_in


@pytest.fixture
def restore_app(qapp):
    """These tests change the application's palette and font: put them back."""
    palette, font = qapp.palette(), qapp.font()
    yield qapp
    qapp.setPalette(palette)
    qapp.setFont(font)


def test_the_style_sheet_is_installed_at_start_up(qapp, window):
    sheet = qapp.styleSheet()
    assert sheet == style.style_sheet(qapp.palette(), qapp.font().pointSizeF())
    # The ring: 2 px in the palette's highlight colour, for each kind of focusable widget.
    ring = "2px solid palette(highlight)"
    for selector in ("QAbstractItemView:focus", "QPushButton:focus", "QLineEdit:focus",
                     "QCheckBox:focus"):
        rule = sheet[sheet.index(selector):]
        rule = rule[:rule.index("}")]
        assert ring in rule or "border-color: palette(highlight)" in rule, selector
    assert "qproperty-showGrid: false" in sheet  # tables: no grid, faint row separators


def highlight_share(widget, color):
    """The share of the widget's outermost pixel ring that is `color`."""
    image = widget.grab().toImage()
    w, h = image.width(), image.height()
    points = [(x, 0) for x in range(w)] + [(x, h - 1) for x in range(w)] + \
        [(0, y) for y in range(h)] + [(w - 1, y) for y in range(h)]
    same = sum(1 for x, y in points if QColor(image.pixel(x, y)) == color)
    return same / len(points)


def test_the_navigation_and_a_table_show_where_the_focus_is(qtbot, window):
    sign_in(qtbot, window)  # the customers page, its table filled
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    table = window.page("customers").list_view.table
    highlight = window.palette().color(QPalette.ColorRole.Highlight)
    for widget, other in ((window.nav, table), (table, window.nav)):
        other.setFocus()
        qtbot.waitUntil(other.hasFocus)
        unfocused = highlight_share(widget, highlight)
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        focused = highlight_share(widget, highlight)
        assert unfocused < 0.2 and focused > 0.9, (widget.objectName(), unfocused, focused)


def test_a_focused_combo_box_has_the_ring_around_it(qtbot, qapp):
    style.install(qapp)  # as at start-up (installing again changes nothing)
    form = QWidget()
    layout = QVBoxLayout(form)
    combo, edit = QComboBox(), QLineEdit()
    combo.addItems(["Puhelin", "Etätapaaminen"])
    layout.addWidget(combo)
    layout.addWidget(edit)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    ring = form.findChild(style.FocusRing, "focus_ring")
    assert ring is not None and ring.isVisible() and ring.widget() is combo
    # Around it, not over it: the combo box keeps its native look.
    assert ring.geometry().contains(combo.geometry())
    edit.setFocus()
    qtbot.waitUntil(lambda: not ring.isVisible())


def test_status_colours_come_from_the_palette_with_a_symbol(qapp):
    light = QPalette(QColor("#f0f0f0"))
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    light.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    dark = QPalette(QColor("#202020"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#101010"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#ffffff"))
    for palette in (light, dark):
        base = palette.color(QPalette.ColorRole.Base)
        for kind in style.STATUS_KINDS:
            assert style.contrast(style.status_color(kind, palette), base) >= 4.5
    assert style.status_color(style.OVERDUE, light) != style.status_color(style.OVERDUE, dark)
    link = QColor("#0b57d0")
    light.setColor(QPalette.ColorRole.Link, link)
    assert style.status_color(style.INFO, light) == link
    # Where a hue would not read (a mid-grey base), the palette's text colour is used.
    grey = QPalette(light)
    grey.setColor(QPalette.ColorRole.Base, QColor("#808080"))
    grey.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    assert style.status_color(style.OVERDUE, grey) == QColor("#000000")
    # Never colour alone: the label says it with a symbol too.
    label = QLabel()
    style.set_status(label, style.OVERDUE, "5 päivää myöhässä")
    assert label.text() == f"{style.status_symbol(style.OVERDUE)} 5 päivää myöhässä"
    assert label.property("status") == style.OVERDUE
    style.set_status(label, None, "ok")
    assert label.text() == "ok" and not label.property("status")


def test_text_size_and_palette_changes_restyle(qtbot, window, restore_app):
    qapp = restore_app
    title = style.title(QLabel("Otsikko"))
    qtbot.addWidget(title)
    title.show()
    before = title.font().pointSizeF()
    window.preferences.set_text_scale(150)
    assert qapp.styleSheet() == style.style_sheet(qapp.palette(), qapp.font().pointSizeF())
    assert title.font().pointSizeF() == pytest.approx(before * 1.5, abs=0.2)
    window.preferences.set_text_scale(100)
    dark = QPalette(qapp.palette())
    for role, color in ((QPalette.ColorRole.Window, "#202020"),
                        (QPalette.ColorRole.Base, "#101010"),
                        (QPalette.ColorRole.Text, "#ffffff"),
                        (QPalette.ColorRole.WindowText, "#ffffff")):
        dark.setColor(role, QColor(color))
    qapp.setPalette(dark)
    overdue = style.status_color(style.OVERDUE, dark).name()
    assert f"color: {overdue}" in qapp.styleSheet()
    assert style.status_color(style.OVERDUE).name() == overdue  # the application's
