"""Translations (gettext catalogs managed with Babel) and locale-aware formatting.

`_()` looks the message up in the *current* catalog at call time, so switching the
language at runtime takes effect the next time a widget asks for its text. Strings that
must be defined at import time are marked with `N_()` and translated where shown.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import io
import os
import re
import struct
import threading
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
BABEL_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
# The name of each language in itself: a language choice is shown by name, never by flag.
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
HELSINKI = ZoneInfo("Europe/Helsinki")

_lock = threading.Lock()
_current = DEFAULT_LANGUAGE
_catalogs: dict[str, gettext.NullTranslations] = {}


def translations_dir() -> Path:
    """The folder with `<lang>/LC_MESSAGES/messages.po` (and `.mo`): inside the package, so
    every install path (`pip install .`, `-e .`, the bundle) carries it."""
    return Path(__file__).resolve().parent / "translations"


def _load(lang: str) -> gettext.NullTranslations:
    """The compiled catalog when it is current; else the `.po` compiled in memory (and
    the `.mo` written beside it when the folder is writable), so a checkout installed
    without `make` still speaks Finnish. English msgids are the fallback."""
    folder = translations_dir() / lang / "LC_MESSAGES"
    po, mo = folder / "messages.po", folder / "messages.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        try:
            with mo.open("rb") as fh:
                return gettext.GNUTranslations(fh)
        except (OSError, struct.error, ValueError, IndexError):
            pass  # damaged (a start killed while writing it): compiled again below
    if not po.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    # Written aside and renamed: a start killed midway, or two at once, leave no half file.
    partial = mo.with_name(f"messages.mo.{os.getpid()}.part")
    with contextlib.suppress(OSError):  # read-only: compiled again next start, in memory
        partial.write_bytes(buffer.getvalue())
        os.replace(partial, mo)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _catalog(lang: str) -> gettext.NullTranslations:
    with _lock:
        if lang not in _catalogs:
            _catalogs[lang] = _load(lang)
        return _catalogs[lang]


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current = lang


def current_language() -> str:
    return _current


def babel_locale(lang: str | None = None) -> str:
    return BABEL_LOCALES[lang or _current]


@functools.cache
def _parsed_locale(name: str) -> Locale:
    return Locale.parse(name)


def _babel(lang: str | None = None) -> Locale:
    """The language's Babel locale, parsed once: a list formats thousands of cells, and
    each format call given a name parses it again."""
    return _parsed_locale(babel_locale(lang))


def _(message: str) -> str:
    return _catalog(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def translate_in(lang: str, message: str) -> str:
    """The message in a given language, whatever the UI language (printing, kiosk)."""
    return _catalog(lang).gettext(message)


def catalog_has(lang: str, message: str) -> bool:
    cat = _catalog(lang)
    return getattr(cat, "_catalog", {}).get(message) is not None


# --- formatting -------------------------------------------------------------------


def format_date(value: date | None, fmt: str = "short", lang: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return babel_dates.format_date(value, fmt, locale=_babel(lang))


def format_day(value: date | datetime, weekday: str = "", year: bool = False,
               lang: str | None = None) -> str:
    """A day as the language writes it short, from Babel's skeletons, never a Finnish
    pattern in English: "14.9." / "14.9" / "14/09", with `year` "14.9.2026" /
    "14/09/2026"; `weekday` ("EEEE", "EEE", "cccc") puts its name first ("Monday 14/09")."""
    if isinstance(value, datetime):
        value = to_local(value).date()
    locale = _babel(lang)
    text = babel_dates.format_skeleton("yMd" if year else "Md", value, locale=locale)
    if weekday:
        text = f"{babel_dates.format_date(value, weekday, locale=locale)} {text}"
    return text


def date_input_format(lang: str | None = None, with_time: bool = False) -> str:
    """The Qt display format of a date field (QDateEdit) in the language's short date,
    the year in full: "d.M.yyyy", "dd/MM/yyyy"; `with_time` adds "H.mm" / "HH:mm"."""
    locale = _babel(lang)
    pattern = re.sub(r"y+", "yyyy", babel_dates.get_date_format("short", locale=locale).pattern)
    if with_time:
        pattern += " " + babel_dates.get_time_format("short", locale=locale).pattern
    return pattern


def time_input_format(lang: str | None = None) -> str:
    """The Qt display format of a time field (QTimeEdit): the language's short time,
    "H.mm" in Finnish and Swedish, "HH:mm" in English (Babel's "a" is Qt's "AP")."""
    pattern = babel_dates.get_time_format("short", locale=_babel(lang)).pattern
    return pattern.replace("a", "AP")


def parse_date(text: str) -> date | None:
    """A date typed in a form: the Finnish and Swedish short date, d.m.yyyy; None when
    empty; ValueError when not a date."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if not match:
        raise ValueError(text)
    day, month, year = (int(g) for g in match.groups())
    return date(year, month, day)


def format_datetime(value: datetime | None, fmt: str = "short", lang: str | None = None) -> str:
    if value is None:
        return ""
    return babel_dates.format_datetime(to_local(value), fmt, locale=_babel(lang))


def format_time(value: datetime | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    return babel_dates.format_time(to_local(value), "short", locale=_babel(lang))


def format_minutes(minute_of_day: int, lang: str | None = None) -> str:
    """A clock time given as minutes after midnight (working hours, the calendar's
    hour lines): "8.00" in Finnish, "08:00" in English."""
    hour, minute = divmod(minute_of_day, 60)
    return babel_dates.format_time(time(hour % 24, minute), "short", locale=_babel(lang))


def format_number(value: float | int, lang: str | None = None) -> str:
    return babel_numbers.format_decimal(value, locale=_babel(lang))


def format_percent(value: float, lang: str | None = None) -> str:
    return babel_numbers.format_percent(value, locale=_babel(lang))


def to_local(value: datetime) -> datetime:
    """Times are stored in UTC (naive values are UTC) and shown in Europe/Helsinki."""
    if value.tzinfo is None:
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    return value.astimezone(HELSINKI)
