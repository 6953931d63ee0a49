"""Erasing a customer's personal data when the retention period has ended, on every
copy: the erasing workstation scrubs the customer row (a synchronised change with
`erased_at` set); the central database's trigger scrubs every dependent row (generated
from SCRUB below, so both sides scrub the same columns); and each workstation that pulls
the erased customer scrubs its own dependent rows at once and drops pending local edits
of them, so nothing can bring the data back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, null, select, update

from app.models import Base, OutboxEntry
from app.rules.erasure import CUSTOMER, NOW, SCRUB


def _values(assign: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {k: (now if v is NOW else (null() if v is None else v)) for k, v in assign.items()}


def _owned(table, how: str, customer_id: str):
    tables = Base.metadata.tables
    plans = select(tables["plan"].c.id).where(tables["plan"].c.customer_id == customer_id)
    if how == "customer":
        return table.c.customer_id == customer_id
    if how == "plan":
        return table.c.plan_id.in_(plans)
    versions = select(tables["plan_version"].c.id).where(
        tables["plan_version"].c.plan_id.in_(plans))
    return table.c.plan_version_id.in_(versions)


def scrub_local(conn: Connection, customer_ids: list[str], now: datetime) -> int:
    """Scrub this workstation's copy of erased customers (no outbox entries: the centre
    does the same) and drop every pending or rejected local edit of those rows."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    tables = Base.metadata.tables
    outbox = OutboxEntry.__table__
    touched = 0
    for customer_id in customer_ids:
        ids = [customer_id]
        for name, how, assign in SCRUB:
            table = tables[name]
            owned = _owned(table, how, customer_id)
            ids += conn.execute(select(table.c.id).where(owned)).scalars().all()
            touched += conn.execute(update(table).where(owned).values(
                **_values(assign, now))).rowcount or 0
        customer = tables["customer"]
        conn.execute(update(customer).where(customer.c.id == customer_id).values(
            **_values({k: v for k, v in CUSTOMER.items() if k != "deleted_at"}, now)))
        conn.execute(outbox.delete().where(outbox.c.row_id.in_(ids)))
    return touched
