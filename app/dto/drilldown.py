"""The drill-down (#25): the customers behind a report's figure, as the signed-in person
may see them (app/services/reports/drilldown.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DrilldownRow:
    """A customer as the register lists them: the identity code masked."""

    id: str
    customer_number: str
    name: str  # "Last, First", as the register
    hetu_masked: str
    service_point: str
    coach: str | None
    active: bool  # the case is open


@dataclass(frozen=True)
class Drilldown:
    rows: tuple[DrilldownRow, ...]
    # Customers behind the figure this person may not see (a coach: outside their own
    # caseload), and those no longer in the register (erased or merged).
    hidden: int = 0
    gone: int = 0
    own_caseload_only: bool = False  # the person is a coach: why `hidden`
