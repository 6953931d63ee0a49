"""Group services and events (#21): the one id a participant and an attendance have on
every workstation, and which participant states hold a seat.

A customer is on an event's list once (the participant's id comes from the event and the
customer) and attends a session once (the attendance's id comes from the session and
the customer), so two desks that register or check in the same person offline write one
row each, merged by field; the central guards (c0100) derive the same ids."""

from __future__ import annotations

import uuid

from app.rules.codes import ParticipantStatus

PARTICIPANT_NAMESPACE = "5d0f6b8e-2c41-4e3a-9a57-81c6f0d2b3a4"
ATTENDANCE_NAMESPACE = "b7e2a9c4-13d8-4f6b-8e05-6c9d2f1a7b30"

# States that hold one of the event's seats (capacity counts them).
HOLDS_SEAT = frozenset({ParticipantStatus.REGISTERED})
# States still on the list (invited people may yet register).
ON_LIST = frozenset({ParticipantStatus.INVITED, ParticipantStatus.REGISTERED,
                     ParticipantStatus.WAITING})


def participant_id(event_id: str, customer_id: str) -> str:
    return str(uuid.uuid5(uuid.UUID(PARTICIPANT_NAMESPACE), f"{event_id}:{customer_id}"))


def attendance_id(session_id: str, customer_id: str) -> str:
    return str(uuid.uuid5(uuid.UUID(ATTENDANCE_NAMESPACE), f"{session_id}:{customer_id}"))
