"""The audit trail: every read of a customer record, change, print and export."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class AuditEvent(Synced, Base):
    __tablename__ = "audit_event"
    __append_only__ = True
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    at: Mapped[datetime]
    staff_id: Mapped[str | None] = mapped_column(String(36))
    workstation: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str | None] = mapped_column(Text)
