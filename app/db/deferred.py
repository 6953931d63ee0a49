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
table's pull, at the start of every pull and whenever the database is opened, so a
process killed in the middle leaves a slower file for one start, not a different one."""

from __future__ import annotations

import json

from sqlalchemy import Connection, Engine

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
    """A table that holds fewer than `rows` rows here (a new workstation's, or only its
    working set): filling it in bulk pays. One that holds more keeps its indexes."""
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


def restore(conn: Connection, table: str) -> None:
    """Make again what `defer` set aside for the table (those not there already), then
    forget the record: one transaction."""
    if conn.in_transaction():
        conn.rollback()
    with conn.begin():
        value = conn.exec_driver_sql("SELECT value FROM local_setting WHERE key = ?",
                                     (KEY + table,)).scalar()
        if value is None:
            return
        present = {name for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE tbl_name = ?", (table,))}
        triggers = False
        for kind, name, sql in json.loads(value):
            if name not in present:
                conn.exec_driver_sql(sql)
            triggers = triggers or kind == "trigger"
        if triggers:
            conn.exec_driver_sql(MARK_EVERY_CUSTOMER)
        conn.exec_driver_sql("DELETE FROM local_setting WHERE key = ?", (KEY + table,))


def pending(conn: Connection) -> list[str]:
    """The tables with something set aside."""
    return [key[len(KEY):] for (key,) in conn.exec_driver_sql(
        "SELECT key FROM local_setting WHERE key LIKE ?", (KEY + "%",))]


def restore_all(target: Engine | Connection) -> list[str]:
    """Everything set aside and not made again (a pull stopped by a crash); returns the
    tables."""
    if isinstance(target, Engine):
        with target.connect() as connection:
            return restore_all(connection)
    tables = pending(target)
    for table in tables:
        restore(target, table)
    return tables
