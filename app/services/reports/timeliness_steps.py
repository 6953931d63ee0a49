"""The statutory timeliness steps, summarised per customer on the workstation (#25,
reports fast over years).

The five timeliness reports (app.services.reports.timeliness) count each customer's
statutory steps: the initial interview and the job-search conversations of every
job-search period, the plan reviews, the activation and the integration plan, each with
its due day and the day it was held. Those steps do not depend on the report's period:
each chain runs up to its first step not yet held, and a period only picks the steps
due in it. So they are kept in `timeliness_step` (local migration 0090), computed with
the reports' own rules (`read_scope`, `Scope.cycles`, `conversation_steps`,
`plan_reviews`, `activation_day`, `integration_step`) for the customers whose rows
changed, and a report reads the steps due in its period joined with the customer's
group facts.

- **What is computed again.** SQLite triggers (migration 0090) put a customer in
  `timeliness_dirty` on every insert, update or delete of their customer row,
  appointments, job-search periods, case facts, unemployment periods, barriers, plans
  and plan versions: the write path, the sync pull, a merge and an erasure alike. A
  report first computes the dirty customers' steps again (`refresh`), then counts.
- **Today.** Only the activation plan depends on today: the rules in force today
  (their values, with a digest of the whole rules table and `VERSION`, are the
  summary's `rules` key: any change computes everyone again) and the clock's horizon
  of two years ahead. The step is stored with the day the count
  reaches the limit (`reach_on`), looked up a year further ahead; a report counts it
  when `reach_on` lies within today's horizon, and a customer whose count reaches no
  limit within that reach is computed again after a year (`timeliness_recheck`).
- **Derived data.** The tables have no model in app.models: never in the central
  schema, the outbox, the seed or the digest, never pushed, written here directly.
  Deleting their rows (or marking every customer dirty) only makes the next report
  compute again. On a database without them (a PostgreSQL session, a test's bare
  schema) the reports compute directly (`timeliness.DIRECT`, also the tests'
  reference).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.dto.reports import ReportFilter
from app.models import Customer, Staff
from app.rules import clock
from app.rules.codes import PlanType
from app.rules.statutory import RULES
from app.services.reports import timeliness as t
from app.services.statutory_clock import activation
from app.services.statutory_clock_facts import RESTARTS_CLOCK, Facts

# Bump when the steps are computed differently: every customer is computed again.
VERSION = "1"
# The activation plan's count is looked up this much beyond the clock's own horizon, so
# that a customer without a due day is computed again only after a year.
ACTIVATION_REACH = t.ACTIVATION_HORIZON + 365
RECHECK = timedelta(days=365)
# The rules the activation plan's count looks up by today (statutory_clock.activation).
ACTIVATION_RULES = ("activation_age_limit", "activation_days_young",
                    "activation_window_young", "activation_days_adult",
                    "activation_days_after_allowance")
KIND = {
    "initial_interviews_on_time": "interview",
    "job_search_conversations_on_time": "conversation",
    "plan_reviews_on_time": "review",
    "activation_plans_on_time": "activation",
    "integration_plans_on_time": "integration",
}
CHUNK = 500  # ids per `IN (...)`

_meta = MetaData()
STEP = Table(
    "timeliness_step", _meta,
    Column("kind", String(12), primary_key=True),
    Column("due_on", String(10), primary_key=True),
    Column("customer_id", String(36), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("held_on", String(10)), Column("group_bits", Integer),
    Column("service_point_id", String(36)), Column("coach_id", String(36)),
    Column("registered_on", String(10)), Column("reach_on", String(10)),
    Column("review_on", String(10)), Column("accepted", String(80)), Column("open", Integer),
)
TABLES = ("timeliness_step", "timeliness_dirty", "timeliness_recheck", "timeliness_meta")
COLUMNS = ("kind", "due_on", "customer_id", "seq", "held_on", "group_bits",
           "service_point_id", "coach_id", "registered_on", "reach_on", "review_on",
           "accepted", "open")

Row = tuple[str, str, str, int, str | None, int, str | None, str | None, str | None,
            str | None, str | None, str | None, int]


def available(s: Session) -> bool:
    """Whether this database keeps the summary (a local database at 0090 or later)."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        return False
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
        "('timeliness_step', 'timeliness_dirty', 'timeliness_recheck', 'timeliness_meta')"
    ).scalar()
    return found == len(TABLES)


