"""A new workstation's working set, first (#28 item 1): before the first full pull, the
rows a desk needs to serve customers today arrive on their own, so the workstation is
usable within seconds while the history follows behind.

The working set is, within the workstation's scope (`pull.scope`, so never more than the
full pull would bring) and what the signed-in person's login may read:
- the area's small registers: service points, teams, staff, settings, working hours and
  calendar exceptions, rooms, the queue's services, message templates, partners;
- the service point's queue of today and yesterday, and the desks on duty;
- the appointments from yesterday to two weeks ahead;
- the customers those tickets and appointments name, and the signed-in coach's caseload;
- the caseload's plans, their versions and their parts.

"Today" is the centre's (its clock and the Helsinki day its policies count by), not the
workstation's. The rows are applied as the full pull applies them (`pull.apply_page`:
an upsert, pending local edits rebased) but no cursor moves: the full pull that follows
reads them again and applies them once more, which is harmless.

Once per login and workstation: fetched whole (`FETCHED_KEY`), it is not fetched again,
but each pull until the first full pull has finished (`COMPLETE_KEY`: a first sync
stopped, or failing and retried) says again that the desk can serve. A login that
pulled here before there was a working set (cursors of its own, no marks) counts as
complete. The working set's tables keep their indexes while the history arrives
(app/db/deferred.py is not used for them)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import Connection, Engine, Table, cast, literal_column, or_, select, true
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.db.central_schema import central_table, synced_central_tables
from app.models import LocalSetting
from app.sync import pull as pull_mod

COMPLETE_KEY = "pull_complete:{reader}"
FETCHED_KEY = "working_set:{reader}"

# The centre's clock: naive UTC as the central timestamps are kept, and its Helsinki day.
_UTC_NOW: Any = literal_column("(now() AT TIME ZONE 'UTC')")
_TODAY: Any = literal_column("((now() AT TIME ZONE 'Europe/Helsinki')::date)")
WHOLE = ("area_setting", "service_point", "team", "staff", "working_hours",
         "calendar_override", "room", "queue_service", "message_template", "partner_org")
TABLES = frozenset((*WHOLE, "customer", "desk_duty", "appointment", "queue_ticket", "plan",
                    "plan_version", "plan_goal", "plan_action", "plan_service",
                    "plan_participant"))


def _tickets() -> Any:
    t = central_table("queue_ticket").c
    return t.ticket_date >= _TODAY - 1


def _appointments() -> Any:
    a = central_table("appointment").c
    return (a.starts_at >= _UTC_NOW - literal_column("interval '1 day'")) & (
        a.starts_at < _UTC_NOW + literal_column("interval '15 days'"))


def _caseload(reader: str) -> Any:
    customers = central_table("customer")
    return select(customers.c.id).where(customers.c.coach_id == reader)


def _filters(point_id: str, reader: str, skipped: Collection[str]) -> dict[str, Any]:
    """Per central table, what of its scope belongs to the working set. A table the
    login may not read (`skipped`, e.g. a partner's and the appointments) is left out,
    and so is every filter that would read it."""
    tickets, appointments = central_table("queue_ticket"), central_table("appointment")
    customers = central_table("customer")
    plans, versions = central_table("plan"), central_table("plan_version")
    caseload = _caseload(reader)
    caseload_plans = select(plans.c.id).where(plans.c.customer_id.in_(caseload))
    caseload_versions = select(versions.c.id).where(versions.c.plan_id.in_(caseload_plans))
    named = [customers.c.coach_id == reader]
    if "queue_ticket" not in skipped:
        named.append(customers.c.id.in_(select(tickets.c.customer_id).where(
            tickets.c.service_point_id == point_id, _tickets())))
    if "appointment" not in skipped:
        named.append(customers.c.id.in_(select(appointments.c.customer_id).where(
            appointments.c.service_point_id == point_id, _appointments())))
    filters: dict[str, Any] = {name: true() for name in WHOLE}
    filters.update({
        "customer": or_(*named),
        "desk_duty": central_table("desk_duty").c.started_at
        >= _UTC_NOW - literal_column("interval '1 day'"),
        "appointment": _appointments(),
        "queue_ticket": _tickets(),
        "plan": plans.c.customer_id.in_(caseload),
    })
    if "plan" not in skipped:
        filters["plan_version"] = versions.c.plan_id.in_(caseload_plans)
        if "plan_version" not in skipped:
            for part in ("plan_goal", "plan_action", "plan_service", "plan_participant"):
                filters[part] = central_table(part).c.plan_version_id.in_(caseload_versions)
    return {name: where for name, where in filters.items() if name not in skipped}


FETCH, ANNOUNCE = "fetch", "announce"


def needed(local: Engine, reader: str) -> str | None:
    """FETCH: this login's working set is to be fetched here; ANNOUNCE: it is here, the
    first full pull is not finished; None: that pull has finished (or ran before there
    was a working set)."""
    keys = (COMPLETE_KEY.format(reader=reader), FETCHED_KEY.format(reader=reader))
    with local.begin() as conn:
        marks = set(conn.execute(select(LocalSetting.key).where(
            LocalSetting.key.in_(keys))).scalars())
        if keys[0] in marks:
            return None
        if keys[1] in marks:
            return ANNOUNCE
        own = f"pull_cursor:{reader}:" if reader else "pull_cursor:"
        if conn.execute(select(LocalSetting.key).where(
                LocalSetting.key.startswith(own, autoescape=True)).limit(1)).first():
            mark(conn, keys[0])  # pulled here by a version before the working set
            return None
    return FETCH


def mark(conn: Connection, key: str) -> None:
    conn.execute(sqlite_insert(LocalSetting.__table__).values(key=key, value="1")
                 .on_conflict_do_nothing(index_elements=["key"]))


def mark_complete(conn: Connection, reader: str) -> None:
    mark(conn, COMPLETE_KEY.format(reader=reader))


def _select_sql(central: Engine, table: Table, plan: pull_mod.TablePlan, point_id: str,
                extra: Any) -> tuple[str, dict[str, Any]]:
    stmt = select(*[table.c[n] for n in plan.columns],
                  cast(pull_mod.row_tx(table), pull_mod.TextType()).label("_tx")) \
        .where(pull_mod.scope(table, point_id), extra)
    compiled = stmt.compile(dialect=central.dialect)
    return str(compiled), dict(compiled.params)


def pull_working_set(local: Engine, central: Engine, point_id: str, reader: str,
                     hidden: dict[str, frozenset[str]], skipped: Collection[str],
                     should_stop: Callable[[], bool] | None = None) -> int | None:
    """Fetch and apply the working set (module docstring); returns the rows applied,
    or None if asked to stop before it was all in."""
    applied = 0
    filters = _filters(point_id, reader, skipped)
    by_name = {t.name: t for t in synced_central_tables()}
    with local.connect() as lconn:
        for name, extra in filters.items():
            if name not in by_name:
                continue
            if should_stop is not None and should_stop():
                return None
            table = by_name[name]
            plan = pull_mod.plan_for(central, local, table, point_id,
                                     hidden.get(name, frozenset()))
            statement, params = _select_sql(central, table, plan, point_id, extra)
            with central.connect() as conn:
                cursor = conn.connection.cursor()
                try:
                    cursor.execute(statement, params)
                    rows = cursor.fetchall()
                finally:
                    cursor.close()
            pull_mod.apply_page(lconn, plan, rows, None)
            applied += len(rows)
    with local.begin() as conn:
        mark(conn, FETCHED_KEY.format(reader=reader))
    return applied
