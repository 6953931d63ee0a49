"""Validation of a customer's details. Returns untranslated messages per field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from app.i18n import N_
from app.rules import hetu as hetu_rules
from app.rules.codes import CUSTOMER_LANGUAGES

_PHONE = re.compile(r"^\+?[0-9]{6,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
# Letters (any script, Sámi Č đ ŋ ŧ included), combining marks, space, hyphen, apostrophe.
_NAME_OK = re.compile(r"^[^\W\d_]+(?:[ \-'’.][^\W\d_]+)*\.?$")

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def nfc(text: str | None) -> str:
    """Normalise to NFC and trim: NFD input (macOS, some web forms) would not match."""
    return unicodedata.normalize("NFC", text or "").strip()


def sort_name(last_name: str, first_names: str) -> str:
    return f"{nfc(last_name)} {nfc(first_names)}".casefold()


def customer_number(row_id: str) -> str:
    """A readable number derived from the client-generated UUID: 40 bits in Crockford
    base32, 'XXXX-XXXX'. Needs no coordination, so it is made offline too."""
    bits = int(row_id.replace("-", "")[:10], 16)
    chars = "".join(_CROCKFORD[(bits >> shift) & 31] for shift in range(35, -1, -5))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_phone(raw: str) -> str:
    return re.sub(r"[\s\-()]", "", raw.strip())


@dataclass
class CustomerInput:
    """What a worker typed into the customer form (all text, nothing lost)."""

    first_names: str = ""
    last_name: str = ""
    hetu: str = ""
    birth_date: date | None = None
    language: str = "fi"
    interpreter_needed: bool = False
    phone: str = ""
    email: str = ""
    street_address: str = ""
    postal_code: str = ""
    post_office: str = ""
    home_municipality: str = "Rovaniemi"
    jobseeker_registered_on: date | None = None
    unemployed_since: date | None = None
    # The integration plan applies in the first years after it.
    first_residence_permit_on: date | None = None


@dataclass
class Validated:
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    hetu: str | None = None
    hetu_temporary: bool = False
    birth_date: date | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(data: CustomerInput, today: date) -> Validated:
    result = Validated()
    for name in ("first_names", "last_name"):
        value = nfc(getattr(data, name))
        if not value:
            result.errors[name] = N_("Required.")
        elif not _NAME_OK.match(value):
            result.errors[name] = N_("Use letters, spaces, hyphens and apostrophes only.")
    if nfc(data.hetu):
        checked = hetu_rules.check(data.hetu, today)
        if checked.ok:
            result.hetu = checked.value
            result.birth_date = checked.birth_date
            result.hetu_temporary = checked.temporary
            if checked.temporary:
                result.warnings["hetu"] = N_(
                    "A temporary identity code: replace it when the permanent one is known."
                )
        else:
            result.errors["hetu"] = checked.error or ""
    else:
        if data.birth_date is None:
            result.errors["birth_date"] = N_("Give the birth date when there is no identity code.")
        elif data.birth_date > today:
            result.errors["birth_date"] = N_("The birth date is in the future.")
        else:
            result.birth_date = data.birth_date
    if data.language not in CUSTOMER_LANGUAGES:
        result.errors["language"] = N_("Choose a language from the list.")
    if nfc(data.phone) and not _PHONE.match(normalise_phone(data.phone)):
        result.errors["phone"] = N_("A phone number has 6 to 15 digits, for example 040 123 4567.")
    if nfc(data.email) and not _EMAIL.match(nfc(data.email)):
        result.errors["email"] = N_("Check the email address, for example name@example.fi.")
    if nfc(data.postal_code) and not re.fullmatch(r"\d{5}", nfc(data.postal_code)):
        result.errors["postal_code"] = N_("A postal code has five digits.")
    if not nfc(data.home_municipality):
        result.errors["home_municipality"] = N_("Required.")
    for name in ("jobseeker_registered_on", "unemployed_since"):
        value = getattr(data, name)
        if value is not None and value > today:
            result.errors[name] = N_("The date cannot be in the future.")
    permit = data.first_residence_permit_on
    if permit is not None:
        if permit > today:
            result.errors["first_residence_permit_on"] = N_("The date cannot be in the future.")
        elif result.birth_date is not None and permit < result.birth_date:
            result.errors["first_residence_permit_on"] = N_(
                "The residence permit cannot be before the birth date.")
    return result
