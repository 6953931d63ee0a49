"""Seed an empty central database from a local one (a pilot's demo area, or the first
workstation of a new deployment). Rows already there are left alone."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.db.central_schema import synced_central_tables
from app.models import Base

CHUNK = 2000


def seed_central(local: Engine, central: Engine,
                 progress: Callable[[str, int], None] | None = None) -> int:
    total = 0
    with central.begin() as cconn, local.connect() as lconn:
        for table in synced_central_tables():
            source = Base.metadata.tables[table.name]
            # The central table's columns: the local-only ones stay here.
            result = lconn.execute(select(*[source.c[c.name] for c in table.columns])
                                   ).mappings()
            while rows := result.fetchmany(CHUNK):
                cconn.execute(pg_insert(table).on_conflict_do_nothing(index_elements=["id"]),
                              [dict(r) for r in rows])
                total += len(rows)
                if progress:
                    progress(table.name, total)
    return total
