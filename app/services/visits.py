"""Visit records: contacts by phone and video, and each customer's timeline."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.dto.visits import VisitInput, VisitRow
from app.i18n import N_
from app.models import Customer, Staff, Visit
from app.rules.codes import Channel, ServiceArea
from app.rules.customer import nfc
from app.rules.permissions import Permission
from app.rules.queue import minutes_between
from app.services.context import Actor, AppContext
from app.services.errors import NotFound, ValidationFailed


def new_visit(
    actor: Actor,
    customer_id: str | None,
    channel: str,
    record: VisitInput,
    started_at: datetime,
    ended_at: datetime,
    wait_minutes: int | None = None,
) -> Visit:
    """A visit row from a record form; the one place visits are made."""
    return Visit(
        customer_id=customer_id, service_point_id=actor.service_point_id,
        channel=Channel(channel), walk_in=False, service_area=ServiceArea(record.service_area),
        staff_id=actor.staff_id, team_id=actor.team_id, started_at=started_at,
        ended_at=ended_at, wait_minutes=wait_minutes,
        topics=nfc(record.topics) or None, outcome=nfc(record.outcome) or None,
        follow_up=nfc(record.follow_up) or None, note=nfc(record.note) or None,
    )


class VisitService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def record_contact(
        self, customer_id: str, channel: str, record: VisitInput, minutes: int
    ) -> VisitRow:
        """A phone or video contact, recorded as a visit of its channel without a ticket."""
        if channel not in (Channel.PHONE.value, Channel.VIDEO.value):
            raise ValidationFailed({"channel": N_("Choose phone or video.")})
        if not 1 <= minutes <= 480:
            raise ValidationFailed({"minutes": N_("Give the length in minutes, 1 to 480.")})
        with self.ctx.transaction(Permission.VISIT_RECORD) as s:
            if s.get(Customer, customer_id) is None:
                raise NotFound(N_("The customer was not found."))
            end = self.ctx.now()
            visit = new_visit(self.ctx.signed_in, customer_id, channel, record,
                              started_at=end - timedelta(minutes=minutes), ended_at=end)
            s.add(visit)
            s.flush()
            self.ctx.audit(s, "visit.record", "visit", visit.id)
            return self._rows(s, customer_id, visit_id=visit.id)[0]

    def timeline(self, customer_id: str, limit: int = 200) -> list[VisitRow]:
        """The customer's visits, newest first."""
        with self.ctx.transaction(Permission.CUSTOMER_READ) as s:
            return self._rows(s, customer_id, limit=limit)

    @staticmethod
    def _rows(s, customer_id: str, limit: int = 200, visit_id: str | None = None) -> list[VisitRow]:
        stmt = (
            select(Visit, Staff.full_name)
            .outerjoin(Staff, Staff.id == Visit.staff_id)
            .where(Visit.customer_id == customer_id, Visit.deleted_at.is_(None))
            .order_by(Visit.started_at.desc())
            .limit(limit)
        )
        if visit_id is not None:
            stmt = stmt.where(Visit.id == visit_id)
        return [
            VisitRow(
                id=v.id, started_at=v.started_at, channel=v.channel.value, walk_in=v.walk_in,
                service_area=v.service_area.value,
                minutes=minutes_between(v.started_at, v.ended_at), wait_minutes=v.wait_minutes,
                staff_name=name, topics=v.topics or "", outcome=v.outcome or "",
                follow_up=v.follow_up or "", note=v.note or "",
            )
            for v, name in s.execute(stmt).all()
        ]
