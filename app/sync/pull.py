"""Pull: central rows newer than this workstation's cursor, in its service point's scope.

The cursor is (row_tx, id) per table, never a sequence: a row becomes visible only once
every older transaction has committed (`row_tx < pg_snapshot_xmin(...)`), so a slow
transaction can never be skipped. Each page and its cursor are applied in one SQLite
transaction, so an interrupted first sync resumes where it stopped. Rows with pending
local edits are rebased: the central row is written, then the pending fields again."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Dialect,
    Engine,
    Enum,
    Integer,
    String,
    Table,
    bindparam,
    cast,
    column,
    exists,
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
from sqlalchemy.types import TypeDecorator, UserDefinedType

from app.db.central_schema import central_table, synced_central_tables
from app.models import Base, LocalSetting, OutboxEntry
from app.sync.values import decode

# Rows per page: each page is one central query (its scope subqueries are evaluated again
# for every page) and one SQLite transaction (a synchronous=FULL commit), so a first sync
# wants large pages; 5 000 rows are still well under a second of work between progress
# reports and checks of `should_stop`.
PAGE = 5000
NEVER_PULLED = ("audit_event",)  # written upwards only: no one's laptop holds the trail

Progress = Callable[[int, int], None]  # rows done, rows in all


class _Xid8(UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
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


Converter = Callable[[Any], Any]


@dataclass(frozen=True)
class _TablePlan:
    """How one table's pages are fetched and applied, built once per pull: the page query
    compiled for the central database, the upsert for the local one, and the conversion of
    each column's central value to the value SQLAlchemy would have stored locally."""

    table: Table  # the local table
    columns: tuple[str, ...]  # in the local table's order; the fetched rows add `_tx`
    select_sql: str
    select_params: dict[str, Any]
    upsert_sql: str
    converters: tuple[tuple[int, Converter], ...]  # (column index, converter), not None
    id_at: int
    hlc_at: int | None
    erased_at: int | None


@lru_cache(maxsize=256)
def _plan(central: Dialect, local: Dialect, table: Table, point_id: str) -> _TablePlan:
    """Per engine pair (their dialects), table and service point: the same for every pull."""
    local_table = Base.metadata.tables[table.name]
    columns = tuple(c.name for c in local_table.columns if c.name in table.c)
    stmt = (
        select(*[table.c[n] for n in columns], cast(_row_tx(table), _Text()).label("_tx"))
        .where(
            scope(table, point_id),
            tuple_(_row_tx(table), table.c.id) > tuple_(
                cast(bindparam("cursor_tx", type_=String()), _Xid8()),
                bindparam("cursor_id", type_=String())),
            _row_tx(table) < func.pg_snapshot_xmin(func.pg_current_snapshot()),
        )
        .order_by(_row_tx(table), table.c.id)
        .limit(bindparam("page_limit", type_=Integer()))
    )
    compiled = stmt.compile(dialect=central)
    quote = local.identifier_preparer.quote
    names = ", ".join(quote(n) for n in columns)
    marks = ", ".join("?" for _ in columns)
    assignments = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in columns if n != "id")
    upsert = (f"INSERT INTO {quote(local_table.name)} ({names}) VALUES ({marks}) "
              f"ON CONFLICT ({quote('id')}) DO UPDATE SET {assignments}")
    converters = []
    for i, name in enumerate(columns):
        convert = stored_value(local_table.c[name], local, table.c[name], central)
        if convert is not None:
            converters.append((i, convert))
    return _TablePlan(
        local_table, columns, str(compiled), dict(compiled.params), upsert, tuple(converters),
        columns.index("id"),
        columns.index("hlc") if "hlc" in columns else None,
        columns.index("erased_at") if table.name == "customer" and "erased_at" in columns
        else None)


def _datetime_text(value: datetime) -> str:
    # What UTCDateTime stores, through SQLite's DATETIME: the central value (naive UTC; an
    # aware one is taken as UTC wall time, as UTCDateTime.process_result_value does),
    # always with microseconds.
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def _date_text(value: date) -> str:
    return value.isoformat()


def _kind(column: Column) -> Any:
    return column.type.impl if isinstance(column.type, TypeDecorator) else column.type


def _reference_converter(local_column: Column, local_dialect: Dialect,
                         central_column: Column, central_dialect: Dialect,
                         central_type_code: Any = None) -> Converter | None:
    """SQLAlchemy's own path for a value: the central column's result processing, then the
    local column's bind processing (what a pull through `select`/`insert` stores)."""
    result = central_column.type._cached_result_processor(central_dialect, central_type_code)
    bind = local_column.type._cached_bind_processor(local_dialect)
    if result is None and bind is None:
        return None
    if result is None:
        return bind
    if bind is None:
        return result
    return lambda value: bind(result(value))


def stored_value(local_column: Column, local_dialect: Dialect, central_column: Column,
                 central_dialect: Dialect) -> Converter | None:
    """How a value fetched raw from the central column is stored in the local one: the
    same value SQLAlchemy's result and bind processing would give, without that machinery
    per value. None when the value is stored as fetched. Converters see no None."""
    local_kind, central_kind = _kind(local_column), _kind(central_column)
    if type(local_kind) is not type(central_kind):
        return _reference_converter(local_column, local_dialect, central_column,
                                    central_dialect)
    if local_dialect.name == "sqlite" and central_dialect.name == "postgresql":
        if isinstance(local_kind, DateTime):
            return _datetime_text
        if isinstance(local_kind, Date):
            return _date_text
        if isinstance(local_kind, Boolean):
            return int
        if isinstance(local_kind, Enum) and not local_kind.native_enum:
            return None  # the value's text in both, checked by both schemas
        if type(local_kind) in (String, Integer) or isinstance(local_kind, String):
            return None
    return _reference_converter(local_column, local_dialect, central_column, central_dialect)


