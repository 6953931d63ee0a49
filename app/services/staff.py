"""Staff accounts: the application's Staff row, the local sign-in verifier and, with a
central database, the staff member's own PostgreSQL role in the group of their role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from app.db import central_roles
from app.i18n import N_
from app.models import PartnerOrg, ServicePoint, Staff, StaffCredential
from app.rules.codes import Role
from app.rules.permissions import Permission
from app.services.auth import hash_password
from app.services.context import AppContext
from app.services.errors import ValidationFailed
from app.sync import outbox


@dataclass(frozen=True)
class StaffAccount:
    id: str
    username: str
    full_name: str
    role: Role
    service_point_code: str
    central_role: bool


class StaffService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def has_staff(self) -> bool:
        with self.ctx.reading() as s:
            return bool(s.scalar(select(func.count()).select_from(Staff)))

    def add(self, username: str, full_name: str, role: Role, point_code: str, password: str,
            central: Engine | None = None, partner_org_id: str | None = None
            ) -> StaffAccount:
        """Create the account. The very first account of an empty database needs no
        signed-in administrator (it is the administrator); every later one does."""
        username, full_name = username.strip().lower(), full_name.strip()
        errors = {}
        if not central_roles.valid_username(username):
            errors["username"] = N_("Use lower-case letters, digits, '.', '_' or '-', "
                                    "starting with a letter.")
        if not full_name:
            errors["full_name"] = N_("Give the full name.")
        if len(password) < 8:
            errors["password"] = N_("The password needs at least 8 characters.")
        # A partner's account (#24) belongs to their organisation; no one else's does.
        if role is Role.PARTNER and not partner_org_id:
            errors["partner_org"] = N_("Choose the partner organisation the person works "
                                       "for.")
        if role is not Role.PARTNER:
            partner_org_id = None
        if errors:
            raise ValidationFailed(errors)
        if self.has_staff() or self.ctx.actor is not None:
            self.ctx.require(Permission.STAFF_MANAGE)
        with self.ctx.session_factory.begin() as s:
            if self.ctx.actor is not None:
                s.info[outbox.ACTOR_KEY] = self.ctx.actor.staff_id
            point = s.scalar(select(ServicePoint).where(ServicePoint.code == point_code.upper()))
            if point is None:
                raise ValidationFailed({"service_point": N_("No such service point.")})
            if s.scalar(select(Staff.id).where(Staff.username == username)):
                raise ValidationFailed({"username": N_("This username is taken.")})
            if partner_org_id and not s.scalar(select(PartnerOrg.id).where(
                    PartnerOrg.id == partner_org_id, PartnerOrg.deleted_at.is_(None))):
                raise ValidationFailed({"partner_org": N_("No such partner organisation.")})
            staff = Staff(username=username, full_name=full_name, role=role,
                          service_point_id=point.id, active=True,
                          partner_org_id=partner_org_id)
            s.add(staff)
            s.flush()
            s.add(StaffCredential(staff_id=staff.id, verifier=hash_password(password)))
            self.ctx.audit(s, "staff.add", "staff", staff.id,
                           {"username": username, "role": role.value})
            # The PostgreSQL role last: if it fails, the local transaction rolls back.
            if central is not None:
                central_roles.create_login_role(central, username, password, role)
            return StaffAccount(staff.id, username, full_name, role, point.code,
                                central is not None)

    def deactivate(self, username: str, central: Engine | None = None) -> None:
        """A staff member who has left: their account stops signing in here, their row
        (synchronised) makes the central row-level security show them nothing, and with
        `central` (an administrator's connection) their PostgreSQL role loses LOGIN."""
        with self.ctx.transaction(Permission.STAFF_MANAGE) as s:
            staff = s.scalar(select(Staff).where(Staff.username == username.strip().lower()))
            if staff is None:
                raise ValidationFailed({"username": N_("No such staff member.")})
            if self.ctx.actor is not None and staff.id == self.ctx.actor.staff_id:
                raise ValidationFailed({"username": N_("You cannot deactivate yourself.")})
            staff.active = False
            self.ctx.audit(s, "staff.deactivate", "staff", staff.id)
            if central is not None:
                central_roles.disable_login(central, staff.username)
