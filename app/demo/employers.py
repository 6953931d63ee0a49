"""Demo data of the employer register (issue #22): a few hundred fictitious employers of
the area (Rovaniemi, Ranua and their neighbouring municipalities) by industry, each with
a valid business ID (its check digit computed), one to three contact persons, and a year
of contacts (visits, calls, e-mails, meetings, events) by the coaches of the sector team
responsible for them, some asking for a follow-up: most done, some due this week and a
few overdue, several of them the demo coach's so Today shows them. The employers that
the purchased-services demo names in its decisions are in the register too.

Runs after the rest of the demo (it reads the teams and staff from the database) with
its own `random.Random` derived from the seed: the same seed, scale and today give the
same rows. The vacancies and proposals (app/demo/vacancies.py) are built after it, from
these rows in the database. Rows go in with Core inserts as if pulled (version 1, no
outbox), like the rest of the demo."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select

from app.demo.names import FI_FEMALE, FI_LAST, FI_MALE, MOBILE_PREFIXES, STREETS
from app.demo.purchased import EMPLOYERS as DECISION_EMPLOYERS
from app.demo.purchased import START_UPS
from app.models import Employer, EmployerContact, EmployerPerson, Staff, Team
from app.rules.codes import EmployerChannel, EmployerSize, EmployerTopic, Role
from app.rules.employers import employer_id

EMPLOYERS_PER_SCALE = 300
LEAST_EMPLOYERS = 40
DEMO_COACH_EMPLOYERS = 14  # the demo coach is the named contact of these
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)

# Municipality, weight, postal codes: the area and its neighbours.
MUNICIPALITIES = (
    ("Rovaniemi", 62, ("96100", "96190", "96200", "96300", "96320", "96400", "96460",
                       "96500", "96600", "96800", "96900", "96910")),
    ("Ranua", 12, ("97700",)),
    ("Kemijärvi", 5, ("98100",)),
    ("Tervola", 3, ("95300",)),
    ("Posio", 3, ("97900",)),
    ("Sodankylä", 4, ("99600",)),
    ("Kittilä", 4, ("99100",)),
    ("Pudasjärvi", 3, ("93100",)),
    ("Ylitornio", 2, ("95600",)),
    ("Pello", 1, ("95700",)),
    ("Pelkosenniemi", 1, ("98500",)),
)
# TOL 2008 main class -> (weight, name words of its companies).
INDUSTRIES: dict[str, tuple[int, tuple[str, ...]]] = {
    "A": (4, ("Metsäpalvelu", "Poroaitta", "Luomutila", "Puunkorjuu", "Marjatila")),
    "B": (1, ("Kiviaines", "Sora ja Murske")),
    "C": (8, ("Konepaja", "Puusepänverstas", "Hirsitalo", "Leipomo", "Metallityö",
              "Ikkunatehdas", "Teräsrakenne")),
    "D": (1, ("Energia", "Lämpö")),
    "E": (2, ("Jätehuolto", "Kierrätys", "Vesihuolto")),
    "F": (12, ("Rakennus", "Remontti", "Sähköasennus", "Putkityö", "Maanrakennus",
               "Kattotyö", "Rakennuspelti")),
    "G": (14, ("Kauppa", "Rautakauppa", "Autokorjaamo", "Urheiluliike", "Kukkakauppa",
               "Kodinkone", "Lähikauppa", "Autotalo")),
    "H": (8, ("Kuljetus", "Logistiikka", "Taksi", "Tilausajo", "Huolinta")),
    "I": (13, ("Hotelli", "Ravintola", "Matkailu", "Safarit", "Lomakylä", "Kahvila",
               "Catering", "Ohjelmapalvelu")),
    "J": (3, ("IT", "Ohjelmisto", "Media", "Viestintä")),
    "K": (1, ("Tilitoimisto ja Vakuutus", "Rahoitus")),
    "L": (2, ("Kiinteistöpalvelu", "Isännöinti", "Vuokratalot")),
    "M": (5, ("Suunnittelu", "Insinööritoimisto", "Arkkitehdit", "Tilipalvelu",
              "Konsultointi")),
    "N": (7, ("Siivous", "Kiinteistöhuolto", "Henkilöstöpalvelu", "Vartiointi",
              "Laitoshuolto")),
    "O": (1, ("Yhteispalvelu",)),
    "P": (2, ("Koulutus", "Autokoulu", "Kielikoulu")),
    "Q": (10, ("Hoivakoti", "Kotihoito", "Terveyspalvelu", "Hammaslääkärit", "Fysioterapia",
               "Päiväkoti", "Palvelutalo")),
    "R": (4, ("Elämyspalvelu", "Liikuntakeskus", "Kulttuuri", "Hiihtokeskus")),
    "S": (4, ("Kampaamo", "Pesula", "Hierontapalvelu", "Suutari")),
}
# Where the company's name comes from: its town or a landmark of the area.
PLACES = ("Rovaniemen", "Ranuan", "Lapin", "Napapiirin", "Ounasvaaran", "Kemijoen",
          "Ounasjoen", "Pohjolan", "Revontuli", "Korkalovaaran", "Saarenkylän",
          "Muurolan", "Vikajärven", "Sinetän", "Alakemijoen", "Tervolan", "Posion",
          "Kemijärven", "Arktinen", "Pohjoinen", "Tunturi", "Kaira", "Aapa", "Jänkä",
          "Poro", "Kuusamon", "Lumi", "Kaamos", "Kuru", "Vaara")
# A name that starts with a town or a village of it sits there.
PLACE_TOWN = {"Rovaniemen": "Rovaniemi", "Ounasvaaran": "Rovaniemi",
              "Korkalovaaran": "Rovaniemi", "Saarenkylän": "Rovaniemi",
              "Muurolan": "Rovaniemi", "Vikajärven": "Rovaniemi", "Sinetän": "Rovaniemi",
              "Alakemijoen": "Rovaniemi", "Ranuan": "Ranua", "Tervolan": "Tervola",
              "Posion": "Posio", "Kemijärven": "Kemijärvi"}
FORMS = ("Oy", "Oy", "Oy", "Oy", "Oy", "Ky", "Tmi", "Oy Ab")
# The sector team (by its sector in app/demo/area.py) that serves each industry.
SECTORS = {
    "Teollisuus ja rakentaminen": "ABCDEFH",
    "Sosiaali- ja terveysala": "PQO",
    "Palvelut ja kauppa": "GIJKLMNRS",
}
SIZES = {EmployerSize.MICRO: 58, EmployerSize.SMALL: 29, EmployerSize.MEDIUM: 10,
         EmployerSize.LARGE: 3}
CHANNELS = {EmployerChannel.VISIT: 30, EmployerChannel.PHONE: 35, EmployerChannel.EMAIL: 20,
            EmployerChannel.MEETING: 8, EmployerChannel.EVENT: 7}
TOPICS = {EmployerTopic.RECRUITMENT: 45, EmployerTopic.PAY_SUBSIDY: 20,
          EmployerTopic.TRAINING: 12, EmployerTopic.CHANGE_SECURITY: 5,
          EmployerTopic.OTHER: 18}
ROLES = ("toimitusjohtaja", "yrittäjä", "henkilöstöpäällikkö", "HR-asiantuntija",
         "työnjohtaja", "vastaava ohjaaja", "ravintolapäällikkö", "myymäläpäällikkö",
         "palveluesimies", "osastonhoitaja", "rekrytoija", "talouspäällikkö")
SUMMARIES = {
    EmployerTopic.RECRUITMENT: (
        "Kausityöntekijöitä tarvitaan joulusesonkiin, 3–5 henkilöä.",
        "Rekrytointitarve kevääksi: kaksi asentajaa, ajokortti edellytys.",
        "Yritys laajentaa, tarvetta myyjälle ja varastotyöntekijälle.",
        "Sovittiin työhaastattelupäivästä palvelupisteellä.",
        "Piilotyöpaikka: yrittäjä harkitsee ensimmäistä palkattavaa.",
        "Keskusteltu oppisopimuksesta uuden työntekijän kanssa.",
    ),
    EmployerTopic.PAY_SUBSIDY: (
        "Kerrottu palkkatuen ehdoista ja hakemisesta.",
        "Palkkatuki osatyökykyiselle harkinnassa, yrittäjä palaa asiaan.",
        "Palkkatuetun jakson jatko selvitetään ennen sen päättymistä.",
    ),
    EmployerTopic.TRAINING: (
        "Rekrytoivan koulutuksen tarve: hitsaajat.",
        "Täsmäkoulutus kahdelle työntekijälle, kustannusjako selvitetään.",
        "Esitelty työvoimakoulutuksen mahdollisuudet.",
    ),
    EmployerTopic.CHANGE_SECURITY: (
        "Muutosneuvottelut alkamassa, muutosturvan palvelut esitelty.",
        "Lomautusten aikataulu ja työnhakijaksi ilmoittautuminen käyty läpi.",
    ),
    EmployerTopic.OTHER: (
        "Yrityksen esittely ja yhteystietojen päivitys.",
        "Kutsuttu rekrytointitapahtumaan.",
        "Työnantajapalveluiden esittely uudelle yrittäjälle.",
    ),
}
FOLLOW_UP_SHARE = 0.28  # of contacts that ask for a follow-up
LEFT_OPEN_SHARE = 0.06  # of follow-ups past due that are still not done


def ytunnus(body: str) -> str | None:
    """The business ID of seven digits with its check digit; None for digits whose check
    remainder is 1 (no business ID has them)."""
    rest = sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11
    if rest == 1:
        return None
    return f"{body}-{0 if rest == 0 else 11 - rest}"


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), list(weights.values()))[0]


def _ascii(text: str) -> str:
    table = str.maketrans("äöåÄÖÅ", "aoaAOA")
    return "".join(ch for ch in text.translate(table).lower() if ch.isalnum())


class _Employers:
    def __init__(self, conn: Connection, seed: int, today: date, scale: float) -> None:
        self.conn, self.today, self.scale = conn, today, scale
        self.rng = random.Random(seed * 7919 + 22)
        self.stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
        self.employers: list[dict[str, Any]] = []
        self.persons: list[dict[str, Any]] = []
        self.contacts: list[dict[str, Any]] = []
        self.ids: set[str] = set()
        self.names: set[str] = set()
        self.read()

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def synced(self) -> dict[str, Any]:
        return {"version": 1, "hlc": "", "updated_at": self.stamp, "updated_by": None,
                "deleted_at": None}

    def read(self) -> None:
        """The sector teams and their coaches, every coach, and the demo coach."""
        conn = self.conn
        self.team_of_sector: dict[str, str] = {}
        for team_id, sector in conn.execute(select(Team.id, Team.sector)
                                            .order_by(Team.id)):
            if sector in SECTORS:
                self.team_of_sector[sector] = team_id
        self.team_coaches: dict[str, list[str]] = {}
        self.coaches: list[str] = []
        self.demo_coach: str | None = None
        for sid, username, role, team in conn.execute(
                select(Staff.id, Staff.username, Staff.role, Staff.team_id)
                .where(Staff.active.is_(True)).order_by(Staff.id)):
            if role != Role.COACH:
                continue
            self.coaches.append(sid)
            if team:
                self.team_coaches.setdefault(team, []).append(sid)
            if username == "coach":
                self.demo_coach = sid

    # --- employers ------------------------------------------------------------------

    def business_id(self, body: str | None = None) -> str:
        while True:
            digits = body or f"{self.rng.randint(100000, 3399999):07d}"
            formatted = ytunnus(digits)
            body = None
            if formatted is not None and formatted not in self.ids:
                self.ids.add(formatted)
                return formatted

    def name(self, industry: str) -> str:
        words = INDUSTRIES[industry][1]
        for _attempt in range(50):
            roll = self.rng.random()
            if roll < 0.12:
                first = self.rng.choice(FI_LAST)
                name = f"{first} {self.rng.choice(words)} {self.rng.choice(FORMS)}"
            else:
                name = (f"{self.rng.choice(PLACES)} {self.rng.choice(words)} "
                        f"{self.rng.choice(FORMS)}")
            if name not in self.names:
                self.names.add(name)
                return name
        name = f"{self.rng.choice(PLACES)} {self.rng.choice(words)} {len(self.names)} Oy"
        self.names.add(name)
        return name

    def sector_of(self, industry: str) -> str | None:
        for sector, letters in SECTORS.items():
            if industry in letters:
                return self.team_of_sector.get(sector)
        return None

    def register(self) -> None:
        count = max(LEAST_EMPLOYERS, round(EMPLOYERS_PER_SCALE * self.scale))
        industry_weights = {k: w for k, (w, _words) in INDUSTRIES.items()}
        known = [(name, body, None) for name, body in DECISION_EMPLOYERS] + [
            (name, body, "S" if "Siivous" in name else "C") for name, body in START_UPS]
        demo_coach_left = DEMO_COACH_EMPLOYERS
        for i in range(count):
            if i < len(known):
                name, body, industry = known[i]
                industry = industry or self.industry_of(name)
                self.names.add(name)
                bid = self.business_id(body)
            else:
                industry = _weighted(self.rng, industry_weights)
                name = self.name(industry)
                bid = self.business_id()
            team_id = self.sector_of(industry)
            staff_id = None
            pool = self.team_coaches.get(team_id or "", [])
            if (self.demo_coach and team_id and self.demo_coach in pool
                    and demo_coach_left > 0):
                staff_id = self.demo_coach
                demo_coach_left -= 1
            elif pool and self.rng.random() < 0.85:
                staff_id = self.rng.choice(pool)
            self.employer(bid, name, industry, team_id, staff_id)

    def industry_of(self, name: str) -> str:
        for needle, letter in (("Rakennus", "F"), ("Kauppa", "G"), ("Hoiva", "Q"),
                               ("Puu", "C"), ("Matkailu", "I"), ("Seurakunta", "S"),
                               ("Liikunta", "R"), ("Kuljetus", "H"), ("Kierrätys", "E"),
                               ("Ateria", "I"), ("Kiinteistö", "N"), ("Kunta", "O"),
                               ("Eläin", "M"), ("IT", "J")):
            if needle in name:
                return letter
        return "S"

    def employer(self, bid: str, name: str, industry: str, team_id: str | None,
                 staff_id: str | None) -> None:
        rng = self.rng
        municipality, _weight, codes = rng.choices(
            MUNICIPALITIES, [m[1] for m in MUNICIPALITIES])[0]
        town = PLACE_TOWN.get(name.split(" ", 1)[0])
        if town is not None:
            municipality, _weight, codes = next(m for m in MUNICIPALITIES if m[0] == town)
        streets = STREETS.get(municipality, STREETS["other"])
        street = f"{rng.choice(streets)} {rng.randint(1, 60)}"
        slug = _ascii(name.rsplit(" ", 1)[0])[:24] or "yritys"
        size = _weighted(rng, SIZES)
        if name.endswith(("Tmi", "Ky")):
            size = EmployerSize.MICRO
        self.employers.append({
            "id": employer_id(bid), "business_id": bid, "name": name, "industry": industry,
            "size_class": size, "municipality": municipality,
            "street_address": street, "postal_code": rng.choice(codes),
            "post_office": municipality.upper(),
            "visiting_address": street if rng.random() < 0.7 else None,
            "phone": f"016 {rng.randint(100, 999)} {rng.randint(100, 999)}",
            "email": f"info@{slug}.example.fi",
            "website": f"www.{slug}.example.fi" if rng.random() < 0.6 else None,
            "team_id": team_id, "contact_staff_id": staff_id,
            "note": None, "active": rng.random() > 0.03, **self.synced()})
        for n in range(rng.choice((1, 1, 2, 2, 2, 3))):
            female = rng.random() < 0.55
            first = rng.choice(FI_FEMALE if female else FI_MALE)
            last = rng.choice(FI_LAST)
            self.persons.append({
                "id": self.new_id(), "employer_id": employer_id(bid),
                "name": f"{first} {last}", "role": rng.choice(ROLES) if n else (
                    "yrittäjä" if size is EmployerSize.MICRO else rng.choice(ROLES[:4])),
                "phone": f"{rng.choice(MOBILE_PREFIXES)} {rng.randint(100, 999)} "
                         f"{rng.randint(1000, 9999)}",
                "email": f"{_ascii(first)}.{_ascii(last)}@{slug}.example.fi",
                "active": rng.random() > 0.08, **self.synced()})

    # --- a year of contacts ---------------------------------------------------------

    def contact_all(self) -> None:
        rng, today = self.rng, self.today
        persons: dict[str, list[str]] = {}
        for p in self.persons:
            persons.setdefault(p["employer_id"], []).append(p["id"])
        for e in self.employers:
            pool = self.team_coaches.get(e["team_id"] or "", []) or self.coaches
            if not pool:
                return
            many = rng.choice((0, 1, 2, 2, 3, 4, 5, 6, 8, 10))
            if e["contact_staff_id"]:
                many += 2
            for _n in range(many):
                day = today - timedelta(days=int(rng.triangular(0, 365, 60)))
                if rng.random() < 0.8:
                    staff = e["contact_staff_id"] or rng.choice(pool)
                else:
                    staff = rng.choice(self.coaches)
                self.contact(e, day, staff, persons.get(e["id"], []))
        self.demo_coach_follow_ups(persons)

    def contact(self, e: dict[str, Any], day: date, staff: str, persons: list[str],
                follow_up_on: date | None = None, done: bool | None = None) -> None:
        rng, today = self.rng, self.today
        if day.weekday() >= 5:
            day -= timedelta(days=day.weekday() - 4)  # the Friday before
        channel = _weighted(rng, CHANNELS)
        topic = _weighted(rng, TOPICS)
        if follow_up_on is None and rng.random() < FOLLOW_UP_SHARE:
            follow_up_on = day + timedelta(days=rng.choice((7, 14, 14, 21, 30, 45, 60)))
        done_on = None
        if follow_up_on is not None:
            if done is None:  # the demo coach's overdue ones are the planned few only
                done = follow_up_on < today and (rng.random() > LEFT_OPEN_SHARE
                                                 or staff == self.demo_coach
                                                 or e["contact_staff_id"] == self.demo_coach)
            if done:
                latest = min(today, follow_up_on + timedelta(days=10))
                done_on = follow_up_on if latest <= follow_up_on else \
                    follow_up_on + timedelta(days=rng.randint(0, (latest - follow_up_on).days))
                done_on = max(done_on, day)
        self.contacts.append({
            "id": self.new_id(), "employer_id": e["id"], "contacted_on": day,
            "staff_id": staff, "channel": channel, "topic": topic,
            "person_id": rng.choice(persons) if persons and channel != EmployerChannel.EVENT
            else None,
            "summary": rng.choice(SUMMARIES[topic]),
            "follow_up_on": follow_up_on,
            "follow_up_by": (e["contact_staff_id"] or staff) if follow_up_on else None,
            "follow_up_done_on": done_on, **self.synced()})

    def demo_coach_follow_ups(self, persons: dict[str, list[str]]) -> None:
        """The demo coach's Today: two follow-ups overdue and three due this week (on top
        of whatever the year left open)."""
        if self.demo_coach is None:
            return
        mine = [e for e in self.employers if e["contact_staff_id"] == self.demo_coach
                and e["active"]] or [e for e in self.employers if e["active"]]
        today = self.today
        week_end = today + timedelta(days=6 - today.weekday())
        plan = [(-30, -5), (-21, -2)] + [(-14, (week_end - today).days - k) for k in
                                         (0, 1, 2)]
        for k, (contact_days, follow_days) in enumerate(plan):
            e = mine[k % len(mine)]
            due = today + timedelta(days=follow_days)
            day = today + timedelta(days=contact_days)
            self.contact(e, day, self.demo_coach, persons.get(e["id"], []),
                         follow_up_on=max(due, day), done=False)
            self.contacts[-1]["follow_up_by"] = self.demo_coach

    def write(self) -> None:
        for table, rows in ((Employer.__table__, self.employers),
                            (EmployerPerson.__table__, self.persons),
                            (EmployerContact.__table__, self.contacts)):
            if rows:
                self.conn.execute(insert(table), rows)


def build_employers(conn: Connection, seed: int, today: date, scale: float) -> None:
    """The employer register's demo rows (see the module's docstring)."""
    maker = _Employers(conn, seed, today, scale)
    maker.register()
    maker.contact_all()
    maker.write()
