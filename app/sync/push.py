"""Push: outbox entries in order, one central transaction per batch, idempotent by
mutation id. A batch is merged set-based (apply_set); if any entry of it fails, the batch
is redone with each entry in its own savepoint, so one bad entry is rejected (and kept,
with its reason) without losing the rest of the batch."""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

import psycopg
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    String,
    UniqueConstraint,
    and_,
    any_,
    bindparam,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
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
from app.sync.columns import withheld
from app.sync.values import decode, to_json

BATCH = 500
QUARANTINE_AFTER = 5  # attempts that failed for reasons other than validation


@dataclass
class PushResult:
    """`sent`: entries merged afresh; `applied`: entries the centre now holds (applied,
    with or without a conflict, now or before); `rejected`: refused now, or answered
    with an older refusal (see _push_batch); `duplicates`: answered from memory."""

    sent: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    duplicates: int = 0
    points: set[str] = field(default_factory=set)


class Rejected(Exception):
    pass


# Whose outbox entries a push may send: staff ids, None in it for the entries of no
# author; None instead of a set: everyone's (a development URL with one shared account).
Authors = Collection[str | None] | None


def by_authors(column: Any, authors: Collection[str | None]) -> ColumnElement[bool]:
    """`column` (an outbox author) is one of `authors`."""
    ids = [a for a in authors if a is not None]
    terms: list[ColumnElement[bool]] = [column.in_(ids)] if ids else []
    if None in authors:
        terms.append(column.is_(None))
    return or_(*terms) if terms else false()


def _not_by_authors(column: Any, authors: Collection[str | None]) -> ColumnElement[bool]:
    ids = [a for a in authors if a is not None]
    other = column.not_in(ids) if ids else true()
    return and_(column.is_not(None), other) if None in authors else or_(column.is_(None),
                                                                        other)


def _sendable(authors: Authors) -> ColumnElement[bool]:
    """Pending, and (with `authors`) theirs, and not behind another author's pending
    entry for the same row: the entries of one row reach the centre in outbox order.
    Nor behind the row's refused insert: they wait for its retry (or its discarding)
    rather than be refused in turn for a row the centre does not have."""
    table = OutboxEntry.__table__
    refused = table.alias("refused")
    condition = and_(table.c.status == "pending", ~exists().where(
        refused.c.status != "pending", refused.c.op == "insert",
        refused.c.seq < table.c.seq, refused.c.table_name == table.c.table_name,
        refused.c.row_id == table.c.row_id))
    if authors is None:
        return condition
    earlier = table.alias("earlier")
    return and_(condition, by_authors(table.c.author, authors), ~exists().where(
        earlier.c.status == "pending", earlier.c.seq < table.c.seq,
        earlier.c.table_name == table.c.table_name, earlier.c.row_id == table.c.row_id,
        _not_by_authors(earlier.c.author, authors)))


def pending(local: Engine, limit: int, authors: Authors = None) -> list[OutboxEntry]:
    """The next `limit` entries to send, in outbox order: everyone's, or `authors`'."""
    from sqlalchemy.orm import Session

    with Session(local) as s:
        return list(s.scalars(
            select(OutboxEntry).where(_sendable(authors))
            .order_by(OutboxEntry.seq).limit(limit)
        ))