def _fetch(central: Engine, plan: _TablePlan, cursor: tuple[str, str],
           limit: int) -> Sequence[tuple]:
    """Plain tuples, the plan's columns then `_tx`, as the driver returns them."""
    params = {**plan.select_params, "cursor_tx": cursor[0], "cursor_id": cursor[1],
              "page_limit": limit}
    with central.connect() as conn:
        dbapi_cursor = conn.connection.cursor()
        try:
            dbapi_cursor.execute(plan.select_sql, params)
            return dbapi_cursor.fetchall()
        finally:
            dbapi_cursor.close()


def _row_tx(table: Table):
    """The central-only transaction-id column (not part of the shared table models)."""
    return column("row_tx", _Xid8(), _selectable=table)


class _Text(UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
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
    """Page by page, table by table. While a full page is written locally, the next one is
    already fetched on a second thread: it starts from that page's last row, which is the
    cursor the page's transaction stores. A page fetched and not written (a stop, an
    error) changes nothing: the next pull starts again from the stored cursor."""
    result = PullResult()
    await_horizon(central)
    total = remaining(central, local, point_id) if progress else 0
    with (local.connect() as lconn, _page_cache(lconn),
          ThreadPoolExecutor(1, thread_name_prefix="pull-fetch") as fetcher):
        for table in synced_central_tables():
            if table.name in NEVER_PULLED:
                continue
            if should_stop is not None and should_stop():
                return result
            plan = _plan(central.dialect, local.dialect, table, point_id)
            cursor = read_cursor(lconn, table.name)
            lconn.rollback()  # no read transaction held while pages are written
            fetching: Future[Sequence[tuple]] | None = fetcher.submit(
                _fetch, central, plan, cursor, page)
            while fetching is not None:
                rows = fetching.result()
                if not rows:
                    break
                fetching = None
                if len(rows) == page:  # more may follow
                    last = rows[-1]
                    fetching = fetcher.submit(
                        _fetch, central, plan, (last[-1], last[plan.id_at]), page)
                apply_page(lconn, plan, rows)
                result.rows += len(rows)
                result.pages += 1
                if observe is not None and plan.hlc_at is not None:
                    at = plan.hlc_at
                    stamps = [r[at] for r in rows if r[at]]
                    if stamps:
                        observe(max(stamps))
                if progress is not None:
                    progress(result.rows, max(total, result.rows))
                if fetching is not None and should_stop is not None and should_stop():
                    return result
    return result


PULL_CACHE_KIB = 32 * 1024


@contextmanager
def _page_cache(conn: Connection) -> Iterator[None]:
    """A larger SQLite page cache on the pull's connection while it pulls: a first sync
    inserts into indexes keyed by random ids, and with the default cache (a few MiB)
    nearly every insert reads back, and decrypts, an index page it wrote a page ago."""
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{PULL_CACHE_KIB}")
    conn.commit()
    try:
        yield
    finally:
        conn.rollback()
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")
        conn.commit()


def _stored(plan: _TablePlan, rows: Sequence[tuple]) -> list[tuple]:
    """The rows as the local table stores them, without the trailing `_tx`."""
    width = len(plan.columns)
    if not plan.converters:
        return [r[:width] for r in rows]
    values: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for i, convert in plan.converters:
        values[i] = [None if v is None else convert(v) for v in values[i]]
    return list(zip(*values[:width], strict=True))


def apply_page(conn: Connection, plan: _TablePlan, rows: Sequence[tuple]) -> None:
    """Upsert a page, rebase pending local edits, and move the cursor: one transaction.
    Foreign keys are not checked here: a row may point outside this workstation's scope."""
    table = plan.table
    values = _stored(plan, rows)
    last = rows[-1]
    position = f"{last[-1]}|{last[plan.id_at]}"
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, as required
    conn.commit()
    try:
        with conn.begin():
            conn.exec_driver_sql(plan.upsert_sql, values)
            _rebase(conn, table, [r[plan.id_at] for r in rows])
            if plan.erased_at is not None:  # erased centrally: scrub this copy too
                from app.sync.erasure import scrub_local

                at = plan.erased_at
                for r in rows:
                    if r[at]:
                        erased = r[at] if r[at].tzinfo else r[at].replace(tzinfo=UTC)
                        scrub_local(conn, [r[plan.id_at]], erased)
            conn.execute(
                sqlite_insert(LocalSetting.__table__)
                .values(key=_cursor_key(table.name), value=position)
                .on_conflict_do_update(index_elements=["key"], set_={"value": position})
            )
    finally:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


def _rebase(conn: Connection, table: Table, ids: list[str]) -> None:
    outbox = OutboxEntry.__table__
    if not conn.execute(select(exists().where(
            outbox.c.table_name == table.name, outbox.c.status == "pending"))).scalar():
        return  # nothing pending on this table (a first sync): no lookup by every id
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

