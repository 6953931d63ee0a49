"""The walk-in queue's rules: ticket numbers, the forward-only state machine and its
merge, the order in which a desk calls, and the day's wait statistics. No I/O."""

from __future__ import annotations

import re
import statistics
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.i18n import N_
from app.rules.codes import TicketState as S

# Each workstation has its own letter, so two desks registering arrivals offline never
# give the same number; numbers run per service point, per day, per letter.
TICKET_LETTERS = "ABCDEFGHJKLMNPRSTUVX"
MAX_NUMBER = 999

# Forward-only: a merge keeps the furthest state. `done` outranks `left` so that a
# finished service is never undone by a desk that marked the customer absent offline.
RANK = {S.WAITING: 0, S.CALLED: 1, S.SERVING: 2, S.LEFT: 3, S.DONE: 4}
TERMINAL = frozenset({S.DONE, S.LEFT})

# A customer whose own coach is on duty waits for that coach first, but not for ever:
# after this long any desk may call them. A setting of the service point in time.
OWN_COACH_HOLD = timedelta(minutes=15)


# --- the queue's services (#24: data, kept by admins) ---------------------------------

# The services every point's queue offered before they became data, with their names as
# the catalogs gave them then: migrations (local 0120, central c0120) and a new area's
# set-up make them rows, one per point, with these codes. Their ids come from the point
# and the code, so every workstation and the centre make the same rows.
BUILT_IN_NAMES: Mapping[str, tuple[str, str, str]] = {
    "initial": ("Alkupalvelut", "Inledande tjänster", "Initial services"),
    "finding_work": ("Työn löytyminen", "Att hitta arbete", "Finding work"),
    "skills": ("Osaamisen kehittäminen", "Kompetensutveckling", "Skills development"),
    "work_ability": ("Työkyvyn tukeminen", "Stöd för arbetsförmågan",
                     "Supporting work ability"),
    "integration": ("Kotoutumisen edistäminen", "Främjande av integration",
                    "Promoting integration"),
    "employer": ("Työnantajapalvelut", "Arbetsgivartjänster", "Employer services"),
    "information": ("Neuvonta", "Rådgivning", "Information and advice"),
}
SERVICE_NAMESPACE = uuid.UUID("6f1d2c9e-4b8a-4e1f-9a57-0c3d5e7b9a21")
CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]{1,39}")
NAME_MAX = 80


def service_id(point_id: str, code: str) -> str:
    """The id of a point's service `code`: the same wherever it is made."""
    return str(uuid.uuid5(SERVICE_NAMESPACE, f"{point_id}:{code}"))


def service_name(names: tuple[str, str, str], lang: str) -> str:
    """A service's name (fi, sv, en) in `lang`, Finnish when that one is empty."""
    by_lang = dict(zip(("fi", "sv", "en"), names, strict=True))
    return by_lang.get(lang) or names[0]


class TransitionRefused(ValueError):
    """`message` is an untranslated message id."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def default_letter(node: str) -> str:
    """A letter for a workstation that has not chosen one, stable for its node id."""
    return TICKET_LETTERS[int(node, 16) % len(TICKET_LETTERS)] if node else "A"


def format_ticket(letter: str, number: int) -> str:
    """Readable aloud: 'A 012'."""
    return f"{letter} {number:03d}"


def next_number(taken: Iterable[int]) -> int:
    highest = max(taken, default=0)
    if highest >= MAX_NUMBER:
        raise TransitionRefused(N_("This ticket letter has used all its numbers for today."))
    return highest + 1


def progress(leg: int, state: S) -> tuple[int, int]:
    """How far a ticket has come; transfers start a new leg, so this never decreases."""
    return leg, RANK[state]


def merge(local: tuple[int, S], remote: tuple[int, S]) -> tuple[int, S]:
    """The furthest of two copies of a ticket's (leg, state): commutative, idempotent."""
    return max(local, remote, key=lambda p: progress(*p))


