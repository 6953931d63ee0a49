"""Purchased services and support decisions in figures (#20): places contracted against
used, referrals by outcome, the share employed or studying three and six months after a
service, and the euros by municipality next to the municipal cost split.

Everything is counted over the local database for the filter's dates and, optionally,
one service point: the contracts serving it, the referrals and decisions of its
customers. A coach's database holds only their own customers' referrals; the figures
are read by team leads and administrators (reports.read), whose databases hold the
area's."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.dto.reports import (
    COUNT,
    NUMBER,
    PERCENT,
    TEXT,
    WEEK,
    ChartSpec,
    Column,
    Label,
    ReportFilter,
    ReportInputs,
    ReportTable,
)
from app.i18n import N_
from app.models import Customer
from app.models.customer import JobSearchPeriod
from app.models.purchased import (
    EffectFollowup,
    Referral,
    ServiceContract,
    ServiceProvider,
    SupportDecision,
)
from app.rules.clock import add_months
from app.rules.codes import (
    SERVICE_LABELS,
    CaseExitReason,
    DecisionKind,
    DecisionStatus,
    FollowupSituation,
    ReferralEndReason,
    ReferralState,
    ServiceKind,
)
from app.rules.contracts import ContractTerms, periods
from app.rules.cost_split import cost_shares
from app.services.contract_places import places_used, sent_days
from app.services.effect_followups import decision_end
from app.services.reports import municipal, sql
from app.services.reports.members import Members

TOTAL = Label(N_("Total"))
NOT_ALLOCATED = Label(N_("Not allocated (no places used)"))
SERVICE = Column("service", N_("Service"), TEXT)
PROVIDER = Column("provider", N_("Provider"), TEXT)

# "Employed or studying": the follow-up's answer, or the case closed for these reasons
# between the service's end and the 3 or 6 months' point.
GOOD_ANSWERS = (FollowupSituation.EMPLOYED_OPEN_MARKET, FollowupSituation.EMPLOYED_SUPPORTED,
                FollowupSituation.STUDIES)
GOOD_EXITS = (CaseExitReason.EMPLOYED_OPEN_MARKET, CaseExitReason.EMPLOYED_PAY_SUBSIDY,
              CaseExitReason.SELF_EMPLOYED, CaseExitReason.STUDIES)
HORIZONS = (3, 6)
STARTED = (ReferralState.STARTED, ReferralState.INTERRUPTED, ReferralState.COMPLETED)
# A replaced decision's sum is carried by the decision that replaced it.
COSTS = (DecisionStatus.DECIDED, DecisionStatus.ENDED)


def service_label(code: str) -> Label:
    try:
        kind: ServiceKind | DecisionKind = ServiceKind(code)
    except ValueError:
        kind = DecisionKind(code)
    return Label(SERVICE_LABELS[kind])


def _point_contracts(f: ReportFilter) -> list[Any]:
    """Contracts serving the filter's service point (an empty list serves every one)."""
    if f.service_point_id is None:
        return []
    return [or_(ServiceContract.service_point_ids == "",
                (" " + ServiceContract.service_point_ids + " ").contains(
                    f" {f.service_point_id} "))]


def _point_customers(f: ReportFilter, customer_id: Any) -> list[Any]:
    if f.service_point_id is None:
        return []
    return [customer_id.in_(select(Customer.id).where(
        Customer.service_point_id == f.service_point_id))]


def _days(a: date, b: date) -> int:
    return (b - a).days + 1


# --- (a) places contracted against used ---------------------------------------------

