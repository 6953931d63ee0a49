"""Employment plans: the editable content, versions, the printed document, comparisons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class PlanGoalItem:
    kind: str  # work / education / other
    text: str = ""


@dataclass(frozen=True)
class PlanActionItem:
    actor: str  # customer / coach / partner
    text: str = ""
    due_on: date | None = None
    done: bool = False


@dataclass(frozen=True)
class PlanServiceItem:
    service_type: str
    provider: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    note: str = ""
    # The live state of the referral carrying the line out (#20), shown read-only; not
    # part of the content (never compared nor saved).
    referral_state: str | None = field(default=None, compare=False)
    referral_on: date | None = field(default=None, compare=False)
    # Which referral that is: the link travels with the line when the editor re-sorts
    # the lines (rows are stored by position).
    referral_id: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PlanParticipantItem:
    """A participant of a multi-professional plan (#24): a partner person or a staff
    member, with the name and organisation as printed, their responsibilities and the
    services they bring."""

    name: str
    organisation: str = ""
    role: str = ""
    responsibilities: str = ""
    services: str = ""
    partner_person_id: str | None = None
    staff_id: str | None = None


@dataclass(frozen=True)
class PlanContent:
    """Everything a coach edits in a draft; the editor saves it whole (autosave)."""

    goals: tuple[PlanGoalItem, ...] = ()
    actions: tuple[PlanActionItem, ...] = ()
    services: tuple[PlanServiceItem, ...] = ()
    applications_per_period: int | None = None
    period_months: int | None = None
    obligation_starts_on: date | None = None
    obligation_lowered_reason: str = ""
    contact_method: str = ""
    contact_frequency: str = ""
    next_review_on: date | None = None
    summary: str = ""
    # Each plan type's own part (#24; models/plan.py PlanVersion). The multi-professional
    # plan:
    participants: tuple[PlanParticipantItem, ...] = ()
    meeting_id: str | None = None
    meeting_minute: str = ""
    follow_up_on: date | None = None
    customer_view: str = ""
    # The activation plan:
    activation_conditions: str = ""
    activation_measures: str = ""
    social_worker_part: str = ""
    # The integration plan:
    integration_training: str = ""
    residence_permit_on: date | None = None
    interpreter_language: str = ""
    integration_measures: str = ""


@dataclass(frozen=True)
class PlanVersionRow:
    id: str
    plan_id: str
    number: int
    status: str  # draft / accepted / superseded
    accepted_how: str | None
    accepted_at: datetime | None
    accepted_by_name: str | None
    updated_at: datetime


@dataclass(frozen=True)
class PlanRow:
    id: str
    plan_type: str
    coach_name: str | None
    versions: tuple[PlanVersionRow, ...]  # newest first


@dataclass(frozen=True)
class PlanVersionInfo:
    """One version as the editor shows it. `revision` guards the next draft save."""

    row: PlanVersionRow
    plan_type: str
    customer_id: str
    based_on_number: int | None
    revision: str
    content: PlanContent
    # The printed plan is in the customer's language when it is fi/sv/en, else Finnish.
    customer_language: str
    print_language: str

    @property
    def id(self) -> str:
        return self.row.id

    @property
    def editable(self) -> bool:
        return self.row.status == "draft"


@dataclass(frozen=True)
class CustomerPlans:
    customer_id: str
    customer_name: str
    plans: tuple[PlanRow, ...]  # newest first
    current: PlanVersionInfo | None  # the draft, else the accepted version, of the newest


@dataclass(frozen=True)
class DraftSaved:
    revision: str
    changed: bool
    saved_at: datetime


@dataclass(frozen=True)
class ReviewPeriod:
    number: int
    starts_on: date
    ends_on: date
    applications: int


@dataclass(frozen=True)
class PlanDocument:
    """Everything the printed plan shows, in the language `lang`."""

    lang: str
    customer_name: str
    customer_hetu: str
    customer_number: str
    customer_language: str
    coach_name: str
    coach_phone: str
    coach_email: str
    service_point_name: str
    service_point_address: str
    plan_type: str
    number: int
    status: str
    accepted_how: str | None
    accepted_at: datetime | None
    accepted_by_name: str | None
    content: PlanContent
    periods: tuple[ReviewPeriod, ...]
    printed_at: datetime
    printed_by: str


@dataclass(frozen=True)
class CompareLine:
    change: str  # same / added / removed / changed
    left: str
    right: str


@dataclass(frozen=True)
class CompareSection:
    key: str
    lines: tuple[CompareLine, ...]

    @property
    def changed(self) -> bool:
        return any(line.change != "same" for line in self.lines)


@dataclass(frozen=True)
class PlanComparison:
    left: PlanVersionRow
    right: PlanVersionRow
    sections: tuple[CompareSection, ...]


@dataclass(frozen=True)
class PlanDue:
    """A review date of an accepted plan: what a coach's worklist shows."""

    customer_id: str
    customer_name: str
    plan_id: str
    version_id: str
    plan_type: str
    next_review_on: date | None
    period_ends_on: date | None  # the end of the current job-search review period


@dataclass(frozen=True)
class PlanListRow:
    """One plan in `plan list` (#24): its newest version."""

    id: str
    customer_id: str
    customer_number: str
    plan_type: str
    status: str
    version: int
    version_id: str
    accepted_at: datetime | None
    next_review_on: date | None
