"""Settings > Queue services (#24) by keyboard: an administrator adds a service with its
three names, served at a partner's desks, sees it listed, changes it and moves it up the
queue's order; a refused form keeps what was typed and says what is wrong under the
field. Only administrators see the menu entry."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.i18n import _
from app.models import PartnerOrg
from app.rules import queue as rules
from app.rules.codes import LABELS, PartnerKind, ServiceArea
from app.views.queue.services_dialog import AREA_DESKS
from tests.gui.conftest import sign_in


def type_into(qtbot, widget, text):
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def choose(qtbot, combo, data):
    """Choose the item with `data` in a combo box by keyboard (Home, then Down)."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _step in range(combo.count()):
        if combo.currentData() == data:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == data


def press(qtbot, button):
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_admin_adds_edits_and_moves_a_queue_service(qtbot, window):
    with window.services.ctx.session_factory.begin() as s:
        s.add(PartnerOrg(id="po-redu", name="Lapin koulutuskeskus REDU",
                         kind=PartnerKind.SCHOOL))
    sign_in(qtbot, window, "admin")
    menus = window.menus
    assert menus.queue_services_action.isVisible() and menus.queue_services_action.isEnabled()
    assert menus.queue_services_action.text() == _("&Queue services…")
    menus.queue_services_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(QDialog, "queue_services_dialog") is not None)
    dialog = window.findChild(QDialog, "queue_services_dialog")
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.isActiveWindow())
    builtin = len(rules.BUILT_IN_NAMES)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == builtin)
    assert dialog.point.currentData() == "sp-rov"
    assert dialog.windowTitle() == _("Queue services")
    for widget in (dialog.point, dialog.table, dialog.up_button, dialog.down_button,
                   dialog.code, dialog.name_fi, dialog.name_sv, dialog.name_en, dialog.area,
                   dialog.partner, dialog.active, dialog.new_button, dialog.add_button,
                   dialog.save_button):
        assert widget.accessibleName(), widget.objectName()
    first = dialog.model.rows[0]
    assert dialog.model.data(dialog.model.index(0, 2)) == _(LABELS[ServiceArea(first.service_area)])
    assert dialog.model.data(dialog.model.index(0, 3)) == _(AREA_DESKS)
    assert dialog.partner.itemText(0) == _(AREA_DESKS)

    # A refused form: each problem under its field, what was typed stays.
    press(qtbot, dialog.new_button)
    assert dialog.code.hasFocus() and not dialog.code.isReadOnly()
    qtbot.keyClicks(dialog.code, "Opinto ohjaus")
    qtbot.keyClick(dialog.code, Qt.Key.Key_Tab)
    assert dialog.name_fi.hasFocus()
    qtbot.keyClicks(dialog.name_fi, "Opinto-ohjaus")
    qtbot.keyClick(dialog.name_fi, Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.name_sv, Qt.Key.Key_Tab)  # no Swedish name yet
    qtbot.keyClicks(dialog.name_en, "Career guidance")
    choose(qtbot, dialog.partner, "po-redu")
    press(qtbot, dialog.add_button)
    qtbot.waitUntil(lambda: dialog.errors["code"].text() != "")
    assert dialog.errors["name_sv"].text() != "" and dialog.errors["service_area"].text() != ""
    assert dialog.errors["name_fi"].text() == "" and dialog.errors["partner_org_id"].text() == ""
    assert (dialog.code.text(), dialog.name_fi.text(), dialog.name_en.text()) == (
        "Opinto ohjaus", "Opinto-ohjaus", "Career guidance")
    assert dialog.partner.currentData() == "po-redu"
    assert dialog.code.hasFocus()  # the first field to correct
    assert dialog.model.rowCount() == builtin

    # Corrected: added, listed last, served at the partner's desks.
    type_into(qtbot, dialog.code, "career_guidance")
    type_into(qtbot, dialog.name_sv, "Studiehandledning")
    choose(qtbot, dialog.area, "skills")
    press(qtbot, dialog.add_button)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == builtin + 1)
    added = dialog.model.rows[-1]
    assert (added.code, added.name_fi, added.name_sv, added.name_en, added.service_area,
            added.partner_org_id) == ("career_guidance", "Opinto-ohjaus", "Studiehandledning",
                                      "Career guidance", "skills", "po-redu")
    assert dialog.model.data(dialog.model.index(builtin, 3)) == "Lapin koulutuskeskus REDU"
    assert all(not e.text() for e in dialog.errors.values())
    qtbot.waitUntil(lambda: dialog.selected() is not None and dialog.selected().id == added.id)
    assert "Opinto-ohjaus" in dialog.status.text()
    # Chosen: the code can no longer be changed; adding is for a new service.
    assert dialog.code.isReadOnly() and not dialog.add_button.isEnabled()
    assert dialog.save_button.isEnabled()

    # Changed: a new Finnish name; who serves it stays (the choice is closed).
    assert not dialog.partner.isEnabled()
    type_into(qtbot, dialog.name_fi, "Opinto- ja uraohjaus")
    press(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.model.rows[-1].name_fi == "Opinto- ja uraohjaus")
    assert dialog.model.rows[-1].partner_org_id == "po-redu"
    assert dialog.model.data(dialog.model.index(builtin, 0)) == "Opinto- ja uraohjaus"
    assert window.services.queue_services.get(added.id).code == "career_guidance"

    # Moved up twice: by the button, then by Ctrl+Up in the list.
    assert dialog.up_button.isEnabled() and not dialog.down_button.isEnabled()
    press(qtbot, dialog.up_button)
    qtbot.waitUntil(lambda: dialog.model.rows[builtin - 1].id == added.id)
    qtbot.waitUntil(lambda: dialog.selected() is not None and dialog.selected().id == added.id)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.model.rows[builtin - 2].id == added.id)
    assert [r.position for r in dialog.model.rows] == list(range(builtin + 1))
    assert window.services.queue.point_services().index("career_guidance") == builtin - 2
    dialog.reject()


def test_queue_services_are_for_administrators(qtbot, window):
    sign_in(qtbot, window, "coach")
    assert not window.menus.queue_services_action.isVisible()
    assert not window.menus.queue_services_action.isEnabled()
