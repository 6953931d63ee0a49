"""How the employer screens word the register's codes and rows (translated when shown)."""

from __future__ import annotations

from datetime import date

from app.i18n import _, format_date, format_number
from app.rules.codes import (
    EMPLOYER_LABELS,
    EmployerChannel,
    EmployerSize,
    EmployerTopic,
    ProposalOutcome,
    VacancyHours,
    VacancyStatus,
)
from app.rules.employers import INDUSTRIES


def code_label(code: str, kind: type | None = None) -> str:
    """The label of an employer-register code ("" for none, the code if unknown). Give
    `kind` where the code is one of several lists' ("other" is a topic and working
    hours)."""
    kinds = (kind,) if kind is not None else (
        EmployerChannel, EmployerTopic, VacancyStatus, VacancyHours, ProposalOutcome,
        EmployerSize)
    for one in kinds:
        try:
            return _(EMPLOYER_LABELS[one(code)])
        except (ValueError, KeyError):
            continue
    return code


def industry_label(letter: str) -> str:
    return f"{letter} {_(INDUSTRIES[letter])}" if letter in INDUSTRIES else letter


def day(value: date | None) -> str:
    return format_date(value) if value else ""


def number(value: int) -> str:
    return format_number(value)


def responsible(team: str, staff: str) -> str:
    """"Team / staff contact" as the list and the card show them."""
    return " / ".join(v for v in (team, staff) if v)