def push(local: Engine, central: Engine, node: str, batch: int = BATCH,
         authors: Authors = None) -> PushResult:
    """Push everything pending (with `authors`, only theirs), batch by batch. Safe to
    interrupt at any point."""
    total = PushResult()
    while True:
        entries = pending(local, batch, authors)
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

    The usual batch has no invalid entry, so it runs set-based without savepoints (one
    lookup of the already applied ids, a locked read per table and round, the writes in
    one pipeline, one insert of the results: see apply_set). If anything in it fails, that
    transaction is rolled back and the batch redone with a savepoint per entry, so a bad
    entry is rejected and the rest still apply."""
    if central.dialect.driver != "psycopg":  # the set-based writes use its pipeline
        return _push_batch(central, entries, node, total, guarded=True)
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
            .where(applied.c.mutation_id == any_(bindparam("ids", type_=ARRAY(String)))),
            {"ids": [e.mutation_id for e in entries]},
        ).all())
        remembered: list[dict[str, Any]] = []
        points: set[str] = set()
        fresh = [e for e in entries if e.mutation_id not in stored]
        applied_now: dict[int, dict[str, Any]] = {}
        if not guarded:
            try:
                applied_now = apply_set(conn, fresh, node, points)
            except (OperationalError, InterfaceError):
                raise  # the network or the server: the batch is retried as is
            except Exception as exc:  # redone entry by entry, whose outcome stands
                raise _NeedsSavepoints from exc
        for entry in entries:
            if entry.mutation_id in stored:
                result = results[entry.seq] = json.loads(stored[entry.mutation_id])
                counts.duplicates += 1
                # A refusal remembered by an older centre: still refused, not pushed
                # (a retry sends the entry under a new mutation id).
                counts.applied += result["outcome"] in ("applied", "conflict")
                counts.rejected += result["outcome"] == "rejected"
                continue
            if not guarded:
                result = applied_now[entry.seq]
            else:
                savepoint = conn.begin_nested()
                try:
                    result = apply(conn, entry, node, points)
                    savepoint.commit()
                except VALIDATION as exc:
                    savepoint.rollback()
                    result = ({"outcome": "applied"} if _already_appended(entry, exc)
                              else {"outcome": "rejected", "reason": _reason(exc)})
            if result["outcome"] != "rejected":
                # Only what the centre took: a refused entry, corrected or once the
                # centre allows it, is judged afresh when it comes again.
                remembered.append({
                    "mutation_id": entry.mutation_id, "client_node": node,
                    "table_name": entry.table_name, "row_id": entry.row_id,
                    "result": json.dumps(result), "applied_at": datetime.now(UTC)})
            results[entry.seq] = result
            counts.sent += 1
            counts.applied += result["outcome"] in ("applied", "conflict")
            counts.conflicts += result["outcome"] == "conflict"
            counts.rejected += result["outcome"] == "rejected"
        if remembered and guarded:
            conn.execute(insert(applied), remembered)
        elif remembered:
            _remember(conn, remembered)
        codes = _point_codes(conn, points)
        for code in sorted(codes) or ["all"]:
            conn.execute(text("SELECT pg_notify(:channel, :payload)"),
                         {"channel": f"desk_{code.lower()}", "payload": node})
    # Counted only once the transaction committed.
    for name in ("sent", "applied", "conflicts", "rejected", "duplicates"):
        setattr(total, name, getattr(total, name) + getattr(counts, name))
    total.points |= codes
    return results


_REMEMBER = (
    "INSERT INTO applied_mutation (mutation_id, client_node, table_name, row_id, result, "
    "applied_at) SELECT * FROM unnest(%s::VARCHAR[], %s::VARCHAR[], %s::VARCHAR[], "
    "%s::VARCHAR[], %s::TEXT[], %s::TIMESTAMPTZ[])")


def _remember(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """The results of a set-based batch: one statement (arrays unnested), not one per row."""
    columns = ("mutation_id", "client_node", "table_name", "row_id", "result", "applied_at")
    conn.exec_driver_sql(_REMEMBER, tuple([row[c] for row in rows] for c in columns))


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
    plan = plan_append(entry, central_table(entry.table_name),
                       json.loads(entry.fields))
    # A plain INSERT: ON CONFLICT would also need the row to pass the SELECT policy,
    # which the audit trail grants only to team leads. The same row sent again (say,
    # after `central init --seed-from`) fails as a duplicate: see _already_appended.
    _execute(conn, plan)
    _note_point(points, plan.point)
    return plan.result


def _already_appended(entry: OutboxEntry, exc: Exception) -> bool:
    return (entry.table_name in APPEND_ONLY and isinstance(exc, IntegrityError)
            and getattr(exc.orig, "sqlstate", None) == UNIQUE_VIOLATION)


UNIQUE_VIOLATION = "23505"


def _merge(conn: Connection, entry: OutboxEntry, node: str, points: set[str]) -> dict:
    table = central_table(entry.table_name)
    row = conn.execute(
        select(*_readable(table, withheld(conn, table.name)))
        .where(table.c.id == entry.row_id).with_for_update()
    ).mappings().first()
    plan = plan_merge(entry, table, json.loads(entry.fields),
                      json.loads(entry.base_values or "{}"), node, row)
    _execute(conn, plan)
    _note_point(points, plan.point)
    return plan.result


@dataclass
class Planned:
    """What one entry does centrally, decided from the central row as it was read: the
    write (an insert or an update of the row), the conflict rows, the result, and the
    values whose service point is notified."""
    table: Any
    row_id: str
    kind: str  # "insert" | "update"
    values: dict[str, Any]
    result: dict[str, Any]
    point: dict[str, Any]
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def plan_append(entry: OutboxEntry, table: Any, fields: dict[str, Any]) -> Planned:
    if entry.op != "insert":
        raise Rejected(f"{entry.table_name} rows are append-only")
    values = decode(table, fields)
    values.update(id=entry.row_id, hlc=entry.hlc)
    return Planned(table, entry.row_id, "insert", values, {"outcome": "applied"}, values)


# Rows whose removal is a state that comes and goes: a barrier has one row per customer
# and kind (a derived id), ticked off and on again by any desk; ticked on again on a desk
# after another desk ticked it off, it merges like any change. An erased customer's
# barrier still never comes back: the centre's scrub trigger (desk_scrub_customer_barrier)
# removes it again as it is written.
REVIVED = frozenset({"customer_barrier"})


def plan_merge(entry: OutboxEntry, table: Any, fields: dict[str, Any],
               base_values: dict[str, Any], node: str, row: Any) -> Planned:
    """The merge of one entry into the central row `row` (None: there is none)."""
    if row is None:
        if entry.op != "insert":
            raise Rejected("the row does not exist centrally")
        values = decode(table, fields)
        values.update(id=entry.row_id, hlc=entry.hlc)
        return Planned(table, entry.row_id, "insert", values, {"outcome": "applied"}, values)
    if entry.table_name in erasure_rules.GUARDED and row["deleted_at"] is not None and (
            entry.table_name != "customer" or row["erased_at"] is not None) \
            and entry.table_name not in REVIVED:
        # An erased customer's data (or a removed row of it) never comes back.
        raise Rejected("the row was removed centrally (erased or deleted)")
    if entry.table_name == "customer" and fields.get("erased_at"):
        # An erasure wins outright: no merge, no conflict row keeping the old values.
        values = decode(table, fields)
        values["hlc"] = max(entry.hlc, row["hlc"] or "")
        return Planned(table, entry.row_id, "update", values, {"outcome": "applied"},
                       dict(row))
    central = {k: to_json(v) for k, v in row.items() if k != "row_tx"}
    # A column the writer may not read (central_trust.WITHHELD) it may not write either:
    # its fields for it are left out of the merge, never compared with what it cannot see.
    hidden = [name for name in fields if name in table.c and name not in central]
    if hidden:
        fields = {k: v for k, v in fields.items() if k not in hidden}
        base_values = {k: v for k, v in base_values.items() if k not in hidden}
    decision = merge.decide(entry.table_name, central, row["version"], fields, base_values,
                            entry.base_version)
    values = decode(table, decision.apply)
    # Always touch the row: the client then pulls back the merged central state, also
    # when its values lost (which is what makes every copy converge).
    values["hlc"] = max(entry.hlc, row["hlc"] or "")
    conflicts = [_conflict_row(entry, node, name, central_value, client_value, row)
                 for name, (central_value, client_value) in decision.conflicts.items()]
    return Planned(table, entry.row_id, "update", values,
                   {"outcome": decision.outcome, "conflicts": sorted(decision.conflicts)},
                   dict(row), conflicts)


def _execute(conn: Connection, plan: Planned) -> None:
    """One entry's statements, one by one (the per-entry path)."""
    table = plan.table
    if plan.kind == "insert":
        conn.execute(insert(table), plan.values)
    else:
        conn.execute(update(table).where(table.c.id == plan.row_id).values(**plan.values))
    for conflict in plan.conflicts:
        conn.execute(insert(central_table("sync_conflict")), conflict)