def places(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    """Each contract's places periods that meet the filter's dates: its places and the
    referrals sent in the period that use one (sent, accepted, started, ended; a
    declined one gives its place back). Places are the contract's, so every referral
    on it counts, whichever service point's customer and whichever workstation holds it
    (the centre's place ledger: app/services/contract_places.py)."""
    contracts = s.execute(
        select(ServiceContract, ServiceProvider.name)
        .join(ServiceProvider, ServiceProvider.id == ServiceContract.provider_id)
        .where(ServiceContract.deleted_at.is_(None), ServiceContract.starts_on <= f.date_to,
               ServiceContract.ends_on >= f.date_from, *_point_contracts(f))
        .order_by(ServiceProvider.name, ServiceContract.title,
                  ServiceContract.starts_on)).all()
    # Every workstation's referrals, through the centre's place ledger.
    sent = sent_days(s, [c.id for c, _n in contracts])
    rows = []
    for contract, provider in contracts:
        terms = ContractTerms(contract.starts_on, contract.ends_on, contract.places,
                              contract.places_per)
        for start, end in periods(terms):
            if end < f.date_from or start > f.date_to:
                continue
            used = sum(1 for d in sent[contract.id] if start <= d <= end)
            rows.append((provider, contract.title, service_label(contract.service), start,
                         end, contract.places, used,
                         sql.share(used, contract.places) if contract.places else None))
    places_total = sum(r[5] or 0 for r in rows)
    used_total = sum(r[6] for r in rows)
    return ReportTable(
        "purchased_places", N_("Purchased services: places contracted and used"),
        (PROVIDER, Column("contract", N_("Contract"), TEXT), SERVICE,
         Column("period_from", N_("Period from"), WEEK),
         Column("period_to", N_("Period to"), WEEK),
         Column("places", N_("Places"), COUNT), Column("used", N_("Used"), COUNT),
         Column("usage", N_("Used (%)"), PERCENT)),
        tuple(rows), ChartSpec("hbars", "contract", ("usage",), percent=True, limit=20),
        note=N_("Each contract's places periods that meet the dates. Used: referrals "
                "sent in the period that hold a place (sent, accepted, started, "
                "interrupted or completed; a declined one does not). Places are the "
                "contract's: every referral on it counts. No places: no limit agreed."),
        total=(TOTAL, None, None, None, None, places_total or None, used_total,
               sql.share(used_total, places_total) if places_total else None))


# --- (b) referrals by service, provider and outcome ---------------------------------

def referrals(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    """Referrals proposed in the period by service and provider, in the state each is in
    now (its outcome so far)."""
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    who: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for kind, provider, state, cid in s.execute(
            select(ServiceContract.service, ServiceProvider.name, Referral.state,
                   Referral.customer_id)
            .join(ServiceContract, ServiceContract.id == Referral.contract_id)
            .join(ServiceProvider, ServiceProvider.id == ServiceContract.provider_id)
            .where(Referral.deleted_at.is_(None), Referral.proposed_on >= f.date_from,
                   Referral.proposed_on <= f.date_to,
                   *_point_customers(f, Referral.customer_id))):
        counts[(str(kind), provider)][str(state)] += 1
        who[(str(kind), provider)][str(state)].append(cid)
    states = list(ReferralState)
    rows: list[tuple[Any, ...]] = []
    members = Members()
    for (service, provider), by_state in sorted(
            counts.items(), key=lambda kv: (list(ServiceKind).index(ServiceKind(kv[0][0])),
                                            kv[0][1])):
        values = [by_state.get(st.value, 0) for st in states]
        for st in states:
            ids = who[(service, provider)][st.value]
            members.add(len(rows), st.value, ids, total=True)
            members.add(len(rows), "total", ids, total=True)
        rows.append((service_label(service), provider, *values, sum(values)))
    columns = (SERVICE, PROVIDER,
               *(Column(st.value, SERVICE_LABELS[st], COUNT) for st in states),
               Column("total", N_("Total"), COUNT))
    total = (TOTAL, None, *(sum(int(r[i]) for r in rows) for i in range(2, len(columns))))
    return ReportTable(
        "purchased_referrals", N_("Referrals by service, provider and outcome"),
        columns, tuple(rows),
        ChartSpec("stacked", "provider", tuple(st.value for st in states)),
        note=N_("Referrals proposed in the period, by the state each is in now: "
                "declined, interrupted and completed are outcomes; the others are still "
                "under way."), total=total, members=members.result())


def end_reasons(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    """The declined and interrupted referrals proposed in the period by their reason."""
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    who: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for kind, provider, reason, cid in s.execute(
            select(ServiceContract.service, ServiceProvider.name, Referral.end_reason,
                   Referral.customer_id)
            .join(ServiceContract, ServiceContract.id == Referral.contract_id)
            .join(ServiceProvider, ServiceProvider.id == ServiceContract.provider_id)
            .where(Referral.deleted_at.is_(None), Referral.proposed_on >= f.date_from,
                   Referral.proposed_on <= f.date_to, Referral.end_reason.is_not(None),
                   Referral.state.in_((ReferralState.DECLINED, ReferralState.INTERRUPTED)),
                   *_point_customers(f, Referral.customer_id))):
        counts[(str(kind), provider)][str(reason)] += 1
        who[(str(kind), provider)][str(reason)].append(cid)
    reasons = list(ReferralEndReason)
    rows: list[tuple[Any, ...]] = []
    members = Members()
    for (service, provider), by in sorted(
            counts.items(), key=lambda kv: (list(ServiceKind).index(ServiceKind(kv[0][0])),
                                            kv[0][1])):
        values = [by.get(r.value, 0) for r in reasons]
        for r in reasons:
            ids = who[(service, provider)][r.value]
            members.add(len(rows), r.value, ids, total=True)
            members.add(len(rows), "total", ids, total=True)
        rows.append((service_label(service), provider, *values, sum(values)))
    columns = (SERVICE, PROVIDER,
               *(Column(r.value, SERVICE_LABELS[r], COUNT) for r in reasons),
               Column("total", N_("Total"), COUNT))
    return ReportTable(
        "purchased_end_reasons", N_("Declined and interrupted referrals by reason"),
        columns, tuple(rows),
        ChartSpec("stacked", "provider", tuple(r.value for r in reasons)),
        note=N_("Referrals proposed in the period that the provider declined or that "
                "were interrupted, by the reason given."),
        total=(TOTAL, None, *(sum(int(r[i]) for r in rows) for i in range(2, len(columns)))),
        members=members.result())


# --- (c) employed or studying 3 and 6 months after ---------------------------------

def _ended(s: Session, f: ReportFilter, today: date
           ) -> list[tuple[str, str, str, str | None, date]]:
    """Every ended referral and decision: (source id, customer, service or decision
    kind, provider or None, the day it ended)."""
    out: list[tuple[str, str, str, str | None, date]] = []
    for rid, cid, service, provider, ended_on in s.execute(
            select(Referral.id, Referral.customer_id, ServiceContract.service,
                   ServiceProvider.name, Referral.ended_on)
            .join(ServiceContract, ServiceContract.id == Referral.contract_id)
            .join(ServiceProvider, ServiceProvider.id == ServiceContract.provider_id)
            .where(Referral.deleted_at.is_(None), Referral.ended_on.is_not(None),
                   Referral.state.in_((ReferralState.INTERRUPTED, ReferralState.COMPLETED)),
                   *_point_customers(f, Referral.customer_id))):
        if ended_on is not None:  # (the query keeps to ended ones)
            out.append((rid, cid, str(service), provider, ended_on))
    for did, cid, kind, status, ends_on, ended_on in s.execute(
            select(SupportDecision.id, SupportDecision.customer_id, SupportDecision.kind,
                   SupportDecision.status, SupportDecision.ends_on, SupportDecision.ended_on)
            .where(SupportDecision.deleted_at.is_(None),
                   *_point_customers(f, SupportDecision.customer_id))):
        end = decision_end(status, ends_on, ended_on, today)
        if end is not None:
            out.append((did, cid, str(kind), None, end))
    return out


def outcome(answer: FollowupSituation | None, exits: list[tuple[date, CaseExitReason]],
            ended_on: date, point: date) -> str:
    """"good" (employed or studying), "other" (known otherwise) or "unknown"."""
    closed = [reason for day, reason in exits if ended_on <= day <= point]
    if answer in GOOD_ANSWERS or any(r in GOOD_EXITS for r in closed):
        return "good"
    if closed or (answer is not None and answer != FollowupSituation.UNKNOWN):
        return "other"
    return "unknown"


@dataclass(frozen=True)
class EffectPoint:
    """One service's 3- or 6-month point: "good", "other" or "unknown" by then."""

    kind: str  # service or decision kind
    provider: str | None
    customer_id: str
    months: int
    point: date
    result: str


def effect_points(s: Session, f: ReportFilter, today: date) -> list[EffectPoint]:
    """The 3 and 6 months' points falling in the period that count: known, or past."""
    ended = _ended(s, f, today)
    customers = list({e[1] for e in ended})
    answers = {(a.referral_id or a.decision_id, a.months): a.situation
               for a in s.scalars(select(EffectFollowup).where(
                   EffectFollowup.deleted_at.is_(None),
                   EffectFollowup.customer_id.in_(customers)))}
    exits: dict[str, list[tuple[date, CaseExitReason]]] = defaultdict(list)
    for cid, closed_on, reason in s.execute(
            select(JobSearchPeriod.customer_id, JobSearchPeriod.closed_on,
                   JobSearchPeriod.exit_reason)
            .where(JobSearchPeriod.deleted_at.is_(None),
                   JobSearchPeriod.closed_on.is_not(None),
                   JobSearchPeriod.customer_id.in_(customers))):
        if closed_on is not None and reason is not None:
            exits[cid].append((closed_on, reason))
    out = []
    for source_id, cid, kind, provider, ended_on in ended:
        for months in HORIZONS:
            point = add_months(ended_on, months)
            if not f.date_from <= point <= f.date_to:
                continue
            result = outcome(answers.get((source_id, months)), exits[cid], ended_on, point)
            if result == "unknown" and point > today:
                continue  # a point still to come, not yet answered: not counted yet
            out.append(EffectPoint(kind, provider, cid, months, point, result))
    return out


def effect(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    """By service (and provider): the referrals and decisions whose 3 or 6 months'
    point falls in the period, and how many of their customers were employed or
    studying by then (the follow-up's answer or the case's exit)."""
    # (service, provider) -> months -> [counted, good, unknown]
    figures: dict[tuple[str, str | None], dict[int, list[int]]] = defaultdict(
        lambda: {m: [0, 0, 0] for m in HORIZONS})
    # The customers behind them: (service, provider) -> column key -> customer ids.
    who: dict[tuple[str, str | None], dict[str, list[str]]] = defaultdict(
        lambda: defaultdict(list))
    for p in effect_points(s, f, inputs.today):
        cell = figures[(p.kind, p.provider)][p.months]
        cell[0] += 1
        cell[1] += p.result == "good"
        cell[2] += p.result == "unknown"
        who[(p.kind, p.provider)][f"counted_{p.months}"].append(p.customer_id)
        if p.result != "other":
            who[(p.kind, p.provider)][f"{p.result}_{p.months}"].append(p.customer_id)
    order = [*ServiceKind, *DecisionKind]
    rows: list[tuple[Any, ...]] = []
    members = Members()
    for (kind, provider), by in sorted(
            figures.items(), key=lambda kv: (
                next(i for i, k in enumerate(order) if k.value == kv[0][0]),
                kv[0][1] or "")):
        for key, ids in who[(kind, provider)].items():
            members.add(len(rows), key, ids, total=True)
        row: list[Any] = [service_label(kind), provider]
        for months in HORIZONS:
            counted, good, unknown = by[months]
            row += [counted, good, unknown, sql.share(good, counted)]
        rows.append(tuple(row))
    total: list[Any] = [TOTAL, None]
    for i in range(len(HORIZONS)):
        counted, good, unknown = (sum(r[2 + 4 * i + j] for r in rows) for j in range(3))
        total += [counted, good, unknown, sql.share(good, counted)]
    columns = (SERVICE, PROVIDER,
               Column("counted_3", N_("3 mo: counted"), COUNT),
               Column("good_3", N_("3 mo: employed or studying"), COUNT),
               Column("unknown_3", N_("3 mo: not known"), COUNT),
               Column("share_3", N_("3 mo: share (%)"), PERCENT),
               Column("counted_6", N_("6 mo: counted"), COUNT),
               Column("good_6", N_("6 mo: employed or studying"), COUNT),
               Column("unknown_6", N_("6 mo: not known"), COUNT),
               Column("share_6", N_("6 mo: share (%)"), PERCENT))
    return ReportTable(
        "purchased_effect", N_("Employed or studying 3 and 6 months after a service"),
        columns, tuple(rows), ChartSpec("bars", "service", ("share_3", "share_6"),
                                        percent=True, limit=20),
        note=N_("Counted: the referrals (interrupted or completed) and decisions (ended, "
                "or their period over) whose 3 or 6 months' point falls in the period. "
                "Employed or studying: the follow-up answered so (employed, with support "
                "or not, or studying), or the case closed for work, self-employment or "
                "studies between the end and that point. Not known: unanswered (or "
                "answered \"not known\") and the case not closed; the share is of all "
                "counted, the unknown included. Decisions have no provider."),
        total=tuple(total), members=members.result())


# --- (d) euros by municipality against the cost split -------------------------------

def euros(s: Session, f: ReportFilter, inputs: ReportInputs) -> dict[str, list[float]]:
    """Municipality -> [referrals €, lump sums €, decisions €] (names as stored; the
    lump sums of contracts without places used under NOT_ALLOCATED)."""
    out: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    point = _point_customers(f, Referral.customer_id)
    # A started referral of a unit-priced contract: the unit price, by the start day.
    for home, cents in s.execute(
            select(Customer.home_municipality, ServiceContract.unit_price_cents)
            .select_from(Referral)
            .join(ServiceContract, ServiceContract.id == Referral.contract_id)
            .join(Customer, Customer.id == Referral.customer_id)
            .where(Referral.deleted_at.is_(None), Referral.state.in_(STARTED),
                   Referral.started_on >= f.date_from, Referral.started_on <= f.date_to,
                   ServiceContract.unit_price_cents.is_not(None), *point)):
        out[home or ""][0] += (cents or 0) / 100
    # A lump sum: its part for the days of the period, over the contract's used places
    # by the customers' home municipalities.
    lump = s.execute(
        select(ServiceContract.id, ServiceContract.starts_on, ServiceContract.ends_on,
               ServiceContract.lump_sum_cents)
        .where(ServiceContract.deleted_at.is_(None),
               ServiceContract.lump_sum_cents.is_not(None),
               ServiceContract.starts_on <= f.date_to, ServiceContract.ends_on >= f.date_from,
               *_point_contracts(f))).all()
    used = places_used(s, [c[0] for c in lump])  # every workstation's, as for places
    users = {cid: [(p.home_municipality, p.service_point_id) for p in places]
             for cid, places in used.items()}
    for contract_id, starts_on, ends_on, cents in lump:
        overlap = _days(max(starts_on, f.date_from), min(ends_on, f.date_to))
        part = (cents or 0) / 100 * overlap / _days(starts_on, ends_on)
        placed = users.get(contract_id, [])
        if not placed:
            if f.service_point_id is None:
                out[NOT_ALLOCATED][1] += part
            continue
        for place_home, place_point in placed:
            if f.service_point_id is None or place_point == f.service_point_id:
                out[place_home][1] += part / len(placed)
    # A decided decision's sum: its paying municipality, by the day it was decided.
    for paying, cents in s.execute(
            select(SupportDecision.paying_municipality, SupportDecision.amount_cents)
            .where(SupportDecision.deleted_at.is_(None), SupportDecision.status.in_(COSTS),
                   SupportDecision.decided_on >= f.date_from,
                   SupportDecision.decided_on <= f.date_to,
                   SupportDecision.amount_cents.is_not(None),
                   *_point_customers(f, SupportDecision.customer_id))):
        out[paying][2] += (cents or 0) / 100
    return out


def cost(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    """The euros of the period by municipality, beside the cost split (the municipal
    split report's own rows: its cost share and the shares of use)."""
    split = municipal.municipal_split(s, f, inputs)
    use = {str(r[0]): r for r in split.rows}
    shares = cost_shares(inputs.statistics)
    money = euros(s, f, inputs)
    names = list(shares)
    other = municipal.OTHER
    rows_of: dict[str, list[float]] = {n: [0.0, 0.0, 0.0] for n in [*names, other]}
    unallocated = money.pop(NOT_ALLOCATED, None)
    for name, values in money.items():
        into = rows_of[name if name in shares else other]
        for i in range(3):
            into[i] += values[i]
    grand = sum(sum(v) for v in rows_of.values()) + (sum(unallocated) if unallocated else 0)
    index = {key: split.column(key) for key in ("cost_share", "visit_share", "staff_share",
                                                "customer_share")}
    rows = []
    for name in [*names, other]:
        refs, lumps, decisions = rows_of[name]
        total = refs + lumps + decisions
        used = use.get(name)
        if name == other and not total and used is None:
            continue
        rows.append((Label(name), refs, lumps, decisions, total, sql.share(total, grand),
                     shares.get(name),
                     grand * shares[name] if name in shares else None,
                     *(used[index[k]] if used else None
                       for k in ("visit_share", "staff_share", "customer_share"))))
    if unallocated:
        rows.append((NOT_ALLOCATED, 0.0, unallocated[1], 0.0, unallocated[1],
                     sql.share(unallocated[1], grand), None, None, None, None, None))
    sums = [sum(float(r[i] or 0) for r in rows) for i in range(1, 5)]
    return ReportTable(
        "purchased_euros", N_("Purchased services and decisions in euros by municipality"),
        (Column("municipality", N_("Municipality"), TEXT),
         Column("referrals_eur", N_("Referrals (€)"), NUMBER),
         Column("lump_sums_eur", N_("Lump sums (€)"), NUMBER),
         Column("decisions_eur", N_("Decisions (€)"), NUMBER),
         Column("total_eur", N_("Total (€)"), NUMBER),
         Column("euro_share", N_("Share of euros (%)"), PERCENT),
         Column("cost_share", N_("Cost share (%)"), PERCENT),
         Column("by_split_eur", N_("By the cost split (€)"), NUMBER),
         Column("visit_share", N_("Share of visits (%)"), PERCENT),
         Column("staff_share", N_("Share of staff time (%)"), PERCENT),
         Column("customer_share", N_("Share of customers (%)"), PERCENT)),
        tuple(rows),
        ChartSpec("bars", "municipality", ("euro_share", "cost_share", "visit_share"),
                  percent=True),
        note=N_("Referrals: the unit price of each referral started in the period, for "
                "the customer's home municipality. Lump sums: the part of the contract's "
                "sum for the days of the period, shared over its used places by the "
                "customers' home municipalities. Decisions: the sum of each decision made "
                "in the period (a replaced one's by the one replacing it), for the paying "
                "municipality. By the cost split: the total shared as the municipal split "
                "shares the costs; the shares of use are the municipal split's."),
        total=(TOTAL, *sums, 1.0 if grand else None,
               sum(shares.values()) if shares else None,
               grand if shares else None, None, None, None))
