"""First-run setup of a workstation: the service points to choose from, the ticket
letter a configuration file presets, and checking the central database address.

The check runs in the views' task runner (it waits on the network). Each failure says
which step failed, because the fix differs: a wrong host or port (IT's network or the
address), a wrong user name or password, or a database name that does not exist.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import URL, create_engine, make_url, select, text
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import NullPool

from app.i18n import N_, _
from app.models import LocalSetting, ServicePoint
from app.rules.queue import TICKET_LETTERS
from app.services.context import AppContext
from app.services.errors import ServiceError
from app.services.queue import LETTER_KEY

log = logging.getLogger(__name__)

DEFAULT_PORT = 5432
CONNECT_TIMEOUT = 5  # seconds: an unreachable server must not keep IT waiting for minutes


class Failure(StrEnum):
    ADDRESS = "address"  # not a usable address at all
    HOST_NOT_FOUND = "host_not_found"
    UNREACHABLE = "unreachable"
    AUTHENTICATION = "authentication"
    DATABASE_MISSING = "database_missing"
    OTHER = "other"


MESSAGES = {
    Failure.ADDRESS: N_("This is not a database address. Give the server, port and "
                        "database, or a URL like postgresql://user@server/database."),
    Failure.HOST_NOT_FOUND: N_("The server name was not found. Check the server name "
                               "(or ask IT whether this workstation is in the network)."),
    Failure.UNREACHABLE: N_("No database server answers at this server and port. Check "
                            "the address and the port, or whether a firewall blocks it."),
    Failure.AUTHENTICATION: N_("The database server refused the user name or password."),
    Failure.DATABASE_MISSING: N_("The server has no database of this name. Check the "
                                 "database name."),
    Failure.OTHER: N_("The database server could not be used."),
}


class CentralCheckFailed(ServiceError):
    """Which step of reaching the central database failed; `detail` is what the server
    (or the network) said, in its own words, shown under the message."""

    def __init__(self, failure: Failure, detail: str = "") -> None:
        super().__init__(MESSAGES[failure])
        self.failure, self.detail = failure, detail

    def text(self, translate: Callable[[str], str] | None = None) -> str:
        translate = translate or _
        said = ("\n" + translate(N_("The server said: {detail}")).format(detail=self.detail[:300])
                if self.detail else "")
        return super().text(translate) + said


@dataclass(frozen=True)
class CentralAddress:
    host: str = ""
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    password: str = ""


@dataclass(frozen=True)
class CentralCheck:
    """A successful connection: the server's version, whether `central init` has set up
    the schema, and the service points found there (code, name)."""

    server_version: str
    initialised: bool
    service_points: list[tuple[str, str]]


def central_url(address: CentralAddress) -> str:
    """The SQLAlchemy URL of an address (user names and passwords may hold any
    character: URL.create escapes them)."""
    if not address.host.strip() or not address.database.strip():
        raise CentralCheckFailed(Failure.ADDRESS)
    url = URL.create("postgresql+psycopg", username=address.user.strip() or None,
                     password=address.password or None, host=address.host.strip(),
                     port=address.port or DEFAULT_PORT, database=address.database.strip())
    return url.render_as_string(hide_password=False)


def split_central_url(url: str) -> CentralAddress:
    """The parts of a URL, for the form's fields; "postgresql://" and "postgres://"
    are taken as the psycopg driver the application uses."""
    text_url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if text_url.startswith(prefix):
            text_url = "postgresql+psycopg://" + text_url[len(prefix):]
    try:
        parsed = make_url(text_url)
    except ArgumentError as exc:
        raise CentralCheckFailed(Failure.ADDRESS, str(exc)) from exc
    if not parsed.drivername.startswith("postgresql") or not parsed.host or not parsed.database:
        raise CentralCheckFailed(Failure.ADDRESS)
    return CentralAddress(host=parsed.host, port=parsed.port or DEFAULT_PORT,
                          database=parsed.database, user=parsed.username or "",
                          password=parsed.password or "")


def check_central(address: CentralAddress, timeout: float = CONNECT_TIMEOUT) -> CentralCheck:
    """Connect to the central database step by step; raises CentralCheckFailed."""
    url = central_url(address)
    try:
        socket.getaddrinfo(address.host.strip(), address.port or DEFAULT_PORT)
    except (socket.gaierror, UnicodeError) as exc:
        raise CentralCheckFailed(Failure.HOST_NOT_FOUND, str(exc)) from exc
    try:
        socket.create_connection((address.host.strip(), address.port or DEFAULT_PORT),
                                 timeout=timeout).close()
    except OSError as exc:
        raise CentralCheckFailed(Failure.UNREACHABLE, str(exc)) from exc
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": int(timeout)})
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar() or ""
            initialised = conn.execute(
                text("SELECT to_regclass('alembic_version_central') IS NOT NULL")).scalar()
            points: list[tuple[str, str]] = []
            if initialised:
                rows = conn.execute(text(
                    "SELECT code, name FROM service_point WHERE deleted_at IS NULL "
                    "ORDER BY code"))
                points = [(code, name) for code, name in rows]
    except OperationalError as exc:
        raise _classify(exc, address, timeout) from exc
    finally:
        engine.dispose()
    return CentralCheck(str(version), bool(initialised), points)


def _classify(exc: OperationalError, address: CentralAddress,
              timeout: float) -> CentralCheckFailed:
    """The server answered but refused: which of the credentials or the database name?
    The server's message is in its own language, so English keywords decide only when
    they are there; otherwise the same credentials are tried on the `postgres` database,
    which every server has: if that works, the asked-for database is what is missing."""
    detail = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = detail.lower()
    if "password" in lowered or "authentication" in lowered or "pg_hba" in lowered:
        return CentralCheckFailed(Failure.AUTHENTICATION, detail)
    if "database" in lowered and "does not exist" in lowered:
        return CentralCheckFailed(Failure.DATABASE_MISSING, detail)
    if address.database != "postgres":
        probe = create_engine(central_url(CentralAddress(
            address.host, address.port, "postgres", address.user, address.password)),
            connect_args={"connect_timeout": int(timeout)})
        try:
            with probe.connect():
                return CentralCheckFailed(Failure.DATABASE_MISSING, detail)
        except OperationalError:
            return CentralCheckFailed(Failure.AUTHENTICATION, detail)
        finally:
            probe.dispose()
    return CentralCheckFailed(Failure.OTHER, detail)


class SetupService:
    """What the first-run dialog reads from, and writes to, the local database."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def service_points(self) -> list[tuple[str, str]]:
        """(code, name) of the service points this workstation knows. Before the first
        synchronisation there are none: the dialog then takes a typed code."""
        with self.ctx.session_factory() as s:
            rows = s.execute(select(ServicePoint.code, ServicePoint.name)
                             .where(ServicePoint.deleted_at.is_(None))
                             .order_by(ServicePoint.code))
            return [(code, name) for code, name in rows]

    def preset_letter(self, letter: str) -> bool:
        """Take the ticket letter from the configuration unless the workstation already
        has one (the desk dialog's choice stays). No sign-in: this is the workstation's
        setup, done before anyone signs in; the letter is a local, unsynchronised
        setting."""
        letter = letter.strip().upper()
        if len(letter) != 1 or letter not in TICKET_LETTERS:
            log.warning("ignoring ticket_letter %r from the configuration", letter)
            return False
        if self.ctx.setting(LETTER_KEY):
            return False
        with self.ctx.session_factory.begin() as s:
            s.merge(LocalSetting(key=LETTER_KEY, value=letter))
        return True