def _conflict_row(entry: OutboxEntry, node: str, name: str, central_value: Any,
                  client_value: Any, row: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{entry.mutation_id}/{name}")),
        "table_name": entry.table_name, "row_id": entry.row_id, "field": name,
        "central_value": json.dumps(central_value, ensure_ascii=False),
        "client_value": json.dumps(client_value, ensure_ascii=False),
        "client_node": node, "client_hlc": entry.hlc,
        "service_point_id": row.get("service_point_id") if hasattr(row, "get") else None,
        "status": "open", "hlc": entry.hlc, "updated_at": now, "version": 1,
    }


def _note_point(points: set[str], values: dict[str, Any]) -> None:
    point = values.get("service_point_id")
    if point:
        points.add(str(point))


# --- The set-based batch --------------------------------------------------------------
#
# The same merge as entry by entry, with far fewer round trips: the rows of a batch are
# read with one `SELECT ... WHERE id = ANY(...) FOR UPDATE` per table, merged in Python
# (plan_merge, as above) and written in one psycopg pipeline, in outbox order except for
# the inert writes (see _inert), which go grouped per statement.
#
# Read before written is only the same as entry by entry when no write of the batch
# changes what another entry reads. So:
# - An entry for a row that an earlier entry of the batch also wrote waits for the next
#   round ("generation"), which reads the row again after the earlier writes (the version
#   bump, triggers): entries of one row apply in outbox order on the row as it is then.
# - An entry whose write can change how other rows read or check is applied on its own,
#   between the entries before and after it (a "barrier"): the erasure of a customer (its
#   trigger scrubs and tombstones dependent rows), a change of a column that row-level
#   security or the erasure guards read from another row (the customer, point, plan or
#   version a row belongs to), a change of a unique column (another row's write could then
#   fail or pass depending on order), and every entry of a table outside SET_TABLES
#   (staff, service points, settings: rare, and read by the policies).
# A write that turns out to change such a column although its entry did not look like it
# (an insert of a row that exists centrally) sends the batch entry by entry (_Unsafe).
# What remains can only widen what later entries see (a new row, a new ticket making a
# customer visible), so a read made earlier than entry by entry can only fail, never pass
# differently; and any failure (a rejection, a constraint, a privilege) rolls the batch
# back and redoes it entry by entry with savepoints, whose outcome then stands.

