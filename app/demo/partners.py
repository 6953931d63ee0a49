"""Demo multi-professional work (#24): the area's partners and their people, customers'
consents, a year of multi-professional meetings with their participants and follow-up
tasks, the multi-professional plans made in them, and each plan type's own part.

- The partner register: Lapin hyvinvointialue (social work, work ability coordinators),
  Kela Rovaniemi, Ohjaamo Rovaniemi, Lapin koulutuskeskus REDU, Lapin
  ammattikorkeakoulu, Työkanava, a third-sector association, and one organisation no
  longer worked with (inactive). Names of people are fictitious; addresses and numbers
  are the demo's (example.fi).
- Consents: every customer with a multi-professional meeting (the demo's appointments of
  that type) gave one to the wellbeing services county covering contact details, plans
  and work ability, a few weeks before their first meeting; many also to a second
  partner (Kela for benefits, Ohjaamo for the young, a school, Työkanava or the
  association). Some customers later withdrew one (after their last meeting), and a few
  consents have expired: nothing was shared under them afterwards.
- Each meeting (not cancelled) has one to three partner people of organisations under a
  consent in force that day covering plans, sometimes another staff member; those held
  have their attendance and one to three follow-up tasks (most done; some open, a few of
  them overdue).
- A customer with a meeting held has a multi-professional plan: its accepted version
  written at the first meeting (superseded by a second one when there was a later
  meeting) with the minute, the follow-up meeting, the customer's view, goals, actions
  and participants; a meeting in the last week left its minute in a draft instead.
- The demo's activation and integration plans get their own parts filled (the activation
  conditions and measures, the social worker's part; the integration training, the first
  residence permit's date, the interpreter's language, other measures).

Runs after the appointments and plans (it reads them back) with its own `random.Random`
from the seed: the same seed, scale and today give the same rows. Rows go in with Core
inserts as if pulled (version 1, no outbox)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from app.demo import names as words
from app.i18n import HELSINKI
from app.models import (
    Appointment,
    Customer,
    Plan,
    PlanAction,
    PlanGoal,
    PlanVersion,
    ServicePoint,
    Staff,
)
from app.models.partner import (
    CustomerConsent,
    MeetingParticipant,
    MeetingTask,
    PartnerOrg,
    PartnerPerson,
    PlanParticipant,
)
from app.rules import partners as consent_rules
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    ConsentHow,
    ConsentInfo,
    PartnerKind,
    PlanStatus,
    PlanType,
    Role,
)
from app.rules.plan_vocabulary import PRINT_LANGUAGES, print_language

CHUNK = 500
K = PartnerKind
I = ConsentInfo  # noqa: E741 - the codes' one-letter alias, as K above

# key, name, kind, phone, e-mail, street address, postal code, active
ORGS: tuple[tuple[str, str, PartnerKind, str, str, str, str, bool], ...] = (
    ("county", "Lapin hyvinvointialue", K.WELLBEING_COUNTY, "016 322 0000",
     "aikuissosiaalityo@lapha.example.fi", "Sairaalantie 1", "96400", True),
    ("kela", "Kela Rovaniemi", K.KELA, "020 692 207", "rovaniemi@kela.example.fi",
     "Ruokasenkatu 2", "96200", True),
    ("ohjaamo", "Ohjaamo Rovaniemi", K.OHJAAMO, "040 550 1234",
     "ohjaamo@rovaniemi.example.fi", "Koskikatu 25", "96200", True),
    ("redu", "Lapin koulutuskeskus REDU", K.SCHOOL, "020 798 4000", "info@redu.example.fi",
     "Kairatie 75", "96100", True),
    ("lapinamk", "Lapin ammattikorkeakoulu", K.SCHOOL, "020 798 6000",
     "hakijapalvelut@lapinamk.example.fi", "Jokiväylä 11", "96300", True),
    ("tyokanava", "Työkanava Oy", K.TYOKANAVA, "029 502 4000",
     "lappi@tyokanava.example.fi", "Valtakatu 32", "96100", True),
    ("association", "Rovaniemen Kuntoutumisyhdistys ry", K.THIRD_SECTOR, "040 770 2211",
     "toimisto@kuntoutumisyhdistys.example.fi", "Rovakatu 14", "96200", True),
    ("workshop", "Napapiirin Työpajayhdistys ry", K.THIRD_SECTOR, "040 112 3344",
     "pajat@tyopaja.example.fi", "Teollisuustie 3", "96320", False),
)
# key -> (full name, title (fi), active)
PEOPLE: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "county": (("Riikka Salmela", "Sosiaalityöntekijä", True),
               ("Jussi Heikkilä", "Sosiaalityöntekijä", True),
               ("Mervi Ollila", "Työkykykoordinaattori", True),
               ("Anne Kallio", "Työkykykoordinaattori", True),
               ("Tapio Kuukasjärvi", "Sosiaaliohjaaja", False)),
    "kela": (("Sari Suomela", "Etuusasiantuntija", True),
             ("Marko Rautio", "Kuntoutuksen asiantuntija", True)),
    "ohjaamo": (("Emmi Lehtola", "Ohjaaja", True), ("Aleksi Poikela", "Nuorisotyöntekijä", True)),
    "redu": (("Hanna Vaara", "Opinto-ohjaaja", True),),
    "lapinamk": (("Katja Niemelä", "Opinto-ohjaaja", True),),
    "tyokanava": (("Petri Alatalo", "Rekrytointikonsultti", True),),
    "association": (("Leena Paksuniemi", "Kuntoutusohjaaja", True),),
    "workshop": (("Olli Palosaari", "Työvalmentaja", False),),
}
# The second partner a customer may consent to, and what they let it have.
SECOND: tuple[tuple[str, tuple[ConsentInfo, ...], int], ...] = (
    ("kela", (I.CONTACT, I.PLAN, I.BENEFITS), 40),
    ("ohjaamo", (I.CONTACT, I.PLAN), 0),  # the young only (below)
    ("redu", (I.CONTACT, I.PLAN), 10),
    ("lapinamk", (I.CONTACT, I.PLAN), 5),
    ("tyokanava", (I.CONTACT, I.PLAN, I.WORK_ABILITY), 15),
    ("association", (I.CONTACT, I.PLAN), 15),
)
HOW_WEIGHTS = ((ConsentHow.SIGNED, 50), (ConsentHow.IN_PERSON, 35), (ConsentHow.PHONE, 10),
               (ConsentHow.ONLINE, 5))

# (fi, sv, en) texts: a plan is written in its language.
PURPOSES = (
    ("Monialainen työllistymissuunnitelma ja sen seuranta",
     "Sektorsövergripande sysselsättningsplan och uppföljningen av den",
     "The multi-professional employment plan and its follow-up"),
    ("Työkyvyn selvittäminen ja kuntoutuksen suunnittelu",
     "Utredning av arbetsförmågan och planering av rehabilitering",
     "Assessing work ability and planning rehabilitation"),
)
ROLES = {
    "county": ("Sosiaalityö", "Socialt arbete", "Social work"),
    "kela": ("Etuudet ja kuntoutus", "Förmåner och rehabilitering", "Benefits and rehabilitation"),
    "ohjaamo": ("Nuorten ohjaus", "Vägledning för unga", "Guidance for young people"),
    "redu": ("Koulutuksen ohjaus", "Studievägledning", "Educational guidance"),
    "lapinamk": ("Koulutuksen ohjaus", "Studievägledning", "Educational guidance"),
    "tyokanava": ("Työhönvalmennus", "Jobbcoachning", "Job coaching"),
    "association": ("Kuntouttava tuki", "Rehabiliterande stöd", "Rehabilitative support"),
    "staff": ("Työkykyasiat", "Arbetsförmåga", "Work ability matters"),
}
RESPONSIBILITIES = {
    "county": ("Kuntouttavan työtoiminnan järjestäminen ja sosiaalityön tuki",
               "Att ordna arbetsverksamhet i rehabiliteringssyfte och stöd av socialt arbete",
               "Arranging rehabilitative work activity and social work support"),
    "kela": ("Ammatillisen kuntoutuksen ja etuuksien selvittäminen",
             "Att utreda yrkesinriktad rehabilitering och förmåner",
             "Looking into vocational rehabilitation and benefits"),
    "ohjaamo": ("Henkilökohtainen ohjaus ja tuki arjessa",
                "Personlig vägledning och stöd i vardagen",
                "Personal guidance and support in everyday life"),
    "redu": ("Koulutusvaihtoehtojen esittely ja hakemisen tuki",
             "Att presentera utbildningsalternativ och stödja ansökan",
             "Presenting the study options and helping with the application"),
    "lapinamk": ("Koulutusvaihtoehtojen esittely ja hakemisen tuki",
                 "Att presentera utbildningsalternativ och stödja ansökan",
                 "Presenting the study options and helping with the application"),
    "tyokanava": ("Työpaikan etsiminen palkkatuettuun työhön",
                  "Att söka en arbetsplats med lönesubvention",
                  "Finding a workplace for subsidised work"),
    "association": ("Vertaistuki ja ryhmätoiminta", "Kamratstöd och gruppverksamhet",
                    "Peer support and group activities"),
    "staff": ("Työkyvyn arvio ja työkokeilun suunnittelu",
              "Bedömning av arbetsförmågan och planering av arbetsprövning",
              "Assessing work ability and planning a work trial"),
}
SERVICES = {
    "county": ("Kuntouttava työtoiminta", "Arbetsverksamhet i rehabiliteringssyfte",
               "Rehabilitative work activity"),
    "kela": ("Ammatillinen kuntoutus", "Yrkesinriktad rehabilitering", "Vocational rehabilitation"),
    "tyokanava": ("Palkkatuettu työ", "Arbete med lönesubvention", "Subsidised work"),
}
MINUTES = (
    ("Käytiin läpi asiakkaan tilanne ja työkyky. Sovittiin kuntouttavan työtoiminnan "
     "aloittamisesta ja työkyvyn selvittämisestä ennen työnhakua.",
     "Kundens situation och arbetsförmåga gicks igenom. Man kom överens om att inleda "
     "arbetsverksamhet i rehabiliteringssyfte och att utreda arbetsförmågan före "
     "arbetssökandet.",
     "The customer's situation and work ability were discussed. Agreed to start "
     "rehabilitative work activity and to assess work ability before job search."),
    ("Asiakas kertoi toiveistaan koulutuksen suhteen. Sovittiin koulutusvaihtoehtojen "
     "esittelystä ja etuuksien selvittämisestä opiskelun ajalle.",
     "Kunden berättade om sina önskemål om utbildning. Man kom överens om att presentera "
     "utbildningsalternativen och att utreda förmånerna under studietiden.",
     "The customer told about their wishes for education. Agreed to present the study "
     "options and to look into benefits while studying."),
    ("Seurattiin edellisessä tapaamisessa sovittuja asioita. Työkokeilu on sujunut hyvin; "
     "seuraavaksi selvitetään palkkatuettu työ.",
     "De åtgärder som man kom överens om vid förra mötet följdes upp. Arbetsprövningen har "
     "gått bra; härnäst utreds arbete med lönesubvention.",
     "The steps agreed in the previous meeting were followed up. The work trial has gone "
     "well; subsidised work is looked into next."),
)
CUSTOMER_VIEWS = (
    ("Haluan edetä rauhassa ja saada tukea arjen asioihin ennen töihin paluuta.",
     "Jag vill gå framåt i lugn takt och få stöd i vardagen innan jag börjar arbeta.",
     "I want to go on at my own pace and have support in everyday matters before "
     "returning to work."),
    ("Olen motivoitunut kokeilemaan uutta alaa, jos työkyky sen sallii.",
     "Jag är motiverad att pröva en ny bransch om arbetsförmågan tillåter det.",
     "I am motivated to try a new field if my work ability allows it."),
    ("Toivon, että asiat hoidetaan yhdessä, ettei minun tarvitse kertoa tilannettani "
     "monta kertaa.",
     "Jag hoppas att ärendena sköts tillsammans så att jag inte behöver berätta om min "
     "situation många gånger.",
     "I hope things are handled together so that I need not tell my situation many times."),
)
TASKS = (
    "Varaa asiakkaalle aika työkyvyn arvioon", "Toimittaa kuntoutushakemuksen Kelaan",
    "Selvittää kuntouttavan työtoiminnan paikan", "Lähettää koulutusvaihtoehdot asiakkaalle",
    "Kartoittaa palkkatukipaikat", "Päivittää suunnitelman tavoitteet",
    "Sopii seurantatapaamisen ajan", "Selvittää etuuden opiskelun ajalle",
)
ACTIONS = (
    ("customer", ("Osallistuu kuntouttavaan työtoimintaan kahtena päivänä viikossa",
                  "Deltar i arbetsverksamhet i rehabiliteringssyfte två dagar i veckan",
                  "Takes part in rehabilitative work activity two days a week")),
    ("partner", ("Sosiaalityöntekijä järjestää kuntouttavan työtoiminnan paikan",
                 "Socialarbetaren ordnar en plats i arbetsverksamhet",
                 "The social worker arranges a place in rehabilitative work activity")),
    ("coach", ("Selvittää työkokeilupaikan työkyvyn selvittyä",
               "Utreder en plats för arbetsprövning när arbetsförmågan är utredd",
               "Finds a work trial place once work ability is clear")),
)
ACTIVATION_CONDITIONS = (
    "Aktivointisuunnitelma laadittava {day}: työmarkkinatukea maksettu 500 päivältä "
    "(laki kuntouttavasta työtoiminnasta 189/2001, 3 §).",
    "Aktiveringsplanen ska göras upp senast {day}: arbetsmarknadsstöd har betalats för "
    "500 dagar (lagen om arbetsverksamhet i rehabiliteringssyfte 189/2001, 3 §).",
    "The activation plan is due {day}: labour market subsidy paid for 500 days (Act on "
    "Rehabilitative Work Activity 189/2001, section 3).",
)
ACTIVATION_MEASURES = (
    ("Kuntouttava työtoiminta Rovaniemen kaupungin työpajalla 3 päivää viikossa, "
     "6 kuukautta.",
     "Arbetsverksamhet i rehabiliteringssyfte vid Rovaniemi stads verkstad 3 dagar i "
     "veckan, 6 månader.",
     "Rehabilitative work activity at the City of Rovaniemi's workshop 3 days a week, "
     "6 months."),
    ("Työkokeilu ja sen jälkeen palkkatuettu työ kolmannella sektorilla.",
     "Arbetsprövning och därefter arbete med lönesubvention inom tredje sektorn.",
     "A work trial, then subsidised work in the third sector."),
)
SOCIAL_WORKER_PARTS = (
    ("Sosiaalityöntekijä järjestää kuntouttavan työtoiminnan ja seuraa sen etenemistä "
     "kuukausittain.",
     "Socialarbetaren ordnar arbetsverksamheten och följer upp den varje månad.",
     "The social worker arranges the rehabilitative work activity and follows it up "
     "monthly."),
    ("Sosiaaliohjaaja tukee asumisen ja talouden asioissa.",
     "Socialhandledaren stöder i frågor om boende och ekonomi.",
     "The social counsellor supports with housing and money matters."),
)
INTEGRATION_TRAINING = (
    ("Kotoutumiskoulutus (suomen kieli ja yhteiskuntaopinnot), Lapin koulutuskeskus REDU, "
     "tavoitetaso B1.1.",
     "Integrationsutbildning (finska och samhällskunskap), Lapin koulutuskeskus REDU, "
     "målnivå B1.1.",
     "Integration training (Finnish and civics), Lapin koulutuskeskus REDU, target level "
     "B1.1."),
    ("Suomen kielen jatkokurssi ja ammattikieli hoiva-alalle.",
     "Fortsättningskurs i finska och yrkesspråk för vårdbranschen.",
     "A further Finnish course and the language of the care sector."),
)
INTEGRATION_MEASURES = (
    ("Tutkintojen tunnustaminen Opetushallituksessa; tutustuminen alan työpaikkoihin.",
     "Erkännande av examina vid Utbildningsstyrelsen; bekantskap med arbetsplatser i "
     "branschen.",
     "Recognition of qualifications by the Finnish National Agency for Education; visits "
     "to workplaces in the field."),
    ("Lasten päivähoitopaikan järjestäminen koulutuksen ajaksi.",
     "Att ordna dagvård för barnen under utbildningen.",
     "Arranging day care for the children during the training."),
)
LANGUAGE_NAMES = {
    "ar": ("arabia", "arabiska", "Arabic"), "ru": ("venäjä", "ryska", "Russian"),
    "uk": ("ukraina", "ukrainska", "Ukrainian"), "th": ("thai", "thailändska", "Thai"),
    "fa": ("persia", "persiska", "Persian"), "so": ("somali", "somaliska", "Somali"),
    "et": ("viro", "estniska", "Estonian"), "en": ("englanti", "engelska", "English"),
}


@dataclass
class _Meeting:
    id: str
    customer_id: str
    staff_id: str
    point_id: str
    starts_at: datetime
    ends_at: datetime
    status: AppointmentStatus
    day: date = field(init=False)

    def __post_init__(self) -> None:
        self.day = self.starts_at.astimezone(HELSINKI).date()


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def add_partners(conn: Connection, seed: int, today: date) -> dict[str, int]:
    """The register, consents, meetings' participants and tasks, the multi-professional
    plans and the plan types' own parts; returns the counts."""
    maker = _Partners(conn, seed, today)
    maker.build()
    return maker.write()


