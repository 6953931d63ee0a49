"""Reproducible, realistic demo data for an empty local database.

`build_demo()` fills a migrated SQLite database with the Rovaseutu organisation (two
service points, seven teams, about 80 staff), about 4 600 customers per unit of `scale`
and a year of their service history. Decisions worth knowing:

- Reproducible: one `random.Random(seed)` draws everything, the ids included, and every
  time derives from `today`; the same seed, scale and today give the same rows. The one
  exception is the argon2 verifier in `staff_credential` (local only): its salt is random.
- The rows look as if already pulled from the central database (version 1, empty hlc, no
  outbox entries), so nothing is pushed on the first sync.
- One transaction for the whole build: cancelling, or any error, rolls everything back
  and leaves the database as it was. It holds SQLite's write lock until done, which is
  fine for a demo database. Rows go in with Core bulk inserts in chunks; the ORM (and its
  outbox hooks) is never involved.
- Caseloads never exceed the cap of 120. At scale 1 every customer has a coach (about 72
  each); above about scale 1.6 there are more customers than 64 coaches can hold, and the
  rest are left without a coach (`coach_id` NULL), as a real backlog would be.
- Today's queue is a late-morning snapshot (11:30 local time) of the Rovaniemi queue,
  made only when `today` is a working day.
"""

from __future__ import annotations

import bisect
import random
import threading
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import holidays
from argon2 import PasswordHasher
from sqlalchemy import Engine, Table, func, insert, select
from sqlalchemy.engine import Connection

from app.demo import names as words
from app.demo.appointments import add_calendar
from app.demo.cases import CaseMaker, release_coaches
from app.demo.coaching import add_coaching
from app.demo.employers import build_employers
from app.demo.events import add_events
from app.demo.feedback import add_demo_pins
from app.demo.messages import add_messages
from app.demo.partners import add_partner_account, add_partners
from app.demo.purchased import add_purchased
from app.demo.rooms import add_rooms
from app.demo.vacancies import add_vacancies
from app.i18n import HELSINKI, N_
from app.models import (
    Appointment,
    CaseFacts,
    Customer,
    CustomerNote,
    Feedback,
    FeedbackReplyRequest,
    JobSearchPeriod,
    OfferedService,
    Plan,
    PlanAction,
    PlanGoal,
    PlannedService,
    PlanVersion,
    QueueTicket,
    ServicePoint,
    Staff,
    StaffCredential,
    Team,
    UnemploymentPeriod,
    Visit,
)
from app.rules import hetu as hetu_rules
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    BenefitType,
    Channel,
    PlanStatus,
    PlanType,
    Role,
    ServiceArea,
    ServicePointMode,
    TicketState,
)
from app.rules.customer import customer_number, sort_name
from app.rules.plan_vocabulary import PRINT_LANGUAGES, print_language
from app.rules.queue import built_in_services, service_id

DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS: dict[str, Role] = {
    "desk": Role.DESK, "coach": Role.COACH, "lead": Role.TEAM_LEAD, "admin": Role.ADMIN,
}

CASELOAD_CAP = 120
CHUNK = 5000
CUSTOMERS_PER_SCALE = 4600
RANUA_SHARE = 0.05
# Visits per unit of scale. Booked appointments follow the customers' job-search
# conversation rhythm (about 11 000 visits at scale 1, fewer per customer when calendars
# fill up at large scales); walk-ins, phone and video calls make up the rest in this ratio.
VISITS_PER_SCALE = 25000
WALK_INS, PHONE_CALLS, VIDEO_CALLS = 8800, 3900, 1100
FEEDBACK_PER_SCALE = 3000
TICKETS_PER_SCALE = 15
QUEUE_NOW = 11 * 60 + 30  # the queue snapshot's local time, minutes after midnight
# Walk-ins arrive 8:00-15:30 (half-hour bins), peaking mid-morning and after lunch.
WALK_IN_ARRIVALS = range(8 * 60, 15 * 60 + 30, 30)
WALK_IN_WEIGHTS = (6, 9, 10, 10, 8, 6, 7, 8, 7, 5, 4, 3, 2, 1, 1)

A = ServiceArea
# Team name, service area, industry sector, coaches, of whom at Ranua (the plan's 27/16/17/4).
TEAMS = (
    ("Alkupalvelut", A.INITIAL, None, 9, 1),
    ("Työnvälitys: teollisuus ja rakentaminen", A.FINDING_WORK, "Teollisuus ja rakentaminen",
     6, 0),
    ("Työnvälitys: palvelut ja kauppa", A.FINDING_WORK, "Palvelut ja kauppa", 6, 1),
    ("Työnvälitys: sosiaali- ja terveysala", A.FINDING_WORK, "Sosiaali- ja terveysala", 6, 0),
    ("Osaamisen kehittäminen", A.SKILLS, None, 16, 1),
    ("Työkyvyn tuki ja monialaiset palvelut", A.WORK_ABILITY, None, 17, 1),
    ("Kotoutumisen edistäminen", A.INTEGRATION, None, 4, 0),
)
# The team of the "coach" and "lead" demo accounts.
DEMO_TEAM = "Työnvälitys: palvelut ja kauppa"
DESK_STAFF = 6
SERVICE_POINTS = (
    ("ROV", "Rovaniemi – Osaamo", "Rovaniemi", ServicePointMode.WALK_IN,
     "information,initial,finding_work,skills,work_ability,integration,employer"),
    ("RAN", "Ranua", "Ranua", ServicePointMode.APPOINTMENT, "information,initial,finding_work"),
)
# Demo addresses (street, postal code, phone): made up, in the right towns.
POINT_ADDRESSES = {
    "ROV": ("Koskikatu 25", "96200", "016 322 0000"),
    "RAN": ("Keskustie 10", "97700", "016 355 0000"),
}
# Half-hour appointment slots: 8:00-11:00 and 12:00-16:00 (lunch between).
SLOT_STARTS = tuple(8 * 60 + 30 * i for i in range(6)) + tuple(12 * 60 + 30 * i for i in range(8))
APPOINTMENT_MINUTES = {
    AppointmentType.INITIAL_INTERVIEW: 60, AppointmentType.JOB_SEARCH_CONVERSATION: 45,
    AppointmentType.PLAN_REVIEW: 45, AppointmentType.MULTI_PROFESSIONAL: 60,
    AppointmentType.OTHER: 30,
}

ProgressFn = Callable[[str, float], None]


class DemoCancelled(Exception):
    """The build was cancelled; its transaction was rolled back."""