SET_TABLES = frozenset({
    "customer", "unemployment_period", "customer_note", "plan", "plan_version",
    "plan_goal", "plan_action", "plan_service", "customer_barrier", "visit",
    "queue_ticket", "appointment", "desk_duty", *APPEND_ONLY,
})
# Columns other rows' policies and erasure guards read (who a row belongs to).
LINKS = frozenset({"customer_id", "service_point_id", "coach_id", "plan_id",
                   "plan_version_id", "erased_at"})


@cache
def _sensitive(name: str) -> frozenset[str]:
    table = central_table(name)
    unique = {c.name for c in table.columns if c.unique}
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            unique |= {c.name for c in constraint.columns}
    for index in table.indexes:
        if index.unique:
            unique |= {c.name for c in index.columns}
    return frozenset((unique | LINKS) - {"id"})


@dataclass
class _Item:
    entry: OutboxEntry
    table: Any
    fields: dict[str, Any]
    base_values: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return self.entry.table_name, self.entry.row_id


def _is_barrier(item: _Item) -> bool:
    name, entry = item.entry.table_name, item.entry
    if name in APPEND_ONLY:
        return False
    if name not in SET_TABLES:
        return True
    if name == "customer" and item.fields.get("erased_at"):
        return True
    return entry.op != "insert" and not _sensitive(name).isdisjoint(item.fields)


def apply_set(conn: Connection, entries: list[OutboxEntry], node: str,
              points: set[str]) -> dict[int, dict[str, Any]]:
    """Merge `entries` (none applied before) set-based; the result per outbox seq. Raises
    on the first entry that would be rejected or fail: the caller redoes the batch entry
    by entry."""
    results: dict[int, dict[str, Any]] = {}
    items = [_Item(e, central_table(e.table_name), json.loads(e.fields),
                   json.loads(e.base_values or "{}")) for e in entries]
    segment: list[_Item] = []
    for item in items:
        if _is_barrier(item):
            _apply_segment(conn, segment, node, points, results, alone=False)
            _apply_segment(conn, [item], node, points, results, alone=True)
            segment = []
        else:
            segment.append(item)
    _apply_segment(conn, segment, node, points, results, alone=False)
    return results


