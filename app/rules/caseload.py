"""Caseload balancing: which customers could move from overloaded coaches to coaches of
the same team with room. A suggestion only; the cap warns, it never forbids (DOMAIN.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CoachLoad:
    staff_id: str
    team_id: str | None
    active: int


@dataclass(frozen=True)
class Move:
    from_staff_id: str
    to_staff_id: str
    count: int


def suggest_moves(loads: list[CoachLoad], cap: int) -> list[Move]:
    """Moves (from, to, how many) that bring coaches down to the cap, each to a coach of
    the same team, the one with the most room first, never filling anyone above the cap."""
    moves: list[Move] = []
    room = {c.staff_id: cap - c.active for c in loads}
    for coach in sorted(loads, key=lambda c: -c.active):
        excess = coach.active - cap
        if excess <= 0 or coach.team_id is None:
            continue
        mates = sorted((c for c in loads if c.team_id == coach.team_id
                        and c.staff_id != coach.staff_id),
                       key=lambda c: (-room[c.staff_id], c.staff_id))
        for mate in mates:
            if excess <= 0:
                break
            take = min(excess, room[mate.staff_id])
            if take <= 0:
                continue
            moves.append(Move(coach.staff_id, mate.staff_id, take))
            room[mate.staff_id] -= take
            excess -= take
    return moves


def spread(customer_ids: list[str], loads: list[CoachLoad], cap: int) -> dict[str, str]:
    """Bulk reassignment when a coach leaves: each customer to the coach (of the given
    ones) with the most room at that moment. Returns customer id -> staff id."""
    if not loads:
        return {}
    current = {c.staff_id: c.active for c in loads}
    chosen: dict[str, str] = {}
    for customer_id in customer_ids:
        staff_id = min(current, key=lambda s: (current[s] - cap, s))
        chosen[customer_id] = staff_id
        current[staff_id] += 1
    return chosen