@dataclass(frozen=True)
class DemoSummary:
    service_points: int
    teams: int
    staff: int
    customers: int
    visits: int
    appointments: int
    tickets: int
    plans: int
    feedback: int
    rovaniemi_share: float  # share of customers whose service point is Rovaniemi


def build_demo(engine: Engine, *, seed: int = 1, scale: float = 1.0,
               today: date | None = None, progress: ProgressFn | None = None,
               cancel: threading.Event | None = None,
               queue_now: int | None = None) -> DemoSummary:
    """Fill an empty, migrated database with demo data. Raises ValueError when it is not
    empty and DemoCancelled (after rolling everything back) when `cancel` is set.

    `queue_now` (local minutes after midnight) makes today's queue a snapshot of that
    moment, on any day: the application passes the current time, so a demo opened in
    the evening or at a weekend still shows a live queue with sensible waiting times."""
    if not scale > 0:
        raise ValueError("The demo scale must be greater than zero.")
    # Hashing is deliberately slow: once, shared by every demo account.
    verifier = PasswordHasher().hash(DEMO_PASSWORD)
    with engine.begin() as conn:
        _refuse_non_empty(conn)
        writer = _Writer(conn, progress, cancel)
        demo = _Demo(random.Random(seed), scale, today or date.today(), verifier)
        if queue_now is not None:
            demo.queue_now, demo.queue_any_day = queue_now, True
        summary = demo.run(writer)
        add_demo_pins(conn)
        add_coaching(conn, seed, demo.today)
        release_coaches(conn, demo.cases)
        add_calendar(conn, demo.today, seed)
        add_rooms(conn, demo.today, seed)  # rooms, booked rooms, Ranua visiting days (#21)
        add_purchased(conn, seed, demo.today, scale)
        build_employers(conn, seed, demo.today, scale)  # the employer register (#22)
        # After the employers: it reads them (and the year's case exits) back.
        add_vacancies(conn, seed, demo.today, scale)
        # After the rooms and the employers: the year's events book free rooms (#21).
        add_events(conn, seed, demo.today, scale)
        # Last: the messages follow the appointments and the events' lists (#23).
        add_messages(conn, seed, demo.today, demo.at(demo.today, demo.queue_now))
        # After the appointments and plans: multi-professional work reads them (#24).
        add_partners(conn, seed, demo.today)
        # A partner's own account (#24), its reach the consents given to its school.
        partner = add_partner_account(conn, seed, demo.today, verifier)
        summary = replace(summary, staff=summary.staff + partner["partner_account"])
        add_demo_pins(conn)  # again: the partner's account has its PIN too
        writer.check_cancel()
    return summary


def _refuse_non_empty(conn: Connection) -> None:
    if conn.execute(select(func.count()).select_from(Customer.__table__)).scalar_one():
        raise ValueError(
            "The database already has customers; demo data goes only into an empty database."
        )
    for table in (ServicePoint.__table__, Staff.__table__):
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            raise ValueError(
                f"The database already has rows in {table.name}; "
                "demo data goes only into an empty database."
            )


class _Writer:
    """Bulk-inserts in chunks, reporting progress and honouring cancel between chunks."""

    def __init__(self, conn: Connection, progress: ProgressFn | None,
                 cancel: threading.Event | None) -> None:
        self.conn, self.progress, self.cancel = conn, progress, cancel
        self.done = 0.0

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise DemoCancelled("Building the demo data was cancelled.")

    def stage(self, text: str, weight: float, batches: list[tuple[Table, list[dict]]]) -> None:
        """Insert the batches in order (parents first); `weight` is the stage's share of
        the whole build, so the reported fraction grows steadily from 0 to 1."""
        total = sum(len(rows) for _table, rows in batches) or 1
        written = 0
        self._report(text, 0.0)
        for table, rows in batches:
            for start in range(0, len(rows), CHUNK):
                self.check_cancel()
                chunk = rows[start:start + CHUNK]
                self.conn.execute(insert(table), chunk)
                written += len(chunk)
                self._report(text, weight * written / total)
        self.done += weight

    def _report(self, text: str, part: float) -> None:
        if self.progress is not None:
            self.progress(text, min(1.0, self.done + part))


@dataclass(slots=True, eq=False)
class _Worker:
    id: str
    role: Role
    point: str
    team_id: str | None
    area: ServiceArea | None
    load: int = 0


@dataclass(slots=True, eq=False)
class _Person:
    id: str
    point: str
    area: ServiceArea
    registered_on: date
    coach: _Worker | None
    last_met: datetime | None = None  # end of the last done appointment (plan accepted)
    closed_on: date | None = None  # the case ended (no bookings or visits after)
    plan_language: str = "fi"  # the customer's, where plans are printed in it
    unemployed_since: date | None = None


# The plan language's place in the (fi, sv, en) triples of names.py.
_TEXT_INDEX = {lang: i for i, lang in enumerate(PRINT_LANGUAGES)}


@dataclass(slots=True, eq=False)
class _Booking:
    id: str
    person: _Person
    staff: _Worker
    kind: AppointmentType
    channel: Channel
    starts_at: datetime
    minutes: int


