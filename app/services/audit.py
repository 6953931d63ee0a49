"""The audit trail as team leads read it: who has looked at or changed a customer's
data, when, and where. Local events plus, online, the central trail (read with the
team lead's own role, which the central row-level security lets read it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, or_, select

from app.db.central_schema import central_table
from app.models import AuditEvent, Plan, PlanVersion, QueueTicket, Staff, Visit
from app.rules.permissions import Permission
from app.services.context import AppContext


@dataclass(frozen=True)
class AccessRow:
    at: datetime
    staff_name: str
    workstation: str
    action: str
    entity: str


class AuditService:
    def __init__(self, ctx: AppContext,
                 central_url: Callable[[], str | None] = lambda: None) -> None:
        self.ctx = ctx
        self.central_url = central_url  # the signed-in session's URL, when online

    def access_log(self, customer_id: str) -> list[AccessRow]:
        """Every audit event about this customer (their record, plans, visits, tickets),
        newest first. Reading the log is itself audited."""
        with self.ctx.transaction(Permission.AUDIT_READ) as s:
            related = self._related_ids(s, customer_id)
            events = {e.id: e for e in s.scalars(
                select(AuditEvent).where(_about(AuditEvent.__table__, related)))}
            names = dict(s.execute(select(Staff.id, Staff.full_name)).all())
            self.ctx.audit(s, "audit.read", "customer", customer_id)
        rows = {
            e.id: AccessRow(e.at, names.get(e.staff_id or "", e.staff_id or "?"),
                            e.workstation, e.action, e.entity)
            for e in events.values()
        }
        for key, row in self._central(related, names).items():
            rows.setdefault(key, row)
        return sorted(rows.values(), key=lambda r: r.at, reverse=True)

    def _related_ids(self, s, customer_id: str) -> dict[str, list[str]]:
        plans = list(s.scalars(select(Plan.id).where(Plan.customer_id == customer_id)))
        return {
            "customer": [customer_id],
            "plan": plans,
            "plan_version": list(s.scalars(select(PlanVersion.id).where(
                PlanVersion.plan_id.in_(plans)))),
            "visit": list(s.scalars(select(Visit.id).where(Visit.customer_id == customer_id))),
            "queue_ticket": list(s.scalars(select(QueueTicket.id).where(
                QueueTicket.customer_id == customer_id))),
        }

    def _central(self, related: dict[str, list[str]],
                 names: dict[str, str]) -> dict[str, AccessRow]:
        url = self.central_url()
        if not url:
            return {}
        from sqlalchemy.exc import DBAPIError

        from app.sync.engine import central_engine

        engine: Engine = central_engine(url)
        table = central_table("audit_event")
        try:
            with engine.connect() as conn:
                found = conn.execute(select(table).where(_about(table, related))).mappings()
                return {r["id"]: AccessRow(r["at"], names.get(r["staff_id"] or "", "?"),
                                           r["workstation"], r["action"], r["entity"])
                        for r in found}
        except (DBAPIError, OSError):
            return {}  # offline: this workstation's events only
        finally:
            engine.dispose()


def _about(table, related: dict[str, list[str]]):
    return or_(*[and_(table.c.entity == entity, table.c.entity_id.in_(ids))
                 for entity, ids in related.items() if ids])
