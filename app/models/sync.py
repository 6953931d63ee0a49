"""Conflicts found by the central merge: both values kept until a worker chooses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class SyncConflict(Synced, Base):
    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_open", "status", "table_name"),)

    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    central_value: Mapped[str | None] = mapped_column(Text)  # JSON
    client_value: Mapped[str | None] = mapped_column(Text)  # JSON
    client_node: Mapped[str] = mapped_column(String(40))
    client_hlc: Mapped[str] = mapped_column(String(40))
    service_point_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(12), default="open")  # open / resolved
    resolution: Mapped[str | None] = mapped_column(String(12))  # central / client
    resolved_by: Mapped[str | None] = mapped_column(String(36))
    resolved_at: Mapped[datetime | None]
