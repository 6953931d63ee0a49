"""Push: outbox entries in order, one central transaction per batch, idempotent by
mutation id. Each entry is merged in its own savepoint, so one bad entry is rejected
(and kept, with its reason) without losing the rest of the batch."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text, update
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
)

from app.db.central_schema import APPEND_ONLY, central_table
from app.models import OutboxEntry, ServicePoint
from app.rules import erasure as erasure_rules
from app.sync import merge
from app.sync.values import decode, to_json

BATCH = 500
QUARANTINE_AFTER = 5  # attempts that failed for reasons other than validation


@dataclass
class PushResult:
    sent: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    duplicates: int = 0
    points: set[str] = field(default_factory=set)


class Rejected(Exception):
    pass


def pending(local: Engine, limit: int) -> list[OutboxEntry]:
    from sqlalchemy.orm import Session

    with Session(local) as s:
        return list(s.scalars(
            select(OutboxEntry).where(OutboxEntry.status == "pending")
            .order_by(OutboxEntry.seq).limit(limit)
        ))


def push(local: Engine, central: Engine, node: str, batch: int = BATCH) -> PushResult:
    """Push everything pending, batch by batch. Safe to interrupt at any point."""
    total = PushResult()
    while True:
        entries = pending(local, batch)
        if not entries:
            return total
        try:
            results = push_batch(central, entries, node, total)
        except (OperationalError, InterfaceError, OSError):
            raise  # the network or the server: not the entry's fault, retried as is
        except DBAPIError as exc:
            _count_failure(local, entries, str(exc))
            raise
        acknowledge(local, results)
        if len(entries) < batch:
            return total


VALIDATION = (Rejected, IntegrityError, DataError, ValueError, KeyError)


class _NeedsSavepoints(Exception):
    """An entry failed validation in the fast path: redo the batch entry by entry."""


def push_batch(central: Engine, entries: list[OutboxEntry], node: str,
               total: PushResult) -> dict[int, dict[str, Any]]:
    """One central transaction: merge each entry, remember it, notify once per point.

    The usual batch has no invalid entry, so it runs without savepoints (one lookup of
    the already applied ids, a read and a write per entry, one insert of the results).
    If an entry fails validation, that transaction is rolled back and the batch redone
    with a savepoint per entry, so the bad one is rejected and the rest still apply."""
    try:
        return _push_batch(central, entries, node, total, guarded=False)
    except _NeedsSavepoints:
        return _push_batch(central, entries, node, total, guarded=True)


def _push_batch(central: Engine, entries: list[OutboxEntry], node: str, total: PushResult,
                guarded: bool) -> dict[int, dict[str, Any]]:
    results: dict[int, dict[str, Any]] = {}
    counts = PushResult()
    applied = central_table("applied_mutation")
    with central.begin() as conn:
        stored = dict(conn.execute(
            select(applied.c.mutation_id, applied.c.result)
            .where(applied.c.mutation_id.in_([e.mutation_id for e in entries]))
        ).all())
        remembered: list[dict[str, Any]] = []
        points: set[str] = set()
        for entry in entries:
            if entry.mutation_id in stored:
                results[entry.seq] = json.loads(stored[entry.mutation_id])
                counts.duplicates += 1
                continue
            if guarded:
                savepoint = conn.begin_nested()
                try:
                    result = apply(conn, entry, node, points)
                    savepoint.commit()
                except VALIDATION as exc:
                    savepoint.rollback()
                    result = ({"outcome": "applied"} if _already_appended(entry, exc)
                              else {"outcome": "rejected", "reason": _reason(exc)})
            else:
                try:
                    result = apply(conn, entry, node, points)
                except VALIDATION as exc:
                    raise _NeedsSavepoints from exc
            remembered.append({
                "mutation_id": entry.mutation_id, "client_node": node,
                "table_name": entry.table_name, "row_id": entry.row_id,
                "result": json.dumps(result), "applied_at": datetime.now(UTC)})
            results[entry.seq] = result
            counts.sent += 1
            counts.applied += result["outcome"] in ("applied", "conflict")
            counts.conflicts += result["outcome"] == "conflict"
            counts.rejected += result["outcome"] == "rejected"
        if remembered:
            conn.execute(insert(applied), remembered)
        codes = _point_codes(conn, points)
        for code in sorted(codes) or ["all"]:
            conn.execute(text("SELECT pg_notify(:channel, :payload)"),
                         {"channel": f"desk_{code.lower()}", "payload": node})
    # Counted only once the transaction committed.
    for name in ("sent", "applied", "conflicts", "rejected", "duplicates"):
        setattr(total, name, getattr(total, name) + getattr(counts, name))
    total.points |= codes
    return results


def apply(conn: Connection, entry: OutboxEntry, node: str, points: set[str]) -> dict:
    try:
        if entry.table_name in APPEND_ONLY:
            return _append(conn, entry, points)
        return _merge(conn, entry, node, points)
    except ProgrammingError as exc:
        # The signed-in staff member's role may not write this row (grants, row-level
        # security): the entry is kept, with the reason, like any other rejection.
        if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            raise Rejected(_reason(exc)) from exc
        raise


INSUFFICIENT_PRIVILEGE = "42501"


def _append(conn: Connection, entry: OutboxEntry, points: set[str]) -> dict:
    """Append-only rows (audit, feedback): no role may lock or update them centrally, and
    the same row sent again is harmless."""
    if entry.op != "insert":
        raise Rejected(f"{entry.table_name} rows are append-only")
    table = central_table(entry.table_name)
    values = decode(table, json.loads(entry.fields))
    values.update(id=entry.row_id, hlc=entry.hlc)
    # A plain INSERT: ON CONFLICT would also need the row to pass the SELECT policy,
    # which the audit trail grants only to team leads. The same row sent again (say,
    # after `central init --seed-from`) fails as a duplicate: see _already_appended.
    conn.execute(insert(table), values)
    _note_point(points, values)
    return {"outcome": "applied"}


def _already_appended(entry: OutboxEntry, exc: Exception) -> bool:
    return (entry.table_name in APPEND_ONLY and isinstance(exc, IntegrityError)
            and getattr(exc.orig, "sqlstate", None) == UNIQUE_VIOLATION)


UNIQUE_VIOLATION = "23505"


def _merge(conn: Connection, entry: OutboxEntry, node: str, points: set[str]) -> dict:
    table = central_table(entry.table_name)
    fields: dict[str, Any] = json.loads(entry.fields)
    base_values: dict[str, Any] = json.loads(entry.base_values or "{}")
    row = conn.execute(
        select(table).where(table.c.id == entry.row_id).with_for_update()
    ).mappings().first()
    if row is None:
        if entry.op != "insert":
            raise Rejected("the row does not exist centrally")
        values = decode(table, fields)
        values.update(id=entry.row_id, hlc=entry.hlc)
        conn.execute(insert(table), values)
        _note_point(points, values)
        return {"outcome": "applied"}
    if entry.table_name in erasure_rules.GUARDED and row["deleted_at"] is not None and (
            entry.table_name != "customer" or row["erased_at"] is not None):
        # An erased customer's data (or a removed row of it) never comes back.
        raise Rejected("the row was removed centrally (erased or deleted)")
    if entry.table_name == "customer" and fields.get("erased_at"):
        # An erasure wins outright: no merge, no conflict row keeping the old values.
        values = decode(table, fields)
        values["hlc"] = max(entry.hlc, row["hlc"] or "")
        conn.execute(update(table).where(table.c.id == entry.row_id).values(**values))
        _note_point(points, dict(row))
        return {"outcome": "applied"}
    central = {k: to_json(v) for k, v in row.items() if k != "row_tx"}
    decision = merge.decide(entry.table_name, central, row["version"], fields, base_values,
                            entry.base_version)
    values = decode(table, decision.apply)
    # Always touch the row: the client then pulls back the merged central state, also
    # when its values lost (which is what makes every copy converge).
    values["hlc"] = max(entry.hlc, row["hlc"] or "")
    conn.execute(update(table).where(table.c.id == entry.row_id).values(**values))
    for name, (central_value, client_value) in decision.conflicts.items():
        _record_conflict(conn, entry, node, name, central_value, client_value, row)
    _note_point(points, dict(row))
    return {"outcome": decision.outcome, "conflicts": sorted(decision.conflicts)}


def _record_conflict(conn: Connection, entry: OutboxEntry, node: str, name: str,
                     central_value: Any, client_value: Any, row: Any) -> None:
    conflicts = central_table("sync_conflict")
    now = datetime.now(UTC)
    conn.execute(insert(conflicts), {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{entry.mutation_id}/{name}")),
        "table_name": entry.table_name, "row_id": entry.row_id, "field": name,
        "central_value": json.dumps(central_value, ensure_ascii=False),
        "client_value": json.dumps(client_value, ensure_ascii=False),
        "client_node": node, "client_hlc": entry.hlc,
        "service_point_id": row.get("service_point_id") if hasattr(row, "get") else None,
        "status": "open", "hlc": entry.hlc, "updated_at": now, "version": 1,
    })


def _note_point(points: set[str], values: dict[str, Any]) -> None:
    point = values.get("service_point_id")
    if point:
        points.add(str(point))


def _point_codes(conn: Connection, point_ids: set[str]) -> set[str]:
    if not point_ids:
        return set()
    table = central_table(ServicePoint.__tablename__)
    return set(conn.execute(select(table.c.code).where(table.c.id.in_(point_ids))).scalars())


def acknowledge(local: Engine, results: dict[int, dict[str, Any]]) -> None:
    """Delete what the centre took; keep rejected entries, with the reason, for review."""
    with local.begin() as conn:
        table = OutboxEntry.__table__
        done = [seq for seq, r in results.items() if r["outcome"] != "rejected"]
        if done:
            conn.execute(table.delete().where(table.c.seq.in_(done)))
        for seq, r in results.items():
            if r["outcome"] == "rejected":
                conn.execute(update(table).where(table.c.seq == seq).values(
                    status="rejected", last_error=r.get("reason", "")))


def _count_failure(local: Engine, entries: list[OutboxEntry], error: str) -> None:
    """A failure that is not a validation result (network, server): count it; an entry
    that keeps failing is quarantined so that it cannot stall the queue for ever."""
    with local.begin() as conn:
        table = OutboxEntry.__table__
        first = entries[0].seq
        conn.execute(update(table).where(table.c.seq == first).values(
            attempts=table.c.attempts + 1, last_error=error[:2000]))
        conn.execute(update(table).where(
            table.c.seq == first, table.c.attempts >= QUARANTINE_AFTER
        ).values(status="quarantined"))


def _reason(exc: Exception) -> str:
    message = str(getattr(exc, "orig", None) or exc)
    return message.splitlines()[0][:500] if message else type(exc).__name__


def count_pending(local: Engine) -> int:
    with local.connect() as conn:
        table = OutboxEntry.__table__
        return conn.execute(select(func.count()).select_from(table).where(
            table.c.status == "pending")).scalar() or 0
