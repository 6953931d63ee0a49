"""What a report hands the view, the exports and the CLI: plain frozen dataclasses.

Titles are message ids (N_), translated where shown or written, so one computed report
can be exported in the language the user has chosen at that moment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


class Label(str):
    """A message id among the values (a "Total" row, "Other municipalities"): translated
    where shown, unlike the names of people, teams and places that come from the data."""

    __slots__ = ()


def shown(value: object, translate: Callable[[str], str]) -> object:
    return translate(value) if isinstance(value, Label) else value


# Column kinds: how a value is shown and exported.
TEXT = "text"  # a name (team, worker, municipality): shown as is
WEEK = "week"  # the Monday of a week (date)
MONTH = "month"  # the first day of a month (date)
HOUR = "hour"  # hour of the day 0-23
COUNT = "count"  # an integer
NUMBER = "number"  # a decimal (mean score, minutes)
PERCENT = "percent"  # a share 0..1


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # message id, unless `literal` (names from the database)
    kind: str
    literal: bool = False


@dataclass(frozen=True)
class ChartSpec:
    """How the view and the PDF draw a report. `series` are column keys on the y axis."""

    kind: str  # "bars" (grouped), "stacked", "lines", "hbars"
    x: str
    series: tuple[str, ...]
    # A horizontal or vertical reference line (the caseload cap), with its title.
    reference: float | None = None
    reference_title: str | None = None
    percent: bool = False
    # Draw only the first rows (sorted worst first): sixty workers do not fit a chart.
    limit: int | None = None


@dataclass(frozen=True)
class ReportFilter:
    """Local (Helsinki) dates, both inclusive; None means every point or team."""

    date_from: date
    date_to: date
    service_point_id: str | None = None
    team_id: str | None = None


@dataclass(frozen=True)
class ReportInputs:
    """What the reports need besides the database: read once per run."""

    today: date
    caseload_cap: int
    statistics: dict[str, Any]


@dataclass(frozen=True)
class Partial:
    """A week or month row whose period the figures do not cover whole: the current one
    (`in_progress`: more is still to come) or one cut by the range. `first`..`last`:
    the days counted."""

    row: int
    first: date
    last: date
    in_progress: bool


@dataclass(frozen=True)
class ReportTable:
    name: str
    title: str  # message id
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: ChartSpec
    note: str | None = None  # message id: what the figures mean, shown under the table
    total: tuple[Any, ...] | None = None  # a total row, shown and exported last
    note_args: tuple[tuple[str, str], ...] = ()  # placeholders filled after translating
    partial: tuple[Partial, ...] = ()  # incomplete periods among the rows
    # Drill-down (#25): the customers behind a figure, by (row index, column key); the
    # total row is row -1. Only figures that count customers have an entry; a report
    # of anonymous answers (feedback) or of minutes has none.
    members: Mapping[tuple[int, str], tuple[str, ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False)

    def members_of(self, row: int, key: str) -> tuple[str, ...]:
        return tuple(self.members.get((row, key), ()))

    def partial_row(self, row: int) -> Partial | None:
        return next((p for p in self.partial if p.row == row), None)

    def note_text(self, translate: Callable[[str], str]) -> str:
        return translate(self.note).format(**dict(self.note_args)) if self.note else ""

    def column(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def values(self, key: str) -> list[Any]:
        i = self.column(key)
        return [row[i] for row in self.rows]


@dataclass(frozen=True)
class ReportSpec:
    name: str
    title: str  # message id
    columns: tuple[str, ...]  # keys of the fixed columns; pivots add one per category
    compute: Callable[..., ReportTable] = field(repr=False)


@dataclass(frozen=True)
class KeyFigures:
    visits: int
    walk_in_median_wait: float | None
    satisfied_share: float | None
    feedback_answers: int
    no_show_rate: float | None
    reviews_overdue: int


@dataclass(frozen=True)
class FilterOption:
    id: str
    name: str


@dataclass(frozen=True)
class FilterOptions:
    service_points: tuple[FilterOption, ...]
    teams: tuple[FilterOption, ...]
