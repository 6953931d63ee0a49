"""The application context: session factory, clock, workstation and the signed-in actor,
plus the one mechanism every use case goes through (role check, transaction, audit)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from app.db import deferred, migrate
from app.db.engine import check_database, local_engine, session_factory
from app.db.errors import LocalDatabaseError
from app.i18n import HELSINKI, N_
from app.models import AuditEvent, LocalSetting, new_id, utcnow
from app.rules.codes import Role
from app.rules.permissions import Permission, allowed
from app.services import text_guard
from app.services.errors import NotSignedIn, PermissionDenied
from app.sync import outbox
from app.sync.hlc import HybridClock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Actor:
    """The signed-in staff member."""

    staff_id: str
    username: str
    full_name: str
    role: Role
    service_point_id: str
    service_point_code: str
    service_point_name: str
    team_id: str | None
    # The point works by appointment (Ranua), not walk-ins: the day starts in the calendar.
    by_appointment: bool = False
    # A partner-role account's organisation (#24): its reach is the customers' consents.
    partner_org_id: str | None = None


class AppContext:
    def __init__(
        self,
        engine: Engine,
        workstation: str,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.workstation = workstation or "workstation"
        self.now = now
        self.session_factory: sessionmaker[Session] = session_factory(engine)
        # Every stamp goes through the context clock (read at each call: tests set it).
        self.clock = HybridClock(self._node_id(),
                                 lambda: int(self.now().timestamp() * 1000))
        # Every text written through this factory obeys app.rules.text_input (checked
        # before the outbox stamps anything).
        text_guard.install(self.session_factory)
        outbox.install(self.session_factory, self.clock, migrate.LOCAL_HEAD,
                       lambda: self.now())
        self.actor: Actor | None = None

    @classmethod
    def open(cls, path: Path, workstation: str = "", check_later: bool = False) -> AppContext:
        """Open (creating or upgrading) the local database at `path`. The file's pages
        are checked at open (app.db.engine.check_database), or with `check_later` only
        its key, and `check_integrity()` is the caller's to run before any write: the
        window's start runs it in the database thread while the sign-in view is up,
        ahead of the sign-in. An upgrade writes, so the pages are then checked first."""
        engine = local_engine(path, check=not check_later)
        checked = not check_later
        if check_later and migrate.current_revision(engine) != migrate.LOCAL_HEAD:
            check_database(path, migrate.engine_key(engine) or "")
            checked = True
        if checked:  # else after the check (check_integrity)
            # What a first sync killed part way set aside, made again before any
            # migration changes those tables (app/db/deferred.py).
            deferred.restore_all(engine)
        migrate.upgrade(engine, path)
        return cls(engine, workstation)

    def check_integrity(self) -> None:
        """Every page and b-tree of the local database file (DatabaseDamaged if not).
        A damaged file is closed to this context at once, in the thread that found it:
        every later connection (a sign-in queued behind the check, a page's first read)
        gets the same error instead of reading or writing the damaged pages."""
        key = migrate.engine_key(self.engine)
        database = self.engine.url.database
        if key is None or not database:
            return
        try:
            check_database(Path(database), key)
        except LocalDatabaseError as exc:
            refused = exc

            def refuse(*_args: object) -> None:
                raise refused

            event.listen(self.engine, "checkout", refuse)
            self.engine.dispose()
            raise
        try:  # what a first sync killed part way set aside (app/db/deferred.py)
            deferred.restore_all(self.engine)
        except Exception:  # slower lookups until the next pull makes them: no reason to stop
            log.exception("the indexes set aside by a first sync were not made again")

    def today(self) -> date:
        return self.now().astimezone(HELSINKI).date()

    def _node_id(self) -> str:
        with self.session_factory.begin() as s:
            row = s.get(LocalSetting, "hlc_node")
            if row is None:
                row = LocalSetting(key="hlc_node", value=new_id()[:8])
                s.add(row)
            return row.value

    # --- the one mechanism for use cases -------------------------------------------

    @property
    def signed_in(self) -> Actor:
        """The actor, for code that runs after `require` or `transaction` checked one."""
        if self.actor is None:
            raise NotSignedIn(N_("Sign in first."))
        return self.actor

    def require(self, permission: Permission) -> Actor:
        if self.actor is None:
            raise NotSignedIn(N_("Sign in first."))
        if not allowed(self.actor.role, permission):
            raise PermissionDenied(N_("Your role does not allow this."))
        return self.actor

    @contextmanager
    def transaction(self, permission: Permission) -> Iterator[Session]:
        """Check the role, then run one transaction as the actor (stamped on every row)."""
        actor = self.require(permission)
        with self.session_factory.begin() as session:
            session.info[outbox.ACTOR_KEY] = actor.staff_id
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session for lists that need no audit (caller checked the role)."""
        with self.session_factory() as session:
            yield session

    def audit(
        self,
        session: Session,
        action: str,
        entity: str,
        entity_id: str | None,
        detail: dict[str, object] | None = None,
    ) -> None:
        session.add(
            AuditEvent(
                at=self.now(),
                staff_id=self.actor.staff_id if self.actor else None,
                workstation=self.workstation,
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail=json.dumps(detail, ensure_ascii=False) if detail else None,
            )
        )

    def setting(self, key: str) -> str | None:
        with self.session_factory() as s:
            return s.scalar(select(LocalSetting.value).where(LocalSetting.key == key))
