"""What every command shares: the error that ends a command with a message, the
services over a local database, and acting as a named staff member."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

if TYPE_CHECKING:
    from app.services.registry import Services


class CliError(Exception):
    """Ends a command with a message and no traceback. Exit status 2: the operator's
    mistake or a missing setting (a wrong argument, no such database or record, a centre
    that cannot be reached or has no service point yet)."""

    status = 2


class Refused(CliError):
    """The operation itself was refused (exit status 1): the database is not empty,
    rows of an import were refused, a rule of the service said no."""

    status = 1


def explain(exc: BaseException) -> CliError | None:
    """An error that is not a bug, as the message and status the operator gets; None for
    anything else (a bug: logged with its traceback, the operator told where)."""
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from app.db.errors import LocalDatabaseError
    from app.i18n import _
    from app.services.errors import NotFound, ServiceError, ValidationFailed
    from app.sync.engine import NoServicePoint

    if isinstance(exc, CliError):
        return exc
    if isinstance(exc, LocalDatabaseError):  # empty, damaged, no key: the file and what to do
        return CliError(exc.text())
    if isinstance(exc, NotFound):
        return CliError(exc.text())
    if isinstance(exc, ValidationFailed):
        fields = "; ".join(f"{field}: {_(message)}" for field, message in exc.errors.items())
        return Refused(f"{exc.text()} {fields}".strip())
    if isinstance(exc, ServiceError):
        return Refused(exc.text())
    if isinstance(exc, NoServicePoint):
        return CliError(f"{exc}: give --service-point CODE of a service point the central "
                        "database has (`central init` makes none; an administrator adds them)")
    if isinstance(exc, ArgumentError):
        return CliError(f"not a database address: {first_line(exc)} "
                        "(expected postgresql+psycopg://USER@HOST/DATABASE)")
    if isinstance(exc, DBAPIError):
        return CliError(f"database error: {first_line(exc)}")
    if isinstance(exc, OSError) and exc.filename:
        return CliError(f"{exc.strerror or exc}: {exc.filename}")
    return None


def open_services(db: Path, must_exist: bool = True) -> Services:
    from app.services.registry import Services

    if must_exist and not db.exists():
        raise CliError(f"no database at {db}")
    return Services.open(db, "cli")


def act_as(services: Services, username: str | None) -> None:
    """The CLI runs with local file access; it acts as a named staff member (audited)."""
    from app.models import ServicePoint, Staff
    from app.rules.codes import Role
    from app.services.context import Actor

    with services.ctx.session_factory() as s:
        stmt = select(Staff, ServicePoint).join(ServicePoint,
                                                ServicePoint.id == Staff.service_point_id)
        stmt = (stmt.where(Staff.username == username) if username
                else stmt.where(Staff.role == Role.ADMIN).order_by(Staff.username))
        row = s.execute(stmt.limit(1)).first()
    if row is None:
        raise CliError(f"no staff member {username!r}" if username else "no administrator yet")
    staff, point = row
    services.ctx.actor = Actor(staff.id, staff.username, staff.full_name, staff.role, point.id,
                               point.code, point.name, staff.team_id,
                               partner_org_id=staff.partner_org_id)


def first_line(exc: BaseException) -> str:
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0]


def point_id(services: Services, code: str) -> str:
    """The id of the service point with this code (ROV, RAN), or a CliError."""
    from app.models import ServicePoint

    with services.ctx.session_factory() as s:
        found = s.scalar(select(ServicePoint.id).where(ServicePoint.code == code.upper(),
                                                      ServicePoint.deleted_at.is_(None)))
    if found is None:
        raise CliError(f"no service point {code!r} (--point takes a code such as ROV)")
    return str(found)
