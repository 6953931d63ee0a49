"""Declarative base, column types and the synchronisation columns."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import DateTime, Integer, MetaData, String, Table, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: SQLite keeps no zone, and we never guess one."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store times as aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}

    if TYPE_CHECKING:
        # Every model here is declared on a Table (none is mapped to a join or a select),
        # so `Model.__table__` is a Table: SQLAlchemy types it as the wider FromClause.
        __table__: ClassVar[Table]


class Synced:
    """Columns every synchronised table carries (ARCHITECTURE.md, Data).

    `version` is bumped by the central database on each accepted write; locally it is the
    version the row had when last pulled, which becomes the outbox entry's base version.
    """

    __synced__ = True
    # Tables whose rows are never updated after insert (feedback, audit).
    __append_only__ = False
    if TYPE_CHECKING:
        # Every model that mixes this in is a Base subclass with its own table name.
        __tablename__: str

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    hlc: Mapped[str] = mapped_column(String(40), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(36))
    deleted_at: Mapped[datetime | None]

    # Columns of the sync machinery itself: never part of a changed-fields patch.
    SYNC_COLUMNS = frozenset({"version", "hlc", "updated_at", "updated_by"})


def synced_tables() -> list[str]:
    return sorted(
        m.class_.__tablename__
        for m in Base.registry.mappers
        if getattr(m.class_, "__synced__", False)
    )


def enum_column(enum_cls: type, **kw: Any) -> Any:
    """A string column limited to an enum's values by a CHECK constraint in both schemas."""
    from sqlalchemy import Enum

    return mapped_column(
        Enum(
            enum_cls,
            native_enum=False,
            create_constraint=True,
            validate_strings=True,
            length=32,
            values_callable=lambda e: [m.value for m in e],
            name=enum_cls.__name__.lower(),
        ),
        **kw,
    )
