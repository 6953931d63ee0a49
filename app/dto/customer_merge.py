"""Merging a duplicate registration into the real one: what the views are shown."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MergeParty:
    """One of the two records: enough to name it to the worker."""

    id: str
    name: str  # "Last, First"
    customer_number: str


@dataclass(frozen=True)
class MergePreview:
    """What a merge of `duplicate` into `real` would move: live rows per table (table
    names as in MOVED_TABLES, in that order)."""

    duplicate: MergeParty
    real: MergeParty
    moves: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _table, n in self.moves)


@dataclass(frozen=True)
class SimilarCustomer:
    """An existing customer whose name and birth date match a new registration."""

    id: str
    name: str
    customer_number: str
