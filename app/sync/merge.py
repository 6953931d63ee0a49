"""The central merge of one outbox entry: pure decisions, no I/O.

Per row: base version equal to the central version -> apply everything. Otherwise per
field: unchanged centrally since the client's base -> apply; already the same -> nothing;
different -> a conflict, the central value stays and the client's is kept for review.
Queue tickets move forward only: their (leg, state) progress merges to the furthest;
referrals and support decisions too (app/rules/referrals.py), where two different states
of the same rank (a referral declined on one desk and started on another) are a conflict
for a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.rules import queue as queue_rules
from app.rules import referrals as referral_rules
from app.rules.codes import TicketState

META = ("updated_at", "updated_by")
# Fields that move with a ticket's state; a stale state change brings none of them.
TICKET_PROGRESS = {
    "state", "leg", "called_at", "first_called_at", "service_started_at", "finished_at",
    "desk", "served_by", "recalls", "transferred_to_staff", "transfer_note", "service_area",
    "queue_service_id",  # a transfer's new service goes with its leg (#24)
}


@dataclass
class Decision:
    apply: dict[str, Any] = field(default_factory=dict)
    conflicts: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # central, client

    @property
    def outcome(self) -> str:
        return "conflict" if self.conflicts else "applied"


def decide(
    table: str,
    central: dict[str, Any],
    central_version: int,
    patch: dict[str, Any],
    base_values: dict[str, Any],
    base_version: int,
) -> Decision:
    """`central` and `patch` hold JSON-comparable values."""
    decision = Decision()
    data = {k: v for k, v in patch.items() if k not in META}
    if table == "queue_ticket" and "state" in data:
        mine = (data.get("leg", central.get("leg", 0)), TicketState(data["state"]))
        theirs = (central.get("leg", 0), TicketState(central["state"]))
        furthest = queue_rules.merge(theirs, mine)
        if furthest == mine and mine != theirs:
            # Moving forward always applies its progress fields (the desk that advanced
            # the ticket sends where and by whom, see QueueTicket.__sync_together__).
            decision.apply.update({k: v for k, v in data.items() if k in TICKET_PROGRESS})
        # Behind or level with the centre: the state decided there stands (for a level
        # race, e.g. two desks calling the same ticket offline, the first push won).
        data = {k: v for k, v in data.items() if k not in TICKET_PROGRESS}
    forward = referral_rules.FORWARD_TABLES.get(table)
    if forward and forward[0] in data and central.get(forward[0]) is not None:
        column, progress = forward
        kept = referral_rules.forward_merge(table, central[column], data[column])
        if kept is not None and kept != central[column] and _decided_unseen(
                table, central, data, base_values):
            kept = None  # deciding a draft that changed since the decider read it
        if kept is None:  # neither leads to the other: the centre's stands, the desk's
            decision.conflicts[column] = (central[column], data[column])  # is kept
        elif kept == data[column] and kept != central[column]:
            decision.apply.update({k: v for k, v in data.items() if k in progress})
        data = {k: v for k, v in data.items() if k not in progress}
    for name, new in data.items():
        current = central.get(name)
        if central_version == base_version or current == base_values.get(name, current):
            decision.apply[name] = new
        elif current == new:
            continue
        else:
            decision.conflicts[name] = (current, new)
    if decision.apply:
        decision.apply.update({k: patch[k] for k in META if k in patch})
    return decision


def _decided_unseen(table: str, central: dict[str, Any], data: dict[str, Any],
                    base_values: dict[str, Any]) -> bool:
    """A push that decides a support decision whose content (SupportDecision.
    __sync_together__) changed centrally since the decider's copy: the decision would
    stand for figures nobody decided. The content's own conflicts are kept too."""
    if table != "support_decision" or central.get("status") != "draft":
        return False
    return any(name in central and central[name] != base_values.get(name, central[name])
               and central[name] != new for name, new in data.items()
               if name in DECISION_CONTENT)


DECISION_CONTENT = frozenset({"kind", "employer_name", "employer_business_id", "starts_on",
                              "ends_on", "hours_per_week", "percentage", "amount_cents",
                              "paying_municipality"})
