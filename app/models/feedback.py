"""Customer feedback: append-only, linked to the visit's circumstances, never the person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced, enum_column
from app.rules.codes import Channel, ServiceArea


class Feedback(Synced, Base):
    __tablename__ = "feedback"
    __append_only__ = True
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        CheckConstraint("recommend IS NULL OR recommend BETWEEN 0 AND 10", name="nps_range"),
    )

    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    channel: Mapped[Channel] = enum_column(Channel)
    service_area: Mapped[ServiceArea | None] = enum_column(ServiceArea, nullable=True)
    wait_minutes: Mapped[int | None] = mapped_column(Integer)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"))
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    answered_at: Mapped[datetime]
    score: Mapped[int] = mapped_column(Integer)
    recommend: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)


class FeedbackReplyRequest(Synced, Base):
    """The contact for a reply, stored apart from the answer and only for the reply."""

    __tablename__ = "feedback_reply_request"

    feedback_id: Mapped[str] = mapped_column(ForeignKey("feedback.id"))
    contact: Mapped[str] = mapped_column(String(200))
    handled_at: Mapped[datetime | None]
    handled_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
