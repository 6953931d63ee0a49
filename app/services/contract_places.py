"""Who uses a contract's places, counted whole on every workstation (#20).

A workstation holds only its own customers' referrals (and a coach's copy only their
caseload's and team's), so the places of a contract that serves several service points
or teams cannot be counted from them. The centre keeps a ledger of every referral's
place (`contract_place`, central c0080), pulled whole by every workstation; the places
used are the workstation's own referrals as they stand here (newest, perhaps not yet
pushed) together with the ledger's rows for the referrals this workstation does not
hold. Without a central database the ledger is empty and the own referrals are all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ContractPlace, Customer, Referral
from app.rules.contracts import USES_A_PLACE


@dataclass(frozen=True)
class PlaceUse:
    """One place taken: on which contract, the day the referral was sent, and the
    municipality and service point of the customer it is charged to."""

    contract_id: str
    sent_on: date
    home_municipality: str
    service_point_id: str | None


def places_used(s: Session, contract_ids: Iterable[str]) -> dict[str, list[PlaceUse]]:
    """{contract id: the places taken on it}, for each of `contract_ids`."""
    ids = list(dict.fromkeys(contract_ids))
    out: dict[str, list[PlaceUse]] = defaultdict(list)
    if not ids:
        return {}
    own = s.execute(
        select(Referral.contract_id, Referral.sent_on, Customer.home_municipality,
               Customer.service_point_id)
        .outerjoin(Customer, Customer.id == Referral.customer_id)
        .where(Referral.contract_id.in_(ids), Referral.deleted_at.is_(None),
               Referral.state.in_(list(USES_A_PLACE)), Referral.sent_on.is_not(None)))
    # A referral held here, in whatever state, is counted as it stands here: the ledger
    # row of it may be older (a step not yet pushed).
    others = s.execute(
        select(ContractPlace.contract_id, ContractPlace.sent_on,
               ContractPlace.home_municipality, ContractPlace.service_point_id)
        .where(ContractPlace.contract_id.in_(ids), ContractPlace.holds_place,
               ContractPlace.sent_on.is_not(None), ContractPlace.deleted_at.is_(None),
               ContractPlace.id.not_in(select(Referral.id))))
    for contract_id, sent_on, home, point in (*own, *others):
        if sent_on is not None:  # (both queries keep to sent ones)
            out[contract_id].append(PlaceUse(contract_id, sent_on, home or "", point))
    return out


def sent_days(s: Session, contract_ids: Iterable[str]) -> dict[str, list[date]]:
    """{contract id: the days its places were taken}, an entry for every id."""
    ids = list(contract_ids)
    used = places_used(s, ids)
    return {i: [p.sent_on for p in used.get(i, ())] for i in ids}
