"""SQLAlchemy models of the whole domain. Importing this package registers every table."""

from app.models.audit import AuditEvent
from app.models.base import Base, Synced, new_id, synced_tables, utcnow
from app.models.calendar import CalendarOverride, WorkingHours
from app.models.coaching import CoachAssignment, CustomerBarrier
from app.models.customer import (
    CaseFacts,
    Customer,
    CustomerMerge,
    CustomerNote,
    JobSearchPeriod,
    UnemploymentPeriod,
    case_facts_id,
    first_period_id,
)
from app.models.employer import (
    Employer,
    EmployerContact,
    EmployerPerson,
    JobProposal,
    Vacancy,
)
from app.models.event import (
    AnnualTheme,
    Event,
    EventAttendance,
    EventParticipant,
    EventSession,
    Room,
)
from app.models.feedback import Feedback, FeedbackReplyRequest
from app.models.local import LocalSetting, OutboxEntry
from app.models.message import ContactPreference, Message, MessageTemplate, MessengerHeartbeat
from app.models.org import ServicePoint, Staff, StaffCredential, Team
from app.models.partner import (
    CustomerConsent,
    MeetingParticipant,
    MeetingTask,
    PartnerOrg,
    PartnerPerson,
    PlanParticipant,
)
from app.models.plan import Plan, PlanAction, PlanGoal, PlannedService, PlanVersion
from app.models.purchased import (
    ContractPlace,
    EffectFollowup,
    Referral,
    ServiceContract,
    ServiceProvider,
    SupportDecision,
    followup_id,
)
from app.models.settings import AreaSetting
from app.models.sync import SyncConflict
from app.models.visit import Appointment, DeskDuty, OfferedService, QueueTicket, Visit

__all__ = [
    "AnnualTheme",
    "Appointment",
    "AreaSetting",
    "AuditEvent",
    "Base",
    "CalendarOverride",
    "CaseFacts",
    "CoachAssignment",
    "ContactPreference",
    "ContractPlace",
    "Customer",
    "CustomerBarrier",
    "CustomerConsent",
    "CustomerMerge",
    "CustomerNote",
    "DeskDuty",
    "EffectFollowup",
    "Employer",
    "EmployerContact",
    "EmployerPerson",
    "Event",
    "EventAttendance",
    "EventParticipant",
    "EventSession",
    "Feedback",
    "FeedbackReplyRequest",
    "JobProposal",
    "JobSearchPeriod",
    "LocalSetting",
    "MeetingParticipant",
    "MeetingTask",
    "Message",
    "MessageTemplate",
    "MessengerHeartbeat",
    "OfferedService",
    "OutboxEntry",
    "PartnerOrg",
    "PartnerPerson",
    "Plan",
    "PlanAction",
    "PlanGoal",
    "PlanParticipant",
    "PlanVersion",
    "PlannedService",
    "QueueTicket",
    "Referral",
    "Room",
    "ServiceContract",
    "ServicePoint",
    "ServiceProvider",
    "Staff",
    "StaffCredential",
    "SupportDecision",
    "SyncConflict",
    "Synced",
    "Team",
    "UnemploymentPeriod",
    "Vacancy",
    "Visit",
    "WorkingHours",
    "case_facts_id",
    "first_period_id",
    "followup_id",
    "new_id",
    "synced_tables",
    "utcnow",
]
