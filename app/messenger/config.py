"""The messenger's configuration: the command line names the places (the central
database, the SMTP relay, the SMS gateway); credentials come from the environment or a
TOML file, never from the command line (a process list shows the command line to every
user of the machine).

Environment: DESK_MESSENGER_SMTP_USER, DESK_MESSENGER_SMTP_PASSWORD,
DESK_MESSENGER_SMTP_STARTTLS (require | if-offered | off), DESK_MESSENGER_FROM,
DESK_MESSENGER_SMS_TOKEN, DESK_MESSENGER_SMS_SENDER. The file (--config), all keys
optional; the environment wins over it and the command line over both:

    [messenger]
    name = "messenger-1"
    interval = 60          # seconds between passes
    lease = 300            # seconds a claim holds before another messenger recovers it
    batch = 50
    [smtp]
    url = "smtp://relay.example.fi:587"
    user = "..."
    password = "..."
    starttls = "require"   # require | if-offered | off (a local relay only)
    from = "Työllisyyspalvelut <no-reply@example.fi>"
    [sms]
    url = "https://sms.example.fi/api"
    token = "..."
    sender = "Tyollisyys"
"""

from __future__ import annotations

import os
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

STARTTLS_MODES = ("require", "if-offered", "off")


SENDS_PER_LEASE = 10  # exchanges of one send (connect, TLS, login, envelope, body...)


class ConfigError(ValueError):
    """The configuration cannot be used (the message names the setting, not a secret)."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str | None
    password: str | None
    starttls: str          # require | if-offered | off
    sender: str
    timeout: float = 30.0


@dataclass(frozen=True)
class SmsConfig:
    url: str
    token: str
    sender: str
    timeout: float = 30.0


@dataclass(frozen=True)
class Config:
    central: str
    name: str
    interval: float
    lease: float
    batch: int
    smtp: SmtpConfig | None
    sms: SmsConfig | None


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"[{key}] in the configuration file is not a table")
    return value


def load(central: str, smtp_url: str | None = None, sms_url: str | None = None,
         name: str | None = None, interval: float | None = None,
         config_file: Path | None = None,
         environ: Mapping[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ
    data: Mapping[str, Any] = {}
    if config_file is not None:
        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read {config_file}: {exc}") from exc
    main, smtp_part, sms_part = (_section(data, "messenger"), _section(data, "smtp"),
                                 _section(data, "sms"))

    def pick(env_key: str, part: Mapping[str, Any], key: str, default: Any = None) -> Any:
        if env.get(env_key):
            return env[env_key]
        return part.get(key, default)

    smtp = None
    smtp_url = smtp_url or smtp_part.get("url")
    if smtp_url:
        parts = urlsplit(smtp_url)
        if parts.scheme != "smtp" or not parts.hostname:
            raise ConfigError("the SMTP relay is given as smtp://HOST:PORT")
        if parts.username or parts.password:
            raise ConfigError("SMTP credentials belong in the environment or the "
                              "configuration file, not in the address")
        starttls = str(pick("DESK_MESSENGER_SMTP_STARTTLS", smtp_part, "starttls",
                            "require"))
        if starttls not in STARTTLS_MODES:
            raise ConfigError(f"starttls is one of {', '.join(STARTTLS_MODES)}")
        sender = pick("DESK_MESSENGER_FROM", smtp_part, "from")
        if not sender:
            raise ConfigError("e-mail needs a sender: DESK_MESSENGER_FROM or [smtp] from")
        smtp = SmtpConfig(host=parts.hostname, port=parts.port or 587,
                          user=pick("DESK_MESSENGER_SMTP_USER", smtp_part, "user"),
                          password=pick("DESK_MESSENGER_SMTP_PASSWORD", smtp_part,
                                        "password"),
                          starttls=starttls, sender=str(sender))
    sms = None
    sms_url = sms_url or sms_part.get("url")
    if sms_url:
        parts = urlsplit(sms_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError("the SMS gateway is given as https://HOST/PATH")
        if parts.username or parts.password:
            raise ConfigError("the SMS gateway's token belongs in the environment or the "
                              "configuration file, not in the address")
        token = pick("DESK_MESSENGER_SMS_TOKEN", sms_part, "token")
        sender = pick("DESK_MESSENGER_SMS_SENDER", sms_part, "sender")
        if not token or not sender:
            raise ConfigError("the SMS gateway needs DESK_MESSENGER_SMS_TOKEN and "
                              "DESK_MESSENGER_SMS_SENDER (or [sms] token and sender)")
        sms = SmsConfig(url=sms_url.rstrip("/"), token=str(token), sender=str(sender))
    try:
        lease = float(main.get("lease", 300))
        batch = int(main.get("batch", 50))
        every = float(interval if interval is not None else main.get("interval", 60))
    except (TypeError, ValueError) as exc:
        raise ConfigError("interval, lease and batch are numbers") from exc
    if lease <= 0 or batch <= 0 or every <= 0:
        raise ConfigError("interval, lease and batch are positive")
    # A send takes a few exchanges with the channel, each up to its timeout: the lease
    # must outlast them, or another messenger would recover a message still being sent.
    slowest = max([c.timeout for c in (smtp, sms) if c is not None], default=0.0)
    if lease < SENDS_PER_LEASE * slowest:
        raise ConfigError(f"the lease ({lease:g} s) must be at least {SENDS_PER_LEASE} "
                          f"times the channels' timeout ({slowest:g} s)")
    return Config(central=central,
                  name=str(name or main.get("name") or f"messenger@{socket.gethostname()}"),
                  interval=every, lease=lease, batch=batch, smtp=smtp, sms=sms)
