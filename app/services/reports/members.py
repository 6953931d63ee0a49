"""Filling ReportTable.members (#25, the drill-down): the customers behind each figure.

The reports stay grouped in SQL: a cell's customers come with its count as one
`group_concat` of their ids (customer ids hold no comma), never as one row per customer.
A customer counted twice in a figure (two exits in a month, two plan versions accepted)
is there twice, so that a cell's members are exactly as many as its figure; the
drill-down shows each customer once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, func

TOTAL_ROW = -1  # ReportTable.members: the total row


def concat(column: Any, condition: Any = None) -> Any:
    """The ids of a group's rows (where `condition` holds) as one text, or NULL."""
    return func.group_concat(column if condition is None else case((condition, column)))


def ids_of(text: str | None) -> list[str]:
    return text.split(",") if text else []


class Members:
    """Collects the customers of each (row, column key); `add_total` also counts them on
    the total row."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, str], list[str]] = defaultdict(list)

    def add(self, row: int, key: str, ids: Iterable[str], total: bool = False) -> None:
        ids = list(ids)
        if not ids:
            return
        self.cells[(row, key)].extend(ids)
        if total:
            self.cells[(TOTAL_ROW, key)].extend(ids)

    def result(self) -> dict[tuple[int, str], tuple[str, ...]]:
        return {cell: tuple(ids) for cell, ids in self.cells.items() if ids}
