"""Demo data of a customer's case (issue #19): job-search periods with a year of exits by
reason, a few reopened cases, the case facts behind the statutory rules (partial work
ability, the benefit and its days), case notes with an edit history, and a few people
registered twice (once with a temporary identity code) waiting to be merged.

Drawn from the demo's own `random.Random`, so the same seed gives the same rows; every
row goes through the demo's `synced()` like the rest (as if pulled: no outbox)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, insert, select, update

from app.models import CoachAssignment, Customer, case_facts_id, first_period_id
from app.rules.codes import BenefitType, CaseExitReason, Channel, NoteKind, ServiceArea

if TYPE_CHECKING:
    from app.demo.area import _CustomerMaker, _Demo, _Person

R = CaseExitReason
# Why the year's cases ended (weights): most found work in the open labour market.
EXIT_WEIGHTS = {
    R.EMPLOYED_OPEN_MARKET: 42, R.STUDIES: 14, R.OTHER_SERVICES: 11,
    R.EMPLOYED_PAY_SUBSIDY: 9, R.MOVED_AWAY: 7, R.OTHER: 7, R.SELF_EMPLOYED: 5,
    R.ENDED_BY_AUTHORITY: 5,
}
# Of the customers, about a fifth had their case end during the last year (a day drawn
# for 35 %, kept when the case had been open a fortnight by then).
CLOSED_SHARE = 0.35
REOPENED_SHARE = 0.04  # of the customers, a case that ended and began again this year
KEEP_COACH_SHARE = 0.15  # closed, the coach stays named for a follow-up
NOTE_SHARE = 0.3
FACTS_SHARE = 0.35  # of those with a benefit, the coach has copied Kela's figures
DUPLICATES_PER_SCALE = 5
# Kept in the coach history (data, not UI text), as services/case_periods.py writes it.
RELEASE_REASON = "Työnhakujakso päättyi: asiakas poistui salkusta"

# Short, neutral outcome notes by reason (invented).
OUTCOMES: dict[CaseExitReason, tuple[str, ...]] = {
    R.EMPLOYED_OPEN_MARKET: (
        "Työllistyi kaupan alalle, vakituinen työsuhde.",
        "Määräaikainen työsuhde rakennusalalla, kesto vuosi.",
        "Työllistyi hoitoalalle osa-aikaiseen työhön.",
        "Sai työpaikan rekrytointitilaisuuden kautta.",
        "Työsuhde alkoi koeajalla, jatko sovittu.",
    ),
    R.EMPLOYED_PAY_SUBSIDY: (
        "Palkkatuettu työ yhdistyksessä, 12 kuukautta.",
        "Palkkatuki kunnan tekniseen toimeen.",
    ),
    R.SELF_EMPLOYED: ("Aloitti yritystoiminnan, starttiraha myönnetty.",
                      "Toiminimi perustettu, päätoiminen yrittäjä."),
    R.STUDIES: ("Aloitti ammatillisen tutkinnon opinnot.",
                "Hyväksytty ammattikorkeakouluun, päätoimiset opinnot.",
                "Oppisopimuskoulutus alkoi."),
    R.MOVED_AWAY: ("Muutti toiselle paikkakunnalle, asiakkuus siirtyy.",
                   "Muutti ulkomaille."),
    R.OTHER_SERVICES: ("Siirtyi kuntoutukseen.", "Ohjattu sosiaalipalveluihin.",
                       "Siirtyi eläkeselvitykseen."),
    R.ENDED_BY_AUTHORITY: ("Työnhaku päättyi, kun yhteydenottoihin ei vastattu.",),
    R.OTHER: ("Asiakas ilmoitti lopettavansa työnhaun.", "Perhevapaa alkoi."),
}
GENERAL_NOTES = (
    "Keskusteltu työnhaun tilanteesta, hakemuksia lähetetty neljä.",
    "Asiakas kiinnostunut logistiikka-alan koulutuksesta.",
    "Sovittu CV:n päivittämisestä ennen seuraavaa tapaamista.",
    "Asiakas osallistui rekrytointitapahtumaan.",
    "Kielitaidon kehittäminen sovittu suunnitelmaan.",
    "Asiakas toivoo yhteydenottoa puhelimitse.",
    "Selvitetty mahdollisuus palkkatukeen.",
)
WORK_ABILITY_NOTES = (
    "Työkyvyn arviointi sovittu työterveyteen.",
    "Kevyet työtehtävät sopivat, ei pitkiä seisomatöitä.",
    "Kuntoutusselvitys käynnissä, seuraava tapaaminen sen jälkeen.",
    "Osatyökykyisyys huomioidaan työnhaussa, enintään kuusi tuntia päivässä.",
)
EDITED_ENDING = " Tarkennettu puhelun jälkeen."
WORK_ABILITY_BASES = (
    "Lääkärinlausunto", "Työkykyarvio työterveyshuollosta", "Kuntoutusselvitys",
    "Kelan päätös osatyökyvyttömyyseläkkeestä",
)


@dataclass(slots=True)
class _Closed:
    customer_id: str
    closed_on: date
    release: bool


class CaseMaker:
    """The case rows of each customer as the demo makes them, then a few duplicates."""

    def __init__(self, demo: _Demo) -> None:
        self.demo, self.rng = demo, demo.rng
        self.periods: list[dict[str, Any]] = []
        self.facts: list[dict[str, Any]] = []
        self.notes: list[dict[str, Any]] = []
        self.closed: list[_Closed] = []
        # (the real one, the duplicate's id, the day the duplicate was registered)
        self.duplicates: list[tuple[_Person, str, date]] = []

    # --- each customer --------------------------------------------------------------

    def add(self, person: _Person, row: dict[str, Any], unemployment: list[dict[str, Any]],
            partial: bool) -> None:
        """The customer's periods (a share closed during the last year, a few reopened),
        their case facts and notes. Sets `row["active"]` and `person.closed_on`."""
        rng, today = self.rng, self.demo.today
        registered: date = row["jobseeker_registered_on"]
        year_ago = today - timedelta(days=365)
        roll = rng.random()
        if roll < REOPENED_SHARE and registered > year_ago + timedelta(days=30):
            # An earlier period ended this year; the present one began after it.
            closed = registered - timedelta(days=rng.randint(1, 25))
            opened = closed - timedelta(days=rng.randint(60, 500))
            self.periods.append(self.period(first_period_id(row["id"]), row["id"], opened,
                                            closed, self.reason()))
            self.periods.append(self.period(self.demo.new_id(), row["id"], registered))
        elif (roll < REOPENED_SHARE + CLOSED_SHARE
              and (closed := self.demo.pick_day(year_ago)) >= registered + timedelta(days=14)):
            # Spread over the year: a day drawn first, kept when the case was open then.
            reason = self.reason()
            self.periods.append(self.period(first_period_id(row["id"]), row["id"], registered,
                                            closed, reason))
            row["active"], person.closed_on = False, closed
            self.closed.append(_Closed(row["id"], closed, rng.random() >= KEEP_COACH_SHARE))
            current = unemployment[-1]
            if reason is not R.OTHER and current["starts_on"] <= closed:
                current["ends_on"] = closed
        else:
            self.periods.append(self.period(first_period_id(row["id"]), row["id"], registered))
        self.case_facts(row, unemployment, partial)
        if partial or rng.random() < NOTE_SHARE:
            self.case_notes(person, partial)

    def reason(self) -> CaseExitReason:
        return self.rng.choices(list(EXIT_WEIGHTS), list(EXIT_WEIGHTS.values()))[0]

    def period(self, period_id: str, customer_id: str, opened: date, closed: date | None = None,
               reason: CaseExitReason | None = None) -> dict[str, Any]:
        note = self.rng.choice(OUTCOMES[reason]) if reason and self.rng.random() < 0.8 else None
        return {"id": period_id, "customer_id": customer_id, "opened_on": opened,
                "closed_on": closed, "exit_reason": reason, "outcome_note": note,
                **self.demo.synced()}

    def case_facts(self, row: dict[str, Any], unemployment: list[dict[str, Any]],
                   partial: bool) -> None:
        """Partial work ability (it used to be a customer column the desk could read) and,
        for a share of those on a benefit, the benefit's figures from Kela's statement."""
        rng, today = self.rng, self.demo.today
        current = unemployment[-1]
        benefit: BenefitType = current["benefit"]
        figures = benefit is not BenefitType.NONE and rng.random() < FACTS_SHARE
        if not (partial or figures):
            return
        facts: dict[str, Any] = {
            "id": case_facts_id(row["id"]), "customer_id": row["id"],
            "partial_work_ability": partial, "work_ability_since": None,
            "work_ability_basis": None, "benefit": None, "first_benefit_on": None,
            "subsidy_days": None, "subsidy_days_on": None, "allowance_exhausted_on": None,
            **self.demo.synced()}
        if partial:
            facts["work_ability_since"] = current["starts_on"] - timedelta(
                days=rng.randint(0, 900))
            facts["work_ability_basis"] = rng.choice(WORK_ABILITY_BASES)
        if figures:
            first = current["starts_on"] + timedelta(days=7)  # after the waiting days
            facts["benefit"] = benefit
            facts["first_benefit_on"] = first if first <= today else None
            if benefit is BenefitType.LABOUR_MARKET_SUBSIDY and first < today:
                # The earnings-related or basic allowance ran out first for the long-term
                # unemployed (400 benefit days, about 80 weeks).
                exhausted = first + timedelta(weeks=80)
                counted_from = first
                if exhausted < today - timedelta(days=30):
                    facts["allowance_exhausted_on"] = exhausted
                    counted_from = exhausted
                as_of = today - timedelta(days=rng.randint(3, 60))
                if as_of > counted_from:
                    facts["subsidy_days"] = (as_of - counted_from).days * 5 // 7
                    facts["subsidy_days_on"] = as_of
        self.facts.append(facts)

    def case_notes(self, person: _Person, partial: bool) -> None:
        rng, demo = self.rng, self.demo
        kinds = [NoteKind.GENERAL] * rng.randint(1, 2)
        if partial or (person.area is ServiceArea.WORK_ABILITY and rng.random() < 0.5):
            kinds.append(NoteKind.WORK_ABILITY)
        for kind in kinds:
            author = person.coach or demo.some_coach(person.point, person.area)
            day = demo.pick_day(person.registered_on, person.closed_on)
            written = demo.at(day, rng.randint(8 * 60, 15 * 60 + 30))
            texts = WORK_ABILITY_NOTES if kind is NoteKind.WORK_ABILITY else GENERAL_NOTES
            note = {"id": demo.new_id(), "customer_id": person.id, "kind": kind,
                    "text": rng.choice(texts), "author_id": author.id, "written_at": written,
                    "supersedes_id": None, **demo.synced(written)}
            self.notes.append(note)
            if rng.random() < 0.08 and written + timedelta(days=1) < demo.now:
                # Edited later: the new text supersedes the earlier, which is tombstoned.
                edited = written + timedelta(hours=rng.randint(1, 72))
                edited = min(edited, demo.now - timedelta(minutes=5))
                note.update(deleted_at=edited, updated_at=edited)
                self.notes.append({**note, "id": demo.new_id(), "supersedes_id": note["id"],
                                   "text": note["text"] + EDITED_ENDING, "written_at": edited,
                                   **demo.synced(edited)})

    # --- duplicates -----------------------------------------------------------------

    def add_duplicates(self, maker: _CustomerMaker, people: list[_Person],
                       rows: list[dict[str, Any]]) -> None:
        """A few people registered twice at Rovaniemi: once by their identity code, and
        again (a newer record) with a temporary identity code, the same name and birth
        date. Each record has a visit, so a merge has something to move."""
        rng, today = self.rng, self.demo.today
        by_id = {row["id"]: row for row in rows}
        candidates = [p for p in people if p.point == "ROV" and p.closed_on is None
                      and by_id[p.id]["hetu"] and not by_id[p.id]["hetu_temporary"]]
        count = min(len(candidates), max(2, self.demo.n(DUPLICATES_PER_SCALE)))
        for person in rng.sample(candidates, count):
            real = by_id[person.id]
            male = int(real["hetu"][7:10]) % 2 == 1
            dup_id, number = maker.ids()
            registered = today - timedelta(days=rng.randint(3, 60))
            rows.append({
                **real, "id": dup_id, "customer_number": number,
                "hetu": maker.hetu(real["birth_date"], male, True), "hetu_temporary": True,
                "phone": None, "email": None, "coach_id": None,
                "jobseeker_registered_on": registered, "unemployed_since": registered,
                "active": True, **self.demo.synced()})
            self.periods.append(self.period(first_period_id(dup_id), dup_id, registered))
            self.duplicates.append((person, dup_id, registered))

    def duplicate_visits(self) -> None:
        """A walk-in visit on each record of a duplicate pair."""
        demo = self.demo
        for person, dup_id, registered in self.duplicates:
            for customer_id, earliest in ((person.id, person.registered_on),
                                          (dup_id, registered)):
                day = demo.pick_day(earliest)
                start = demo.at(day, self.rng.randint(8 * 60 + 15, 15 * 60))
                demo.visits.append(demo.visit(
                    customer_id, "ROV", Channel.SERVICE_POINT, True, ServiceArea.INFORMATION,
                    demo.desk_or_coach("ROV"), start, self.rng.randint(6, 20),
                    wait=self.rng.randint(0, 15)))


def release_coaches(conn: Connection, cases: CaseMaker) -> None:
    """Most closed cases left their coach's caseload on the closing day (the coach
    history says so); a few keep the coach named for a follow-up. Run after the coach
    history (add_coaching) and the leave step, which read the customers' coaches."""
    demo = cases.demo
    coaches = dict(conn.execute(select(Customer.id, Customer.coach_id).where(
        Customer.active.is_(False), Customer.coach_id.is_not(None))).all())
    rows = []
    for case in cases.closed:
        if not case.release:
            continue
        previous = coaches.get(case.customer_id)
        if previous is None:
            continue
        at = demo.at(case.closed_on, 15 * 60)
        rows.append({"id": demo.new_id(), "customer_id": case.customer_id, "coach_id": None,
                     "previous_coach_id": previous, "reason": RELEASE_REASON,
                     "assigned_at": at, **demo.synced()})
    if rows:
        table = Customer.__table__
        conn.execute(update(table).where(table.c.id == bindparam("cid"))
                     .values(coach_id=None), [{"cid": r["customer_id"]} for r in rows])
        conn.execute(insert(CoachAssignment.__table__), rows)
