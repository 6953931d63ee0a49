"""Which columns of a central table the connection may read (app/db/central_trust.py
WITHHELD): a desk's login reads a job-search period without its outcome note. The pull
and the push select only those, so a withheld column is never fetched, and is neither
overwritten locally by a pull that could not read it nor merged from a push that may
not write it."""

from __future__ import annotations

from sqlalchemy import Connection, text

from app.db.central_trust import WITHHELD


def withheld(conn: Connection, table: str) -> frozenset[str]:
    """The columns of `table` this connection may not SELECT (none for most tables; on
    PostgreSQL asked of the server, so a superuser or a coach withholds nothing)."""
    columns = {c for group in WITHHELD.get(table, {}).values() for c in group}
    if not columns or conn.dialect.name != "postgresql":
        return frozenset()
    return frozenset(
        c for c in sorted(columns)
        if not conn.execute(text("SELECT has_column_privilege(:t, :c, 'SELECT')"),
                            {"t": f"public.{table}", "c": c}).scalar())
