"""Demo events (#21): a year of Osaamo's (Rovaniemi) events around the demo's today, and a
few at Ranua held by Rovaniemi specialists.

- weekly service infos (Tuesdays), monthly recruitment events (an employer of the register
  or a staffing agency), job interview days for an employer, two group coachings of six
  weekly sessions, start-up mornings every other month, a few other events;
- participants invited from the organisers' caseloads at the event's point (else the
  point's customers), registered, some declined or cancelled, waiting lists on the full
  events; attendance at the sessions held (about 70-85 % of those registered);
- the recurring ones flagged annual, and twelve themes of the annual calendar.

Runs after the rooms (app/demo/rooms.py) and the employers: it reads them, the staff, the
customers and the rooms' bookings back, and books a room only when it is free (never two
at once; without rooms at a point, no room). Rows go in with Core inserts as if pulled
(version 1, no outbox), like the rest of the demo; participant and attendance ids from
app/rules/events.py. Its own `random.Random` from the seed: the same seed, scale and
today give the same rows."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select

from app.i18n import HELSINKI
from app.models import (
    AnnualTheme,
    Appointment,
    Customer,
    Employer,
    Event,
    EventAttendance,
    EventParticipant,
    EventSession,
    Room,
    ServicePoint,
    Staff,
)
from app.rules.booking import HOLDING
from app.rules.codes import (
    CheckInVia,
    EventKind,
    EventStatus,
    ParticipantStatus,
    Role,
)
from app.rules.events import attendance_id, participant_id
from app.rules.workdays import holiday_name

STAFFING_AGENCIES = ("Pohjolan Henkilöstöpalvelut Oy", "Lapin Rekrytointikumppanit Oy")
PARTNERS = ("Rovaniemen kaupungin nuorisopalvelut", "Lapin ammattiopisto",
            "Yrityskeskus Napapiiri")
THEMES = (
    ("Uusi vuosi, uusi suunta: työnhaun käynnistys", "Tammikuussa kaikki työnhaun alkuun."),
    ("Kesätöiden haku alkaa", "Nuorten ja opiskelijoiden kesätyöt."),
    ("Nuorten kuukausi", "Alle 30-vuotiaiden palvelut yhdessä kumppaneiden kanssa."),
    ("Matkailusesongin rekrytoinnit", "Kevään ja kesän matkailutyöt."),
    ("Osaamisen kehittäminen", "Koulutusmahdollisuudet ja osaamiskartoitukset."),
    ("Kesän työt ja lomakausi", "Palvelut kesällä: varaa aika ajoissa."),
    ("Lomakausi", "Kesäajan aukiolot ja etäpalvelut."),
    ("Syksyn koulutushaku", "Työvoimakoulutukset ja tutkinnot."),
    ("Yrittäjyyden kuukausi", "Starttiraha ja aloittavan yrittäjän tuki."),
    ("Työkyky ja hyvinvointi", "Osatyökykyisten palvelut ja työkyvyn tuki."),
    ("Talvisesongin rekrytoinnit", "Matkailun ja palvelualojen talvityöt."),
    ("Vuoden tilinpäätös kumppaneiden kanssa", "Yhteinen katsaus vuoteen ja ensi vuoden "
                                               "vuosikello."),
)
OTHER = (("Digiapu: asiointi verkossa", "Apua verkkoasiointiin ja tunnistautumiseen."),
         ("Koulutusinfo: työvoimakoulutukset", "Syksyn ja kevään koulutukset esittelyssä."),
         ("CV-paja", "Tuo oma CV mukanasi: muokataan yhdessä."),
         ("Työkykyinfo", "Tietoa osatyökykyisten palveluista."))


@dataclass
class _Made:
    event: dict[str, Any]
    sessions: list[dict[str, Any]] = field(default_factory=list)


class _Events:
    def __init__(self, conn: Connection, seed: int, today: date, scale: float) -> None:
        self.conn, self.today, self.scale = conn, today, scale
        self.rng = random.Random(seed * 104729 + 21)
        self.stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
        self.first = today - timedelta(days=182)
        self.last = today + timedelta(days=182)
        self.made: list[_Made] = []
        self.participants: list[dict[str, Any]] = []
        self.attendance: list[dict[str, Any]] = []
        self.read()

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def synced(self) -> dict[str, Any]:
        return {"version": 1, "hlc": "", "updated_at": self.stamp, "updated_by": None,
                "deleted_at": None}

    # --- what the demo made already ---------------------------------------------------

    def read(self) -> None:
        conn = self.conn
        self.points = dict(conn.execute(select(ServicePoint.code, ServicePoint.id)).all())
        self.rooms: dict[str, list[tuple[str, str, int]]] = {}
        for rid, point, name, seats in conn.execute(
                select(Room.id, Room.service_point_id, Room.name, Room.seats)
                .where(Room.deleted_at.is_(None), Room.active.is_(True))
                .order_by(Room.seats, Room.name, Room.id)):
            self.rooms.setdefault(point, []).append((rid, name, seats))
        # What holds each room already (appointments): never booked twice.
        self.taken: dict[str, list[tuple[datetime, datetime]]] = {}
        for booked, starts, ends in conn.execute(
                select(Appointment.room_id, Appointment.starts_at, Appointment.ends_at)
                .where(Appointment.room_id.is_not(None), Appointment.deleted_at.is_(None),
                       Appointment.status.in_(tuple(HOLDING)))):
            if booked:
                self.taken.setdefault(booked, []).append((_utc(starts), _utc(ends)))
        # Each worker's holding appointments: an organiser is never booked over an event.
        self.busy: dict[str, list[tuple[datetime, datetime]]] = {}
        for staff_id, starts, ends in conn.execute(
                select(Appointment.staff_id, Appointment.starts_at, Appointment.ends_at)
                .where(Appointment.deleted_at.is_(None),
                       Appointment.status.in_(tuple(HOLDING)))):
            self.busy.setdefault(staff_id, []).append((_utc(starts), _utc(ends)))
        self.coaches: dict[str, list[str]] = {}
        self.demo_coach: str | None = None
        for sid, username, role, point in conn.execute(
                select(Staff.id, Staff.username, Staff.role, Staff.service_point_id)
                .where(Staff.active.is_(True), Staff.deleted_at.is_(None))
                .order_by(Staff.id)):
            if role in (Role.COACH, Role.TEAM_LEAD):
                self.coaches.setdefault(point, []).append(sid)
            if username == "coach":
                self.demo_coach = sid
        self.caseload: dict[tuple[str, str], list[str]] = {}  # (coach, point) -> ids
        self.point_customers: dict[str, list[str]] = {}
        for cid, coach, point in conn.execute(
                select(Customer.id, Customer.coach_id, Customer.service_point_id)
                .where(Customer.active.is_(True), Customer.deleted_at.is_(None))
                .order_by(Customer.id)):
            self.point_customers.setdefault(point, []).append(cid)
            if coach:
                self.caseload.setdefault((coach, point), []).append(cid)
        self.employers = conn.execute(
            select(Employer.id, Employer.name).where(Employer.deleted_at.is_(None),
                                                     Employer.active.is_(True))
            .order_by(Employer.id)).all()

    # --- the year's events ------------------------------------------------------------

    def days(self, weekday: int, step_weeks: int = 1) -> list[date]:
        """Working days on `weekday` from the first day to the last, every `step_weeks`."""
        day = self.first + timedelta(days=(weekday - self.first.weekday()) % 7)
        out = []
        while day <= self.last:
            if holiday_name(day) is None:
                out.append(day)
            day += timedelta(weeks=step_weeks)
        return out

    def monthly(self, weekday: int, nth: int, every: int = 1) -> list[date]:
        out = []
        month = date(self.first.year, self.first.month, 1)
        index = 0
        while month <= self.last:
            if index % every == 0:
                day = month + timedelta(days=(weekday - month.weekday()) % 7 + 7 * (nth - 1))
                while holiday_name(day) is not None:
                    day += timedelta(days=7)
                if self.first <= day <= self.last:
                    out.append(day)
            index += 1
            month = (month + timedelta(days=32)).replace(day=1)
        return out

    def build(self) -> None:
        rov, ran = self.points.get("ROV"), self.points.get("RAN")
        if rov is None:
            return
        rng = self.rng
        coaches = self.coaches.get(rov, [])
        if not coaches:
            return
        lead = self.demo_coach if self.demo_coach in coaches else coaches[0]
        for day in self.days(1):  # Tuesdays: the service info
            self.event(rov, EventKind.SERVICE_INFO, "Palveluinfo: työnhaun aloitus",
                       "Mitä työnhaun alussa tapahtuu: työllistymissuunnitelma, "
                       "haettavat työt ja palvelut. Ilmoittaudu etukäteen tai tule paikalle.",
                       [(day, 13 * 60, 14 * 60 + 30)], 30, [rng.choice(coaches)],
                       annual=True)
        employers = list(self.employers)
        for index, day in enumerate(self.monthly(2, 1)):  # the first Wednesday
            if employers and index % 3 != 2:
                eid, name = employers[(index * 7) % len(employers)]
                self.event(rov, EventKind.RECRUITMENT, f"Rekrytointitapahtuma: {name}",
                           "Työnantaja esittelee avoimet paikat; ota CV mukaan.",
                           [(day, 10 * 60, 13 * 60)], 40, [lead, rng.choice(coaches)],
                           employer_id=eid, external=name, annual=True)
            else:
                agency = STAFFING_AGENCIES[index % len(STAFFING_AGENCIES)]
                self.event(rov, EventKind.RECRUITMENT, f"Rekrytointipäivä: {agency}",
                           "Henkilöstöpalveluyritys hakee tekijöitä useille aloille.",
                           [(day, 10 * 60, 13 * 60)], 40, [rng.choice(coaches)],
                           external=agency, annual=True)
        if employers:
            for index, day in enumerate(self.days(3, 6)):  # every sixth Thursday
                eid, name = employers[(index * 5 + 3) % len(employers)]
                self.event(rov, EventKind.INTERVIEWS, f"Työhaastattelut: {name}",
                           "Haastatteluajat varataan etukäteen työvalmentajan kautta.",
                           [(day, 9 * 60, 15 * 60)], 12, [rng.choice(coaches)],
                           employer_id=eid, external=name, full=index % 2 == 0)
        for start, title in ((self.today - timedelta(days=120), "Ryhmävalmennus: Polku "
                              "työelämään (kevät)"),
                             (self.today - timedelta(days=16), "Ryhmävalmennus: Polku "
                              "työelämään")):
            first = start + timedelta(days=(0 - start.weekday()) % 7)  # a Monday
            sessions: list[tuple[date, int, int]] = []
            day = first
            while len(sessions) < 6:
                if holiday_name(day) is None:
                    sessions.append((day, 9 * 60, 11 * 60 + 30))
                day += timedelta(weeks=1)
            self.event(rov, EventKind.GROUP_COACHING, title,
                       "Kuuden tapaamisen ryhmä: osaamisen tunnistaminen, CV, "
                       "haastatteluharjoitukset ja työnhaun verkostot.",
                       sessions, 10, [lead], target_groups="long_term,many_barriers",
                       full=True)
        for day in self.monthly(4, 2, every=2):  # every other month, a Friday
            self.event(rov, EventKind.STARTUP_MORNING, "Starttiaamu: yrittäjäksi?",
                       "Aamukahvit ja tietoa yrityksen perustamisesta ja starttirahasta.",
                       [(day, 8 * 60 + 30, 10 * 60)], 20, [rng.choice(coaches)],
                       external=PARTNERS[2], annual=True)
        for index, (title, text) in enumerate(OTHER):
            day = self.today + timedelta(days=rng.randint(-150, 150))
            while day.weekday() > 4 or holiday_name(day) is not None:
                day += timedelta(days=1)
            self.event(rov, EventKind.OTHER, title, text, [(day, 12 * 60, 13 * 60 + 30)],
                       None if index % 2 else 15, [rng.choice(coaches)],
                       external=PARTNERS[index % 2] if index < 2 else None)
        if ran is not None:  # Ranua: Rovaniemi specialists on the spot
            for day in self.monthly(1, 3, every=3):
                self.event(ran, EventKind.SERVICE_INFO, "Palveluinfo Ranualla",
                           "Rovaniemen asiantuntijat Ranualla: työnhaku, koulutukset ja "
                           "palvelut.", [(day, 12 * 60 + 30, 14 * 60)], 15,
                           [rng.choice(coaches)], annual=True)
            for day in self.monthly(2, 2, every=12)[:1]:
                self.event(ran, EventKind.RECRUITMENT, "Kesätyöt ja rekrytoinnit Ranualla",
                           "Alueen työnantajat ja kesätyöpaikat.",
                           [(day, 10 * 60, 12 * 60)], 25, [lead], annual=True)

    def event(self, point: str, kind: EventKind, title: str, description: str,
              sessions: list[tuple[date, int, int]], capacity: int | None,
              organisers: list[str], *, employer_id: str | None = None,
              external: str | None = None, annual: bool = False,
              target_groups: str | None = None, full: bool = False) -> None:
        event_id = self.new_id()
        times = [(_at(day, start), _at(day, end)) for day, start, end in sessions]
        organisers = self.free_organisers(point, organisers, times)
        row = {"id": event_id, "service_point_id": point, "kind": kind,
               "status": EventStatus.PLANNED, "title": title, "description": description,
               "language": "fi", "capacity": capacity, "target_groups": target_groups,
               "organiser_ids": ",".join(dict.fromkeys(organisers)),
               "external_organisers": external, "employer_id": employer_id,
               "online_link": None, "annual": annual, "cancel_reason": None,
               **self.synced()}
        made = _Made(row)
        for number, (day, start, end) in enumerate(sessions, 1):
            starts, ends = _at(day, start), _at(day, end)
            made.sessions.append({
                "id": self.new_id(), "event_id": event_id, "service_point_id": point,
                "number": number, "starts_at": starts, "ends_at": ends,
                "room_id": self.room(point, capacity, starts, ends), "online_link": None,
                "cancelled": False, **self.synced()})
        self.made.append(made)
        self.people(made, full)

    def free_organisers(self, point: str, wanted: list[str],
                        times: list[tuple[datetime, datetime]]) -> list[str]:
        """The wanted organisers, each replaced by a colleague of the point free at every
        session when they have an appointment then (the slot finder treats an
        organiser's sessions as taken: the demo must not book over them either)."""
        def free(staff_id: str) -> bool:
            return not any(s < e2 and s2 < e for s, e in times
                           for s2, e2 in self.busy.get(staff_id, ()))

        chosen: list[str] = []
        for staff_id in dict.fromkeys(wanted):
            if not free(staff_id):
                staff_id = next((c for c in self.coaches.get(point, [])
                                 + [c for cs in self.coaches.values() for c in cs]
                                 if c not in chosen and free(c)), staff_id)
            if staff_id not in chosen:
                chosen.append(staff_id)
        for staff_id in chosen:  # taken from now on, for the next event
            self.busy.setdefault(staff_id, []).extend(times)
        return chosen

    def room(self, point: str, capacity: int | None, starts: datetime,
             ends: datetime) -> str | None:
        """The smallest free room of the point that seats them (else the largest free
        one); None when the point has no rooms or every one is taken."""
        free = [(rid, seats) for rid, _name, seats in self.rooms.get(point, ())
                if not any(s < ends and e > starts for s, e in self.taken.get(rid, ()))]
        if not free:
            return None
        fitting = [r for r in free if capacity is None or r[1] >= capacity]
        rid = fitting[0][0] if fitting else free[-1][0]
        self.taken.setdefault(rid, []).append((starts, ends))
        return rid

    # --- participants and attendance ---------------------------------------------------

    def people(self, made: _Made, full: bool) -> None:
        rng, event = self.rng, made.event
        point, capacity = event["service_point_id"], event["capacity"]
        pool: list[str] = []
        for organiser in event["organiser_ids"].split(","):
            pool += self.caseload.get((organiser, point), [])
        if len(pool) < 8:
            pool += self.point_customers.get(point, [])
        pool = list(dict.fromkeys(pool))
        if not pool:
            return
        seats = capacity or 20
        wanted = seats + rng.randint(2, 5) if full else max(3, round(seats * rng.uniform(
            0.4, 0.95)))
        chosen = rng.sample(pool, min(len(pool), wanted + rng.randint(0, 4)))
        first = made.sessions[0]["starts_at"]
        invited_at = first - timedelta(days=rng.randint(10, 25))
        now = self.stamp + timedelta(hours=12)
        if invited_at > now:
            return  # not yet invited: the list fills nearer the day
        inviter = event["organiser_ids"].split(",")[0]
        registered: list[str] = []
        for index, cid in enumerate(chosen):
            roll = rng.random()
            registered_at = invited_at + timedelta(hours=rng.randint(2, 200), minutes=index)
            if roll < 0.1:
                status, registered_at = ParticipantStatus.INVITED, None
            elif roll < 0.17:
                status, registered_at = ParticipantStatus.DECLINED, None
            elif roll < 0.22:
                status = ParticipantStatus.CANCELLED
            elif capacity is not None and len(registered) >= capacity:
                status = ParticipantStatus.WAITING
            else:
                status = ParticipantStatus.REGISTERED
                registered.append(cid)
            if registered_at is not None and registered_at > first:
                registered_at = first - timedelta(hours=1, minutes=index)
            if registered_at is not None and registered_at > now:  # not answered yet
                status, registered_at = ParticipantStatus.INVITED, None
                if cid in registered:
                    registered.remove(cid)
            self.participants.append({
                "id": participant_id(event["id"], cid), "event_id": event["id"],
                "customer_id": cid, "service_point_id": point, "status": status,
                "invited_by": inviter, "invited_at": invited_at,
                "registered_at": registered_at, **self.synced()})
        for session in made.sessions:
            if session["ends_at"] > now:
                continue
            share = rng.uniform(0.70, 0.85)
            for cid in registered:
                came = rng.random() < share
                self.attendance.append({
                    "id": attendance_id(session["id"], cid), "session_id": session["id"],
                    "event_id": event["id"], "customer_id": cid, "service_point_id": point,
                    "attended": came,
                    "checked_in_at": session["starts_at"] + timedelta(
                        minutes=rng.randint(-10, 10)),
                    "checked_in_by": inviter, "via": CheckInVia.LIST, **self.synced()})

    def themes(self) -> list[dict[str, Any]]:
        # Every year the demo's events touch (today's, and the one its events run into).
        years = sorted({self.first.year, self.today.year, self.last.year})
        return [{"id": self.new_id(), "year": year, "month": month,
                 "title": title, "description": text, "service_point_id": None,
                 "starts_on": None, **self.synced()}
                for year in years for month, (title, text) in enumerate(THEMES, 1)]

    def write(self) -> dict[str, int]:
        conn = self.conn
        events = [m.event for m in self.made]
        sessions = [s for m in self.made for s in m.sessions]
        themes = self.themes()
        for table, rows in ((Event.__table__, events), (EventSession.__table__, sessions),
                            (EventParticipant.__table__, self.participants),
                            (EventAttendance.__table__, self.attendance),
                            (AnnualTheme.__table__, themes)):
            if rows:
                conn.execute(insert(table), rows)
        return {"events": len(events), "sessions": len(sessions),
                "participants": len(self.participants), "attendance": len(self.attendance),
                "themes": len(themes)}


def _at(day: date, minute: int) -> datetime:
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=HELSINKI)
    return local.astimezone(UTC)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def add_events(conn: Connection, seed: int, today: date, scale: float = 1.0) -> dict[str, int]:
    """The demo year's events, participants, attendance and themes; returns the counts."""
    events = _Events(conn, seed, today, scale)
    events.build()
    return events.write()