@cache
def _rules_digest() -> str:
    """The statutory rules table (every rule, date and value) as a short digest: a new
    or changed rule computes everyone again."""
    return hashlib.sha256(repr(RULES).encode()).hexdigest()[:16]


def rules_key(today: date) -> str:
    """What the summary was computed by: its version, the rules table, and the
    activation rules in force today."""
    return "|".join([VERSION, _rules_digest(),
                     *(str(t._rule(key, today)) for key in ACTIVATION_RULES)])


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _key(row: Row) -> tuple[str, str, str, int]:
    return row[0], row[1], row[2], row[3]


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


# --- computing the steps of some customers ---------------------------------------------


def compute(s: Session, ids: Sequence[str], today: date
            ) -> tuple[list[Row], list[tuple[str, str]]]:
    """The steps of the customers `ids` (each report's own rules, over every meeting and
    period: nothing depends on a report's period), and those to compute again after a
    day (customer, ISO day)."""
    wanted = set(ids)
    everyone = ReportFilter(today, today)
    where = (Customer.id.in_(list(ids)),) if len(ids) <= t.FEW else ()
    scope = t.read_scope(s, everyone, *where, kinds=t.HELD)
    for cid in [cid for cid in scope.facts if cid not in wanted]:
        del scope.facts[cid]
    rows: list[Row] = []
    rechecks: list[tuple[str, str]] = []
    if not scope.facts:
        return rows, rechecks
    reviews = t.plan_reviews(s, scope, None)
    t.read_subsidy_facts(s, scope)
    spells = t.subsidy_spells(s, scope)
    activations = t.plans_made(s, scope, PlanType.ACTIVATION)
    integrations = t.plans_made(s, scope, PlanType.INTEGRATION)
    # The customer's own columns the reports filter on (the coach's team is joined).
    own_columns: dict[str, tuple[str | None, str | None, str | None]] = {}
    for chunk in _chunks(list(scope.facts)):
        for cid, point, coach, registered in s.connection().exec_driver_sql(
            "SELECT id, service_point_id, coach_id, jobseeker_registered_on FROM customer "
            f"WHERE id IN ({','.join('?' * len(chunk))})", tuple(chunk)
        ):
            own_columns[cid] = (point, coach, registered)
    for cid, facts in scope.facts.items():
        point, coach, registered = own_columns[cid]
        cycles = scope.cycles(cid)
        found: list[tuple[str, int, t.Step, date | None, date | None, str | None, bool]] = []
        for kind, chain in (
            ("interview", ((cycle, t.interview_step(cycle.facts)) for cycle in cycles)),
            ("conversation", ((cycle, step) for cycle in cycles
                              for step in t.conversation_steps(
                                  cycle.facts, [d for k, d in cycle.held if k in RESTARTS_CLOCK],
                                  date.max))),
            ("integration", ((cycle, t.integration_step(cycle, integrations.get(cid, [])))
                             for cycle in cycles)),
        ):
            seq = 0
            for cycle, each in chain:
                if each is not None and scope.open_in(cycle, cid, each.due_on):
                    found.append((kind, seq, each, None, None, None, True))
                    seq += 1
        for seq, (step, review, order) in enumerate(reviews.get(cid, ())):
            found.append(("review", seq, step, None, review, order,
                          scope.open_on(cid, step.due_on)))
        own = spells.get(cid, [])
        if own or facts.subsidy_days is not None:
            reached = activation_reach(facts, own, today)
            if reached is None:
                rechecks.append((cid, (today + RECHECK).isoformat()))
            elif scope.open_on(cid, reached[1]):
                made = activations.get(cid, [])
                found.append(("activation", 0, t.Step(cid, reached[1], made[0] if made else None),
                              reached[0], None, None, True))
        rows.extend((kind, step.due_on.isoformat(), cid, seq, _iso(step.held_on),
                     t.group_mask(facts, step.due_on), point, coach, registered,
                     _iso(reach), _iso(review), accepted, int(is_open))
                    for kind, seq, step, reach, review, accepted, is_open in found)
    return rows, rechecks