class _Unsafe(Exception):
    """A write that other entries of its segment may depend on: redo entry by entry."""


def _apply_segment(conn: Connection, items: list[_Item], node: str, points: set[str],
                   results: dict[int, dict[str, Any]], alone: bool) -> None:
    alone = alone or len(items) == 1
    generations: list[list[_Item]] = []
    seen: dict[tuple[str, str], int] = {}
    for item in items:
        n = seen.get(item.key, 0)
        seen[item.key] = n + 1
        if n == len(generations):
            generations.append([])
        generations[n].append(item)
    for generation in generations:
        rows = _read_rows(conn, [i for i in generation
                                 if i.entry.table_name not in APPEND_ONLY])
        plans = []
        for item in generation:  # outbox order
            entry = item.entry
            if entry.table_name in APPEND_ONLY:
                plan = plan_append(entry, item.table, item.fields)
            else:
                row = rows.get(item.key)
                plan = plan_merge(entry, item.table, item.fields, item.base_values, node, row)
                if not alone and plan.kind == "update" and _changes_sensitive(plan, row):
                    raise _Unsafe(f"{entry.table_name}: {sorted(plan.values)}")
            plans.append(plan)
            results[entry.seq] = plan.result
            _note_point(points, plan.point)
        _run_writes(conn, plans)


def _changes_sensitive(plan: Planned, row: Any) -> bool:
    """Does this update change a column that other rows' checks read (see above)?"""
    name = plan.table.name
    for column in _sensitive(name).intersection(plan.values):
        value = plan.values[column]
        if column == "erased_at" and value is not None:
            return True  # its trigger runs on every write of the column
        if to_json(value) != to_json(row[column]):
            return True
    return False


@cache
def _select_for_update(name: str, hidden: frozenset[str] = frozenset()) -> Any:
    table = central_table(name)
    return (select(*_readable(table, hidden))
            .where(table.c.id == any_(bindparam("ids", type_=ARRAY(String))))
            .order_by(table.c.id).with_for_update())


def _readable(table: Any, hidden: frozenset[str]) -> list[Any]:
    """The table's columns but those the connection may not read (app/sync/columns.py)."""
    return [c for c in table.c if c.name not in hidden]


def _read_rows(conn: Connection, items: list[_Item]) -> dict[tuple[str, str], Any]:
    """The central rows of `items`, locked: one statement per table."""
    ids: dict[str, list[str]] = {}
    for item in items:
        ids.setdefault(item.entry.table_name, []).append(item.entry.row_id)
    rows: dict[tuple[str, str], Any] = {}
    for name, row_ids in ids.items():
        for row in conn.execute(_select_for_update(name, withheld(conn, name)),
                                {"ids": row_ids}).mappings():
            rows[(name, row["id"])] = row
    return rows


# Writes no other row's check or trigger reads, and whose own checks read no other row:
# they may go in any order, so they are sent grouped by statement (executemany).
# Appended rows (audit, feedback) and changes of a queue ticket or a desk duty (their
# policies look at the row's own service point; their links are sensitive, see above).
_INERT_UPDATES = frozenset({"queue_ticket", "desk_duty"})


def _inert(plan: Planned) -> bool:
    name = plan.table.name
    if name in APPEND_ONLY:
        return True
    return plan.kind == "update" and name in _INERT_UPDATES and not plan.conflicts


