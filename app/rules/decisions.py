"""Support decisions (pay subsidy, work trial, training trial, start-up grant): the
pure checks of a decision's content. No I/O; app/services/decisions.py applies them.
Each check returns an untranslated message id (N_) or None."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from app.i18n import N_
from app.rules import business_id as business_ids
from app.rules.codes import DecisionKind

EMPLOYER_LIMIT = 200  # characters (the column)
REASON_LIMIT = 200
NOTE_LIMIT = 2000
MAX_HOURS = 60.0  # per week
MAX_CENTS = 10_000_000_00  # ten million euros: a typing mistake beyond it

# Which amounts each kind carries: a pay subsidy is a share of pay for given hours; a
# trial is hours of practice (the amount, an expense allowance, is optional); a
# start-up grant is an amount.
NEEDS_HOURS = frozenset({DecisionKind.PAY_SUBSIDY, DecisionKind.WORK_TRIAL,
                         DecisionKind.TRAINING_TRIAL})
NEEDS_PERCENTAGE = frozenset({DecisionKind.PAY_SUBSIDY})
NEEDS_AMOUNT = frozenset({DecisionKind.PAY_SUBSIDY, DecisionKind.START_UP_GRANT})


def business_id(text: str | None) -> tuple[str | None, str | None]:
    """(the Y-tunnus formatted 1234567-8 or None when empty, the problem or None).
    A check remainder of 1 has no valid check digit: such a number is refused."""
    raw = (text or "").strip()
    if not raw:
        return None, None
    checked = business_ids.check(raw)  # the one Y-tunnus check (the provider register's)
    return checked.value, checked.error


def period_problem(starts_on: date | None, ends_on: date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if starts_on is None:
        errors["starts_on"] = N_("Give the date the decision starts.")
    if ends_on is None:
        errors["ends_on"] = N_("Give the date the decision ends.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = N_("The end cannot be before the start.")
    return errors


def hours_problem(kind: DecisionKind, hours: float | None) -> str | None:
    if hours is None:
        return N_("Give the hours per week.") if kind in NEEDS_HOURS else None
    if not 0 < hours <= MAX_HOURS:
        return N_("Hours per week are more than 0 and at most 60.")
    return None


def percentage_problem(kind: DecisionKind, percentage: int | None) -> str | None:
    if percentage is None:
        return N_("Give the percentage of pay.") if kind in NEEDS_PERCENTAGE else None
    if not 1 <= percentage <= 100:
        return N_("The percentage is a whole number from 1 to 100.")
    return None


def amount_problem(kind: DecisionKind, cents: int | None) -> str | None:
    if cents is None:
        return N_("Give the amount in euros.") if kind in NEEDS_AMOUNT else None
    if cents < 0:
        return N_("The amount cannot be negative.")
    if cents > MAX_CENTS:
        return N_("The amount is too large.")
    return None


def end_problem(starts_on: date, ends_on: date, on: date | None, reason: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if on is None:
        errors["on"] = N_("Give the date the decision ends.")
    elif not starts_on <= on <= ends_on:
        errors["on"] = N_("The end date must fall within the decision's period.")
    if not reason.strip():
        errors["reason"] = N_("Give the reason the decision ends early.")
    elif len(reason) > REASON_LIMIT:
        errors["reason"] = N_("At most 200 characters.")
    return errors


_EUROS = re.compile(r"^\d+([.,]\d{1,2})?$")


def parse_euros(text: str) -> int | None:
    """Euros as typed ("1 234,50", "1234.5", "€ 300") -> cents; None when empty.
    ValueError when it is not an amount."""
    raw = (text or "").replace("€", "").replace("\u00a0", "").replace("\u202f", "")
    raw = raw.replace(" ", "").strip()
    if not raw:
        return None
    if "," in raw and "." in raw:  # one of them groups thousands: the first one
        raw = raw.replace("," if raw.index(",") < raw.index(".") else ".", "")
    negative = raw.startswith("-")
    if negative:
        raw = raw[1:]
    if not _EUROS.match(raw):
        raise ValueError(raw)
    try:
        cents = int((Decimal(raw.replace(",", ".")) * 100).to_integral_value())
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits none
        raise ValueError(raw) from exc
    return -cents if negative else cents


def parse_number(text: str) -> float | None:
    """A decimal number as typed (comma or point); None when empty, else ValueError."""
    raw = (text or "").replace(" ", "").replace(",", ".").strip()
    if not raw:
        return None
    value = float(raw)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(raw)
    return value


def format_euros(cents: int | None, lang: str | None = None) -> str:
    """Cents as euros in the language's way ("1 234,50 €", "€1,234.50"); "" for None."""
    if cents is None:
        return ""
    from babel import numbers

    from app.i18n import babel_locale

    return numbers.format_currency(Decimal(cents) / 100, "EUR", locale=babel_locale(lang))


def euros_for_input(cents: int | None, lang: str | None = None) -> str:
    """Cents as a form shows them for editing: "1250,00" / "1250.00" (no grouping)."""
    if cents is None:
        return ""
    from babel import numbers

    from app.i18n import babel_locale

    return numbers.format_decimal(Decimal(cents) / 100, format="0.00",
                                  locale=babel_locale(lang))


def format_hours(hours: float | None, lang: str | None = None) -> str:
    if hours is None:
        return ""
    from babel import numbers

    from app.i18n import babel_locale

    return numbers.format_decimal(hours, format="#,##0.##", locale=babel_locale(lang))
