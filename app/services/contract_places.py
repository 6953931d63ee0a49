"""Who uses a contract's places, counted whole on every workstation (#20).

A workstation holds only its own customers' referrals (and a coach's copy only their
caseload's and team's), so the places of a contract that serves several service points
or teams cannot be counted from them. The centre keeps a ledger of every referral's
place (`contract_place`, central c0080), pulled whole by every workstation; the places
used are the workstation's own referrals as they stand here (newest, perhaps not yet
pushed) together with the ledger's rows for the referrals this workstation does not
hold. A referral held here counts as it stands here while a change of it waits to be
pushed, or when the ledger does not have it (no central database, or not pulled yet);
otherwise the ledger's row is newer or as new (a local copy stops following a referral
once it leaves this workstation's reach, e.g. the customer moved to another point)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import ContractPlace, Customer, OutboxEntry, Referral
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
    waiting = select(OutboxEntry.row_id).where(OutboxEntry.table_name == "referral",
                                               OutboxEntry.status == "pending")
    ledger_ids = select(ContractPlace.id)
    own = s.execute(
        select(Referral.contract_id, Referral.sent_on, Customer.home_municipality,
               Customer.service_point_id)
        .outerjoin(Customer, Customer.id == Referral.customer_id)
        .where(Referral.contract_id.in_(ids), Referral.deleted_at.is_(None),
               Referral.state.in_(list(USES_A_PLACE)), Referral.sent_on.is_not(None),
               or_(Referral.id.in_(waiting), Referral.id.not_in(ledger_ids))))
    others = s.execute(
        select(ContractPlace.contract_id, ContractPlace.sent_on,
               ContractPlace.home_municipality, ContractPlace.service_point_id)
        .where(ContractPlace.contract_id.in_(ids), ContractPlace.holds_place,
               ContractPlace.sent_on.is_not(None), ContractPlace.deleted_at.is_(None),
               ContractPlace.id.not_in(select(Referral.id).where(Referral.id.in_(waiting)))))
    for contract_id, sent_on, home, point in (*own, *others):
        if sent_on is not None:  # (both queries keep to sent ones)
            out[contract_id].append(PlaceUse(contract_id, sent_on, home or "", point))
    return out


def sent_days(s: Session, contract_ids: Iterable[str]) -> dict[str, list[date]]:
    """{contract id: the days its places were taken}, an entry for every id."""
    ids = list(contract_ids)
    used = places_used(s, ids)
    return {i: [p.sent_on for p in used.get(i, ())] for i in ids}
