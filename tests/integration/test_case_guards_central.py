"""Two lines of #19 the centre now holds itself (c0095), as each role's own login:

- a case note keeps its history: once written, its text, kind, author and time never
  change in place (an edit is a new note superseding it); it is written in its author's
  own name; it may be tombstoned, moved in a merge, and cleared by an erasure;
- the desk reads whether a case is open, when it closed and why (the code), never the
  coach's outcome note, neither in SQL nor in its workstation's copy after a sync."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app.models import JobSearchPeriod
from app.rules.codes import CoachOnClose
from tests.factories import customer_input
from tests.integration.test_hostile_client import MERGE, owner, refused
from tests.integration.test_sync_referrals import _synced, central

NOTE = ("INSERT INTO customer_note (id, customer_id, kind, text, author_id, written_at, "
        "updated_at) VALUES (:id, 'c-mine', 'general', 'Soitti, sopi käynnin', :author, "
        "now(), now())")


@pytest.fixture
def world(pg_url):
    from tests.integration.test_central_security import World

    made = World(pg_url)
    yield made
    made.close()


def test_a_case_note_keeps_its_text_and_is_written_in_its_author_s_name(world):
    assert "own name" in refused(world, "coach", NOTE, id="n-forged", author="staff-mate")
    world.run("coach", NOTE, id="n-1", author="staff-coach")
    for change in ("text = 'Toisin kirjattu'", "author_id = 'staff-mate'",
                   "written_at = now() - interval '1 year'", "kind = 'work_ability'"):
        assert "keeps its text" in refused(
            world, "coach", f"UPDATE customer_note SET {change} WHERE id = 'n-1'"), change
        assert "keeps its text" in refused(
            world, "lead", f"UPDATE customer_note SET {change} WHERE id = 'n-1'"), change
    # An edit: a new note superseding it, and the old one tombstoned, never revived.
    world.run("coach", NOTE.replace("'Soitti, sopi käynnin'", "'Soitti, sopi käynnin 5.12.'")
              .replace("updated_at)", "updated_at, supersedes_id)")
              .replace("now(), now())", "now(), now(), 'n-1')"),
              id="n-2", author="staff-coach")
    assert world.run("coach", "UPDATE customer_note SET deleted_at = now() "
                              "WHERE id = 'n-1'") == 1
    assert "does not come back" in refused(
        world, "coach", "UPDATE customer_note SET deleted_at = NULL WHERE id = 'n-1'")
    assert owner(world, "SELECT text FROM customer_note WHERE id = 'n-1'").scalar() == (
        "Soitti, sopi käynnin")
    # A merge moves the notes; an erasure clears them.
    world.run("lead", MERGE, id="m-1", src="c-mine", dst="c-ran")
    assert owner(world, "SELECT count(*) FROM customer_note WHERE customer_id = 'c-ran' "
                        "AND id IN ('n-1', 'n-2')").scalar() == 2
    with world.admin_engine.begin() as conn:
        conn.execute(text("UPDATE customer SET active = false, erased_at = now() "
                          "WHERE id = 'c-ran'"))
    assert owner(world, "SELECT count(*) FROM customer_note WHERE customer_id = 'c-ran' "
                        "AND text <> ''").scalar() == 0


def test_the_desk_reads_the_case_s_state_never_its_outcome_note(world):
    owner(world, "INSERT INTO job_search_period (id, customer_id, opened_on, closed_on, "
                 "exit_reason, outcome_note, updated_at) VALUES ('jp-1', 'c-rov', "
                 "current_date - 30, current_date, 'other', 'Sairauslomalle', now())")
    with world.connect("desk").connect() as conn:
        assert conn.execute(text("SELECT id, closed_on IS NOT NULL, exit_reason FROM "
                                 "job_search_period")).all() == [("jp-1", True, "other")]
    assert "permission denied" in refused(world, "desk", "SELECT outcome_note FROM "
                                                          "job_search_period")
    assert "permission denied" in refused(world, "desk", "SELECT * FROM job_search_period")
    with world.connect("lead").connect() as conn:
        assert conn.execute(text("SELECT outcome_note FROM job_search_period")).scalar() == (
            "Sairauslomalle")


@pytest.fixture
def area(make_desk):
    return functools.partial(make_desk, as_staff=True)


def test_a_desk_s_copy_holds_the_closed_case_without_its_outcome_note(area, staff_central):
    seeder = area("seed", seed=True, as_staff=False)
    services = seeder.sign_in("admin")
    today = services.ctx.today()
    card = services.customers.create(customer_input(
        "Mäkelä", "Aino", date(1985, 3, 12), 124,
        jobseeker_registered_on=today - timedelta(days=200)))
    services.coaching.assign(card.id, "staff-coach", "Alkuhaastattelu")
    seeder.sync()
    coach, desk = area("coach"), area("desk")
    coach.sign_in("coach")
    desk.sign_in("desk")
    _synced(coach)
    _synced(desk)
    coach.services.case_periods.close(card.id, today - timedelta(days=1), "other",
                                      note="Muutti sairauslomalle", coach=CoachOnClose.KEEP)
    _synced(coach)
    _synced(desk)
    assert central(staff_central, "SELECT outcome_note FROM job_search_period "
                                  "WHERE customer_id = :c", c=card.id) == [
        ("Muutti sairauslomalle",)]
    with desk.services.ctx.session_factory() as s:
        period = s.scalars(select(JobSearchPeriod).where(
            JobSearchPeriod.customer_id == card.id)).one()
        assert (period.closed_on, period.exit_reason) == (today - timedelta(days=1), "other")
        assert period.outcome_note is None
    # The desk registers a new customer (their first period pushed as an insert): fine.
    desk.services.customers.create(customer_input(
        "Uusi", "Asiakas", date(1990, 5, 5), 125, jobseeker_registered_on=today))
    _synced(desk)
