"""Multi-professional meetings (#24): who takes part besides the customer and the coach
(partner people under the customer's consent, other staff), attendance, invitation
letters, the minute written into the customer's multi-professional plan, and the
follow-up tasks agreed at the meeting.

A meeting is an appointment of type MULTI_PROFESSIONAL with its customer. Its
participants and tasks are case work: PLAN_READ / PLAN_EDIT with the caseload rule
(app/services/case_access.py), as plans are. Adding a partner person, and printing them an
invitation, is sharing the customer's information: it needs a consent in force
(require_consent) and is audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dto.meetings import MeetingLetter, MeetingRow, ParticipantRow, TaskRow
from app.i18n import N_, current_language
from app.models import Appointment, Customer, ServicePoint, Staff
from app.models.partner import (
    CustomerConsent,
    MeetingParticipant,
    MeetingTask,
    PartnerOrg,
    PartnerPerson,
)
from app.models.plan import Plan, PlanVersion
from app.rules import partners as rules
from app.rules import plan_vocabulary as vocab
from app.rules.codes import AppointmentType, PlanType
from app.rules.customer import nfc
from app.rules.permissions import Permission
from app.services import case_access
from app.services.context import AppContext
from app.services.errors import NotFound, ServiceError, ValidationFailed

TASK_LIMIT = 2000
ROLE_LIMIT = 200
MINUTE_LIMIT = 20000


def consent_facts(s: Session, customer_id: str) -> list[rules.ConsentFacts]:
    """The customer's live consents as the rules read them."""
    rows = s.scalars(select(CustomerConsent).where(
        CustomerConsent.customer_id == customer_id, CustomerConsent.deleted_at.is_(None)))
    return [rules.ConsentFacts(c.partner_org_id, rules.parse_information(c.information),
                               c.valid_from, c.valid_until, c.withdrawn_on) for c in rows]


