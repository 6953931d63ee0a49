"""The employment area's organisation: service points, teams and staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced, enum_column, utcnow
from app.rules.codes import Role, ServiceArea, ServicePointMode


class ServicePoint(Synced, Base):
    __tablename__ = "service_point"

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    municipality: Mapped[str] = mapped_column(String(60))
    # Printed on plans and letters: where the customer comes to.
    street_address: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(40))
    mode: Mapped[ServicePointMode] = enum_column(ServicePointMode)
    # Before #24 the service areas offered at the queue, comma separated. The queue's
    # services are rows since (OfferedService, local 0120 / central c0120); this list
    # only says which built-in ones a point without rows yet offers.
    queue_services: Mapped[str] = mapped_column(String(400), default="")


class Team(Synced, Base):
    __tablename__ = "team"

    name: Mapped[str] = mapped_column(String(120))
    service_area: Mapped[ServiceArea] = enum_column(ServiceArea)
    # Job-finding teams are organised by industry sector.
    sector: Mapped[str | None] = mapped_column(String(120))


class Staff(Synced, Base):
    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint("role <> 'partner' OR partner_org_id IS NOT NULL",
                        name="partner_has_org"),
    )

    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    role: Mapped[Role] = enum_column(Role)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"))
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_point.id"))
    title: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The partner organisation a partner-role account works for (#24; local 0115, central
    # c0115: required for that role, empty for the others).
    partner_org_id: Mapped[str | None] = mapped_column(String(36))


class StaffCredential(Base):
    """Local only, never synchronised: the argon2id verifier for (offline) sign-in."""

    __tablename__ = "staff_credential"

    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    verifier: Mapped[str] = mapped_column(String(200))
    # The kiosk PIN (argon2id too): a staff member's PIN lets them leave the kiosk.
    pin_verifier: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
