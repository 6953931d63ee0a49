"""Statutory deadlines as data with effective dates, never literals in code.

Each rule names its source; the UI shows that source in the tooltip next to the figure.
Add a row with a new `effective_from` when the law changes; `rule_for` picks the row in
force on the day that starts the count (for the initial interview: the registration day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.i18n import N_
from app.rules.workdays import add_working_days


@dataclass(frozen=True)
class StatutoryRule:
    key: str
    effective_from: date
    value: int
    unit: str  # "working_days", "benefit_days", "weeks", "months", "years", "count"
    source: str  # the law and section, shown in the UI's tooltip


# The acts' official titles (the project's table had two of them wrong), and the words
# a source carries where its section could not be checked against the act's text.
ACT_380 = "Laki työvoimapalveluiden järjestämisestä 380/2023"
ACT_555 = "Laki työttömyysetuuksien rahoituksesta 555/1998"
SECTION_UNVERIFIED = "§ unverified"
NUMBER_UNVERIFIED = "number in the act unverified"
# Said in the user's language where a source is shown (app/views/coaching/texts.py).
UNVERIFIED_WORDS = {SECTION_UNVERIFIED: N_("§ unverified"),
                    NUMBER_UNVERIFIED: N_("number in the act unverified")}

RULES: tuple[StatutoryRule, ...] = (
    # The initial interview: within five working days of the job search starting
    # (Laki julkisesta työvoima- ja yrityspalvelusta 916/2012 from 2.5.2022, then 380/2023
    # from 1.1.2025). The section of 380/2023 could not be checked against the act's text
    # (HE 108/2025 vp shows chapter 4 "Palveluprosessi" holding 28-30 §): it is not named.
    StatutoryRule("initial_interview", date(2000, 1, 1), 5, "working_days",
                  f"Laki julkisesta työvoima- ja yrityspalvelusta 916/2012 "
                  f"({SECTION_UNVERIFIED})"),
    StatutoryRule("initial_interview", date(2025, 1, 1), 5, "working_days",
                  f"{ACT_380} ({SECTION_UNVERIFIED})"),
    # From 1 January 2026 (HE 108/2025 vp, TyVM 9/2025 vp): no later than ten working
    # days. The amending act's number was not found. The rule of the registration day
    # applies across the change (no transitional provision was found; docs).
    StatutoryRule("initial_interview", date(2026, 1, 1), 10, "working_days",
                  f"{ACT_380} ({SECTION_UNVERIFIED}), muutos 1.1.2026: HE 108/2025 vp, "
                  "TyVM 9/2025 vp"),
    # The initial phase of the Nordic job-search model (HE 167/2021 vp): the first three
    # months after the initial interview, the close-contact phase of supplementary
    # conversations. From 1.1.2026 there is no formulaic initial phase (value 0: none).
    StatutoryRule("initial_phase", date(2022, 5, 2), 3, "months",
                  f"HE 167/2021 vp; {ACT_380} ({SECTION_UNVERIFIED})"),
    StatutoryRule("initial_phase", date(2026, 1, 1), 0, "months",
                  f"{ACT_380} ({SECTION_UNVERIFIED}), muutos 1.1.2026: HE 108/2025 vp"),
    # Supplementary conversations in the initial phase "about every two weeks" (HE
    # 167/2021 vp; kotoutuminen.fi; "noin kahden viikon välein"). The figure used is the
    # interval, two weeks; the count follows from it (clock.supplementary_count: five in
    # a three-month phase). The exact statutory number could not be verified. From
    # 1.1.2026 none by schedule (value 0): only as the service need and the plan say.
    StatutoryRule("supplementary_conversations", date(2022, 5, 2), 2, "weeks",
                  f"HE 167/2021 vp: noin kahden viikon välein ({NUMBER_UNVERIFIED})"),
    StatutoryRule("supplementary_conversations", date(2026, 1, 1), 0, "weeks",
                  f"{ACT_380} ({SECTION_UNVERIFIED}), muutos 1.1.2026: HE 108/2025 vp"),
    # A job-search conversation whenever three months have passed since the initial
    # interview or the previous job-search conversation (tyomarkkinatori.fi); from
    # 1.1.2026 "alkuhaastattelusta lukien kolmen kuukauden välein" (HE 108/2025 vp). The
    # project reads both as three months from the latest of the two (docs).
    StatutoryRule("job_search_conversation_interval", date(2022, 5, 2), 3, "months",
                  f"{ACT_380} ({SECTION_UNVERIFIED})"),
    StatutoryRule("job_search_conversation_interval", date(2026, 1, 1), 3, "months",
                  f"{ACT_380} ({SECTION_UNVERIFIED}), muutos 1.1.2026: HE 108/2025 vp"),
    # The municipality's share of the unemployment benefit (TE24): Kela bills it from the
    # 101st benefit day, so the mark is the 100th. Benefit days: Monday to Friday, public
    # holidays included (the benefit is paid five days a week), day 1 the first benefit
    # day (else estimated from the start of unemployment).
    StatutoryRule("hundred_day_mark", date(2025, 1, 1), 100, "benefit_days",
                  f"{ACT_555} ({SECTION_UNVERIFIED}), TE24 1.1.2025"),
    # Activation plan (Laki kuntouttavasta työtoiminnasta 189/2001, 3 § "Soveltamisala"):
    # under 25, 180 days of labour-market subsidy within the last 12 calendar months
    # (1 mom. 1 k.); from 25, 500 days of it, or 180 days of it after the maximum period
    # of earnings-related or basic allowance (2 mom.). HE 109/2025 vp proposes plans for
    # recipients of social assistance only; its entry into force was not confirmed, so
    # no 2026 row is made.
    StatutoryRule("activation_age_limit", date(2001, 9, 1), 25, "years",
                  "Laki kuntouttavasta työtoiminnasta 189/2001, 3 §"),
    StatutoryRule("activation_days_young", date(2001, 9, 1), 180, "benefit_days",
                  "Laki kuntouttavasta työtoiminnasta 189/2001, 3 § 1 mom. 1 k."),
    StatutoryRule("activation_window_young", date(2001, 9, 1), 12, "months",
                  "Laki kuntouttavasta työtoiminnasta 189/2001, 3 § 1 mom. 1 k."),
    StatutoryRule("activation_days_adult", date(2001, 9, 1), 500, "benefit_days",
                  "Laki kuntouttavasta työtoiminnasta 189/2001, 3 § 2 mom."),
    StatutoryRule("activation_days_after_allowance", date(2001, 9, 1), 180, "benefit_days",
                  "Laki kuntouttavasta työtoiminnasta 189/2001, 3 § 2 mom."),
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
    # The integration plan applies in the first three years after the first residence permit
    # (so under the earlier acts too: a report reaching back before 2025 needs the rule).
    StatutoryRule("integration_years", date(2000, 1, 1), 3, "years",
                  "Laki kotoutumisen edistämisestä 1386/2010 (ja 493/1999; § unverified)"),
    StatutoryRule("integration_years", date(2025, 1, 1), 3, "years",
                  "Laki kotoutumisen edistämisestä 681/2023 (§ unverified)"),
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
    approximate: bool = False  # estimated (the 100-day mark without the first benefit day)


def initial_interview_deadline(registered_on: date) -> Deadline:
    """The last day for the initial interview of a jobseeker registered on `registered_on`."""
    rule = rule_for("initial_interview", registered_on)
    return Deadline("initial_interview", add_working_days(registered_on, rule.value), rule)
