"""Which columns of a central table the connection may read (app/db/central_trust.py
WITHHELD): a desk's login reads a job-search period without its outcome note. The pull
and the push select only those, so a withheld column is never fetched, and is neither
overwritten locally by a pull that could not read it nor merged from a push that may
not write it."""

from __future__ import annotations

from sqlalchemy import Connection, text

from app.db.central_schema import central_table
from app.db.central_trust import WITHHELD


def withheld(conn: Connection, table: str) -> frozenset[str]:
    """The columns of `table` this connection may not SELECT (none for most tables; on
    PostgreSQL asked of the server, so a superuser or a coach withholds nothing). Every
    column of a table with withheld ones is asked: one added later without its grant
    is left out rather than failing the desk's pull."""
    if table not in WITHHELD or conn.dialect.name != "postgresql":
        return frozenset()
    columns = [c.name for c in central_table(table).columns]
    allowed = conn.execute(text(
        "SELECT c, has_column_privilege(:t, c, 'SELECT') FROM unnest(CAST(:cs AS text[])) "
        "AS c"), {"t": f"public.{table}", "cs": columns}).all()
    return frozenset(c for c, ok in allowed if not ok)


def unreadable_tables(conn: Connection, tables: list[str]) -> frozenset[str]:
    """The tables this connection may not SELECT at all, not even one column (a table
    withheld in part, central_trust.WITHHELD, is granted column by column): a partner's
    login (central c0115) reads customers and plans, never the queue or visits. The pull
    skips them (their cursors stay), rather than failing on the first one."""
    if conn.dialect.name != "postgresql" or not tables:
        return frozenset()
    allowed = conn.execute(text(
        "SELECT t, has_any_column_privilege('public.' || t, 'SELECT') "
        "FROM unnest(CAST(:ts AS text[])) AS t"), {"ts": tables}).all()
    return frozenset(t for t, ok in allowed if not ok)
