"""Service providers and their contracts (#20), as the views and the CLI see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.rules.contracts import Places


@dataclass(frozen=True)
class ProviderInput:
    """What was typed into the provider form (all text, nothing lost)."""

    name: str = ""
    business_id: str = ""
    email: str = ""
    phone: str = ""
    contact_person: str = ""
    street_address: str = ""
    postal_code: str = ""
    post_office: str = ""


@dataclass(frozen=True)
class ContractInput:
    """What was typed into the contract form. Prices are euros as typed ("1 250,50");
    exactly one of them is given. `places` empty: no limit agreed."""

    provider_id: str = ""
    service: str = ""
    title: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    places: str = ""
    places_per: str = "contract"
    unit_price: str = ""
    lump_sum: str = ""
    service_point_ids: tuple[str, ...] = ()  # empty: every service point
    note: str = ""


@dataclass(frozen=True)
class ProviderRow:
    id: str
    name: str
    business_id: str
    email: str
    phone: str
    contact_person: str
    street_address: str
    postal_code: str
    post_office: str
    active: bool
    contracts: int = 0  # contracts in force today


@dataclass(frozen=True)
class ContractRow:
    id: str
    provider_id: str
    provider_name: str
    service: str
    title: str
    starts_on: date
    ends_on: date
    places: int | None
    places_per: str
    unit_price_cents: int | None
    lump_sum_cents: int | None
    service_point_ids: tuple[str, ...]
    note: str
    in_force: bool  # the day asked for falls in the contract period
    places_now: Places  # the places period of the day asked for


@dataclass(frozen=True)
class ProviderDetail:
    provider: ProviderRow
    contracts: list[ContractRow] = field(default_factory=list)
    # (id, name) of the area's service points, for the contract form.
    service_points: list[tuple[str, str]] = field(default_factory=list)
