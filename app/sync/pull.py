"""Pull: central rows newer than this workstation's cursor, in its service point's scope.

The cursor is (row_tx, id) per table, never a sequence, and it never passes the horizon,
`pg_snapshot_xmin(...)` when the pull began: every transaction below it has ended, so a
slow transaction can never be skipped. Rows committed beyond the horizon (visible, but an
older transaction is still open) are read too, as an overlap window, and applied at once,
without moving the cursor: the next pull reads them again until the horizon passes them.
Transaction ids are cluster-wide, so a long transaction anywhere on the cluster holds the
horizon back; without the overlap no desk would see another's walk-ins until it ended.
Applying is an upsert and a rebase of pending local edits, so applying a row twice is
harmless; a row version (id, row_tx) already applied from the overlap is not applied or
counted again while it stays there. Each page and its cursor are applied in one SQLite
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
from weakref import WeakKeyDictionary

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Dialect,
    Engine,
    Enum,
    Float,
    Integer,
    String,
    Table,
    bindparam,
    cast,
    column,
    delete,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    tuple_,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.types import TypeDecorator, UserDefinedType

from app.db import deferred
from app.db.central_schema import central_table, synced_central_tables
from app.db.central_trust import WITHHELD
from app.models import Base, LocalSetting, OutboxEntry
from app.models.local_time import DERIVE, DERIVED_FROM, derived_columns, derived_values
from app.sync.columns import unreadable_tables, withheld
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
    rows: int = 0  # rows new to this workstation (not counting the overlap read again)
    pages: int = 0
    beyond: int = 0  # rows read beyond the horizon: the cursor waits, read them again
    stopped: bool = False  # asked to stop with pages left

    @property
    def more(self) -> bool:
        """Worth pulling again soon: the cursor is behind rows already seen."""
        return self.beyond > 0 or self.stopped


def scope(table: Table, point_id: str):
    """What a workstation of service point `point_id` holds of this table."""
    c, name = table.c, table.name
    if name in NEVER_PULLED:
        return false()
    if name in ("service_point", "team", "staff", "area_setting"):
        return true()
    if name in ("working_hours", "calendar_override"):  # small, and any desk books anyone
        return true()
    if name in ("service_provider", "service_contract"):  # the area's register, small
        return true()
    if name == "contract_place":  # every contract's places, whole: no customer in it
        return true()
    # The employer register, whole (a few thousand rows); contact persons and contacts
    # only for employer.edit (the policies), the desk's copy stays empty.
    if name in ("employer", "vacancy", "employer_person", "employer_contact"):
        return true()
    # Rooms, events, their sessions and the annual calendar: the area's, no customer in
    # them (a desk books a room and sees events anywhere in the area).
    if name in ("room", "event", "event_session", "annual_theme"):
        return true()
    # The messages' templates and the messenger's heartbeat: the area's, no customer.
    if name in ("message_template", "messenger_heartbeat"):
        return true()
    # The partner register (#24): the area's, no customer in it.
    if name in ("partner_org", "partner_person"):
        return true()
    # The queue's services (#24): the area's, no customer in them.
    if name == "queue_service":
        return true()
    # Reach is the customer's own: their service point, a coach working here, or the
    # audited lookup of a walk-in from elsewhere (customer_reach) - never a row that
    # merely names them (the central policies hold the same line, central_trust.py).
    customers, staff = central_table("customer"), central_table("staff")
    reach = central_table("customer_reach")
    here = or_(
        customers.c.service_point_id == point_id,
        customers.c.coach_id.in_(select(staff.c.id).where(
            staff.c.service_point_id == point_id)),
        customers.c.id.in_(select(reach.c.customer_id).where(
            reach.c.service_point_id == point_id, reach.c.expires_at > func.now())),
    )
    my_customers = select(customers.c.id).where(here)
    if name == "customer":
        return c.id.in_(my_customers)
    if name in ("unemployment_period", "customer_note", "plan", "customer_barrier",
                "coach_assignment", "job_search_period", "case_facts", "referral",
                "support_decision", "effect_followup", "job_proposal",
                "contact_preference", "meeting_participant", "meeting_task"):
        return c.customer_id.in_(my_customers)
    if name == "customer_consent":
        # Also a partner's own organisation's, withdrawn ones too (central c0115): the
        # withdrawn customer is out of its reach by then, the withdrawal must arrive.
        own = select(staff.c.partner_org_id).where(
            staff.c.username == literal_column("session_user"))
        return or_(c.customer_id.in_(my_customers), c.partner_org_id.in_(own))
    if name == "customer_merge":  # a desk that holds either record learns of the merge
        return or_(c.into_customer_id.in_(my_customers),
                   c.from_customer_id.in_(my_customers))
    if name in ("visit", "appointment", "event_participant", "event_attendance", "message"):
        return or_(c.service_point_id == point_id, c.customer_id.in_(my_customers))
    if name in ("queue_ticket", "desk_duty", "feedback"):
        return c.service_point_id == point_id
    plans, versions = central_table("plan"), central_table("plan_version")
    my_plans = select(plans.c.id).where(plans.c.customer_id.in_(my_customers))
    if name == "plan_version":
        return c.plan_id.in_(my_plans)
    if name in ("plan_goal", "plan_action", "plan_service", "plan_participant"):
        return c.plan_version_id.in_(select(versions.c.id).where(versions.c.plan_id.in_(my_plans)))
    if name == "feedback_reply_request":
        feedback = central_table("feedback")
        return c.feedback_id.in_(select(feedback.c.id).where(
            feedback.c.service_point_id == point_id))
    if name == "sync_conflict":
        # The centre stamps a conflict with its row's service point (its own, or its
        # customer's: central_trust.py desk_conflict_scope); the policies then show it
        # only to those who may read the row. A row of the whole area's registers
        # (employers, providers) has no point: its conflicts go to every workstation,
        # and the policies still show them only where the row may be read.
        return or_(c.service_point_id == point_id, c.service_point_id.is_(None))
    raise KeyError(f"no pull scope for {name}")


# Tables every staff member of the workstation's service point reads alike (their central
# policies look at nothing but the row's own service point, or let every active staff
# member read): one cursor for all who sign in here. Every other table is read through
# policies that depend on who is connected (a coach's caseload and team, the desk never
# seeing case work), so each staff member pulls it with a cursor of their own: a desk's
# pull moving a shared cursor past plans it cannot see would hide them from the coach
# who signs in next.
SHARED_CURSOR = frozenset({"service_point", "team", "staff", "area_setting", "working_hours",
                           "calendar_override", "queue_ticket", "desk_duty",
                           "contract_place", "room", "event", "event_session",
                           "annual_theme", "message_template", "messenger_heartbeat",
                           "partner_org", "partner_person", "queue_service"})
# Of those, what a partner's login reads differently (#24, central c0120: only its own
# services' tickets, its own duty): its own cursors, so that its pull never moves the
# desk's past tickets it could not see. `_pull` learns who is a partner's login.
PARTNER_OWN_CURSOR = frozenset({"queue_ticket", "desk_duty"})
_partner_readers: set[str] = set()


def _cursor_key(table: str, reader: str = "") -> str:
    if reader and (table not in SHARED_CURSOR
                   or (table in PARTNER_OWN_CURSOR and reader in _partner_readers)):
        return f"pull_cursor:{reader}:{table}"
    return f"pull_cursor:{table}"


def reader_of(central: Engine) -> str | None:
    """Whose policies the central connection reads through: the connected staff
    member's id; "" for a superuser (a development set-up's one shared account, which
    policies do not filter); None for a login that may read nothing (no active staff
    row: left, or another area's)."""
    with central.connect() as conn:
        staff_id, superuser = conn.execute(text(
            "SELECT desk_staff_id(), coalesce((SELECT rolsuper FROM pg_roles "
            "WHERE rolname = session_user), false)")).one()
    if superuser:
        return ""
    return staff_id


def read_cursor(conn: Connection, table: str, reader: str = "") -> tuple[str, str]:
    value = conn.execute(select(LocalSetting.value).where(
        LocalSetting.key == _cursor_key(table, reader))).scalar()
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
    # The local-only columns computed from the row (app.models.local_time), stored after
    # `columns`: (their sources' indexes, derive, the local bind processor).
    derived: tuple[tuple[tuple[int, ...], Callable[..., Any], Converter | None], ...] = ()


@lru_cache(maxsize=256)
def _plan(central: Dialect, local: Dialect, table: Table, point_id: str,
          hidden: frozenset[str] = frozenset()) -> _TablePlan:
    """Per engine pair (their dialects), table and service point: the same for every pull.
    `hidden`: columns the connection may not read (app/sync/columns.py): not fetched, and
    left as they are locally."""
    local_table = Base.metadata.tables[table.name]
    columns = tuple(c.name for c in local_table.columns
                    if c.name in table.c and c.name not in hidden)
    derived = [c for c in derived_columns(local_table)
               if all(n in columns for n in c.info[DERIVED_FROM])]
    stmt = (
        select(*[table.c[n] for n in columns], cast(_row_tx(table), _Text()).label("_tx"))
        .where(
            scope(table, point_id),
            # No upper bound: rows beyond the horizon are the overlap (see `pull`).
            tuple_(_row_tx(table), table.c.id) > tuple_(
                cast(bindparam("cursor_tx", type_=String()), _Xid8()),
                bindparam("cursor_id", type_=String())),
        )
        .order_by(_row_tx(table), table.c.id)
        .limit(bindparam("page_limit", type_=Integer()))
    )
    compiled = stmt.compile(dialect=central)
    quote = local.identifier_preparer.quote
    stored = (*columns, *(c.name for c in derived))
    names = ", ".join(quote(n) for n in stored)
    marks = ", ".join("?" for _ in stored)
    assignments = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in stored if n != "id")
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
        else None,
        tuple((tuple(columns.index(n) for n in c.info[DERIVED_FROM]), c.info[DERIVE],
               c.type.bind_processor(local)) for c in derived))


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
        if isinstance(local_kind, Float):  # psycopg gives a float; SQLite stores it
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


