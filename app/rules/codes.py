"""The domain's code lists. Stored as their string values; labels are marked for
translation with N_() and translated where shown (`label()` in the views)."""

from __future__ import annotations

from enum import StrEnum

from app.i18n import N_


class Role(StrEnum):
    DESK = "desk"
    COACH = "coach"
    TEAM_LEAD = "team_lead"
    ADMIN = "admin"
    # A partner's worker at the service point (#24: a school's career counsellor at
    # Osaamo): sees only the customers who consented to share with their organisation,
    # and only what the consent covers (app/rules/partners.py, central c0115).
    PARTNER = "partner"


class ServiceArea(StrEnum):
    INITIAL = "initial"
    FINDING_WORK = "finding_work"
    SKILLS = "skills"
    WORK_ABILITY = "work_ability"
    INTEGRATION = "integration"
    EMPLOYER = "employer"
    INFORMATION = "information"


class Channel(StrEnum):
    SERVICE_POINT = "service_point"
    PHONE = "phone"
    VIDEO = "video"


class ServicePointMode(StrEnum):
    WALK_IN = "walk_in"
    APPOINTMENT = "appointment"


class TicketState(StrEnum):
    """Forward-only: a merge keeps the furthest state (see rules.queue)."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    LEFT = "left"


class AppointmentType(StrEnum):
    INITIAL_INTERVIEW = "initial_interview"
    JOB_SEARCH_CONVERSATION = "job_search_conversation"
    PLAN_REVIEW = "plan_review"
    MULTI_PROFESSIONAL = "multi_professional"
    # Held in between the job-search conversations; never restarts the statutory clock.
    SUPPLEMENTARY_CONVERSATION = "supplementary_conversation"
    OTHER = "other"


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    ARRIVED = "arrived"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class PlanType(StrEnum):
    EMPLOYMENT = "employment"
    MULTI_PROFESSIONAL = "multi_professional"
    ACTIVATION = "activation"
    INTEGRATION = "integration"


class PlanStatus(StrEnum):
    DRAFT = "draft"
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"


class BenefitType(StrEnum):
    EARNINGS_RELATED = "earnings_related"
    BASIC = "basic"
    LABOUR_MARKET_SUBSIDY = "labour_market_subsidy"
    NONE = "none"


class VisitOutcome(StrEnum):
    RESOLVED = "resolved"
    APPOINTMENT_BOOKED = "appointment_booked"
    REFERRED_TO_COACH = "referred_to_coach"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    TRANSFERRED = "transferred"
    OTHER = "other"


class NoteKind(StrEnum):
    GENERAL = "general"
    WORK_ABILITY = "work_ability"


class CaseExitReason(StrEnum):
    """Why a job-search period ended: codes, so the reports count them."""

    EMPLOYED_OPEN_MARKET = "employed_open_market"
    EMPLOYED_PAY_SUBSIDY = "employed_pay_subsidy"
    SELF_EMPLOYED = "self_employed"
    STUDIES = "studies"
    MOVED_AWAY = "moved_away"
    OTHER_SERVICES = "other_services"
    ENDED_BY_AUTHORITY = "ended_by_authority"
    OTHER = "other"


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class CoachOnClose(StrEnum):
    """What closing a case does to the customer's coach assignment."""

    RELEASE = "release"  # the coach's caseload drops the customer (the default)
    KEEP = "keep"  # the coach stays named, for a follow-up; closed cases do not count



class ServiceKind(StrEnum):
    """What a purchased service contract buys (the organising plan's procurements)."""

    INDIVIDUAL_COACHING = "individual_coaching"
    GROUP_COACHING = "group_coaching"
    EXPERT_ASSESSMENT = "expert_assessment"
    LABOUR_MARKET_TRAINING = "labour_market_training"
    WORK_ABILITY_ASSESSMENT = "work_ability_assessment"
    CAREER_GUIDANCE = "career_guidance"
    OTHER = "other"


class PlacesPeriod(StrEnum):
    """The period a contract's places are counted per."""

    CONTRACT = "contract"  # for the whole contract period
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


class ReferralState(StrEnum):
    """A referral moves forward only (app/rules/referrals.py)."""

    PROPOSED = "proposed"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    STARTED = "started"
    INTERRUPTED = "interrupted"
    COMPLETED = "completed"


