"""The plan editor's own part of each plan type (#24): the employment plan's sections
stay as they were; the multi-professional plan's participants (a partner person only with
the customer's consent in force), minute, follow-up day and the customer's view; the
activation and integration plans' fields; all saved by autosave. "Print for a partner…"
prints only under a consent, and the PDF reads back."""

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.dto.plans import PlanParticipantItem
from app.i18n import _
from app.views import file_dialogs
from app.views.plans.editor import PlanEditor
from app.views.plans.participants import CONSENT_OK, ParticipantRow
from app.views.tasks import TaskRunner
from tests.factories import Clock
from tests.gui.test_accessibility import check_page
from tests.gui.test_meeting_dialog import make_world


def not_given() -> str:
    """The refusal as the worker reads it, in the language the test runs in."""
    from app.i18n import _

    return _("The customer has not given consent to share information with this partner.")


def withdrawn() -> str:
    from app.i18n import _

    return _("The customer has withdrawn their consent to share this with this partner.")

EMPLOYMENT_SECTIONS = ["goals", "customer_actions", "partner_actions", "services",
                       "obligation", "contact", "review"]


@pytest.fixture
def editor(qapp, qtbot, services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("coach", "demo")
    world = make_world(services)
    runner = TaskRunner(qapp)
    widget = PlanEditor(services.plans, runner, services.ctx.today, services=services)
    widget.world = world
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.flush()
    runner.wait()


def click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton,
                     pos=QPoint(min(8, button.width() // 2), button.height() // 2))


def create(qtbot, editor, plan_type):
    with qtbot.waitSignal(editor.loaded, timeout=15000):
        editor.open_customer(editor.world["customer"])
    panel = editor.new_panel
    if editor.body.currentWidget() is not panel:
        editor.new_plan()
    panel.plan_type.setCurrentIndex(panel.plan_type.findData(plan_type))
    with qtbot.waitSignal(editor.loaded, timeout=15000):
        click(qtbot, panel.create_button)
    assert editor.info is not None and editor.info.plan_type == plan_type


def shown_sections(editor):
    return [s.key for row, s in enumerate(editor.sections)
            if not editor.section_list.isRowHidden(row)]


def section(editor, key):
    editor.section_list.setCurrentRow([s.key for s in editor.sections].index(key))
    return editor.section_by_key[key]


def saved(qtbot, editor):
    editor.flush()
    qtbot.waitUntil(lambda: editor.in_flight == 0 and not editor.timer.isActive(),
                    timeout=15000)
    return editor.plans.version(editor.info.id).content


def test_the_employment_plan_keeps_its_sections_and_prints_for_no_partner(qtbot, editor):
    create(qtbot, editor, "employment")
    assert shown_sections(editor) == EMPLOYMENT_SECTIONS
    assert not editor.header.partner_print_action.isVisible()


def test_multi_professional_sections_save_themselves(qtbot, editor):
    create(qtbot, editor, "multi_professional")
    assert shown_sections(editor) == ["goals", "participants", "meeting", "customer_view",
                                      *EMPLOYMENT_SECTIONS[1:]]
    assert editor.header.partner_print_action.isVisible()
    meeting = section(editor, "meeting")
    meeting.minute.setPlainText("Sovittiin työkyvyn arvioinnista.")
    meeting.follow_up.setText("15.1.2027")
    view = section(editor, "customer_view")
    view.boxes["customer_view"].setPlainText("Haluan ensin kuntoutukseen.")
    content = saved(qtbot, editor)
    assert content.meeting_minute == "Sovittiin työkyvyn arvioinnista."
    assert content.follow_up_on == date(2027, 1, 15)
    assert content.customer_view == "Haluan ensin kuntoutukseen."
    # A day that is not a day: said beside the field, the section marked.
    meeting = section(editor, "meeting")
    meeting.follow_up.setText("40.1.2027")
    editor._show_errors({})
    assert meeting.errors["follow_up_on"].isVisible()
    assert "⚠" in editor.section_list.item(
        [s.key for s in editor.sections].index("meeting")).text()


def test_a_partner_person_is_written_in_only_with_the_customers_consent(qtbot, editor):
    world = editor.world
    create(qtbot, editor, "multi_professional")
    participants = section(editor, "participants")
    click(qtbot, participants.add_partner)
    qtbot.waitUntil(lambda: editor.dialog is not None and editor.dialog.isVisible(),
                    timeout=15000)
    dialog = editor.dialog
    picker = dialog.partner
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    picker.combo.setCurrentIndex(picker.combo.findData(world["olli"].id))
    assert not_given() in picker.consent.text() and not ok.isEnabled()
    picker.combo.setCurrentIndex(picker.combo.findData(world["sari"].id))
    assert _(CONSENT_OK) in picker.consent.text() and ok.isEnabled()
    click(qtbot, ok)
    assert len(participants.list.rows) == 1
    row = participants.list.rows[0]
    assert isinstance(row, ParticipantRow)
    assert row.name.text() == "Sari Suomela" and row.name.isReadOnly()
    assert row.organisation.text() == "Kela Rovaniemi"
    row.responsibilities.setPlainText("Selvittää etuudet")
    content = saved(qtbot, editor)
    assert [(p.name, p.organisation, p.partner_person_id, p.responsibilities)
            for p in content.participants] == [
        ("Sari Suomela", "Kela Rovaniemi", world["sari"].id, "Selvittää etuudet")]

    # A staff member from the staff list.
    click(qtbot, participants.add_staff)
    qtbot.waitUntil(lambda: editor.dialog is not dialog and editor.dialog.isVisible(),
                    timeout=15000)
    staff_dialog = editor.dialog
    staff_dialog.staff.setCurrentIndex(
        staff_dialog.staff.findData(editor.services.ctx.actor.staff_id))
    click(qtbot, staff_dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    content = saved(qtbot, editor)
    assert [p.staff_id for p in content.participants] == [
        None, editor.services.ctx.actor.staff_id]

    # The consent withdrawn: the row says so in words when the plan is opened again.
    services = editor.services
    services.consents.withdraw(services.consents.consents(world["customer"])[0].id)
    with qtbot.waitSignal(editor.loaded, timeout=15000):
        editor.open_customer(world["customer"])
    row = section(editor, "participants").list.rows[0]
    qtbot.waitUntil(lambda: withdrawn() in row.kind.text(), timeout=15000)


def test_activation_and_integration_fields_save_themselves(qtbot, editor):
    create(qtbot, editor, "activation")
    assert "activation" in shown_sections(editor)
    assert "participants" not in shown_sections(editor)
    activation = section(editor, "activation")
    conditions = activation.boxes["activation_conditions"]
    assert conditions.toPlainText() == editor.info.content.activation_conditions
    activation.boxes["activation_measures"].setPlainText("Kuntouttava työtoiminta 3 pv/vko")
    activation.boxes["social_worker_part"].setPlainText("Sosiaalityöntekijä tapaa kuukausittain")
    content = saved(qtbot, editor)
    assert content.activation_measures == "Kuntouttava työtoiminta 3 pv/vko"
    assert content.social_worker_part == "Sosiaalityöntekijä tapaa kuukausittain"

    editor.new_plan()
    create(qtbot, editor, "integration")
    assert shown_sections(editor)[:2] == ["goals", "integration"]
    integration = section(editor, "integration")
    integration.boxes["integration_training"].setPlainText("Suomen kielen koulutus")
    integration.permit.setText("1.3.2025")
    integration.interpreter.setCurrentText("arabia")
    integration.measures.setPlainText("Yhteiskuntaorientaatio")
    content = saved(qtbot, editor)
    assert (content.integration_training, content.residence_permit_on,
            content.interpreter_language, content.integration_measures) == (
        "Suomen kielen koulutus", date(2025, 3, 1), "arabia", "Yhteiskuntaorientaatio")
    # The interpreter's languages are offered by name in the plan's language.
    names = [integration.interpreter.itemText(i)
             for i in range(integration.interpreter.count())]
    assert "arabia" in names


def test_print_for_a_partner_only_under_consent_and_read_back(qtbot, editor, monkeypatch,
                                                               tmp_path):
    world = editor.world
    create(qtbot, editor, "multi_professional")
    section(editor, "participants").add_participant(PlanParticipantItem(
        "Sari Suomela", "Kela Rovaniemi", "Asiantuntija", partner_person_id=world["sari"].id))
    section(editor, "meeting").minute.setPlainText("Sovittiin etuuksien selvittämisestä.")
    saved(qtbot, editor)
    editor.print_for_partner()
    dialog = editor.dialog
    qtbot.waitUntil(lambda: dialog.partner.count() == 2, timeout=15000)
    # Those the consent lets the plan go to come first.
    assert dialog.partner.itemData(0) == world["kela"].id
    dialog.partner.setCurrentIndex(dialog.partner.findData(world["county"].id))
    assert not_given() in dialog.consent.text()
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    dialog.partner.setCurrentIndex(dialog.partner.findData(world["kela"].id))
    assert dialog.save_button.isEnabled()
    target = tmp_path / "partner.pdf"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: target)
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: "partner.pdf" in dialog.message.text(), timeout=20000)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Sari Suomela" in text
    assert "Sovittiin etuuksien selvittämisestä." in text
    assert "partner.pdf" in editor.header.message.text()


def test_the_type_sections_are_named_and_reachable(qtbot, editor):
    create(qtbot, editor, "multi_professional")
    for key in ("participants", "meeting", "customer_view"):
        section(editor, key)
        check_page(qtbot, editor, f"plan editor, {key}")
    editor.new_plan()
    create(qtbot, editor, "integration")
    section(editor, "integration")
    check_page(qtbot, editor, "plan editor, integration")
