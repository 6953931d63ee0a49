"""The employer register in the central database (#22, c0090), as each role's own login
sees it in SQL: the desk looks employers and vacancies up and reads nothing else of the
register; coaches, team leads and administrators write it; contact persons and contacts
are never the desk's; a job proposal is the customer's case work (caseload writes, the
team reads, the desk nothing); an employer's id is its business ID's and a proposal's
its vacancy's and customer's; a merge moves the proposals; an erasure clears what was
shared with the employer."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.rules.employers import employer_id, proposal_id
from tests.integration.test_hostile_client import MERGE, owner, refused

pytestmark = pytest.mark.usefixtures("pg_url")

BID = "2541212-4"
EMP = employer_id(BID)
EMPLOYER = ("INSERT INTO employer (id, business_id, name, municipality, active, updated_at) "
            "VALUES (:id, :bid, 'Lapin Rakennus Oy', 'Rovaniemi', true, now())")
PERSON = ("INSERT INTO employer_person (id, employer_id, name, active, updated_at) "
          "VALUES (:id, :emp, 'Matti Esimies', true, now())")
CONTACT = ("INSERT INTO employer_contact (id, employer_id, contacted_on, channel, topic, "
           "summary, updated_at) VALUES (:id, :emp, current_date, 'visit', 'recruitment', "
           "'Kolme kirvesmiestä keväällä', now())")
VACANCY = ("INSERT INTO vacancy (id, employer_id, title, municipality, hours, positions, "
           "hidden, pay_subsidy_possible, status, opened_on, updated_at) VALUES (:id, :emp, "
           "'Kirvesmies', 'Rovaniemi', 'full_time', 3, true, false, 'open', current_date, "
           "now())")
PROPOSAL = ("INSERT INTO job_proposal (id, vacancy_id, customer_id, proposed_on, outcome, "
            "shared, updated_at) VALUES (:id, 'vac-1', :cid, current_date, 'proposed', "
            "'Ammattitutkinto', now())")
TABLES = ("employer", "employer_person", "employer_contact", "vacancy", "job_proposal")


@pytest.fixture
def world(pg_url):
    from tests.integration.test_central_security import World

    made = World(pg_url)
    yield made
    made.close()


def _register(world):
    owner(world, EMPLOYER, id=EMP, bid=BID)
    owner(world, PERSON, id="ep-1", emp=EMP)
    owner(world, CONTACT, id="ec-1", emp=EMP)
    owner(world, VACANCY, id="vac-1", emp=EMP)
    for cid in ("c-mine", "c-other"):
        owner(world, PROPOSAL, id=proposal_id("vac-1", cid), cid=cid)


def test_every_employer_table_has_row_level_security_and_policies(world):
    rows = owner(world, "SELECT c.relname, c.relrowsecurity, (SELECT count(*) FROM pg_policy "
                        "p WHERE p.polrelid = c.oid) FROM pg_class c JOIN pg_namespace n ON "
                        "n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = "
                        "ANY(:tables)", tables=list(TABLES)).all()
    assert len(rows) == len(TABLES)
    for name, secured, policies in rows:
        assert secured and policies >= 3, name


def test_the_desk_looks_employers_up_and_reads_nothing_else_of_the_register(world):
    _register(world)
    assert world.ids("desk", "employer") == [EMP]
    assert world.ids("desk", "vacancy") == ["vac-1"]  # hidden ones too: staff only
    for table in ("employer_person", "employer_contact", "job_proposal"):
        assert world.ids("desk", table) == [], table
    for table in TABLES:
        assert "permission denied" in refused(
            world, "desk", f"UPDATE {table} SET updated_at = now()"), table
        assert "permission denied" in refused(world, "desk", f"DELETE FROM {table}"), table
    other = "0112038-9"
    assert "permission denied" in refused(world, "desk", EMPLOYER, id=employer_id(other),
                                          bid=other)
    # A deactivated login reads nothing at all.
    for table in TABLES:
        assert world.ids("gone", table) == [], table


def test_coaches_write_the_register_under_the_business_id_s_own_id(world):
    _register(world)
    for name in ("coach", "ran_coach", "lead", "admin"):
        assert world.ids(name, "employer_person") == ["ep-1"], name
        assert world.ids(name, "employer_contact") == ["ec-1"], name
    assert world.run("coach", "UPDATE employer SET name = 'Lapin Rakennus ja Remontti Oy' "
                              "WHERE id = :id", id=EMP) == 1
    assert owner(world, "SELECT updated_by FROM employer").scalar() == "staff-coach"
    other = "0112038-9"
    world.run("ran_coach", EMPLOYER, id=employer_id(other), bid=other)
    # A second row for a registered company, or one under an id of its own: refused.
    assert "id of its business ID" in refused(world, "coach", EMPLOYER, id="emp-forged",
                                              bid="1572860-0")
    assert refused(world, "coach", EMPLOYER, id=employer_id("1572860-0"), bid=BID)
    # The business ID is the employer's identity: it never changes.
    assert "id of its business ID" in refused(
        world, "lead", "UPDATE employer SET business_id = '1572860-0' WHERE id = :id", id=EMP)
    world.run("coach", PERSON, id="ep-2", emp=EMP)
    world.run("coach", CONTACT, id="ec-2", emp=EMP)
    world.run("lead", VACANCY, id="vac-2", emp=EMP)
    assert world.run("coach", "UPDATE vacancy SET status = 'filled', closed_on = current_date "
                              "WHERE id = 'vac-1'") == 1
    for name in ("coach", "lead", "admin"):
        assert "permission denied" in refused(world, name, "DELETE FROM employer")


def test_a_job_proposal_is_case_work(world):
    _register(world)
    # The coach's own customer's tip, the team mate's read, another team's nothing.
    assert world.ids("coach", "job_proposal") == [proposal_id("vac-1", "c-mine")]
    assert world.ids("mate", "job_proposal") == [proposal_id("vac-1", "c-mine")]
    assert world.ids("other", "job_proposal") == [proposal_id("vac-1", "c-other")]
    assert world.ids("ran_coach", "job_proposal") == []
    assert len(world.ids("lead", "job_proposal")) == 2
    assert world.run("coach", "UPDATE job_proposal SET outcome = 'hired', outcome_on = "
                              "current_date WHERE customer_id = 'c-other'") == 0
    assert world.run("coach", "UPDATE job_proposal SET outcome = 'interviewed', outcome_on "
                              "= current_date WHERE customer_id = 'c-mine'") == 1
    # Proposing another team's customer gives no reach; a forged id is refused.
    owner(world, VACANCY, id="vac-3", emp=EMP)
    other_tip = PROPOSAL.replace("'vac-1'", "'vac-3'")
    assert refused(world, "coach", other_tip, id=proposal_id("vac-3", "c-other"),
                   cid="c-other")
    assert "id of its vacancy and customer" in refused(world, "coach", other_tip,
                                                       id="jp-forged", cid="c-mine")
    world.run("coach", other_tip, id=proposal_id("vac-3", "c-mine"), cid="c-mine")
    # A tip keeps its vacancy, and moves to another customer only in a merge.
    assert "keeps its vacancy" in refused(
        world, "lead", "UPDATE job_proposal SET vacancy_id = 'vac-1' WHERE id = :id",
        id=proposal_id("vac-3", "c-mine"))
    assert "only in a merge" in refused(
        world, "coach", "UPDATE job_proposal SET customer_id = 'c-ran-mine' WHERE id = :id",
        id=proposal_id("vac-3", "c-mine"))


def test_a_merge_moves_the_tips_and_an_erasure_clears_what_was_shared(world):
    _register(world)
    owner(world, PROPOSAL, id=proposal_id("vac-1", "c-ran"), cid="c-ran")
    world.run("lead", MERGE, id="m-1", src="c-ran", dst="c-mine")
    assert owner(world, "SELECT count(*) FROM job_proposal WHERE customer_id = 'c-mine'"
                 ).scalar() == 2
    # Erasure (as the owner, past retention: the rules are tested in the hostile client).
    with world.admin_engine.begin() as conn:
        conn.execute(text("UPDATE customer SET active = false, erased_at = now() "
                          "WHERE id = 'c-mine'"))
    assert owner(world, "SELECT customer_id, count(*) FROM job_proposal WHERE shared IS NOT "
                        "NULL GROUP BY customer_id").all() == [("c-other", 1)]
