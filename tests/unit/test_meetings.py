"""Multi-professional meetings (#24): participants under the customer's consent, staff,
attendance, invitation letters read back, the minute written into the plan draft, tasks."""

import io
import json
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.dto.partners import ConsentInput, PartnerOrgInput, PartnerPersonInput
from app.models import Appointment, AuditEvent, Staff
from app.models.partner import MeetingParticipant
from app.rules.codes import AppointmentStatus, AppointmentType, Channel
from app.rules.partners import participant_id
from app.rules.permissions import Permission
from app.services.errors import NotFound, PermissionDenied, ValidationFailed
from app.services.partners import ConsentRefused
from tests.factories import Clock, add_people


@pytest.fixture
def coach(services):
    services.ctx.now = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    services.auth.sign_in("coach", "demo")
    return services


@pytest.fixture
def world(coach):
    customer = add_people(coach)[0]
    kela = coach.partners.save_org(None, PartnerOrgInput("Kela Rovaniemi", "kela"))
    county = coach.partners.save_org(None, PartnerOrgInput("Lapin hyvinvointialue",
                                                           "wellbeing_county"))
    sari = coach.partners.save_person(None, PartnerPersonInput(kela.id, "Sari Suomela",
                                                               title="Asiantuntija"))
    olli = coach.partners.save_person(None, PartnerPersonInput(county.id, "Olli Ojala",
                                                               title="Sosiaalityöntekijä"))
    today = coach.ctx.today()
    coach.consents.record(customer, ConsentInput(kela.id, "Monialainen suunnitelma",
                                                 ("contact", "plan"), "signed", today))
    actor = coach.ctx.actor
    with coach.ctx.transaction(Permission.PLAN_EDIT) as s:
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


def audits(services, action):
    with services.ctx.reading() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_partner_with_consent_is_added_and_the_sharing_audited(coach, world):
    row = coach.meetings.add_partner(world["appointment"], world["sari"].id, "Etuudet")
    assert row.id == participant_id(world["appointment"], world["sari"].id)
    assert (row.kind, row.name, row.organisation, row.role, row.consent_refusal) == (
        "partner", "Sari Suomela", "Kela Rovaniemi", "Etuudet", None)
    shared = audits(coach, "partner.share.meeting")
    assert len(shared) == 1
    detail = json.loads(shared[0].detail)
    assert detail["partner_org_id"] == world["kela"].id and "Sari" not in shared[0].detail
    # Added again: the one row (the derived id), not two.
    coach.meetings.add_partner(world["appointment"], world["sari"].id)
    assert len(coach.meetings.meeting(world["appointment"]).participants) == 1


def test_a_partner_without_consent_is_refused_with_the_reason(coach, world):
    with pytest.raises(ConsentRefused) as refused:
        coach.meetings.add_partner(world["appointment"], world["olli"].id)
    assert "not given consent" in refused.value.message
    assert coach.meetings.meeting(world["appointment"]).participants == ()
    detail = json.loads(audits(coach, "partner.share.refused")[0].detail)
    assert detail == {"action": "meeting", "partner_org_id": world["county"].id,
                      "info": "plan"}


def test_after_withdrawal_the_participant_shows_the_refusal_and_no_invitation(coach, world):
    coach.meetings.add_partner(world["appointment"], world["sari"].id)
    consent = coach.consents.consents(world["customer"])[0]
    coach.consents.withdraw(consent.id)
    row = coach.meetings.meeting(world["appointment"]).participants[0]
    assert "withdrawn" in (row.consent_refusal or "")
    with pytest.raises(ConsentRefused):
        coach.meetings.invitation_letter(row.id)
    assert coach.meetings.meeting(world["appointment"]).participants[0].invited_at is None


def test_staff_attendance_and_removal(coach, world):
    with coach.ctx.reading() as s:
        lead = s.scalar(select(Staff.id).where(Staff.username == "lead"))
    row = coach.meetings.add_staff(world["appointment"], lead, "Tiiminvetäjä")
    assert row.kind == "staff" and row.consent_refusal is None
    assert coach.meetings.set_attended(row.id, True).attended is True
    task = coach.meetings.add_task(world["appointment"], row.id, "Selvittää palkkatuki",
                                   date(2026, 11, 20))
    assert task.overdue and task.participant_name == row.name
    coach.meetings.remove_participant(row.id)
    meeting = coach.meetings.meeting(world["appointment"])
    assert meeting.participants == () and meeting.tasks == ()
    with pytest.raises(NotFound):
        coach.meetings.set_attended(row.id, False)


