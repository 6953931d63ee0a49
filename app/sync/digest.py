"""`db digest`: one SHA-256 per synchronised table over its rows in a canonical form
(sorted by id, times as UTC microseconds, central-only columns left out), so two
databases in sync print the same digests."""

from __future__ import annotations

import enum
import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, Table, null, select

from app.db.central_schema import central_table
from app.models import Base, synced_tables
from app.models.local_time import is_local_only


def _canonical(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return int(aware.timestamp() * 1_000_000)
    if isinstance(value, date):
        return value.isoformat()
    return value


def table_digest(engine: Engine, table: Table, where: Any = None,
                 hidden: frozenset[str] = frozenset()) -> str:
    """`hidden`: columns digested as NULL (what a login may not read, and so what its
    workstation holds of them)."""
    columns = [c for c in Base.metadata.tables[table.name].columns
               if not is_local_only(c)]  # the workstation's own (app.models.local_time)
    stmt = select(*(null().label(c.name) if c.name in hidden else table.c[c.name]
                    for c in columns)).order_by(table.c.id)
    if where is not None:
        stmt = stmt.where(where)
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for row in conn.execute(stmt):
            line = json.dumps([_canonical(v) for v in row], ensure_ascii=False)
            digest.update(line.encode() + b"\n")
    return digest.hexdigest()


EMPTY = hashlib.sha256().hexdigest()  # a table with no rows (or none readable)


def local_digest(engine: Engine, tables: list[str] | None = None) -> dict[str, str]:
    return {name: table_digest(engine, Base.metadata.tables[name])
            for name in (tables or synced_tables())}


def central_digest(engine: Engine, point_id: str | None = None,
                   tables: list[str] | None = None) -> dict[str, str]:
    """The whole central database, or what a workstation of `point_id` holds of it, as
    `engine`'s login reads it: the row-level policies filter the rows, a column it may
    not read is NULL, a table it may not read at all is empty (the pull's own rules,
    app.sync.columns), so a staff member's login digests what their workstation holds."""
    from app.sync.columns import unreadable_tables, withheld
    from app.sync.pull import scope

    names = tables or synced_tables()
    with engine.connect() as conn:
        unreadable = unreadable_tables(conn, names)
        hidden = {name: withheld(conn, name) for name in names}
    result = {}
    for name in names:
        if name in unreadable:
            result[name] = EMPTY
            continue
        table = central_table(name)
        result[name] = table_digest(engine, table,
                                    scope(table, point_id) if point_id else None,
                                    hidden[name])
    return result
