"""JSON values of outbox patches <-> Python values for a table's columns."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date, DateTime, Table
from sqlalchemy.types import TypeDecorator


def from_json(column: Column, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    return value


def to_json(value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, (int, float, str)):
        return value.value  # an enum member
    if isinstance(value, str):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def decode(table: Table, fields: dict[str, Any]) -> dict[str, Any]:
    """Only the columns the table has: a patch from a newer client may carry more."""
    return {k: from_json(table.c[k], v) for k, v in fields.items() if k in table.c}


def dumps(value: Any) -> str:
    return json.dumps(to_json(value), ensure_ascii=False, sort_keys=True)
