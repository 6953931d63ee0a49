"""Multi-professional work in the central database (#24, c0110), as each role's own login
sees it in SQL: the partner register is read by every active staff member and kept with
`partner.manage` (never by the desk); a customer's consents are read wherever the
customer is seen and recorded or withdrawn with `consent.record` by those in charge of
the customer, in the connected staff member's name; a withdrawn consent never changes; a
meeting's participants and tasks and a plan's participants are case work; a partner
person joins a meeting or a plan only under the customer's consent in force covering
plans (desk_consent_active), whatever the workstation says: refused without one, with one
that covers something else, not yet or no longer in force, and from the day of its
withdrawal; a participant's id is its meeting's and person's; a merge moves consents,
participants and tasks; an erasure scrubs them."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from app.rules.partners import participant_id
from tests.integration.test_hostile_client import ERASE, MERGE, owner, refused

pytestmark = pytest.mark.usefixtures("pg_url")

TABLES = ("partner_org", "partner_person", "customer_consent", "meeting_participant",
          "meeting_task", "plan_participant")
STAFF = ("desk", "coach", "lead", "admin")
# The centre's day (desk_helsinki_today): the guard's "today" is the real one.
TODAY = datetime.now(ZoneInfo("Europe/Helsinki")).date()
NOT_CONSENTED = "has not consented to share with this partner"


@pytest.fixture
def world(pg_url):
    from tests.integration.test_central_security import World

    global TODAY
    made = World(pg_url)
    TODAY = owner(made, "SELECT desk_helsinki_today()").scalar()  # the test's own day
    yield made
    made.close()


def _insert_sql(table: str, values: dict) -> str:
    return (f"INSERT INTO {table} ({', '.join(values)}) "
            f"VALUES ({', '.join(':' + k for k in values)})")


def org(oid="po-kela", **values) -> tuple[str, dict]:
    row = {"id": oid, "name": "Kela Rovaniemi", "kind": "kela", "phone": "020 692 207",
           "email": None, "street_address": "Rovakatu 2", "postal_code": "96200",
           "post_office": "Rovaniemi", "active": True, "updated_at": TODAY, "hlc": "",
           **values}
    return _insert_sql("partner_org", row), row


def person(pid="pp-kela", oid="po-kela", **values) -> tuple[str, dict]:
    row = {"id": pid, "partner_org_id": oid, "full_name": "Kaisa Kelanen",
           "title": "Työkykykoordinaattori", "phone": "040 111 2233",
           "email": "kaisa@example.fi", "active": True, "updated_at": TODAY, "hlc": "",
           **values}
    return _insert_sql("partner_person", row), row


def consent(cid="c-mine", oid="po-kela", **values) -> tuple[str, dict]:
    row = {"id": str(uuid.uuid4()), "customer_id": cid, "partner_org_id": oid,
           "purpose": "Monialainen yhteispalvelu", "information": "contact,plan",
           "given_how": "in_person", "valid_from": TODAY - timedelta(days=10),
           "valid_until": None, "withdrawn_on": None, "withdrawn_by": None,
           "recorded_by": None, "updated_at": TODAY, "hlc": "", **values}
    return _insert_sql("customer_consent", row), row


def meeting(aid="ap-mine", cid="c-mine", staff="staff-coach", point="sp-rov"
            ) -> tuple[str, dict]:
    """A multi-professional appointment today at nine."""
    nine = datetime.combine(TODAY, datetime.min.time()) + timedelta(hours=9)
    row = {"id": aid, "customer_id": cid, "staff_id": staff, "service_point_id": point,
           "type": "multi_professional", "channel": "service_point", "status": "booked",
           "starts_at": nine, "ends_at": nine + timedelta(hours=1), "updated_at": nine,
           "hlc": ""}
    return _insert_sql("appointment", row), row


def participant(aid="ap-mine", cid="c-mine", partner="pp-kela", staff=None,
                **values) -> tuple[str, dict]:
    row = {"id": participant_id(aid, partner or staff), "appointment_id": aid,
           "customer_id": cid, "partner_person_id": partner, "staff_id": staff,
           "role": "Kelan etuudet", "invited_at": None, "attended": None,
           "updated_at": TODAY, "hlc": "", **values}
    return _insert_sql("meeting_participant", row), row


def task(aid="ap-mine", cid="c-mine", who="pp-kela", **values) -> tuple[str, dict]:
    row = {"id": str(uuid.uuid4()), "appointment_id": aid, "customer_id": cid,
           "participant_id": participant_id(aid, who), "text": "Selvittää kuntoutusraha",
           "due_on": TODAY + timedelta(days=14), "done_on": None, "updated_at": TODAY,
           "hlc": "", **values}
    return _insert_sql("meeting_task", row), row


def plan_participant(vid="pv-mine", partner="pp-kela", staff=None, **values
                     ) -> tuple[str, dict]:
    row = {"id": str(uuid.uuid4()), "plan_version_id": vid, "partner_person_id": partner,
           "staff_id": staff, "name": "Kaisa Kelanen", "organisation": "Kela Rovaniemi",
           "role": "Etuudet", "responsibilities": "Kuntoutusrahan selvitys",
           "services": "Ammatillinen kuntoutus", "position": 0, "updated_at": TODAY,
           "hlc": "", **values}
    return _insert_sql("plan_participant", row), row


def put(world, who, made: tuple[str, dict]) -> str:
    """Insert `made` as `who` ("owner": the migration's superuser); returns its id."""
    sql, row = made
    engine = world.admin_engine if who == "owner" else world.connect(who)
    with engine.begin() as conn:
        conn.execute(text(sql), row)
    return row["id"]


def refuse(world, who, made: tuple[str, dict]) -> str:
    """As `refused`, for a made row (its columns may be called `name`)."""
    sql, row = made
    with pytest.raises((ProgrammingError, DBAPIError)) as caught, \
            world.connect(who).begin() as conn:
        conn.execute(text(sql), row)
    return str(caught.value.orig)


def _register(world):
    """Kela with one person, the wellbeing county with one, as the owner."""
    put(world, "owner", org())
    put(world, "owner", person())
    put(world, "owner", org("po-hva", name="Lapin hyvinvointialue", kind="wellbeing_county"))
    put(world, "owner", person("pp-hva", "po-hva", full_name="Sari Sosiaalityö",
                               title="Sosiaalityöntekijä"))


def _meeting(world, aid="ap-mine", cid="c-mine", staff="staff-coach", point="sp-rov"):
    put(world, "owner", meeting(aid, cid, staff, point))
    return aid


def one(world, sql, **params):
    return owner(world, sql, **params).one()


# --- Row-level security ------------------------------------------------------------------

def test_every_partner_table_has_row_level_security_and_no_one_deletes(world):
    rows = owner(world, "SELECT c.relname, c.relrowsecurity, (SELECT count(*) FROM pg_policy "
                        "p WHERE p.polrelid = c.oid) FROM pg_class c JOIN pg_namespace n ON "
                        "n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = "
                        "ANY(:tables)", tables=list(TABLES)).all()
    assert len(rows) == len(TABLES)
    for name, secured, policies in rows:
        assert secured and policies >= 3, name  # read, insert, update
    for table in TABLES:
        for name in STAFF:
            assert "permission denied" in refused(world, name, f"DELETE FROM {table}"), table
        # A deactivated staff member reads nothing of it.
    _register(world)
    for table in TABLES:
        assert world.ids("gone", table) == [], table


# --- The register ------------------------------------------------------------------------

def test_every_active_staff_member_reads_the_register_and_the_desk_never_keeps_it(world):
    _register(world)
    for name in (*STAFF, "ran_coach", "mate", "other"):
        assert world.ids(name, "partner_org") == ["po-hva", "po-kela"], name
        assert world.ids(name, "partner_person") == ["pp-hva", "pp-kela"], name
    assert "permission denied" in refuse(world, "desk", org("po-x"))
    assert "permission denied" in refuse(world, "desk", person("pp-x"))
    for table in ("partner_org", "partner_person"):
        assert "permission denied" in refused(world, "desk",
                                              f"UPDATE {table} SET active = false")
    assert "permission denied" in refuse(world, "gone", org("po-gone"))


def test_coaches_team_leads_and_administrators_keep_the_register(world):
    _register(world)
    for name in ("coach", "ran_coach", "lead", "admin"):
        put(world, name, org(f"po-{name}", name=f"Ohjaamo {name}", kind="ohjaamo"))
        put(world, name, person(f"pp-{name}", f"po-{name}"))
    assert world.run("coach", "UPDATE partner_person SET title = 'Uraohjaaja', active = "
                              "false WHERE id = 'pp-lead'") == 1
    assert world.run("admin", "UPDATE partner_org SET phone = '016 000 000' "
                              "WHERE id = 'po-kela'") == 1
    assert one(world, "SELECT title, active, updated_by FROM partner_person "
                      "WHERE id = 'pp-lead'") == ("Uraohjaaja", False, "staff-coach")
    # The kind is one of the list's.
    assert refuse(world, "coach", org("po-bad", kind="bank"))


# --- Consents ----------------------------------------------------------------------------

def test_consents_are_read_wherever_the_customer_is_seen(world):
    _register(world)
    ids = {cid: put(world, "owner", consent(cid))
           for cid in ("c-rov", "c-ran", "c-ran-mine", "c-mine", "c-other")}

    def seen(name):
        return set(world.ids(name, "customer_consent"))

    assert seen("desk") == {ids["c-rov"], ids["c-mine"], ids["c-other"]}  # its point
    assert seen("coach") == {ids["c-rov"], ids["c-mine"], ids["c-other"], ids["c-ran-mine"]}
    assert seen("ran_coach") == {ids["c-ran"], ids["c-ran-mine"]}
    assert seen("lead") == seen("admin") == set(ids.values())
    assert seen("gone") == set()


def test_the_desk_reads_consents_and_neither_records_nor_withdraws_them(world):
    _register(world)
    given = put(world, "owner", consent("c-rov"))
    assert "permission denied" in refuse(world, "desk", consent("c-rov"))
    assert "permission denied" in refused(
        world, "desk", "UPDATE customer_consent SET withdrawn_on = desk_helsinki_today() "
                       "WHERE id = :id", id=given)
    assert one(world, "SELECT withdrawn_on FROM customer_consent") == (None,)


def test_a_coach_records_a_consent_for_customers_in_their_charge_in_their_own_name(world):
    _register(world)
    # Their point's customers and their own caseload elsewhere; the recorder is the
    # connected staff member whatever the workstation says.
    mine = put(world, "coach", consent("c-mine", recorded_by="staff-lead"))
    put(world, "coach", consent("c-rov", oid="po-hva"))
    put(world, "coach", consent("c-ran-mine"))
    assert one(world, "SELECT recorded_by, updated_by FROM customer_consent WHERE id = :id",
               id=mine) == ("staff-coach", "staff-coach")
    # Not for a customer of another point (no reach gained by recording).
    assert refuse(world, "coach", consent("c-ran"))
    assert refuse(world, "ran_coach", consent("c-rov"))
    # A consent ordered backwards is no consent.
    assert "consent_ordered" in refuse(world, "coach", consent(
        "c-mine", valid_until=TODAY - timedelta(days=20)))
    # Team leads and administrators: every customer's.
    put(world, "lead", consent("c-ran"))
    put(world, "admin", consent("c-other", oid="po-hva"))
    assert owner(world, "SELECT count(*) FROM customer_consent").scalar() == 5


def test_a_withdrawal_is_the_withdrawers_and_a_withdrawn_consent_never_changes(world):
    _register(world)
    given = put(world, "coach", consent("c-mine"))
    withdraw = ("UPDATE customer_consent SET withdrawn_on = desk_helsinki_today() "
                "WHERE id = :id")
    assert world.run("ran_coach", withdraw, id=given) == 0  # not theirs to see
    assert world.run("coach", withdraw.replace(
        "WHERE", ", withdrawn_by = 'staff-lead' WHERE"), id=given) == 1
    assert one(world, "SELECT withdrawn_on, withdrawn_by, recorded_by FROM customer_consent "
                      "WHERE id = :id", id=given) == (TODAY, "staff-coach", "staff-coach")
    stays = "a withdrawn consent stays withdrawn"
    for change in ("withdrawn_on = NULL", "withdrawn_on = withdrawn_on + 1",
                   "withdrawn_by = 'staff-admin'", "purpose = 'Toinen'",
                   "information = 'contact,plan,benefits'",
                   "valid_until = desk_helsinki_today() + 9",
                   "valid_from = valid_from - 1", "given_how = 'signed'",
                   "recorded_by = 'staff-admin'", "deleted_at = now()"):
        for name in ("coach", "lead", "admin"):
            assert stays in refused(world, name, f"UPDATE customer_consent SET {change} "
                                                 f"WHERE id = :id", id=given), (name, change)
    # A withdrawal recorded offline with the withdrawn row: in the inserter's name too.
    late = put(world, "lead", consent("c-mine", withdrawn_on=TODAY, withdrawn_by="x"))
    assert one(world, "SELECT withdrawn_by, recorded_by FROM customer_consent "
                      "WHERE id = :id", id=late) == ("staff-lead", "staff-lead")
    # The same row pushed again unchanged (a resent batch) is no change.
    assert world.run("coach", "UPDATE customer_consent SET hlc = 'x', updated_at = now() "
                              "WHERE id = :id", id=given) == 1


def test_a_consent_keeps_its_partner_and_moves_customer_only_in_a_merge(world):
    _register(world)
    given = put(world, "coach", consent("c-mine"))
    assert "given to one partner" in refused(
        world, "coach", "UPDATE customer_consent SET partner_org_id = 'po-hva' "
                        "WHERE id = :id", id=given)
    assert "only in a merge" in refused(
        world, "coach", "UPDATE customer_consent SET customer_id = 'c-rov' "
                        "WHERE id = :id", id=given)
    # A consent not yet withdrawn is otherwise the coach's to correct.
    assert world.run("coach", "UPDATE customer_consent SET valid_until = "
                              "desk_helsinki_today() + 90, information = "
                              "'contact,plan,work_ability' WHERE id = :id", id=given) == 1


# --- Meeting participants ----------------------------------------------------------------

def test_meeting_participants_and_tasks_are_case_work(world):
    _register(world)
    for cid, aid in (("c-mine", "ap-mine"), ("c-other", "ap-other"), ("c-rov", "ap-rov")):
        _meeting(world, aid, cid)
        put(world, "owner", participant(aid, cid, partner=None, staff="staff-lead"))
        put(world, "owner", task(aid, cid, who="staff-lead"))
    ids = {aid: participant_id(aid, "staff-lead") for aid in ("ap-mine", "ap-other",
                                                              "ap-rov")}
    assert world.ids("desk", "meeting_participant") == []
    assert world.ids("desk", "meeting_task") == []
    assert set(world.ids("coach", "meeting_participant")) == {ids["ap-mine"], ids["ap-rov"]}
    assert set(world.ids("mate", "meeting_participant")) == {ids["ap-mine"], ids["ap-rov"]}
    assert set(world.ids("other", "meeting_participant")) == {ids["ap-other"],
                                                              ids["ap-rov"]}
    assert world.ids("ran_coach", "meeting_participant") == []
    assert len(world.ids("lead", "meeting_task")) == 3
    # Written by the customer's own coach (and leads), not the coach's team mate.
    attended = "UPDATE meeting_participant SET attended = true WHERE id = :id"
    assert world.run("mate", attended, id=ids["ap-mine"]) == 0
    assert world.run("coach", attended, id=ids["ap-mine"]) == 1
    assert world.run("lead", attended, id=ids["ap-other"]) == 1
    assert "permission denied" in refused(world, "desk", attended, id=ids["ap-rov"])
    assert "permission denied" in refuse(
        world, "desk", participant("ap-rov", "c-rov", partner=None, staff="staff-desk"))
    assert refuse(world, "mate", participant("ap-mine", partner=None, staff="staff-mate"))
    assert refuse(world, "ran_coach", participant("ap-mine", partner=None,
                                                  staff="staff-ran_coach"))


def test_a_partner_joins_a_meeting_only_under_a_consent_in_force_covering_plans(world):
    _register(world)
    _meeting(world)
    # No consent at all.
    assert NOT_CONSENTED in refuse(world, "coach", participant())
    # A consent for another partner, or covering other information.
    put(world, "owner", consent("c-mine", oid="po-hva"))
    put(world, "owner", consent("c-mine", information="contact,benefits"))
    # Another customer's consent for the same partner.
    put(world, "owner", consent("c-rov"))
    # Not yet in force, expired, withdrawn today (a withdrawal takes effect on its day),
    # tombstoned.
    put(world, "owner", consent("c-mine", valid_from=TODAY + timedelta(days=1)))
    put(world, "owner", consent("c-mine", valid_from=TODAY - timedelta(days=60),
                                valid_until=TODAY - timedelta(days=1)))
    put(world, "owner", consent("c-mine", withdrawn_on=TODAY))
    put(world, "owner", consent("c-mine", deleted_at=datetime.now()))
    for name in ("coach", "lead", "admin"):
        assert NOT_CONSENTED in refuse(world, name, participant()), name
    assert owner(world, "SELECT count(*) FROM meeting_participant").scalar() == 0
    # A staff member needs no consent.
    put(world, "coach", participant(partner=None, staff="staff-mate"))
    # A consent valid up to today, withdrawn tomorrow: in force today.
    put(world, "owner", consent("c-mine", valid_from=TODAY, valid_until=TODAY,
                                withdrawn_on=TODAY + timedelta(days=1),
                                information="plan"))
    added = put(world, "coach", participant())
    assert one(world, "SELECT customer_id, partner_person_id, role FROM meeting_participant "
                      "WHERE id = :id", id=added) == ("c-mine", "pp-kela", "Kelan etuudet")


def test_after_a_withdrawal_the_partner_is_refused_and_who_was_added_stays(world):
    _register(world)
    _meeting(world)
    _meeting(world, "ap-next")
    given = put(world, "coach", consent("c-mine"))
    added = put(world, "coach", participant())
    assert world.run("coach", "UPDATE customer_consent SET withdrawn_on = desk_helsinki_today() "
                              "WHERE id = :id", id=given) == 1
    # Not to the next meeting...
    assert NOT_CONSENTED in refuse(world, "coach", participant("ap-next"))
    # ...nor back to this one once removed.
    assert world.run("coach", "UPDATE meeting_participant SET deleted_at = now() "
                              "WHERE id = :id", id=added) == 1
    assert NOT_CONSENTED in refused(world, "coach", "UPDATE meeting_participant SET "
                                                    "deleted_at = NULL WHERE id = :id",
                                    id=added)
    # Who was at the meeting before stays recorded as having been there.
    assert world.run("coach", "UPDATE meeting_participant SET attended = true "
                              "WHERE id = :id", id=added) == 1
    # A new consent is a new row: then the partner may join again.
    put(world, "coach", consent("c-mine", information="plan"))
    put(world, "coach", participant("ap-next"))


def test_a_participant_has_the_id_of_its_meeting_and_person_and_the_meetings_customer(world):
    _register(world)
    _meeting(world)
    put(world, "owner", consent("c-mine"))
    put(world, "owner", consent("c-rov"))
    wrong = "has the id of its meeting and person"
    assert wrong in refuse(world, "coach", participant(id=str(uuid.uuid4())))
    assert wrong in refuse(world, "coach", participant(
        id=participant_id("ap-mine", "pp-hva")))
    assert wrong in refuse(world, "coach", participant(
        partner=None, staff="staff-mate", id=participant_id("ap-mine", "pp-kela")))
    # The customer is the meeting's, whatever the workstation says (here: another of the
    # coach's customers, with a consent).
    added = put(world, "coach", participant(cid="c-rov"))
    assert one(world, "SELECT customer_id FROM meeting_participant WHERE id = :id",
               id=added) == ("c-mine",)
    # The person and the meeting are for good: the id says who and where.
    for change in ("partner_person_id = 'pp-hva'", "appointment_id = 'ap-x'",
                   "partner_person_id = NULL, staff_id = 'staff-coach'"):
        assert wrong in refused(world, "coach", f"UPDATE meeting_participant SET {change} "
                                                f"WHERE id = :id", id=added), change
    # One of the two: a partner person or a staff member.
    assert "one_participant" in refuse(world, "coach", participant(
        partner="pp-kela", staff="staff-mate"))


def test_a_participant_and_a_task_keep_the_meetings_customer(world):
    """A participant or a task written once is its meeting's customer's: no one moves it
    to another customer but a merge (which moves the meeting too). Else a removed partner
    would come back to a meeting under another customer's consent (patch-T.md)."""
    _register(world)
    _meeting(world)
    given = put(world, "owner", consent("c-mine"))
    put(world, "owner", consent("c-rov"))  # another of the coach's customers consents
    added = put(world, "coach", participant())
    made = put(world, "coach", task())
    owner(world, "UPDATE customer_consent SET withdrawn_on = desk_helsinki_today() "
                 "WHERE id = :id", id=given)
    assert world.run("coach", "UPDATE meeting_participant SET deleted_at = now() "
                              "WHERE id = :id", id=added) == 1
    # Back to the meeting under c-rov's consent (then home again): refused, even to a
    # team lead, who may move rows between customers in a merge.
    back = ("UPDATE meeting_participant SET customer_id = 'c-rov', deleted_at = NULL "
            "WHERE id = :id")
    assert "only with its meeting" in refused(world, "coach", back, id=added)
    assert NOT_CONSENTED in refused(world, "lead", back, id=added)
    assert "only with its meeting" in refused(
        world, "coach", "UPDATE meeting_participant SET customer_id = 'c-rov' "
                        "WHERE id = :id", id=added)
    assert "only with its meeting" in refused(
        world, "coach", "UPDATE meeting_task SET customer_id = 'c-rov' WHERE id = :id",
        id=made)
    assert one(world, "SELECT customer_id, deleted_at IS NOT NULL FROM meeting_participant "
                      "WHERE id = :id", id=added) == ("c-mine", True)
    assert one(world, "SELECT customer_id FROM meeting_task WHERE id = :id",
               id=made) == ("c-mine",)


def test_a_task_is_for_a_participant_of_its_own_meeting(world):
    _register(world)
    _meeting(world)
    _meeting(world, "ap-rov", "c-rov")
    put(world, "owner", consent("c-mine"))
    put(world, "coach", participant())
    put(world, "coach", participant("ap-rov", "c-rov", partner=None, staff="staff-coach"))
    made = put(world, "coach", task(cid="c-rov"))
    assert one(world, "SELECT customer_id, updated_by FROM meeting_task WHERE id = :id",
               id=made) == ("c-mine", "staff-coach")
    of_its_meeting = "a task is for a participant of its meeting"
    assert of_its_meeting in refuse(world, "coach", task(who="staff-coach"))  # ap-rov's
    assert of_its_meeting in refuse(world, "coach", task(who="pp-hva"))  # nobody
    assert of_its_meeting in refused(
        world, "coach", "UPDATE meeting_task SET participant_id = :p WHERE id = :id",
        p=participant_id("ap-rov", "staff-coach"), id=made)
    assert world.run("coach", "UPDATE meeting_task SET done_on = desk_helsinki_today() "
                              "WHERE id = :id", id=made) == 1
    assert world.run("mate", "UPDATE meeting_task SET done_on = NULL WHERE id = :id",
                     id=made) == 0


# --- Plan participants -------------------------------------------------------------------

def test_a_partner_is_written_into_a_plan_only_under_a_consent_in_force(world):
    _register(world)
    assert NOT_CONSENTED in refuse(world, "coach", plan_participant())
    put(world, "owner", consent("c-mine", information="contact"))
    assert NOT_CONSENTED in refuse(world, "coach", plan_participant())
    staff = put(world, "coach", plan_participant(partner=None, staff="staff-mate",
                                                 name="Mikko Mate"))
    given = put(world, "owner", consent("c-mine"))
    written = put(world, "coach", plan_participant())
    # Case work: the desk nothing, the coach's team mate reads and does not write.
    assert world.ids("desk", "plan_participant") == []
    assert set(world.ids("mate", "plan_participant")) == {staff, written}
    assert world.ids("other", "plan_participant") == []
    edit = "UPDATE plan_participant SET responsibilities = 'x' WHERE id = :id"
    assert world.run("mate", edit, id=written) == 0
    assert "permission denied" in refused(world, "desk", edit, id=written)
    assert refuse(world, "mate", plan_participant(partner=None, staff="staff-mate"))
    # Changing who it is asks again; so does a removed one coming back.
    assert NOT_CONSENTED in refused(world, "coach", "UPDATE plan_participant SET "
                                                    "partner_person_id = 'pp-hva' "
                                                    "WHERE id = :id", id=written)
    owner(world, "UPDATE customer_consent SET withdrawn_on = desk_helsinki_today() WHERE id = :id",
          id=given)
    assert world.run("coach", edit, id=written) == 1  # written before: edited still
    assert world.run("coach", "UPDATE plan_participant SET deleted_at = now() "
                              "WHERE id = :id", id=written) == 1
    assert NOT_CONSENTED in refused(world, "coach", "UPDATE plan_participant SET "
                                                    "deleted_at = NULL WHERE id = :id",
                                    id=written)
    # Copied into the next version: a new row, asked again.
    owner(world, "INSERT INTO plan_version (id, plan_id, number, status, updated_at, hlc) "
                 "VALUES ('pv-mine-2', 'p-mine', 2, 'draft', now(), '')")
    assert NOT_CONSENTED in refuse(world, "coach", plan_participant("pv-mine-2"))
    put(world, "coach", plan_participant("pv-mine-2", partner=None, staff="staff-mate"))


# --- Merge and erasure -------------------------------------------------------------------

def test_a_merge_moves_consents_participants_and_tasks(world):
    _register(world)
    _meeting(world, "ap-dup", "c-ran-mine", point="sp-ran")
    withdrawn = put(world, "owner", consent("c-ran-mine", oid="po-hva",
                                            withdrawn_on=TODAY - timedelta(days=1)))
    given = put(world, "owner", consent("c-ran-mine"))
    added = put(world, "coach", participant("ap-dup", "c-ran-mine"))
    made = put(world, "coach", task("ap-dup", "c-ran-mine"))
    # A coach may not move them; the lead's merge does.
    assert "only in a merge" in refused(
        world, "coach", "UPDATE customer_consent SET customer_id = 'c-rov' WHERE id = :id",
        id=given)
    world.run("lead", MERGE, id="m-1", src="c-ran-mine", dst="c-rov")
    assert owner(world, "SELECT id, customer_id FROM customer_consent ORDER BY id").all() == \
        sorted([(withdrawn, "c-rov"), (given, "c-rov")])
    assert one(world, "SELECT withdrawn_on FROM customer_consent WHERE id = :id",
               id=withdrawn) == (TODAY - timedelta(days=1),)  # as it was
    assert one(world, "SELECT customer_id FROM meeting_participant WHERE id = :id",
               id=added) == ("c-rov",)
    assert one(world, "SELECT customer_id FROM meeting_task WHERE id = :id",
               id=made) == ("c-rov",)
    # The Rovaniemi desk now reads the moved consents with the real customer.
    assert {withdrawn, given} <= set(world.ids("desk", "customer_consent"))
    # A consent recorded offline for the duplicate lands on the real customer.
    late = put(world, "coach", consent("c-ran-mine", oid="po-hva"))
    assert one(world, "SELECT customer_id FROM customer_consent WHERE id = :id",
               id=late) == ("c-rov",)


def _erase(world, cid):
    """An administrator erases `cid` (inactive, six years without activity)."""
    owner(world, "UPDATE customer SET active = false WHERE id = :cid", cid=cid)
    with world.admin_engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # no triggers
        for table in conn.execute(text("SELECT table_name FROM information_schema.columns "
                                       "WHERE column_name = 'updated_at' "
                                       "AND table_schema = 'public'")).scalars():
            conn.execute(text(f"UPDATE {table} SET updated_at = now() - interval '6 years'"))
    assert world.run("admin", ERASE, cid=cid) == 1


def test_an_erasure_scrubs_consents_tasks_participants_and_the_plan_types_text(world):
    _register(world)
    _meeting(world)
    withdrawn = put(world, "owner", consent("c-mine", oid="po-hva", withdrawn_on=TODAY))
    given = put(world, "owner", consent("c-mine"))
    other = put(world, "owner", consent("c-rov"))
    added = put(world, "coach", participant())
    made = put(world, "coach", task())
    written = put(world, "coach", plan_participant())
    owner(world, "UPDATE plan_version SET meeting_id = 'ap-mine', meeting_minute = 'Sovittiin',"
                 " customer_view = 'Haluan', activation_conditions = 'x', "
                 "activation_measures = 'x', social_worker_part = 'x', "
                 "integration_training = 'x', interpreter_language = 'arabia', "
                 "integration_measures = 'x', follow_up_on = desk_helsinki_today() "
                 "WHERE id = 'pv-mine'")
    _erase(world, "c-mine")
    for cid in (withdrawn, given):
        assert one(world, "SELECT purpose, deleted_at IS NOT NULL, partner_org_id IS NOT NULL "
                          "FROM customer_consent WHERE id = :id", id=cid) == (None, True, True)
    assert one(world, "SELECT purpose FROM customer_consent WHERE id = :id",
               id=other) == ("Monialainen yhteispalvelu",)  # others stay
    # The participant stays for the figures (meetings held, by partner), without its part.
    assert one(world, "SELECT role, partner_person_id, deleted_at FROM meeting_participant "
                      "WHERE id = :id", id=added) == (None, "pp-kela", None)
    assert one(world, "SELECT text, deleted_at IS NOT NULL FROM meeting_task "
                      "WHERE id = :id", id=made) == ("", True)
    assert one(world, "SELECT role, responsibilities, services, deleted_at IS NOT NULL "
                      "FROM plan_participant WHERE id = :id", id=written) == (
        None, None, None, True)
    assert one(world, "SELECT meeting_minute, customer_view, activation_conditions, "
                      "activation_measures, social_worker_part, integration_training, "
                      "interpreter_language, integration_measures FROM plan_version "
                      "WHERE id = 'pv-mine'") == (None,) * 8
    # What arrives later for the erased customer is scrubbed as it is written.
    assert world.run("lead", "UPDATE meeting_task SET text = 'Uusi', deleted_at = NULL "
                             "WHERE id = :id", id=made) == 1
    assert one(world, "SELECT text, deleted_at IS NOT NULL FROM meeting_task "
                      "WHERE id = :id", id=made) == ("", True)
    late = put(world, "lead", consent("c-mine", oid="po-hva", purpose="Myöhässä"))
    assert one(world, "SELECT purpose, deleted_at IS NOT NULL FROM customer_consent "
                      "WHERE id = :id", id=late) == (None, True)


def test_a_consents_recorder_stays_who_recorded_it(world):
    """Recorded in the connected staff member's name, and kept so: a later correction
    (by another coach of the point) does not rename the recorder (patch-T.md 3)."""
    _register(world)
    given = put(world, "coach", consent("c-rov"))
    world.run("other", "UPDATE customer_consent SET valid_until = desk_helsinki_today() + 30, "
                       "recorded_by = 'staff-lead' WHERE id = :id", id=given)
    assert one(world, "SELECT recorded_by, updated_by FROM customer_consent WHERE id = :id",
               id=given) == ("staff-coach", "staff-other")


def test_a_partner_person_stays_with_their_organisation(world):
    """Kaisa joins the meeting under the customer's consent for Kela; moved afterwards
    to the wellbeing county (no consent), the meeting would have a county participant
    nobody consented to. A person who moved is a new person (as PartnerService holds
    it); the centre refuses the move (patch-T.md 4)."""
    _register(world)
    _meeting(world)
    put(world, "owner", consent("c-mine"))
    put(world, "coach", participant())
    for name in ("coach", "lead", "admin"):
        assert "stays with their organisation" in refused(
            world, name, "UPDATE partner_person SET partner_org_id = 'po-hva' "
                         "WHERE id = 'pp-kela'"), name
    assert one(world, "SELECT partner_org_id FROM partner_person WHERE id = 'pp-kela'") == (
        "po-kela",)
    # Everything else about them is the register keepers' to correct.
    assert world.run("coach", "UPDATE partner_person SET title = 'Etuuskäsittelijä', "
                              "active = false WHERE id = 'pp-kela'") == 1


def test_no_one_probes_the_consents_of_a_customer_they_do_not_see(world):
    """desk_consent_active runs with its owner's rights for the guards: called straight
    by a staff login it would tell whether any customer consented to share with a partner
    (a Ranua coach asking about a Rovaniemi customer and Kela). It is the guards' alone
    (patch-T.md 5)."""
    _register(world)
    put(world, "owner", consent("c-mine"))
    probe = ("SELECT desk_consent_active('c-mine', 'po-kela', 'plan', "
             "desk_helsinki_today())")
    for name in ("ran_coach", "desk", "coach"):
        assert "permission denied" in refused(world, name, probe), name
    # The guards still ask it.
    _meeting(world)
    put(world, "coach", participant())


def test_a_plan_participant_moved_to_another_plan_is_asked_again(world):
    """Written into c-mine's plan under c-mine's consent, Kaisa is not moved into the
    plan of c-rov, who never consented (patch-T.md 6)."""
    _register(world)
    put(world, "owner", consent("c-mine"))
    written = put(world, "coach", plan_participant())
    assert NOT_CONSENTED in refused(world, "coach", "UPDATE plan_participant SET "
                                                    "plan_version_id = 'pv-rov' "
                                                    "WHERE id = :id", id=written)
    assert one(world, "SELECT plan_version_id FROM plan_participant WHERE id = :id",
               id=written) == ("pv-mine",)
