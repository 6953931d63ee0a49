"""Local-only tables: the sync outbox and workstation state. Never synchronised."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class OutboxEntry(Base):
    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(36), unique=True)
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(10))  # insert / update / delete
    fields: Mapped[str] = mapped_column(Text)  # JSON: changed fields and their new values
    # JSON: the same fields' values before the edit; the central merge compares them
    # with its current values to tell "changed only here" from a real conflict.
    base_values: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    base_version: Mapped[int] = mapped_column(Integer)
    hlc: Mapped[str] = mapped_column(String(40))
    schema_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # pending -> (pushed: deleted) | rejected (failed central validation, kept and shown)
    # | quarantined (failed repeatedly for other reasons, no longer retried on its own)
    status: Mapped[str] = mapped_column(String(12), default="pending", server_default="pending",
                                        index=True)
    # Whose change this is (the staff id of the signed-in actor; an audit row's staff id):
    # a session pushes only its own author's entries, with that author's central role.
    # None: written by no one (setup, the kiosk) or before authors were recorded.
    author: Mapped[str | None] = mapped_column(String(36), index=True)


class LocalSetting(Base):
    """Key/value state of this workstation (HLC node id, sync cursor, demo marker)."""

    __tablename__ = "local_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
