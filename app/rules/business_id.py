"""The Finnish business ID (Y-tunnus, 1234567-8), checked with python-stdnum: the stored
form is the formatted one; each way it can be wrong has its own message (untranslated)."""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.fi import ytunnus

from app.i18n import N_

BAD_FORMAT = N_("A business ID is seven digits, a hyphen and a check digit, "
                "for example 1234567-8.")
BAD_CHECKSUM = N_("The business ID's check digit is wrong.")
REMAINDER_ONE = N_("No business ID has these seven digits (their check remainder is 1).")

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Checked:
    value: str | None  # the formatted 1234567-8, when right
    error: str | None  # an untranslated message, when wrong

    @property
    def ok(self) -> bool:
        return self.error is None


def check(raw: str) -> Checked:
    text = (raw or "").strip()
    compact = ytunnus.compact(text)
    if len(compact) == 7 and compact.isdigit() and "-" in text:
        compact = "0" + compact  # an old six-digit ID, written without its leading zero
    if len(compact) != 8 or not compact.isdigit():
        return Checked(None, BAD_FORMAT)
    if sum(w * int(d) for w, d in zip(_WEIGHTS, compact[:7], strict=True)) % 11 == 1:
        return Checked(None, REMAINDER_ONE)
    if not ytunnus.is_valid(compact):
        return Checked(None, BAD_CHECKSUM)
    return Checked(ytunnus.format(compact), None)
