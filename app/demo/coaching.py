"""Demo data of personal coaching: barriers (about 40 % of customers with three or more,
as the organising plan says), each customer's first coach assignment, and a coach on
leave whose customers went to two colleagues, so the caseload view shows coaches above
the cap and a balancing suggestion, and today's worklist has a full caseload to work on."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.models import Customer, Staff
from app.models.coaching import CoachAssignment, CustomerBarrier, barrier_id
from app.rules.codes import Role
from app.rules.groups import Barrier

# Roughly how common each barrier is among the unemployed (weights, not statistics).
BARRIER_WEIGHTS = {
    Barrier.SKILLS: 0.45, Barrier.JOB_SEARCH_SKILLS: 0.35, Barrier.HEALTH: 0.3,
    Barrier.NO_OPEN_MARKET_EXPERIENCE: 0.25, Barrier.AGE: 0.2, Barrier.DEBT: 0.2,
    Barrier.INCENTIVE_TRAP: 0.12,
}
FIRST_REASON = "Alkuhaastattelu: omavalmentaja nimetty"
LEAVE_REASON = "Sijaisuus: omavalmentaja vuorotteluvapaalla"


def add_coaching(conn: Connection, seed: int, today: date) -> None:
    rng = random.Random(seed * 7919 + 5)
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    synced: dict[str, Any] = {"version": 1, "hlc": "", "updated_at": stamp,
                              "updated_by": None, "deleted_at": None}
    customers = conn.execute(select(Customer.id, Customer.coach_id,
                                    Customer.jobseeker_registered_on)
                             .order_by(Customer.id)).all()
    barriers, assignments = [], []
    for cid, coach, registered in customers:
        # A customer either faces few barriers or many: the plan's "about 40 %" with 3+.
        many = rng.random() < 0.4
        chosen = [b for b, w in BARRIER_WEIGHTS.items()
                  if rng.random() < (min(0.95, w * 2.6) if many else w * 0.45)]
        if many:
            extra = [b for b in Barrier if b not in chosen]
            rng.shuffle(extra)
            chosen += extra[:max(0, 3 - len(chosen))]
        barriers += [{"id": barrier_id(cid, b.value), "customer_id": cid,
                      "barrier": b.value, **synced} for b in chosen]
        if coach is not None:
            when = registered or today - timedelta(days=30)
            assignments.append(_assignment(rng, cid, coach, None, FIRST_REASON, when, synced))
    _overload(conn, rng, today, synced, assignments)
    if barriers:
        conn.execute(insert(CustomerBarrier), barriers)
    if assignments:
        conn.execute(insert(CoachAssignment), assignments)


def _assignment(rng: random.Random, cid: str, coach: str | None, previous: str | None,
                reason: str, day: date, synced: dict[str, Any]) -> dict[str, Any]:
    at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    return {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "customer_id": cid,
            "coach_id": coach, "previous_coach_id": previous, "reason": reason,
            "assigned_at": at, **synced}


def _overload(conn: Connection, rng: random.Random, today: date, synced: dict[str, Any],
              assignments: list[dict[str, Any]]) -> None:
    """The demo coach's teammate went on leave three weeks ago (no longer active): the
    demo coach took a good part of the customers, the rest went to the other colleagues,
    so the demo coach is above the cap and the team lead sees a balancing suggestion."""
    coach = conn.execute(select(Staff.id, Staff.team_id).where(Staff.username == "coach")
                         ).first()
    if coach is None:
        return
    mates = conn.scalars(select(Staff.id).where(
        Staff.team_id == coach.team_id, Staff.role == Role.COACH, Staff.id != coach.id,
        Staff.service_point_id == select(Staff.service_point_id).where(
            Staff.id == coach.id).scalar_subquery()).order_by(Staff.id)).all()
    if not mates:
        return
    leaving = mates[0]
    moved = conn.scalars(select(Customer.id).where(Customer.coach_id == leaving)
                         .order_by(Customer.id)).all()
    day = today - timedelta(days=21)
    conn.execute(update(Staff).where(Staff.id == leaving).values(active=False))
    others = mates[1:] or [coach.id]
    for index, cid in enumerate(moved):
        target = coach.id if index % 5 < 2 else others[index % len(others)]
        conn.execute(update(Customer).where(Customer.id == cid).values(coach_id=target))
        assignments.append(_assignment(rng, cid, target, leaving, LEAVE_REASON, day, synced))
    rng.shuffle(assignments)  # insertion order carries no meaning
