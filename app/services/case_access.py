"""The caseload rule (app/rules/case_access.py) applied to one customer in a session: the
services of plans and barriers call this before they show or change a customer's case."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import N_
from app.models import Customer, Staff
from app.rules import case_access as caseload
from app.rules.permissions import Permission
from app.services.context import Actor
from app.services.errors import NotFound, PermissionDenied


def case_of(s: Session, customer_id: str) -> caseload.Case:
    row = s.execute(select(Customer.coach_id, Customer.service_point_id)
                    .where(Customer.id == customer_id)).first()
    if row is None:
        raise NotFound(N_("The customer was not found."))
    team = s.scalar(select(Staff.team_id).where(Staff.id == row.coach_id)) \
        if row.coach_id else None
    return caseload.Case(row.coach_id, team, row.service_point_id)


def worker(actor: Actor) -> caseload.Worker:
    return caseload.Worker(actor.staff_id, actor.role, actor.service_point_id, actor.team_id)


def check_read(s: Session, actor: Actor, customer_id: str, permission: Permission) -> None:
    if not caseload.may_read(worker(actor), case_of(s, customer_id), permission):
        raise PermissionDenied(N_("This customer's case belongs to another coach's "
                                  "caseload: their coach and their team see it."))


def check_write(s: Session, actor: Actor, customer_id: str, permission: Permission) -> None:
    if not caseload.may_write(worker(actor), case_of(s, customer_id), permission):
        raise PermissionDenied(N_("Only the customer's own coach (or a team lead) changes "
                                  "their case. Take the customer on first if they are "
                                  "yours now."))
