"""Who may do what. The services check these; the central database enforces them again."""

from __future__ import annotations

from enum import StrEnum

from app.rules.codes import Role


class Permission(StrEnum):
    CUSTOMER_READ = "customer.read"
    CUSTOMER_EDIT = "customer.edit"
    CUSTOMER_REVEAL_HETU = "customer.reveal_hetu"
    CUSTOMER_ASSIGN_COACH = "customer.assign_coach"
    CASE_NOTES_READ = "case_notes.read"
    STAFF_MANAGE = "staff.manage"
    AUDIT_READ = "audit.read"
    DEMO_BUILD = "demo.build"
    QUEUE_REGISTER = "queue.register"
    QUEUE_SERVE = "queue.serve"
    VISIT_RECORD = "visit.record"
    PLAN_READ = "plan.read"
    PLAN_EDIT = "plan.edit"
    PLAN_PRINT = "plan.print"
    SYNC_RUN = "sync.run"
    SETTINGS_EDIT = "settings.edit"
    FEEDBACK_RECORD = "feedback.record"
    FEEDBACK_READ = "feedback.read"
    FEEDBACK_REPLY = "feedback.reply"
    REPORTS_READ = "reports.read"
    CUSTOMER_BARRIERS = "customer.barriers"
    CASELOAD_READ = "caseload.read"
    CASELOAD_MANAGE = "caseload.manage"
    CUSTOMER_IMPORT = "customer.import"
    APPOINTMENT_BOOK = "appointment.book"
    CUSTOMER_EXTRACT = "customer.extract"  # right of access: everything held on one person
    CUSTOMER_ERASE = "customer.erase"  # erasure when the retention period has ended
    CALENDAR_MANAGE = "calendar.manage"  # anyone's working hours, holidays and days off
    CASE_CLOSE = "case.close"  # end a job-search period with its reason, reopen one
    CASE_FACTS = "case.facts"  # partial work ability, benefit and subsidy days: health-
    # and benefit-related facts the statutory clock counts from
    CUSTOMER_MERGE = "customer.merge"  # merge a duplicate registration into the real one
    PROVIDER_MANAGE = "provider.manage"  # the register of service providers and contracts
    REFERRAL_MAKE = "referral.make"  # refer to purchased services, draft support decisions
    DECISION_DECIDE = "decision.decide"  # decide (sign) a pay subsidy, trial or grant
    EMPLOYER_READ = "employer.read"  # look employers up: name, business ID, addresses
    EMPLOYER_EDIT = "employer.edit"  # the register, contact persons, contacts, vacancies,
    # proposing job seekers (for one's own caseload's customers, as other case work)
    EVENT_READ = "event.read"  # events, their sessions and lists; rooms (#21)
    EVENT_ATTEND = "event.attend"  # register, cancel and check in participants
    EVENT_EDIT = "event.edit"  # organise events and invite customers
    MESSAGE_READ = "message.read"  # the messages sent to a customer, the print list (#23)
    MESSAGE_SEND = "message.send"  # send a letter by e-mail, decide on a failed message
    PARTNER_MANAGE = "partner.manage"  # the register of partner organisations and people
    CONSENT_RECORD = "consent.record"  # record or withdraw a customer's consent to share
    # The partner role's only reach (#24): customers who consented to share with the
    # partner's organisation, and of them only what the consent covers (not customer.read:
    # every other reader of customers refuses a partner by default).
    PARTNER_READ = "partner.read"


_DESK = {
    Permission.SYNC_RUN,
    Permission.CUSTOMER_READ,
    Permission.CUSTOMER_EDIT,
    Permission.CUSTOMER_REVEAL_HETU,
    Permission.QUEUE_REGISTER,
    Permission.QUEUE_SERVE,
    Permission.VISIT_RECORD,
    Permission.FEEDBACK_RECORD,
    Permission.APPOINTMENT_BOOK,
    Permission.EMPLOYER_READ,
    # The desk sees event lists and checks people in (#21), never their case.
    Permission.EVENT_READ,
    Permission.EVENT_ATTEND,
    # The desk handles the messages of its customers: what was sent, the print list, the
    # failures, a letter by e-mail (#23). The plan goes by e-mail only with plan.print.
    Permission.MESSAGE_READ,
    Permission.MESSAGE_SEND,
}
# The desk sees identity, contact and the queue, never plan content or case notes.
_COACH = _DESK | {
    Permission.CASE_NOTES_READ,
    Permission.CUSTOMER_ASSIGN_COACH,
    Permission.PLAN_READ,
    Permission.PLAN_EDIT,
    Permission.PLAN_PRINT,
    # Feedback figures, comments and the reply to-do list: coaches and team leads.
    Permission.FEEDBACK_READ,
    Permission.FEEDBACK_REPLY,
    # Barriers name debt and health: coaches only, never the desk.
    Permission.CUSTOMER_BARRIERS,
    Permission.CASELOAD_READ,
    Permission.CASE_CLOSE,
    Permission.CASE_FACTS,
    # Referrals and decision drafts are case work: coaches, for their caseload.
    Permission.REFERRAL_MAKE,
    # Employer services: coaches and the employer-services team are coaches by role.
    Permission.EMPLOYER_EDIT,
    # Coaches organise events and invite customers from their caseload.
    Permission.EVENT_EDIT,
    # Multi-professional work (#24): coaches keep the partners they work with and record
    # the customer's consent to share with them; the desk reads consents, never records.
    Permission.PARTNER_MANAGE,
    Permission.CONSENT_RECORD,
}
_LEAD = _COACH | {Permission.AUDIT_READ, Permission.SETTINGS_EDIT,
                  Permission.CUSTOMER_EXTRACT}
_LEAD |= {Permission.REPORTS_READ}  # knowledge-based management: leads and admins
# Moving customers between coaches in bulk and importing registers: team leads and up.
_LEAD |= {Permission.CASELOAD_MANAGE, Permission.CUSTOMER_IMPORT}
_LEAD |= {Permission.CALENDAR_MANAGE}  # a worker changes only their own hours
# A merge moves plans and notes between two records: team leads and up, who see both.
_LEAD |= {Permission.CUSTOMER_MERGE}
# Contracts commit the area's money; a decision is signed by someone other than the
# coach who drafted it: team leads and up.
_LEAD |= {Permission.PROVIDER_MANAGE, Permission.DECISION_DECIDE}
_ADMIN = _LEAD | {Permission.STAFF_MANAGE, Permission.DEMO_BUILD, Permission.CUSTOMER_ERASE}

# A partner's worker (#24) opens only customers who consented to share with their
# organisation, and their plans only when the consent covers plans (app/services/
# partner_reach.py; central c0115 holds the same line in its policies). Nothing else.
_PARTNER = {Permission.SYNC_RUN, Permission.PARTNER_READ}
# A partner's desk in the queue (#24, central c0120): it calls and serves the tickets of
# its own organisation's services (app/services/queue.py); it registers no one.
_PARTNER |= {Permission.QUEUE_SERVE}

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.DESK: frozenset(_DESK),
    Role.COACH: frozenset(_COACH),
    Role.TEAM_LEAD: frozenset(_LEAD),
    Role.ADMIN: frozenset(_ADMIN),
    Role.PARTNER: frozenset(_PARTNER),
}


def allowed(role: Role, permission: Permission) -> bool:
    return permission in MATRIX[role]
