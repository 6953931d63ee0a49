"""Personal coaching: barriers, assigning coaches (with history), caseloads, balancing."""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.dto.coaching import (
    AssignmentRow,
    CaseloadCustomer,
    CaseloadRow,
    Caseloads,
    CoachOption,
    SuggestedMove,
)
from app.i18n import N_
from app.models import CaseFacts, Customer, ServicePoint, Staff, Team
from app.models.coaching import CoachAssignment, CustomerBarrier, barrier_id
from app.rules import caseload as caseload_rules
from app.rules.case_access import Case, may_read
from app.rules.codes import Role
from app.rules.customer import nfc
from app.rules.groups import MANY_BARRIERS, Barrier
from app.rules.permissions import Permission
from app.services import case_access
from app.services.context import AppContext
from app.services.customers import live_customer
from app.services.errors import NotFound, ValidationFailed

# Team leads coach too in some teams, but the caseload cap is about coaches.
COACH_ROLES = (Role.COACH,)
REASON_LIMIT = 400


def _active_customers():
    return (Customer.active.is_(True), Customer.deleted_at.is_(None))


def many_barriers_ids():
    """Customers with three or more barriers ticked (a subquery for list filters)."""
    return (select(CustomerBarrier.customer_id)
            .where(CustomerBarrier.deleted_at.is_(None))
            .group_by(CustomerBarrier.customer_id)
            .having(func.count() >= MANY_BARRIERS))