def plan_for(central: Engine, local: Engine, table: Table, point_id: str,
             hidden: frozenset[str] = frozenset()) -> _TablePlan:
    """The table's plan (columns, upsert, converters) for these engines (working_set.py)."""
    return _plan(central.dialect, local.dialect, table, point_id, hidden)


# For app/sync/working_set.py, which selects pages of its own and applies them as these.
TablePlan = _TablePlan
row_tx = _row_tx


class _Text(UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "text"


TextType = _Text


def remaining(central: Engine, local: Engine, point_id: str, reader: str = "") -> int:
    """Rows in scope not yet pulled: for the first sync's progress bar."""
    total = 0
    with local.connect() as lconn:
        cursors = {t.name: read_cursor(lconn, t.name, reader)
                   for t in synced_central_tables()}
    with central.connect() as conn:
        skipped = unreadable_tables(conn, list(cursors))
        for table in synced_central_tables():
            if table.name in skipped:
                continue
            cursor = cursors[table.name]
            total += conn.execute(select(func.count()).select_from(table).where(
                scope(table, point_id),
                tuple_(_row_tx(table), table.c.id) > tuple_(
                    cast(literal(cursor[0]), _Xid8()), literal(cursor[1])),
            )).scalar() or 0
    return total


HORIZON_WAIT = 0.25  # seconds, at most, per pull

# Per local database (its engine), per table: the row versions (id -> row_tx) that earlier
# pulls of this process applied from beyond the horizon. Only spares applying, counting
# and announcing them again while they stay there; the pull that moves the cursor past
# them applies them again regardless.
_overlap: WeakKeyDictionary[Engine, dict[str, dict[str, str]]] = WeakKeyDictionary()


def horizon(central: Engine, wait: float = HORIZON_WAIT) -> tuple[int, bool]:
    """The pull's horizon, `pg_snapshot_xmin`: every transaction below it has ended, so
    the cursor may move up to it, never past. Waits at most `wait` seconds for the
    central transactions that were running when the pull began (most are short, another
    desk's push): that keeps the overlap small. Waiting longer would only delay this
    desk: transaction ids are cluster-wide, so a long transaction even in another
    database holds the horizon back, and the overlap covers what lies beyond it.
    Returns (horizon, whether every transaction running at the start had ended)."""
    deadline = time.monotonic() + wait
    with central.connect() as conn:
        # A transaction id of our own: every transaction that started before has a lower
        # one (a snapshot's xmax would not do: it only follows completed transactions).
        mine = conn.execute(text("SELECT pg_current_xact_id()::text")).scalar()
        conn.rollback()
        while True:
            xmin, reached = conn.execute(text(
                "SELECT pg_snapshot_xmin(s)::text, pg_snapshot_xmin(s) > CAST(:h AS xid8) "
                "FROM pg_current_snapshot() AS s"), {"h": mine}).one()
            conn.rollback()  # a fresh snapshot for the next look
            if reached or time.monotonic() >= deadline:
                return int(xmin), bool(reached)
            time.sleep(0.02)


def _below(rows: Sequence[tuple], limit: int) -> int:
    """How many of the rows (in cursor order) lie below the horizon: a prefix."""
    if not rows or int(rows[-1][-1]) < limit:
        return len(rows)
    return next(i for i, r in enumerate(rows) if int(r[-1]) >= limit)


# A partner's reach (#24, central c0115) is its consents: a consent given, or coming into
# force on a later day, makes a customer's earlier rows readable that the cursors passed
# while they were out of reach. So a partner's own cursors of these tables start again
# from the beginning whenever the workstation's consents changed since the last such
# reset (whoever's pull brought them, even one that stopped part way) and on a new day
# (the centre's Helsinki day, the one its policies count by).
PARTNER_REACHED = ("customer", "plan", "plan_version", "plan_goal", "plan_action",
                   "plan_service", "plan_participant", "meeting_participant", "meeting_task")


def _reader_standing(central: Engine, reader: str) -> tuple[str | None, str]:
    """(The centre's Helsinki day if `reader` is a partner's login, else None; what the
    reader's policies rest on: role, team, service point, partner organisation and the
    role's permissions, as one text)."""
    with central.connect() as conn:
        row = conn.execute(text(
            "SELECT s.role, (now() AT TIME ZONE 'Europe/Helsinki')::date::text, "
            "concat_ws('|', s.role, s.team_id, s.service_point_id, s.partner_org_id, "
            "(SELECT string_agg(p.permission, ',' ORDER BY p.permission) "
            " FROM role_permission p WHERE p.role = s.role)) "
            "FROM staff s WHERE s.id = :id"), {"id": reader}).one_or_none()
    if row is None:
        return None, ""
    role, day, standing = row
    return (day if role == "partner" else None), standing


def _restart_when_standing_changed(conn: Connection, reader: str, standing: str) -> None:
    """A reader's own cursors move past the rows its policies hide (`_advance`): when what
    the policies rest on changes (a desk worker made a coach, a coach moved to another
    team or point, the role's permissions changed), rows it could not read before may be
    readable now with their old row_tx, so its own cursors start again from the
    beginning (a full pull of its scope; the shared ones are everyone's alike)."""
    key = f"reader_standing:{reader}"
    known = conn.execute(select(LocalSetting.value).where(LocalSetting.key == key)).scalar()
    if known == standing:
        return
    if known is not None:
        conn.execute(delete(LocalSetting).where(
            LocalSetting.key.like(f"pull_cursor:{reader}:%")))
    conn.execute(sqlite_insert(LocalSetting.__table__).values(key=key, value=standing)
                 .on_conflict_do_update(index_elements=["key"], set_={"value": standing}))


def _reach_mark(conn: Connection, day: str) -> str:
    from app.models import CustomerConsent

    count, versions = conn.execute(select(
        func.count(), func.coalesce(func.sum(CustomerConsent.version), 0))).one()
    return f"{day}|{count}|{versions}"


def pull(local: Engine, central: Engine, point_id: str, page: int = PAGE,
         progress: Progress | None = None, observe: Callable[[str], None] | None = None,
         should_stop: Callable[[], bool] | None = None,
         wait: float = HORIZON_WAIT, ready: Callable[[int], None] | None = None
         ) -> PullResult:
    """`_pull` (below); for a partner's login whose reach may have changed, from the start
    of what its consents reach. `ready(rows)` is told when a first pull's working set is
    in (app/sync/working_set.py), before the rest follows."""
    reader = reader_of(central)
    day, standing = _reader_standing(central, reader) if reader else (None, "")
    if reader and standing:
        with local.begin() as conn:
            _restart_when_standing_changed(conn, reader, standing)
    if reader and day:
        _partner_readers.add(reader)
        key = f"partner_reach_mark:{reader}"
        with local.begin() as conn:
            mark = _reach_mark(conn, day)
            if conn.execute(select(LocalSetting.value).where(
                    LocalSetting.key == key)).scalar() != mark:
                conn.execute(delete(LocalSetting).where(LocalSetting.key.in_(
                    [_cursor_key(t, reader) for t in PARTNER_REACHED] + [key])))
                conn.execute(LocalSetting.__table__.insert().values(key=key, value=mark))
    return _pull(local, central, point_id, page, progress, observe, should_stop, wait, ready)


def _pull(local: Engine, central: Engine, point_id: str, page: int = PAGE,
          progress: Progress | None = None, observe: Callable[[str], None] | None = None,
          should_stop: Callable[[], bool] | None = None,
          wait: float = HORIZON_WAIT, ready: Callable[[int], None] | None = None
          ) -> PullResult:
    """Page by page, table by table. While a full page is written locally, the next one is
    already fetched on a second thread: it starts from that page's last row. The cursor a
    page's transaction stores is its last row below the horizon (see `horizon`); rows
    beyond it are applied all the same (the overlap) and read again by the next pull,
    until the horizon passes them. A page fetched and not written (a stop, an error)
    changes nothing: the next pull starts again from the stored cursor. Until a login's
    first full pull here has finished, its working set comes first (working_set.py)."""
    from app.sync import working_set

    result = PullResult()
    reader = reader_of(central)
    if reader is None:
        return result  # nothing is readable with this login: move no cursor
    deferred.restore_all(local)  # what a pull killed part way left set aside
    with central.connect() as conn:
        hidden = {name: withheld(conn, name) for name in WITHHELD}
        skipped = unreadable_tables(conn, [t.name for t in synced_central_tables()])
    state = working_set.needed(local, reader)
    first = state is not None
    if state == working_set.FETCH:
        arrived = working_set.pull_working_set(local, central, point_id, reader, hidden,
                                               skipped, should_stop)
        if arrived is None:  # stopped before it was all in
            result.stopped = True
            return result
        if ready is not None:
            ready(arrived)
    elif state == working_set.ANNOUNCE and ready is not None:
        ready(0)  # in from an earlier, unfinished first sync
    limit, _ = horizon(central, wait)
    # Counting what is left is a query per table: for a first sync's progress bar only.
    total = remaining(central, local, point_id, reader) if progress and first else 0
    seen = 0
    applied = _overlap.setdefault(local, {})
    advanced: dict[str, str] = {}  # cursor key -> the horizon, for tables read to the end
    pulled = [t for t in synced_central_tables()
              if t.name not in NEVER_PULLED and t.name not in skipped]
    with (local.connect() as lconn, _page_cache(lconn),
          ThreadPoolExecutor(1, thread_name_prefix="pull-fetch") as fetcher):
        cursors = {t.name: read_cursor(lconn, t.name, reader) for t in pulled}
        lconn.rollback()
        changed = _changed(central, pulled, cursors) if not first else None
        for table in pulled:
            if should_stop is not None and should_stop():
                result.stopped = True
                return result
            cursor = cursors[table.name]
            key = _cursor_key(table.name, reader)
            # Only a reader's own cursor moves past what it cannot see: a shared one is
            # the point's staff's alike, and a login of another point, say, reads none
            # of the point's queue (its policies look at the reader's own point).
            own = key != _cursor_key(table.name)
            if changed is not None and table.name not in changed:
                applied[table.name] = {}  # nothing after the cursor, nor in the overlap
                if own and limit - int(cursor[0]) > CURSOR_GAP:
                    advanced[key] = f"{limit}|"
                continue
            plan = _plan(central.dialect, local.dialect, table, point_id,
                         hidden.get(table.name, frozenset()))
            before = applied.get(table.name, {})
            beyond: dict[str, str] = {}  # this pull's overlap: id -> row_tx
            applied[table.name] = {**before}  # kept whole if the pull ends part way
            fetching: Future[Sequence[tuple]] | None = fetcher.submit(
                _fetch, central, plan, cursor, page)
            # A new workstation's first fill of a big history table (a full first page,
            # few rows here yet; not one of the working set's, whose lookups the desk
            # makes meanwhile): its secondary indexes and timeliness triggers are set
            # aside and made again once the table is in, or the pull ends (deferred.py).
            bulk, first_page = False, True
            stored_tx = int(cursor[0])
            try:
                while fetching is not None:
                    rows = fetching.result()
                    if not rows:
                        break
                    fetching = None
                    if len(rows) == page:  # more may follow
                        last = rows[-1]
                        fetching = fetcher.submit(
                            _fetch, central, plan, (last[-1], last[plan.id_at]), page)
                        if (first_page and cursor == ("0", "")
                                and table.name not in working_set.TABLES
                                and deferred.worth_deferring(lconn, table.name, page)):
                            bulk = deferred.defer(lconn, table.name)
                    first_page = False
                    at = plan.id_at
                    safe = _below(rows, limit)
                    new, writes = rows, rows  # a first sync: nothing applied from the overlap
                    if before:
                        new = [r for r in rows if before.get(r[at]) != r[-1]]
                        # Below the horizon every row is applied (once, as the cursor passes
                        # it); beyond it, only the versions not applied already.
                        writes = [*rows[:safe], *(r for r in rows[safe:]
                                                  if before.get(r[at]) != r[-1])]
                    apply_page(lconn, plan, writes, rows[safe - 1] if safe else None, key)
                    if safe:
                        stored_tx = int(rows[safe - 1][-1])
                    for r in rows[safe:]:
                        beyond[r[at]] = applied[table.name][r[at]] = r[-1]
                    result.rows += len(new)
                    result.beyond += len(rows) - safe
                    result.pages += 1
                    seen += len(rows)
                    if observe is not None and plan.hlc_at is not None:
                        stamps = [r[plan.hlc_at] for r in new if r[plan.hlc_at]]
                        if stamps:
                            observe(max(stamps))
                    if progress is not None:
                        progress(seen, max(total, seen))
                    if fetching is not None and should_stop is not None and should_stop():
                        result.stopped = True
                        return result
            finally:
                if bulk:
                    deferred.restore(lconn, table.name)
            applied[table.name] = beyond  # what later pulls need not apply again
            if own and limit - stored_tx > CURSOR_GAP:
                advanced[key] = f"{limit}|"
    _advance(local, advanced)
    if first:
        with local.begin() as conn:
            working_set.mark_complete(conn, reader)
    return result


def _changed(central: Engine, tables: list[Table], cursors: dict[str, tuple[str, str]]
             ) -> set[str]:
    """The tables with a row after the login's cursor that it may read: one round trip
    (an EXISTS per table on its (row_tx, id) index, the row-level policies applied), so
    that a pull after one walk-in fetches the few tables that changed, not a page query
    for each of some sixty (#28 item 5). Without the pull scope: a table it names may
    still bring nothing, never the other way round. Read after the horizon, so a row
    committed later lies beyond the horizon and stays after any cursor moved to it."""
    columns = []
    for i, table in enumerate(tables):
        tx, row_id = cursors[table.name]
        # SELECT id, not *: a login granted some columns only may read row_tx and id.
        columns.append(select(table.c.id).where(tuple_(_row_tx(table), table.c.id) > tuple_(
            cast(bindparam(f"tx{i}", tx, type_=String()), _Xid8()),
            bindparam(f"id{i}", row_id, type_=String()))).exists().label(f"t{i}"))
    if not columns:
        return set()
    with central.connect() as conn:
        flags = conn.execute(select(*columns)).one()
    return {table.name for table, flag in zip(tables, flags, strict=True) if flag}


# Transactions a cursor may lag behind the horizon before a pull that read its table to
# the end moves it up (see `_advance`).
CURSOR_GAP = 50


def _advance(local: Engine, advanced: dict[str, str]) -> None:
    """Move a reader's own cursors of tables read to the end up to the horizon,
    (horizon, ''): every row this login may read below it now is applied (the last page
    was not full), and rows at or beyond it stay after the cursor, to be read again. What
    it may read later (a new role, team or point) starts its cursors again
    (`_restart_when_standing_changed`). Without this a cursor stops at
    the last row the login could see, and every pull reads again, through the row-level
    policies, all the rows it cannot see after it: a desk's pull went through every case
    note, barrier and plan of the area each time (#28 item 5: 2 s a pull at scale 0.5).
    One local transaction per pull, and only for cursors `CURSOR_GAP` behind."""
    if not advanced:
        return
    settings = LocalSetting.__table__
    with local.begin() as conn:
        for key, value in advanced.items():
            conn.execute(sqlite_insert(settings).values(key=key, value=value)
                         .on_conflict_do_update(index_elements=["key"], set_={"value": value}))


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
    if not plan.converters and not plan.derived:
        return [r[:width] for r in rows]
    values: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for i, convert in plan.converters:
        values[i] = [None if v is None else convert(v) for v in values[i]]
    derived = []
    for sources, derive, bind in plan.derived:  # from the stored values (naive UTC text)
        column = [derive(*args) for args in zip(*(values[i] for i in sources), strict=True)]
        derived.append([bind(v) for v in column] if bind else column)
    return list(zip(*values[:width], *derived, strict=True))


def apply_page(conn: Connection, plan: _TablePlan, rows: Sequence[tuple],
               upto: tuple | None, key: str | None = None) -> None:
    """Upsert a page, rebase pending local edits, and move the cursor to the row `upto`
    (None: leave it, the rows all lie beyond the horizon): one transaction. Applying a
    row again is harmless: the same upsert, the same pending fields re-applied, the same
    scrub. Foreign keys are not checked here: a row may point outside this workstation's
    scope."""
    if not rows:
        return
    table = plan.table
    values = _stored(plan, rows)
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
            if upto is not None:
                position = f"{upto[-1]}|{upto[plan.id_at]}"
                conn.execute(
                    sqlite_insert(LocalSetting.__table__)
                    .values(key=key or _cursor_key(table.name), value=position)
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
        if values and derived_columns(table):  # the local-only columns follow the edit
            row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
            values.update(derived_values(table, values, row))
        if values:
            conn.execute(table.update().where(table.c.id == row_id).values(**values))

