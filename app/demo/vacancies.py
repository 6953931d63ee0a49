"""Demo vacancies and job tips (#22): a year of the demo employers' vacancies and
recruitment needs (some hidden, i.e. not advertised, some open to pay subsidy; open,
filled, closed without a hire, cancelled), and the area's job seekers proposed for them
with their outcomes (applied, interviewed, not chosen; still only proposed).

The hires are the demo's own case exits: a customer whose case closed with employment in
the open labour market in the last year (app/demo/cases.py) was, for many of them, hired
through a vacancy here on the day their case closed, so the tip and the closed case agree
(some of them long-term unemployed). Open cases get proposals that are still under
way or ended without a hire. The demo coach's own customers get some, so their cards
show job tips.

Runs after the employers are in the database (it reads them, the staff, the customers and
their closed cases from it), with its own `random.Random` derived from the seed: the
same seed, scale and today give the same rows. Rows go in with Core inserts as if
pulled (version 1, no outbox), like the rest of the demo. Without employers it adds
nothing."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select

from app.models import Customer, Employer, JobProposal, JobSearchPeriod, Staff, Team, Vacancy
from app.rules.codes import (
    CaseExitReason,
    ProposalOutcome,
    Role,
    ServiceArea,
    VacancyHours,
    VacancyStatus,
)
from app.rules.employers import proposal_id

# Vacancy titles by TOL 2008 main class (Finnish occupational titles, as employers write).
TITLES: dict[str, tuple[str, ...]] = {
    "A": ("Metsäkoneenkuljettaja", "Maatalouslomittaja", "Porotilan kausityöntekijä"),
    "B": ("Kaivosmies", "Louhintatyöntekijä"),
    "C": ("Koneistaja", "Hitsaaja", "Tuotantotyöntekijä", "Puusepän kisälli"),
    "D": ("Sähköasentaja", "Voimalaitoksen käyttäjä"),
    "E": ("Jäteauton kuljettaja", "Vesihuoltoasentaja"),
    "F": ("Kirvesmies", "Rakennusapumies", "Maalari", "Putkiasentaja", "Työnjohtaja"),
    "G": ("Myyjä", "Varastotyöntekijä", "Autonasentaja", "Kassa-asiakaspalvelija"),
    "H": ("Linja-autonkuljettaja", "Kuorma-autonkuljettaja", "Taksinkuljettaja"),
    "I": ("Kokki", "Tarjoilija", "Hotellisiivooja", "Safarioppaan kausityö",
          "Vastaanottovirkailija"),
    "J": ("Ohjelmistokehittäjä", "IT-tukihenkilö"),
    "K": ("Asiakasneuvoja",),
    "L": ("Kiinteistönhoitaja", "Huoltomies"),
    "M": ("Suunnitteluavustaja", "Kirjanpitäjä"),
    "N": ("Siivooja", "Vartija", "Laitoshuoltaja"),
    "O": ("Toimistosihteeri", "Kunnan kesätyöntekijä"),
    "P": ("Koulunkäynninohjaaja", "Varhaiskasvatuksen lastenhoitaja"),
    "Q": ("Lähihoitaja", "Sairaanhoitaja", "Hoiva-avustaja", "Henkilökohtainen avustaja"),
    "R": ("Liikuntapaikkojen hoitaja", "Tapahtumatyöntekijä"),
    "S": ("Kampaaja", "Pesulatyöntekijä"),
}
GENERAL_TITLES = ("Asiakaspalvelija", "Työntekijä", "Kausityöntekijä")
# What a worker chose to tell an employer of a job seeker: skills, never the case.
SHARED = (
    "Ammattitutkinto ja usean vuoden kokemus alalta.",
    "Hygieniapassi ja anniskelupassi.",
    "B-ajokortti, valmis vuorotyöhön.",
    "Työturvallisuuskortti ja tulityökortti voimassa.",
    "Kiinnostunut alasta, aloittaa heti.",
    "Puhuu suomea, ruotsia ja englantia.",
    "",
    "",
)
STATUSES_LATER = {VacancyStatus.FILLED: 45, VacancyStatus.CLOSED: 20,
                  VacancyStatus.CANCELLED: 10, VacancyStatus.OPEN: 25}
HOURS = {VacancyHours.FULL_TIME: 55, VacancyHours.PART_TIME: 20, VacancyHours.SHIFTS: 20,
         VacancyHours.OTHER: 5}
OPEN_OUTCOMES = {ProposalOutcome.PROPOSED: 40, ProposalOutcome.APPLIED: 30,
                 ProposalOutcome.INTERVIEWED: 20, ProposalOutcome.NOT_CHOSEN: 10}
ENDED_OUTCOMES = {ProposalOutcome.NOT_CHOSEN: 60, ProposalOutcome.APPLIED: 25,
                  ProposalOutcome.INTERVIEWED: 15}
HIRED_SHARE = 0.4  # of the year's exits to open-market work, hired through a vacancy


@dataclass
class _Seeker:
    id: str
    coach_id: str | None
    home: str
    opened_on: date  # the current period's start
    active: bool
    closed_on: date | None = None
    exit_reason: str | None = None


@dataclass
class _Vacancy:
    row: dict[str, Any]
    hires: list[date]


class _Vacancies:
    def __init__(self, conn: Connection, seed: int, today: date, scale: float) -> None:
        self.conn, self.today, self.scale = conn, today, scale
        self.rng = random.Random(seed * 7919 + 22)
        self.stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
        self.vacancies: list[_Vacancy] = []
        self.proposals: list[dict[str, Any]] = []
        self.pairs: set[tuple[str, str]] = set()
        self.read()

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def synced(self) -> dict[str, Any]:
        return {"version": 1, "hlc": "", "updated_at": self.stamp, "updated_by": None,
                "deleted_at": None}

    # --- what the demo made already -------------------------------------------------

    def read(self) -> None:
        conn = self.conn
        self.employers = conn.execute(
            select(Employer.id, Employer.industry, Employer.municipality,
                   Employer.contact_staff_id, Employer.active)
            .where(Employer.deleted_at.is_(None)).order_by(Employer.id)).all()
        finding = set(conn.execute(select(Team.id).where(
            Team.service_area == ServiceArea.FINDING_WORK)).scalars())
        self.staff: list[str] = []
        self.demo_coach: str | None = None
        for sid, username, role, team in conn.execute(
                select(Staff.id, Staff.username, Staff.role, Staff.team_id)
                .where(Staff.active.is_(True)).order_by(Staff.id)):
            if role == Role.COACH and team in finding:
                self.staff.append(sid)
            if username == "coach":
                self.demo_coach = sid
        if not self.staff:
            self.staff = list(conn.execute(select(Staff.id).where(
                Staff.role == Role.COACH).order_by(Staff.id)).scalars())
        self.seekers: dict[str, _Seeker] = {}
        for cid, coach, home, registered, active in conn.execute(
                select(Customer.id, Customer.coach_id, Customer.home_municipality,
                       Customer.jobseeker_registered_on, Customer.active)
                .where(Customer.deleted_at.is_(None)).order_by(Customer.id)):
            self.seekers[cid] = _Seeker(cid, coach, home or "",
                                        registered or self.today - timedelta(days=400),
                                        bool(active))
        for cid, opened, closed, reason in conn.execute(
                select(JobSearchPeriod.customer_id, JobSearchPeriod.opened_on,
                       JobSearchPeriod.closed_on, JobSearchPeriod.exit_reason)
                .where(JobSearchPeriod.deleted_at.is_(None))
                .order_by(JobSearchPeriod.customer_id, JobSearchPeriod.opened_on)):
            seeker = self.seekers.get(cid)
            if seeker is None:
                continue
            # The latest period decides (rows come oldest first).
            seeker.opened_on, seeker.closed_on = opened, closed
            seeker.exit_reason = str(reason) if reason else None

    # --- vacancies ------------------------------------------------------------------

    def open_vacancies(self) -> None:
        rng, today = self.rng, self.today
        employers = [e for e in self.employers if e.active] or list(self.employers)
        count = max(12, round(len(employers) * 1.2))
        for _ in range(count):
            eid, industry, municipality, contact, _active = rng.choice(employers)
            opened = today - timedelta(days=rng.randint(1, 365))
            age = (today - opened).days
            status = VacancyStatus.OPEN if age < 30 else rng.choices(
                list(STATUSES_LATER), list(STATUSES_LATER.values()))[0]
            closed = None
            if status is not VacancyStatus.OPEN:
                closed = min(today - timedelta(days=1),
                             opened + timedelta(days=rng.randint(14, 90)))
            starts = opened + timedelta(days=rng.randint(14, 60))
            apply_by = opened + timedelta(days=rng.randint(7, 13))
            title = rng.choice(TITLES.get(industry or "", GENERAL_TITLES))
            self.vacancies.append(_Vacancy({
                "id": self.new_id(), "employer_id": eid, "title": title, "occupation": title,
                "municipality": municipality or "Rovaniemi",
                "hours": rng.choices(list(HOURS), list(HOURS.values()))[0],
                "starts_on": starts, "positions": rng.choices((1, 2, 3, 5), (70, 18, 8, 4))[0],
                "apply_by": apply_by, "hidden": rng.random() < 0.3,
                "pay_subsidy_possible": rng.random() < 0.25, "status": status,
                "opened_on": opened, "closed_on": closed,
                "staff_id": contact or (rng.choice(self.staff) if self.staff else None),
                "description": None, **self.synced()}, []))

    # --- proposals --------------------------------------------------------------------

    def propose(self, v: _Vacancy, seeker: _Seeker, proposed: date,
                outcome: ProposalOutcome, outcome_on: date | None) -> None:
        key = (v.row["id"], seeker.id)
        if key in self.pairs:
            return
        self.pairs.add(key)
        by = seeker.coach_id or v.row["staff_id"]
        self.proposals.append({
            "id": proposal_id(*key), "vacancy_id": key[0], "customer_id": key[1],
            "proposed_by": by, "proposed_on": proposed, "outcome": outcome,
            "outcome_on": outcome_on, "shared": self.rng.choice(SHARED) or None,
            **self.synced()})
        if outcome is ProposalOutcome.HIRED and outcome_on is not None:
            v.hires.append(outcome_on)

    def hire_the_employed(self) -> None:
        """Many of the year's exits to open-market work were hired through a vacancy
        opened one to three months before the day the case closed."""
        rng, year_ago = self.rng, self.today - timedelta(days=365)
        employed = [s for s in self.seekers.values()
                    if s.closed_on is not None and s.closed_on >= year_ago
                    and s.exit_reason == CaseExitReason.EMPLOYED_OPEN_MARKET.value]
        for seeker in employed:
            assert seeker.closed_on is not None
            if rng.random() >= HIRED_SHARE:
                continue
            hired = seeker.closed_on
            fitting = [v for v in self.vacancies
                       if v.row["opened_on"] <= hired - timedelta(days=10)
                       and v.row["opened_on"] >= hired - timedelta(days=100)
                       and len(v.hires) < v.row["positions"]]
            if not fitting:
                continue
            v = rng.choice(fitting)
            earliest = max(v.row["opened_on"], seeker.opened_on)
            latest = hired - timedelta(days=7)
            if earliest > latest:
                continue
            proposed = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
            self.propose(v, seeker, proposed, ProposalOutcome.HIRED, hired)

    def propose_the_open(self) -> None:
        """Open cases proposed for vacancies: under way while the vacancy is open, ended
        without a hire once it is not. The demo coach's customers among them."""
        rng, today = self.rng, self.today
        active = [s for s in self.seekers.values() if s.active and s.closed_on is None]
        if not active:
            return
        by_home: dict[str, list[_Seeker]] = {}
        for s in active:
            by_home.setdefault(s.home, []).append(s)
        own = [s for s in active if self.demo_coach and s.coach_id == self.demo_coach]
        for v in self.vacancies:
            row = v.row
            pool = by_home.get(row["municipality"]) or active
            ends = row["closed_on"] or today
            for _ in range(rng.choices((0, 1, 2, 3, 4), (15, 25, 30, 20, 10))[0]):
                seeker = rng.choice(pool)
                self.propose_one(v, seeker, ends)
            if own and row["status"] is VacancyStatus.OPEN and rng.random() < 0.3:
                self.propose_one(v, rng.choice(own), ends)

    def propose_one(self, v: _Vacancy, seeker: _Seeker, ends: date) -> None:
        rng, row = self.rng, v.row
        earliest = max(row["opened_on"], seeker.opened_on)
        if earliest > ends:
            return
        proposed = earliest + timedelta(days=rng.randint(0, min(30, (ends - earliest).days)))
        weights = OPEN_OUTCOMES if row["status"] is VacancyStatus.OPEN else ENDED_OUTCOMES
        outcome = rng.choices(list(weights), list(weights.values()))[0]
        outcome_on = None
        if outcome is not ProposalOutcome.PROPOSED:
            outcome_on = min(ends, self.today, proposed + timedelta(days=rng.randint(3, 21)))
        self.propose(v, seeker, proposed, outcome, outcome_on)

    def settle(self) -> None:
        """A vacancy whose positions were all filled by hires here is filled on the day
        of the last; one with a hire that was closed or cancelled was filled after all.
        (Before the other proposals: they end when the vacancy does.)"""
        for v in self.vacancies:
            if not v.hires:
                continue
            row, last = v.row, max(v.hires)
            if len(v.hires) >= row["positions"] or row["status"] in (
                    VacancyStatus.CLOSED, VacancyStatus.CANCELLED, VacancyStatus.FILLED):
                row["status"] = VacancyStatus.FILLED
                row["closed_on"] = max(last, row["closed_on"] or last)

    def write(self) -> None:
        rows = [v.row for v in self.vacancies]
        if rows:
            self.conn.execute(insert(Vacancy.__table__), rows)
        if self.proposals:
            self.conn.execute(insert(JobProposal.__table__), self.proposals)


def add_vacancies(conn: Connection, seed: int, today: date, scale: float) -> None:
    """The vacancies and job tips of the demo employers (see the module's docstring)."""
    maker = _Vacancies(conn, seed, today, scale)
    if not maker.employers:
        return
    maker.open_vacancies()
    maker.hire_the_employed()
    maker.settle()
    maker.propose_the_open()
    maker.write()
