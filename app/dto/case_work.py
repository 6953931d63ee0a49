"""Case notes and the facts behind the statutory rules, as the card shows them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class CaseNoteRow:
    """One note as it reads now (the latest version); `edited` when it has earlier ones."""

    id: str
    kind: str  # a NoteKind code
    text: str
    author_name: str | None
    written_at: datetime
    edited: bool = False


@dataclass(frozen=True)
class CaseNotes:
    """A customer's notes, newest first, and whether the reader may add and edit them."""

    customer_id: str
    notes: list[CaseNoteRow]
    writable: bool


@dataclass(frozen=True)
class CaseFactsInput:
    """What the facts form holds (dates already read; None: not known)."""

    partial_work_ability: bool = False
    work_ability_since: date | None = None
    work_ability_basis: str = ""
    benefit: str | None = None  # a BenefitType code
    first_benefit_on: date | None = None
    subsidy_days: int | None = None
    subsidy_days_on: date | None = None
    allowance_exhausted_on: date | None = None


@dataclass(frozen=True)
class UnemploymentPeriodRow:
    id: str
    starts_on: date
    ends_on: date | None
    benefit: str  # a BenefitType code


@dataclass(frozen=True)
class CaseFactsInfo:
    """A customer's facts (all empty when none were entered), and whether the reader may
    change them."""

    customer_id: str
    facts: CaseFactsInput
    writable: bool
    updated_at: datetime | None = None
    periods: list[UnemploymentPeriodRow] = field(default_factory=list)