def _run_writes(conn: Connection, plans: list[Planned]) -> None:
    """The writes of `plans` in one pipeline (no round trip per statement): in outbox
    order, runs of one statement as one executemany; the inert ones grouped after them."""
    dialect = conn.dialect
    ordered: list[tuple[str, list[dict[str, Any]]]] = []
    inert: dict[str, list[dict[str, Any]]] = {}

    def add(sql: str, params: dict[str, Any], grouped: bool) -> None:
        if grouped:
            inert.setdefault(sql, []).append(params)
        elif ordered and ordered[-1][0] == sql:
            ordered[-1][1].append(params)
        else:
            ordered.append((sql, [params]))

    for plan in plans:
        grouped = _inert(plan)
        add(*_statement(dialect, plan.table, plan.kind, plan.row_id, plan.values), grouped)
        for conflict in plan.conflicts:
            add(*_statement(dialect, central_table("sync_conflict"), "insert",
                            conflict["id"], conflict), False)
    runs = ordered + list(inert.items())
    if not runs:
        return
    # driver_connection (typed Any) rather than dbapi_connection: SQLAlchemy's DB-API
    # Protocol does not fit psycopg's Connection, so mypy would take the isinstance()
    # below for impossible and skip the rest of the function unchecked.
    raw = conn.connection.driver_connection
    if not isinstance(raw, psycopg.Connection):  # the psycopg dialect's own connection
        raise TypeError(f"the push needs a psycopg connection, not {type(raw).__name__}")
    sql = ""
    try:
        with raw.pipeline(), raw.cursor() as cursor:
            for sql, params in runs:
                if len(params) == 1:
                    cursor.execute(sql, params[0])
                else:
                    cursor.executemany(sql, params)
    except psycopg.errors.PipelineAborted as exc:  # not the cause: never a disconnection
        raise DBAPIError(sql, None, exc) from exc
    except psycopg.Error as exc:
        # As SQLAlchemy would raise it (IntegrityError, OperationalError, ...), so that
        # push() and the fallback above tell the network from the entry.
        invalidated = dialect.is_disconnect(exc, conn.connection.dbapi_connection, None)  # type: ignore[arg-type]  # SQLAlchemy's DBAPIModule.Error: no driver's errors subclass it
        if invalidated:
            conn.invalidate(exc)
        raise DBAPIError.instance(sql, None, exc, psycopg.Error,
                                  connection_invalidated=invalidated) from exc


def _statement(dialect: Any, table: Any, kind: str, row_id: str,
               values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The SQL and bind values SQLAlchemy would send for `insert(table)` with `values`
    (column defaults included) or `update(table).where(id == row_id).values(values)`."""
    if kind == "insert":
        values = dict(values)
        for column in _defaulted(table):
            if column.name not in values:
                default = column.default
                values[column.name] = default.arg(None) if default.is_callable else default.arg
    sql, processors = _compiled(dialect, table, kind, tuple(values))
    params = {k: (processors[k](v) if processors.get(k) else v) for k, v in values.items()}
    if kind == "update":
        params["_row_id"] = row_id
    return sql, params


@cache
def _defaulted(table: Any) -> tuple[Any, ...]:
    columns = tuple(c for c in table.columns if c.default is not None)
    if any(not (c.default.is_scalar or c.default.is_callable) for c in columns):
        raise _Unsafe(f"{table.name}: a column default SQLAlchemy computes in SQL")
    return columns


_COMPILED: dict[tuple[Any, ...], tuple[str, dict[str, Any]]] = {}


def _compiled(dialect: Any, table: Any, kind: str,
              columns: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    key = (dialect.name, table.name, kind, columns)
    found = _COMPILED.get(key)
    if found is None:
        if kind == "insert":
            compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
        else:
            compiled = update(table).where(table.c.id == bindparam("_row_id")).compile(
                dialect=dialect, column_keys=list(columns))
        names = set(compiled.params) - {"_row_id"}
        if names != set(columns):
            raise _Unsafe(f"{table.name}: {sorted(names ^ set(columns))}")
        processors = {c: table.c[c].type._cached_bind_processor(dialect) for c in columns}
        found = _COMPILED[key] = (str(compiled), processors)
    return found


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


def count_pending(local: Engine, authors: Authors = None) -> int:
    """The entries a push would send now (everyone's, or `authors`')."""
    with local.connect() as conn:
        table = OutboxEntry.__table__
        return conn.execute(select(func.count()).select_from(table).where(
            _sendable(authors))).scalar() or 0
