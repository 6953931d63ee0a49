"""Case notes and facts through a real central PostgreSQL: a coach's note (and its edit,
with the earlier text kept) and facts reach the centre and the coach's other
workstation; the desk's workstation, syncing as the desk's own login, gets none of them;
and each central role, in plain SQL with its own login, reads and writes `customer_note`
and `case_facts` only as the caseload rule says (the desk: nothing at all)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from app.dto.case_work import CaseFactsInput
from app.models import CaseFacts, Customer, CustomerNote
from tests.factories import customer_input
from tests.integration.test_central_security import World
from tests.integration.test_hostile_client import owner, refused

NOTE = ("INSERT INTO customer_note (id, customer_id, kind, text, written_at, updated_at) "
        "VALUES (:id, :cid, :kind, 'x', now(), now())")
FACTS = ("INSERT INTO case_facts (id, customer_id, partial_work_ability, updated_at) "
         "VALUES (:id, :cid, true, now())")


def changes_nothing(world, name, sql):
    """Refused outright (no grant, a policy) or, where the rows are out of sight, no row
    changed."""
    try:
        return world.run(name, sql) == 0
    except (ProgrammingError, DBAPIError):
        return True


# --- each central role in SQL -------------------------------------------------------------

@pytest.fixture
def world(pg_url):
    made = World(pg_url)
    owner(made, FACTS, id="f-mine", cid="c-mine")
    owner(made, FACTS, id="f-rov", cid="c-rov")
    owner(made, FACTS, id="f-other", cid="c-other")
    yield made
    made.close()


def test_the_desk_login_reads_and_writes_no_note_and_no_facts(world):
    assert world.ids("desk", "customer_note") == []
    assert world.ids("desk", "case_facts") == []
    for kind in ("general", "work_ability"):
        assert refused(world, "desk", NOTE, id=f"n-d-{kind}", cid="c-rov", kind=kind)
    assert refused(world, "desk", FACTS.replace("true", "false"), id="f-d", cid="c-ran-x")
    assert refused(world, "desk", FACTS, id="f-d2", cid="c-rov")
    for sql in ("UPDATE customer_note SET text = 'y'",
                "UPDATE customer_note SET deleted_at = now()",
                "UPDATE case_facts SET subsidy_days = 1"):
        assert changes_nothing(world, "desk", sql), sql
    assert owner(world, "SELECT count(*) FROM customer_note WHERE text = 'y'").scalar() == 0


def test_notes_and_facts_by_caseload_for_each_coach_and_lead(world):
    # The customer's coach: reads and writes both, the note's edit included.
    assert "n-mine" in world.ids("coach", "customer_note")
    assert world.ids("coach", "case_facts") == ["f-mine", "f-rov"]  # own + point's unowned
    world.run("coach", NOTE, id="n-c2", cid="c-mine", kind="work_ability")
    world.run("coach", "INSERT INTO customer_note (id, customer_id, kind, text, written_at,"
                       " updated_at, supersedes_id) VALUES ('n-c3', 'c-mine', 'work_ability',"
                       " 'z', now(), now(), 'n-c2')")
    assert world.run("coach", "UPDATE customer_note SET deleted_at = now() "
                              "WHERE id = 'n-c2'") == 1
    assert world.run("coach", "UPDATE case_facts SET subsidy_days = 12 "
                              "WHERE id = 'f-mine'") == 1
    # A coach of the same team reads, never writes.
    assert {"n-mine", "n-c2", "n-c3"} <= set(world.ids("mate", "customer_note"))
    assert "f-mine" in world.ids("mate", "case_facts")
    assert "row-level security" in refused(world, "mate", NOTE, id="n-m", cid="c-mine",
                                           kind="general")
    assert world.run("mate", "UPDATE case_facts SET subsidy_days = 99 "
                             "WHERE id = 'f-mine'") == 0
    assert world.run("mate", "UPDATE customer_note SET text = 'm' WHERE id = 'n-mine'") == 0
    # Another team's coach, and a coach of another point: nothing of this caseload.
    assert "f-mine" not in world.ids("other", "case_facts")
    assert "f-other" in world.ids("other", "case_facts")
    assert world.ids("ran_coach", "case_facts") == []
    assert refused(world, "other", FACTS, id="f-o", cid="c-mine")
    # Team leads and administrators: all of it.
    for name in ("lead", "admin"):
        assert world.ids(name, "case_facts") == ["f-mine", "f-other", "f-rov"]
        assert "n-other" in world.ids(name, "customer_note")
        world.run(name, NOTE, id=f"n-{name}", cid="c-other", kind="general")
    assert owner(world, "SELECT subsidy_days FROM case_facts WHERE id = 'f-mine'"
                 ).scalar() == 12


# --- two workstations of the coach, and the desk's ----------------------------------------





def _count(desk, model):
    with desk.services.ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_coachs_note_reaches_the_centre_and_the_coachs_other_workstation(
        make_desk, staff_central):
    seeder = make_desk("seed", seed=True)
    card = seeder.sign_in("admin").customers.create(
        customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
    seeder.sync()
    laptop = make_desk("laptop", as_staff=True)
    coach = laptop.sign_in("coach")
    laptop.sync()
    first = coach.case_notes.add(card.id, "work_ability", "Selkä kipeä, arvio tilattu")
    edited = coach.case_notes.edit(first.id, "Selkä kipeä, arvio 12.1.")
    coach.case_facts.save(card.id, CaseFactsInput(partial_work_ability=True,
                                                  work_ability_basis="Lääkärinlausunto"))
    laptop.sync()
    with staff_central.connect() as conn:
        rows = conn.execute(text("SELECT id, text, deleted_at IS NOT NULL, supersedes_id "
                                 "FROM customer_note ORDER BY written_at, id")).all()
        facts = conn.execute(text("SELECT partial_work_ability, work_ability_basis "
                                  "FROM case_facts WHERE customer_id = :c"),
                             {"c": card.id}).one()
    assert {(r.id, r[2]) for r in rows} == {(first.id, True), (edited.id, False)}
    assert tuple(facts) == (True, "Lääkärinlausunto")

    office = make_desk("office", as_staff=True)
    other = office.sign_in("coach")
    office.sync()
    notes = other.case_notes.notes(card.id)
    assert [n.text for n in notes.notes] == ["Selkä kipeä, arvio 12.1."]
    assert [h.text for h in other.case_notes.history(edited.id)] == [
        "Selkä kipeä, arvio 12.1.", "Selkä kipeä, arvio tilattu"]
    assert other.case_facts.get(card.id).facts.work_ability_basis == "Lääkärinlausunto"

    front = make_desk("front", as_staff=True)
    front.sign_in("desk")
    front.sync()
    assert _count(front, CustomerNote) == 0
    assert _count(front, CaseFacts) == 0
    with front.services.ctx.session_factory() as s:  # the customer itself is there
        assert s.get(Customer, card.id) is not None
