"""All services over one local database: what the composition root hands the views."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from app.i18n import HELSINKI
from app.models import Customer, LocalSetting
from app.services.audit import AuditService
from app.services.auth import AuthService
from app.services.context import AppContext
from app.services.customers import CustomerService
from app.services.plans import PlanService
from app.services.queue import QueueService
from app.services.rights import RightsService
from app.services.settings import SettingsService
from app.services.staff import StaffService
from app.services.sync import SyncService
from app.services.visits import VisitService

DEMO_MARKER = "demo_seed"


@dataclass
class Services:
    ctx: AppContext
    auth: AuthService
    customers: CustomerService
    queue: QueueService
    visits: VisitService
    plans: PlanService
    sync: SyncService
    settings: SettingsService
    staff: StaffService | None = None
    audit: AuditService | None = None
    rights: RightsService | None = None

    @classmethod
    def open(cls, path: Path, workstation: str = "") -> Services:
        ctx = AppContext.open(path, workstation)
        auth = AuthService(ctx)
        return cls(ctx=ctx, auth=auth, customers=CustomerService(ctx),
                   queue=QueueService(ctx), visits=VisitService(ctx), sync=SyncService(ctx),
                   plans=PlanService(ctx), settings=SettingsService(ctx),
                   staff=StaffService(ctx),
                   audit=AuditService(ctx, lambda: auth.session_url),
                   rights=RightsService(ctx))

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
