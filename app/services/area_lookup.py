"""A walk-in or a caller from another service point: found in the area's register by
henkilötunnus, through the central database's one audited lookup (desk_find_customer,
app/db/central_trust.py). The lookup returns identity only and lets this service point
see the customer's record for a while (register, book, serve), never their case work.

The identity is kept on this workstation as a mirror of the central row (no outbox
entry: it is not a change of ours); the next pull refreshes it while it is in reach."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.i18n import N_
from app.models import Customer, ServicePoint
from app.rules import hetu as hetu_rules
from app.rules.permissions import Permission
from app.services.context import AppContext
from app.services.errors import ServiceError


@dataclass(frozen=True)
class AreaMatch:
    customer_id: str
    name: str  # "Last, First"
    service_point_name: str
    found_centrally: bool  # False: this workstation already held the customer


IDENTITY = ("id", "customer_number", "hetu", "hetu_temporary", "first_names", "last_name",
            "sort_name", "birth_date", "language", "interpreter_needed", "home_municipality",
            "service_point_id")


class AreaLookupService:
    def __init__(self, ctx: AppContext, central_url: Callable[[], str | None]) -> None:
        self.ctx = ctx
        self.central_url = central_url  # the signed-in session's own URL, when online

    def online(self) -> bool:
        """Whether the area's register can be searched now (a session online; no I/O)."""
        return bool(self.central_url())

    def find(self, raw_hetu: str) -> AreaMatch | None:
        """The customer with this identity code: from this workstation if it holds them,
        else from the area's register (online; audited centrally). None: nobody."""
        self.ctx.require(Permission.QUEUE_REGISTER)
        checked = hetu_rules.check(raw_hetu, self.ctx.today())
        if not checked.ok or checked.value is None:
            raise ServiceError(checked.error or N_("This is not a valid personal identity code."))
        code = checked.value
        with self.ctx.reading() as s:
            local = s.scalar(select(Customer).where(Customer.hetu == code,
                                                    Customer.deleted_at.is_(None)))
            if local is not None:
                return self._match(s, local.id, local.last_name, local.first_names,
                                   local.service_point_id, False)
        url = self.central_url()
        if not url:
            raise ServiceError(N_("The area's register can be searched only online. Register "
                                  "the visitor without a name, or try again when the "
                                  "connection is back."))
        row = self._central(url, code)
        if row is None:
            return None
        values = {k: row[k] for k in IDENTITY}
        values.update(active=True, partial_work_ability=False, version=0, hlc="",
                      updated_at=self.ctx.now())
        table = Customer.__table__
        with self.ctx.engine.begin() as conn:  # a mirror of the central row: no outbox
            conn.execute(sqlite_insert(table).values(**values).on_conflict_do_update(
                index_elements=[table.c.id],
                set_={k: values[k] for k in IDENTITY if k != "id"}))
        with self.ctx.reading() as s:
            return self._match(s, row["id"], row["last_name"], row["first_names"],
                               row["service_point_id"], True)

    @staticmethod
    def _central(url: str, code: str) -> dict | None:
        from sqlalchemy.exc import DBAPIError

        from app.sync.engine import central_engine

        engine = central_engine(url)
        try:
            with engine.begin() as conn:  # committed: the lookup's audit row and reach
                found = conn.execute(text("SELECT * FROM desk_find_customer(:h)"),
                                     {"h": code}).mappings().first()
                return dict(found) if found else None
        except (DBAPIError, OSError) as exc:
            raise ServiceError(N_("The area's register could not be searched: {reason}"),
                               reason=type(exc).__name__) from exc
        finally:
            engine.dispose()

    @staticmethod
    def _match(s, customer_id: str, last: str, first: str, point_id: str,
               central: bool) -> AreaMatch:
        point = s.get(ServicePoint, point_id)
        return AreaMatch(customer_id, f"{last}, {first}", point.name if point else "",
                         central)
