"""Local-only columns derived from a synchronised time: its Helsinki day, week (Monday)
and minute of the day, precomputed so that the reports group and filter on plain
columns instead of converting every row's UTC time in SQL (#25, reports fast over years).

Such a column belongs to the workstation alone: it is marked `info["local_only"]`, so the
outbox never sends it, the central schema leaves it out (app.db.central_schema), and the
pull computes it from the row it applies (app.sync.pull). Everything that writes the
source column keeps it right:

- an insert, ORM or Core (the demo's bulk inserts too): the column's default, computed
  from the inserted source value;
- an ORM update of the source: a `before_update` listener (`install`);
- a row arriving by pull, or a pending edit re-applied over it: `derived_values`;
- the rows of a database made before the columns: the local migration 0075.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Table, event, inspect
from sqlalchemy.orm import mapped_column

from app.i18n import HELSINKI

LOCAL_ONLY = "local_only"
DERIVED_FROM = "derived_from"
DERIVE = "derive"


def as_utc(value: Any) -> datetime | None:
    """A stored time as aware UTC: an aware datetime, a naive one (UTC, as stored) or
    SQLite's text of one."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local_day(value: Any) -> date | None:
    """The Helsinki calendar day of a UTC time."""
    at = as_utc(value)
    return None if at is None else at.astimezone(HELSINKI).date()


def local_week(value: Any) -> date | None:
    """The Monday of the Helsinki week of a UTC time."""
    day = local_day(value)
    return None if day is None else day - timedelta(days=day.weekday())


def local_minute(value: Any) -> int | None:
    """The minute of the Helsinki day (0..1439) of a UTC time."""
    at = as_utc(value)
    if at is None:
        return None
    local = at.astimezone(HELSINKI)
    return local.hour * 60 + local.minute


def minutes_between(start: Any, end: Any) -> float | None:
    """The minutes from `start` to `end` (a visit's staff time), or None while open."""
    a, b = as_utc(start), as_utc(end)
    return None if a is None or b is None else (b - a).total_seconds() / 60.0


def derived_column(derive: Callable[..., Any], *sources: str, type_: Any = None) -> Any:
    """A local-only column computed by `derive` from the columns `sources`."""

    def default(context: Any) -> Any:
        values = context.get_current_parameters()
        return derive(*(values.get(name) for name in sources))

    return mapped_column(type_ if type_ is not None else Date(), nullable=True,
                         default=default,
                         info={LOCAL_ONLY: True, DERIVED_FROM: sources, DERIVE: derive})


def is_local_only(item: Any) -> bool:
    """A column, or an index, that exists only in the local database."""
    if item.info.get(LOCAL_ONLY):
        return True
    columns = getattr(item, "columns", ())
    return any(c.info.get(LOCAL_ONLY) for c in columns)


def derived_columns(table: Table) -> list[Any]:
    return [c for c in table.columns if c.info.get(DERIVED_FROM)]


def derived_values(table: Table, values: Mapping[str, Any],
                   row: Mapping[Any, Any] | None = None) -> dict[str, Any]:
    """The derived columns of `table` that a change `values` touches (one of their sources
    is among them), computed from `values` over the rest of the row `row`."""
    out = {}
    for column in derived_columns(table):
        sources = column.info[DERIVED_FROM]
        if any(name in values for name in sources):
            given = {**(row or {}), **values}
            out[column.name] = column.info[DERIVE](*(given.get(name) for name in sources))
    return out


def install(model: type) -> None:
    """Recompute the model's derived columns when an ORM update changes a source."""
    columns = derived_columns(model.__table__)  # type: ignore[attr-defined]

    def before_update(_mapper: Any, _connection: Any, target: Any) -> None:
        state = inspect(target)
        for column in columns:
            sources = column.info[DERIVED_FROM]
            if any(state.attrs[name].history.has_changes() for name in sources):
                setattr(target, column.name, column.info[DERIVE](
                    *(getattr(target, name) for name in sources)))

    event.listen(model, "before_update", before_update)


LOCAL_INDEX = {LOCAL_ONLY: True}