class MeetingService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- reading ----------------------------------------------------------------------

    def meeting(self, appointment_id: str) -> MeetingRow:
        with self.ctx.transaction(Permission.PLAN_READ) as s:
            appointment = self._meeting(s, appointment_id)
            row = self._meeting_row(s, appointment)
            self.ctx.audit(s, "meeting.read", "appointment", appointment_id)
            return row

    def meetings(self, customer_id: str) -> list[MeetingRow]:
        """The customer's multi-professional appointments, newest first."""
        with self.ctx.transaction(Permission.PLAN_READ) as s:
            if s.get(Customer, customer_id) is None:
                raise NotFound(N_("The customer was not found."))
            case_access.check_read(s, self.ctx.signed_in, customer_id, Permission.PLAN_READ)
            appointments = s.scalars(select(Appointment).where(
                Appointment.customer_id == customer_id,
                Appointment.type == AppointmentType.MULTI_PROFESSIONAL,
                Appointment.deleted_at.is_(None)).order_by(Appointment.starts_at.desc(),
                                                           Appointment.id)).all()
            rows = [self._meeting_row(s, a) for a in appointments]
            self.ctx.audit(s, "meeting.read", "customer", customer_id)
            return rows

    def open_tasks(self, staff_id: str | None = None) -> list[TaskRow]:
        """Tasks not done yet, soonest first: with `staff_id`, those of meetings that
        staff member booked or is a participant of (a worklist); else those of every
        meeting the signed-in worker may read."""
        actor = self.ctx.require(Permission.PLAN_READ)
        with self.ctx.reading() as s:
            stmt = (select(MeetingTask, Appointment.staff_id, MeetingParticipant.staff_id)
                    .join(Appointment, Appointment.id == MeetingTask.appointment_id)
                    .join(MeetingParticipant,
                          MeetingParticipant.id == MeetingTask.participant_id)
                    .where(MeetingTask.deleted_at.is_(None), MeetingTask.done_on.is_(None),
                           Appointment.deleted_at.is_(None)))
            found = s.execute(stmt).all()
            out: list[TaskRow] = []
            readable: dict[str, bool] = {}
            for task, booked_by, participant_staff in found:
                if staff_id is not None and staff_id not in (booked_by, participant_staff):
                    continue
                if task.customer_id not in readable:
                    try:
                        case_access.check_read(s, actor, task.customer_id,
                                               Permission.PLAN_READ)
                        readable[task.customer_id] = True
                    except ServiceError:
                        readable[task.customer_id] = False
                if readable[task.customer_id]:
                    out.append(self._task_row(s, task))
        out.sort(key=lambda t: (t.due_on is None, t.due_on or date.min, t.id))
        return out

    # --- participants -----------------------------------------------------------------

    def add_partner(self, appointment_id: str, partner_person_id: str, role: str = ""
                    ) -> ParticipantRow:
        from app.services.partners import require_consent

        role = self._role(role)
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            appointment = self._meeting(s, appointment_id, write=True)
            person = s.get(PartnerPerson, partner_person_id)
            if person is None or person.deleted_at is not None or not person.active:
                raise ValidationFailed({"partner_person_id": N_("Choose the person.")})
            customer_id = appointment.customer_id or ""
            require_consent(self.ctx, s, customer_id, person.partner_org_id,
                            rules.MEETING_NEEDS, "meeting")
            row = self._upsert(s, appointment, partner_person_id=partner_person_id,
                               staff_id=None, role=role)
            self.ctx.audit(s, "partner.share.meeting", "meeting_participant", row.id,
                           {"appointment": appointment_id, "partner_org_id":
                            person.partner_org_id, "info": rules.MEETING_NEEDS.value})
            return self._participant_row(s, row)

    def add_staff(self, appointment_id: str, staff_id: str, role: str = "") -> ParticipantRow:
        role = self._role(role)
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            appointment = self._meeting(s, appointment_id, write=True)
            staff = s.get(Staff, staff_id)
            if staff is None or staff.deleted_at is not None:
                raise ValidationFailed({"staff_id": N_("Choose the staff member.")})
            row = self._upsert(s, appointment, partner_person_id=None, staff_id=staff_id,
                               role=role)
            self.ctx.audit(s, "meeting.participant.add", "meeting_participant", row.id,
                           {"appointment": appointment_id, "staff": staff_id})
            return self._participant_row(s, row)

    def remove_participant(self, participant_id: str) -> None:
        """Tombstone the participant and their open tasks (done ones stay as history)."""
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            row = self._participant(s, participant_id, write=True)
            now = self.ctx.now()
            row.deleted_at = now
            for task in s.scalars(select(MeetingTask).where(
                    MeetingTask.participant_id == participant_id,
                    MeetingTask.deleted_at.is_(None), MeetingTask.done_on.is_(None))):
                task.deleted_at = now
            self.ctx.audit(s, "meeting.participant.remove", "meeting_participant",
                           participant_id, {"appointment": row.appointment_id})

    def set_attended(self, participant_id: str, attended: bool | None) -> ParticipantRow:
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            row = self._participant(s, participant_id, write=True)
            if row.attended != attended:
                row.attended = attended
                self.ctx.audit(s, "meeting.participant.attended", "meeting_participant",
                               participant_id, {"attended": attended})
            return self._participant_row(s, row)

    def invitation_letter(self, participant_id: str, lang: str | None = None) -> bytes:
        """The invitation letter (PDF) to one participant: the time, the place, the
        customer's name and the meeting's purpose. For a partner person the consent is
        checked again now; `invited_at` is set and the sharing audited."""
        from app.printing.meeting_letter import render_invitation
        from app.services.partners import require_consent

        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            row = self._participant(s, participant_id, write=True)
            appointment = self._meeting(s, row.appointment_id, write=True)
            customer = s.get(Customer, appointment.customer_id)
            assert customer is not None
            org_id: str | None = None
            if row.partner_person_id:
                person = s.get(PartnerPerson, row.partner_person_id)
                assert person is not None
                org_id = person.partner_org_id
                # The letter names the customer and the meeting: both are shared.
                for info in (rules.INVITATION_NEEDS, rules.MEETING_NEEDS):
                    require_consent(self.ctx, s, customer.id, org_id, info, "invitation")
            lang = lang or vocab.print_language(current_language())
            if lang not in vocab.PRINT_LANGUAGES:
                raise ServiceError(N_("Letters are printed in Finnish, Swedish or English."))
            participant = self._participant_row(s, row)
            point = s.get(ServicePoint, appointment.service_point_id)
            coach = s.get(Staff, appointment.staff_id)
            letter = MeetingLetter(
                lang=lang, recipient_name=participant.name,
                recipient_organisation=participant.organisation,
                recipient_role=participant.role or "",
                customer_name=f"{customer.first_names} {customer.last_name}",
                starts_at=appointment.starts_at, ends_at=appointment.ends_at,
                channel=appointment.channel.value,
                service_point_name=point.name if point else "",
                service_point_address=_point_address(point),
                service_point_phone=(point.phone or "") if point else "",
                room=appointment.room or "", video_link=appointment.video_link or "",
                staff_name=coach.full_name if coach else "",
                staff_phone=(coach.phone or "") if coach else "",
                staff_email=(coach.email or "") if coach else "",
                printed_at=self.ctx.now())
            row.invited_at = self.ctx.now()
            if org_id is not None:
                self.ctx.audit(s, "partner.share.invitation", "meeting_participant", row.id,
                               {"appointment": appointment.id, "partner_org_id": org_id,
                                "info": rules.MEETING_NEEDS.value, "lang": lang})
            else:
                self.ctx.audit(s, "meeting.invitation", "meeting_participant", row.id,
                               {"appointment": appointment.id, "lang": lang})
        return render_invitation(letter)

    # --- the minute and the tasks -----------------------------------------------------

    def record_minute(self, appointment_id: str, minute: str) -> str:
        """Write the minute into the customer's multi-professional plan draft (a new plan,
        or a new draft from the accepted version when there is no draft) with the
        meeting's participants who may be named there; returns the draft's id."""
        from app.services.plans import PlanService

        minute = nfc(minute).strip()
        if not minute:
            raise ValidationFailed({"minute": N_("Write the minute first.")})
        if len(minute) > MINUTE_LIMIT:
            raise ValidationFailed({"minute": N_("The text is too long.")})
        plans = PlanService(self.ctx)
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            appointment = self._meeting(s, appointment_id, write=True)
            customer_id = appointment.customer_id or ""
            draft = plans.meeting_draft(s, customer_id)
            content = plans.content_of(s, draft)
            people = {(p.partner_person_id, p.staff_id) for p in content.participants}
            added = list(content.participants)
            facts = consent_facts(s, customer_id)
            today = self.ctx.today()
            for row in self._participants(s, appointment_id):
                if (row.partner_person_id, row.staff_id) in people:
                    continue
                participant = self._participant_row(s, row, facts, today)
                if row.partner_person_id and participant.consent_refusal is not None:
                    continue
                added.append(plans.participant_item(participant))
            plans.write_content(s, draft, replace(
                content, meeting_id=appointment_id, meeting_minute=minute,
                participants=tuple(added)))
            s.flush()
            self.ctx.audit(s, "meeting.minute", "plan_version", draft.id,
                           {"appointment": appointment_id})
            return draft.id

    def add_task(self, appointment_id: str, participant_id: str, text: str,
                 due_on: date | None) -> TaskRow:
        text = nfc(text).strip()
        errors: dict[str, str] = {}
        if not text:
            errors["text"] = N_("Write the task.")
        elif len(text) > TASK_LIMIT:
            errors["text"] = N_("The text is too long.")
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            appointment = self._meeting(s, appointment_id, write=True)
            participant = s.get(MeetingParticipant, participant_id)
            if participant is None or participant.deleted_at is not None \
                    or participant.appointment_id != appointment_id:
                raise ValidationFailed({"participant_id": N_("Choose who does this.")})
            task = MeetingTask(appointment_id=appointment_id,
                               customer_id=appointment.customer_id,
                               participant_id=participant_id, text=text, due_on=due_on)
            s.add(task)
            s.flush()
            self.ctx.audit(s, "meeting.task.add", "meeting_task", task.id,
                           {"appointment": appointment_id})
            return self._task_row(s, task)

    def set_task_done(self, task_id: str, done_on: date | None) -> TaskRow:
        with self.ctx.transaction(Permission.PLAN_EDIT) as s:
            task = s.get(MeetingTask, task_id)
            if task is None or task.deleted_at is not None:
                raise NotFound(N_("The task was not found."))
            self._meeting(s, task.appointment_id, write=True)
            if task.done_on != done_on:
                task.done_on = done_on
                self.ctx.audit(s, "meeting.task.done", "meeting_task", task_id,
                               {"done": done_on is not None})
            return self._task_row(s, task)

    # --- helpers ------------------------------------------------------------------------

    @staticmethod
    def _role(role: str) -> str:
        role = nfc(role or "").strip()
        if len(role) > ROLE_LIMIT:
            raise ValidationFailed({"role": N_("The text is too long.")})
        return role

    def _meeting(self, s: Session, appointment_id: str, write: bool = False) -> Appointment:
        appointment = s.get(Appointment, appointment_id)
        if appointment is None or appointment.deleted_at is not None \
                or appointment.type != AppointmentType.MULTI_PROFESSIONAL \
                or not appointment.customer_id:
            raise NotFound(N_("The multi-professional meeting was not found."))
        check = case_access.check_write if write else case_access.check_read
        check(s, self.ctx.signed_in, appointment.customer_id,
              Permission.PLAN_EDIT if write else Permission.PLAN_READ)
        return appointment

    def _participant(self, s: Session, participant_id: str, write: bool = False
                     ) -> MeetingParticipant:
        row = s.get(MeetingParticipant, participant_id)
        if row is None or row.deleted_at is not None:
            raise NotFound(N_("The participant was not found."))
        self._meeting(s, row.appointment_id, write=write)
        return row

    def _upsert(self, s: Session, appointment: Appointment, *, partner_person_id: str | None,
                staff_id: str | None, role: str) -> MeetingParticipant:
        """The participant's one row (derived id): added, revived after removal, or its
        role updated when given."""
        who = partner_person_id or staff_id or ""
        pid = rules.participant_id(appointment.id, who)
        row = s.get(MeetingParticipant, pid)
        if row is None:
            row = MeetingParticipant(id=pid, appointment_id=appointment.id,
                                     customer_id=appointment.customer_id,
                                     partner_person_id=partner_person_id, staff_id=staff_id,
                                     role=role or None)
            s.add(row)
        else:
            if row.deleted_at is not None:
                row.deleted_at = None
            if role and row.role != role:
                row.role = role
        s.flush()
        return row

    @staticmethod
    def _participants(s: Session, appointment_id: str) -> list[MeetingParticipant]:
        return list(s.scalars(select(MeetingParticipant).where(
            MeetingParticipant.appointment_id == appointment_id,
            MeetingParticipant.deleted_at.is_(None)).order_by(MeetingParticipant.id)))

    def _participant_row(self, s: Session, row: MeetingParticipant,
                         facts: list[rules.ConsentFacts] | None = None,
                         today: date | None = None) -> ParticipantRow:
        if row.partner_person_id:
            person = s.get(PartnerPerson, row.partner_person_id)
            org = s.get(PartnerOrg, person.partner_org_id) if person else None
            if facts is None:
                facts = consent_facts(s, row.customer_id)
            refusal = rules.refusal(facts, person.partner_org_id if person else "",
                                    rules.MEETING_NEEDS, today or self.ctx.today())
            return ParticipantRow(
                id=row.id, appointment_id=row.appointment_id, kind="partner",
                person_id=row.partner_person_id,
                name=person.full_name if person else "", organisation=org.name if org else "",
                title=person.title if person else None, role=row.role,
                email=person.email if person else None, phone=person.phone if person else None,
                invited_at=row.invited_at, attended=row.attended, consent_refusal=refusal)
        staff = s.get(Staff, row.staff_id) if row.staff_id else None
        point = s.get(ServicePoint, staff.service_point_id) if staff else None
        return ParticipantRow(
            id=row.id, appointment_id=row.appointment_id, kind="staff",
            person_id=row.staff_id or "", name=staff.full_name if staff else "",
            organisation=point.name if point else "", title=staff.title if staff else None,
            role=row.role, email=staff.email if staff else None,
            phone=staff.phone if staff else None, invited_at=row.invited_at,
            attended=row.attended, consent_refusal=None)

    def _task_row(self, s: Session, task: MeetingTask) -> TaskRow:
        participant = s.get(MeetingParticipant, task.participant_id)
        name = ""
        if participant is not None:
            if participant.partner_person_id:
                name = s.scalar(select(PartnerPerson.full_name).where(
                    PartnerPerson.id == participant.partner_person_id)) or ""
            elif participant.staff_id:
                name = s.scalar(select(Staff.full_name).where(
                    Staff.id == participant.staff_id)) or ""
        overdue = task.done_on is None and task.due_on is not None \
            and task.due_on < self.ctx.today()
        return TaskRow(task.id, task.appointment_id, task.participant_id, name, task.text,
                       task.due_on, task.done_on, overdue)

    @staticmethod
    def _minute(s: Session, appointment_id: str) -> tuple[str | None, str | None]:
        """The plan version the meeting's minute went to (the newest) and the minute."""
        found = s.execute(
            select(PlanVersion.id, PlanVersion.meeting_minute)
            .join(Plan, Plan.id == PlanVersion.plan_id)
            .where(PlanVersion.meeting_id == appointment_id, PlanVersion.deleted_at.is_(None),
                   Plan.plan_type == PlanType.MULTI_PROFESSIONAL)
            .order_by(PlanVersion.number.desc())).first()
        return (found[0], found[1]) if found else (None, None)

    def _meeting_row(self, s: Session, a: Appointment) -> MeetingRow:
        customer = s.get(Customer, a.customer_id)
        point = s.get(ServicePoint, a.service_point_id)
        staff = s.get(Staff, a.staff_id)
        facts = consent_facts(s, a.customer_id or "")
        today = self.ctx.today()
        participants = tuple(self._participant_row(s, r, facts, today)
                             for r in self._participants(s, a.id))
        tasks = s.scalars(select(MeetingTask).where(
            MeetingTask.appointment_id == a.id, MeetingTask.deleted_at.is_(None))
            .order_by(MeetingTask.due_on, MeetingTask.id)).all()
        version_id, minute = self._minute(s, a.id)
        return MeetingRow(
            appointment_id=a.id, customer_id=a.customer_id or "",
            customer_name=f"{customer.last_name}, {customer.first_names}" if customer else "",
            starts_at=a.starts_at, ends_at=a.ends_at, channel=a.channel.value,
            status=a.status.value, service_point_name=point.name if point else "",
            staff_name=staff.full_name if staff else "", participants=participants,
            tasks=tuple(self._task_row(s, t) for t in tasks), plan_version_id=version_id,
            minute=minute)


def _point_address(point: ServicePoint | None) -> str:
    if point is None:
        return ""
    town = " ".join(p for p in (point.postal_code, point.municipality) if p)
    return ", ".join(p for p in (point.street_address, town) if p)

