"""Merging a duplicate registration (a temporary identity code, or the same person twice)
into the real customer record, and the register's warning about likely duplicates.

The merge is one transaction through the write path: every row that names the duplicate
moves to the real customer (visits, queue tickets, appointments, plans, case notes,
unemployment and job-search periods); the rows whose id is derived from the customer's
(barriers, case facts) are written again under the real customer's derived id and the
duplicate's tombstoned; the duplicate is tombstoned; a CustomerMerge row records the
merge. The coach-assignment history stays where it was written (append-only), as do
audit events. Feedback never names a customer, so nothing of it moves.

Centrally (c0061) the merge row's trigger does the same to whatever still names the
duplicate there (rows pushed by workstations that this one never held), so every desk
pulls one merged customer. Tombstones carry `merged_at`, on both sides, so the two
writes of the same tombstone agree (no sync conflict).

Refused when the two are the same, either is missing, removed or erased, or when both
have an open plan: a plan not removed with a draft or an accepted version in force
(accepted and not yet superseded); one customer would then have two plans in force.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dto.customer_merge import MergeParty, MergePreview, SimilarCustomer
from app.i18n import N_
from app.models import (
    Appointment,
    CaseFacts,
    Customer,
    CustomerBarrier,
    CustomerMerge,
    CustomerNote,
    EffectFollowup,
    EventAttendance,
    EventParticipant,
    JobProposal,
    JobSearchPeriod,
    Plan,
    PlanVersion,
    QueueTicket,
    Referral,
    SupportDecision,
    UnemploymentPeriod,
    Visit,
    case_facts_id,
)
from app.models.coaching import barrier_id
from app.models.message import ContactPreference, Message
from app.models.partner import CustomerConsent, MeetingParticipant, MeetingTask
from app.rules.codes import ParticipantStatus, PlanStatus
from app.rules.customer import nfc
from app.rules.events import attendance_id, participant_id
from app.rules.messages import preference_id
from app.rules.permissions import Permission
from app.services import case_access
from app.services.context import AppContext
from app.services.errors import Conflict, NotFound

# Rows that simply move (their customer_id changes), in the order they are reported.
MOVED: tuple[tuple[str, Any], ...] = (
    ("visit", Visit),
    ("queue_ticket", QueueTicket),
    ("appointment", Appointment),
    ("plan", Plan),
    ("customer_note", CustomerNote),
    ("unemployment_period", UnemploymentPeriod),
    ("job_search_period", JobSearchPeriod),
    ("referral", Referral),
    ("support_decision", SupportDecision),
    ("effect_followup", EffectFollowup),
    ("job_proposal", JobProposal),
    ("message", Message),
    ("customer_consent", CustomerConsent),
    ("meeting_participant", MeetingParticipant),
    ("meeting_task", MeetingTask),
)
# On a list, the stronger state wins when both records were on one event (c0100 alike).
PARTICIPANT_RANK = {ParticipantStatus.REGISTERED: 4, ParticipantStatus.WAITING: 3,
                    ParticipantStatus.INVITED: 2, ParticipantStatus.CANCELLED: 1,
                    ParticipantStatus.DECLINED: 0}
# Every table a merge reports, with its label for people.
MOVE_LABELS: dict[str, str] = {
    "visit": N_("Visits and contacts"),
    "queue_ticket": N_("Queue tickets"),
    "appointment": N_("Appointments"),
    "plan": N_("Employment plans"),
    "customer_note": N_("Case notes"),
    "unemployment_period": N_("Unemployment periods"),
    "job_search_period": N_("Job-search periods"),
    "referral": N_("Referrals"),
    "support_decision": N_("Support decisions"),
    "effect_followup": N_("Follow-ups of effect"),
    "job_proposal": N_("Job tips"),
    "message": N_("Messages"),
    "event_participant": N_("Event registrations"),
    "event_attendance": N_("Event attendance"),
    "customer_barrier": N_("Barriers"),
    "case_facts": N_("Case facts"),
    "contact_preference": N_("Contact preferences"),
    "customer_consent": N_("Consents to share information"),
    "meeting_participant": N_("Meeting participants"),
    "meeting_task": N_("Meeting tasks"),
}
# The case facts' own fields: copied to the real customer's where those are empty.
FACT_FIELDS = ("work_ability_since", "work_ability_basis", "benefit", "first_benefit_on",
               "subsidy_days", "subsidy_days_on", "allowance_exhausted_on")
SIMILAR_LIMIT = 5


def _name(c: Customer) -> str:
    return f"{c.last_name}, {c.first_names}"


def _party(c: Customer) -> MergeParty:
    return MergeParty(c.id, _name(c), c.customer_number)


def open_plan_ids(s: Session, customer_id: str) -> list[str]:
    """The customer's open plans: not removed, with a live draft or a live accepted
    version (an accepted version is in force until a later one supersedes it)."""
    return list(s.scalars(
        select(Plan.id).distinct().join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .where(Plan.customer_id == customer_id, Plan.deleted_at.is_(None),
               PlanVersion.deleted_at.is_(None),
               PlanVersion.status.in_((PlanStatus.DRAFT, PlanStatus.ACCEPTED)))))


class CustomerMergeService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- the register's warning -----------------------------------------------------

    def similar(self, first_names: str, last_name: str, birth_date: date | None,
                exclude_id: str | None = None) -> list[SimilarCustomer]:
        """Customers already registered with this last name and birth date who share a
        first name (case and spacing ignored: "Aino" matches "Aino Maria"): the register
        warns before a second record of one person is made."""
        self.ctx.require(Permission.CUSTOMER_READ)
        last = " ".join(nfc(last_name).split()).casefold()
        firsts = {f.casefold() for f in nfc(first_names).split()}
        if not last or not firsts or birth_date is None:
            return []
        stmt = (select(Customer).where(Customer.birth_date == birth_date,
                                       Customer.deleted_at.is_(None),
                                       Customer.erased_at.is_(None))
                .order_by(Customer.sort_name, Customer.id))
        found: list[SimilarCustomer] = []
        with self.ctx.reading() as s:
            for c in s.scalars(stmt):
                if c.id == exclude_id or " ".join(c.last_name.split()).casefold() != last:
                    continue
                if firsts & {f.casefold() for f in c.first_names.split()}:
                    found.append(SimilarCustomer(c.id, _name(c), c.customer_number))
                if len(found) >= SIMILAR_LIMIT:
                    break
        return found

    # --- the merge --------------------------------------------------------------------

    def preview(self, duplicate_id: str, real_id: str) -> MergePreview:
        """What `merge` would move (refused alike: NotFound, Conflict, PermissionDenied)."""
        with self.ctx.transaction(Permission.CUSTOMER_MERGE) as s:
            dup, real = self._check(s, duplicate_id, real_id)
            return MergePreview(_party(dup), _party(real), self._counts(s, dup.id, real.id))

    def merge(self, duplicate_id: str, real_id: str) -> MergePreview:
        """Merge the duplicate into the real customer (see the module's docstring);
        returns what moved."""
        with self.ctx.transaction(Permission.CUSTOMER_MERGE) as s:
            dup, real = self._check(s, duplicate_id, real_id)
            moved = MergePreview(_party(dup), _party(real), self._counts(s, dup.id, real.id))
            at = self.ctx.now()
            for _table, model in MOVED:
                for row in s.scalars(select(model).where(model.customer_id == dup.id)):
                    row.customer_id = real.id
            s.flush()
            self._move_barriers(s, dup.id, real.id, at)
            self._fold_event_lists(s, dup.id, real.id, at)
            self._fold_facts(s, dup.id, real.id, at)
            self._fold_preference(s, dup.id, real.id, at)
            self._settle_periods(s, real, at)
            dup.deleted_at = at
            dup.active = False
            s.flush()
            # Last, so that the centre meets the merge after the moves it would repeat.
            s.add(CustomerMerge(from_customer_id=dup.id, into_customer_id=real.id,
                                merged_at=at))
            s.flush()
            self.ctx.audit(s, "customer.merge", "customer", real.id,
                           {"from": dup.id, "into": real.id,
                            "moved": dict(m for m in moved.moves if m[1])})
            return moved

    # --- helpers ----------------------------------------------------------------------

    def _check(self, s: Session, duplicate_id: str, real_id: str) -> tuple[Customer, Customer]:
        if duplicate_id == real_id:
            raise Conflict(N_("A customer cannot be merged into themselves: choose another "
                              "record."))
        dup = s.get(Customer, duplicate_id)
        if dup is None or dup.deleted_at is not None or dup.erased_at is not None:
            raise NotFound(N_("The duplicate record was not found (or was already merged "
                              "or removed)."))
        real = s.get(Customer, real_id)
        if real is None or real.deleted_at is not None or real.erased_at is not None:
            raise NotFound(N_("The customer to merge into was not found (or was merged or "
                              "removed)."))
        actor = self.ctx.signed_in
        for customer_id in (dup.id, real.id):
            case_access.check_read(s, actor, customer_id, Permission.CUSTOMER_MERGE)
        if open_plan_ids(s, dup.id) and open_plan_ids(s, real.id):
            raise Conflict(N_("Both customers have an open employment plan: one customer "
                              "cannot have two plans in force. Finish one of them first."))
        return dup, real

    @staticmethod
    def _counts(s: Session, dup_id: str, real_id: str) -> tuple[tuple[str, int], ...]:
        counts = []
        folded: tuple[tuple[str, Any], ...] = (("event_participant", EventParticipant),
                                               ("event_attendance", EventAttendance))
        for table, model in MOVED + folded:
            counts.append((table, s.scalar(select(func.count()).select_from(model).where(
                model.customer_id == dup_id, model.deleted_at.is_(None))) or 0))
        counts.append(("customer_barrier", s.scalar(
            select(func.count()).select_from(CustomerBarrier).where(
                CustomerBarrier.customer_id == dup_id,
                CustomerBarrier.deleted_at.is_(None))) or 0))
        counts.append(("case_facts", s.scalar(
            select(func.count()).select_from(CaseFacts).where(
                CaseFacts.customer_id == dup_id, CaseFacts.deleted_at.is_(None))) or 0))
        counts.append(("contact_preference", s.scalar(
            select(func.count()).select_from(ContactPreference).where(
                ContactPreference.customer_id == dup_id,
                ContactPreference.deleted_at.is_(None))) or 0))
        return tuple(counts)

    @staticmethod
    def _move_barriers(s: Session, dup_id: str, real_id: str, at: datetime) -> None:
        """The same barrier ticked on the real customer (its derived id), the
        duplicate's row tombstoned."""
        for row in s.scalars(select(CustomerBarrier).where(
                CustomerBarrier.customer_id == dup_id, CustomerBarrier.deleted_at.is_(None))):
            target = s.get(CustomerBarrier, barrier_id(real_id, row.barrier))
            if target is None:
                s.add(CustomerBarrier(id=barrier_id(real_id, row.barrier),
                                      customer_id=real_id, barrier=row.barrier))
            elif target.deleted_at is not None:
                target.deleted_at = None
            row.deleted_at = at
        s.flush()

    @staticmethod
    def _fold_event_lists(s: Session, dup_id: str, real_id: str, at: datetime) -> None:
        """The duplicate's places on event lists and attendances become the real
        customer's rows under their derived ids (folded into the real customer's own row:
        the stronger state wins), the duplicate's tombstoned: once on a list (c0100 does
        the same centrally)."""
        for p in s.scalars(select(EventParticipant).where(
                EventParticipant.customer_id == dup_id, EventParticipant.deleted_at.is_(None))):
            target = s.get(EventParticipant, participant_id(p.event_id, real_id))
            if target is None:
                target = EventParticipant(
                    id=participant_id(p.event_id, real_id), event_id=p.event_id,
                    customer_id=real_id, service_point_id=p.service_point_id,
                    status=p.status, invited_by=p.invited_by, invited_at=p.invited_at,
                    registered_at=p.registered_at)
                s.add(target)
            elif target.deleted_at is not None or \
                    PARTICIPANT_RANK[p.status] > PARTICIPANT_RANK[target.status]:
                target.status, target.registered_at = p.status, p.registered_at
            elif p.registered_at and target.registered_at:
                target.registered_at = min(p.registered_at, target.registered_at)
            target.deleted_at = None
            p.deleted_at = at
        for a in s.scalars(select(EventAttendance).where(
                EventAttendance.customer_id == dup_id, EventAttendance.deleted_at.is_(None))):
            found = s.get(EventAttendance, attendance_id(a.session_id, real_id))
            if found is None:
                s.add(EventAttendance(
                    id=attendance_id(a.session_id, real_id), session_id=a.session_id,
                    event_id=a.event_id, customer_id=real_id,
                    service_point_id=a.service_point_id, attended=a.attended,
                    checked_in_at=a.checked_in_at, checked_in_by=a.checked_in_by, via=a.via))
            else:
                found.attended = (found.attended and found.deleted_at is None) or a.attended
                found.deleted_at = None
            a.deleted_at = at
        s.flush()

    @staticmethod
    def _fold_facts(s: Session, dup_id: str, real_id: str, at: datetime) -> None:
        """The duplicate's case facts fill the real customer's empty ones; the
        duplicate's row is tombstoned."""
        facts = s.scalar(select(CaseFacts).where(CaseFacts.customer_id == dup_id,
                                                 CaseFacts.deleted_at.is_(None)))
        if facts is None:
            return
        target = s.get(CaseFacts, case_facts_id(real_id))
        if target is None:
            target = CaseFacts(id=case_facts_id(real_id), customer_id=real_id,
                               partial_work_ability=False)
            s.add(target)
        elif target.deleted_at is not None:
            target.deleted_at = None
        if facts.partial_work_ability and not target.partial_work_ability:
            target.partial_work_ability = True
        for name in FACT_FIELDS:
            if getattr(target, name) is None and getattr(facts, name) is not None:
                setattr(target, name, getattr(facts, name))
        facts.deleted_at = at
        s.flush()

    @staticmethod
    def _fold_preference(s: Session, dup_id: str, real_id: str, at: datetime) -> None:
        """The real customer's contact preference is kept (with the duplicate's opt-out,
        if it had one); when they have none, the duplicate's is copied under the real
        customer's derived id. The duplicate's is tombstoned (c0105 alike centrally)."""
        dup = s.scalar(select(ContactPreference).where(
            ContactPreference.customer_id == dup_id, ContactPreference.deleted_at.is_(None)))
        if dup is None:
            return
        target = s.get(ContactPreference, preference_id(real_id))
        if target is None:
            s.add(ContactPreference(
                id=preference_id(real_id), customer_id=real_id, sms=dup.sms, email=dup.email,
                opted_out=dup.opted_out, language=dup.language, given_how=dup.given_how,
                given_on=dup.given_on, recorded_by=dup.recorded_by))
        elif target.deleted_at is not None:
            for name in ("sms", "email", "opted_out", "language", "given_how", "given_on",
                         "recorded_by"):
                setattr(target, name, getattr(dup, name))
            target.deleted_at = None
        elif dup.opted_out and not target.opted_out:
            # An opt-out on either record holds: no one is messaged who said no.
            target.opted_out, target.sms, target.email = True, False, False
        dup.deleted_at = at
        s.flush()

    @staticmethod
    def _settle_periods(s: Session, real: Customer, at: datetime) -> None:
        """One open job-search period at most: when both had one, the one opened first
        stands (the case began then; ties by id) and the other is tombstoned. The case
        is open (`active`) when an open period remains."""
        open_periods = list(s.scalars(select(JobSearchPeriod).where(
            JobSearchPeriod.customer_id == real.id, JobSearchPeriod.deleted_at.is_(None),
            JobSearchPeriod.closed_on.is_(None))
            .order_by(JobSearchPeriod.opened_on, JobSearchPeriod.id)))
        for period in open_periods[1:]:
            period.deleted_at = at
        if open_periods and not real.active:
            real.active = True
        s.flush()
