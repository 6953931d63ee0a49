"""Statutory deadlines as data with effective dates, never literals in code.

Each rule names its source; the UI shows that source in the tooltip next to the figure.
Add a row with a new `effective_from` when the law changes; `rule_for` picks the row in
force on the day that starts the count (for the initial interview: the registration day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.rules.workdays import add_working_days


@dataclass(frozen=True)
class StatutoryRule:
    key: str
    effective_from: date
    value: int
    unit: str  # "working_days", "calendar_days", "months"
    source: str  # the law and section, shown in the UI's tooltip


RULES: tuple[StatutoryRule, ...] = (
    # Laki julkisesta työvoima- ja yrityspalvelusta 916/2012, 2 luku 6 § (until 2024) and
    # Laki työvoimapalvelujen järjestämisestä 380/2023, 44 §: the initial interview within
    # five working days of registering as a jobseeker.
    StatutoryRule("initial_interview", date(2000, 1, 1), 5, "working_days",
                  "Laki työvoimapalvelujen järjestämisestä 380/2023, 44 §"),
    # From 1 January 2026 (HE 13/2025, amendment to 380/2023 44 §): ten working days.
    StatutoryRule("initial_interview", date(2026, 1, 1), 10, "working_days",
                  "Laki työvoimapalvelujen järjestämisestä 380/2023, 44 § (muutos 1.1.2026)"),
)


def rule_for(key: str, on: date, rules: tuple[StatutoryRule, ...] = RULES) -> StatutoryRule:
    """The rule `key` in force on `on` (the latest effective_from not after it)."""
    candidates = [r for r in rules if r.key == key and r.effective_from <= on]
    if not candidates:
        raise LookupError(f"no rule {key!r} in force on {on}")
    return max(candidates, key=lambda r: r.effective_from)


@dataclass(frozen=True)
class Deadline:
    key: str
    due_on: date
    rule: StatutoryRule


def initial_interview_deadline(registered_on: date) -> Deadline:
    """The last day for the initial interview of a jobseeker registered on `registered_on`."""
    rule = rule_for("initial_interview", registered_on)
    return Deadline("initial_interview", add_working_days(registered_on, rule.value), rule)
