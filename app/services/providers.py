"""The register of service providers and their contracts (#20): reference data, no
customer in it. Everyone signed in reads it; `provider.manage` (team leads, admins)
writes it, through the one write path (outbox, audit without names or free text).

A contract's places are counted from its referrals: each referral in a state that uses a
place (app.rules.contracts.USES_A_PLACE) takes one in the period of the day it was sent,
whichever workstation holds it (app/services/contract_places.py)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dto.providers import (
    ContractInput,
    ContractRow,
    ProviderDetail,
    ProviderInput,
    ProviderRow,
)
from app.i18n import N_
from app.models import ServiceContract, ServicePoint, ServiceProvider
from app.rules import business_id
from app.rules.codes import PlacesPeriod, ServiceKind
from app.rules.contracts import ContractTerms, Places, places_on
from app.rules.customer import nfc, normalise_phone
from app.rules.permissions import Permission
from app.services import text_guard
from app.services.context import AppContext
from app.services.contract_places import sent_days
from app.services.errors import NotFound, ValidationFailed

REQUIRED = N_("Required.")
# As the customer form checks them (app.rules.customer).
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
MAX_PLACES = 100_000
MAX_CENTS = 100_000_000_00  # a hundred million euros: more is a typing error

PROVIDER_TEXT = ("name", "email", "phone", "contact_person", "street_address",
                 "postal_code", "post_office")


def parse_euros(text: str) -> int | None:
    """Cents from euros as typed: "1 250,50", "1250.5 €"; None when empty; ValueError
    when not an amount of at most two decimals, not negative."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text or "").replace(",", ".")
    if not cleaned:
        return None
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise ValueError(text)
    try:
        cents = int(Decimal(cleaned) * 100)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if cents > MAX_CENTS:
        raise ValueError(text)
    return cents


def validate_provider(data: ProviderInput) -> tuple[dict[str, str], str | None]:
    """({field: untranslated message}, the formatted business ID when right)."""
    errors: dict[str, str] = text_guard.field_errors(
        ServiceProvider, {name: nfc(getattr(data, name)) for name in PROVIDER_TEXT})
    if not nfc(data.name):
        errors.setdefault("name", REQUIRED)
    formatted = None
    if not nfc(data.business_id):
        errors["business_id"] = REQUIRED
    else:
        checked = business_id.check(data.business_id)
        if checked.ok:
            formatted = checked.value
        else:
            errors["business_id"] = checked.error or ""
    if nfc(data.phone) and not _PHONE.match(normalise_phone(data.phone)):
        errors.setdefault("phone",
                          N_("A phone number has 6 to 15 digits, for example 040 123 4567."))
    if nfc(data.email) and not _EMAIL.match(nfc(data.email)):
        errors.setdefault("email", N_("Check the email address, for example name@example.fi."))
    if nfc(data.postal_code) and not re.fullmatch(r"\d{5}", nfc(data.postal_code)):
        errors.setdefault("postal_code", N_("A postal code has five digits."))
    return errors, formatted


def _provider_row(p: ServiceProvider, contracts: int = 0) -> ProviderRow:
    return ProviderRow(p.id, p.name, p.business_id, p.email or "", p.phone or "",
                       p.contact_person or "", p.street_address or "", p.postal_code or "",
                       p.post_office or "", bool(p.active), contracts)


def terms_of(contract: ServiceContract) -> ContractTerms:
    return ContractTerms(contract.starts_on, contract.ends_on, contract.places,
                         contract.places_per)


LOCKED = N_("Referrals have been sent on this contract, so its service, start and price "
            "stay as they were bought. Make a new contract for new terms.")
_LOCKED_FIELDS = {"service": "service", "starts_on": "starts_on",
                  "unit_price_cents": "unit_price", "lump_sum_cents": "lump_sum"}