class _Demo:
    """Generates the rows stage by stage; every random draw comes from `self.rng`."""

    def __init__(self, rng: random.Random, scale: float, today: date, verifier: str) -> None:
        self.rng, self.scale, self.today, self.verifier = rng, scale, today, verifier
        self.stamp = self.at(today, 0)  # updated_at of rows "pulled" today
        self.now = self.at(today, QUEUE_NOW)
        self.queue_now, self.queue_any_day = QUEUE_NOW, False
        self.points: dict[str, str] = {}  # code -> id
        self.staff: list[_Worker] = []
        self.pools: dict[tuple[str, ServiceArea | None], list[_Worker]] = {}
        self.people: list[_Person] = []
        self.cases = CaseMaker(self)
        self.visits: list[dict] = []
        self.busy: dict[tuple[str, date], int] = {}  # (staff, day) -> bitmask of slots
        self.fi_holidays = holidays.country_holidays(
            "FI", years=range(today.year - 5, today.year + 2))
        first = today - timedelta(days=365)
        self.past_days = self.working_days(first, today - timedelta(days=1))
        self.future_days = self.working_days(today, today + timedelta(days=20))

    # --- helpers ------------------------------------------------------------------

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    @staticmethod
    def new_id_from(rng: random.Random) -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def n(self, per_scale: float) -> int:
        return max(1, round(per_scale * self.scale))

    def synced(self, updated_at: datetime | None = None) -> dict[str, Any]:
        return {"version": 1, "hlc": "", "updated_at": updated_at or self.stamp,
                "updated_by": None, "deleted_at": None}

    def at(self, day: date, minutes: int) -> datetime:
        """Local (Helsinki) wall time on `day` as aware UTC."""
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=HELSINKI)
        offset = noon.utcoffset() or timedelta()
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            minutes=minutes) - offset

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.fi_holidays

    def working_days(self, first: date, last: date) -> list[date]:
        days = (first + timedelta(days=i) for i in range((last - first).days + 1))
        return [d for d in days if self.is_working_day(d)]

    def day_weight(self, day: date) -> float:
        """Mondays are busiest, Fridays and the July holiday month quiet."""
        weight = (1.0, 0.85, 0.85, 0.8, 0.65)[day.weekday()]
        return weight * (0.5 if day.month == 7 else 1.0)

    def pick_day(self, earliest: date, latest: date | None = None) -> date:
        """A past working day on or after `earliest` and on or before `latest` (the
        nearest one if none is)."""
        days = self.past_days
        hi = len(days) if latest is None else max(1, bisect.bisect_right(days, latest))
        lo = min(bisect.bisect_left(days, earliest), hi - 1)
        while True:
            day = days[self.rng.randrange(lo, hi)]
            if self.rng.random() < self.day_weight(day):
                return day

    def run(self, writer: _Writer) -> DemoSummary:
        self.organisation(writer)
        customers = self.customers(writer)
        appointments = self.appointments(writer)
        plans = self.plans(writer)
        tickets = self.queue_today()
        self.other_visits()
        self.cases.duplicate_visits()
        writer.stage(N_("Writing visits…"), 0.30, [
            (QueueTicket.__table__, tickets), (Visit.__table__, self.visits)])
        feedback = self.feedback(writer)
        rov = sum(1 for p in self.people if p.point == "ROV") + len(self.cases.duplicates)
        return DemoSummary(
            service_points=len(self.points), teams=len(TEAMS), staff=len(self.staff),
            customers=customers, visits=len(self.visits), appointments=appointments,
            tickets=len(tickets), plans=plans, feedback=feedback,
            rovaniemi_share=rov / customers,
        )

    # --- organisation ---------------------------------------------------------------

    def organisation(self, writer: _Writer) -> None:
        points = []
        for code, name, municipality, mode, queue in SERVICE_POINTS:
            self.points[code] = self.new_id()
            street, postal_code, phone = POINT_ADDRESSES[code]
            points.append({"id": self.points[code], "code": code, "name": name,
                           "municipality": municipality, "street_address": street,
                           "postal_code": postal_code, "phone": phone, "mode": mode,
                           "queue_services": queue, **self.synced()})
        teams, staff = [], []
        names = _StaffNames(self.rng)
        for index, (name, area, sector, coaches, at_ranua) in enumerate(TEAMS):
            team_id = self.new_id()
            teams.append({"id": team_id, "name": name, "service_area": area, "sector": sector,
                          **self.synced()})
            demo = name == DEMO_TEAM
            staff.append(self.worker(names, Role.TEAM_LEAD, "ROV", team_id, area,
                                     "lead" if demo else None))
            count, ranua = self.team_size(coaches, at_ranua, first=index == 0)
            for i in range(count):
                point = "RAN" if i >= count - ranua else "ROV"
                staff.append(self.worker(names, Role.COACH, point, team_id, area,
                                         "coach" if demo and i == 0 else None))
        desks = DESK_STAFF if self.scale >= 1 else max(1, round(DESK_STAFF * self.scale))
        for i in range(desks):
            point = "RAN" if desks > 1 and i == desks - 1 else "ROV"
            staff.append(self.worker(names, Role.DESK, point, None, None,
                                     "desk" if i == 0 else None))
        staff.append(self.worker(names, Role.ADMIN, "ROV", None, None, "admin"))
        credentials = [{"staff_id": row["id"], "verifier": self.verifier,
                        "updated_at": self.stamp} for row in staff]
        # Each point's queue services (#24): the built-in ones, as the migrations make
        # them, those the point offers active.
        offered = [{**row, **self.synced()}
                   for code, *_rest, queue in SERVICE_POINTS
                   for row in built_in_services(self.points[code], queue)]
        writer.stage(N_("Creating service points and staff…"), 0.02, [
            (ServicePoint.__table__, points), (OfferedService.__table__, offered),
            (Team.__table__, teams),
            (Staff.__table__, staff), (StaffCredential.__table__, credentials)])

    def team_size(self, coaches: int, at_ranua: int, first: bool) -> tuple[int, int]:
        """Staff numbers are the plan's from scale 1 up; smaller demos shrink them but keep
        every team and at least one Ranua coach (in the first team, initial services)."""
        if self.scale >= 1:
            return coaches, at_ranua
        count = max(1, round(coaches * self.scale))
        ranua = min(count, round(at_ranua * self.scale))
        return count, max(ranua, 1 if first else 0)

    def worker(self, names: _StaffNames, role: Role, point: str, team_id: str | None,
               area: ServiceArea | None, username: str | None) -> dict[str, Any]:
        full_name, slug = names.draw()
        member = _Worker(self.new_id(), role, point, team_id, area)
        self.staff.append(member)
        title = {Role.COACH: "Omavalmentaja", Role.TEAM_LEAD: "Palveluvastaava",
                 Role.DESK: "Palveluneuvoja", Role.ADMIN: "Pääkäyttäjä"}[role]
        if area is A.INTEGRATION and role is Role.COACH:
            title = "Kotoutumisen omavalmentaja"
        return {"id": member.id, "username": username or slug, "full_name": full_name,
                "role": role, "team_id": team_id, "service_point_id": self.points[point],
                "title": title, "phone": _phone(self.rng),
                "email": f"{slug}@rovaseutu.example", "active": True, **self.synced()}

    def coaches(self, point: str, area: ServiceArea | None = None) -> list[_Worker]:
        """The coaches of a point (and area); cached, as visits ask for them often."""
        key = (point, area)
        if key not in self.pools:
            self.pools[key] = [w for w in self.staff if w.role is Role.COACH
                               and w.point == point and (area is None or w.area is area)]
        return self.pools[key]

    def some_coach(self, point: str, area: ServiceArea) -> _Worker:
        return self.rng.choice(self.coaches(point, area) or self.coaches(point))

    def desk_or_coach(self, point: str) -> _Worker:
        desks = [w for w in self.staff if w.role is Role.DESK and w.point == point]
        return self.rng.choice(desks or self.coaches(point))

    # --- customers ------------------------------------------------------------------

    def customers(self, writer: _Writer) -> int:
        count = self.n(CUSTOMERS_PER_SCALE)
        ranua = max(1, round(count * RANUA_SHARE)) if count > 1 else 0
        points = ["RAN"] * ranua + ["ROV"] * (count - ranua)
        self.rng.shuffle(points)
        # The least loaded coach of the customer's area at their own service point first,
        # any coach of that point next, nobody when every caseload there is full.
        maker = _CustomerMaker(self)
        rows, periods = [], []
        for point in points:
            row, area, born, partial = maker.make(point)
            coach = _least_loaded(self.coaches(point, area)) or _least_loaded(
                self.coaches(point))
            if coach is not None:
                coach.load += 1
            row["coach_id"] = coach.id if coach else None
            rows.append(row)
            person = _Person(row["id"], point, area, row["jobseeker_registered_on"], coach,
                             plan_language=print_language(row["language"]),
                             unemployed_since=row["unemployed_since"])
            self.people.append(person)
            unemployment = maker.periods(row["id"], row["unemployed_since"], born, area)
            self.cases.add(person, row, unemployment, partial)
            periods.extend(unemployment)
        cases = self.cases
        cases.add_duplicates(maker, self.people, rows)
        writer.stage(N_("Creating customers…"), 0.25, [
            (Customer.__table__, rows), (UnemploymentPeriod.__table__, periods),
            (JobSearchPeriod.__table__, cases.periods), (CaseFacts.__table__, cases.facts),
            (CustomerNote.__table__, cases.notes)])
        return len(rows)

    # --- appointments ---------------------------------------------------------------

    def appointments(self, writer: _Writer) -> int:
        """Each customer's initial interview and then a job-search conversation about
        every three months (the statutory rhythm), from a year back to three weeks ahead;
        Ranua, which serves by appointment, books a few extra meetings."""
        first, last = self.past_days[0], self.future_days[-1]
        rows: list[dict] = []
        for person in self.people:
            due = person.registered_on + timedelta(days=self.rng.randint(2, 12))
            kind = AppointmentType.INITIAL_INTERVIEW
            stop = min(last, person.closed_on) if person.closed_on else last
            while due <= stop:
                if due >= first:
                    self.book(person, due, kind, rows)
                due += timedelta(days=self.rng.randint(75, 100))
                kind = self.conversation_type(person)
            if person.point == "RAN":
                for _ in range(self.rng.randint(1, 3)):
                    self.book(person, self.pick_day(person.registered_on, person.closed_on),
                              AppointmentType.OTHER, rows)
        writer.stage(N_("Booking appointments…"), 0.20, [(Appointment.__table__, rows)])
        return len(rows)

    def conversation_type(self, person: _Person) -> AppointmentType:
        multi = 15 if person.area is A.WORK_ABILITY else 0
        return self.rng.choices(
            (AppointmentType.JOB_SEARCH_CONVERSATION, AppointmentType.PLAN_REVIEW,
             AppointmentType.MULTI_PROFESSIONAL, AppointmentType.OTHER),
            (70, 15, multi, 5))[0]

    def book(self, person: _Person, due: date, kind: AppointmentType, rows: list[dict],
             rescheduled_from: str | None = None) -> None:
        staff = person.coach or self.some_coach(person.point, person.area)
        minutes = APPOINTMENT_MINUTES[kind]
        found = self.free_slot(staff, due, minutes)
        if found is None:
            return  # the coach's calendar is full: a real one would be too
        day, start = found
        if person.closed_on is not None and day > person.closed_on:
            return  # the case had ended by then
        channel = self.appointment_channel(person.point, kind)
        booking = _Booking(self.new_id(), person, staff, kind, channel, self.at(day, start),
                           minutes)
        status, reason = self.appointment_status(day)
        rows.append({
            "id": booking.id, "customer_id": person.id, "staff_id": staff.id,
            "service_point_id": self.points[person.point], "type": kind, "channel": channel,
            "status": status, "starts_at": booking.starts_at,
            "ends_at": booking.starts_at + timedelta(minutes=minutes),
            "room": f"Huone {self.rng.randint(1, 12)}"
            if channel is Channel.SERVICE_POINT else None,
            "video_link": f"https://video.example.org/rovaseutu/{self.rng.getrandbits(48):012x}"
            if channel is Channel.VIDEO else None,
            "cancel_reason": reason, "rescheduled_from_id": rescheduled_from, **self.synced(),
        })
        if status is AppointmentStatus.DONE:
            self.visits.append(self.appointment_visit(booking))
        elif status is AppointmentStatus.CANCELLED and self.rng.random() < 0.6:
            later = day + timedelta(days=self.rng.randint(2, 10))
            self.book(person, later, kind, rows, rescheduled_from=booking.id)

    def free_slot(self, staff: _Worker, due: date, minutes: int) -> tuple[date, int] | None:
        """A free slot on the first working day from `due` that has one (up to five days
        are tried), so no staff member is ever double-booked."""
        halves = (minutes + 29) // 30
        starts = [i for i in range(len(SLOT_STARTS) - halves + 1)
                  if SLOT_STARTS[i + halves - 1] - SLOT_STARTS[i] == 30 * (halves - 1)]
        day, tries = due, 0
        while tries < 5:
            if self.is_working_day(day):
                tries += 1
                mask = self.busy.get((staff.id, day), 0)
                need = (1 << halves) - 1
                free = [i for i in starts if not mask & (need << i)]
                if free:
                    i = self.rng.choice(free)
                    self.busy[(staff.id, day)] = mask | (need << i)
                    return day, SLOT_STARTS[i]
            day += timedelta(days=1)
        return None

    def appointment_channel(self, point: str, kind: AppointmentType) -> Channel:
        if kind is AppointmentType.MULTI_PROFESSIONAL:
            return Channel.SERVICE_POINT
        weights = (55, 30, 15) if point == "ROV" else (70, 20, 10)
        return self.rng.choices((Channel.SERVICE_POINT, Channel.PHONE, Channel.VIDEO),
                                weights)[0]

    def appointment_status(self, day: date) -> tuple[AppointmentStatus, str | None]:
        if day >= self.today:
            return AppointmentStatus.BOOKED, None
        roll = self.rng.random()
        if roll < 0.05:
            return AppointmentStatus.CANCELLED, self.rng.choice(words.CANCEL_REASONS)
        if roll < 0.13:
            return AppointmentStatus.NO_SHOW, None
        return AppointmentStatus.DONE, None

    def appointment_visit(self, booking: _Booking) -> dict[str, Any]:
        start = booking.starts_at + timedelta(minutes=self.rng.randint(0, 5))
        minutes = max(10, booking.minutes - self.rng.randint(0, 15))
        area = (A.INITIAL if booking.kind is AppointmentType.INITIAL_INTERVIEW
                else booking.person.area)
        visit = self.visit(booking.person.id, booking.person.point, booking.channel, False,
                           area, booking.staff, start, minutes, appointment_id=booking.id)
        booking.person.last_met = visit["ended_at"]
        return visit

    # --- plans ----------------------------------------------------------------------

    def plans(self, writer: _Writer) -> int:
        """An accepted employment plan for about 70 % of customers with a coach, made at
        their last meeting; reviews fall due three months later (some are overdue)."""
        plans, versions, goals, actions, services = [], [], [], [], []
        for person in self.people:
            if person.coach is None or self.rng.random() >= 0.7:
                continue
            accepted_at = person.last_met
            if accepted_at is None:
                if person.registered_on > self.past_days[0]:
                    continue  # the initial interview, where the plan is made, is ahead
                accepted_at = self.at(self.pick_day(person.registered_on, person.closed_on),
                                      14 * 60)
            accepted_on = accepted_at.astimezone(HELSINKI).date()
            plan_id, version_id = self.new_id(), self.new_id()
            # Drawn from the customer's own generator, so the rest of the demo stays the
            # same: most newcomers' plan is an integration plan (made in the initial
            # interview instead), and many long-term unemployed also have an activation
            # plan made at the same meeting (rules.clock.activation_plan_due).
            own = random.Random(person.id)
            kind = (PlanType.INTEGRATION if person.area is A.INTEGRATION
                    and own.random() < 0.85 else PlanType.EMPLOYMENT)
            plans.append({"id": plan_id, "customer_id": person.id,
                          "plan_type": kind, "coach_id": person.coach.id,
                          **self.synced()})
            versions.append(self.plan_version(plan_id, version_id, person, accepted_at,
                                              accepted_on))
            since = person.unemployed_since
            if since is not None and (accepted_on - since).days >= 300 \
                    and own.random() < 0.6:
                activation_id = self.new_id_from(own)
                plans.append({"id": activation_id, "customer_id": person.id,
                              "plan_type": PlanType.ACTIVATION, "coach_id": person.coach.id,
                              **self.synced()})
                versions.append({**versions[-1], "id": self.new_id_from(own),
                                 "plan_id": activation_id})
            lang = _TEXT_INDEX[person.plan_language]
            goals.extend(self.plan_goals(version_id, person.area, lang))
            actions.extend(self.plan_actions(version_id, accepted_on, lang))
            if self.rng.random() < 0.4:
                services.append(self.plan_service(version_id, accepted_on, lang))
        writer.stage(N_("Writing employment plans…"), 0.10, [
            (Plan.__table__, plans), (PlanVersion.__table__, versions),
            (PlanGoal.__table__, goals), (PlanAction.__table__, actions),
            (PlannedService.__table__, services)])
        return len(plans)

    def plan_version(self, plan_id: str, version_id: str, person: _Person,
                     accepted_at: datetime, accepted_on: date) -> dict[str, Any]:
        assert person.coach is not None
        lang = _TEXT_INDEX[person.plan_language]
        return {
            "id": version_id, "plan_id": plan_id, "number": 1, "status": PlanStatus.ACCEPTED,
            "based_on_id": None, "accepted_how": "signed", "accepted_at": accepted_at,
            "accepted_by": person.coach.id, "applications_per_period": 4, "period_months": 1,
            "obligation_starts_on": accepted_on, "obligation_lowered_reason": None,
            "contact_method": self.rng.choice(words.CONTACT_METHODS)[lang],
            "contact_frequency": words.CONTACT_FREQUENCY[lang],
            "next_review_on": _add_months(accepted_on, 3),
            "summary": self.rng.choice(words.PLAN_SUMMARIES)[lang], **self.synced(),
        }

    def plan_goals(self, version_id: str, area: ServiceArea,
                   lang: int) -> list[dict[str, Any]]:
        first = {A.SKILLS: "education", A.INTEGRATION: "education",
                 A.WORK_ABILITY: "other"}.get(area, "work")
        kinds = [first] + (["work"] if self.rng.random() < 0.5 and first != "work" else [])
        return [{"id": self.new_id(), "plan_version_id": version_id, "kind": kind,
                 "text": self.rng.choice(words.PLAN_GOALS[kind])[lang], "position": i,
                 **self.synced()} for i, kind in enumerate(kinds)]

    def plan_actions(self, version_id: str, accepted_on: date,
                     lang: int) -> list[dict[str, Any]]:
        actors = ["customer", "coach"] + (["partner"] if self.rng.random() < 0.5 else [])
        rows = []
        for i, actor in enumerate(actors):
            due = accepted_on + timedelta(days=self.rng.randint(14, 90))
            rows.append({"id": self.new_id(), "plan_version_id": version_id, "actor": actor,
                         "text": self.rng.choice(words.PLAN_ACTIONS[actor])[lang],
                         "due_on": due,
                         "done": due < self.today and self.rng.random() < 0.6, "position": i,
                         **self.synced()})
        return rows

    def plan_service(self, version_id: str, accepted_on: date, lang: int) -> dict[str, Any]:
        service_type, provider, notes = self.rng.choice(words.PLAN_SERVICES)
        note = notes[lang]
        starts = accepted_on + timedelta(days=self.rng.randint(7, 45))
        return {"id": self.new_id(), "plan_version_id": version_id,
                "service_type": service_type, "provider": provider, "starts_on": starts,
                "ends_on": starts + timedelta(days=self.rng.randint(30, 180)), "note": note,
                **self.synced()}

    # --- visits ---------------------------------------------------------------------

    def visit(self, customer_id: str | None, point: str, channel: Channel, walk_in: bool,
              area: ServiceArea, staff: _Worker, start: datetime, minutes: int | None, *,
              wait: int | None = None, ticket_id: str | None = None,
              appointment_id: str | None = None) -> dict[str, Any]:
        rng = self.rng
        ended = start + timedelta(minutes=minutes) if minutes is not None else None
        return {
            "id": self.new_id(), "customer_id": customer_id,
            "service_point_id": self.points[point], "channel": channel, "walk_in": walk_in,
            "service_area": area, "staff_id": staff.id, "team_id": staff.team_id,
            "ticket_id": ticket_id, "appointment_id": appointment_id, "started_at": start,
            "ended_at": ended, "wait_minutes": wait,
            "topics": rng.choice(words.VISIT_TOPICS) if rng.random() < 0.5 else None,
            "outcome": rng.choice(words.VISIT_OUTCOMES) if rng.random() < 0.35 else None,
            "follow_up": rng.choice(words.FOLLOW_UPS) if rng.random() < 0.08 else None,
            "note": None, **self.synced(ended or start),
        }

    def other_visits(self) -> None:
        """Walk-ins at Rovaniemi and phone and video contacts at both points; about one
        in ten of all visits is anonymous (a question at the desk or on the phone)."""
        rng = self.rng
        rovaniemi = [p for p in self.people if p.point == "ROV"] or self.people
        rest = max(0, self.n(VISITS_PER_SCALE) - len(self.visits))
        share = rest / (WALK_INS + PHONE_CALLS + VIDEO_CALLS)
        for _ in range(round(WALK_INS * share)):
            person = None if rng.random() < 0.24 else rng.choice(rovaniemi)
            day = self.pick_day(person.registered_on - timedelta(days=14) if person
                                else self.past_days[0], person.closed_on if person else None)
            # Waits are mostly short, a few long.
            arrival = rng.choices(WALK_IN_ARRIVALS, WALK_IN_WEIGHTS)[0]
            wait = min(40, int(rng.expovariate(1 / 8)))
            start = self.at(day, arrival + rng.randint(0, 29) + wait)
            staff, area = self.walk_in_server(person)
            self.visits.append(self.visit(person.id if person else None, "ROV",
                                          Channel.SERVICE_POINT, True, area, staff, start,
                                          round(rng.triangular(5, 45, 12)), wait=wait))
        for channel, count, lo, hi, mode in ((Channel.PHONE, PHONE_CALLS, 5, 30, 10),
                                             (Channel.VIDEO, VIDEO_CALLS, 15, 45, 30)):
            for _ in range(round(count * share)):
                self.remote_visit(channel, lo, hi, mode)

    def walk_in_server(self, person: _Person | None) -> tuple[_Worker, ServiceArea]:
        rng = self.rng
        if person is None:
            return self.desk_or_coach("ROV"), A.INFORMATION
        if rng.random() < 0.5:
            return self.desk_or_coach("ROV"), rng.choice((A.INFORMATION, A.INITIAL,
                                                          person.area))
        if person.coach is not None and rng.random() < 0.7:
            return person.coach, person.area
        return self.some_coach("ROV", person.area), person.area

    def remote_visit(self, channel: Channel, lo: int, hi: int, mode: int) -> None:
        rng = self.rng
        anonymous = channel is Channel.PHONE and rng.random() < 0.12
        person = rng.choice(self.people)
        if anonymous:
            staff, area, customer_id = self.desk_or_coach(person.point), A.INFORMATION, None
            day = self.pick_day(self.past_days[0])
        else:
            staff = (person.coach if person.coach and rng.random() < 0.75
                     else self.some_coach(person.point, person.area))
            area, customer_id = person.area, person.id
            day = self.pick_day(person.registered_on - timedelta(days=14), person.closed_on)
        start = self.at(day, rng.randint(8 * 60, 15 * 60 + 45))
        self.visits.append(self.visit(customer_id, person.point, channel, False, area, staff,
                                      start, round(rng.triangular(lo, hi, mode))))

    # --- today's queue --------------------------------------------------------------

    def queue_today(self) -> list[dict[str, Any]]:
        """Rovaniemi's queue at 11:30: served tickets first, then those being served, one
        just called and the latest arrivals waiting. Served ones have their visits."""
        if not (self.queue_any_day or self.is_working_day(self.today)):
            return []
        rng = self.rng
        now = self.queue_now
        count = min(999, max(4, self.n(TICKETS_PER_SCALE)))
        waiting = max(1, round(count * 0.2))
        serving = max(1, min(3, round(count * 0.13)))
        done = count - waiting - serving - 1
        states = ([TicketState.DONE] * done + [TicketState.SERVING] * serving
                  + [TicketState.CALLED] + [TicketState.WAITING] * waiting)
        arrivals = sorted(rng.randint(now - 210, now - 75) for _ in range(done))
        arrivals += sorted(rng.randint(now - 70, now - 30) for _ in range(serving + 1))
        arrivals += sorted(rng.randint(now - 30, now - 2) for _ in range(waiting))
        desks = [w for w in self.staff if w.role is Role.DESK and w.point == "ROV"]
        servers = desks or self.coaches("ROV")
        known = [p for p in self.people if p.point == "ROV" and p.closed_on is None]
        rows = []
        for number, (state, arrived) in enumerate(zip(states, arrivals, strict=True), 1):
            person = rng.choice(known) if known and rng.random() < 0.75 else None
            area = rng.choices((A.INFORMATION, A.INITIAL, A.FINDING_WORK, A.SKILLS,
                                A.WORK_ABILITY, A.INTEGRATION, A.EMPLOYER),
                               (30, 25, 20, 8, 7, 7, 3))[0]
            rows.append(self.ticket(number, state, arrived, person, area, servers, number))
        return rows

    def ticket(self, number: int, state: TicketState, arrived: int, person: _Person | None,
               area: ServiceArea, servers: list[_Worker], desk_no: int) -> dict[str, Any]:
        rng = self.rng
        ticket_id = self.new_id()
        called = started = finished = None
        server = servers[desk_no % len(servers)]
        if state is TicketState.CALLED:
            called = self.queue_now - 1
        elif state in (TicketState.SERVING, TicketState.DONE):
            called = min(self.queue_now - 3, arrived + rng.randint(2, 25))
            started = called + 1
            if state is TicketState.DONE:
                finished = min(self.queue_now - 1, started + rng.randint(6, 20))
            self.visits.append(self.visit(
                person.id if person else None, "ROV", Channel.SERVICE_POINT, True, area,
                server, self.at(self.today, started),
                finished - started if finished is not None else None,
                wait=called - arrived, ticket_id=ticket_id))
        last = max(t for t in (arrived, called, started, finished) if t is not None)
        return {
            "id": ticket_id, "service_point_id": self.points["ROV"], "ticket_date": self.today,
            "letter": "A", "number": number, "customer_id": person.id if person else None,
            "service_area": area, "queue_service_id": service_id(self.points["ROV"], area),
            "priority": 0, "priority_reason": None, "note": None,
            "state": state, "arrived_at": self.at(self.today, arrived),
            "called_at": self.at(self.today, called) if called is not None else None,
            "first_called_at": self.at(self.today, called) if called is not None else None,
            "leg": 0, "recalls": 0, "transfer_note": None,
            "service_started_at": self.at(self.today, started) if started is not None else None,
            "finished_at": self.at(self.today, finished) if finished is not None else None,
            "desk": str(desk_no % len(servers) + 1) if called is not None else None,
            "served_by": server.id if called is not None else None,
            "transferred_to_staff": None, "appointment_id": None,
            **self.synced(self.at(self.today, last)),
        }

    # --- feedback -------------------------------------------------------------------

    def feedback(self, writer: _Writer) -> int:
        """Answers to the survey after a visit: at the kiosk right away, or by text message
        later for phone and video. Mostly good; a few want a reply."""
        rng = self.rng
        answered = [v for v in self.visits if v["ended_at"] is not None]
        picked = sorted(rng.sample(range(len(answered)), min(len(answered),
                                                              self.n(FEEDBACK_PER_SCALE))))
        leads = [w for w in self.staff if w.role is Role.TEAM_LEAD]
        rows, replies = [], []
        for index in picked:
            row = self.feedback_row(answered[index])
            rows.append(row)
            if row["comment"] and row["score"] <= 3 and rng.random() < 0.1:
                replies.append(self.reply_request(row, leads))
        if not replies and rows:
            replies.append(self.reply_request(rows[0], leads))
        writer.stage(N_("Writing customer feedback…"), 0.13, [
            (Feedback.__table__, rows), (FeedbackReplyRequest.__table__, replies)])
        return len(rows)

    def feedback_row(self, visit: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        later = (rng.randint(1, 10) if visit["channel"] is Channel.SERVICE_POINT
                 else rng.randint(10, 24 * 60))
        at = min(visit["ended_at"] + timedelta(minutes=later), self.now)
        score = rng.choices((1, 2, 3, 4, 5), (3, 5, 12, 35, 45))[0]
        recommend = (min(10, max(0, 2 * score + rng.randint(-2, 1)))
                     if rng.random() < 0.5 else None)
        tone = "good" if score >= 4 else "neutral" if score == 3 else "bad"
        comment = (rng.choice(words.FEEDBACK_COMMENTS[tone])
                   if rng.random() < (0.12 if tone == "good" else 0.35) else None)
        return {"id": self.new_id(), "service_point_id": visit["service_point_id"],
                "channel": visit["channel"], "service_area": visit["service_area"],
                "wait_minutes": visit["wait_minutes"], "team_id": visit["team_id"],
                "staff_id": visit["staff_id"], "answered_at": at, "score": score,
                "recommend": recommend, "comment": comment, **self.synced(at)}

    def reply_request(self, feedback: dict[str, Any], leads: list[_Worker]) -> dict[str, Any]:
        rng = self.rng
        handled = None
        if feedback["answered_at"] < self.now - timedelta(days=7):
            handled = feedback["answered_at"] + timedelta(days=rng.randint(1, 5))
        contact = (f"asiakas{rng.randint(100, 999)}@{rng.choice(words.EMAIL_DOMAINS)}"
                   if rng.random() < 0.6 else _phone(rng))
        return {"id": self.new_id(), "feedback_id": feedback["id"], "contact": contact,
                "handled_at": handled,
                "handled_by": rng.choice(leads).id if handled and leads else None,
                **self.synced(handled or feedback["answered_at"])}


class _CustomerMaker:
    """One customer row at a time: a name fitting the language and gender, a valid and
    unique identity code, an address, and an unemployment history."""

    def __init__(self, demo: _Demo) -> None:
        self.demo, self.rng, self.today = demo, demo.rng, demo.today
        self.codes: set[str] = set()
        self.numbers: set[str] = set()

    def make(self, point: str) -> tuple[dict[str, Any], ServiceArea, date, bool]:
        rng, today = self.rng, self.today
        language = _weighted(rng, words.LANGUAGE_WEIGHTS[point])
        male = rng.random() < 0.5
        first_names, last_name = self.name(language, male)
        born = self.birth_date()
        newcomer = language in words.NEWCOMER_LANGUAGES
        permit = self.permit_date(language) if newcomer else None
        code, temporary = None, False
        if newcomer and rng.random() < 0.24:
            # A recent arrival without an identity code yet: registrable by birth date.
            permit = today - timedelta(days=rng.randint(14, 730))
        else:
            temporary = newcomer and rng.random() < 0.08
            code = self.hetu(born, male, temporary)
        since, registered = self.unemployment(born, permit)
        partial = rng.random() < (0.04 if _age(born, today) < 30 else 0.10)
        area = self.area(since, registered, permit, partial)
        row_id, number = self.ids()
        home = self.home(point)
        interpreter = rng.random() < words.INTERPRETER_SHARE.get(language, 0.0)
        row = {
            "id": row_id, "customer_number": number, "hetu": code, "hetu_temporary": temporary,
            "first_names": first_names, "last_name": last_name,
            "sort_name": sort_name(last_name, first_names), "birth_date": born,
            "language": language, "interpreter_needed": interpreter or (code is None and
                                                                        language != "en"),
            "phone": self.phone(), "email": self.email(first_names, last_name),
            **self.address(home), "home_municipality": home,
            "service_point_id": self.demo.points[point], "jobseeker_registered_on": registered,
            "unemployed_since": since, "first_residence_permit_on": permit,
            # Partial work ability is a case fact now (app/demo/cases.py), not the desk's.
            "partial_work_ability": False, "active": True, **self.demo.synced(),
        }
        return row, area, born, partial

    def ids(self) -> tuple[str, str]:
        """A new id whose customer number (40 bits of it) is not taken yet."""
        while True:
            row_id = self.demo.new_id()
            number = customer_number(row_id)
            if number not in self.numbers:
                self.numbers.add(number)
                return row_id, number

    def name(self, language: str, male: bool) -> tuple[str, str]:
        rng, names = self.rng, words.NAMES[language]
        pool = names.male if male else names.female
        first = [rng.choice(pool)]
        if language in ("fi", "sv", "se", "en") and rng.random() < 0.6:
            second = rng.choice(pool)
            if second != first[0]:
                first.append(second)
        lasts = names.last_female if not male and names.last_female else names.last
        last = rng.choice(lasts)
        if language == "th" and not male and rng.random() < 0.4:
            last = rng.choice(words.FI_LAST)  # married in Finland
        return " ".join(first), last

    def birth_date(self) -> date:
        """Ages 17-67, most 25-55, about a third under 30."""
        lo, hi = self.rng.choices(((17, 24), (25, 29), (30, 39), (40, 49), (50, 59), (60, 67)),
                                  (18, 14, 22, 20, 18, 8))[0]
        days = self.rng.randint(int(lo * 365.25) + 3, int((hi + 1) * 365.25) - 3)
        return self.today - timedelta(days=days)

    def hetu(self, born: date, male: bool, temporary: bool) -> str:
        """Valid and unique; the individual number is odd for men, even for women."""
        lo = 900 if temporary else 2
        hi = 999 if temporary else 899
        while True:
            individual = self.rng.randint(lo, hi)
            if individual % 2 != int(male):
                individual = individual + 1 if individual < hi else individual - 1
            code = hetu_rules.make(born, individual)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def permit_date(self, language: str) -> date | None:
        if language == "et" or (language == "en" and self.rng.random() < 0.5):
            return None  # EU citizens register their right of residence instead
        years = self.rng.choices((0.5, 1.5, 2.5, 4, 7, 12), (15, 20, 20, 20, 15, 10))[0]
        return self.today - timedelta(days=int(years * 365) + self.rng.randint(-120, 120))

    def unemployment(self, born: date, permit: date | None) -> tuple[date, date]:
        """Days unemployed: many under 100, a good share 100-365, about a quarter long-term
        and a few over two years. Registration is on the first day or a little before."""
        rng = self.rng
        band = rng.choices(((1, 99), (100, 364), (365, 729), (730, 1500)), (38, 35, 19, 8))[0]
        since = self.today - timedelta(days=rng.randint(*band) - 1)
        registered = since - timedelta(days=0 if rng.random() < 0.6 else rng.randint(1, 45))
        floor = born + timedelta(days=int(16.5 * 365.25))
        if permit is not None:
            floor = max(floor, permit + timedelta(days=rng.randint(14, 90)))
        floor = min(floor, self.today)
        return max(since, floor), max(registered, floor)

    def area(self, since: date, registered: date, permit: date | None,
             partial: bool) -> ServiceArea:
        """The service area the customer is mostly served in; it picks the coach's team."""
        rng, today = self.rng, self.today
        days = (today - since).days
        if permit is not None and (today - permit).days < 3 * 365:
            return A.INTEGRATION  # integration plans cover the first three years
        if partial or days >= 730:
            return A.WORK_ABILITY
        if (today - registered).days < 100:
            return A.INITIAL if rng.random() < 0.7 else A.FINDING_WORK
        return rng.choices((A.FINDING_WORK, A.SKILLS, A.WORK_ABILITY), (55, 30, 15))[0]

    def periods(self, customer_id: str, since: date, born: date,
                area: ServiceArea) -> list[dict[str, Any]]:
        """The current period (matching unemployed_since) and for about 30 % an earlier one."""
        rng = self.rng
        days = (self.today - since).days
        # After about 400 days the earnings-related benefit has run out (newcomers rarely
        # have one at all): labour market subsidy instead.
        long = area is A.INTEGRATION or days >= 400
        weights = (0, 5, 85, 10) if long else (50, 10, 30, 10)
        benefits = (BenefitType.EARNINGS_RELATED, BenefitType.BASIC,
                    BenefitType.LABOUR_MARKET_SUBSIDY, BenefitType.NONE)
        rows = [self.period(customer_id, since, None, rng.choices(benefits, weights)[0])]
        if rng.random() < 0.3:
            ends = since - timedelta(days=rng.randint(30, 700))
            starts = ends - timedelta(days=rng.randint(30, 300))
            if starts > born + timedelta(days=int(16.5 * 365.25)):
                rows.insert(0, self.period(customer_id, starts, ends,
                                           rng.choices(benefits, (40, 10, 40, 10))[0]))
        return rows

    def period(self, customer_id: str, starts: date, ends: date | None,
               benefit: BenefitType) -> dict[str, Any]:
        return {"id": self.demo.new_id(), "customer_id": customer_id, "starts_on": starts,
                "ends_on": ends, "benefit": benefit, **self.demo.synced()}

    def home(self, point: str) -> str:
        own = "Rovaniemi" if point == "ROV" else "Ranua"
        if self.rng.random() < (0.96 if point == "ROV" else 0.9):
            return own
        return self.rng.choice(words.OTHER_MUNICIPALITIES[point])

    def address(self, municipality: str) -> dict[str, str | None]:
        rng = self.rng
        if rng.random() < 0.02:
            return {"street_address": None, "postal_code": None, "post_office": None}
        street = rng.choice(words.STREETS.get(municipality, words.STREETS["other"]))
        house = f"{street} {rng.randint(1, 60)}"
        if municipality == "Rovaniemi" and rng.random() < 0.6:
            house += f" {rng.choice('ABCDEF')} {rng.randint(1, 40)}"  # a block of flats
        return {"street_address": house,
                "postal_code": rng.choice(words.POSTAL_CODES[municipality]),
                "post_office": municipality.upper()}

    def phone(self) -> str | None:
        roll = self.rng.random()
        if roll < 0.03:
            return None
        number = _phone(self.rng)
        return "+358 " + number[1:] if roll < 0.07 else number

    def email(self, first_names: str, last_name: str) -> str | None:
        rng = self.rng
        if rng.random() >= 0.6:
            return None
        local = f"{_ascii(first_names.split()[0])}.{_ascii(last_name)}"
        if rng.random() < 0.4:
            local += str(rng.randint(1, 99))
        return f"{local}@{rng.choice(words.EMAIL_DOMAINS)}"


class _StaffNames:
    """Unique Finnish staff names and 'firstname.lastname' usernames."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.slugs: set[str] = set(DEMO_ACCOUNTS)

    def draw(self) -> tuple[str, str]:
        while True:
            pool = words.FI_MALE if self.rng.random() < 0.4 else words.FI_FEMALE
            first, last = self.rng.choice(pool), self.rng.choice(words.FI_LAST)
            full = f"{first} {last}"
            if full not in self.names:
                break
        self.names.add(full)
        base = slug = f"{_ascii(first)}.{_ascii(last)}"
        suffix = 2
        while slug in self.slugs:
            slug, suffix = f"{base}{suffix}", suffix + 1
        self.slugs.add(slug)
        return full, slug


def _least_loaded(coaches: list[_Worker]) -> _Worker | None:
    best = None
    for coach in coaches:
        if coach.load < CASELOAD_CAP and (best is None or coach.load < best.load):
            best = coach
    return best


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _phone(rng: random.Random) -> str:
    return (f"{rng.choice(words.MOBILE_PREFIXES)} {rng.randint(100, 999)} "
            f"{rng.randint(0, 9999):04d}")


def _ascii(text: str) -> str:
    """'Jääskeläinen' -> 'jaaskelainen', "O'Brien" -> 'obrien' (usernames, emails)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c == "-")


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
