"""The customer's rights: an extract of everything held on one customer (right of
access, JSON and PDF), and erasure of the personal data when the retention period has
ended (propagated to every workstation, see app/sync/erasure.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, select, update

from app.i18n import N_
from app.models import AuditEvent, Base, Customer, OutboxEntry, Staff
from app.rules import erasure as spec
from app.rules.permissions import Permission
from app.services.context import AppContext
from app.services.errors import Conflict, NotFound
from app.sync import erasure

SYNC_COLUMNS = ("version", "hlc", "updated_by")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


# A customer's rows that an erasure leaves (no free text in them) but an extract shows.
OWNED_UNSCRUBBED = ("effect_followup", "event_participant", "event_attendance")


class RightsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- right of access ----------------------------------------------------------------

    def extract(self, customer_id: str) -> dict[str, Any]:
        """Everything held on the customer on this workstation: their record, every row
        that belongs to them (notes of every kind, plans and their content, periods,
        visits, tickets, appointments) and who has handled their data (the audit trail).
        JSON-ready: plain values only."""
        with self.ctx.transaction(Permission.CUSTOMER_EXTRACT) as s:
            tables = Base.metadata.tables
            customer = tables["customer"]
            conn = s.connection()
            row = conn.execute(select(customer).where(customer.c.id == customer_id)
                               ).mappings().first()
            if row is None:
                raise NotFound(N_("No such customer."))
            sections: dict[str, list[dict[str, Any]]] = {"customer": [self._row(row)]}
            for name, how, _assign in reversed(spec.SCRUB):  # parents first
                table = tables[name]
                rows = conn.execute(select(table).where(
                    erasure._owned(table, how, customer_id)).order_by(table.c.id)).mappings()
                sections[name] = [self._row(r) for r in rows]
            # Rows with no free text, so not scrubbed, but theirs: where the customer was
            # after a service or decision (#20), the event lists they were on and the
            # sessions they attended (#21).
            for name in OWNED_UNSCRUBBED:
                table = tables[name]
                sections[name] = [self._row(r) for r in conn.execute(
                    select(table).where(table.c.customer_id == customer_id)
                    .order_by(table.c.updated_at, table.c.id)).mappings()]
            names = dict(s.execute(select(Staff.id, Staff.full_name)).all())
            related = {"customer": [customer_id]} | {
                name: [r["id"] for r in sections[name]] for name, _h, _a in spec.SCRUB}
            audit = AuditEvent.__table__
            events = conn.execute(select(audit).where(
                _about(audit, related)).order_by(audit.c.at)).mappings()
            sections["audit_event"] = [
                {"at": _plain(e["at"]), "staff": names.get(e["staff_id"] or "", ""),
                 "workstation": e["workstation"], "action": e["action"],
                 "entity": e["entity"]} for e in events]
            self.ctx.audit(s, "customer.extract", "customer", customer_id)
        return {"customer_id": customer_id, "made_at": _plain(self.ctx.now()),
                "made_by": self.ctx.actor.full_name if self.ctx.actor else "",
                "sections": sections}

    @staticmethod
    def _row(row: Any) -> dict[str, Any]:
        return {k: _plain(v) for k, v in row.items() if k not in SYNC_COLUMNS}

    # --- erasure ------------------------------------------------------------------------

    def retention_ends(self, customer_id: str) -> date:
        """The day the retention period ends: `retention_years` after the last activity
        (the record's last change, the latest visit, ticket or plan change)."""
        with self.ctx.reading() as s:
            return self._retention_ends(s, customer_id)

    def _retention_ends(self, s: Any, customer_id: str) -> date:
        from app.services.settings import SettingsService

        years = int(SettingsService(self.ctx).get("retention_years"))
        tables = Base.metadata.tables
        latest = [s.scalar(select(Customer.updated_at).where(Customer.id == customer_id))]
        for name, how, _assign in spec.SCRUB:
            table: Table = tables[name]
            latest.append(s.scalar(select(func.max(table.c.updated_at)).where(
                erasure._owned(table, how, customer_id))))
        last = max(v for v in latest if v is not None)
        last_day = last.date()
        try:
            return last_day.replace(year=last_day.year + years)
        except ValueError:  # 29 February
            return last_day.replace(year=last_day.year + years, day=28)

    def erase(self, customer_id: str) -> None:
        """Erase the customer's personal data here; the change travels to the centre,
        whose trigger scrubs every dependent row there, and from there to every
        workstation. Only a closed case whose retention period has ended: closing it
        is the case's last activity, so retention counts from then at the earliest."""
        with self.ctx.transaction(Permission.CUSTOMER_ERASE) as s:
            customer = s.get(Customer, customer_id)
            if customer is None or customer.erased_at is not None:
                raise NotFound(N_("No such customer."))
            if customer.active:  # the case is open (services/case_periods.py)
                raise Conflict(N_("The customer's case is open: close it (with its reason) "
                                  "before erasing their data."))
            ends = self._retention_ends(s, customer_id)
            if self.ctx.today() < ends:
                raise Conflict(N_("The retention period has not ended yet."))
            now = self.ctx.now()
            # First this copy's dependent rows, and away with pending edits of them...
            erasure.scrub_local(s.connection(), [customer_id], now)
            # ...then the customer row as a synchronised change (its outbox entry).
            for key, value in spec.CUSTOMER.items():
                setattr(customer, key, now if value is spec.NOW else value)
            customer.erased_at = now
            s.flush()
            # The outbox keeps the old values of a change for the merge; not these.
            outbox = OutboxEntry.__table__
            s.execute(update(outbox).where(outbox.c.row_id == customer_id)
                      .values(base_values="{}"))
            self.ctx.audit(s, "customer.erase", "customer", customer_id,
                           {"retention_ended": ends.isoformat()})


def _about(table: Table, related: dict[str, list[str]]):
    from sqlalchemy import and_, or_

    return or_(*[and_(table.c.entity == entity, table.c.entity_id.in_(ids))
                 for entity, ids in related.items() if ids])
