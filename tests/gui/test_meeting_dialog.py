"""The multi-professional meeting's dialog (#24) driven as a coach uses it: a partner
person without the customer's consent is refused in words beside the choice, one with it
is added, a staff member too; attendance; an invitation letter saved and read back; the
minute recorded into the plan draft; follow-up tasks to named participants."""

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from app.dto.partners import ConsentInput, PartnerOrgInput, PartnerPersonInput
from app.i18n import _
from app.models import Appointment
from app.rules.codes import AppointmentStatus, AppointmentType, Channel
from app.rules.permissions import Permission
from app.views import file_dialogs
from app.views.customers.meeting_dialog import MeetingDialog
from app.views.plans.participants import CONSENT_OK
from app.views.tasks import TaskRunner
from tests.factories import Clock, add_people
from tests.gui.test_accessibility import check_page


def not_given() -> str:
    """The refusal as the worker reads it, in the language the test runs in."""
    from app.i18n import _

    return _("The customer has not given consent to share information with this partner.")


def withdrawn() -> str:
    from app.i18n import _

    return _("The customer has withdrawn their consent to share this with this partner.")


def make_world(services):
    """A customer, two partner organisations (a consent for Kela only), one person in
    each, and a multi-professional appointment booked by the signed-in coach."""
    customer = add_people(services)[0]
    kela = services.partners.save_org(None, PartnerOrgInput("Kela Rovaniemi", "kela"))
    county = services.partners.save_org(None, PartnerOrgInput("Lapin hyvinvointialue",
                                                              "wellbeing_county"))
    sari = services.partners.save_person(None, PartnerPersonInput(
        kela.id, "Sari Suomela", title="Asiantuntija"))
    olli = services.partners.save_person(None, PartnerPersonInput(
        county.id, "Olli Ojala", title="Sosiaalityöntekijä"))
    services.consents.record(customer, ConsentInput(
        kela.id, "Monialainen suunnitelma", ("contact", "plan"), "signed",
        services.ctx.today()))
    actor = services.ctx.actor
    with services.ctx.transaction(Permission.PLAN_EDIT) as s:
        a = Appointment(customer_id=customer, staff_id=actor.staff_id,
                        service_point_id=actor.service_point_id,
                        type=AppointmentType.MULTI_PROFESSIONAL,
                        channel=Channel.SERVICE_POINT, status=AppointmentStatus.BOOKED,
                        starts_at=datetime(2026, 12, 1, 10, 0, tzinfo=UTC),
                        ends_at=datetime(2026, 12, 1, 11, 0, tzinfo=UTC))
        s.add(a)
        s.flush()
        appointment = a.id
    return {"customer": customer, "kela": kela, "county": county, "sari": sari,
            "olli": olli, "appointment": appointment}


