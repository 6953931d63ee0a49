"""Settings file and per-user paths. No Qt here: the CLI and tests use it too.

The settings file is an INI file so that municipal IT can deploy one
(`[desk]` section: central_url, service_point, language, text_scale, db_path).
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, replace
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from app import APP_AUTHOR, APP_NAME
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES

TEXT_SCALES = (100, 125, 150)


def data_dir() -> Path:
    override = os.environ.get("DESK_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, APP_AUTHOR))


def config_file() -> Path:
    override = os.environ.get("DESK_CONFIG")
    if override:
        return Path(override)
    return Path(user_config_dir(APP_NAME, APP_AUTHOR)) / "desk.ini"


@dataclass(frozen=True)
class Config:
    db_path: Path
    central_url: str | None = None
    language: str = DEFAULT_LANGUAGE
    service_point: str | None = None
    text_scale: int = 100
    workstation: str = ""

    def with_(self, **changes: object) -> Config:
        return replace(self, **changes)  # type: ignore[arg-type]


def default_db_path() -> Path:
    return data_dir() / "desk.sqlite3"


def load(path: Path | None = None) -> Config:
    """Read the settings file if there is one; missing values take their defaults."""
    path = path or config_file()
    parser = configparser.ConfigParser()
    if path.exists():
        parser.read(path, encoding="utf-8")
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
    )


def save(config: Config, path: Path | None = None) -> None:
    path = path or config_file()
    parser = configparser.ConfigParser()
    if path.exists():
        parser.read(path, encoding="utf-8")
    if not parser.has_section("desk"):
        parser.add_section("desk")
    parser["desk"]["language"] = config.language
    parser["desk"]["text_scale"] = str(config.text_scale)
    if config.service_point:
        parser["desk"]["service_point"] = config.service_point
    if config.central_url:
        parser["desk"]["central_url"] = config.central_url
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        parser.write(fh)


def _hostname() -> str:
    import socket

    return socket.gethostname()
