"""The data step of the upgrade that brought job-search periods and case facts (central
c0060, local 0060): both run it, and derive the same row ids, so a workstation's own
rows and the ones it later pulls are the same rows."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from app.models.customer import case_facts_id, first_period_id

_CUSTOMER = sa.table(
    "customer", sa.column("id", sa.String), sa.column("jobseeker_registered_on", sa.Date),
    sa.column("updated_at", sa.DateTime), sa.column("active", sa.Boolean),
    sa.column("partial_work_ability", sa.Boolean), sa.column("deleted_at", sa.DateTime),
    sa.column("erased_at", sa.DateTime))
_PERIOD = sa.table("job_search_period", *(sa.column(c) for c in (
    "id", "customer_id", "opened_on", "closed_on", "exit_reason", "updated_at", "version",
    "hlc")))
_FACTS = sa.table("case_facts", *(sa.column(c) for c in (
    "id", "customer_id", "partial_work_ability", "updated_at", "version", "hlc")))


def first_periods_and_facts(conn: sa.Connection) -> None:
    """Every customer gets their first period (open; closed as "other" when already
    inactive), and partial work ability moves from the customer row, which the desk
    reads, to the case facts, which it does not."""
    now = datetime.now(UTC).replace(tzinfo=None)
    c = _CUSTOMER.c
    customers = conn.execute(
        sa.select(c.id, c.jobseeker_registered_on, c.updated_at, c.active,
                  c.partial_work_ability)
        .where(c.deleted_at.is_(None), c.erased_at.is_(None))).all()
    periods, facts = [], []
    for cid, registered, updated, active, partial in customers:
        opened = registered or updated.date()
        periods.append({"id": first_period_id(cid), "customer_id": cid, "opened_on": opened,
                        "closed_on": None if active else max(opened, updated.date()),
                        "exit_reason": None if active else "other", "updated_at": now,
                        "version": 0, "hlc": ""})
        if partial:
            facts.append({"id": case_facts_id(cid), "customer_id": cid,
                          "partial_work_ability": True, "updated_at": now, "version": 0,
                          "hlc": ""})
    if periods:
        conn.execute(_PERIOD.insert(), periods)
    if facts:
        conn.execute(_FACTS.insert(), facts)
    conn.execute(sa.update(_CUSTOMER).where(c.partial_work_ability.is_(True))
                 .values(partial_work_ability=False))
