"""A table's first pull in bulk (#28 item 2): its secondary indexes and its timeliness
triggers are set aside while a new workstation fills it, and made again at the end.

Why: benchmarks/pull_anatomy.py writes a scale-10 first sync's rows into the
application's schema one change at a time. Keeping the indexes up to date row by row
(every insert into b-trees keyed by random ids, each page decrypted and encrypted by
SQLCipher) costs about half of the time, and the timeliness triggers (one lookup and
insert per row) a fifth; building each index once at the end, from sorted keys, is
much cheaper. What is kept:
- the primary key and every UNIQUE index (the pull's upsert and the register's rules
  rest on them);
- every trigger that is not a timeliness trigger (`trg_<table>_steps_<op>`).
The timeliness triggers only mark a changed row's customer for the steps' summary to be
counted again (app/services/reports/timeliness_steps.py): when they come back, every
customer is marked, which is what the first sync's inserts would have done.

Never lost: the DDL set aside is kept in `local_setting` (`pull_deferred:<table>`) in
the same transaction that drops it, and `restore` makes it again at the end of the
table's pull, at the start of every pull and whenever the database is opened (before
any migration), so a process killed in the middle leaves a slower file for one start,
not a different one. Restoring is idempotent (`IF NOT EXISTS`, the record deleted last)
rather than one transaction (SQLite's driver runs DDL outside the transaction it opens
for DML), so two callers at once, or a crash in between, do no harm. A statement that
no longer applies (a migration since rebuilt the table) is logged and skipped: the
migration made the table's indexes itself.

Which tables: app/sync/pull.py asks for it only for tables outside the working set
(app/sync/working_set.py), so what a desk reads while the history arrives keeps its
indexes; for the minutes of a big history table's fill its own lookups scan."""

from __future__ import annotations

import json
import logging
import re

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

KEY = "pull_deferred:"
MARK_EVERY_CUSTOMER = (
    "INSERT INTO timeliness_dirty (customer_id) SELECT c.id FROM customer c "
    "WHERE NOT EXISTS (SELECT 1 FROM timeliness_dirty d WHERE d.customer_id = c.id)")


def _timeliness_trigger(name: str, table: str) -> bool:
    return name.startswith(f"trg_{table}_steps_")


def _set_aside(conn: Connection, table: str) -> list[tuple[str, str, str]]:
    rows = conn.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
        "AND type IN ('index', 'trigger') ORDER BY rowid", (table,)).all()
    return [(kind, name, sql) for kind, name, sql in rows
            if (kind == "index" and not sql.lstrip().upper().startswith("CREATE UNIQUE"))
            or (kind == "trigger" and _timeliness_trigger(name, table))]


def worth_deferring(conn: Connection, table: str, rows: int) -> bool:
    """A table that holds at most `rows` rows here (a new workstation's): filling it in
    bulk pays. One that holds more keeps its indexes."""
    return conn.exec_driver_sql(
        f'SELECT 1 FROM "{table}" LIMIT 1 OFFSET ?', (rows,)).first() is None


def defer(conn: Connection, table: str) -> bool:
    """Set the table's secondary indexes and timeliness triggers aside (one
    transaction, with the record to make them again). False if it has none."""
    if conn.in_transaction():
        conn.rollback()
    with conn.begin():
        aside = _set_aside(conn, table)
        if not aside:
            return False
        conn.exec_driver_sql(
            "INSERT INTO local_setting (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (KEY + table, json.dumps(aside)))
        for kind, name, _sql in aside:
            conn.exec_driver_sql(f'DROP {kind.upper()} IF EXISTS "{name}"')
    return True


_CREATE = re.compile(r"^\s*CREATE\s+(INDEX|TRIGGER)\s+(?!IF\s)", re.IGNORECASE)


def _if_not_exists(sql: str) -> str:
    return _CREATE.sub(lambda m: f"CREATE {m.group(1).upper()} IF NOT EXISTS ", sql, count=1)


def restore(conn: Connection, table: str) -> None:
    """Make again what `defer` set aside for the table, then forget the record
    (idempotent: see the module's docstring)."""
    if conn.in_transaction():
        conn.rollback()
    with conn.begin():
        value = conn.exec_driver_sql("SELECT value FROM local_setting WHERE key = ?",
                                     (KEY + table,)).scalar()
        if value is None:
            return
        triggers = False
        for kind, name, sql in json.loads(value):
            try:
                conn.exec_driver_sql(_if_not_exists(sql))
            except OperationalError as exc:  # the table was rebuilt by a migration since
                log.warning("a set-aside %s %s of %s was not made again: %s", kind, name,
                            table, str(exc.orig).splitlines()[0] if exc.orig else exc)
                continue
            triggers = triggers or kind == "trigger"
        if triggers:
            conn.exec_driver_sql(MARK_EVERY_CUSTOMER)
        conn.exec_driver_sql("DELETE FROM local_setting WHERE key = ?", (KEY + table,))


def pending(conn: Connection) -> list[str]:
    """The tables with something set aside."""
    return [key[len(KEY):] for (key,) in conn.exec_driver_sql(
        "SELECT key FROM local_setting WHERE substr(key, 1, ?) = ?", (len(KEY), KEY))]


def restore_all(target: Engine | Connection) -> list[str]:
    """Everything set aside and not made again (a pull stopped by a crash); returns the
    tables."""
    if isinstance(target, Engine):
        with target.connect() as connection:
            return restore_all(connection)
    if target.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                              "AND name = 'local_setting'").first() is None:
        return []  # a new database, before its first migration
    tables = pending(target)
    for table in tables:
        restore(target, table)
    return tables
