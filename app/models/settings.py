"""Settings of the whole employment area, synchronised to every workstation.

One row per key, its id derived from the key (uuid5), so two workstations that set the
same key offline write the same row and the sync merges them instead of colliding."""

from __future__ import annotations

import uuid

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced

_NAMESPACE = uuid.UUID("7f1d6a3e-3c1b-4f59-9a57-2d0f1b8e6c42")


def setting_id(key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, key))


class AreaSetting(Synced, Base):
    __tablename__ = "area_setting"

    key: Mapped[str] = mapped_column(String(80), unique=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
