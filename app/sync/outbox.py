"""The write path, once: every flush of a synchronised row stamps its sync columns and
appends an outbox entry in the same transaction. Services never write outbox rows.

Hooked on the session factory, so no service can forget it. The patch holds only the
changed fields (an older client never overwrites columns it does not know).
"""

from __future__ import annotations

import enum
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from app.models import AuditEvent, OutboxEntry, Synced, new_id, utcnow
from app.models.local_time import is_local_only
from app.sync.hlc import HybridClock

ACTOR_KEY = "actor_id"
# The tables written on this thread inside `collect_written_tables()` (see there).
_written = threading.local()


class AppendOnlyViolation(RuntimeError):
    pass


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _column_keys(obj: Synced) -> list[str]:
    # Local-only columns (app.models.local_time) are never sent.
    return [attr.key for attr in inspect(obj).mapper.column_attrs
            if not is_local_only(attr.columns[0])]


def _changed_fields(obj: Synced) -> tuple[dict[str, Any], dict[str, Any]]:
    """The changed fields' new values, and their values before the edit."""
    state = inspect(obj)
    changed: dict[str, Any] = {}
    before: dict[str, Any] = {}
    for key in _column_keys(obj):
        if key in Synced.SYNC_COLUMNS:
            continue
        history = state.attrs[key].history
        if history.added:
            changed[key] = _jsonable(history.added[0])
            before[key] = _jsonable(history.deleted[0]) if history.deleted else None
    return changed, before


# Tables whose rows the upgrade that made them (local 0060) also wrote on the workstation
# without an outbox entry, expecting the centre's own upgrade to hold the same rows: not
# so for a customer the centre did not yet have. The first change of such a row is sent
# as an insert, which the centre merges into its own row when it has one.
MADE_BY_UPGRADE = frozenset({"job_search_period", "case_facts"})


def _never_synced(obj: Synced) -> bool:
    """Written by the upgrade and never pushed or pulled since (no hlc, version 0)."""
    history = inspect(obj).attrs.hlc.history
    before = history.deleted[0] if history.deleted else obj.hlc
    return before == "" and not obj.version


def _all_fields(obj: Synced) -> dict[str, Any]:
    return {
        key: _jsonable(getattr(obj, key))
        for key in _column_keys(obj)
        if key not in Synced.SYNC_COLUMNS
    }


@contextmanager
def collect_written_tables() -> Iterator[set[str]]:
    """The names of the synchronised tables that the code inside the block writes on this
    thread, filled in as each flush appends its outbox entries: what a view shows again
    after a write (app.views.operations)."""
    outer = getattr(_written, "tables", None)
    tables: set[str] = set()
    _written.tables = tables
    try:
        yield tables
    finally:
        _written.tables = outer
        if outer is not None:
            outer.update(tables)


def install(
    factory: sessionmaker[Session],
    clock: HybridClock,
    schema_version: str,
    now: Callable[[], datetime] = utcnow,
) -> None:
    """Attach the outbox recorder to every session the factory makes. `now` is the
    context's clock: every stamp (updated_at, the entry's created_at) comes from it, so a
    test or a replay that sets the clock sees the same times the services see."""

    def stamp(session: Session, _ctx: Any, _instances: Any) -> None:
        actor = session.info.get(ACTOR_KEY)
        stamp_at = now()
        for obj in session.new:
            if isinstance(obj, Synced):
                if not obj.id:  # None (typed str) until the flush fills in the default
                    obj.id = new_id()
                obj.hlc, obj.updated_at, obj.updated_by = clock.now(), stamp_at, actor
        for obj in session.dirty:
            if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
                if getattr(type(obj), "__append_only__", False):
                    raise AppendOnlyViolation(f"{type(obj).__tablename__} rows never change")
                obj.hlc, obj.updated_at, obj.updated_by = clock.now(), stamp_at, actor
        for obj in session.deleted:
            if isinstance(obj, Synced):
                # A hard delete cannot be synchronised; set deleted_at (a tombstone).
                raise AppendOnlyViolation("synchronised rows are tombstoned, never deleted")

    def record(session: Session, _ctx: Any) -> None:
        entries = []
        created_at = now()
        actor = session.info.get(ACTOR_KEY)
        for obj, op in [(o, "insert") for o in session.new] + [
            (o, "update") for o in session.dirty
        ]:
            if not isinstance(obj, Synced):
                continue
            before: dict[str, Any]
            if op == "update" and type(obj).__tablename__ in MADE_BY_UPGRADE and (
                    _never_synced(obj)):
                op = "insert"
            if op == "insert":
                fields, before = _all_fields(obj), {}
            else:
                fields, before = _changed_fields(obj)
                for key, together in getattr(type(obj), "__sync_together__", {}).items():
                    if key in fields:
                        for name in together:
                            if name not in fields:
                                fields[name] = before[name] = _jsonable(getattr(obj, name))
            if not fields:
                continue
            # Who and when travel with the change (not merged, never a conflict).
            fields["updated_at"] = _jsonable(obj.updated_at)
            fields["updated_by"] = obj.updated_by
            entries.append(
                {
                    "mutation_id": str(uuid.uuid4()),
                    "table_name": type(obj).__tablename__,
                    "row_id": obj.id,
                    "op": op,
                    "fields": json.dumps(fields, ensure_ascii=False, sort_keys=True),
                    "base_values": json.dumps(before, ensure_ascii=False, sort_keys=True),
                    "base_version": obj.version or 0,
                    "hlc": obj.hlc,
                    "schema_version": schema_version,
                    "created_at": created_at,
                    "attempts": 0,
                    "status": "pending",
                    # The centre takes an audit row only from its own staff member's role.
                    "author": obj.staff_id if isinstance(obj, AuditEvent) else actor,
                }
            )
        if entries:
            session.connection().execute(insert(OutboxEntry), entries)
            collector = getattr(_written, "tables", None)
            if collector is not None:
                collector.update(entry["table_name"] for entry in entries)

    event.listen(factory, "before_flush", stamp)
    event.listen(factory, "after_flush", record)
