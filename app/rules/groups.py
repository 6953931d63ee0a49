"""Customer groups, derived (never typed in), and the barriers to employment.

The groups and the "three or more barriers" figure come from the organising plan
(DOMAIN.md, vulnerable groups); the limits are rows of `statutory.GROUP_RULES`."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from app.i18n import N_
from app.rules.clock import add_months
from app.rules.statutory import rule_for


class Group(StrEnum):
    YOUNG = "young"
    LONG_TERM = "long_term"
    PAST_100_DAYS = "past_100_days"
    PARTIAL_WORK_ABILITY = "partial_work_ability"
    INTEGRATION = "integration"
    MANY_BARRIERS = "many_barriers"


GROUP_LABELS = {
    Group.YOUNG: N_("young"),
    Group.LONG_TERM: N_("long-term unemployed"),
    Group.PAST_100_DAYS: N_("past 100 days"),
    Group.PARTIAL_WORK_ABILITY: N_("partial work ability"),
    Group.INTEGRATION: N_("integration"),
    Group.MANY_BARRIERS: N_("3+ barriers"),
}


class Barrier(StrEnum):
    """The barriers the organising plan names (about 40 % face three or more)."""

    SKILLS = "skills"
    DEBT = "debt"
    HEALTH = "health"
    AGE = "age"
    INCENTIVE_TRAP = "incentive_trap"
    JOB_SEARCH_SKILLS = "job_search_skills"
    NO_OPEN_MARKET_EXPERIENCE = "no_open_market_experience"


BARRIER_LABELS = {
    Barrier.SKILLS: N_("Missing skills or vocational degree"),
    Barrier.DEBT: N_("Debt"),
    Barrier.HEALTH: N_("Health"),
    Barrier.AGE: N_("Age"),
    Barrier.INCENTIVE_TRAP: N_("Incentive traps"),
    Barrier.JOB_SEARCH_SKILLS: N_("Job-search skills"),
    Barrier.NO_OPEN_MARKET_EXPERIENCE: N_("No open-labour-market experience"),
}

MANY_BARRIERS = 3  # the plan's "three or more barriers"


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def is_young(born: date | None, today: date) -> bool:
    return born is not None and _age(born, today) < rule_for("young_age_limit", today).value


def is_long_term(since: date | None, today: date) -> bool:
    if since is None:
        return False
    return add_months(since, rule_for("long_term_months", today).value) <= today


def in_integration(first_permit_on: date | None, today: date) -> bool:
    if first_permit_on is None or first_permit_on > today:
        return False
    years = rule_for("integration_years", today).value
    return add_months(first_permit_on, 12 * years) > today


def groups(*, born: date | None, unemployed_since: date | None, days_unemployed: int | None,
           partial_work_ability: bool, first_permit_on: date | None, barriers: int,
           today: date) -> list[Group]:
    """The customer's groups, in a stable order. `days_unemployed`: benefit days, the
    statutory clock's one count (rules.clock); `partial_work_ability`: from the case facts
    (CaseFacts, read by coaches and team leads only; Customer.partial_work_ability is no
    longer written), so a role without case.facts never sees that group."""
    found = []
    if is_young(born, today):
        found.append(Group.YOUNG)
    if is_long_term(unemployed_since, today):
        found.append(Group.LONG_TERM)
    if days_unemployed is not None and days_unemployed >= rule_for("hundred_day_mark",
                                                                    today).value:
        found.append(Group.PAST_100_DAYS)
    if partial_work_ability:
        found.append(Group.PARTIAL_WORK_ABILITY)
    if in_integration(first_permit_on, today):
        found.append(Group.INTEGRATION)
    if barriers >= MANY_BARRIERS:
        found.append(Group.MANY_BARRIERS)
    return found
