"""Case work (plans, case notes, barriers) by caseload and team: who may read and who may
write one customer's case. The central database holds the same line in SQL
(app/db/central_trust.py, desk_case_readable / desk_case_writable); a test evaluates both
for every role and kind of customer and requires the same answers.

- Team leads and administrators: every customer of the area.
- The customer's own coach writes and reads. While a customer has no coach, any coach of
  the customer's service point may (someone has to start the plan).
- The other coaches of the coach's team read, never write (covering for a colleague).
- Everyone else, and a role without the permission: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.rules.codes import Role
from app.rules.permissions import Permission, allowed


@dataclass(frozen=True)
class Worker:
    staff_id: str
    role: Role
    service_point_id: str
    team_id: str | None


@dataclass(frozen=True)
class Case:
    """Whose the customer is: their coach (and the coach's team) and service point."""

    coach_id: str | None
    coach_team_id: str | None
    service_point_id: str


def sees_all(role: Role) -> bool:
    return role in (Role.TEAM_LEAD, Role.ADMIN)


def _own(worker: Worker, case: Case) -> bool:
    return case.coach_id == worker.staff_id or (
        case.coach_id is None and case.service_point_id == worker.service_point_id)


def may_read(worker: Worker, case: Case, permission: Permission) -> bool:
    if not allowed(worker.role, permission):
        return False
    if sees_all(worker.role) or _own(worker, case):
        return True
    return worker.team_id is not None and case.coach_team_id == worker.team_id


def may_write(worker: Worker, case: Case, permission: Permission) -> bool:
    if not allowed(worker.role, permission):
        return False
    return sees_all(worker.role) or _own(worker, case)
