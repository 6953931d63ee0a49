"""The drill-down (#25): from a figure of a report to the customers behind it
(ReportTable.members), for those allowed to see them, masked as the register masks them.

- Team leads and administrators: every customer of the area (everything they may read).
- A coach: only the customers of their own caseload (the issue's line: not their team's
  too, which app/rules/case_access.py lets them read for cover); the others behind the
  figure are only counted ("and 4 more outside your caseload").
- Anyone else (the desk): nobody; the figures are not theirs (reports.read).

Opening the list is audited like a read of customers: the report, the cell and how many
were shown, never who (no personal data in the trail)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from app.dto.drilldown import Drilldown, DrilldownRow
from app.models import Customer, ServicePoint, Staff
from app.rules import hetu as hetu_rules
from app.rules.case_access import sees_all
from app.rules.codes import Role
from app.rules.permissions import Permission

CHUNK = 500  # ids per query: well under SQLite's limit of bound parameters


def customers_behind(ctx: Any, report: str, row: int, column: str,
                     customer_ids: Sequence[str]) -> Drilldown:
    actor = ctx.require(Permission.CUSTOMER_READ)
    wanted = list(dict.fromkeys(customer_ids))  # a customer counted twice shows once
    coach_only = not sees_all(actor.role)
    found: list[Any] = []
    with ctx.transaction(Permission.CUSTOMER_READ) as s:
        for at in range(0, len(wanted), CHUNK):
            found += s.execute(
                select(Customer.id, Customer.customer_number, Customer.first_names,
                       Customer.last_name, Customer.hetu, ServicePoint.name,
                       Staff.full_name, Customer.active, Customer.coach_id,
                       Customer.sort_name)
                .join(ServicePoint, ServicePoint.id == Customer.service_point_id)
                .outerjoin(Staff, Staff.id == Customer.coach_id)
                .where(Customer.deleted_at.is_(None),
                       Customer.id.in_(wanted[at:at + CHUNK]))).all()
        if sees_all(actor.role):
            visible = found
        elif actor.role == Role.COACH:
            visible = [r for r in found if r.coach_id == actor.staff_id]
        else:
            visible = []
        visible.sort(key=lambda r: (r.sort_name, r.id))
        ctx.audit(s, "report.drilldown", "report", None, {
            "report": report, "row": row, "column": column, "customers": len(wanted),
            "shown": len(visible)})
    rows = tuple(DrilldownRow(r.id, r.customer_number, f"{r.last_name}, {r.first_names}",
                              hetu_rules.masked(r.hetu), r.name, r.full_name, r.active)
                 for r in visible)
    return Drilldown(rows, hidden=len(found) - len(visible), gone=len(wanted) - len(found),
                     own_caseload_only=coach_only)