def activation_reach(f: Facts, spells: list[clock.SubsidySpell], today: date
                     ) -> tuple[date, date] | None:
    """The day the customer's subsidy days reach the activation plan's limit (before it
    is moved to a working day) and the due day, looked up `ACTIVATION_REACH` days ahead
    (None: not within it). The clock counts the days in order and stops at the limit,
    so with any nearer horizon it finds the same day when the day lies within it, and
    none otherwise (`timeliness.activation_step`)."""
    horizon = today + timedelta(days=ACTIVATION_REACH)
    day = t.activation_day(f, spells, today, horizon)
    if day is None:
        return None
    if day is not True:
        assert isinstance(day, date)
        return day, clock.due(day)
    due = activation(f, spells, today, horizon_days=ACTIVATION_REACH)
    if due is None:
        return None
    # Counted day by day (a rare case): the day reached is the last horizon that still
    # finds it, at most a few days before the due day (a holiday moves the due day).
    days = (due.due_on - today).days
    while activation(f, spells, today, horizon_days=days - 1) is not None:
        days -= 1
    return today + timedelta(days=days), due.due_on


# --- keeping the summary ---------------------------------------------------------------


def refresh(s: Session, today: date) -> int:
    """Compute the steps of the dirty customers again (and of those due a recheck; all
    of them when the rules in force today differ from those the summary was computed
    by); returns how many. Writes (and commits) only when there is something to
    compute: the summary is the workstation's own, written outside the write path."""
    conn = s.connection()
    key = rules_key(today)
    stored = conn.exec_driver_sql(
        "SELECT value FROM timeliness_meta WHERE key = 'rules'").scalar()
    marked = [row[0] for row in conn.exec_driver_sql(
        "SELECT customer_id FROM timeliness_dirty").fetchall()]
    everyone = stored != key
    if everyone:
        ids = sorted({row[0] for row in conn.exec_driver_sql("SELECT id FROM customer")}
                     | set(marked))
    else:
        due = [row[0] for row in conn.exec_driver_sql(
            "SELECT customer_id FROM timeliness_recheck WHERE after < ?",
            (today.isoformat(),))]
        ids = sorted(set(marked) | set(due))
    if not ids and not everyone:
        return 0
    # Claim the marks first, in a transaction of their own: a change written while the
    # steps are computed (a pull, a save on another thread) marks its customer again and
    # is computed by the next report. (Deleting the marks after computing would lose
    # such a change: the trigger adds no mark while one is there, and a read here does
    # not hold SQLite's snapshot until the first write.)
    _unmark(conn, marked)
    s.commit()
    conn = s.connection()
    try:
        rows, rechecks = compute(s, ids, today) if ids else ([], [])
        _store(conn, ids, rows, rechecks, key if everyone else None)
        s.commit()
    except BaseException:
        s.rollback()
        _mark(s.connection(), marked)  # computed by the next report instead
        s.commit()
        raise
    return len(ids)


def _unmark(conn: Any, ids: list[str]) -> None:
    for chunk in _chunks(ids):
        conn.exec_driver_sql(
            f"DELETE FROM timeliness_dirty WHERE customer_id IN ({','.join('?' * len(chunk))})",
            tuple(chunk))


def _mark(conn: Any, ids: list[str]) -> None:
    if ids:
        conn.exec_driver_sql(
            "INSERT INTO timeliness_dirty (customer_id) SELECT ? WHERE NOT EXISTS "
            "(SELECT 1 FROM timeliness_dirty WHERE customer_id = ?)", [(i, i) for i in ids])


