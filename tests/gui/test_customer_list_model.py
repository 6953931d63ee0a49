"""The customer list model: pages, cells and the language of the cells."""

from PySide6.QtCore import Qt

from app.i18n import format_number
from app.views.customers import table_model
from app.views.customers.table_model import IdRole
from tests.gui.conftest import sign_in


def cells(model, row):
    return [model.index(row, column).data() for column in range(model.columnCount())]


def test_pages_after_the_first_append_every_row_once(qtbot, window, monkeypatch):
    monkeypatch.setattr(table_model, "FIRST_PAGE", 2)
    monkeypatch.setattr(table_model, "MORE_PAGE", 2)
    sign_in(qtbot, window)
    model = window.page("customers").model
    model.refresh()
    # The table itself may ask for the next pages at once, to fill its viewport.
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() >= 2, timeout=15000)
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.loading, timeout=15000)
    expected = window.services.customers.page("").rows
    assert model.rowCount() == len(expected) == 5
    assert list(model.rows) == expected
    assert [model.index(r, 0).data(IdRole) for r in range(5)] == [r.id for r in expected]
    assert model.row_at(4) == expected[4] and model.row_at(5) is None


def test_cells_show_the_row_and_follow_the_language(qtbot, window):
    sign_in(qtbot, window)
    model = window.page("customers").model
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 5, timeout=15000)
    for position, row in enumerate(model.rows):
        assert cells(model, position) == [
            row.name, row.hetu_masked, format_number(row.age), row.customer_number,
            row.coach_name or "ei omavalmentajaa",
            "" if row.days_unemployed is None else format_number(row.days_unemployed),
            row.service_point_code, "Avoin" if row.active else "Suljettu",
        ]
        assert model.index(position, 2).data(Qt.ItemDataRole.TextAlignmentRole) == int(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    without_coach = [p for p, row in enumerate(model.rows) if not row.coach_name]
    assert without_coach
    window.preferences.set_language("sv")
    qtbot.waitUntil(lambda: model.index(without_coach[0], 4).data() == "ingen egen coach",
                    timeout=3000)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Namn"
