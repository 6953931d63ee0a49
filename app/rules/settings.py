"""The area settings a team lead or administrator can change, with their defaults.

Values are JSON. A feature that needs a setting adds its key and default here (never a
literal in the code that uses it) and reads it through services.settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.i18n import N_
from app.rules import targets

DEFAULTS: dict[str, Any] = {
    # DOMAIN.md: caseload cap about 120 customers per coach (warn, do not forbid).
    "caseload_cap": 120,
    # Lock the session after this many idle minutes (security issue).
    "idle_lock_minutes": 10,
    # A customer's personal data may be erased this many years after the last activity
    # (the customer marked inactive first); the area's records policy sets the figure.
    "retention_years": 5,
    # Feedback: ask "how likely would you recommend" (0-10) after the smiley scale.
    "feedback_ask_recommend": True,
    # Feedback figures per worker only with at least this many answers.
    "feedback_min_answers_per_worker": 10,
    # Worklist: customers not contacted in this many days.
    "not_contacted_days": 60,
    # The lobby display shows its calls in Finnish and then in these languages, per
    # service point code; a point not listed shows Swedish and English too.
    "lobby_languages": {},
    # Reports: the municipal cost split (plan, table 1 and the cost-split model: 50 % by
    # working-age population, 50 % by broad unemployment). Table 1 gives no working-age
    # column, so the labour force (työvoima) stands in until a team lead enters the
    # working-age population of the year in the reports view.
    "municipal_statistics": {
        "year": 2023,
        "municipalities": [
            {"name": "Rovaniemi", "working_age": 31149, "broad_unemployment": 4381},
            {"name": "Ranua", "working_age": 1375, "broad_unemployment": 227},
        ],
    },
    # The joint body's annual targets (rules.targets names them, their units and ranges):
    # per year, {"2026": {"interviews_on_time": 97, ...}}; a year or a target without its
    # own value takes the default below.
    "annual_targets": {},
    "annual_target_defaults": {
        "interviews_on_time": 95,  # % of initial interviews held by their deadline, at least
        "caseload_max": 120,  # customers in any coach's caseload, at most (DOMAIN.md)
        "long_term_share": 40,  # % of open cases unemployed 12 months or more, at most
        "feedback_satisfied": 85,  # % of feedback answers scoring 4-5, at least
        "work_or_study_exits": 50,  # % of cases closed to work or studies, at least
        "service_effect": 45,  # % employed or studying 6 months after a service, at least
    },
    # Messages to customers (#23): the reminder goes the day before at this time
    # (Helsinki, "HH:MM"); the messenger reads it at the centre.
    "messages.reminder_time": "16:00",
}

# Settings whose values are checked before they are saved: key -> the reason (a message
# id) a value is refused, or None.
def reminder_time_problem(value: Any) -> str | None:
    """A reminder goes out between 8.00 and 20.00, on the quarter hour."""
    try:
        hours, minutes = (int(part) for part in str(value).strip().split(":"))
    except ValueError:
        return N_("Give the time as hours and minutes, for example 16:00.")
    if not (8 <= hours <= 20 and minutes in (0, 15, 30, 45)) or (hours, minutes) > (20, 0):
        return N_("Reminders go out between 8.00 and 20.00, on the quarter hour.")
    return None


VALIDATORS: dict[str, Callable[[Any], str | None]] = {
    "annual_targets": targets.annual_targets_problem,
    "annual_target_defaults": targets.target_defaults_problem,
    "messages.reminder_time": reminder_time_problem,
}


def default(key: str) -> Any:
    if key not in DEFAULTS:
        raise KeyError(f"unknown area setting {key!r}")
    return DEFAULTS[key]


def problem(key: str, value: Any) -> str | None:
    """Why `value` may not be saved as `key` (a message id), or None."""
    default(key)
    check = VALIDATORS.get(key)
    return check(value) if check else None
