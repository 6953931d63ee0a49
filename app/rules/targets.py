"""The joint body's annual targets (issue #25): which figures have a target, in which
unit and direction, what a valid target is, and the good / watch / off state of a figure
against its target. Pure: the values are area settings (rules.settings
"annual_targets", "annual_target_defaults"), the figures come from
services.reports.targets.

State: *good* when the target is met; *watch* when it is missed by no more than the
margin (5 percentage points for a share, 10 % of the target for a count); *off*
otherwise. The figure is compared as shown (a share to one decimal, a count whole), so
"95.0 %" against "≥ 95 %" never reads as missed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.i18n import N_

PERCENT = "percent"  # 0-100
COUNT = "count"  # customers

AT_LEAST = "at_least"
AT_MOST = "at_most"

GOOD, WATCH, OFF = "good", "watch", "off"
STATE_LABELS = {GOOD: N_("Good"), WATCH: N_("Watch"), OFF: N_("Off target")}
NO_DATA = N_("No figure yet")

# Missed by no more than this: watch, not off.
PERCENT_MARGIN = 5.0  # percentage points
COUNT_MARGIN = 0.10  # of the target


@dataclass(frozen=True)
class TargetDefinition:
    key: str
    title: str  # message id
    unit: str  # PERCENT or COUNT
    direction: str  # AT_LEAST or AT_MOST
    minimum: float
    maximum: float
    explanation: str  # message id: how the figure is counted


INTERVIEWS_ON_TIME = "interviews_on_time"
CASELOAD_MAX = "caseload_max"
LONG_TERM_SHARE = "long_term_share"
FEEDBACK_SATISFIED = "feedback_satisfied"
WORK_OR_STUDY_EXITS = "work_or_study_exits"
SERVICE_EFFECT = "service_effect"

TARGETS: tuple[TargetDefinition, ...] = (
    TargetDefinition(
        INTERVIEWS_ON_TIME, N_("Initial interviews on time"), PERCENT, AT_LEAST, 0, 100,
        N_("Initial interviews due this year so far (the statutory deadline from the "
           "registration day) held by their deadline.")),
    TargetDefinition(
        CASELOAD_MAX, N_("Largest caseload"), COUNT, AT_MOST, 1, 500,
        N_("The most open cases any coach has today.")),
    TargetDefinition(
        LONG_TERM_SHARE, N_("Long-term unemployed among open cases"), PERCENT, AT_MOST,
        0, 100,
        N_("Open cases unemployed for 12 months or more, of all open cases (at the end "
           "of each month; this month: today).")),
    TargetDefinition(
        FEEDBACK_SATISFIED, N_("Feedback: satisfied (4–5)"), PERCENT, AT_LEAST, 0, 100,
        N_("Feedback answers scoring 4 or 5 of all answers this year.")),
    TargetDefinition(
        WORK_OR_STUDY_EXITS, N_("Cases closed to work or studies"), PERCENT, AT_LEAST,
        0, 100,
        N_("Job-search periods ended this year for work on the open market, pay-subsidised "
           "work, self-employment or studies, of all periods ended.")),
    TargetDefinition(
        SERVICE_EFFECT, N_("Employed or studying 6 months after a service"), PERCENT,
        AT_LEAST, 0, 100,
        N_("Purchased services and support decisions whose six months after the end fell "
           "this year so far: the customers employed or studying by then (the follow-up's "
           "answer or the case's exit), of all counted; not known counts as not.")),
)
BY_KEY = {t.key: t for t in TARGETS}

# The exit reasons (rules.codes.CaseExitReason values) that count as work or studies.
WORK_OR_STUDY = ("employed_open_market", "employed_pay_subsidy", "self_employed", "studies")

RANGE_PERCENT = N_("Give a percentage from 0 to 100.")
RANGE_CASELOAD = N_("Give a whole number of customers from 1 to 500.")
NOT_A_NUMBER = N_("Give a number.")
UNKNOWN_TARGET = N_("No such target.")
NOT_A_YEAR = N_("Give the year as four digits.")


def range_message(definition: TargetDefinition) -> str:
    return RANGE_PERCENT if definition.unit == PERCENT else RANGE_CASELOAD


def parse(text: str) -> float | None:
    """A number as typed: a decimal comma or point, spaces and a trailing % allowed.
    None when it is not a number."""
    cleaned = text.strip().removesuffix("%").replace("\u00a0", "").replace(" ", "")
    cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def value_problem(key: str, value: Any) -> str | None:
    """Why `value` is not a valid target `key` (a message id), or None."""
    definition = BY_KEY.get(key)
    if definition is None:
        return UNKNOWN_TARGET
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value):
        return NOT_A_NUMBER
    if definition.unit == COUNT and value != int(value):
        return RANGE_CASELOAD
    if not definition.minimum <= value <= definition.maximum:
        return range_message(definition)
    return None


def values_problems(values: Any) -> dict[str, str]:
    """Every invalid target of a {key: value} mapping (key: message id)."""
    if not isinstance(values, dict):
        return {"targets": NOT_A_NUMBER}
    return {key: problem for key, value in values.items()
            if (problem := value_problem(key, value)) is not None}


def year_problem(year: Any) -> str | None:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        return NOT_A_YEAR
    return None


def annual_targets_problem(value: Any) -> str | None:
    """The area setting "annual_targets": {"2026": {key: value}}; None when valid."""
    if not isinstance(value, dict):
        return NOT_A_NUMBER
    for year, values in value.items():
        if not str(year).isdigit() or year_problem(int(year)):
            return NOT_A_YEAR
        problems = values_problems(values)
        if problems:
            return next(iter(problems.values()))
    return None


def target_defaults_problem(value: Any) -> str | None:
    problems = values_problems(value)
    return next(iter(problems.values())) if problems else None


def targets_of_year(year: int, defaults: dict[str, Any], annual: dict[str, Any]
                    ) -> dict[str, float]:
    """The targets in force in `year`: the year's own, else the defaults."""
    own = annual.get(str(year)) or {}
    return {t.key: float(own.get(t.key, defaults.get(t.key, 0))) for t in TARGETS}


def rounded(definition: TargetDefinition, figure: float) -> float:
    """The figure as it is shown and judged: a share to one decimal, a count whole."""
    return round(figure, 1) if definition.unit == PERCENT else float(round(figure))


def margin(definition: TargetDefinition, target: float) -> float:
    return PERCENT_MARGIN if definition.unit == PERCENT else COUNT_MARGIN * target


def state(definition: TargetDefinition, target: float, figure: float | None) -> str | None:
    """GOOD, WATCH or OFF; None without a figure."""
    if figure is None:
        return None
    shown = rounded(definition, figure)
    slack = margin(definition, target)
    if definition.direction == AT_LEAST:
        if shown >= target:
            return GOOD
        return WATCH if shown >= target - slack - 1e-9 else OFF
    if shown <= target:
        return GOOD
    return WATCH if shown <= target + slack + 1e-9 else OFF


@dataclass(frozen=True)
class TargetFigure:
    key: str
    target: float
    figure: float | None  # in the target's unit (0-100 for a share); None: no data
    counted: int  # what the figure was counted over (interviews due, cases, answers)
    months: tuple[tuple[date, float | None], ...]  # the figure per month so far
    state: str | None

    @property
    def definition(self) -> TargetDefinition:
        return BY_KEY[self.key]


@dataclass(frozen=True)
class TargetsReport:
    year: int
    through: date | None  # the last day counted (None: the year has not begun)
    figures: tuple[TargetFigure, ...]

    def figure(self, key: str) -> TargetFigure:
        return next(f for f in self.figures if f.key == key)