def test_the_invitation_letter_reads_back_and_sets_invited_at(coach, world):
    row = coach.meetings.add_partner(world["appointment"], world["sari"].id, "Etuudet")
    for lang, heading in (("fi", "Kutsu monialaiseen"), ("sv", "Inbjudan till"),
                          ("en", "Invitation to a multi-professional meeting")):
        pdf = coach.meetings.invitation_letter(row.id, lang)
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert "Sari Suomela" in text and "Aino Maria Mäkelä" in text
        if lang == "en":
            assert heading in text
    assert coach.meetings.meeting(world["appointment"]).participants[0].invited_at
    assert len(audits(coach, "partner.share.invitation")) == 3


def test_the_minute_goes_into_the_multi_professional_draft(coach, world):
    coach.meetings.add_partner(world["appointment"], world["sari"].id, "Etuudet")
    version_id = coach.meetings.record_minute(world["appointment"],
                                              "Sovittiin työkokeilusta.")
    info = coach.plans.version(version_id)
    assert info.plan_type == "multi_professional" and info.editable
    assert info.content.meeting_id == world["appointment"]
    assert info.content.meeting_minute == "Sovittiin työkokeilusta."
    assert [(p.name, p.organisation, p.partner_person_id) for p in
            info.content.participants] == [("Sari Suomela", "Kela Rovaniemi",
                                            world["sari"].id)]
    meeting = coach.meetings.meeting(world["appointment"])
    assert (meeting.plan_version_id, meeting.minute) == (version_id,
                                                         "Sovittiin työkokeilusta.")
    # Again: the same draft, the participant not doubled.
    assert coach.meetings.record_minute(world["appointment"], "Täydennetty.") == version_id
    assert len(coach.plans.version(version_id).content.participants) == 1
    with pytest.raises(ValidationFailed):
        coach.meetings.record_minute(world["appointment"], "  ")


def test_tasks_done_and_open_tasks(coach, world):
    row = coach.meetings.add_partner(world["appointment"], world["sari"].id)
    task = coach.meetings.add_task(world["appointment"], row.id, "Selvittää etuuden",
                                   date(2026, 12, 15))
    assert not task.overdue
    assert [t.id for t in coach.meetings.open_tasks()] == [task.id]
    assert [t.id for t in coach.meetings.open_tasks(coach.ctx.actor.staff_id)] == [task.id]
    done = coach.meetings.set_task_done(task.id, date(2026, 11, 24))
    assert done.done_on == date(2026, 11, 24)
    assert coach.meetings.open_tasks() == []
    with pytest.raises(ValidationFailed):
        coach.meetings.add_task(world["appointment"], row.id, " ", None)


def test_meetings_list_and_a_desk_worker_may_not_edit(coach, world):
    rows = coach.meetings.meetings(world["customer"])
    assert [r.appointment_id for r in rows] == [world["appointment"]]
    coach.auth.sign_out()
    coach.auth.sign_in("desk", "demo")
    with pytest.raises(PermissionDenied):
        coach.meetings.add_partner(world["appointment"], world["sari"].id)
    with coach.ctx.reading() as s:
        assert s.scalar(select(MeetingParticipant.id)) is None


def test_the_minute_leaves_out_a_partner_whose_consent_was_withdrawn(coach, world):
    with coach.ctx.reading() as s:
        lead = s.scalar(select(Staff.id).where(Staff.username == "lead"))
    coach.meetings.add_partner(world["appointment"], world["sari"].id)
    coach.meetings.add_staff(world["appointment"], lead)
    coach.consents.withdraw(coach.consents.consents(world["customer"])[0].id)
    version_id = coach.meetings.record_minute(world["appointment"], "Muistio.")
    participants = coach.plans.version(version_id).content.participants
    assert [(p.staff_id, p.partner_person_id) for p in participants] == [(lead, None)]


def test_an_invitation_names_the_customer_so_it_needs_contact_details_too(coach, world):
    """A consent to plans and meetings lets the county's social worker join the meeting;
    the invitation letter, which names the customer, needs identity and contact details
    as well (a review found it printed the name under a plans-only consent)."""
    coach.consents.record(world["customer"], ConsentInput(
        world["county"].id, "Sosiaalityö", ("plan",), "signed", coach.ctx.today()))
    row = coach.meetings.add_partner(world["appointment"], world["olli"].id, "Sosiaalityö")
    with pytest.raises(ConsentRefused) as refused:
        coach.meetings.invitation_letter(row.id)
    assert "does not cover" in str(refused.value)
    assert coach.meetings.meeting(world["appointment"]).participants[0].invited_at is None
