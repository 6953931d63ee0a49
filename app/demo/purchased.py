"""Demo data of purchased services (issue #20): the area's service providers (fictitious
Lapland companies and organisations with valid Y-tunnus), their contracts for each kind
of service per service point, a year of referrals with realistic progress and outcomes
(several carrying out a line of the customer's plan), support decisions (pay subsidies,
work and training trials, start-up grants: drafts, decided, some ended early, one
replaced) and the effect follow-ups answered three and six months after they ended, a
few left due in the coaches' caseloads so Today asks for them. Some of the year's case
exits (app/demo/cases.py) follow a completed service: a referral completed shortly
before a case closed with work or studies, a pay subsidy or start-up grant beginning on
the day it closed.

Runs after the rest of the demo (it reads the customers, coaches, plans and closed cases
from the database), with its own `random.Random` derived from the seed: the same seed,
scale and today give the same rows, and the other demo tables are drawn as before. Rows
go in with Core inserts as if pulled (version 1, no outbox), like the rest of the demo."""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select

from app.models import (
    ContractPlace,
    Customer,
    EffectFollowup,
    JobSearchPeriod,
    Plan,
    PlanAction,
    PlanGoal,
    PlannedService,
    PlanVersion,
    Referral,
    ServiceContract,
    ServicePoint,
    ServiceProvider,
    Staff,
    SupportDecision,
    followup_id,
)
from app.rules.clock import add_months
from app.rules.codes import (
    CaseExitReason,
    DecisionKind,
    DecisionStatus,
    FollowupSituation,
    PlacesPeriod,
    PlanStatus,
    ReferralEndReason,
    ReferralState,
    Role,
    ServiceKind,
)
from app.rules.contracts import USES_A_PLACE, ContractTerms, period_of

K = ServiceKind
S = ReferralState
F = FollowupSituation

REFERRALS_PER_SCALE = 520  # about one customer in nine referred during the year
DECISIONS_PER_SCALE = 170
EXIT_SERVICE_SHARE = 0.3  # of the year's exits with work or studies, after a service
UNANSWERED_SHARE = 0.08  # follow-ups due and not yet answered (other than the demo coach's)
AREA_MUNICIPALITIES = ("Rovaniemi", "Ranua")  # the cost split's (96/4)