class CoachingService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- barriers -----------------------------------------------------------------------

    def set_barriers(self, customer_id: str, barriers: set[str]) -> list[str]:
        unknown = barriers - {b.value for b in Barrier}
        if unknown:
            raise ValidationFailed({"barriers": N_("Unknown barrier.")})
        with self.ctx.transaction(Permission.CUSTOMER_BARRIERS) as s:
            live_customer(s, customer_id)
            case_access.check_write(s, self.ctx.signed_in, customer_id,
                                 Permission.CUSTOMER_BARRIERS)
            existing = {row.barrier: row for row in s.scalars(
                select(CustomerBarrier).where(CustomerBarrier.customer_id == customer_id))}
            now = self.ctx.now()
            for barrier in Barrier:
                row = existing.get(barrier.value)
                if barrier.value in barriers:
                    if row is None:
                        s.add(CustomerBarrier(id=barrier_id(customer_id, barrier.value),
                                              customer_id=customer_id, barrier=barrier.value))
                    elif row.deleted_at is not None:
                        row.deleted_at = None
                elif row is not None and row.deleted_at is None:
                    row.deleted_at = now
            self.ctx.audit(s, "customer.barriers", "customer", customer_id,
                           {"barriers": sorted(barriers)})
        return sorted(barriers)

    # --- coach assignment ---------------------------------------------------------------

    def coaches(self) -> list[CoachOption]:
        """Coaches one can assign customers to, with their active caseload."""
        self.ctx.require(Permission.CUSTOMER_READ)
        with self.ctx.reading() as s:
            loads = dict(s.execute(select(Customer.coach_id, func.count())
                                   .where(*_active_customers(), Customer.coach_id.is_not(None))
                                   .group_by(Customer.coach_id)).all())
            rows = s.execute(
                select(Staff.id, Staff.full_name, Staff.team_id, Team.name)
                .outerjoin(Team, Team.id == Staff.team_id)
                .where(Staff.role.in_(COACH_ROLES), Staff.active.is_(True),
                       Staff.deleted_at.is_(None))
                .order_by(Staff.full_name)).all()
        return [CoachOption(sid, name, team, team_name or "", loads.get(sid, 0))
                for sid, name, team, team_name in rows]

    def assign(self, customer_id: str, coach_id: str | None, reason: str) -> AssignmentRow:
        reason = nfc(reason)
        if not reason:
            raise ValidationFailed({"reason": N_("Give the reason for the change.")})
        if len(reason) > REASON_LIMIT:
            raise ValidationFailed({"reason": N_("At most 400 characters.")})
        with self.ctx.transaction(Permission.CUSTOMER_ASSIGN_COACH) as s:
            customer = live_customer(s, customer_id)
            if coach_id is not None:
                coach = s.get(Staff, coach_id)
                if coach is None or not coach.active or coach.role not in COACH_ROLES:
                    raise ValidationFailed({"coach": N_("Choose a coach from the list.")})
            row = self._assign(s, customer, coach_id, reason)
            return self._history_row(s, row)

    def _assign(self, s: Session, customer: Customer, coach_id: str | None,
                reason: str) -> CoachAssignment:
        row = CoachAssignment(customer_id=customer.id, coach_id=coach_id,
                              previous_coach_id=customer.coach_id, reason=reason,
                              assigned_at=self.ctx.now())
        s.add(row)
        customer.coach_id = coach_id
        s.flush()
        self.ctx.audit(s, "customer.assign_coach", "customer", customer.id,
                       {"coach_id": coach_id, "previous_coach_id": row.previous_coach_id,
                        "reason": reason})
        return row

    def history(self, customer_id: str) -> list[AssignmentRow]:
        self.ctx.require(Permission.CUSTOMER_READ)
        with self.ctx.reading() as s:
            rows = s.scalars(select(CoachAssignment)
                             .where(CoachAssignment.customer_id == customer_id)
                             .order_by(CoachAssignment.assigned_at.desc())).all()
            return [self._history_row(s, r) for r in rows]

    @staticmethod
    def _history_row(s: Session, row: CoachAssignment) -> AssignmentRow:
        def name(staff_id: str | None) -> str | None:
            staff = s.get(Staff, staff_id) if staff_id else None
            return staff.full_name if staff else None

        return AssignmentRow(row.assigned_at, name(row.coach_id), name(row.previous_coach_id),
                             row.reason, name(row.updated_by))

    # --- caseloads ----------------------------------------------------------------------

    def caseloads(self, cap: int) -> Caseloads:
        """Every coach's active customers against the cap, per team, and the moves that
        would bring overloaded coaches down to it within their team."""
        self.ctx.require(Permission.CASELOAD_READ)
        with self.ctx.reading() as s:
            loads = dict(s.execute(select(Customer.coach_id, func.count())
                                   .where(*_active_customers(), Customer.coach_id.is_not(None))
                                   .group_by(Customer.coach_id)).all())
            heavy = dict(s.execute(
                select(Customer.coach_id, func.count())
                .where(*_active_customers(), Customer.id.in_(many_barriers_ids()))
                .group_by(Customer.coach_id)).all())
            unassigned = s.scalar(select(func.count()).select_from(Customer).where(
                *_active_customers(), Customer.coach_id.is_(None))) or 0
            staff = s.execute(
                select(Staff.id, Staff.full_name, Staff.team_id, Team.name, ServicePoint.name)
                .outerjoin(Team, Team.id == Staff.team_id)
                .join(ServicePoint, ServicePoint.id == Staff.service_point_id)
                .where(Staff.role.in_(COACH_ROLES), Staff.active.is_(True),
                       Staff.deleted_at.is_(None))
                .order_by(Team.name, Staff.full_name)).all()
        rows = [CaseloadRow(sid, name, team, team_name or "", point, loads.get(sid, 0), cap,
                            heavy.get(sid, 0))
                for sid, name, team, team_name, point in staff]
        teams: dict[str, list[CaseloadRow]] = {}
        for row in rows:
            teams.setdefault(row.team_name, []).append(row)
        team_rows = [(name, len(members), sum(m.active for m in members), cap * len(members))
                     for name, members in teams.items()]
        names = {r.staff_id: r.full_name for r in rows}
        moves = caseload_rules.suggest_moves(
            [caseload_rules.CoachLoad(r.staff_id, r.team_id, r.active) for r in rows], cap)
        suggestions = [SuggestedMove(m.from_staff_id, names[m.from_staff_id], m.to_staff_id,
                                     names[m.to_staff_id], m.count) for m in moves]
        return Caseloads(cap, rows, team_rows, suggestions, unassigned)

    def caseload_customers(self, coach_id: str, many_barriers_only: bool = False,
                           limit: int = 500) -> list[CaseloadCustomer]:
        """One coach's active customers (filtered in SQL: three or more barriers)."""
        from app.rules.clock import days_unemployed

        self.ctx.require(Permission.CASELOAD_READ)
        counts = (select(CustomerBarrier.customer_id, func.count().label("n"))
                  .where(CustomerBarrier.deleted_at.is_(None))
                  .group_by(CustomerBarrier.customer_id).subquery())
        stmt = (select(Customer.id, Customer.last_name, Customer.first_names,
                       Customer.unemployed_since, func.coalesce(counts.c.n, 0),
                       CaseFacts.first_benefit_on)
                .outerjoin(counts, counts.c.customer_id == Customer.id)
                .outerjoin(CaseFacts, and_(CaseFacts.customer_id == Customer.id,
                                           CaseFacts.deleted_at.is_(None)))
                .where(Customer.coach_id == coach_id, *_active_customers())
                .order_by(Customer.sort_name).limit(limit))
        if many_barriers_only:
            stmt = stmt.where(counts.c.n >= MANY_BARRIERS)
        today = self.ctx.today()
        with self.ctx.reading() as s:
            # The first benefit day counts as on the card, for a reader of this coach's
            # case facts (the caseload rule: the coach, their team, leads and admins).
            team = s.scalar(select(Staff.team_id).where(Staff.id == coach_id))
            facts = self.ctx.actor is not None and may_read(
                case_access.worker(self.ctx.actor), Case(coach_id, team, ""),
                Permission.CASE_FACTS)
            return [CaseloadCustomer(cid, f"{last}, {first}",
                                     days_unemployed(since, today, benefit if facts else None),
                                     n)
                    for cid, last, first, since, n, benefit in s.execute(stmt)]

    def apply_move(self, from_coach: str, to_coach: str, count: int, reason: str) -> int:
        """Move `count` of a coach's customers to another (the most recently registered
        first: they know their coach least). Each move is recorded with the reason."""
        reason = nfc(reason)
        if not reason:
            raise ValidationFailed({"reason": N_("Give the reason for the change.")})
        with self.ctx.transaction(Permission.CASELOAD_MANAGE) as s:
            customers = s.scalars(
                select(Customer).where(Customer.coach_id == from_coach, *_active_customers())
                .order_by(Customer.jobseeker_registered_on.desc(), Customer.id)
                .limit(count)).all()
            for customer in customers:
                self._assign(s, customer, to_coach, reason)
            return len(customers)

    def reassign_all(self, leaving_coach: str, reason: str,
                     to_coaches: list[str] | None = None) -> dict[str, int]:
        """A coach leaves: spread their customers over the given coaches (default: the
        other coaches of their team), the one with the most room first."""
        reason = nfc(reason)
        if not reason:
            raise ValidationFailed({"reason": N_("Give the reason for the change.")})
        with self.ctx.transaction(Permission.CASELOAD_MANAGE) as s:
            leaving = s.get(Staff, leaving_coach)
            if leaving is None:
                raise NotFound(N_("No such staff member."))
            if to_coaches is None:
                to_coaches = list(s.scalars(select(Staff.id).where(
                    Staff.team_id == leaving.team_id, Staff.id != leaving_coach,
                    Staff.role.in_(COACH_ROLES), Staff.active.is_(True))))
            if not to_coaches:
                raise ValidationFailed({"coach": N_("No other coach to move the customers to.")})
            loads = dict(s.execute(select(Customer.coach_id, func.count())
                                   .where(*_active_customers(), Customer.coach_id.in_(to_coaches))
                                   .group_by(Customer.coach_id)).all())
            customers = s.scalars(select(Customer).where(
                Customer.coach_id == leaving_coach, *_active_customers())
                .order_by(Customer.sort_name)).all()
            cap = self._cap()
            chosen = caseload_rules.spread(
                [c.id for c in customers],
                [caseload_rules.CoachLoad(t, None, loads.get(t, 0)) for t in to_coaches], cap)
            moved: dict[str, int] = {}
            for customer in customers:
                target = chosen[customer.id]
                self._assign(s, customer, target, reason)
                moved[target] = moved.get(target, 0) + 1
            return moved

    def _cap(self) -> int:
        from app.services.settings import SettingsService

        return int(SettingsService(self.ctx).get("caseload_cap"))