class _Partners:
    def __init__(self, conn: Connection, seed: int, today: date) -> None:
        self.conn, self.today = conn, today
        self.rng = random.Random(seed * 6151 + 24)
        self.rows: dict[Any, list[dict[str, Any]]] = {
            t: [] for t in (PartnerOrg.__table__, PartnerPerson.__table__,
                            CustomerConsent.__table__, MeetingParticipant.__table__,
                            MeetingTask.__table__, Plan.__table__, PlanVersion.__table__,
                            PlanGoal.__table__, PlanAction.__table__,
                            PlanParticipant.__table__)}
        self.org_ids: dict[str, str] = {}
        self.org_names: dict[str, str] = {}
        self.people: dict[str, list[dict[str, Any]]] = {}
        self.consents: dict[str, list[dict[str, Any]]] = {}
        self.staff_names: dict[str, str] = {}
        self.point_names: dict[str, str] = {}
        self.updates: list[tuple[str, dict[str, Any]]] = []

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamp(self, day: date, minutes: int = 10 * 60) -> datetime:
        local = datetime.combine(day, time(), HELSINKI) + timedelta(minutes=minutes)
        return min(local.astimezone(UTC), self.now)

    @property
    def now(self) -> datetime:
        return datetime.combine(self.today, time(8), HELSINKI).astimezone(UTC)

    @staticmethod
    def synced(at: datetime) -> dict[str, Any]:
        return {"version": 1, "hlc": "", "updated_at": at, "updated_by": None,
                "deleted_at": None}

    def add(self, table: Any, row: dict[str, Any], at: datetime | None = None) -> dict:
        row = row | self.synced(at or self.now)
        self.rows[table].append(row)
        return row

    # --- the register ----------------------------------------------------------------

    def register(self) -> None:
        since = self.stamp(self.today - timedelta(days=400))
        for key, name, kind, phone, email, street, postal, active in ORGS:
            org_id = self.new_id()
            self.org_ids[key], self.org_names[key] = org_id, name
            self.add(PartnerOrg.__table__, {
                "id": org_id, "name": name, "kind": kind, "phone": phone.replace(" ", ""),
                "email": email, "street_address": street, "postal_code": postal,
                "post_office": "ROVANIEMI", "active": active}, since)
            self.people[key] = []
            for full_name, title, alive in PEOPLE[key]:
                first, last = full_name.lower().split(" ", 1)
                domain = email.split("@", 1)[1]
                person = self.add(PartnerPerson.__table__, {
                    "id": self.new_id(), "partner_org_id": org_id, "full_name": full_name,
                    "title": title,
                    "phone": f"040{self.rng.randint(1000000, 9999999)}",
                    "email": f"{_ascii(first)}.{_ascii(last)}@{domain}",
                    "active": alive and active}, since)
                if person["active"]:
                    self.people[key].append(person)

    # --- reading the demo back --------------------------------------------------------

    def build(self) -> None:
        conn = self.conn
        self.register()
        self.staff_names = dict(conn.execute(select(Staff.id, Staff.full_name)).all())
        self.point_names = dict(conn.execute(select(ServicePoint.id, ServicePoint.name)).all())
        staff_by_point: dict[str, list[str]] = {}
        for sid, point, role in conn.execute(
                select(Staff.id, Staff.service_point_id, Staff.role)
                .where(Staff.active.is_(True)).order_by(Staff.id)):
            if Role(role) in (Role.COACH, Role.TEAM_LEAD):
                staff_by_point.setdefault(point, []).append(sid)
        customers = {c.id: c for c in conn.execute(
            select(Customer.id, Customer.birth_date, Customer.language, Customer.coach_id,
                   Customer.interpreter_needed, Customer.first_residence_permit_on)
            .where(Customer.deleted_at.is_(None), Customer.erased_at.is_(None)))}
        meetings: dict[str, list[_Meeting]] = {}
        for a in conn.execute(
                select(Appointment.id, Appointment.customer_id, Appointment.staff_id,
                       Appointment.service_point_id, Appointment.starts_at,
                       Appointment.ends_at, Appointment.status)
                .where(Appointment.deleted_at.is_(None),
                       Appointment.type == AppointmentType.MULTI_PROFESSIONAL,
                       Appointment.customer_id.is_not(None))
                .order_by(Appointment.starts_at, Appointment.id)):
            if a.customer_id in customers and AppointmentStatus(a.status) \
                    is not AppointmentStatus.CANCELLED:
                meetings.setdefault(a.customer_id, []).append(_Meeting(
                    a.id, a.customer_id, a.staff_id, a.service_point_id,
                    _utc(a.starts_at), _utc(a.ends_at), AppointmentStatus(a.status)))
        for customer_id in sorted(meetings):
            customer = customers[customer_id]
            lang = PRINT_LANGUAGES.index(print_language(customer.language))
            held = meetings[customer_id]
            self.consent_for(customer, held, lang)
            for meeting in held:
                self.meeting(meeting, lang, staff_by_point.get(meeting.point_id, []))
            self.multi_plan(customer, held, lang)
        self.plan_parts(customers)

    # --- consents ---------------------------------------------------------------------

    def consent_for(self, customer: Any, held: list[_Meeting], lang: int) -> None:
        rng = self.rng
        first, last = held[0].day, held[-1].day
        recorder = held[0].staff_id
        given = first - timedelta(days=rng.randint(5, 30))
        young = customer.birth_date is not None and (
            self.today.year - customer.birth_date.year) < 30
        chosen: list[tuple[str, tuple[ConsentInfo, ...]]] = [
            ("county", (I.CONTACT, I.PLAN, I.WORK_ABILITY))]
        second = rng.choices(SECOND, [(60 if young else 0) if key == "ohjaamo" else w
                                      for key, _info, w in SECOND])[0]
        if rng.random() < 0.7:
            chosen.append((second[0], second[1]))
        rows = []
        for index, (key, info) in enumerate(chosen):
            until = None if rng.random() < 0.6 else given + timedelta(days=365 * 2)
            row = {"id": self.new_id(), "customer_id": customer.id,
                   "partner_org_id": self.org_ids[key],
                   "purpose": PURPOSES[min(index, 1) if key == "county" else 0][lang],
                   "information": consent_rules.format_information(info),
                   "given_how": rng.choices([h for h, _w in HOW_WEIGHTS],
                                            [w for _h, w in HOW_WEIGHTS])[0],
                   "valid_from": given, "valid_until": until, "withdrawn_on": None,
                   "withdrawn_by": None, "recorded_by": recorder}
            rows.append(row)
        # Some withdrew one after their last meeting (nothing shared under it since).
        if last < self.today - timedelta(days=3) and rng.random() < 0.2:
            row = rows[-1]
            row["withdrawn_on"] = last + timedelta(days=rng.randint(1, (self.today - last).days
                                                               - 1 or 1))
            row["withdrawn_by"] = customer.coach_id or recorder
        # A few had an earlier consent to the county that expired before this one.
        if rng.random() < 0.1:
            old_from = given - timedelta(days=rng.randint(400, 700))
            rows.append({**rows[0], "id": self.new_id(), "valid_from": old_from,
                         "valid_until": given - timedelta(days=rng.randint(1, 30)),
                         "information": consent_rules.format_information((I.CONTACT,
                                                                          I.PLAN))})
        for row in rows:
            at = self.stamp(row["withdrawn_on"] or row["valid_from"])
            self.add(CustomerConsent.__table__, row, at)
        self.consents[customer.id] = rows

    def consented(self, customer_id: str, day: date) -> list[str]:
        """The organisations (keys) under a consent in force on `day` covering plans."""
        keys = {v: k for k, v in self.org_ids.items()}
        facts = [consent_rules.ConsentFacts(
            r["partner_org_id"], consent_rules.parse_information(r["information"]),
            r["valid_from"], r["valid_until"], r["withdrawn_on"])
            for r in self.consents.get(customer_id, [])]
        return sorted({keys[f.partner_org_id] for f in facts
                       if consent_rules.consent_for(facts, f.partner_org_id,
                                                    consent_rules.MEETING_NEEDS, day)})

    # --- meetings ---------------------------------------------------------------------

    def meeting(self, m: _Meeting, lang: int, colleagues: list[str]) -> None:
        rng = self.rng
        participants = []
        for key in self.consented(m.customer_id, m.day):
            if not self.people[key]:
                continue
            for person in rng.sample(self.people[key],
                                     min(len(self.people[key]), rng.choice((1, 1, 2)))):
                participants.append(("partner", person["id"], key))
        others = [s for s in colleagues if s != m.staff_id]
        if others and rng.random() < 0.35:
            participants.append(("staff", rng.choice(others), "staff"))
        held = m.status is AppointmentStatus.DONE
        booked = m.starts_at - timedelta(days=rng.randint(7, 21))
        m_rows = []
        for kind, who, key in participants[:4]:
            attended: bool | None = None
            if held:
                attended = rng.random() < 0.9
            elif m.status is AppointmentStatus.NO_SHOW:
                attended = True  # the partners came; the customer did not
            row = self.add(MeetingParticipant.__table__, {
                "id": consent_rules.participant_id(m.id, who), "appointment_id": m.id,
                "customer_id": m.customer_id,
                "partner_person_id": who if kind == "partner" else None,
                "staff_id": who if kind == "staff" else None,
                "role": ROLES[key][lang],
                "invited_at": booked if kind == "partner" and rng.random() < 0.85 else None,
                "attended": attended}, min(m.ends_at, self.now))
            m_rows.append(row)
        if not held or not m_rows:
            return
        for _ in range(rng.randint(1, 3)):
            who = rng.choice(m_rows)
            due = m.day + timedelta(days=rng.randint(7, 45))
            done = None
            if due < self.today and rng.random() < 0.75:
                done = due - timedelta(days=rng.randint(0, 6))
            elif due >= self.today and rng.random() < 0.3:
                done = min(self.today, m.day + timedelta(days=rng.randint(1, 6)))
            self.add(MeetingTask.__table__, {
                "id": self.new_id(), "appointment_id": m.id, "customer_id": m.customer_id,
                "participant_id": who["id"], "text": rng.choice(TASKS), "due_on": due,
                "done_on": done}, self.stamp(done or m.day))

    # --- the multi-professional plan -----------------------------------------------------

    def multi_plan(self, customer: Any, held: list[_Meeting], lang: int) -> None:
        rng = self.rng
        done = [m for m in held if m.status is AppointmentStatus.DONE]
        if not done:
            return
        plan_id = self.new_id()
        coach = customer.coach_id or done[0].staff_id
        self.add(Plan.__table__, {"id": plan_id, "customer_id": customer.id,
                                  "plan_type": PlanType.MULTI_PROFESSIONAL,
                                  "coach_id": coach}, _utc(done[0].ends_at))
        chosen = done[:1] + done[-1:] if len(done) > 1 else done
        previous: dict[str, Any] | None = None
        for number, m in enumerate(chosen, start=1):
            # The latest meeting of the last week left its minute in a draft.
            draft = number == len(chosen) and m.day >= self.today - timedelta(days=7)
            if previous is not None and not draft:
                previous["status"] = PlanStatus.SUPERSEDED
            version_id = self.new_id()
            minute = rng.choice(MINUTES[:2]) if number == 1 else MINUTES[2]
            version = self.add(PlanVersion.__table__, {
                "id": version_id, "plan_id": plan_id, "number": number,
                "status": PlanStatus.DRAFT if draft else PlanStatus.ACCEPTED,
                "based_on_id": previous["id"] if previous else None,
                "accepted_how": None if draft else "signed",
                "accepted_at": None if draft else _utc(m.ends_at),
                "accepted_by": None if draft else m.staff_id,
                "applications_per_period": None, "period_months": None,
                "obligation_starts_on": None, "obligation_lowered_reason": None,
                "contact_method": rng.choice(words.CONTACT_METHODS)[lang],
                "contact_frequency": words.CONTACT_FREQUENCY[lang],
                "next_review_on": m.day + timedelta(days=90),
                "summary": words.PLAN_SUMMARIES[2][lang], "meeting_id": m.id,
                "meeting_minute": minute[lang],
                "follow_up_on": m.day + timedelta(days=rng.randint(45, 90)),
                "customer_view": rng.choice(CUSTOMER_VIEWS)[lang],
                "activation_conditions": None, "activation_measures": None,
                "social_worker_part": None, "integration_training": None,
                "residence_permit_on": None, "interpreter_language": None,
                "integration_measures": None}, _utc(m.ends_at))
            goals = (("other", rng.choice(words.PLAN_GOALS["other"])),
                     ("work", rng.choice(words.PLAN_GOALS["work"])))
            for position, (kind, goal) in enumerate(goals):
                self.add(PlanGoal.__table__, {
                    "id": self.new_id(), "plan_version_id": version_id, "kind": kind,
                    "text": goal[lang], "position": position}, _utc(m.ends_at))
            for position, (actor, text) in enumerate(ACTIONS):
                due = m.day + timedelta(days=rng.randint(14, 60))
                self.add(PlanAction.__table__, {
                    "id": self.new_id(), "plan_version_id": version_id, "actor": actor,
                    "text": text[lang], "due_on": due,
                    "done": due < self.today and rng.random() < 0.6,
                    "position": position}, _utc(m.ends_at))
            self.plan_participants(version_id, m, lang)
            previous = version

    def plan_participants(self, version_id: str, m: _Meeting, lang: int) -> None:
        people = {p["id"]: (key, p) for key, group in self.people.items() for p in group}
        position = 0
        for row in self.rows[MeetingParticipant.__table__]:
            if row["appointment_id"] != m.id:
                continue
            if row["partner_person_id"]:
                key, person = people[row["partner_person_id"]]
                name, organisation = person["full_name"], self.org_names[key]
            else:
                key = "staff"
                name = self.staff_names.get(row["staff_id"], "")
                organisation = self.point_names.get(m.point_id, "")
            self.add(PlanParticipant.__table__, {
                "id": self.new_id(), "plan_version_id": version_id,
                "partner_person_id": row["partner_person_id"], "staff_id": row["staff_id"],
                "name": name, "organisation": organisation, "role": row["role"],
                "responsibilities": RESPONSIBILITIES.get(key, RESPONSIBILITIES["staff"])[lang],
                "services": SERVICES[key][lang] if key in SERVICES else None,
                "position": position}, _utc(m.ends_at))
            position += 1

    # --- the activation and integration plans' own parts ---------------------------------

    def plan_parts(self, customers: dict[str, Any]) -> None:
        rng = self.rng
        found = self.conn.execute(
            select(PlanVersion.id, PlanVersion.accepted_at, Plan.plan_type, Plan.customer_id,
                   Customer.language, Customer.interpreter_needed,
                   Customer.first_residence_permit_on)
            .join(Plan, Plan.id == PlanVersion.plan_id)
            .join(Customer, Customer.id == Plan.customer_id)
            .where(Plan.plan_type.in_((PlanType.ACTIVATION, PlanType.INTEGRATION)),
                   PlanVersion.deleted_at.is_(None))
            .order_by(PlanVersion.id)).all()
        for v in found:
            lang = PRINT_LANGUAGES.index(print_language(v.language))
            made = (_utc(v.accepted_at).astimezone(HELSINKI).date() if v.accepted_at
                    else self.today)
            values: dict[str, Any]
            if PlanType(v.plan_type) is PlanType.ACTIVATION:
                values = {
                    "activation_conditions": ACTIVATION_CONDITIONS[lang].format(
                        day=f"{made:%d.%m.%Y}" if lang < 2 else made.isoformat()),
                    "activation_measures": rng.choice(ACTIVATION_MEASURES)[lang],
                    "social_worker_part": rng.choice(SOCIAL_WORKER_PARTS)[lang]}
            else:
                names = LANGUAGE_NAMES.get(v.language)
                values = {
                    "integration_training": rng.choice(INTEGRATION_TRAINING)[lang],
                    "residence_permit_on": v.first_residence_permit_on,
                    "interpreter_language": names[lang] if v.interpreter_needed and names
                    else None,
                    "integration_measures": rng.choice(INTEGRATION_MEASURES)[lang]}
            self.updates.append((v.id, values))

    # --- writing ---------------------------------------------------------------------

    def write(self) -> dict[str, int]:
        for table, rows in self.rows.items():
            for start in range(0, len(rows), CHUNK):
                self.conn.execute(insert(table), rows[start:start + CHUNK])
        for version_id, values in self.updates:
            self.conn.execute(update(PlanVersion.__table__)
                              .where(PlanVersion.__table__.c.id == version_id).values(**values))
        return {table.name: len(rows) for table, rows in self.rows.items()} | {
            "plan_parts": len(self.updates)}