def _store(conn: Any, ids: list[str], rows: list[tuple], rechecks: list[tuple],
           everyone_key: str | None) -> None:
    """The computed steps in place of the old ones (`everyone_key`: all were computed,
    by the rules of that key)."""
    everyone = everyone_key is not None
    if everyone:
        conn.exec_driver_sql("DELETE FROM timeliness_step")
        conn.exec_driver_sql("DELETE FROM timeliness_recheck")
        conn.exec_driver_sql(
            "INSERT OR REPLACE INTO timeliness_meta (key, value) VALUES ('rules', ?)",
            (everyone_key,))
    else:
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            conn.exec_driver_sql(
                f"DELETE FROM timeliness_step WHERE customer_id IN ({marks})", tuple(chunk))
            conn.exec_driver_sql(
                f"DELETE FROM timeliness_recheck WHERE customer_id IN ({marks})",
                tuple(chunk))
    if rows:
        rows.sort(key=_key)  # in the table's order: appended, not scattered
        conn.exec_driver_sql(
            f"INSERT INTO timeliness_step ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(COLUMNS))})", rows)
    if rechecks:
        conn.exec_driver_sql(
            "INSERT INTO timeliness_recheck (customer_id, after) VALUES (?, ?)", rechecks)


# --- counting ---------------------------------------------------------------------------


def counted(s: Session, name: str, f: ReportFilter, today: date
            ) -> list[tuple[str, date, date | None, int]] | None:
    """The steps of report `name` due in the period, counted as `timeliness.DIRECT`
    counts them, as (customer, due day, held day, `timeliness.group_mask`), from the
    summary (None: this database keeps none)."""
    if not available(s):
        return None
    try:
        refresh(s, today)
    except OperationalError:
        # Another connection wrote meanwhile (the database busy, or this read's snapshot
        # outdated): this once, count directly; the marks stay for the next report.
        s.rollback()
        return None
    kind = KIND[name]
    step = STEP.c
    first, last = f.date_from.isoformat(), f.date_to.isoformat()
    cols: tuple[Any, ...] = (step.customer_id, step.due_on, step.held_on, step.group_bits)
    # A step's customer is one in scope (the summary keeps no removed customer's steps),
    # with the service point and coach stored with it; the coach's team is joined.
    stmt = select(*cols).where(step.kind == kind)
    if kind == "review":
        # As the direct report: the versions whose review date lies in reach of the
        # period, customers in the order of their first such version accepted.
        reach = (f.date_from - t.REVIEW_REACH).isoformat()
        stmt = stmt.add_columns(step.accepted, step.open).where(
            step.review_on >= reach, step.review_on <= last)
    else:
        stmt = stmt.where(step.due_on >= first, step.due_on <= last)
    if kind == "conversation":
        stmt = stmt.where(step.registered_on <= last)
    if kind == "activation":
        horizon = today + timedelta(days=t.ACTIVATION_HORIZON)
        stmt = stmt.where(step.reach_on <= horizon.isoformat())
    if f.service_point_id:
        stmt = stmt.where(step.service_point_id == f.service_point_id)
    if f.team_id:
        stmt = stmt.join(Staff, Staff.id == step.coach_id).where(Staff.team_id == f.team_id)
    rows = t._runner(s)(stmt.order_by(step.customer_id, step.seq))
    if kind == "review":
        rows = _in_acceptance_order(rows, first, last)
    iso = t._iso_day
    return [(cid, t._held_day(due_on), iso(held_on), bits)
            for cid, due_on, held_on, bits, *_rest in rows]


def _in_acceptance_order(rows: list[tuple[Any, ...]], first: str, last: str
                         ) -> list[tuple[Any, ...]]:
    """The plan reviews as `timeliness.review_steps` lists them (the versions in order of
    acceptance, grouped by customer in the order of their first), of those due in the
    period for a case open on the due day."""
    rows = sorted(rows, key=lambda row: row[4])  # accepted
    by_customer: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_customer.setdefault(row[0], []).append(row)
    return [row for group in by_customer.values() for row in group
            if row[5] and first <= row[1] <= last]
