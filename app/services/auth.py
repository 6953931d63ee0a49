"""Signing in and out, and unlocking a locked session.

Online (a central database configured, its URL without credentials), the staff
member's own PostgreSQL role is the credential: the central database checks the
password, and the application caches an argon2id verifier of it for offline sign-in.
Offline, that verifier decides. The password itself is kept only in memory, in the URL
the sync engine uses for this session. Failed attempts on this workstation slow down
and then lock the account for a while (app/rules/signin.py)."""

from __future__ import annotations

import logging
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from app.i18n import N_
from app.models import LocalSetting, ServicePoint, Staff, StaffCredential
from app.rules import signin
from app.rules.codes import ServicePointMode
from app.rules.feedback import check_pin
from app.services.context import Actor, AppContext
from app.services.errors import NotSignedIn, SignInFailed, ValidationFailed
from app.sync import central_login
from app.sync.central_login import Login

_hasher = PasswordHasher()
# Staff ids and roles only: a name typed into the username field may be a password.
log = logging.getLogger(__name__)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


class AuthService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.central_url: str | None = None  # set by the composition root
        self.session_url: str | None = None  # with this session's credentials: memory only
        self.online_sign_in = False

    def sign_in(self, username: str, password: str) -> Actor:
        username = username.strip().lower()
        self._refuse_while_waiting(username)
        online = self._check_online(username, password)
        if online is Login.REFUSED:
            self._failed(username)
        with self.ctx.session_factory.begin() as s:
            row = s.execute(
                select(Staff, ServicePoint)
                .join(ServicePoint, ServicePoint.id == Staff.service_point_id)
                .where(Staff.username == username, Staff.active.is_(True))
            ).first()
            cred = s.get(StaffCredential, row[0].id) if row else None
            if online is Login.ACCEPTED:
                if row is None:
                    raise SignInFailed(N_("The central database knows you, but there is "
                                          "no staff account for you. Ask an administrator."))
                # The verifier for offline sign-in: refreshed when the password changed.
                if cred is None:
                    s.add(StaffCredential(staff_id=row[0].id, verifier=hash_password(password)))
                elif not _verifies(cred.verifier, password):
                    cred.verifier = hash_password(password)
            elif not _verifies(cred.verifier if cred else _DUMMY, password) or row is None:
                # Verified even for unknown names, so timing does not reveal which exist.
                row = None
        if row is None:
            self._failed(username)
        self._forget_failures(username)
        staff, point = row
        actor = Actor(
            staff_id=staff.id,
            username=staff.username,
            full_name=staff.full_name,
            role=staff.role,
            service_point_id=point.id,
            service_point_code=point.code,
            service_point_name=point.name,
            team_id=staff.team_id,
            by_appointment=point.mode == ServicePointMode.APPOINTMENT,
            partner_org_id=staff.partner_org_id,
        )
        self.ctx.actor = actor
        self.online_sign_in = online is Login.ACCEPTED
        if self.central_url:
            self.session_url = (self.central_url if central_login.has_credentials(
                self.central_url) else central_login.personal_url(
                    self.central_url, username, password))
        with self.ctx.session_factory.begin() as s:
            self.ctx.audit(s, "sign_in", "staff", staff.id,
                           {"online": self.online_sign_in})
        log.info("signed in: staff %s, role %s, service point %s, %s", staff.id, staff.role,
                 point.code, "online" if self.online_sign_in else "offline")
        return actor

    def _check_online(self, username: str, password: str) -> Login | None:
        """None: no central database (or a development URL with its own account)."""
        if not self.central_url or central_login.has_credentials(self.central_url):
            return None
        url = central_login.personal_url(self.central_url, username, password)
        result = central_login.check(url)
        if result is Login.ACCEPTED:
            with self.ctx.session_factory() as s:
                known = s.scalar(select(Staff.id).where(Staff.username == username))
            if known is None:  # a new workstation: this staff member's row first
                central_login.fetch_staff(url, self.ctx.engine, username)
        return result

    def unlock(self, password: str) -> None:
        """The idle-locked session continues when the signed-in staff member gives their
        password again (checked against the local verifier, so it works offline too)."""
        actor = self.ctx.actor
        if actor is None:
            raise SignInFailed(N_("Sign in first."))
        self._refuse_while_waiting(actor.username)
        with self.ctx.session_factory() as s:
            cred = s.get(StaffCredential, actor.staff_id)
        if not _verifies(cred.verifier if cred else _DUMMY, password):
            self._failed(actor.username)
        self._forget_failures(actor.username)
        with self.ctx.session_factory.begin() as s:
            self.ctx.audit(s, "unlock", "staff", actor.staff_id)

    def lock(self) -> None:
        if self.ctx.actor is not None:
            with self.ctx.session_factory.begin() as s:
                self.ctx.audit(s, "lock", "staff", self.ctx.actor.staff_id)

    # --- failed attempts on this workstation ------------------------------------------

    def _failures(self, username: str) -> signin.Failures | None:
        return signin.Failures.decode(self.ctx.setting(_failure_key(username)))

    def _refuse_while_waiting(self, username: str) -> None:
        failures = self._failures(username)
        now = self.ctx.now()
        left = signin.wait_left(failures, now)
        if signin.is_locked(failures, now):
            raise SignInFailed(N_("Too many failed attempts: the account is locked on this "
                                  "workstation for {minutes} min."),
                               minutes=max(1, round(left.total_seconds() / 60)))
        if left.total_seconds() > 0:
            raise SignInFailed(N_("Too many failed attempts: wait {seconds} s and try "
                                  "again."), seconds=max(1, round(left.total_seconds())))

    def _failed(self, username: str) -> NoReturn:
        now = self.ctx.now()
        failures = signin.after_failure(self._failures(username), now)
        with self.ctx.session_factory.begin() as s:
            s.merge(LocalSetting(key=_failure_key(username), value=failures.encode()))
        log.info("sign-in refused (%d failed attempts in a row)", failures.count)
        if signin.is_locked(failures, now):
            raise SignInFailed(N_("Too many failed attempts: the account is locked on this "
                                  "workstation for {minutes} min."),
                               minutes=round(signin.LOCK_FOR.total_seconds() / 60))
        raise SignInFailed(N_("The username or password is wrong."))

    def _forget_failures(self, username: str) -> None:
        with self.ctx.session_factory.begin() as s:
            row = s.get(LocalSetting, _failure_key(username))
            if row is not None:
                s.delete(row)

    def sign_out(self) -> None:
        if self.ctx.actor is not None:
            with self.ctx.session_factory.begin() as s:
                self.ctx.audit(s, "sign_out", "staff", self.ctx.actor.staff_id)
        self.ctx.actor = None
        self.session_url = None
        self.online_sign_in = False

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


def _failure_key(username: str) -> str:
    return f"signin_failures:{username[:44]}"


def _verifies(verifier: str, password: str) -> bool:
    try:
        return _hasher.verify(verifier, password)
    except (VerificationError, InvalidHashError):
        return False


# Verified against for unknown usernames, so that timing does not reveal which exist.
# A constant: hashing one at import would cost every start-up ~130 ms and 64 MiB.
_DUMMY = "$argon2id$v=19$m=65536,t=3,p=4$NuODPGehiMJFufDuvakrJg$+tXepaSnrvJIwW/mHGW2byJiVFZIR7lGS3bK1iIXMr4"  # noqa: E501
