"""Referrals to purchased services and support decisions: forward-only state machines and
their merge. No I/O; the services apply these, the sync merge (app/sync/merge.py) and
the central guard (c0070) hold the same order.

A referral: proposed -> sent -> accepted or declined by the provider -> started ->
interrupted or completed. A decision: draft -> decided -> ended early or replaced."""

from __future__ import annotations

from app.i18n import N_
from app.rules.codes import DecisionStatus as D
from app.rules.codes import ReferralState as R

# How far a referral has come. Declined and started are level: a race between a desk
# that marked the referral declined and one that marked it started is a conflict for a
# person, never decided by rank. The ends (declined, interrupted, completed) are final.
REFERRAL_RANK = {R.PROPOSED: 0, R.SENT: 1, R.ACCEPTED: 2, R.DECLINED: 3, R.STARTED: 3,
                 R.INTERRUPTED: 4, R.COMPLETED: 4}
REFERRAL_FINAL = frozenset({R.DECLINED, R.INTERRUPTED, R.COMPLETED})
# From each state, where a referral may go next (skipping is allowed where a step may
# happen outside the application: a provider that starts without a written acceptance).
REFERRAL_NEXT: dict[R, frozenset[R]] = {
    R.PROPOSED: frozenset({R.SENT}),
    R.SENT: frozenset({R.ACCEPTED, R.DECLINED, R.STARTED}),
    R.ACCEPTED: frozenset({R.STARTED, R.INTERRUPTED}),
    R.STARTED: frozenset({R.INTERRUPTED, R.COMPLETED}),
    R.DECLINED: frozenset(),
    R.INTERRUPTED: frozenset(),
    R.COMPLETED: frozenset(),
}
# The states that end a referral with a reason (completed needs none).
REFERRAL_NEEDS_REASON = frozenset({R.DECLINED, R.INTERRUPTED})
# The date column each state stamps.
REFERRAL_DATE = {R.PROPOSED: "proposed_on", R.SENT: "sent_on", R.ACCEPTED: "answered_on",
                 R.DECLINED: "answered_on", R.STARTED: "started_on",
                 R.INTERRUPTED: "ended_on", R.COMPLETED: "ended_on"}
# Columns that move with the state: a stale state change brings none of them.
REFERRAL_PROGRESS = frozenset({"state", "sent_on", "answered_on", "started_on", "ended_on",
                               "end_reason"})

DECISION_RANK = {D.DRAFT: 0, D.DECIDED: 1, D.ENDED: 2, D.REPLACED: 2}
DECISION_FINAL = frozenset({D.ENDED, D.REPLACED})
DECISION_NEXT: dict[D, frozenset[D]] = {
    D.DRAFT: frozenset({D.DECIDED}),
    D.DECIDED: frozenset({D.ENDED, D.REPLACED}),
    D.ENDED: frozenset(),
    D.REPLACED: frozenset(),
}
DECISION_PROGRESS = frozenset({"status", "decided_on", "decided_by", "ended_on",
                               "end_reason", "replaced_by_id"})
# What may still change on a decided decision: only how it ends (centrally guarded too).
DECISION_AFTER_DECIDED = DECISION_PROGRESS - {"decided_on", "decided_by"}


class StateRefused(ValueError):
    """`message` is an untranslated message id."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_referral_step(current: R, target: R) -> None:
    if target not in REFERRAL_NEXT[current]:
        if current in REFERRAL_FINAL:
            raise StateRefused(N_("This referral has ended; make a new referral instead."))
        raise StateRefused(N_("A referral moves forward only, one step at a time."))


def check_decision_step(current: D, target: D) -> None:
    if target not in DECISION_NEXT[current]:
        if current in DECISION_FINAL:
            raise StateRefused(N_("This decision has ended; draft a new one instead."))
        raise StateRefused(N_("A decision moves forward only: draft, decided, then ended."))


def reachable(table: str, state: str) -> frozenset[str]:
    """The states a referral or decision in `state` can still come to, in one or more
    steps (offline, several steps travel as one change)."""
    steps: dict = REFERRAL_NEXT if table == "referral" else DECISION_NEXT
    seen: set[str] = set()
    todo = [str(s) for s in steps[state]]
    while todo:
        here = todo.pop()
        if here not in seen:
            seen.add(here)
            todo.extend(str(s) for s in steps[here])
    return frozenset(seen)


def forward_merge(table: str, central: str, mine: str) -> str | None:
    """The state a push from a desk should leave, given the centre's and the desk's:
    the desk's when it can be reached from the centre's, the centre's when the desk is
    behind it, and None when neither leads to the other (a referral accepted on one desk
    and declined on another, or declined and started): a conflict for a person."""
    if mine == central or central in reachable(table, mine):
        return central
    if mine in reachable(table, central):
        return mine
    return None


FORWARD_TABLES = {"referral": ("state", REFERRAL_PROGRESS),
                  "support_decision": ("status", DECISION_PROGRESS)}
