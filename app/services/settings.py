"""Area settings (rules.settings names them and their defaults), synchronised."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from app.models.settings import AreaSetting, setting_id
from app.rules.permissions import Permission
from app.rules.settings import default, problem
from app.services.context import AppContext
from app.services.errors import ValidationFailed


class SettingsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def get(self, key: str) -> Any:
        """The area's value of `key`, or its default. Reading needs no permission: the
        values steer the application (caps, timeouts), they hold no personal data."""
        fallback = default(key)
        with self.ctx.reading() as s:
            raw = s.scalar(select(AreaSetting.value).where(AreaSetting.key == key))
        return fallback if raw is None else json.loads(raw)

    def set(self, key: str, value: Any) -> None:
        reason = problem(key, value)  # unknown keys are refused too
        if reason is not None:
            raise ValidationFailed({key: reason})
        with self.ctx.transaction(Permission.SETTINGS_EDIT) as s:
            row = s.get(AreaSetting, setting_id(key))
            encoded = json.dumps(value, ensure_ascii=False)
            if row is None:
                s.add(AreaSetting(id=setting_id(key), key=key, value=encoded))
            else:
                row.value = encoded
            self.ctx.audit(s, "setting.change", "area_setting", setting_id(key),
                           {"key": key, "value": value})
