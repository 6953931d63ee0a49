"""The plan editor driven the way a coach uses it: a new plan, typing with autosave,
acceptance, a read-only accepted version, a new draft from it and a comparison."""

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from sqlalchemy import select

from app.i18n import _
from app.models import AuditEvent
from app.services.plans import PlanService
from app.views.plans.editor import PlanEditor
from app.views.plans.fields import is_locked
from app.views.tasks import TaskRunner
from tests.factories import add_people
from tests.gui.test_accessibility import check_page


@pytest.fixture
def editor(qapp, qtbot, signed_in):
    ids = add_people(signed_in)
    runner = TaskRunner(qapp)
    widget = PlanEditor(PlanService(signed_in.ctx), runner, signed_in.ctx.today)
    widget.customer_ids = ids
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.flush()
    runner.wait()


def click(qtbot, button):
    # Near the left edge: a radio button or check box reacts on its indicator and text.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton,
                     pos=QPoint(min(8, button.width() // 2), button.height() // 2))


def open_new_plan(qtbot, editor):
    with qtbot.waitSignal(editor.loaded, timeout=15000):
        editor.open_customer(editor.customer_ids[0])
    assert editor.body.currentWidget() is editor.new_panel
    panel = editor.new_panel
    panel.plan_type.setCurrentIndex(panel.plan_type.findData("employment"))
    with qtbot.waitSignal(editor.loaded, timeout=15000):
        click(qtbot, panel.create_button)
    assert editor.info is not None and editor.info.editable


def section(editor, key):
    editor.section_list.setCurrentRow([s.key for s in editor.sections].index(key))
    return editor.section_by_key[key]


def accept_signed(qtbot, editor):
    """Accept the plan shown, signed by the customer, as the coach does; the dialog."""
    click(qtbot, editor.header.accept_button)
    dialog = editor.dialog
    qtbot.waitUntil(dialog.isVisible)
    click(qtbot, dialog.how_buttons["signed"])
    with qtbot.waitSignal(editor.loaded, timeout=15000):
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    qtbot.waitUntil(lambda: editor.info.row.status == "accepted", timeout=15000)
    return dialog


def stored(editor):
    return editor.plans.version(editor.info.id).content


def test_new_plan_autosave_accept_read_only_new_draft_and_compare(qtbot, editor):
    open_new_plan(qtbot, editor)
    assert "Luonnos" in editor.header.status.text() or "Draft" in editor.header.status.text()
    goals = section(editor, "goals")
    click(qtbot, goals.goals.add_button)
    row = goals.goals.rows[0]
    qtbot.waitUntil(row.text.hasFocus)
    qtbot.keyClicks(row.text, "Tyopaikka matkailualalta")
    row.text.insert(" – Rovaniemellä")  # QTest types ASCII; an input method the rest
    with qtbot.waitSignal(editor.saved, timeout=15000):
        pass  # the autosave fires about a second after typing stops
    qtbot.waitUntil(lambda: editor.in_flight == 0 and not editor.timer.isActive())
    assert stored(editor).goals[0].text == "Tyopaikka matkailualalta – Rovaniemellä"
    contact = section(editor, "contact")
    qtbot.keyClicks(contact.method.lineEdit(), "Puhelin")
    editor.flush()  # Ctrl+S does the same without waiting for the timer
    qtbot.waitUntil(lambda: editor.in_flight == 0, timeout=15000)

    dialog = accept_signed(qtbot, editor)
    assert not dialog.isVisible()
    # Accepted: read-only, no Accept, a way to start the next version instead.
    goals = section(editor, "goals")
    assert goals.goals.rows[0].text.isReadOnly()
    assert not goals.goals.add_button.isVisible()
    header = editor.header
    assert not header.accept_button.isVisible() and header.new_draft_button.isVisible()
    assert "Pekka Ylitalo" in editor.header.status.text()
    accepted_id = editor.info.id

    with qtbot.waitSignal(editor.loaded, timeout=15000):
        click(qtbot, editor.header.new_draft_button)
    assert editor.info.row.number == 2 and editor.info.editable
    row = section(editor, "goals").goals.rows[0]
    assert not row.text.isReadOnly()
    row.text.setText("Kokoaikatyö matkailualalta")
    with qtbot.waitSignal(editor.saved, timeout=15000):
        pass
    assert editor.plans.version(accepted_id).content.goals[0].text.startswith("Tyopaikka")

    assert editor.header.compare_button.isEnabled()
    click(qtbot, editor.header.compare_button)
    compare = editor.dialog
    qtbot.waitUntil(lambda: compare.model.rowCount() > 0, timeout=15000)
    changed = [r for r in compare.model.rows if r[0] == "changed"]
    assert changed and "Tyopaikka" in changed[0][1] and "Kokoaikatyö" in changed[0][2]
    compare.only.setChecked(True)
    assert all(r[0] != "same" for r in compare.model.rows)
    compare.close()


def test_hiding_the_editor_saves_what_was_typed_at_once(qtbot, editor):
    open_new_plan(qtbot, editor)
    goals = section(editor, "goals")
    click(qtbot, goals.goals.add_button)
    goals.goals.rows[0].text.setText("Ammattitutkinto")
    assert editor.timer.isActive() and editor.has_unsaved_changes()
    editor.hide()  # leaving the page or closing the window
    assert not editor.timer.isActive()
    qtbot.waitUntil(lambda: editor.in_flight == 0, timeout=15000)
    assert stored(editor).goals[0].text == "Ammattitutkinto"
    assert not editor.has_unsaved_changes()


def test_signing_out_saves_what_was_typed_and_forgets_the_plan(qtbot, editor):
    """The next person at the desk finds no plan behind the card, and the coach's last
    words are kept (saved before the sign-out)."""
    open_new_plan(qtbot, editor)
    goals = section(editor, "goals")
    click(qtbot, goals.goals.add_button)
    goals.goals.rows[0].text.setText("Ammattitutkinto")
    version_id = editor.info.id
    assert editor.timer.isActive()  # not saved yet
    editor.forget()
    qtbot.waitUntil(lambda: editor.in_flight == 0, timeout=15000)
    editor.runner.wait()
    qtbot.wait(50)
    assert editor.customer_id is None and editor.info is None and editor.overview is None
    assert editor.body.currentWidget() is editor.loading_label
    assert editor.loading_label.text() == ""
    assert editor.plans.version(version_id).content.goals[0].text == "Ammattitutkinto"


def test_accepting_an_incomplete_plan_marks_the_sections(qtbot, editor):
    open_new_plan(qtbot, editor)
    click(qtbot, editor.header.accept_button)
    dialog = editor.dialog
    click(qtbot, dialog.how_buttons["verbal"])
    click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    marked = [editor.section_list.item(i).text() for i in range(editor.section_list.count())
              if "⚠" in editor.section_list.item(i).text()]
    assert len(marked) == 2  # goals and contact
    assert editor.section_list.currentRow() == 0
    assert section(editor, "goals").errors["goals"].isVisible()
    assert editor.info.editable and "⚠" in editor.header.message.text()
    # Fixing a section clears its mark as the coach types.
    qtbot.keyClicks(section(editor, "contact").method.lineEdit(), "Puhelin")
    contact_row = [s.key for s in editor.sections].index("contact")
    assert "⚠" not in editor.section_list.item(contact_row).text()


def test_a_date_that_is_not_a_date_is_shown_and_not_lost(qtbot, editor):
    open_new_plan(qtbot, editor)
    review = section(editor, "review")
    review.review.setText("31.2.2027")
    qtbot.waitUntil(lambda: review.errors["next_review_on"].isVisible())
    assert review.review.text() == "31.2.2027"
    review.review.setText("28.2.2027")
    assert not review.errors["next_review_on"].isVisible()


def test_save_as_pdf_is_audited(qtbot, editor, monkeypatch, tmp_path, signed_in):
    open_new_plan(qtbot, editor)
    target = tmp_path / "plan.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "PDF"))
    editor.header.save_pdf_action.trigger()
    qtbot.waitUntil(target.exists, timeout=10000)
    qtbot.waitUntil(lambda: str(target) in editor.header.message.text(), timeout=10000)
    assert target.read_bytes().startswith(b"%PDF")
    with signed_in.ctx.session_factory() as s:
        details = s.scalars(select(AuditEvent.detail)
                            .where(AuditEvent.action == "plan.print")).all()
    assert [json.loads(d)["purpose"] for d in details] == ["save"]


def test_editor_is_named_and_keyboard_reachable(qtbot, editor):
    open_new_plan(qtbot, editor)
    click(qtbot, section(editor, "goals").goals.add_button)
    for key in ("goals", "obligation", "services"):
        section(editor, key)
        check_page(qtbot, editor, f"plan editor, {key}")


def test_another_plan_type_beside_the_first_or_cancel(qtbot, editor):
    open_new_plan(qtbot, editor)
    first = editor.info.id
    click(qtbot, editor.header.new_plan_button)
    panel = editor.new_panel
    assert editor.body.currentWidget() is panel and panel.cancel_button.isVisible()
    click(qtbot, panel.cancel_button)
    assert editor.body.currentWidget() is editor.editor and editor.info.id == first
    click(qtbot, editor.header.new_plan_button)
    panel.plan_type.setCurrentIndex(panel.plan_type.findData("activation"))
    with qtbot.waitSignal(editor.loaded, timeout=15000):
        click(qtbot, panel.create_button)
    qtbot.waitUntil(lambda: editor.info.plan_type == "activation", timeout=15000)
    assert editor.header.versions.count() == 2 and editor.header.versions.isEnabled()
    # Choosing the other plan's version in the list opens it.
    index = editor.header.versions.findData(first)
    with qtbot.waitSignal(editor.loaded, timeout=15000):
        editor.header.versions.setCurrentIndex(index)
        editor.header.versions.activated.emit(index)
    assert editor.info.id == first


def test_switching_the_language_retranslates_the_editor(qapp, qtbot, editor):
    from app.views.translator import LanguageSwitcher

    open_new_plan(qtbot, editor)
    editor.new_plan()
    cancel = editor.new_panel.cancel_button
    assert cancel.text() == "Peruuta"
    switcher = LanguageSwitcher(qapp)
    try:
        switcher.switch("en")
        qtbot.waitUntil(lambda: cancel.text() == "Cancel")
        assert editor.header.accept_button.text() == "&Accept…"
    finally:
        switcher.switch("fi")
    qtbot.waitUntil(lambda: cancel.text() == "Peruuta")


def accept_simple_plan(qtbot, editor):
    """A draft with a goal, an action and the contact, accepted as signed."""
    open_new_plan(qtbot, editor)
    goals = section(editor, "goals")
    click(qtbot, goals.goals.add_button)
    goals.goals.rows[0].text.setText("Työpaikka matkailualalta")
    actions = section(editor, "customer_actions")
    click(qtbot, actions.list.add_button)
    actions.list.rows[0].text.setText("Hakee kolmea paikkaa")
    qtbot.keyClicks(section(editor, "contact").method.lineEdit(), "Puhelin")
    editor.flush()
    qtbot.waitUntil(lambda: editor.in_flight == 0, timeout=15000)
    accept_signed(qtbot, editor)


def plan_fields(editor):
    """Every field of every section (not the line edit inside a combo or spin box)."""
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton)
    fields = []
    for sec in editor.sections:
        for widget in sec.findChildren(QWidget):
            if not isinstance(widget, kinds) or not widget.isVisibleTo(sec):
                continue
            if isinstance(widget.parent(), QComboBox | QAbstractSpinBox):
                continue
            if isinstance(widget, QAbstractButton) and not widget.isCheckable():
                continue  # the section's own buttons (add, remove) hide instead
            fields.append(widget)
    return fields


def test_an_accepted_plan_is_read_only_in_one_way_with_one_banner(qtbot, editor):
    accept_simple_plan(qtbot, editor)
    header = editor.header
    # One banner says it is accepted and how to go on, with the button to do it.
    assert header.banner.isVisible()
    assert _("An accepted plan cannot be changed. To change it, start a new draft "
             "from it.") in header.banner_text.text()
    assert header.new_draft_button.isVisible()
    assert header.banner.isAncestorOf(header.new_draft_button)
    # Every field: locked, none greyed out (the same look and the same behaviour).
    fields = plan_fields(editor)
    kinds = {type(w).__name__ for w in fields}
    assert {"QComboBox", "QLineEdit", "QPlainTextEdit", "QSpinBox", "QCheckBox"} <= kinds
    assert all(w.isEnabled() for w in fields), [w.objectName() for w in fields
                                                if not w.isEnabled()]
    assert all(is_locked(w) for w in fields), [w.objectName() for w in fields
                                               if not is_locked(w)]
    # Nothing changes from the keyboard or the mouse wheel either.
    kind = section(editor, "goals").goals.rows[0].kind
    before = kind.currentIndex()
    kind.setFocus()
    qtbot.keyClick(kind, Qt.Key.Key_Down)
    assert kind.currentIndex() == before
    done = section(editor, "customer_actions").list.rows[0].done
    click(qtbot, done)
    qtbot.keyClick(done, Qt.Key.Key_Space)
    assert not done.isChecked()
    # The next version is editable again, the banner gone.
    with qtbot.waitSignal(editor.loaded, timeout=15000):
        click(qtbot, header.new_draft_button)
    assert not header.banner.isVisible()
    assert not any(is_locked(w) for w in plan_fields(editor))
    assert not section(editor, "goals").goals.rows[0].text.isReadOnly()
