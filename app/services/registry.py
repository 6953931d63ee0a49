"""All services over one local database: what the composition root hands the views."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from app.i18n import HELSINKI
from app.models import Customer, LocalSetting
from app.services.appointments import AppointmentService
from app.services.audit import AuditService
from app.services.auth import AuthService
from app.services.calendar_settings import CalendarSettingsService
from app.services.clock import ClockService
from app.services.coaching import CoachingService
from app.services.context import AppContext
from app.services.customer_import import CustomerImportService
from app.services.customers import CustomerService
from app.services.feedback import FeedbackService
from app.services.plans import PlanService
from app.services.queue import QueueService
from app.services.reports import ReportService
from app.services.rights import RightsService
from app.services.settings import SettingsService
from app.services.setup import SetupService
from app.services.staff import StaffService
from app.services.sync import SyncService
from app.services.visits import VisitService

DEMO_MARKER = "demo_seed"


class Services:
    """Every service over one context. Each is made from the context (and the settings
    where it reads area settings), so adding a service is one line here."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.auth = AuthService(ctx)
        self.customers = CustomerService(ctx)
        self.queue = QueueService(ctx)
        self.visits = VisitService(ctx)
        self.plans = PlanService(ctx)
        self.sync = SyncService(ctx)
        self.settings = SettingsService(ctx)
        self.appointments = AppointmentService(ctx)
        self.coaching = CoachingService(ctx)
        self.clock = ClockService(ctx)
        self.customer_import = CustomerImportService(ctx)
        self.feedback = FeedbackService(ctx, self.settings)
        self.reports = ReportService(ctx, self.settings)
        self.staff = StaffService(ctx)
        self.rights = RightsService(ctx)
        self.calendar_settings = CalendarSettingsService(ctx)
        # The access log reads the central trail with the signed-in person's own role.
        self.audit = AuditService(ctx, lambda: self.auth.session_url)

    @classmethod
    def open(cls, path: Path, workstation: str = "") -> Services:
        return cls(AppContext.open(path, workstation))

    @property
    def setup(self) -> SetupService:
        """The workstation's first-run setup (stateless, so made on demand)."""
        return SetupService(self.ctx)

    def is_empty(self) -> bool:
        with self.ctx.session_factory() as s:
            return not s.scalar(select(func.count()).select_from(Customer))

    def is_demo(self) -> bool:
        return self.ctx.setting(DEMO_MARKER) is not None

    def build_demo(
        self,
        seed: int = 1,
        scale: float = 1.0,
        progress: Callable[[str, float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> object:
        """Fill an empty database with the demo area (see services.demo)."""
        from app.services.demo import build_demo

        local_now = self.ctx.now().astimezone(HELSINKI)
        summary = build_demo(
            self.ctx.engine, seed=seed, scale=scale, progress=progress, cancel=cancel,
            today=local_now.date(), queue_now=local_now.hour * 60 + local_now.minute,
        )
        with self.ctx.session_factory.begin() as s:
            s.merge(LocalSetting(key=DEMO_MARKER, value=f"{seed}:{scale}"))
        with self.ctx.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")  # statistics for the planner after a bulk load
        return summary

    def close(self) -> None:
        self.ctx.engine.dispose()
