"""Signing in and out. Offline sign-in checks the argon2id verifier stored locally."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from app.i18n import N_
from app.models import ServicePoint, Staff, StaffCredential
from app.rules.feedback import check_pin
from app.services.context import Actor, AppContext
from app.services.errors import NotSignedIn, SignInFailed, ValidationFailed

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


class AuthService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def sign_in(self, username: str, password: str) -> Actor:
        username = username.strip().lower()
        with self.ctx.session_factory.begin() as s:
            row = s.execute(
                select(Staff, StaffCredential.verifier, ServicePoint)
                .join(StaffCredential, StaffCredential.staff_id == Staff.id)
                .join(ServicePoint, ServicePoint.id == Staff.service_point_id)
                .where(Staff.username == username, Staff.active.is_(True))
            ).first()
            # Verify even for unknown names, so timing does not reveal which names exist.
            verifier = row[1] if row else _DUMMY
            try:
                _hasher.verify(verifier, password)
            except (VerificationError, InvalidHashError):
                row = None
            if row is None:
                raise SignInFailed(N_("The username or password is wrong."))
            staff, _verifier, point = row
            actor = Actor(
                staff_id=staff.id,
                username=staff.username,
                full_name=staff.full_name,
                role=staff.role,
                service_point_id=point.id,
                service_point_code=point.code,
                service_point_name=point.name,
                team_id=staff.team_id,
            )
            self.ctx.actor = actor
            self.ctx.audit(s, "sign_in", "staff", staff.id)
        return actor

    def sign_out(self) -> None:
        if self.ctx.actor is not None:
            with self.ctx.session_factory.begin() as s:
                self.ctx.audit(s, "sign_out", "staff", self.ctx.actor.staff_id)
        self.ctx.actor = None

    def set_password(self, staff_id: str, password: str) -> None:
        with self.ctx.session_factory.begin() as s:
            cred = s.get(StaffCredential, staff_id)
            if cred is None:
                s.add(StaffCredential(staff_id=staff_id, verifier=hash_password(password)))
            else:
                cred.verifier = hash_password(password)

    # --- the kiosk PIN (local only, like the password verifier) ------------------------

    def set_pin(self, pin: str) -> None:
        """The signed-in worker's PIN for leaving the feedback kiosk."""
        if self.ctx.actor is None:
            raise NotSignedIn(N_("Sign in first."))
        problem = check_pin(pin)
        if problem:
            raise ValidationFailed({"pin": problem})
        with self.ctx.session_factory.begin() as s:
            cred = s.get(StaffCredential, self.ctx.actor.staff_id)
            if cred is None:
                raise SignInFailed(N_("Sign in first."))
            cred.pin_verifier = hash_password(pin)
            self.ctx.audit(s, "kiosk_pin.set", "staff", self.ctx.actor.staff_id)

    def verify_pin(self, username: str, pin: str) -> bool:
        """Whether `pin` is this active staff member's kiosk PIN (audited either way).
        The username picks the one verifier to check: argon2 is deliberately slow."""
        username = username.strip().lower()
        with self.ctx.session_factory.begin() as s:
            row = s.execute(
                select(Staff.id, StaffCredential.pin_verifier)
                .join(StaffCredential, StaffCredential.staff_id == Staff.id)
                .where(Staff.username == username, Staff.active.is_(True))
            ).first()
            staff_id = row[0] if row else None
            verifier = row[1] if row and row[1] else _DUMMY
            try:
                ok = _hasher.verify(verifier, pin) and row is not None and bool(row[1])
            except (VerificationError, InvalidHashError):
                ok = False
            self.ctx.audit(s, "kiosk.leave" if ok else "kiosk.leave_refused", "staff",
                           staff_id)
        return ok


# Verified against for unknown usernames, so that timing does not reveal which exist.
# A constant: hashing one at import would cost every start-up ~130 ms and 64 MiB.
_DUMMY = "$argon2id$v=19$m=65536,t=3,p=4$NuODPGehiMJFufDuvakrJg$+tXepaSnrvJIwW/mHGW2byJiVFZIR7lGS3bK1iIXMr4"  # noqa: E501