class ReferralEndReason(StrEnum):
    """Why a referral was declined or interrupted."""

    NO_PLACES = "no_places"
    NOT_SUITABLE = "not_suitable"
    CUSTOMER_DECLINED = "customer_declined"
    EMPLOYED = "employed"
    STUDIES = "studies"
    HEALTH = "health"
    PROVIDER_ENDED = "provider_ended"
    OTHER = "other"


class DecisionKind(StrEnum):
    PAY_SUBSIDY = "pay_subsidy"
    WORK_TRIAL = "work_trial"
    TRAINING_TRIAL = "training_trial"
    START_UP_GRANT = "start_up_grant"


class DecisionStatus(StrEnum):
    """Drafted, decided (never edited after), then ended early or replaced."""

    DRAFT = "draft"
    DECIDED = "decided"
    ENDED = "ended"
    REPLACED = "replaced"


class FollowupSituation(StrEnum):
    """Where the customer is three or six months after a service or decision ended."""

    EMPLOYED_OPEN_MARKET = "employed_open_market"
    EMPLOYED_SUPPORTED = "employed_supported"
    STUDIES = "studies"
    UNEMPLOYED = "unemployed"
    OTHER_SERVICES = "other_services"
    UNKNOWN = "unknown"


class EmployerSize(StrEnum):
    """An employer's size class by its staff (the EU's classes, as Statistics Finland
    publishes them)."""

    MICRO = "micro"  # fewer than 10
    SMALL = "small"  # 10-49
    MEDIUM = "medium"  # 50-249
    LARGE = "large"  # 250 or more


class EmployerChannel(StrEnum):
    """How a contact with an employer was made."""

    VISIT = "visit"  # at the employer's premises
    PHONE = "phone"
    EMAIL = "email"
    MEETING = "meeting"  # at the service point
    EVENT = "event"  # a recruitment event, service info or interview day


class EmployerTopic(StrEnum):
    """What a contact with an employer was about."""

    RECRUITMENT = "recruitment"
    PAY_SUBSIDY = "pay_subsidy"
    TRAINING = "training"
    CHANGE_SECURITY = "change_security"
    OTHER = "other"


class VacancyStatus(StrEnum):
    """A vacancy or recruitment need: open until filled, closed without a hire, or
    cancelled by the employer."""

    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class VacancyHours(StrEnum):
    """A vacancy's working time."""

    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    SHIFTS = "shifts"
    OTHER = "other"


class ProposalOutcome(StrEnum):
    """A job seeker proposed for a vacancy (a job tip), and how it went."""

    PROPOSED = "proposed"
    APPLIED = "applied"
    INTERVIEWED = "interviewed"
    HIRED = "hired"
    NOT_CHOSEN = "not_chosen"


class EventKind(StrEnum):
    """Group services and events at a service point (#21)."""

    SERVICE_INFO = "service_info"  # palveluinfo
    RECRUITMENT = "recruitment"  # a recruitment event (also staffing agencies' days)
    INTERVIEWS = "interviews"  # job interviews for one employer at the service point
    GROUP_COACHING = "group_coaching"  # a series of sessions with one participant list
    STARTUP_MORNING = "startup_morning"  # for new entrepreneurs
    OTHER = "other"


class EventStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class ParticipantStatus(StrEnum):
    """A customer on an event's list: invited (not yet answered), registered (has a
    seat), waiting (the event is full: in order of registration), cancelled (was
    registered or waiting and withdrew), declined (said no to the invitation)."""

    INVITED = "invited"
    REGISTERED = "registered"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    DECLINED = "declined"


class CheckInVia(StrEnum):
    """Where attendance was marked: from the event's list, or at the queue's arrival
    (a walk-in who comes for the event is checked in, not queued)."""

    LIST = "list"
    QUEUE = "queue"

# Languages a customer may be served in or need an interpreter for (ISO 639-1/-3).
CUSTOMER_LANGUAGES: dict[str, str] = {
    "fi": N_("Finnish"),
    "sv": N_("Swedish"),
    "se": N_("Northern Sámi"),
    "en": N_("English"),
    "ru": N_("Russian"),
    "uk": N_("Ukrainian"),
    "ar": N_("Arabic"),
    "so": N_("Somali"),
    "fa": N_("Persian"),
    "et": N_("Estonian"),
    "th": N_("Thai"),
    "other": N_("Other language"),
}