@pytest.fixture
def coach(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("coach", "demo")
    return services


@pytest.fixture
def dialog(qapp, qtbot, coach):
    world = make_world(coach)
    runner = TaskRunner(qapp)
    widget = MeetingDialog(coach, runner, world["appointment"])
    widget.world = world
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.load()
    qtbot.waitUntil(lambda: widget.meeting is not None and widget.partner.combo.count() > 1,
                    timeout=15000)
    yield widget
    runner.wait()


def click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(combo, data):
    index = combo.findData(data)
    assert index >= 0
    combo.setCurrentIndex(index)


def meeting(dialog):
    return dialog.services.meetings.meeting(dialog.appointment_id)


def test_a_partner_without_consent_is_refused_in_words_and_one_with_it_is_added(
        qtbot, dialog):
    world = dialog.world
    choose(dialog.partner.combo, world["olli"].id)
    # The refusal beside the choice, in words; the button stays off.
    assert not_given() in dialog.partner.consent.text()
    assert "⚠" in dialog.partner.consent.text()
    assert not dialog.add_partner.isEnabled()
    choose(dialog.partner.combo, world["sari"].id)
    assert _(CONSENT_OK) in dialog.partner.consent.text()
    qtbot.keyClicks(dialog.role, "Etuudet")
    click(qtbot, dialog.add_partner)
    qtbot.waitUntil(lambda: dialog.participants_model.rowCount() == 1, timeout=15000)
    row = dialog.participants_model.rows[0]
    assert (row.name, row.organisation, row.role) == ("Sari Suomela", "Kela Rovaniemi",
                                                      "Etuudet")
    assert dialog.role.text() == ""
    # Added people are not offered again.
    assert dialog.partner.combo.findData(world["sari"].id) < 0
    cells = [dialog.participants_model.data(dialog.participants_model.index(0, c))
             for c in range(6)]
    assert _("Consent in force") in cells[3]

    # A staff member, and attendance.
    staff_id = dialog.services.ctx.actor.staff_id
    choose(dialog.staff, staff_id)
    click(qtbot, dialog.add_staff)
    qtbot.waitUntil(lambda: dialog.participants_model.rowCount() == 2, timeout=15000)
    dialog.participants.selectRow(0)
    click(qtbot, dialog.attended)
    qtbot.waitUntil(lambda: meeting(dialog).participants[0].attended is True, timeout=15000)
    qtbot.waitUntil(lambda: not dialog.attended.isEnabled(), timeout=15000)
    assert dialog.absent.isEnabled()


def test_a_consent_withdrawn_meanwhile_is_refused_with_the_reason(qtbot, dialog):
    world = dialog.world
    choose(dialog.partner.combo, world["sari"].id)
    assert dialog.add_partner.isEnabled()
    # Another desk withdraws the consent after the dialog opened.
    services = dialog.services
    consent = services.consents.consents(world["customer"])[0]
    services.consents.withdraw(consent.id)
    click(qtbot, dialog.add_partner)
    qtbot.waitUntil(dialog.participant_error.isVisible, timeout=15000)
    assert withdrawn() in dialog.participant_error.text()
    assert not meeting(dialog).participants
    # Shown again with the new state: the choice now says why.
    qtbot.waitUntil(lambda: withdrawn() in dialog.partner.consent.text()
                    or dialog.partner.person() is None, timeout=15000)


def test_invitation_letter_is_saved_and_read_back(qtbot, dialog, monkeypatch, tmp_path):
    world = dialog.world
    dialog.services.meetings.add_partner(dialog.appointment_id, world["sari"].id, "Etuudet")
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.participants_model.rowCount() == 1, timeout=15000)
    dialog.participants.selectRow(0)
    assert dialog.letter.isEnabled()
    choose(dialog.letter_language, "sv")
    target = tmp_path / "letter.pdf"
    asked = {}

    def ask(_parent, _caption, name, _kinds):
        asked["name"] = name
        return target

    monkeypatch.setattr(file_dialogs, "ask_save_path", ask)
    dialog.letter_save.trigger()
    qtbot.waitUntil(target.exists, timeout=20000)
    qtbot.waitUntil(lambda: "letter.pdf" in dialog.message.text(), timeout=20000)
    assert asked["name"].startswith("Sari Suomela")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Sari Suomela" in text
    qtbot.waitUntil(lambda: dialog.participants_model.rows[0].invited_at is not None,
                    timeout=15000)


def test_minute_goes_into_the_plan_draft_and_tasks_to_named_participants(qtbot, dialog):
    world = dialog.world
    services = dialog.services
    services.meetings.add_partner(dialog.appointment_id, world["sari"].id, "Etuudet")
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.task_for.count() == 1, timeout=15000)
    dialog.tabs.setCurrentIndex(1)  # "Minute and follow-up tasks"
    assert not dialog.record.isEnabled()  # nothing to record yet
    dialog.minute.setPlainText("Sovittiin kuntouttavasta työtoiminnasta.")
    click(qtbot, dialog.record)
    qtbot.waitUntil(lambda: dialog.version_id is not None, timeout=15000)
    content = services.plans.version(dialog.version_id).content
    assert content.meeting_minute == "Sovittiin kuntouttavasta työtoiminnasta."
    assert [p.name for p in content.participants] == ["Sari Suomela"]
    qtbot.waitUntil(dialog.open_plan.isEnabled, timeout=15000)
    opened = []
    dialog.plan_requested.connect(lambda c, v: opened.append((c, v)))

    # A task for Sari, due on a day; a bad date is said beside the field.
    dialog.task_text.setText("Selvittää etuudet")  # QTest types ASCII only
    dialog.task_due.setText("31.13.2026")
    click(qtbot, dialog.add_task_button)
    assert dialog.task_error.isVisible()
    dialog.task_due.setText("15.12.2026")
    click(qtbot, dialog.add_task_button)
    qtbot.waitUntil(lambda: dialog.tasks_model.rowCount() == 1, timeout=15000)
    task = dialog.tasks_model.rows[0]
    assert (task.participant_name, task.text, task.due_on) == (
        "Sari Suomela", "Selvittää etuudet", date(2026, 12, 15))
    assert dialog.task_text.text() == ""
    dialog.tasks.selectRow(0)
    click(qtbot, dialog.task_done)
    qtbot.waitUntil(lambda: dialog.tasks_model.rows[0].done_on == services.ctx.today(),
                    timeout=15000)

    click(qtbot, dialog.open_plan)
    assert opened == [(world["customer"], dialog.version_id)]


def test_every_control_has_a_name_and_is_reachable_with_tab(qtbot, dialog):
    world = dialog.world
    dialog.services.meetings.add_partner(dialog.appointment_id, world["sari"].id)
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.participants_model.rowCount() == 1, timeout=15000)
    check_page(qtbot, dialog, "meeting dialog, participants")
    dialog.tabs.setCurrentIndex(1)
    dialog.minute.setPlainText("Muistio")
    check_page(qtbot, dialog, "meeting dialog, minute and tasks")
