"""The net under every text a service writes: at each flush of a session from the
context's factory, every changed text column of a synchronised row is held to
app.rules.text_input (no control characters, no direction overrides, no more than the
column holds; a `Text` column is multi-line free text, a `String(n)` one a single line of
at most n characters). A refused value stops the transaction with `TextRefused`, which
names the field in the user's language; the form that sent it stays as typed (a
ServiceError is shown in the form's error line).

The services check their forms' fields first (`field_errors`), so a form can highlight the
field; this check catches every other write path (a room, a cancel reason, a desk, a
note written by the CLI...). Rows the pull writes never pass here: it writes with Core,
and what the central database holds is stored as it is. Machine-written tables (audit
events, sync conflicts) and JSON columns are not user text and are not checked."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Enum as SqlEnum
from sqlalchemy import String, Text, event, inspect
from sqlalchemy.orm import Mapper, Session, sessionmaker

from app.i18n import N_, _
from app.models import Synced
from app.rules.text_input import Refusal, refusal
from app.services.errors import ServiceError

NOT_SAVED = N_("“{field}” was not saved. {reason}")

# Machine-written tables and JSON columns: no one types these.
EXEMPT_TABLES = frozenset({"audit_event", "sync_conflict"})
EXEMPT_COLUMNS = frozenset({("area_setting", "value"),
                            # A letter's PDF as base64 (#23): no one types it.
                            ("message", "attachment")})

# (table, column) -> the form's label for the field (an existing msgid; its "&" dropped).
LABELS: dict[tuple[str, str], str] = {
    ("customer", "first_names"): N_("&First names"),
    ("customer", "last_name"): N_("&Last name"),
    ("customer", "hetu"): N_("&Identity code"),
    ("customer", "phone"): N_("&Phone"),
    ("customer", "email"): N_("E&mail"),
    ("customer", "street_address"): N_("Street &address"),
    ("customer", "postal_code"): N_("Postal &code"),
    ("customer", "post_office"): N_("Post &office"),
    ("customer", "home_municipality"): N_("&Home municipality"),
    ("customer_note", "text"): N_("&Note"),
    ("coach_assignment", "reason"): N_("&Reason"),
    ("calendar_override", "note"): N_("N&ote"),
    ("feedback", "comment"): N_("Comment"),
    ("feedback_reply_request", "contact"): N_("Contact"),
    ("service_point", "name"): N_("Name"),
    ("service_point", "municipality"): N_("Municipality"),
    ("service_point", "street_address"): N_("Street &address"),
    ("service_point", "postal_code"): N_("Postal &code"),
    ("service_point", "phone"): N_("&Phone"),
    ("team", "name"): N_("Name"),
    ("staff", "username"): N_("&Username"),
    ("staff", "full_name"): N_("Name"),
    ("staff", "phone"): N_("&Phone"),
    ("staff", "email"): N_("E&mail"),
    ("plan_version", "obligation_lowered_reason"): N_("Reason for a lower &obligation"),
    ("plan_version", "contact_method"): N_("&How"),
    ("plan_version", "contact_frequency"): N_("How &often"),
    ("plan_version", "summary"): N_("&Situation"),
    ("plan_goal", "text"): N_("Goal"),
    ("plan_action", "text"): N_("What is done"),
    ("plan_service", "provider"): N_("Provider"),
    ("plan_service", "note"): N_("&Note"),
    ("queue_ticket", "note"): N_("&Note"),
    ("queue_ticket", "transfer_note"): N_("&Note for the next worker"),
    ("queue_ticket", "desk"): N_("&Desk"),
    ("desk_duty", "desk"): N_("&Desk"),
    ("visit", "topics"): N_("&Topics"),
    ("visit", "outcome"): N_("&Outcome"),
    ("visit", "follow_up"): N_("&Follow-up"),
    ("visit", "note"): N_("&Note"),
    ("appointment", "room"): N_("Room"),
    ("appointment", "video_link"): N_("&Video link"),
    ("appointment", "cancel_reason"): N_("&Reason"),
    # The queue's services (#24).
    ("queue_service", "code"): N_("&Code"),
    ("queue_service", "name_fi"): N_("Name in &Finnish"),
    ("queue_service", "name_sv"): N_("Name in S&wedish"),
    ("queue_service", "name_en"): N_("Name in &English"),
    # Rooms and events (#21).
    ("room", "name"): N_("&Name"),
    ("room", "equipment"): N_("E&quipment"),
    ("event", "title"): N_("&Title"),
    ("event", "description"): N_("&Description"),
    ("event", "external_organisers"): N_("E&xternal organisers"),
    ("event", "online_link"): N_("Online l&ink"),
    ("event", "cancel_reason"): N_("&Reason"),
    ("event_session", "online_link"): N_("Online l&ink"),
    ("annual_theme", "title"): N_("&Theme"),
    ("annual_theme", "description"): N_("&Description"),
}


def without_mnemonic(label: str) -> str:
    """A label as text: "Post &office" -> "Post office" ("&&" stays one "&")."""
    return re.sub(r"&(&?)", r"\1", label)


class TextRefused(ServiceError):
    """A text field's value broke app.rules.text_input: the message names the field (the
    form's label, translated) and says why. Neither the value nor any part of it is in
    the message or in `str()` (it may be personal data, and it is what was refused)."""

    def __init__(self, table: str, column: str, why: Refusal) -> None:
        reason, values = why.detail()
        super().__init__(NOT_SAVED, field=LABELS.get((table, column), column), reason=reason)
        self.table, self.column, self.refusal = table, column, why
        self.reason_values = values

    def text(self, translate: Callable[[str], str] | None = None) -> str:
        tr = translate or _
        field = without_mnemonic(tr(str(self.params["field"])))
        reason = tr(str(self.params["reason"])).format(**self.reason_values)
        return tr(self.message).format(field=field, reason=reason)


# Per mapped class: (attribute key, table, column, multi-line, limit) of its text columns.
_Columns = tuple[tuple[str, str, str, bool, int | None], ...]
_cache: dict[type, _Columns] = {}


def _text_columns(cls: type) -> _Columns:
    found = _cache.get(cls)
    if found is None:
        mapper: Mapper[Any] = inspect(cls)
        table = mapper.local_table.name  # type: ignore[attr-defined]
        columns = []
        if table not in EXEMPT_TABLES:
            for attr in mapper.column_attrs:
                column = attr.columns[0]
                kind = column.type
                if (not isinstance(kind, String) or isinstance(kind, SqlEnum)
                        or (table, column.name) in EXEMPT_COLUMNS
                        or attr.key in Synced.SYNC_COLUMNS):
                    continue
                multiline = isinstance(kind, Text)
                columns.append((attr.key, table, column.name, multiline, kind.length))
        found = _cache[cls] = tuple(columns)
    return found


def check_object(obj: object, changed_only: bool) -> None:
    """Raise TextRefused for the first text column of `obj` whose value is refused
    (`changed_only`: only the columns changed since it was loaded)."""
    state = inspect(obj) if changed_only else None
    for key, table, column, multiline, limit in _text_columns(type(obj)):
        if state is not None and not state.attrs[key].history.added:
            continue
        value = getattr(obj, key)
        if not isinstance(value, str) or isinstance(value, enum.Enum):
            continue
        why = refusal(value, multiline=multiline, limit=limit)
        if why is not None:
            raise TextRefused(table, column, why)


def field_errors(model: type, values: Mapping[str, str]) -> dict[str, str]:
    """{attribute: untranslated message} for the form fields (named as `model`'s
    attributes) whose values its columns refuse: for a form to highlight them."""
    errors: dict[str, str] = {}
    for key, _table, _column, multiline, limit in _text_columns(model):
        value = values.get(key)
        if value:
            why = refusal(value, multiline=multiline, limit=limit)
            if why is not None:
                errors[key] = why.message
    return errors


def install(factory: sessionmaker[Session]) -> None:
    """Check every flush of the sessions `factory` makes (see the module's docstring)."""

    def check(session: Session, _ctx: Any, _instances: Any) -> None:
        for obj in session.new:
            if isinstance(obj, Synced):
                check_object(obj, changed_only=False)
        for obj in session.dirty:
            if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
                check_object(obj, changed_only=True)

    event.listen(factory, "before_flush", check)