class CodeLabels(dict):
    """Labels of codes, keyed by the code's type and value: codes are plain strings
    (StrEnum), and "other", "done" or "work_ability" are codes of several lists, each
    with its own label (an exit reason "other" is not "Other appointment")."""

    @staticmethod
    def _key(code: object) -> object:
        return (type(code), str(code)) if isinstance(code, StrEnum) else code

    def __init__(self, labels: list[tuple[StrEnum, str]]) -> None:
        # Pairs, not a dict literal: in one, equal strings of two lists would collide.
        super().__init__()
        for code, label in labels:
            self[code] = label

    def __getitem__(self, code: object) -> str:
        return super().__getitem__(self._key(code))

    def __setitem__(self, code: object, label: str) -> None:
        super().__setitem__(self._key(code), label)

    def __contains__(self, code: object) -> bool:
        return super().__contains__(self._key(code))

    def get(self, code: object, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(self._key(code), default)

    def update(self, labels: CodeLabels, /) -> None:  # type: ignore[override]
        for key, label in labels.items():  # keys already (type, value)
            super().__setitem__(key, label)


LABELS: CodeLabels = CodeLabels([
    (Role.DESK, N_("Reception")),
    (Role.COACH, N_("Coach")),
    (Role.TEAM_LEAD, N_("Team lead")),
    (Role.ADMIN, N_("Administrator")),
    (Role.PARTNER, N_("Partner")),
    (ServiceArea.INITIAL, N_("Initial services")),
    (ServiceArea.FINDING_WORK, N_("Finding work")),
    (ServiceArea.SKILLS, N_("Skills development")),
    (ServiceArea.WORK_ABILITY, N_("Supporting work ability")),
    (ServiceArea.INTEGRATION, N_("Promoting integration")),
    (ServiceArea.EMPLOYER, N_("Employer services")),
    (ServiceArea.INFORMATION, N_("Information and advice")),
    (Channel.SERVICE_POINT, N_("At the service point")),
    (Channel.PHONE, N_("Phone")),
    (Channel.VIDEO, N_("Video")),
    (VisitOutcome.RESOLVED, N_("Resolved")),
    (VisitOutcome.APPOINTMENT_BOOKED, N_("Appointment booked")),
    (VisitOutcome.REFERRED_TO_COACH, N_("Referred to the coach")),
    (VisitOutcome.REFERRED_ELSEWHERE, N_("Referred to another service")),
    (VisitOutcome.TRANSFERRED, N_("Transferred in the queue")),
    (VisitOutcome.OTHER, N_("Other")),
    (TicketState.WAITING, N_("Waiting")),
    (TicketState.CALLED, N_("Called")),
    (TicketState.SERVING, N_("Being served")),
    (TicketState.DONE, N_("Done")),
    (TicketState.LEFT, N_("Not present")),
    (NoteKind.GENERAL, N_("General note")),
    (NoteKind.WORK_ABILITY, N_("Work-ability note")),
    (BenefitType.EARNINGS_RELATED, N_("Earnings-related daily allowance")),
    (BenefitType.BASIC, N_("Basic daily allowance")),
    (BenefitType.LABOUR_MARKET_SUBSIDY, N_("Labour-market subsidy")),
    (BenefitType.NONE, N_("No unemployment benefit")),
    (CaseExitReason.EMPLOYED_OPEN_MARKET, N_("Employed in the open labour market")),
    (CaseExitReason.EMPLOYED_PAY_SUBSIDY, N_("Employed with pay subsidy")),
    (CaseExitReason.SELF_EMPLOYED, N_("Self-employed")),
    (CaseExitReason.STUDIES, N_("Studies")),
    (CaseExitReason.MOVED_AWAY, N_("Moved away")),
    (CaseExitReason.OTHER_SERVICES, N_("Moved to other services")),
    (CaseExitReason.ENDED_BY_AUTHORITY, N_("Ended by the authority")),
    (CaseExitReason.OTHER, N_("Other reason")),
    (CaseStatus.OPEN, N_("Open")),
    (CaseStatus.CLOSED, N_("Closed")),
])

# Why an arrival goes ahead in the queue.
PRIORITY_REASONS: dict[str, str] = {
    "appointment": N_("Appointment check-in"),
    "accessibility": N_("Accessibility need"),
    "other": N_("Other reason"),
}

# Appointment types and statuses (the calendar, the customer card, the letter).
APPOINTMENT_LABELS: CodeLabels = CodeLabels([
    (AppointmentType.INITIAL_INTERVIEW, N_("Initial interview")),
    (AppointmentType.JOB_SEARCH_CONVERSATION, N_("Job-search conversation")),
    (AppointmentType.PLAN_REVIEW, N_("Plan review")),
    (AppointmentType.MULTI_PROFESSIONAL, N_("Multi-professional meeting")),
    (AppointmentType.SUPPLEMENTARY_CONVERSATION, N_("Supplementary conversation")),
    (AppointmentType.OTHER, N_("Other appointment")),
    (AppointmentStatus.BOOKED, N_("Booked")),
    (AppointmentStatus.ARRIVED, N_("Arrived")),
    (AppointmentStatus.DONE, N_("Held")),
    (AppointmentStatus.NO_SHOW, N_("No-show")),
    (AppointmentStatus.CANCELLED, N_("Cancelled")),
])
LABELS.update(APPOINTMENT_LABELS)

# Purchased services, referrals, decisions and the follow-up of their effect (#20).
SERVICE_LABELS: CodeLabels = CodeLabels([
    (ServiceKind.INDIVIDUAL_COACHING, N_("Individual coaching")),
    (ServiceKind.GROUP_COACHING, N_("Group coaching")),
    (ServiceKind.EXPERT_ASSESSMENT, N_("Expert assessment")),
    (ServiceKind.LABOUR_MARKET_TRAINING, N_("Labour-market training")),
    (ServiceKind.WORK_ABILITY_ASSESSMENT, N_("Work-ability assessment")),
    (ServiceKind.CAREER_GUIDANCE, N_("Career guidance")),
    (ServiceKind.OTHER, N_("Other service")),
    (PlacesPeriod.CONTRACT, N_("for the contract period")),
    (PlacesPeriod.YEAR, N_("per year")),
    (PlacesPeriod.QUARTER, N_("per quarter")),
    (PlacesPeriod.MONTH, N_("per month")),
    (ReferralState.PROPOSED, N_("Proposed")),
    (ReferralState.SENT, N_("Sent")),
    (ReferralState.ACCEPTED, N_("Accepted")),
    (ReferralState.DECLINED, N_("Declined")),
    (ReferralState.STARTED, N_("Started")),
    (ReferralState.INTERRUPTED, N_("Interrupted")),
    (ReferralState.COMPLETED, N_("Completed")),
    (ReferralEndReason.NO_PLACES, N_("No places")),
    (ReferralEndReason.NOT_SUITABLE, N_("Not suitable for the service")),
    (ReferralEndReason.CUSTOMER_DECLINED, N_("The customer declined")),
    (ReferralEndReason.EMPLOYED, N_("Found work")),
    (ReferralEndReason.STUDIES, N_("Started studies")),
    (ReferralEndReason.HEALTH, N_("Health reasons")),
    (ReferralEndReason.PROVIDER_ENDED, N_("The provider ended it")),
    (ReferralEndReason.OTHER, N_("Other reason")),
    (DecisionKind.PAY_SUBSIDY, N_("Pay subsidy")),
    (DecisionKind.WORK_TRIAL, N_("Work trial")),
    (DecisionKind.TRAINING_TRIAL, N_("Training trial")),
    (DecisionKind.START_UP_GRANT, N_("Start-up grant")),
    (DecisionStatus.DRAFT, N_("Draft")),
    (DecisionStatus.DECIDED, N_("Decided")),
    (DecisionStatus.ENDED, N_("Ended early")),
    (DecisionStatus.REPLACED, N_("Replaced")),
    (FollowupSituation.EMPLOYED_OPEN_MARKET, N_("Employed in the open labour market")),
    (FollowupSituation.EMPLOYED_SUPPORTED, N_("Employed with support")),
    (FollowupSituation.STUDIES, N_("Studies")),
    (FollowupSituation.UNEMPLOYED, N_("Unemployed")),
    (FollowupSituation.OTHER_SERVICES, N_("In other services")),
    (FollowupSituation.UNKNOWN, N_("Not known")),
])
LABELS.update(SERVICE_LABELS)

EMPLOYER_LABELS: CodeLabels = CodeLabels([
    (EmployerSize.MICRO, N_("Fewer than 10 employees")),
    (EmployerSize.SMALL, N_("10-49 employees")),
    (EmployerSize.MEDIUM, N_("50-249 employees")),
    (EmployerSize.LARGE, N_("250 or more employees")),
    (EmployerChannel.VISIT, N_("Visit to the employer")),
    (EmployerChannel.PHONE, N_("Phone call")),
    (EmployerChannel.EMAIL, N_("E-mail")),
    (EmployerChannel.MEETING, N_("Meeting at the service point")),
    (EmployerChannel.EVENT, N_("Event")),
    (EmployerTopic.RECRUITMENT, N_("Recruitment need")),
    (EmployerTopic.PAY_SUBSIDY, N_("Pay subsidy")),
    (EmployerTopic.TRAINING, N_("Training")),
    (EmployerTopic.CHANGE_SECURITY, N_("Change security")),
    (EmployerTopic.OTHER, N_("Other topic")),
    (VacancyStatus.OPEN, N_("Open")),
    (VacancyStatus.FILLED, N_("Filled")),
    (VacancyStatus.CLOSED, N_("Closed without a hire")),
    (VacancyStatus.CANCELLED, N_("Cancelled")),
    (VacancyHours.FULL_TIME, N_("Full-time")),
    (VacancyHours.PART_TIME, N_("Part-time")),
    (VacancyHours.SHIFTS, N_("Shift work")),
    (VacancyHours.OTHER, N_("Other working hours")),
    (ProposalOutcome.PROPOSED, N_("Proposed")),
    (ProposalOutcome.APPLIED, N_("Applied")),
    (ProposalOutcome.INTERVIEWED, N_("Interviewed")),
    (ProposalOutcome.HIRED, N_("Hired")),
    (ProposalOutcome.NOT_CHOSEN, N_("Not chosen")),
])
LABELS.update(EMPLOYER_LABELS)

EVENT_LABELS: CodeLabels = CodeLabels([
    (EventKind.SERVICE_INFO, N_("Service info")),
    (EventKind.RECRUITMENT, N_("Recruitment event")),
    (EventKind.INTERVIEWS, N_("Job interviews")),
    (EventKind.GROUP_COACHING, N_("Group coaching")),
    (EventKind.STARTUP_MORNING, N_("Start-up morning")),
    (EventKind.OTHER, N_("Other event")),
    (EventStatus.PLANNED, N_("Planned")),
    (EventStatus.CANCELLED, N_("Cancelled")),
    (ParticipantStatus.INVITED, N_("Invited")),
    (ParticipantStatus.REGISTERED, N_("Registered")),
    (ParticipantStatus.WAITING, N_("On the waiting list")),
    (ParticipantStatus.CANCELLED, N_("Cancelled")),
    (ParticipantStatus.DECLINED, N_("Declined")),
    (CheckInVia.LIST, N_("From the list")),
    (CheckInVia.QUEUE, N_("At the queue")),
])
LABELS.update(EVENT_LABELS)


class MessageKind(StrEnum):
    """What a message to a customer is (#23). The messenger makes the first six from the
    rows desks write; a worker asks for the last three."""

    CONFIRMATION = "confirmation"  # an appointment booked
    REMINDER = "reminder"  # the day before
    MOVED = "moved"  # the appointment moved (a rescheduled booking)
    CANCELLED = "cancelled"  # the appointment cancelled, with no new time
    EVENT_INVITATION = "event_invitation"
    EVENT_REMINDER = "event_reminder"  # the day before a session one is registered for
    LETTER = "letter"  # a letter the worker chose to send by e-mail (a PDF)
    PLAN = "plan"  # the employment plan as an encrypted PDF, by e-mail only
    PASSWORD = "password"  # the plan's password by SMS, when the worker chose that


class MessageChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    PRINT = "print"  # no agreed channel with an address: a letter in the print list


class MessageStatus(StrEnum):
    """queued (due at due_at) -> claimed (a messenger holds it, not yet handed over) ->
    sending (being handed to the channel) -> sent -> delivered (where the channel says);
    failed (with the reason; a person may queue it again); held (the messenger cannot
    tell whether a send went through: a person decides); cancelled (no longer wanted:
    the appointment moved, opt-out); printed (a print-list letter handed out)."""

    QUEUED = "queued"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    HELD = "held"
    CANCELLED = "cancelled"
    PRINTED = "printed"


class ConsentHow(StrEnum):
    """How the customer gave their contact preferences."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    SIGNED = "signed"
    ONLINE = "online"


MESSAGE_LABELS: CodeLabels = CodeLabels([
    (MessageKind.CONFIRMATION, N_("Booking confirmation")),
    (MessageKind.REMINDER, N_("Reminder")),
    (MessageKind.MOVED, N_("Appointment moved")),
    (MessageKind.CANCELLED, N_("Appointment cancelled")),
    (MessageKind.EVENT_INVITATION, N_("Event invitation")),
    (MessageKind.EVENT_REMINDER, N_("Event reminder")),
    (MessageKind.LETTER, N_("Letter by e-mail")),
    (MessageKind.PLAN, N_("Employment plan by e-mail")),
    (MessageKind.PASSWORD, N_("Password by SMS")),
    (MessageChannel.EMAIL, N_("E-mail")),
    (MessageChannel.SMS, N_("Text message")),
    (MessageChannel.PRINT, N_("Printed letter")),
    (MessageStatus.QUEUED, N_("Waiting to be sent")),
    (MessageStatus.CLAIMED, N_("Being sent")),
    (MessageStatus.SENDING, N_("Being sent")),
    (MessageStatus.SENT, N_("Sent")),
    (MessageStatus.DELIVERED, N_("Delivered")),
    (MessageStatus.FAILED, N_("Failed")),
    (MessageStatus.HELD, N_("Held for a decision")),
    (MessageStatus.CANCELLED, N_("Not sent")),
    (MessageStatus.PRINTED, N_("Printed")),
    (ConsentHow.IN_PERSON, N_("In person")),
    (ConsentHow.PHONE, N_("By phone")),
    (ConsentHow.SIGNED, N_("Signed")),
    (ConsentHow.ONLINE, N_("Online")),
])
LABELS.update(MESSAGE_LABELS)


class PartnerKind(StrEnum):
    """The kinds of partner organisation the area works with (#24)."""

    WELLBEING_COUNTY = "wellbeing_county"  # hyvinvointialue: social work, health care
    KELA = "kela"
    OHJAAMO = "ohjaamo"
    SCHOOL = "school"  # an educational institution: career guidance at Osaamo
    TYOKANAVA = "tyokanava"
    THIRD_SECTOR = "third_sector"
    OTHER_ORGANISATION = "other_organisation"


class ConsentInfo(StrEnum):
    """What information a customer agrees to share with a partner (#24). A consent lists
    one or more; each sharing action names the one it needs (app/rules/partners.py)."""

    CONTACT = "contact"  # identity and contact details
    PLAN = "plan"  # the plan, its meetings and the services agreed in them
    WORK_ABILITY = "work_ability"  # work ability and health
    BENEFITS = "benefits"  # unemployment benefits and their days


PARTNER_LABELS: CodeLabels = CodeLabels([
    (PartnerKind.WELLBEING_COUNTY, N_("Wellbeing services county")),
    (PartnerKind.KELA, N_("Kela")),
    (PartnerKind.OHJAAMO, N_("Ohjaamo")),
    (PartnerKind.SCHOOL, N_("Educational institution")),
    (PartnerKind.TYOKANAVA, N_("Työkanava")),
    (PartnerKind.THIRD_SECTOR, N_("Third-sector organisation")),
    (PartnerKind.OTHER_ORGANISATION, N_("Other organisation")),
    (ConsentInfo.CONTACT, N_("Identity and contact details")),
    (ConsentInfo.PLAN, N_("Plans and meetings")),
    (ConsentInfo.WORK_ABILITY, N_("Work ability and health")),
    (ConsentInfo.BENEFITS, N_("Benefits")),
])
LABELS.update(PARTNER_LABELS)
