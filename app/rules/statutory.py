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
    # The initial phase of the Nordic job-search model: the first three months after the
    # initial interview (HE 167/2021; 380/2023, 45-46 §).
    StatutoryRule("initial_phase", date(2022, 5, 2), 3, "months",
                  "Laki työvoimapalvelujen järjestämisestä 380/2023, 45 §"),
    # Before 2026: (up to) five supplementary job-search conversations in the initial
    # phase; from 1 January 2026 only when the employment plan says so (value 0: none
    # required by law, the plan's own count applies).
    StatutoryRule("supplementary_conversations", date(2022, 5, 2), 5, "count",
                  "Laki työvoimapalvelujen järjestämisestä 380/2023, 46 §"),
    StatutoryRule("supplementary_conversations", date(2026, 1, 1), 0, "count",
                  "Laki työvoimapalvelujen järjestämisestä 380/2023, 46 § (muutos 1.1.2026)"),
    # After the initial phase a job-search conversation at least every three months,
    # where the employment plan is reviewed.
    StatutoryRule("job_search_conversation_interval", date(2022, 5, 2), 3, "months",
                  "Laki työvoimapalvelujen järjestämisestä 380/2023, 45-46 §"),
    # The municipality's share of the unemployment benefit starts at 100 days of
    # unemployment (TE24 reform). Benefit days are weekdays; the clock counts working
    # days, as the service model counts them.
    StatutoryRule("hundred_day_mark", date(2025, 1, 1), 100, "working_days",
                  "Laki työttömyysturvan rahoituksesta 555/1998, 4 a § (TE24, 1.1.2025)"),
    # Activation plan: under 25 after 180 days of labour-market subsidy within 12 months,
    # from 25 after 500 days of it.
    StatutoryRule("activation_age_limit", date(2001, 9, 1), 25, "years",
                  "Laki kuntouttavasta työtoiminnasta 189/2001, 3 §"),
    StatutoryRule("activation_days_young", date(2001, 9, 1), 180, "benefit_days",
                  "Laki kuntouttavasta työtoiminnasta 189/2001, 3 § 1 mom. 1 k."),
    StatutoryRule("activation_window_young", date(2001, 9, 1), 12, "months",
                  "Laki kuntouttavasta työtoiminnasta 189/2001, 3 § 1 mom. 1 k."),
    StatutoryRule("activation_days_adult", date(2001, 9, 1), 500, "benefit_days",
                  "Laki kuntouttavasta työtoiminnasta 189/2001, 3 § 1 mom. 2 k."),
    # A deadline whose last day is a weekend or holiday moves to the next working day.
    StatutoryRule("deadline_on_holiday", date(1930, 6, 1), 1, "next_working_day",
                  "Laki säädettyjen määräaikain laskemisesta 150/1930, 5 §"),
)

# Customer groups: definitions the plan and the statistics use (not deadlines, but
# figures with sources all the same, so they live beside the deadlines).
GROUP_RULES: tuple[StatutoryRule, ...] = (
    # Ohjaamo and the plan's "young people": under 30.
    StatutoryRule("young_age_limit", date(2000, 1, 1), 30, "years",
                  "Rovaseudun työllisyysalueen järjestämissuunnitelma: nuoret alle 30 v."),
    # Long-term unemployed: unemployed for 12 months or more without a break.
    StatutoryRule("long_term_months", date(2000, 1, 1), 12, "months",
                  "Tilastokeskus, käsitteet: pitkäaikaistyötön (yli 12 kk)"),
    # The integration plan applies in the first three years after the first residence permit.
    StatutoryRule("integration_years", date(2025, 1, 1), 3, "years",
                  "Laki kotoutumisen edistämisestä 681/2023, 15 §"),
)


def rule_for(key: str, on: date, rules: tuple[StatutoryRule, ...] = RULES) -> StatutoryRule:
    """The rule `key` in force on `on` (the latest effective_from not after it)."""
    if rules is RULES and any(r.key == key for r in GROUP_RULES):
        rules = GROUP_RULES
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
