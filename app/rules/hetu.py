"""The Finnish personal identity code (henkilötunnus).

Format DDMMYY C ZZZ Q: century sign C ('+' 1800s; '-', 'Y', 'X', 'W', 'V', 'U' 1900s;
'A'-'F' 2000s, the 2023 signs included), individual number ZZZ (002-899; 900-999 are
temporary numbers), and the control character Q = the nine digits mod 31 indexed into
'0123456789ABCDEFHJKLMNPRSTUVWXY'. The check itself is python-stdnum's; this module adds
what stdnum leaves to us: no future birth dates, and messages a desk worker can act on.
Source: Population Information Act 661/2009 and Decree 128/2010 (amended 2022, signs 2023).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.fi import hetu as stdnum_hetu

from app.i18n import N_

_SHAPE = re.compile(r"^\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]$")


@dataclass(frozen=True)
class HetuCheck:
    """The result of checking one code. `error` is an untranslated message id."""

    value: str | None
    birth_date: date | None = None
    temporary: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def normalise(raw: str) -> str:
    return raw.strip().upper().replace(" ", "")


def has_shape(raw: str) -> bool:
    """Typed in full (DDMMYY-NNNC), whether or not it is valid: worth a look-up."""
    return bool(_SHAPE.match(normalise(raw)))


def check(raw: str, today: date) -> HetuCheck:
    code = normalise(raw)
    if not _SHAPE.match(code):
        return HetuCheck(code, error=N_("Use the form DDMMYY-NNNC, for example 131052-308T."))
    try:
        stdnum_hetu.validate(code, allow_temporary=True)
    except stdnum_errors.InvalidChecksum:
        return HetuCheck(
            code, error=N_("The control character does not match: check the identity code.")
        )
    except stdnum_errors.InvalidComponent:
        return HetuCheck(
            code,
            error=N_("The birth date or individual number in the identity code is not possible."),
        )
    except stdnum_errors.ValidationError:
        return HetuCheck(code, error=N_("This is not a valid personal identity code."))
    born = birth_date(code)
    if born > today:
        return HetuCheck(code, error=N_("The birth date is in the future."))
    return HetuCheck(code, birth_date=born, temporary=is_temporary(code))


def birth_date(code: str) -> date:
    century = {"+": 1800}
    century.update(dict.fromkeys("-YXWVU", 1900))
    century.update(dict.fromkeys("ABCDEF", 2000))
    day, month, year = int(code[0:2]), int(code[2:4]), int(code[4:6])
    return date(century[code[6]] + year, month, day)


def is_temporary(code: str) -> bool:
    return int(code[7:10]) >= 900


def masked(code: str | None) -> str:
    """Birth-date part only, the rest hidden until the worker reveals it ("120385-****")."""
    if not code:
        return ""
    return code[:7] + "****"


def control_character(nine_digits: str) -> str:
    return "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(nine_digits) % 31]


def make(born: date, individual: int) -> str:
    """Build a valid code (demo data and tests)."""
    sign = "+" if born.year < 1900 else "-" if born.year < 2000 else "A"
    digits = f"{born:%d%m}{born.year % 100:02d}{individual:03d}"
    return f"{digits[:6]}{sign}{digits[6:]}{control_character(digits)}"
