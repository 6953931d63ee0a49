"""Coaching in the application: today's worklist opens the card, the card's barriers and
coach change, the caseload view with its filter and balancing, and the import dialog."""

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from sqlalchemy import select, update

from app.models import Customer, CustomerBarrier, Staff
from app.rules.codes import Role
from app.views.main_window import ROW
from tests.factories import Clock
from tests.gui.test_accessibility import check_page

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def prepare(window):
    """Every demo person is the coach's customer, registered long ago, never met."""
    services = window.services
    services.ctx.now = Clock(NOW)
    with services.ctx.session_factory.begin() as s:
        s.add(Staff(id="staff-coach2", username="coach2", full_name="Kaisa Toinen",
                    role=Role.COACH, team_id="team-1", service_point_id="sp-rov"))
        s.execute(update(Customer).values(coach_id="staff-coach",
                                          jobseeker_registered_on=date(2026, 6, 1)))


def sign_in_as(qtbot, window, username):
    window.login.username.setText(username)
    window.login.password.setText("demo")
    qtbot.mouseClick(window.login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10000)


def test_today_opens_the_card_where_barriers_and_the_coach_change(qtbot, window):
    prepare(window)
    sign_in_as(qtbot, window, "coach")
    today = window.page("today")
    # The count is on the navigation before the page is opened.
    qtbot.waitUntil(lambda: len(today.model.items) > 0, timeout=10000)
    assert window.nav.item(ROW["today"]).text().endswith(str(len(today.model.items)))
    window.nav.setCurrentRow(ROW["today"])
    qtbot.waitUntil(lambda: window.pages.currentWidget() is today)
    kinds = {r.kind for r in today.model.items}
    assert {"initial_interview", "not_contacted"} <= kinds
    first = today.model.items[0]
    row = today.model.index(0, 0, today.model.index(0, 0))  # under the first heading
    assert first.overdue and "380/2023" in today.model.data(
        row.siblingAtColumn(1), Qt.ItemDataRole.ToolTipRole)
    window.activateWindow()
    today.table.setFocus()
    today.table.setCurrentIndex(row)
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    customers, card = window.page("customers"), window.page("customers").card_view
    qtbot.waitUntil(lambda: customers.currentWidget() is card and card.card is not None
                    and card.card.id == first.customer_id, timeout=15000)
    panel = card.coaching
    qtbot.waitUntil(lambda: panel.clock is not None, timeout=15000)
    lines = [w for w in panel.findChildren(QLabel) if w.toolTip().startswith("Lähde")
             or "380/2023" in w.toolTip()]
    assert lines, "each deadline names its source in the tooltip"
    check_page(qtbot, window.shell, "customer card with coaching")
    for code in ("debt", "health", "age"):
        panel.checks[code].setChecked(True)
    qtbot.mouseClick(panel.save_barriers, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.clock is not None and len(panel.clock.barriers) == 3,
                    timeout=15000)
    assert "[" in panel.groups.text() and "many_barriers" in panel.clock.groups
    with window.services.ctx.session_factory() as s:
        assert len(s.scalars(select(CustomerBarrier)).all()) == 3
    # Change the coach: without a reason the dialog stays with the message.
    qtbot.mouseClick(panel.change_coach, Qt.MouseButton.LeftButton)
    controller = customers.coaching
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible(),
                    timeout=15000)
    dialog = controller.dialog
    dialog.coach.setCurrentIndex(dialog.coach.findData("staff-coach2"))
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=15000)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.reason, "Toimialan vaihto")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: card.card.coach_name == "Kaisa Toinen", timeout=15000)
    qtbot.waitUntil(lambda: "Toimialan vaihto" in panel.history.text(), timeout=15000)


def test_caseloads_warn_filter_and_balance(qtbot, window):
    prepare(window)
    window.services.auth.sign_in("admin", "demo")
    window.services.settings.set("caseload_cap", 3)
    first = window.services.customers.page("").rows[0].id
    window.services.coaching.set_barriers(first, {"debt", "health", "age"})
    window.services.auth.sign_out()
    sign_in_as(qtbot, window, "lead")
    window.nav.setCurrentRow(ROW["caseload"])
    page = window.page("caseload")
    qtbot.waitUntil(lambda: page.coaches.rowCount() == 2, timeout=15000)
    rows = {r.full_name: r for r in page.coaches.rows}
    assert rows["Pekka Ylitalo"].active == 5 and rows["Pekka Ylitalo"].over
    assert "⚠" in page.summary.text()
    assert [(m.from_name, m.to_name, m.count) for m in page.moves.rows] == [
        ("Pekka Ylitalo", "Kaisa Toinen", 2)]
    page.coach_table.selectRow([r.full_name for r in page.coaches.rows].index("Pekka Ylitalo"))
    qtbot.waitUntil(lambda: page.customers.rowCount() == 5, timeout=15000)
    page.many_only.setChecked(True)
    qtbot.waitUntil(lambda: page.customers.rowCount() == 1, timeout=15000)
    assert page.customers.rows[0].id == first
    check_page(qtbot, window.shell, "caseloads")
    page.move_table.selectRow(0)
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=15000)
    qtbot.mouseClick(page.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.moves.rows and page.data is not None
                    and {r.full_name: r.active for r in page.data.coaches}
                    == {"Pekka Ylitalo": 3, "Kaisa Toinen": 2}, timeout=15000)


def test_import_dialog_previews_problems_then_imports(qtbot, window, tmp_path):
    csv = tmp_path / "people.csv"
    csv.write_text("hetu,first_name,last_name,birth_date,home_municipality\n"
                   "131052-308T,Aino,Uusi,,Rovaniemi\n"
                   "131052-308X,Bad,Checksum,,Rovaniemi\n", encoding="utf-8")
    sign_in_as(qtbot, window, "lead")
    assert window.menus.import_action.isVisible()
    window.menus.open_import()
    dialog = window.menus.import_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.path.setText(str(csv))
    qtbot.mouseClick(dialog.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=15000)
    cells = [dialog.model.cells(r) for r in dialog.model.rows]
    assert cells[1][0] == "3" and "Tarkistusmerkki" in cells[1][4]
    assert cells[0][1] == "131052-****"  # masked in the preview
    check_page(qtbot, dialog, "import dialog")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_result is not None, timeout=15000)
    assert (dialog.import_result.created, dialog.import_result.rejected) == (1, 1)
    assert not dialog.import_button.isEnabled()
    dialog.path.setText(str(tmp_path / "missing.csv"))
    qtbot.mouseClick(dialog.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible, timeout=15000)
    dialog.close()


def test_the_desk_sees_no_coaching_pages(qtbot, window):
    sign_in_as(qtbot, window, "desk")
    assert window.nav.isRowHidden(ROW["today"]) and window.nav.isRowHidden(ROW["caseload"])
    assert not window.menus.import_action.isVisible()