def _ascii(text: str) -> str:
    return (text.replace("ä", "a").replace("ö", "o").replace("å", "a").replace(" ", "")
            .replace("-", ""))


PARTNER_USERNAME = "opo"  # the demo partner's account: REDU's career counsellor at Osaamo
PARTNER_CONSENTS = 12  # Rovaniemi customers who consented to share with REDU


def add_partner_account(conn: Connection, seed: int, today: date, verifier: str
                        ) -> dict[str, int]:
    """A partner's staff account (#24): REDU's career counsellor at Osaamo, signing in
    as `opo` (password `demo`), and the consents that give it its reach: some Rovaniemi
    customers agreed to share identity, contact details and plans with REDU, two of them
    contact details only, one withdrew last month."""
    from app.models import StaffCredential

    rng = random.Random(seed * 7919 + 24)
    org_id = conn.execute(select(PartnerOrg.id).where(
        PartnerOrg.name == "Lapin koulutuskeskus REDU")).scalar_one()
    point_id = conn.execute(select(ServicePoint.id).where(
        ServicePoint.code == "ROV")).scalar_one()
    at = datetime.combine(today - timedelta(days=200), time(8), HELSINKI).astimezone(UTC)
    synced = {"version": 1, "hlc": "", "updated_at": at, "updated_by": None,
              "deleted_at": None}
    staff_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    conn.execute(insert(Staff.__table__), [{
        "id": staff_id, "username": PARTNER_USERNAME, "full_name": "Outi Lehtola",
        "role": Role.PARTNER.value, "team_id": None, "service_point_id": point_id,
        "title": "Opinto-ohjaaja, Lapin koulutuskeskus REDU", "phone": "0207984111",
        "email": "outi.lehtola@redu.example.fi", "active": True, "partner_org_id": org_id,
        **synced}])
    conn.execute(insert(StaffCredential.__table__), [{
        "staff_id": staff_id, "verifier": verifier, "updated_at": at}])
    already = set(conn.execute(select(CustomerConsent.customer_id).where(
        CustomerConsent.partner_org_id == org_id)).scalars())
    young = list(conn.execute(
        select(Customer.id).where(
            Customer.service_point_id == point_id, Customer.active.is_(True),
            Customer.deleted_at.is_(None), Customer.erased_at.is_(None),
            Customer.birth_date > date(today.year - 30, 1, 1))
        .order_by(Customer.id)).scalars())
    chosen = [c for c in young if c not in already][:PARTNER_CONSENTS]
    # Recorded (and the one withdrawn, withdrawn) by a Rovaniemi coach.
    coach_id = conn.execute(select(Staff.id).where(
        Staff.service_point_id == point_id, Staff.role == Role.COACH.value,
        Staff.active.is_(True)).order_by(Staff.id)).scalars().first()
    rows = []
    for n, customer_id in enumerate(chosen):
        given = today - timedelta(days=200 if n == 3 else rng.randint(20, 300))
        rows.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "customer_id": customer_id, "partner_org_id": org_id,
            "purpose": "Uraohjaus ja opintojen suunnittelu Osaamossa",
            "information": "contact" if n in (1, 2) else "contact,plan",
            "given_how": ConsentHow.SIGNED.value if n % 2 else ConsentHow.IN_PERSON.value,
            "valid_from": given, "valid_until": None,
            "withdrawn_on": today - timedelta(days=30) if n == 3 else None,
            "withdrawn_by": coach_id if n == 3 else None, "recorded_by": coach_id,
            **(synced | {"updated_at": datetime.combine(given, time(9), HELSINKI)
                         .astimezone(UTC)})})
    if rows:
        conn.execute(insert(CustomerConsent.__table__), rows)
    tickets = add_partner_desk(conn, today, point_id, org_id, synced,
                               chosen[0] if chosen else None)
    return {"partner_account": 1, "partner_account_consents": len(rows),
            "partner_tickets": tickets}


