"""Codes of different lists may share their text ("other", "done", "work_ability"):
each keeps its own label."""

from app.rules.codes import (
    APPOINTMENT_LABELS,
    LABELS,
    AppointmentStatus,
    AppointmentType,
    CaseExitReason,
    NoteKind,
    ServiceArea,
    TicketState,
    VisitOutcome,
)


def test_codes_sharing_their_text_keep_their_own_labels():
    assert LABELS[CaseExitReason.OTHER] == "Other reason"
    assert LABELS[AppointmentType.OTHER] == "Other appointment"
    assert LABELS[VisitOutcome.OTHER] == "Other"
    assert LABELS[ServiceArea.WORK_ABILITY] == "Supporting work ability"
    assert LABELS[NoteKind.WORK_ABILITY] == "Work-ability note"
    assert LABELS[TicketState.DONE] == "Done"
    assert LABELS[AppointmentStatus.DONE] == "Held"
    assert APPOINTMENT_LABELS[AppointmentType.OTHER] == "Other appointment"
    assert CaseExitReason.OTHER in LABELS and LABELS.get(CaseExitReason.OTHER) == "Other reason"
