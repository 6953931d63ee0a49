"""Multi-professional meetings (#24): the participants, the follow-up tasks and the
meeting as the screens show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ParticipantRow:
    id: str
    appointment_id: str
    kind: str  # "partner" | "staff"
    person_id: str  # partner_person_id or staff_id
    name: str
    organisation: str
    title: str | None
    role: str | None
    email: str | None
    phone: str | None
    invited_at: datetime | None
    attended: bool | None
    consent_refusal: str | None  # partner: rules.refusal msgid now, else None


@dataclass(frozen=True)
class TaskRow:
    id: str
    appointment_id: str
    participant_id: str
    participant_name: str
    text: str
    due_on: date | None
    done_on: date | None
    overdue: bool


@dataclass(frozen=True)
class MeetingRow:
    appointment_id: str
    customer_id: str
    customer_name: str
    starts_at: datetime
    ends_at: datetime
    channel: str
    status: str
    service_point_name: str
    staff_name: str
    participants: tuple[ParticipantRow, ...]
    tasks: tuple[TaskRow, ...]
    plan_version_id: str | None  # the draft/version the minute went to
    minute: str | None


@dataclass(frozen=True)
class MeetingLetter:
    """What an invitation letter to a meeting participant shows, in `lang`."""

    lang: str
    recipient_name: str
    recipient_organisation: str
    recipient_role: str
    customer_name: str
    starts_at: datetime
    ends_at: datetime
    channel: str
    service_point_name: str
    service_point_address: str
    service_point_phone: str
    room: str
    video_link: str
    staff_name: str
    staff_phone: str
    staff_email: str
    printed_at: datetime
