"""Pull: central rows newer than this workstation's cursor, in its service point's scope.

The cursor is (row_tx, id) per table, never a sequence: a row becomes visible only once
every older transaction has committed (`row_tx < pg_snapshot_xmin(...)`), so a slow
transaction can never be skipped. Each page and its cursor are applied in one SQLite
transaction, so an interrupted first sync resumes where it stopped. Rows with pending
local edits are rebased: the central row is written, then the pending fields again."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    cast,
    column,
    false,
    func,
    literal,
    or_,
    select,
    text,
    true,
    tuple_,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.types import UserDefinedType

from app.db.central_schema import central_table, synced_central_tables
from app.models import Base, LocalSetting, OutboxEntry
from app.sync.values import decode

PAGE = 2000
NEVER_PULLED = ("audit_event",)  # written upwards only: no one's laptop holds the trail

Progress = Callable[[int, int], None]  # rows done, rows in all


class _Xid8(UserDefinedType):
    cache_ok = True

    def get_col_spec(self) -> str:
        return "xid8"


@dataclass
class PullResult:
    rows: int = 0
    pages: int = 0


def scope(table: Table, point_id: str):
    """What a workstation of service point `point_id` holds of this table."""
    c, name = table.c, table.name
    if name in NEVER_PULLED:
        return false()
    if name in ("service_point", "team", "staff", "area_setting"):
        return true()
    if name in ("working_hours", "calendar_override"):  # small, and any desk books anyone
        return true()
    tickets, appointments = central_table("queue_ticket"), central_table("appointment")
    customers = central_table("customer")
    here = or_(
        customers.c.service_point_id == point_id,
        customers.c.id.in_(select(tickets.c.customer_id).where(
            tickets.c.service_point_id == point_id)),
        customers.c.id.in_(select(appointments.c.customer_id).where(
            appointments.c.service_point_id == point_id)),
    )
    my_customers = select(customers.c.id).where(here)
    if name == "customer":
        return c.id.in_(my_customers)
    if name in ("unemployment_period", "customer_note", "plan", "customer_barrier",
                "coach_assignment"):
        return c.customer_id.in_(my_customers)
    if name in ("visit", "appointment"):
        return or_(c.service_point_id == point_id, c.customer_id.in_(my_customers))
    if name in ("queue_ticket", "desk_duty", "feedback"):
        return c.service_point_id == point_id
    plans, versions = central_table("plan"), central_table("plan_version")
    my_plans = select(plans.c.id).where(plans.c.customer_id.in_(my_customers))
    if name == "plan_version":
        return c.plan_id.in_(my_plans)
    if name in ("plan_goal", "plan_action", "plan_service"):
        return c.plan_version_id.in_(select(versions.c.id).where(versions.c.plan_id.in_(my_plans)))
    if name == "feedback_reply_request":
        feedback = central_table("feedback")
        return c.feedback_id.in_(select(feedback.c.id).where(
            feedback.c.service_point_id == point_id))
    if name == "sync_conflict":
        return or_(c.service_point_id == point_id, c.service_point_id.is_(None))
    raise KeyError(f"no pull scope for {name}")


def _cursor_key(table: str) -> str:
    return f"pull_cursor:{table}"


def read_cursor(conn: Connection, table: str) -> tuple[str, str]:
    value = conn.execute(select(LocalSetting.value).where(
        LocalSetting.key == _cursor_key(table))).scalar()
    if not value:
        return "0", ""
    tx, _, row_id = value.partition("|")
    return tx, row_id


def _fetch(central: Engine, table: Table, point_id: str, cursor: tuple[str, str],
           limit: int) -> list[dict]:
    with central.connect() as conn:
        stmt = (
            select(table, cast(_row_tx(table), _Text()).label("_tx"))
            .where(
                scope(table, point_id),
                tuple_(_row_tx(table), table.c.id) > tuple_(
                    cast(literal(cursor[0]), _Xid8()), literal(cursor[1])),
                _row_tx(table) < func.pg_snapshot_xmin(func.pg_current_snapshot()),
            )
            .order_by(_row_tx(table), table.c.id)
            .limit(limit)
        )
        return [dict(r) for r in conn.execute(stmt).mappings()]


def _row_tx(table: Table):
    """The central-only transaction-id column (not part of the shared table models)."""
    return column("row_tx", _Xid8(), _selectable=table)


class _Text(UserDefinedType):
    cache_ok = True

    def get_col_spec(self) -> str:
        return "text"


def remaining(central: Engine, local: Engine, point_id: str) -> int:
    """Rows in scope not yet pulled: for the first sync's progress bar."""
    total = 0
    with local.connect() as lconn:
        cursors = {t.name: read_cursor(lconn, t.name) for t in synced_central_tables()}
    with central.connect() as conn:
        for table in synced_central_tables():
            cursor = cursors[table.name]
            total += conn.execute(select(func.count()).select_from(table).where(
                scope(table, point_id),
                tuple_(_row_tx(table), table.c.id) > tuple_(
                    cast(literal(cursor[0]), _Xid8()), literal(cursor[1])),
            )).scalar() or 0
    return total


