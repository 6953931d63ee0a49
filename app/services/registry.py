"""All services over one local database: what the composition root hands the views."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.models import Customer
from app.services.appointments import AppointmentService
from app.services.area_lookup import AreaLookupService
from app.services.audit import AuditService
from app.services.auth import AuthService
from app.services.calendar_settings import CalendarSettingsService
from app.services.case_facts import CaseFactsService
from app.services.case_notes import CaseNoteService
from app.services.case_periods import CasePeriodService
from app.services.coaching import CoachingService
from app.services.context import AppContext
from app.services.customer_import import CustomerImportService
from app.services.customer_merge import CustomerMergeService
from app.services.customers import CustomerService
from app.services.decisions import DecisionService
from app.services.effect_followups import EffectFollowupService
from app.services.employer_import import EmployerImportService
from app.services.employers import EmployersService
from app.services.events import EventService
from app.services.feedback import FeedbackService
from app.services.meetings import MeetingService
from app.services.messages import MessageService
from app.services.partners import ConsentService, PartnerService
from app.services.plans import PlanService
from app.services.provider_import import ProviderImportService
from app.services.providers import ProvidersService
from app.services.queue import QueueService
from app.services.queue_services import QueueServiceAdmin
from app.services.referrals import ReferralService
from app.services.reports import ReportService
from app.services.reports.targets import TargetsService
from app.services.rights import RightsService
from app.services.rooms import RoomService
from app.services.session import SessionInfo
from app.services.settings import SettingsService
from app.services.setup import SetupService
from app.services.staff import StaffService
from app.services.statutory_clock import StatutoryClockService
from app.services.sync import SyncService
from app.services.vacancies import VacanciesService
from app.services.visits import VisitService
from app.sync.outbox import collect_written_tables

# Written by app.demo when it fills the database; read by is_demo().
DEMO_MARKER = "demo_seed"

# `with tables_written() as tables:` around service calls collects the names of the
# synchronised tables they wrote on this thread (each outbox entry's table): after a
# write the views show again only what changed, without knowing of SQLAlchemy.
tables_written = collect_written_tables


class Services:
    """Every service over one context. Each is made from the context (and the settings
    where it reads area settings), so adding a service is one line here."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        # The views' window on the session (who, and the clock): no database in it.
        self.session = SessionInfo(lambda: ctx.actor, lambda: ctx.now(), ctx.today)
        self.auth = AuthService(ctx)
        self.customers = CustomerService(ctx)
        self.queue = QueueService(ctx)
        self.visits = VisitService(ctx)
        self.plans = PlanService(ctx)
        self.meetings = MeetingService(ctx)
        self.sync = SyncService(ctx)
        self.settings = SettingsService(ctx)
        self.appointments = AppointmentService(ctx)
        self.coaching = CoachingService(ctx)
        self.customer_merge = CustomerMergeService(ctx)
        self.case_notes = CaseNoteService(ctx)
        self.case_facts = CaseFactsService(ctx)
        self.case_periods = CasePeriodService(ctx)
        self.decisions = DecisionService(ctx)
        self.clock = StatutoryClockService(ctx)
        self.followups = EffectFollowupService(ctx)
        self.customer_import = CustomerImportService(ctx)
        self.providers = ProvidersService(ctx)
        self.provider_import = ProviderImportService(ctx)
        self.employers = EmployersService(ctx)
        self.employer_import = EmployerImportService(ctx)
        self.vacancies = VacanciesService(ctx)
        self.feedback = FeedbackService(ctx, self.settings)
        self.reports = ReportService(ctx, self.settings)
        self.targets = TargetsService(ctx, self.settings)
        self.staff = StaffService(ctx)
        self.rights = RightsService(ctx)
        self.referrals = ReferralService(ctx)
        self.calendar_settings = CalendarSettingsService(ctx)
        self.events = EventService(ctx)
        self.rooms = RoomService(ctx)
        # Each point's queue services (#24): administrators keep them.
        self.queue_services = QueueServiceAdmin(ctx)
        self.messages = MessageService(ctx)
        self.partners = PartnerService(ctx)
        self.consents = ConsentService(ctx)
        # The access log reads the central trail with the signed-in person's own role.
        self.audit = AuditService(ctx, lambda: self.auth.session_url)
        # A customer of another service point, by identity code: the centre's one lookup.
        self.area_lookup = AreaLookupService(ctx, lambda: self.auth.session_url)

    @classmethod
    def open(cls, path: Path, workstation: str = "", check_later: bool = False) -> Services:
        """The services on the local database at `path` (AppContext.open)."""
        return cls(AppContext.open(path, workstation, check_later))

    @property
    def setup(self) -> SetupService:
        """The workstation's first-run setup (stateless, so made on demand)."""
        return SetupService(self.ctx)

    def is_empty(self) -> bool:
        with self.ctx.session_factory() as s:
            return not s.scalar(select(func.count()).select_from(Customer))

    def is_demo(self) -> bool:
        return self.ctx.setting(DEMO_MARKER) is not None

    def close(self) -> None:
        self.ctx.engine.dispose()
