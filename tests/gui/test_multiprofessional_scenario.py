"""A coach's multi-professional work from start to end in the whole application (#24):
the customer's consents are recorded, a multi-professional meeting is opened from the
card's Appointments, two outside participants are added (a third, without consent, is
refused in words), the minute is recorded into the plan, the plan opens with the minute
and the participants, and the printed plan reads back with them."""

import io
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader
from PySide6.QtCore import Qt

from app.dto.partners import ConsentInput, PartnerOrgInput, PartnerPersonInput
from app.models import Appointment
from app.rules.codes import AppointmentStatus, AppointmentType, Channel
from app.rules.permissions import Permission
from app.views import file_dialogs
from tests.gui.conftest import sign_in


def not_given() -> str:
    """The refusal as the worker reads it, in the language the test runs in."""
    from app.i18n import _

    return _("The customer has not given consent to share information with this partner.")



def click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_consent_meeting_minute_and_the_printed_plan(qtbot, window, monkeypatch, tmp_path):
    sign_in(qtbot, window)
    services = window.services
    customers = window.page("customers")
    customer = customers.model.rows[0]
    today = services.ctx.today()

    # The area's partners and the customer's consents (Kela and the county; not REDU).
    kela = services.partners.save_org(None, PartnerOrgInput("Kela Rovaniemi", "kela"))
    county = services.partners.save_org(None, PartnerOrgInput("Lapin hyvinvointialue",
                                                              "wellbeing_county"))
    redu = services.partners.save_org(None, PartnerOrgInput("Lapin koulutuskeskus REDU",
                                                            "school"))
    sari = services.partners.save_person(None, PartnerPersonInput(
        kela.id, "Sari Suomela", title="Asiantuntija"))
    olli = services.partners.save_person(None, PartnerPersonInput(
        county.id, "Olli Ojala", title="Sosiaalityöntekijä"))
    outi = services.partners.save_person(None, PartnerPersonInput(
        redu.id, "Outi Opinto", title="Opinto-ohjaaja"))
    for org in (kela, county):
        services.consents.record(customer.id, ConsentInput(
            org.id, "Monialainen yhteispalvelu", ("contact", "plan"), "signed", today))

    # The meeting, booked for tomorrow by the coach.
    actor = services.ctx.actor
    starts = datetime.combine(today + timedelta(days=1), datetime.min.time(),
                              tzinfo=UTC).replace(hour=10)
    with services.ctx.transaction(Permission.APPOINTMENT_BOOK) as s:
        booked = Appointment(customer_id=customer.id, staff_id=actor.staff_id,
                             service_point_id=actor.service_point_id,
                             type=AppointmentType.MULTI_PROFESSIONAL,
                             channel=Channel.SERVICE_POINT, status=AppointmentStatus.BOOKED,
                             starts_at=starts, ends_at=starts + timedelta(hours=1))
        s.add(booked)
        s.flush()
        appointment_id = booked.id

    # The card's Appointments: the meeting opens from its row.
    customers.open_customer(customer.id)
    card = customers.card_view
    section = card.appointments
    qtbot.waitUntil(lambda: section.model.rowCount() > 0, timeout=20000)
    card.sections.setCurrentWidget(section)
    ids = [r.id for r in section.model.rows]
    section.table.selectRow(ids.index(appointment_id))
    assert section.meeting.isVisible()
    click(qtbot, section.meeting)
    qtbot.waitUntil(lambda: getattr(customers, "meeting_dialog", None) is not None
                    and customers.meeting_dialog.partner.combo.count() > 1, timeout=20000)
    dialog = customers.meeting_dialog

    # Without the customer's consent: refused in words beside the choice.
    combo = dialog.partner.combo
    combo.setCurrentIndex(combo.findData(outi.id))
    assert not_given() in dialog.partner.consent.text()
    assert not dialog.add_partner.isEnabled()
    # The two outside participants with consent.
    for person, role in ((sari, "Etuudet"), (olli, "Sosiaalityö")):
        combo.setCurrentIndex(combo.findData(person.id))
        dialog.role.setText(role)
        click(qtbot, dialog.add_partner)
        qtbot.waitUntil(lambda p=person: p.id in {
            r.person_id for r in dialog.participants_model.rows}, timeout=20000)
    assert dialog.participants_model.rowCount() == 2
    for row in range(2):
        dialog.participants.selectRow(row)
        click(qtbot, dialog.attended)
        qtbot.waitUntil(lambda r=row: dialog.participants_model.rows[r].attended is True,
                        timeout=20000)

    # The minute into the plan, then the plan opened from the dialog.
    dialog.tabs.setCurrentIndex(1)  # "Minute and follow-up tasks"
    minute = "Asiakas aloittaa kuntouttavan työtoiminnan tammikuussa."
    dialog.minute.setPlainText(minute)
    click(qtbot, dialog.record)
    qtbot.waitUntil(dialog.open_plan.isEnabled, timeout=20000)
    editor = customers.plan_view
    with qtbot.waitSignal(editor.loaded, timeout=20000):
        click(qtbot, dialog.open_plan)
    assert customers.currentWidget() is editor
    assert editor.info.plan_type == "multi_professional" and editor.info.editable
    meeting = editor.section_by_key["meeting"]
    assert meeting.minute.toPlainText() == minute and meeting.meeting_id == appointment_id
    rows = editor.section_by_key["participants"].list.rows
    assert sorted(r.name.text() for r in rows) == ["Olli Ojala", "Sari Suomela"]

    # The plan printed (saved as PDF) and read back.
    target = tmp_path / "plan.pdf"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: target)
    editor.save_pdf()
    qtbot.waitUntil(target.exists, timeout=30000)
    qtbot.waitUntil(lambda: "plan.pdf" in editor.header.message.text(), timeout=30000)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    flat = " ".join(text.split())
    assert minute in flat
    assert "Sari Suomela" in flat and "Olli Ojala" in flat
    assert "Kela Rovaniemi" in flat and "Lapin hyvinvointialue" in flat
