"""DDL that every synchronised central table needs, for the central migrations.

c0001 created it for the first tables; a migration that adds a synchronised table calls
`make_synced(op, name)` after creating it (and `append_only=True` for tables whose rows
may never change, such as feedback and audit events)."""

from __future__ import annotations

from typing import Any


def make_synced(op: Any, table: str, append_only: bool = False) -> None:
    """Give `table` the row_tx cursor column, its index and the stamping trigger
    (functions desk_stamp_row / desk_refuse_change come from c0001)."""
    op.execute(f"ALTER TABLE {table} ADD COLUMN row_tx xid8 NOT NULL "
               f"DEFAULT pg_current_xact_id()")
    op.execute(f"CREATE INDEX ix_{table}_row_tx ON {table} (row_tx, id)")
    op.execute(f"CREATE TRIGGER {table}_stamp BEFORE INSERT OR UPDATE ON {table} "
               f"FOR EACH ROW EXECUTE FUNCTION desk_stamp_row()")
    if append_only:
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION desk_refuse_change()")
