"""Settings files and per-user paths. No Qt here: the CLI and tests use it too.

The settings are INI files (`[desk]` section: central_url, service_point, ticket_letter,
language, text_scale, db_path, workstation), read in this order, later ones overriding:

1. the machine-wide file that IT deploys (`site_config_file()`: /etc/rovaseutu/desk.ini,
   %PROGRAMDATA%\\Rovaseutu\\desk.ini on Windows), the workstation's defaults;
2. the user's own file (`config_file()`), written by the first-run dialog and holding
   only what differs from the machine-wide file, so a value IT changes later still
   reaches every user who did not choose otherwise.

DESK_CONFIG names one file to use instead of both (tests, portable setups); with it the
first-run dialog never appears. The first-run dialog appears when neither file exists.
"""

from __future__ import annotations

import configparser
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir

from app import APP_AUTHOR, APP_NAME
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES

TEXT_SCALES = (100, 125, 150)


def data_dir() -> Path:
    override = os.environ.get("DESK_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    """The diagnostics log's folder (desk.log, crash.log): `logs` in the data folder, or
    DESK_LOG_DIR (tests, IT collecting logs elsewhere)."""
    override = os.environ.get("DESK_LOG_DIR")
    return Path(override) if override else data_dir() / "logs"


def config_file() -> Path:
    override = os.environ.get("DESK_CONFIG")
    if override:
        return Path(override)
    return Path(user_config_dir(APP_NAME, APP_AUTHOR)) / "desk.ini"


def site_config_file() -> Path:
    """The machine-wide settings file IT deploys (DESK_SITE_CONFIG overrides)."""
    override = os.environ.get("DESK_SITE_CONFIG")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(base) / APP_NAME / "desk.ini"
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_NAME / "desk.ini"
    return Path("/etc") / APP_NAME.lower() / "desk.ini"


def config_files() -> list[Path]:
    """The files `load()` reads, the overriding one last."""
    if os.environ.get("DESK_CONFIG"):
        return [config_file()]
    return [site_config_file(), config_file()]


def needs_first_run() -> bool:
    """No settings file at all: the workstation has not been set up (see the module)."""
    if os.environ.get("DESK_CONFIG"):
        return False
    return not any(path.exists() for path in config_files())


@dataclass(frozen=True)
class Config:
    db_path: Path
    central_url: str | None = None
    language: str = DEFAULT_LANGUAGE
    service_point: str | None = None
    text_scale: int = 100
    workstation: str = ""
    # Preset for the walk-in queue's ticket letter (applied while the workstation has
    # none of its own: see SetupService.preset_letter).
    ticket_letter: str | None = None

    def with_(self, **changes: Any) -> Config:
        return replace(self, **changes)


def default_db_path() -> Path:
    return data_dir() / "desk.sqlite3"


def _read(paths: list[Path]) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    for path in paths:
        if path.exists():
            parser.read(path, encoding="utf-8")
    return parser


def load(path: Path | None = None) -> Config:
    """Read the settings files there are (one file when `path` is given); missing
    values take their defaults."""
    parser = _read([path] if path else config_files())
    section = parser["desk"] if parser.has_section("desk") else {}
    language = section.get("language", DEFAULT_LANGUAGE)
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    try:
        scale = int(section.get("text_scale", "100"))
    except ValueError:
        scale = 100
    return Config(
        db_path=Path(section.get("db_path") or default_db_path()),
        central_url=section.get("central_url") or None,
        language=language,
        service_point=section.get("service_point") or None,
        text_scale=scale if scale in TEXT_SCALES else 100,
        workstation=section.get("workstation") or os.environ.get("HOSTNAME", "") or _hostname(),
        ticket_letter=section.get("ticket_letter") or None,
    )


def save(config: Config, path: Path | None = None) -> None:
    path = path or config_file()
    parser = _read([path])
    if not parser.has_section("desk"):
        parser.add_section("desk")
    parser["desk"]["language"] = config.language
    parser["desk"]["text_scale"] = str(config.text_scale)
    if config.service_point:
        parser["desk"]["service_point"] = config.service_point
    if config.central_url:
        parser["desk"]["central_url"] = config.central_url
    _write(parser, path)


def save_user(values: dict[str, str]) -> Path:
    """Write the user's file with those of `values` that differ from the machine-wide
    file (an empty value clears a key), keeping the user's other keys; returns it."""
    path = config_file()
    site = _read([] if os.environ.get("DESK_CONFIG") else [site_config_file()])
    base = site["desk"] if site.has_section("desk") else {}
    parser = _read([path])
    if not parser.has_section("desk"):
        parser.add_section("desk")
    for key, value in values.items():
        if value == base.get(key, "") and key != "language":
            parser.remove_option("desk", key)
        else:
            # The language is always written: it also marks the first run as done.
            parser["desk"][key] = value
    _write(parser, path)
    return path


# The page a staff member starts on after signing in, if they chose one ("Start on this
# page"); one key per username, in the user's file (save_user).
START_PAGE_KEY = "start_page.{username}"


def start_pages() -> dict[str, str]:
    """Username: the page key they chose to start on."""
    parser = _read(config_files())
    prefix = START_PAGE_KEY.format(username="")
    if not parser.has_section("desk"):
        return {}
    return {key[len(prefix):]: value for key, value in parser["desk"].items()
            if key.startswith(prefix) and value}


def _write(parser: configparser.ConfigParser, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        parser.write(fh)


def _hostname() -> str:
    import socket

    return socket.gethostname()