def ytunnus(body: str) -> str:
    """The business ID with its check digit (weights 7, 9, 10, 5, 8, 4, 2, modulo 11)."""
    rest = sum(int(c) * w for c, w in zip(body, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    if rest == 1:
        raise ValueError(f"{body}: no valid check digit")
    return f"{body}-{0 if rest == 0 else 11 - rest}"


# Fictitious providers: name, business ID body (the check digit is computed), contact
# person, street, postal code, town, and what each sells (service, places per period,
# period, euros per customer or None for a lump sum, the lump sum, service points).
@dataclass(frozen=True)
class _Offer:
    service: ServiceKind
    title: str
    places: int | None
    per: PlacesPeriod
    unit_euros: int | None
    lump_euros: int | None = None
    points: tuple[str, ...] = ()  # service point codes; empty: all


@dataclass(frozen=True)
class _Provider:
    name: str
    body: str
    contact: str
    street: str
    postal_code: str
    town: str
    offers: tuple[_Offer, ...]
    domain: str = "example.fi"


Q, Y = PlacesPeriod.QUARTER, PlacesPeriod.YEAR
PROVIDERS = (
    _Provider("Lapin Valmennuspolku Oy", "2541212", "Sanna Hietala", "Koskikatu 12 B",
              "96200", "Rovaniemi",
              (_Offer(K.INDIVIDUAL_COACHING, "Yksilövalmennus työnhakuun", 30, Q, 1350),
               _Offer(K.CAREER_GUIDANCE, "Urasuunnitteluvalmennus", 20, Q, 540,
                      points=("ROV",)))),
    _Provider("Arktinen Työvalmennus Oy", "2871543", "Mikko Rautio", "Valtakatu 21",
              "96100", "Rovaniemi",
              (_Offer(K.INDIVIDUAL_COACHING, "Työhönvalmennus", 24, Q, 1480),
               _Offer(K.GROUP_COACHING, "Ryhmävalmennus: polku työelämään", None, Y, None,
                      46800))),
    _Provider("Napapiirin Osaamiskeskus ry", "1572860", "Päivi Kangas", "Jaakonkatu 3",
              "96100", "Rovaniemi",
              (_Offer(K.GROUP_COACHING, "Työnhakuklubi", 60, Q, 620),
               _Offer(K.CAREER_GUIDANCE, "Ohjaus koulutukseen", 40, Y, 480))),
    _Provider("Lapin Ammattiopisto -koulutuskuntayhtymä", "0192846", "Juha Lehtola",
              "Jokiväylä 11", "96300", "Rovaniemi",
              (_Offer(K.LABOUR_MARKET_TRAINING, "Logistiikan työvoimakoulutus", 20, Y, 5200),
               _Offer(K.LABOUR_MARKET_TRAINING, "Hoiva-avustajan koulutus", 18, Y, 6400))),
    _Provider("Pohjolan Aikuiskoulutus Oy", "2390475", "Hanna Kärkkäinen",
              "Kauppurienkatu 8", "90100", "Oulu",
              (_Offer(K.LABOUR_MARKET_TRAINING, "Rakennusalan työvoimakoulutus", 12, Y,
                      6900),
               _Offer(K.LABOUR_MARKET_TRAINING, "Ohjelmistotestauksen koulutus", 10, Y,
                      7400))),
    _Provider("Työkykykeskus Revontuli Oy", "2718290", "Dos. Eeva Niskanen",
              "Rovakatu 30", "96200", "Rovaniemi",
              (_Offer(K.WORK_ABILITY_ASSESSMENT, "Työkyvyn arviointijakso", 12, Q, 1850),
               _Offer(K.EXPERT_ASSESSMENT, "Psykologin asiantuntija-arvio", 10, Q, 1150))),
    _Provider("Oulun Kuntoutusklinikka Oy", "2964117", "Tapio Mäenpää",
              "Kirkkokatu 40", "90100", "Oulu",
              (_Offer(K.WORK_ABILITY_ASSESSMENT, "Moniammatillinen työkykyarvio", 8, Q,
                      2300),
               _Offer(K.EXPERT_ASSESSMENT, "Lääkärin asiantuntija-arvio", 12, Q, 950))),
    _Provider("Ranuan Työpaja ry", "1837651", "Anne Kivelä", "Keskustie 24", "97700",
              "Ranua",
              (_Offer(K.INDIVIDUAL_COACHING, "Työpajavalmennus", 6, Q, 980, points=("RAN",)),
               _Offer(K.GROUP_COACHING, "Ranuan työnhakuryhmä", None, Y, None, 14400,
                      points=("RAN",)))),
    _Provider("Kaamos Coaching Tmi", "3104562", "Riikka Ojala", "Pohjolankatu 9",
              "96100", "Rovaniemi",
              (_Offer(K.CAREER_GUIDANCE, "Uraohjaus yksilöllisesti", 8, Q, 620),
               _Offer(K.INDIVIDUAL_COACHING, "Yrittäjyysvalmennus", 6, Q, 1120))),
    _Provider("Lapin Monikulttuurinen Keskus ry", "2230918", "Amina Yusuf",
              "Hallituskatu 15", "96100", "Rovaniemi",
              (_Offer(K.GROUP_COACHING, "Kotoutujien työelämävalmennus", 36, Y, 780,
                      points=("ROV",)),)),
    _Provider("Pohjoisen Rekrytointipalvelut Oy", "2659034", "Lauri Hänninen",
              "Isokatu 32", "90100", "Oulu",
              (_Offer(K.INDIVIDUAL_COACHING, "Rekrytoiva valmennus", 20, Y, 1650),)),
    _Provider("Ounasvaaran Terveys Oy", "2480137", "Kirsi Palo", "Ounasvaarantie 2",
              "96400", "Rovaniemi",
              (_Offer(K.EXPERT_ASSESSMENT, "Fysioterapeutin toimintakykyarvio", 16, Q, 640),
               _Offer(K.WORK_ABILITY_ASSESSMENT, "Työkokeiluun liittyvä työkykyarvio", 10,
                      Q, 1450))),
)

# Employers and organisers of pay subsidies, work and training trials (fictitious).
EMPLOYERS = (
    ("Rovaniemen Rakennus ja Remontti Oy", "2617340"), ("Napapiirin Kauppa Oy", "2183952"),
    ("Lapin Hoivapalvelut Oy", "2745619"), ("Ranuan Puu ja Sahaus Oy", "0948271"),
    ("Santapark Matkailupalvelut Oy", "2392107"), ("Rovaniemen Seurakuntayhtymä", "0210984"),
    ("Lapin Luontoliikunta ry", "2071536"), ("Pohjolan Kuljetus Oy", "2836194"),
    ("Kiertokapula Kierrätyskeskus ry", "1462088"), ("Arktiset Ateriat Oy", "2958120"),
    ("Ounaskosken Kiinteistöhuolto Oy", "2304717"), ("Ranuan Kunta", "0192357"),
    ("Lapin Eläinklinikka Oy", "2501948"), ("Revontuli IT Oy", "3019275"),
)
START_UPS = (
    ("Tmi Kuusamon Käsityö", "3211408"), ("Lapin Hirsityö Oy", "3198064"),
    ("Poromäen Siivouspalvelu Tmi", "3224519"), ("Pohjan Kahvipaahtimo Oy", "3170933"),
    ("Revontulikuvaus Tmi", "3236185"),
)
DECISION_WEIGHTS = {DecisionKind.PAY_SUBSIDY: 45, DecisionKind.WORK_TRIAL: 30,
                    DecisionKind.TRAINING_TRIAL: 10, DecisionKind.START_UP_GRANT: 15}
EARLY_ENDS = ("Työsuhde päättyi koeajalla.", "Asiakas työllistyi avoimille työmarkkinoille.",
              "Terveydelliset syyt.", "Työnantajan toiminta supistui.",
              "Asiakas aloitti opinnot.")
REPLACE_NOTE = "Jatkopäätös: tukijakso pidennetty ja työaika muuttunut."

# How long each service lasts once started (days).
DURATION = {K.INDIVIDUAL_COACHING: (56, 120), K.GROUP_COACHING: (28, 60),
            K.EXPERT_ASSESSMENT: (14, 42), K.LABOUR_MARKET_TRAINING: (90, 180),
            K.WORK_ABILITY_ASSESSMENT: (28, 56), K.CAREER_GUIDANCE: (14, 35)}
SERVICE_WEIGHTS = {K.INDIVIDUAL_COACHING: 30, K.GROUP_COACHING: 18,
                   K.EXPERT_ASSESSMENT: 12, K.LABOUR_MARKET_TRAINING: 14,
                   K.WORK_ABILITY_ASSESSMENT: 12, K.CAREER_GUIDANCE: 14}
# A plan's service line (app/demo/names.py PLAN_SERVICES) carried out by a referral.
PLAN_LINE_SERVICE = {"coaching": K.INDIVIDUAL_COACHING,
                     "labour_market_training": K.LABOUR_MARKET_TRAINING,
                     "expert_assessment": K.EXPERT_ASSESSMENT}
DECLINE_REASONS = {ReferralEndReason.NOT_SUITABLE: 4, ReferralEndReason.NO_PLACES: 3,
                   ReferralEndReason.CUSTOMER_DECLINED: 3}
INTERRUPT_REASONS = {ReferralEndReason.EMPLOYED: 4, ReferralEndReason.HEALTH: 3,
                     ReferralEndReason.CUSTOMER_DECLINED: 2, ReferralEndReason.STUDIES: 2,
                     ReferralEndReason.OTHER: 1}
REFERRAL_NOTES = ("Asiakas toivoo aamupäivän ryhmää.", "Tulkki tarvitaan aloitukseen.",
                  "Palveluntuottaja soittaa asiakkaalle.", None, None, None)
# Where a customer is after a service (weights): a decision's and a completed service's
# outcomes are better than an interrupted one's.
SITUATIONS = {
    "completed": {F.EMPLOYED_OPEN_MARKET: 28, F.EMPLOYED_SUPPORTED: 8, F.STUDIES: 16,
                  F.UNEMPLOYED: 30, F.OTHER_SERVICES: 12, F.UNKNOWN: 6},
    "interrupted": {F.EMPLOYED_OPEN_MARKET: 18, F.EMPLOYED_SUPPORTED: 4, F.STUDIES: 8,
                    F.UNEMPLOYED: 42, F.OTHER_SERVICES: 18, F.UNKNOWN: 10},
    "decision": {F.EMPLOYED_OPEN_MARKET: 30, F.EMPLOYED_SUPPORTED: 22, F.STUDIES: 6,
                 F.UNEMPLOYED: 28, F.OTHER_SERVICES: 8, F.UNKNOWN: 6},
}
# Exits that may follow a completed service, and the service before them.
EXIT_SERVICE = {CaseExitReason.EMPLOYED_OPEN_MARKET: (K.INDIVIDUAL_COACHING,
                                                      K.LABOUR_MARKET_TRAINING,
                                                      K.GROUP_COACHING),
                CaseExitReason.STUDIES: (K.CAREER_GUIDANCE, K.INDIVIDUAL_COACHING),
                CaseExitReason.OTHER_SERVICES: (K.WORK_ABILITY_ASSESSMENT,
                                                K.EXPERT_ASSESSMENT)}
EXIT_DECISION = {CaseExitReason.EMPLOYED_PAY_SUBSIDY: DecisionKind.PAY_SUBSIDY,
                 CaseExitReason.SELF_EMPLOYED: DecisionKind.START_UP_GRANT}


@dataclass(slots=True)
class _Customer:
    id: str
    coach_id: str | None
    point: str  # service point code
    home: str
    registered: date
    closed_on: date | None = None
    exit_reason: CaseExitReason | None = None
    plan_lines: list[tuple[str, str, date | None]] = field(default_factory=list)


@dataclass(slots=True)
class _Contract:
    id: str
    service: ServiceKind
    starts_on: date
    ends_on: date
    points: tuple[str, ...]
    terms: ContractTerms


class _Purchased:
    def __init__(self, conn: Connection, seed: int, today: date, scale: float) -> None:
        self.conn, self.today, self.scale = conn, today, scale
        self.rng = random.Random(seed * 7919 + 20)
        stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
        self.stamp = stamp
        self.providers: list[dict[str, Any]] = []
        self.contract_rows: list[dict[str, Any]] = []
        self.contracts: list[_Contract] = []
        self.referrals: list[dict[str, Any]] = []
        self.decisions: list[dict[str, Any]] = []
        self.followups: list[dict[str, Any]] = []
        self.used_lines: set[str] = set()
        self.used: dict[tuple[str, date], int] = {}  # (contract, period start) -> places
        self.read()

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def synced(self) -> dict[str, Any]:
        return {"version": 1, "hlc": "", "updated_at": self.stamp, "updated_by": None,
                "deleted_at": None}

    def n(self, per_scale: float, least: int) -> int:
        return max(least, round(per_scale * self.scale))

    # --- what the demo made already -------------------------------------------------

    def read(self) -> None:
        conn = self.conn
        self.codes = dict(conn.execute(select(ServicePoint.id, ServicePoint.code)).all())
        staff = conn.execute(select(Staff.id, Staff.username, Staff.role,
                                    Staff.service_point_id)
                             .where(Staff.active.is_(True)).order_by(Staff.id)).all()
        self.coaches: dict[str, list[str]] = {}
        self.leads: list[str] = []
        self.demo_coach: str | None = None
        for sid, username, role, point in staff:
            if role == Role.COACH:
                self.coaches.setdefault(self.codes[point], []).append(sid)
                if username == "coach":
                    self.demo_coach = sid
            elif role == Role.TEAM_LEAD:
                self.leads.append(sid)
        self.customers: dict[str, _Customer] = {}
        for cid, coach, point, home, registered in conn.execute(
                select(Customer.id, Customer.coach_id, Customer.service_point_id,
                       Customer.home_municipality, Customer.jobseeker_registered_on)
                .order_by(Customer.id)):
            self.customers[cid] = _Customer(cid, coach, self.codes[point], home or "",
                                            registered or self.today - timedelta(days=400))
        for cid, closed, reason in conn.execute(
                select(JobSearchPeriod.customer_id, JobSearchPeriod.closed_on,
                       JobSearchPeriod.exit_reason)
                .where(JobSearchPeriod.closed_on.is_not(None))
                .order_by(JobSearchPeriod.customer_id, JobSearchPeriod.closed_on)):
            c = self.customers.get(cid)
            if c is not None and closed is not None and closed >= c.registered:
                # the present period's closing (an earlier one closed before it began)
                c.closed_on, c.exit_reason = closed, reason
        for line_id, cid, service_type, starts in conn.execute(
                select(PlannedService.id, Plan.customer_id, PlannedService.service_type,
                       PlannedService.starts_on)
                .join(PlanVersion, PlanVersion.id == PlannedService.plan_version_id)
                .join(Plan, Plan.id == PlanVersion.plan_id)
                .where(PlannedService.deleted_at.is_(None)).order_by(PlannedService.id)):
            if service_type in PLAN_LINE_SERVICE and cid in self.customers:
                self.customers[cid].plan_lines.append((line_id, service_type, starts))

    def coach_of(self, c: _Customer) -> str | None:
        pool = self.coaches.get(c.point) or [s for ss in self.coaches.values() for s in ss]
        return c.coach_id or (self.rng.choice(pool) if pool else None)

    def lead(self) -> str | None:
        return self.rng.choice(self.leads) if self.leads else None

    # --- providers and contracts ----------------------------------------------------

    def register(self) -> None:
        first_year = self.today.year - 1
        for p in PROVIDERS:
            pid = self.new_id()
            slug = "".join(ch for ch in p.name.lower().split()[0] if ch.isalpha())
            first, last = p.contact.replace("Dos. ", "").split()
            self.providers.append({
                "id": pid, "name": p.name, "business_id": ytunnus(p.body),
                "email": f"{_ascii(first)}.{_ascii(last)}@{slug}.{p.domain}".lower(),
                "phone": f"0{self.rng.choice(('16', '8', '40', '50'))} "
                         f"{self.rng.randint(100, 999)} {self.rng.randint(1000, 9999)}",
                "contact_person": p.contact, "street_address": p.street,
                "postal_code": p.postal_code, "post_office": p.town.upper(), "active": True,
                **self.synced()})
            for offer in p.offers:
                # Two-year contracts from the start of last year; at scale below one the
                # places shrink with the customers.
                starts, ends = date(first_year, 1, 1), date(first_year + 1, 12, 31)
                places = (None if offer.places is None
                          else max(2, round(offer.places * min(1.0, self.scale))))
                lump = offer.lump_euros
                cid = self.new_id()
                self.contract_rows.append({
                    "id": cid, "provider_id": pid, "service": offer.service,
                    "title": offer.title, "starts_on": starts, "ends_on": ends,
                    "places": places, "places_per": offer.per,
                    "unit_price_cents": None if offer.unit_euros is None
                    else offer.unit_euros * 100,
                    "lump_sum_cents": None if lump is None else lump * 100,
                    "service_point_ids": " ".join(i for i, code in sorted(self.codes.items())
                                                  if code in offer.points),
                    "note": None, **self.synced()})
                self.contracts.append(_Contract(cid, offer.service, starts, ends,
                                                offer.points, ContractTerms(
                                                    starts, ends, places, offer.per)))
        # A contract of the year before last, ended: the register shows its history.
        old = self.contract_rows[0]
        old_id = self.new_id()
        self.contract_rows.append({
            **old, "id": old_id, "title": old["title"] + " (edellinen kausi)",
            "starts_on": date(first_year - 1, 1, 1), "ends_on": date(first_year - 1, 12, 31)})

    def contract_for(self, service: ServiceKind, point: str,
                     day: date) -> tuple[_Contract, bool] | None:
        """A contract of the service for the point on `day`, one with a place left in
        that period if there is one; the flag says whether the one chosen is full."""
        fits = [c for c in self.contracts if c.service == service
                and c.starts_on <= day <= c.ends_on and (not c.points or point in c.points)]
        if not fits:
            return None
        free = [c for c in fits if not self.full(c, day)
                and not self.full(c, day + timedelta(days=6))]  # sent within the week
        return (self.rng.choice(free), False) if free else (self.rng.choice(fits), True)

    def period(self, contract: _Contract, day: date) -> tuple[str, date]:
        return contract.id, period_of(contract.terms, day)[0]

    def full(self, contract: _Contract, day: date) -> bool:
        places = contract.terms.places
        return places is not None and self.used.get(self.period(contract, day), 0) >= places

    # --- referrals ------------------------------------------------------------------

    def refer_all(self) -> None:
        rng, today = self.rng, self.today
        year_ago = today - timedelta(days=365)
        people = [c for c in self.customers.values()
                  if c.registered < today - timedelta(days=10)
                  and (c.closed_on is None or c.closed_on > year_ago + timedelta(days=30))]
        count = min(len(people), self.n(REFERRALS_PER_SCALE, 14))
        chosen = rng.sample(people, count)
        # The demo coach's caseload: a handful, so their customers' cards and Today show
        # referrals and follow-ups due.
        mine = [c for c in people if c.coach_id == self.demo_coach and c.closed_on is None]
        extra = [c for c in mine if c not in chosen][:6]
        for c in chosen + extra:
            self.refer(c)
        seasoned = [c for c in mine if c.registered < today - timedelta(days=300)]
        for i, c in enumerate(seasoned[:4]):
            # Completed three to five months ago: the three-month follow-up is due.
            self.refer(c, ended_days=92 + 15 * i)
        self.exits_after_services()

    def refer(self, c: _Customer, ended_days: int | None = None,
              service: ServiceKind | None = None, before: date | None = None) -> None:
        rng, today = self.rng, self.today
        latest = before or (c.closed_on - timedelta(days=45) if c.closed_on
                            else today - timedelta(days=1))
        earliest = max(c.registered + timedelta(days=7), today - timedelta(days=365))
        line = None
        if service is None and c.plan_lines and rng.random() < 0.6:
            free = [ln for ln in c.plan_lines if ln[0] not in self.used_lines]
            if free:
                line = rng.choice(free)
                service = PLAN_LINE_SERVICE[line[1]]
        if service is None:
            service = _weighted(rng, SERVICE_WEIGHTS)
        lo, hi = DURATION[service]
        ended: date | None
        started: date | None
        if ended_days is not None:  # a completed service ending that many days ago
            ended = today - timedelta(days=ended_days)
            started = ended - timedelta(days=rng.randint(lo, hi))
            proposed = started - timedelta(days=rng.randint(14, 35))
        elif before is not None:  # completed shortly before the case closed
            ended = before - timedelta(days=rng.randint(5, 40))
            started = ended - timedelta(days=rng.randint(lo, hi))
            proposed = started - timedelta(days=rng.randint(14, 35))
        else:
            if line is not None and line[2] is not None:
                proposed = line[2] - timedelta(days=rng.randint(7, 21))
            else:
                proposed = earliest + timedelta(days=rng.randint(
                    0, max(0, (latest - earliest).days)))
            proposed = min(max(proposed, earliest), today - timedelta(days=1))
            if c.closed_on is not None and proposed > c.closed_on - timedelta(days=30):
                return  # too near the case's end to begin a service
            ended = started = None  # drawn below
        if proposed < today - timedelta(days=400) or proposed < c.registered:
            return  # before the demo's year (and its contracts), or the customer's case
        chosen = self.contract_for(service, c.point, proposed)
        if chosen is None:
            return
        contract, full = chosen
        if full and started is not None:
            return  # a completed service had a place; this one would not have
        if line is not None:
            self.used_lines.add(line[0])
        row: dict[str, Any] = {
            "id": self.new_id(), "customer_id": c.id, "contract_id": contract.id,
            "plan_service_id": line[0] if line else None, "coach_id": self.coach_of(c),
            "state": S.PROPOSED, "proposed_on": proposed, "sent_on": None,
            "answered_on": None, "started_on": None, "ended_on": None, "end_reason": None,
            "note": rng.choice(REFERRAL_NOTES), **self.synced()}
        if started is not None and ended is not None:
            row.update(state=S.COMPLETED, sent_on=proposed + timedelta(days=2),
                       answered_on=started - timedelta(days=rng.randint(3, 10)),
                       started_on=started, ended_on=ended)
        else:
            self.progress(row, service, c.closed_on or today, full)
            if c.closed_on is not None and row["state"] in (S.SENT, S.ACCEPTED):
                # The case closed before the service began: the customer withdrew.
                done = {"state": S.DECLINED, "answered_on": c.closed_on} \
                    if row["state"] == S.SENT else {"state": S.INTERRUPTED,
                                                    "ended_on": c.closed_on}
                row.update(done, end_reason=ReferralEndReason.CUSTOMER_DECLINED)
        if row["state"] in USES_A_PLACE:
            key = self.period(contract, row["sent_on"])
            self.used[key] = self.used.get(key, 0) + 1
        self.referrals.append(row)

    def progress(self, row: dict[str, Any], service: ServiceKind, stop: date,
                 full: bool) -> None:
        """Each step on its own day while it is before `stop` (today or the day the case
        closed); a case that closed mid-service interrupted it. A referral to a full
        contract is declined for want of places."""
        rng = self.rng
        day = row["proposed_on"] + timedelta(days=rng.randint(0, 6))
        if day >= stop or (stop == self.today and rng.random() < 0.04):
            return  # still a proposal
        row.update(state=S.SENT, sent_on=day)
        day += timedelta(days=rng.randint(4, 16))
        if day >= stop:
            return
        if full or rng.random() < 0.08:
            row.update(state=S.DECLINED, answered_on=day,
                       end_reason=ReferralEndReason.NO_PLACES if full
                       else _weighted(rng, DECLINE_REASONS))
            return
        row.update(state=S.ACCEPTED, answered_on=day)
        day += timedelta(days=rng.randint(5, 28))
        if day >= stop:
            return
        row.update(state=S.STARTED, started_on=day)
        lo, hi = DURATION[service]
        end = day + timedelta(days=rng.randint(lo, hi))
        if end >= stop:
            if stop < self.today:  # the case closed while the service went on
                row.update(state=S.INTERRUPTED, ended_on=stop,
                           end_reason=ReferralEndReason.EMPLOYED)
            return
        if rng.random() < 0.15:
            row.update(state=S.INTERRUPTED, ended_on=day + timedelta(
                days=rng.randint(3, max(4, (end - day).days))),
                end_reason=_weighted(rng, INTERRUPT_REASONS))
        else:
            row.update(state=S.COMPLETED, ended_on=end)

    def exits_after_services(self) -> None:
        """Some of the year's exits with work or studies came after a completed service;
        some pay-subsidised jobs and businesses began with a decision on the exit day."""
        rng = self.rng
        for c in self.customers.values():
            if c.closed_on is None or c.exit_reason is None \
                    or c.closed_on < self.today - timedelta(days=330):
                continue
            if c.exit_reason in EXIT_SERVICE and rng.random() < EXIT_SERVICE_SHARE:
                self.refer(c, service=rng.choice(EXIT_SERVICE[c.exit_reason]),
                           before=c.closed_on)
            elif c.exit_reason in EXIT_DECISION and rng.random() < 0.5:
                self.decide(c, EXIT_DECISION[c.exit_reason], starts=c.closed_on)

    def draft_versions(self) -> None:
        """A few plans under review: a draft next version copied from the accepted one,
        whose copied service line names its running referral (`plan_service.referral_id`,
        as the plan service's new draft carries it), the demo coach's customers first."""
        running = [r for r in self.referrals if r["plan_service_id"]
                   and r["state"] in (S.SENT, S.ACCEPTED, S.STARTED)]
        running.sort(key=lambda r: self.customers[r["customer_id"]].coach_id
                     != self.demo_coach)
        versions: list[dict[str, Any]] = []
        goals: list[dict[str, Any]] = []
        actions: list[dict[str, Any]] = []
        services: list[dict[str, Any]] = []
        drafted: set[str] = set()
        for r in running[:max(2, round(6 * min(1.0, self.scale)))]:
            tables = (PlanVersion.__table__, PlanGoal.__table__, PlanAction.__table__,
                      PlannedService.__table__)
            pv, pg, pa, ps = tables
            line = self.conn.execute(select(ps).where(ps.c.id == r["plan_service_id"])
                                     ).mappings().one()
            old = self.conn.execute(select(pv).where(pv.c.id == line["plan_version_id"])
                                    ).mappings().one()
            if old["plan_id"] in drafted:
                continue
            drafted.add(old["plan_id"])
            new_id = self.new_id()
            versions.append({**old, "id": new_id, "number": old["number"] + 1,
                             "status": PlanStatus.DRAFT, "based_on_id": old["id"],
                             "accepted_how": None, "accepted_at": None, "accepted_by": None,
                             **self.synced()})
            for table, out in ((pg, goals), (pa, actions), (ps, services)):
                for child in self.conn.execute(select(table).where(
                        table.c.plan_version_id == old["id"]).order_by(table.c.id)
                        ).mappings():
                    copy = {**child, "id": self.new_id(), "plan_version_id": new_id,
                            **self.synced()}
                    if table is ps and child["id"] == r["plan_service_id"]:
                        copy["referral_id"] = r["id"]
                    out.append(copy)
        for table, rows in ((PlanVersion.__table__, versions), (PlanGoal.__table__, goals),
                            (PlanAction.__table__, actions),
                            (PlannedService.__table__, services)):
            if rows:
                self.conn.execute(insert(table), rows)

    # --- decisions ------------------------------------------------------------------

    def decide_all(self) -> None:
        rng, today = self.rng, self.today
        people = [c for c in self.customers.values()
                  if c.closed_on is None and c.registered < today - timedelta(days=30)]
        count = min(len(people), self.n(DECISIONS_PER_SCALE, 8))
        for i, c in enumerate(rng.sample(people, count)):
            kind = _weighted(rng, DECISION_WEIGHTS)
            starts = today + timedelta(days=rng.randint(-330, 30))
            self.decide(c, kind, starts=max(starts, c.registered + timedelta(days=21)),
                        draft=i < 3 or None)
        self.replace_one()

    def decide(self, c: _Customer, kind: DecisionKind, starts: date,
               draft: bool | None = None) -> dict[str, Any]:
        rng, today = self.rng, self.today
        if kind is DecisionKind.START_UP_GRANT:
            employer, body = rng.choice(START_UPS)
            months, hours, pct = 6, None, None
            amount: int | None = months * rng.choice((740, 770, 800)) * 100
        else:
            employer, body = rng.choice(EMPLOYERS)
            if kind is DecisionKind.PAY_SUBSIDY:
                months = rng.choice((6, 6, 8, 10, 12))
                hours = rng.choice((30.0, 37.5, 37.5, 25.0))
                pct = rng.choice((50, 50, 70)) if not employer.endswith("ry") else 100
                pay = rng.randint(2100, 2900) * hours / 37.5
                amount = round(months * pay * pct / 100 / 10) * 1000
            else:
                months, hours, pct, amount = rng.choice((1, 2, 3, 6)), 25.0, None, None
        ends = add_months(starts, months) - timedelta(days=1)
        if draft is None:
            draft = starts > today - timedelta(days=7) and rng.random() < 0.4
        drafted = starts - timedelta(days=rng.randint(7, 30))
        municipality = c.home if c.home in AREA_MUNICIPALITIES else (
            "Ranua" if c.point == "RAN" else "Rovaniemi")
        row: dict[str, Any] = {
            "id": self.new_id(), "customer_id": c.id, "kind": kind,
            "status": DecisionStatus.DRAFT, "employer_name": employer,
            "employer_business_id": ytunnus(body), "starts_on": starts, "ends_on": ends,
            "hours_per_week": hours, "percentage": pct, "amount_cents": amount,
            "paying_municipality": municipality, "drafted_by": self.coach_of(c),
            "decided_on": None, "decided_by": None, "ended_on": None, "end_reason": None,
            "replaces_id": None, "replaced_by_id": None, "note": None, **self.synced()}
        if not draft:
            decided = min(today, max(drafted + timedelta(days=rng.randint(1, 10)),
                                     starts - timedelta(days=14)))
            row.update(status=DecisionStatus.DECIDED, decided_on=decided,
                       decided_by=self.lead())
            if starts < today - timedelta(days=20) and rng.random() < 0.12:
                last = min(ends, today - timedelta(days=1))
                row.update(status=DecisionStatus.ENDED,
                           ended_on=starts + timedelta(days=rng.randint(
                               7, max(8, (last - starts).days))),
                           end_reason=rng.choice(EARLY_ENDS))
        self.decisions.append(row)
        return row

    def replace_one(self) -> None:
        """A running pay subsidy replaced by a longer one (the history kept)."""
        today = self.today
        for old in self.decisions:
            if (old["kind"] is DecisionKind.PAY_SUBSIDY
                    and old["status"] == DecisionStatus.DECIDED
                    and old["starts_on"] < today - timedelta(days=60) < old["ends_on"]):
                new_starts = today - timedelta(days=30)
                new = {**old, "id": self.new_id(), "starts_on": new_starts,
                       "ends_on": add_months(old["ends_on"], 6), "hours_per_week": 30.0,
                       "amount_cents": (old["amount_cents"] or 0) // 2 + 500000,
                       "decided_on": new_starts - timedelta(days=5),
                       "replaces_id": old["id"], "note": REPLACE_NOTE, **self.synced()}
                old.update(status=DecisionStatus.REPLACED, replaced_by_id=new["id"])
                self.decisions.append(new)
                return

    # --- effect follow-ups ----------------------------------------------------------

    def follow_up(self) -> None:
        rng, today = self.rng, self.today
        ended: list[tuple[str, str, date, str, bool]] = []  # source, cid, end, kind, demo
        for r in self.referrals:
            if r["state"] in (S.COMPLETED, S.INTERRUPTED):
                ended.append((r["id"], r["customer_id"], r["ended_on"], str(r["state"]),
                              r["proposed_on"] >= today - timedelta(days=200)))
        for d in self.decisions:
            end = d["ended_on"] if d["status"] == DecisionStatus.ENDED else (
                d["ends_on"] if d["status"] in (DecisionStatus.DECIDED,
                                                DecisionStatus.REPLACED)
                and d["ends_on"] < today else None)
            if end is not None:
                ended.append((d["id"], d["customer_id"], end, "decision", False))
        for source_id, cid, end, kind, _recent in ended:
            c = self.customers[cid]
            previous: FollowupSituation | None = None
            for months in (3, 6):
                due = add_months(end, months)
                if due > today or (c.closed_on is not None and c.closed_on <= due):
                    continue
                # The demo coach's latest are left for Today; others, a few at random.
                fresh = due > today - timedelta(days=60)
                if (c.coach_id == self.demo_coach and fresh) or (
                        fresh and rng.random() < UNANSWERED_SHARE * 2) or (
                        rng.random() < UNANSWERED_SHARE / 2):
                    continue
                if previous is not None and rng.random() < 0.7:
                    situation = previous  # most are where they were three months before
                else:
                    situation = _weighted(rng, SITUATIONS[kind])
                previous = situation
                answered = min(today, due + timedelta(days=rng.randint(0, 21)))
                self.followups.append({
                    "id": followup_id(source_id, months), "customer_id": cid,
                    "referral_id": None if kind == "decision" else source_id,
                    "decision_id": source_id if kind == "decision" else None,
                    "months": months, "due_on": due, "situation": situation,
                    "answered_on": answered, "answered_by": self.coach_of(c),
                    **self.synced()})

    def ledger(self) -> list[dict[str, Any]]:
        """The centre's place ledger as a pull would have brought it: one row per
        referral (the demo database holds every referral, so it counts the same)."""
        point_ids = {code: pid for pid, code in self.codes.items()}
        out = []
        for r in self.referrals:
            c = self.customers[r["customer_id"]]
            out.append({"id": r["id"], "contract_id": r["contract_id"],
                        "sent_on": r.get("sent_on"),
                        "holds_place": r.get("sent_on") is not None
                        and r["state"] in USES_A_PLACE,
                        "home_municipality": c.home, "service_point_id": point_ids[c.point],
                        **self.synced()})
        return out

    def write(self) -> None:
        for table, rows in ((ServiceProvider.__table__, self.providers),
                            (ServiceContract.__table__, self.contract_rows),
                            (Referral.__table__, self.referrals),
                            (ContractPlace.__table__, self.ledger()),
                            (SupportDecision.__table__, self.decisions),
                            (EffectFollowup.__table__, self.followups)):
            if rows:
                self.conn.execute(insert(table), rows)


def add_purchased(conn: Connection, seed: int, today: date, scale: float) -> None:
    """The purchased services' demo rows (see the module's docstring)."""
    maker = _Purchased(conn, seed, today, scale)
    maker.register()
    maker.refer_all()
    maker.draft_versions()
    maker.decide_all()
    maker.follow_up()
    maker.write()


def _weighted(rng: random.Random, weights: Mapping[Any, float]) -> Any:
    return rng.choices(list(weights), list(weights.values()))[0]


def _ascii(text: str) -> str:
    return text.translate(str.maketrans("äöåÄÖÅ", "aoaAOA"))
