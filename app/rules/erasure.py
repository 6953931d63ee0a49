"""What erasing a customer's personal data scrubs, as data: the customer's own columns
and, per dependent table, how a row belongs to the customer and which columns go. The
local scrub (app/sync/erasure.py) and the central trigger (app/db/erasure_ddl.py) are
both made from it, so every copy is scrubbed alike."""

from __future__ import annotations

from typing import Any

NOW: Any = object()  # "the time of the erasure": deleted_at

# The customer row keeps its id, service point and statistics-only flags; everything
# that identifies or describes the person goes. first/last name: the CHECK wants text.
CUSTOMER = {
    "hetu": None, "first_names": "-", "last_name": "-", "sort_name": "-",
    "birth_date": None, "phone": None, "email": None, "street_address": None,
    "postal_code": None, "post_office": None, "home_municipality": "-", "coach_id": None,
    "jobseeker_registered_on": None, "unemployed_since": None,
    "first_residence_permit_on": None, "interpreter_needed": False,
    "partial_work_ability": False, "active": False, "deleted_at": NOW,
}

# (table, how a row belongs to the customer, scrubbed columns). Visits, tickets and
# appointments stay for the statistics, without free text; their link to the customer
# stays too (it points at the scrubbed record), so that the central triggers can scrub
# a late edit or a new row that a desk made offline before the erasure reached it.
SCRUB: list[tuple[str, str, dict[str, Any]]] = [
    # The periods stay (dates and reason codes count in the statistics), not their note.
    ("job_search_period", "customer", {"outcome_note": None}),
    ("case_facts", "customer", {"partial_work_ability": False, "work_ability_since": None,
                                "work_ability_basis": None, "benefit": None,
                                "first_benefit_on": None, "subsidy_days": None,
                                "subsidy_days_on": None, "allowance_exhausted_on": None,
                                "deleted_at": NOW}),
    ("unemployment_period", "customer", {"ends_on": None, "deleted_at": NOW}),
    ("customer_note", "customer", {"text": "", "deleted_at": NOW}),
    ("plan_goal", "version", {"text": "", "deleted_at": NOW}),
    ("plan_action", "version", {"text": "", "due_on": None, "deleted_at": NOW}),
    ("plan_service", "version", {"provider": None, "note": None, "deleted_at": NOW}),
    # Each plan type's own text (#24) goes with the rest (earlier migrations' copies of
    # this entry name these columns before c0110/0110 adds them: they run only for an
    # erased customer, and none is erased while an upgrade runs).
    ("plan_version", "plan", {"obligation_lowered_reason": None, "contact_method": None,
                              "contact_frequency": None, "summary": None,
                              "meeting_minute": None, "customer_view": None,
                              "activation_conditions": None, "activation_measures": None,
                              "social_worker_part": None, "integration_training": None,
                              "interpreter_language": None, "integration_measures": None,
                              "residence_permit_on": None, "deleted_at": NOW}),
    ("plan_participant", "version", {"role": None, "responsibilities": None,
                                     "services": None, "deleted_at": NOW}),
    ("plan", "customer", {"deleted_at": NOW}),
    ("visit", "customer", {"topics": None, "outcome": None, "follow_up": None,
                           "note": None}),
    ("queue_ticket", "customer", {"note": None, "transfer_note": None,
                                  "priority_reason": None}),
    ("appointment", "customer", {"video_link": None, "cancel_reason": None}),
    ("customer_barrier", "customer", {"deleted_at": NOW}),
    # Referrals and decisions stay for the effect and cost figures, without free text.
    ("referral", "customer", {"note": None}),
    ("support_decision", "customer", {"note": None, "end_reason": None}),
    # A job tip stays for the employer figures (hires), without what was shared.
    ("job_proposal", "customer", {"shared": None}),
    # Messages stay for the figures (kind, channel, status, times), without where they
    # went or what they said (#23); the preferences go.
    ("message", "customer", {"recipient": None, "subject": None, "body": None,
                             "attachment": None, "attachment_name": None, "secret": None}),
    ("contact_preference", "customer", {"deleted_at": NOW}),
    # Multi-professional work (#24): consents and tasks go; a meeting's participants stay
    # for the figures (meetings held, by partner), without what their part was.
    ("customer_consent", "customer", {"purpose": None, "deleted_at": NOW}),
    ("meeting_participant", "customer", {"role": None}),
    ("meeting_task", "customer", {"text": "", "deleted_at": NOW}),
]
# Rows of these tables, once tombstoned, refuse further edits centrally (push).
GUARDED = ("customer", "unemployment_period", "customer_note", "plan", "plan_version",
           "plan_goal", "plan_action", "plan_service", "customer_barrier", "case_facts")


