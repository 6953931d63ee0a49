"""Validation of the facts behind the statutory rules (work ability, the benefit, the
labour-market subsidy days): untranslated messages per field, no I/O."""

from __future__ import annotations

from datetime import date

from app.i18n import N_
from app.rules.codes import BenefitType

BASIS_LIMIT = 200  # CaseFacts.work_ability_basis
SUBSIDY_DAYS_MAX = 2000  # more than anyone can have been paid: a typing error
NOT_IN_FUTURE = N_("The date cannot be in the future.")


def validate(*, partial_work_ability: bool, work_ability_since: date | None,
             work_ability_basis: str, benefit: str | None, first_benefit_on: date | None,
             subsidy_days: int | None, subsidy_days_on: date | None,
             allowance_exhausted_on: date | None, today: date) -> dict[str, str]:
    """{field: message} for what is wrong; empty when the facts may be saved.

    The first benefit day may lie ahead (Kela's decision gives it); the other dates say
    what has happened, so none of them is in the future."""
    errors: dict[str, str] = {}
    if partial_work_ability:
        if work_ability_since is not None and work_ability_since > today:
            errors["work_ability_since"] = NOT_IN_FUTURE
        if len(work_ability_basis) > BASIS_LIMIT:
            errors["work_ability_basis"] = N_("At most 200 characters.")
    if benefit is not None and benefit not in {b.value for b in BenefitType}:
        errors["benefit"] = N_("Choose a benefit from the list.")
    if first_benefit_on is not None and benefit in (None, BenefitType.NONE.value):
        errors["first_benefit_on"] = N_("Choose the benefit first.")
    if subsidy_days is not None:
        if not 0 <= subsidy_days <= SUBSIDY_DAYS_MAX:
            errors["subsidy_days"] = N_("Between 0 and 2000 days.")
        if subsidy_days_on is None:
            errors["subsidy_days_on"] = N_("Give the date of Kela's statement.")
    elif subsidy_days_on is not None:
        errors["subsidy_days"] = N_("Give the days paid as of that date.")
    if subsidy_days_on is not None and subsidy_days_on > today:
        errors["subsidy_days_on"] = NOT_IN_FUTURE
    if allowance_exhausted_on is not None and allowance_exhausted_on > today:
        errors["allowance_exhausted_on"] = NOT_IN_FUTURE
    return errors


def validate_period(starts_on: date | None, ends_on: date | None, benefit: str,
                    today: date) -> dict[str, str]:
    """A period of unemployment: it has started (not in the future), ends after it
    starts, and names a benefit."""
    errors: dict[str, str] = {}
    if starts_on is None:
        errors["starts_on"] = N_("Required.")
    elif starts_on > today:
        errors["starts_on"] = NOT_IN_FUTURE
    if ends_on is not None and starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = N_("The end cannot be before the start.")
    if benefit not in {b.value for b in BenefitType}:
        errors["benefit"] = N_("Choose a benefit from the list.")
    return errors