def _locked_terms(c: ServiceContract, values: dict[str, object],
                  sent: list[date]) -> dict[str, str]:
    """What may no longer change once a referral was sent on the contract (the centre's
    desk_guard_contract holds the same line): past places and euros rest on them."""
    if not sent:
        return {}
    errors = {field: LOCKED for key, field in _LOCKED_FIELDS.items()
              if values[key] != getattr(c, key)}
    ends_on = values["ends_on"]
    if isinstance(ends_on, date) and ends_on != c.ends_on and ends_on < max(sent):
        errors["ends_on"] = N_("A referral on this contract was sent after this day: the "
                               "contract ends no earlier than its last referral was sent.")
    return errors


def _contract_row(c: ServiceContract, provider_name: str, day: date,
                  sent: list[date]) -> ContractRow:
    return ContractRow(
        c.id, c.provider_id, provider_name, c.service.value, c.title, c.starts_on, c.ends_on,
        c.places, c.places_per.value, c.unit_price_cents, c.lump_sum_cents,
        tuple((c.service_point_ids or "").split()), c.note or "",
        c.starts_on <= day <= c.ends_on, places_on(terms_of(c), day, sent))


class ProvidersService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- reading ----------------------------------------------------------------------

    def providers(self, query: str = "", include_inactive: bool = True) -> list[ProviderRow]:
        """Providers whose name or business ID holds `query`, active first, by name."""
        self.ctx.signed_in  # noqa: B018 - reading needs only a signed-in actor
        today = self.ctx.today()
        needle = nfc(query).casefold()
        digits = re.sub(r"\D", "", needle)
        with self.ctx.reading() as s:
            counts = dict(s.execute(
                select(ServiceContract.provider_id, func.count()).where(
                    ServiceContract.deleted_at.is_(None), ServiceContract.starts_on <= today,
                    ServiceContract.ends_on >= today)
                .group_by(ServiceContract.provider_id)).all())
            stmt = select(ServiceProvider).where(ServiceProvider.deleted_at.is_(None))
            if not include_inactive:
                stmt = stmt.where(ServiceProvider.active.is_(True))
            rows = []
            for p in s.scalars(stmt):
                if needle and needle not in p.name.casefold() and not (
                        digits and digits in p.business_id.replace("-", "")):
                    continue
                rows.append(_provider_row(p, counts.get(p.id, 0)))
        rows.sort(key=lambda r: (not r.active, r.name.casefold(), r.business_id))
        return rows

    def provider(self, provider_id: str, day: date | None = None) -> ProviderDetail:
        """One provider with its contracts (newest first) and their places on `day`."""
        self.ctx.signed_in  # noqa: B018
        day = day or self.ctx.today()
        with self.ctx.reading() as s:
            p = self._provider(s, provider_id)
            contracts = list(s.scalars(select(ServiceContract).where(
                ServiceContract.provider_id == p.id, ServiceContract.deleted_at.is_(None))
                .order_by(ServiceContract.starts_on.desc(), ServiceContract.title)))
            sent = sent_days(s, [c.id for c in contracts])
            points = [(i, n) for i, n in s.execute(
                select(ServicePoint.id, ServicePoint.name)
                .where(ServicePoint.deleted_at.is_(None)).order_by(ServicePoint.name))]
            rows = [_contract_row(c, p.name, day, sent[c.id]) for c in contracts]
            live = sum(1 for r in rows if r.in_force)
            return ProviderDetail(_provider_row(p, live), rows, points)

    def find(self, key: str) -> ProviderRow:
        """A provider by id or business ID (as typed, any format)."""
        self.ctx.signed_in  # noqa: B018
        checked = business_id.check(key)
        with self.ctx.reading() as s:
            p = s.get(ServiceProvider, key)
            if p is None and checked.ok:
                p = s.scalar(select(ServiceProvider).where(
                    ServiceProvider.business_id == checked.value,
                    ServiceProvider.deleted_at.is_(None)))
            if p is None or p.deleted_at is not None:
                raise NotFound(N_("No such service provider."))
            return _provider_row(p)

    def contract(self, contract_id: str, day: date | None = None) -> ContractRow:
        self.ctx.signed_in  # noqa: B018
        day = day or self.ctx.today()
        with self.ctx.reading() as s:
            c = self._contract(s, contract_id)
            p = s.get(ServiceProvider, c.provider_id)
            return _contract_row(c, p.name if p else "", day, sent_days(s, [c.id])[c.id])

    def contract_form(self, contract_id: str) -> ContractInput:
        """The stored contract as its form shows it (prices as euros with a comma)."""
        row = self.contract(contract_id)

        def euros(cents: int | None) -> str:
            return "" if cents is None else f"{cents // 100},{cents % 100:02d}"

        return ContractInput(row.provider_id, row.service, row.title, row.starts_on,
                             row.ends_on, "" if row.places is None else str(row.places),
                             row.places_per, euros(row.unit_price_cents),
                             euros(row.lump_sum_cents), row.service_point_ids, row.note)

    def places(self, contract_id: str, day: date) -> Places:
        """The contract's places in the period `day` falls in (and, when that is full,
        the next period with a place free)."""
        self.ctx.signed_in  # noqa: B018
        with self.ctx.reading() as s:
            c = self._contract(s, contract_id)
            return places_on(terms_of(c), day, sent_days(s, [c.id])[c.id])

    def contracts_for(self, service_point_id: str, day: date,
                      service: str | None = None) -> list[ContractRow]:
        """The contracts in force on `day` of active providers that serve the service
        point (a contract naming no point serves all), with their places on `day`."""
        self.ctx.signed_in  # noqa: B018
        with self.ctx.reading() as s:
            stmt = (select(ServiceContract, ServiceProvider.name)
                    .join(ServiceProvider, ServiceProvider.id == ServiceContract.provider_id)
                    .where(ServiceContract.deleted_at.is_(None),
                           ServiceProvider.deleted_at.is_(None),
                           ServiceProvider.active.is_(True),
                           ServiceContract.starts_on <= day, ServiceContract.ends_on >= day))
            if service:
                stmt = stmt.where(ServiceContract.service == ServiceKind(service))
            found = [(c, name) for c, name in s.execute(stmt)
                     if not (c.service_point_ids or "").split()
                     or service_point_id in (c.service_point_ids or "").split()]
            sent = sent_days(s, [c.id for c, _name in found])
            rows = [_contract_row(c, name, day, sent[c.id]) for c, name in found]
        rows.sort(key=lambda r: (r.service, r.provider_name.casefold(), r.title.casefold()))
        return rows

    # --- writing ----------------------------------------------------------------------

    def save_provider(self, data: ProviderInput, provider_id: str | None = None) -> ProviderRow:
        """A new provider, or the edits of one. A business ID already in the register
        (on another provider) is refused."""
        self.ctx.require(Permission.PROVIDER_MANAGE)
        errors, formatted = validate_provider(data)
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(Permission.PROVIDER_MANAGE) as s:
            other = s.scalar(select(ServiceProvider.id).where(
                ServiceProvider.business_id == formatted,
                ServiceProvider.deleted_at.is_(None), ServiceProvider.id != (provider_id or "")))
            if other is not None:
                raise ValidationFailed({"business_id": N_(
                    "Another provider in the register has this business ID.")})
            if provider_id is None:
                p = ServiceProvider(active=True)
                s.add(p)
            else:
                p = self._provider(s, provider_id)
            apply_provider(p, data, formatted or "")
            s.flush()
            self.ctx.audit(s, "provider.create" if provider_id is None else "provider.update",
                           "service_provider", p.id)
            return _provider_row(p)

    def set_active(self, provider_id: str, active: bool) -> ProviderRow:
        """Deactivate (no new referrals to it; its history stays) or reactivate."""
        with self.ctx.transaction(Permission.PROVIDER_MANAGE) as s:
            p = self._provider(s, provider_id)
            if bool(p.active) != active:
                p.active = active
                s.flush()
                self.ctx.audit(s, "provider.activate" if active else "provider.deactivate",
                               "service_provider", p.id)
            return _provider_row(p)

    def save_contract(self, data: ContractInput, contract_id: str | None = None) -> ContractRow:
        self.ctx.require(Permission.PROVIDER_MANAGE)
        errors, values = self._checked_contract(data)
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(Permission.PROVIDER_MANAGE) as s:
            p = self._provider(s, data.provider_id)
            known = set(s.scalars(select(ServicePoint.id)))
            if any(i not in known for i in data.service_point_ids):
                raise ValidationFailed({"service_point_ids": N_("Unknown service point.")})
            if contract_id is None:
                c = ServiceContract(provider_id=p.id)
                s.add(c)
            else:
                c = self._contract(s, contract_id)
                if c.provider_id != p.id:
                    raise NotFound(N_("No such contract."))
                locked = _locked_terms(c, values, sent_days(s, [c.id])[c.id])
                if locked:
                    raise ValidationFailed(locked)
            for key, value in values.items():
                setattr(c, key, value)
            s.flush()
            self.ctx.audit(s, "contract.create" if contract_id is None else "contract.update",
                           "service_contract", c.id, {"provider_id": p.id})
            return _contract_row(c, p.name, self.ctx.today(), sent_days(s, [c.id])[c.id])

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    def _checked_contract(data: ContractInput) -> tuple[dict[str, str], dict[str, object]]:
        errors: dict[str, str] = text_guard.field_errors(
            ServiceContract, {"title": nfc(data.title), "note": (data.note or "").strip()})
        values: dict[str, object] = {}
        try:
            values["service"] = ServiceKind(data.service)
        except ValueError:
            errors["service"] = N_("Choose a service from the list.")
        title = nfc(data.title)
        if not title:
            errors.setdefault("title", REQUIRED)
        values["title"] = title
        if data.starts_on is None:
            errors["starts_on"] = REQUIRED
        if data.ends_on is None:
            errors["ends_on"] = REQUIRED
        if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
            errors["ends_on"] = N_("The contract cannot end before it starts.")
        values["starts_on"], values["ends_on"] = data.starts_on, data.ends_on
        places_text = nfc(data.places)
        values["places"] = None
        if places_text:
            if not places_text.isdigit() or not 1 <= int(places_text) <= MAX_PLACES:
                errors["places"] = N_("Places are a whole number, at least 1 "
                                      "(empty: no limit agreed).")
            else:
                values["places"] = int(places_text)
        try:
            values["places_per"] = PlacesPeriod(data.places_per or PlacesPeriod.CONTRACT)
        except ValueError:
            errors["places_per"] = N_("Choose a period from the list.")
        prices: dict[str, int | None] = {}
        for name in ("unit_price", "lump_sum"):
            try:
                prices[name] = parse_euros(getattr(data, name))
            except ValueError:
                errors[name] = N_("Write the price in euros, for example 1250,50.")
                prices[name] = None
        if "unit_price" not in errors and "lump_sum" not in errors:
            if prices["unit_price"] is None and prices["lump_sum"] is None:
                errors["unit_price"] = N_("Give a price per customer or a lump sum.")
            elif prices["unit_price"] is not None and prices["lump_sum"] is not None:
                errors["lump_sum"] = N_("Give a price per customer or a lump sum, not both.")
        values["unit_price_cents"] = prices["unit_price"]
        values["lump_sum_cents"] = prices["lump_sum"]
        values["service_point_ids"] = " ".join(dict.fromkeys(data.service_point_ids))
        values["note"] = (data.note or "").strip() or None
        if not data.provider_id:
            errors["provider_id"] = REQUIRED
        return errors, values

    @staticmethod
    def _provider(s: Session, provider_id: str) -> ServiceProvider:
        p = s.get(ServiceProvider, provider_id)
        if p is None or p.deleted_at is not None:
            raise NotFound(N_("No such service provider."))
        return p

    @staticmethod
    def _contract(s: Session, contract_id: str) -> ServiceContract:
        c = s.get(ServiceContract, contract_id)
        if c is None or c.deleted_at is not None:
            raise NotFound(N_("No such contract."))
        return c


def apply_provider(p: ServiceProvider, data: ProviderInput, formatted_id: str) -> None:
    p.name = nfc(data.name)
    p.business_id = formatted_id
    p.email = nfc(data.email) or None
    p.phone = nfc(data.phone) or None
    p.contact_person = nfc(data.contact_person) or None
    p.street_address = nfc(data.street_address) or None
    p.postal_code = nfc(data.postal_code) or None
    p.post_office = nfc(data.post_office) or None