HORIZON_WAIT = 3.0  # seconds, at most, per pull


def await_horizon(central: Engine, timeout: float = HORIZON_WAIT) -> bool:
    """Wait briefly until every central transaction that was running when the pull began
    has ended, so the pull sees everything committed before it began (a desk reads its
    own push back at once). Transaction ids are cluster-wide, so any open transaction
    holds the visibility horizon back, even one in another database; one held open for
    longer than `timeout` only delays the newer rows until the next sync. True when the
    horizon was reached."""
    deadline = time.monotonic() + timeout
    with central.connect() as conn:
        # A transaction id of our own: every transaction that started before has a lower
        # one (a snapshot's xmax would not do: it only follows completed transactions).
        horizon = conn.execute(text("SELECT pg_current_xact_id()::text")).scalar()
        conn.rollback()
        while True:
            reached = conn.execute(text(
                "SELECT pg_snapshot_xmin(pg_current_snapshot()) > CAST(:h AS xid8)"),
                {"h": horizon}).scalar()
            conn.rollback()  # a fresh snapshot for the next look
            if reached:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)


def pull(local: Engine, central: Engine, point_id: str, page: int = PAGE,
         progress: Progress | None = None, observe: Callable[[str], None] | None = None,
         should_stop: Callable[[], bool] | None = None) -> PullResult:
    result = PullResult()
    await_horizon(central)
    total = remaining(central, local, point_id) if progress else 0
    for table in synced_central_tables():
        if table.name in NEVER_PULLED:
            continue
        local_table = Base.metadata.tables[table.name]
        while True:
            if should_stop is not None and should_stop():
                return result
            with local.connect() as lconn:
                cursor = read_cursor(lconn, table.name)
            rows = _fetch(central, table, point_id, cursor, page)
            if not rows:
                break
            apply_page(local, local_table, rows)
            result.rows += len(rows)
            result.pages += 1
            stamps = [r["hlc"] for r in rows if r.get("hlc")]
            if observe is not None and stamps:
                observe(max(stamps))
            if progress is not None:
                progress(result.rows, max(total, result.rows))
            if len(rows) < page:
                break
    return result


def apply_page(local: Engine, table: Table, rows: list[dict]) -> None:
    """Upsert a page, rebase pending local edits, and move the cursor: one transaction.
    Foreign keys are not checked here: a row may point outside this workstation's scope."""
    columns = [c.name for c in table.columns]
    values = [{k: r[k] for k in columns if k in r} for r in rows]
    last = rows[-1]
    with local.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, as required
        conn.commit()
        try:
            with conn.begin():
                stmt = sqlite_insert(table)
                stmt = stmt.on_conflict_do_update(
                    index_elements=[table.c.id],
                    set_={k: stmt.excluded[k] for k in columns if k != "id"},
                )
                conn.execute(stmt, values)
                _rebase(conn, table, [r["id"] for r in rows])
                if table.name == "customer":  # erased centrally: scrub this copy too
                    from app.sync.erasure import scrub_local

                    erased = [r for r in rows if r.get("erased_at")]
                    for r in erased:
                        scrub_local(conn, [r["id"]], r["erased_at"])
                conn.execute(
                    sqlite_insert(LocalSetting.__table__)
                    .values(key=_cursor_key(table.name), value=f"{last['_tx']}|{last['id']}")
                    .on_conflict_do_update(index_elements=["key"],
                                           set_={"value": f"{last['_tx']}|{last['id']}"})
                )
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def _rebase(conn: Connection, table: Table, ids: list[str]) -> None:
    outbox = OutboxEntry.__table__
    pending = conn.execute(
        select(outbox.c.row_id, outbox.c.fields)
        .where(outbox.c.table_name == table.name, outbox.c.status == "pending",
               outbox.c.row_id.in_(ids))
        .order_by(outbox.c.seq)
    ).all()
    for row_id, fields in pending:
        values = decode(table, json.loads(fields))
        values.pop("id", None)
        if values:
            conn.execute(table.update().where(table.c.id == row_id).values(**values))