# REDU's career guidance at Osaamo (#24): a queue service served at the partner's desk.
# Named plainly: the queue's dialogs name the partner beside a partner's service.
CAREER_GUIDANCE = ("career_guidance", "Opinto-ohjaus", "Studiehandledning", "Career guidance")


def add_partner_desk(conn: Connection, today: date, point_id: str, org_id: str,
                     synced: dict[str, Any], consented: str | None) -> int:
    """REDU's career guidance as one of Rovaniemi's queue services, and, when the
    point's queue runs today, two walk-ins waiting for it: one sent over from the desk
    (a customer who consented to share with REDU), one who came for it straight."""
    from app.models import OfferedService, QueueTicket
    from app.rules.queue import service_id

    code, fi, sv, en = CAREER_GUIDANCE
    position = conn.execute(select(func.count()).select_from(OfferedService).where(
        OfferedService.service_point_id == point_id)).scalar_one()
    service = service_id(point_id, code)
    conn.execute(insert(OfferedService.__table__), [{
        "id": service, "service_point_id": point_id, "code": code, "name_fi": fi,
        "name_sv": sv, "name_en": en, "service_area": "skills", "partner_org_id": org_id,
        "position": position, "active": True, **synced}])
    # The queue's moment is its latest arrival's (the area's demo sets the snapshot).
    found: datetime | None = conn.execute(select(func.max(QueueTicket.arrived_at)).where(
        QueueTicket.service_point_id == point_id,
        QueueTicket.ticket_date == today)).scalar_one()
    if found is None:
        return 0  # no queue today (a weekend, a holiday)
    latest = found if found.tzinfo else found.replace(tzinfo=UTC)
    rows = []
    for number, (before, customer, leg, note) in enumerate((
            (25, consented, 1, "Kysyy oppisopimuskoulutuksesta"),
            (6, None, 0, None)), 1):
        arrived = latest - timedelta(minutes=before)
        rows.append({
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL,
                                 f"demo-partner-ticket:{point_id}:{today}:{number}")),
            "service_point_id": point_id, "ticket_date": today, "letter": "R",
            "number": number, "customer_id": customer, "service_area": "skills",
            "queue_service_id": service, "priority": 0, "priority_reason": None,
            "note": None, "state": "waiting", "arrived_at": arrived, "called_at": None,
            "first_called_at": None, "leg": leg, "recalls": 0, "transfer_note": note,
            "service_started_at": None, "finished_at": None, "desk": None,
            "served_by": None, "transferred_to_staff": None, "appointment_id": None,
            **(synced | {"updated_at": arrived})})
    conn.execute(insert(QueueTicket.__table__), rows)
    return len(rows)
