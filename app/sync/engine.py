"""SyncEngine: push then pull, for one workstation; headless (CLI, Qt controller, tests)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.models import LocalSetting, ServicePoint
from app.sync import pull as pull_mod
from app.sync import push as push_mod

log = logging.getLogger(__name__)

POINT_KEY = "service_point"
# When a push and pull last both succeeded (ISO time, UTC): for `--diagnostics`.
LAST_SYNC_KEY = "last_sync_success"


@dataclass(frozen=True)
class SyncReport:
    pushed: int  # the centre holds them now (a conflict too); refused ones in `rejected`
    conflicts: int
    rejected: int
    pulled: int
    finished_at: datetime
    more: bool = False  # the pull left rows beyond the horizon (or stopped): pull again soon


def central_engine(url: str) -> Engine:
    # A short connect timeout: offline must be noticed quickly, not after minutes.
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


class NoServicePoint(LookupError):
    """The workstation's service point is known neither here nor centrally: a setting is
    missing (the centre has no service points yet, or the code given names none)."""

    def __init__(self, code: str | None) -> None:
        super().__init__(f"no service point {code!r} locally or centrally" if code
                         else "no service point known locally or centrally")
        self.code = code


class SyncEngine:
    """`authors`: whose outbox entries this engine pushes (staff ids; None in it for the
    entries of no author), for a connection with one staff member's own role; None (the
    default): everyone's, for a development URL with one shared account. The others'
    entries wait for their authors (ARCHITECTURE.md, "Whose changes a session sends")."""

    def __init__(self, local: Engine, central: Engine, node: str,
                 point_code: str | None = None,
                 observe: Callable[[str], None] | None = None,
                 authors: push_mod.Authors = None) -> None:
        self.local, self.central, self.node = local, central, node
        self.point_code = point_code
        self.authors = frozenset(authors) if authors is not None else None
        self.observe = observe
        self.lock = threading.Lock()  # one sync at a time per workstation
        self.stop = threading.Event()

    def point_id(self) -> str:
        """The workstation's service point: configured, else the only/first one."""
        with self.local.connect() as conn:
            code = self.point_code or conn.execute(select(LocalSetting.value).where(
                LocalSetting.key == POINT_KEY)).scalar()
        for engine in (self.local, self.central):
            with engine.connect() as conn:
                table = ServicePoint.__table__
                stmt = select(table.c.id)
                stmt = stmt.where(table.c.code == code) if code else stmt.order_by(
                    table.c.code.desc())
                found = conn.execute(stmt.limit(1)).scalar()
            if found:
                return found
        raise NoServicePoint(code)

    def point_code_now(self) -> str:
        point_id = self.point_id()
        with self.local.connect() as conn:
            table = ServicePoint.__table__
            code = conn.execute(select(table.c.code).where(table.c.id == point_id)).scalar()
        return code or ""

    def push_only(self) -> SyncReport:
        """After a local write: send it now; pulling waits for a notification or poll.
        With nothing pending this costs one local query."""
        with self.lock:
            if not push_mod.count_pending(self.local, self.authors):
                return SyncReport(0, 0, 0, 0, datetime.now(UTC))
            pushed = push_mod.push(self.local, self.central, self.node,
                                   authors=self.authors)
            return SyncReport(pushed.applied, pushed.conflicts, pushed.rejected, 0,
                              datetime.now(UTC))

    def sync_once(self, progress: pull_mod.Progress | None = None,
                  ready: Callable[[int], None] | None = None) -> SyncReport:
        """Push, then pull. `ready(rows)`: a first pull's working set is in (the rest
        follows in the same call)."""
        with self.lock:
            pushed = push_mod.push(self.local, self.central, self.node,
                                   authors=self.authors)
            pulled = pull_mod.pull(self.local, self.central, self.point_id(),
                                   progress=progress, observe=self.observe,
                                   should_stop=self.stop.is_set, ready=ready)
            report = SyncReport(pushed.applied, pushed.conflicts, pushed.rejected, pulled.rows,
                                datetime.now(UTC), pulled.more)
            self._remember_success(report.finished_at)
            log.info("synchronised: %d pushed, %d conflicts, %d rejected, %d pulled",
                     report.pushed, report.conflicts, report.rejected, report.pulled)
            return report

    def _remember_success(self, at: datetime) -> None:
        value = at.isoformat(timespec="seconds")
        with self.local.begin() as conn:
            conn.execute(sqlite_insert(LocalSetting.__table__)
                         .values(key=LAST_SYNC_KEY, value=value)
                         .on_conflict_do_update(index_elements=["key"], set_={"value": value}))
