"""Personal coaching: the barriers checklist and the history of coach assignments."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced

_NAMESPACE = uuid.UUID("3b0f6a52-9d4e-4d1c-8f0e-5a2c7b9e1d64")


def barrier_id(customer_id: str, barrier: str) -> str:
    """One row per customer and barrier, its id derived from both: two desks ticking the
    same box offline write the same row, and the sync merges instead of duplicating."""
    return str(uuid.uuid5(_NAMESPACE, f"{customer_id}:{barrier}"))


class CustomerBarrier(Synced, Base):
    """A ticked barrier; unticking tombstones the row (deleted_at), ticking again clears it."""

    __tablename__ = "customer_barrier"
    __table_args__ = (Index("ix_customer_barrier_customer", "customer_id", "barrier",
                            unique=True),
                      # Local only: the timeliness reports count the barriers from it.
                      Index("ix_customer_barrier_report", "customer_id", "deleted_at",
                            info={"local_only": True}))

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    barrier: Mapped[str] = mapped_column(String(32))  # rules.groups.Barrier


class CoachAssignment(Synced, Base):
    """One change of a customer's coach, with the reason: the history is never rewritten."""

    __tablename__ = "coach_assignment"
    __append_only__ = True
    __table_args__ = (Index("ix_coach_assignment_customer", "customer_id", "assigned_at"),)

    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"))
    coach_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    previous_coach_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str] = mapped_column(Text)
    assigned_at: Mapped[datetime]