_ALLOWED = {
    "call": {S.WAITING},
    "recall": {S.CALLED},
    "not_present": {S.CALLED},
    "start": {S.CALLED},
    "finish": {S.SERVING},
    "transfer": {S.WAITING, S.CALLED, S.SERVING},
}
_REFUSAL = {
    "call": N_("Only a waiting customer can be called."),
    "recall": N_("Only a called customer can be called again."),
    "not_present": N_("Call the customer again before marking them not present."),
    "start": N_("Call the customer before starting the service."),
    "finish": N_("Start the service before finishing it."),
    "transfer": N_("A finished ticket cannot be transferred."),
}


def check(action: str, state: S, recalls: int = 0) -> None:
    if state not in _ALLOWED[action] or (action == "not_present" and recalls < 1):
        raise TransitionRefused(_REFUSAL[action])


@dataclass(frozen=True)
class Waiting:
    """What the call order needs to know of one waiting ticket."""

    id: str
    service: str  # the queue service's code (before #24: the service area)
    priority: int
    arrived_at: datetime
    coach_id: str | None
    transferred_to: str | None


def call_order(
    waiting: Sequence[Waiting],
    me: str,
    my_services: set[str],
    on_duty: set[str],
    now: datetime,
    hold: timedelta = OWN_COACH_HOLD,
) -> list[Waiting]:
    """Whom `me` may call, best first: transferred to me by name; then my own coaching
    customers, whatever service they came for; then my services, priority first, longest
    wait first. Someone else's customer waits for their own coach while that coach is on
    duty, for at most `hold`; a ticket transferred to a named worker waits for them."""

    def key(t: Waiting) -> tuple[int, int, datetime]:
        group = 0 if t.transferred_to == me else 1 if t.coach_id == me else 2
        return group, -t.priority, t.arrived_at

    def eligible(t: Waiting) -> bool:
        if t.transferred_to is not None:
            return t.transferred_to == me
        if t.coach_id == me:
            return True
        if t.service not in my_services:
            return False
        held = t.coach_id in on_duty and now - t.arrived_at < hold
        return not held

    return sorted((t for t in waiting if eligible(t)), key=key)


def median_minutes(waits: Iterable[float]) -> float | None:
    values = list(waits)
    return statistics.median(values) if values else None


def minutes_between(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, round((end - start).total_seconds() / 60))


# The lobby's calls: Finnish always, then the point's chosen languages (an area setting,
# per service point code); without a choice, the area's other official language and the
# language most visitors who speak neither read.
LOBBY_DEFAULT_LANGUAGES = ("sv", "en")
LOBBY_KNOWN_LANGUAGES = ("fi", "sv", "en")


def lobby_languages(chosen: object, point_code: str | None) -> tuple[str, ...]:
    """Finnish first, then the languages `chosen` (the setting's value) gives the point."""
    extra = chosen.get(point_code or "") if isinstance(chosen, dict) else None
    if not isinstance(extra, list):
        extra = list(LOBBY_DEFAULT_LANGUAGES)
    return ("fi", *dict.fromkeys(
        lang for lang in extra if lang in LOBBY_KNOWN_LANGUAGES and lang != "fi"))


def built_in_services(point_id: str, configured: str) -> list[dict]:
    """A point's built-in queue services as rows: every service area, those the point
    offered (`configured`, its old comma list; empty: all) active and first, in its
    order."""
    chosen = [c for c in configured.split(",") if c in BUILT_IN_NAMES] or list(BUILT_IN_NAMES)
    order = chosen + [c for c in BUILT_IN_NAMES if c not in chosen]
    return [{"id": service_id(point_id, code), "service_point_id": point_id, "code": code,
             "name_fi": BUILT_IN_NAMES[code][0], "name_sv": BUILT_IN_NAMES[code][1],
             "name_en": BUILT_IN_NAMES[code][2], "service_area": code,
             "partner_org_id": None, "position": position, "active": code in chosen}
            for position, code in enumerate(order)]
