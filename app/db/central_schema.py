"""The central PostgreSQL schema: the synchronised tables without foreign keys (rows
from many workstations arrive in any order, and each workstation sees only its scope),
plus the sync bookkeeping. `row_tx`, the version bump and NOTIFY live in the migration
(triggers); this module gives the Table objects the sync engine reads and writes."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Column, DateTime, ForeignKeyConstraint, MetaData, String, Table, Text

from app.models import Base
from app.models.base import NAMING
from app.models.local_time import is_local_only

# Pushed as plain inserts: no role may lock (FOR UPDATE) or update their rows.
APPEND_ONLY = ("feedback", "audit_event", "customer_merge", "coach_assignment")


@cache
def central_metadata() -> MetaData:
    metadata = MetaData(naming_convention=NAMING)
    for table in Base.metadata.sorted_tables:
        if not getattr(_model_of(table.name), "__synced__", False):
            continue
        copy = table.to_metadata(metadata)
        # The workstation's own columns and indexes (app.models.local_time) stay local.
        local = {i.name for i in table.indexes if is_local_only(i)}
        for index in [i for i in copy.indexes if i.name in local]:
            copy.indexes.discard(index)
        for column in [c for c in copy.columns if is_local_only(c)]:
            copy._columns.remove(column)
        copy.constraints = {
            c for c in copy.constraints if not isinstance(c, ForeignKeyConstraint)
        }
        for column in copy.columns:
            column.foreign_keys.clear()
    Table(
        "applied_mutation",
        metadata,
        Column("mutation_id", String(36), primary_key=True),
        Column("client_node", String(40), nullable=False),
        Column("table_name", String(60), nullable=False),
        Column("row_id", String(36), nullable=False),
        Column("result", Text, nullable=False),  # JSON: outcome and message
        Column("applied_at", DateTime(timezone=True), nullable=False),
    )
    # Central only, written by the audited lookup desk_find_customer (central_trust.py);
    # read by the pull's scope, never pulled.
    Table(
        "customer_reach",
        metadata,
        Column("id", Text, primary_key=True),
        Column("customer_id", Text, nullable=False),
        Column("service_point_id", Text, nullable=False),
        Column("staff_id", Text, nullable=False),
        Column("granted_at", DateTime(timezone=True), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
    )
    return metadata


CENTRAL_ONLY = ("applied_mutation", "customer_reach")


def _model_of(table_name: str) -> type | None:
    for mapper in Base.registry.mappers:
        if mapper.class_.__tablename__ == table_name:
            return mapper.class_
    return None


def central_table(name: str) -> Table:
    return central_metadata().tables[name]


def synced_central_tables() -> list[Table]:
    """In dependency order (parents first), as the local schema orders them."""
    names = [t.name for t in Base.metadata.sorted_tables]
    md = central_metadata()
    return [md.tables[n] for n in names if n in md.tables and n not in CENTRAL_ONLY]
