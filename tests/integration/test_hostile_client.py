"""A hostile client: connected to the central PostgreSQL with a staff member's own
password, as anyone with a workstation could, each role tries every read and write its
rights forbid, straight in SQL. The routes are those issue #26 found open (erasure by a
desk, reach gained by creating rows, coach and service-point changes, leaking and
rewritable sync conflicts, a forged audit trail, tables without row-level security,
plans open to every coach of the point), and each must now be closed."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from app.db import central_trust
from app.db.central_roles import create_login_role, drop_login_role
from app.models.purchased import followup_id
from app.rules.codes import Role
from app.rules.messages import preference_id
from app.rules.permissions import MATRIX
from tests.integration.test_central_security import PASSWORD, World

TICKET = ("INSERT INTO queue_ticket (id, service_point_id, ticket_date, letter, number, "
          "customer_id, service_area, priority, state, leg, recalls, arrived_at, "
          "updated_at) VALUES (:id, :point, current_date, 'A', :n, :cid, 'finding_work', "
          "0, 'waiting', 0, 0, now(), now())")
APPOINTMENT = ("INSERT INTO appointment (id, customer_id, staff_id, service_point_id, type, "
               "channel, status, starts_at, ends_at, updated_at) VALUES (:id, :cid, "
               ":staff, :point, 'other', 'phone', 'booked', now(), now() + interval '1 hour', "
               "now())")
VISIT = ("INSERT INTO visit (id, customer_id, service_point_id, channel, walk_in, "
         "service_area, started_at, updated_at) VALUES (:id, :cid, :point, 'service_point', "
         "true, 'finding_work', now(), now())")
ASSIGNMENT = ("INSERT INTO coach_assignment (id, customer_id, coach_id, assigned_at, "
              "updated_at) VALUES (:id, :cid, :coach, now(), now())")
# Messages (#23): a contact preference, a letter a worker asks for.
PREFERENCE = ("INSERT INTO contact_preference (id, customer_id, sms, email, opted_out, "
              "given_how, given_on, updated_at) VALUES (:id, :cid, true, true, false, "
              "'in_person', current_date, now())")
LETTER = ("INSERT INTO message (id, customer_id, service_point_id, kind, channel, status, "
          "language, due_at, attempts, updated_at) VALUES (:id, :cid, :point, 'letter', "
          "'email', 'queued', 'fi', now(), 0, now())")
CONFLICT = ("INSERT INTO sync_conflict (id, table_name, row_id, field, central_value, "
            "client_value, client_node, client_hlc, service_point_id, status, updated_at) "
            "VALUES (:id, :table, :row, 'summary', '\"a\"', '\"b\"', 'ws', '', NULL, "
            "'open', now())")


@pytest.fixture
def world(pg_url):
    made = World(pg_url)
    yield made
    made.close()


def owner(world, sql, **params):
    with world.admin_engine.begin() as conn:
        return conn.execute(text(sql), params)


def refused(world, name, sql, **params):
    """The statement fails for lack of rights (a grant, a policy or a guard)."""
    with pytest.raises((ProgrammingError, DBAPIError)) as caught:
        world.run(name, sql, **params)
    return str(caught.value.orig)


# --- 1. Erasure --------------------------------------------------------------------------

ERASE = "UPDATE customer SET erased_at = now() WHERE id = :cid"


def test_only_an_administrator_erases_and_only_an_inactive_customer_past_retention(world):
    for name in ("desk", "coach", "lead"):
        assert "only an administrator" in refused(world, name, ERASE, cid="c-mine")
    assert world.ids("coach", "plan_goal") == ["pg-rov"]  # nothing was scrubbed
    assert "inactive" in refused(world, "admin", ERASE, cid="c-mine")
    owner(world, "UPDATE customer SET active = false WHERE id = 'c-mine'")
    assert "retention" in refused(world, "admin", ERASE, cid="c-mine")
    # Six years without activity: now it may go, and the centre records who did it.
    with world.admin_engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # no triggers
        for table in conn.execute(text("SELECT table_name FROM information_schema.columns "
                                       "WHERE column_name = 'updated_at' "
                                       "AND table_schema = 'public'")).scalars():
            conn.execute(text(f"UPDATE {table} SET updated_at = now() - interval '6 years'"))
    assert world.run("admin", ERASE, cid="c-mine") == 1
    events = owner(world, "SELECT staff_id, db_role FROM audit_event "
                          "WHERE action = 'customer.erase.central'").all()
    assert events == [("staff-admin", world.users["admin"])]
    assert "never undone" in refused(
        world, "admin", "UPDATE customer SET erased_at = NULL WHERE id = 'c-mine'")


# --- 2. No reach from rows one creates --------------------------------------------------

def test_rows_naming_a_customer_of_another_point_give_no_reach(world):
    """A Ranua coach names a Rovaniemi customer in each kind of row: every one refused,
    and the customer, their plan and barriers stay out of sight."""
    routes = [(TICKET, {"id": "t-x", "point": "sp-ran", "n": 1, "cid": "c-rov"}),
              (APPOINTMENT, {"id": "ap-x", "cid": "c-rov", "staff": "staff-ran_coach",
                             "point": "sp-ran"}),
              (VISIT, {"id": "v-x", "cid": "c-rov", "point": "sp-ran"}),
              (ASSIGNMENT, {"id": "ca-x", "cid": "c-rov", "coach": "staff-ran_coach"}),
              (PREFERENCE, {"id": preference_id("c-rov"), "cid": "c-rov"}),
              (LETTER, {"id": "m-x", "cid": "c-rov", "point": "sp-ran"})]
    for sql, params in routes:
        assert "may only name a customer" in refused(world, "ran_coach", sql, **params)
    for table in ("customer", "plan", "plan_version", "customer_barrier", "customer_note"):
        assert not [i for i in world.ids("ran_coach", table) if "rov" in i], table
    for table in ("contact_preference", "message"):
        assert owner(world, f"SELECT count(*) FROM {table}").scalar() == 0, table
    # A Rovaniemi desk books a Ranua coach's time for its own customer, not for theirs.
    world.run("desk", APPOINTMENT, id="ap-ok", cid="c-rov", staff="staff-ran_coach",
              point="sp-ran")
    assert refused(world, "desk", APPOINTMENT, id="ap-no", cid="c-ran",
                   staff="staff-ran_coach", point="sp-ran")
    assert world.run("ran_coach", "UPDATE customer SET coach_id = 'staff-ran_coach', "
                                  "service_point_id = 'sp-ran' WHERE id = 'c-rov'") == 0


def test_the_audited_lookup_gives_identity_and_a_while_of_reach_never_case_work(world):
    with world.connect("desk").begin() as conn:
        found = conn.execute(text("SELECT id, last_name, service_point_id "
                                  "FROM desk_find_customer('010185-902f')")).all()
    assert [(r.id, r.service_point_id) for r in found] == [("c-ran", "sp-ran")]
    # The desk may now register the walk-in and see the record, never the notes.
    world.run("desk", TICKET, id="t-ok", point="sp-rov", n=1, cid="c-ran")
    assert "c-ran" in world.ids("desk", "customer")
    assert world.ids("desk", "customer_note") == []
    # A coach of the same point sees the record too, but not the case work.
    assert "c-ran" in world.ids("coach", "customer")
    assert "n-ran" not in world.ids("coach", "customer_note")
    lookups = owner(world, "SELECT staff_id, entity_id FROM audit_event "
                           "WHERE action = 'customer.lookup'").all()
    assert lookups == [("staff-desk", "c-ran")]
    assert world.ids("desk", "customer_reach") != []
    assert world.ids("ran_coach", "customer_reach") == []
    assert refused(world, "desk", "INSERT INTO customer_reach (customer_id, "
                   "service_point_id, staff_id, expires_at) VALUES ('c-ran-mine', 'sp-rov', "
                   "'staff-desk', now() + interval '1 year')")


def test_sync_bookkeeping_shows_no_one_elses_customer_ids(world):
    owner(world, "INSERT INTO applied_mutation (mutation_id, client_node, table_name, "
                 "row_id, result, applied_at, db_role) VALUES ('m-1', 'ws', 'customer', "
                 "'c-rov', '{}', now(), :role)", role=world.users["desk"])
    with world.connect("ran_coach").connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM applied_mutation")).scalar() == 0
    with world.connect("desk").connect() as conn:
        assert conn.execute(text("SELECT row_id FROM applied_mutation")).scalars().all() \
            == ["c-rov"]
    assert refused(world, "ran_coach", "INSERT INTO applied_mutation (mutation_id, "
                   "client_node, table_name, row_id, result, applied_at, db_role) VALUES "
                   "('m-2', 'ws', 'customer', 'c-rov', '{}', now(), 'someone')")


# --- 3. What a role may not change -------------------------------------------------------

def test_the_desk_changes_neither_the_coach_nor_the_service_point(world):
    assert "coach" in refused(world, "desk", "UPDATE customer SET coach_id = 'staff-desk' "
                                             "WHERE id = 'c-rov'")
    assert refused(world, "desk", ASSIGNMENT, id="ca-d", cid="c-rov", coach="staff-coach")
    assert "service point" in refused(world, "desk", "UPDATE customer SET service_point_id "
                                                     "= 'sp-ran' WHERE id = 'c-rov'")
    assert "service point" in refused(world, "coach", "UPDATE customer SET "
                                                      "service_point_id = 'sp-ran' "
                                                      "WHERE id = 'c-mine'")
    assert world.run("coach", "UPDATE customer SET coach_id = 'staff-coach' "
                              "WHERE id = 'c-rov'") == 1  # a coach takes a customer on
    assert world.run("lead", "UPDATE customer SET service_point_id = 'sp-ran' "
                             "WHERE id = 'c-rov'") == 1
    assert "desk" not in owner(world, "SELECT updated_by FROM customer WHERE id = 'c-rov'"
                               ).scalar()
    assert owner(world, "SELECT updated_by FROM customer WHERE id = 'c-rov'").scalar() \
        == "staff-lead"  # the connected staff member, whatever the workstation sent


def test_forward_only_states_stay_forward_only(world):
    world.run("desk", TICKET, id="t-1", point="sp-rov", n=7, cid="c-rov")
    world.run("desk", "UPDATE queue_ticket SET state = 'done' WHERE id = 't-1'")
    assert "forward" in refused(world, "desk", "UPDATE queue_ticket SET state = 'waiting' "
                                               "WHERE id = 't-1'")
    world.run("desk", "UPDATE queue_ticket SET state = 'waiting', leg = 1 WHERE id = 't-1'")
    world.run("coach", "UPDATE plan_version SET status = 'accepted' WHERE id = 'pv-mine'")
    assert "forward" in refused(world, "coach", "UPDATE plan_version SET status = 'draft' "
                                                "WHERE id = 'pv-mine'")


# --- 4. Sync conflicts -------------------------------------------------------------------

def test_a_conflict_is_seen_where_its_row_is_and_resolved_by_who_may_write_it(world):
    owner(world, CONFLICT, id="sc-1", table="plan_version", row="pv-mine")
    owner(world, CONFLICT, id="sc-2", table="customer", row="c-ran")
    # The centre stamps each conflict with its row's service point, for the pull.
    assert owner(world, "SELECT service_point_id FROM sync_conflict WHERE id = 'sc-1'"
                 ).scalar() == "sp-rov"
    assert world.ids("desk", "sync_conflict") == []  # plan content: not the desk's
    assert world.ids("ran_coach", "sync_conflict") == ["sc-2"]
    assert world.ids("other", "sync_conflict") == []  # another team's caseload
    assert world.ids("mate", "sync_conflict") == ["sc-1"]  # the team reads...
    resolve = "UPDATE sync_conflict SET status = 'resolved' WHERE id = 'sc-1'"
    assert "row-level security" in refused(world, "mate", resolve)  # ...and cannot decide
    assert world.run("desk", resolve) == 0
    assert world.run("coach", resolve) == 1
    assert refused(world, "desk", CONFLICT, id="sc-3", table="plan_version", row="pv-mine")


# --- 5. The audit trail ------------------------------------------------------------------

def test_an_audit_row_is_in_its_authors_name(world):
    forged = ("INSERT INTO audit_event (id, at, staff_id, workstation, action, entity, "
              "entity_id, updated_at) VALUES (:id, now(), :staff, 'ws', 'customer.erase', "
              "'customer', 'c-rov', now())")
    assert "row-level security" in refused(world, "desk", forged, id="a-f",
                                           staff="staff-lead")
    assert refused(world, "desk", forged.replace("entity_id,", "entity_id, db_role,")
                   .replace("'c-rov',", "'c-rov', 'x',"), id="a-g", staff="staff-desk")
    world.run("desk", forged, id="a-own", staff="staff-desk")
    assert owner(world, "SELECT db_role FROM audit_event WHERE id = 'a-own'").scalar() \
        == world.users["desk"]


# --- 6. Deactivated staff and foreign logins --------------------------------------------

def _tables(world):
    return owner(world, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                 ).scalars().all()


def test_every_table_has_row_level_security(world):
    bare = owner(world, "SELECT relname FROM pg_class c JOIN pg_namespace n "
                        "ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                        "AND c.relkind = 'r' AND NOT c.relrowsecurity").scalars().all()
    assert sorted(bare) == sorted(central_trust.NO_POLICY)
    without_policy = owner(world, "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                                  "ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                                  "AND c.relkind = 'r' AND c.relrowsecurity AND NOT EXISTS "
                                  "(SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)"
                           ).scalars().all()
    assert without_policy == []


def test_a_deactivated_staff_member_sees_nothing(world):
    for table in _tables(world):
        if table in central_trust.NO_POLICY:
            continue
        with world.connect("gone").connect() as conn:
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
    assert refused(world, "gone", TICKET, id="t-g", point="sp-rov", n=3, cid=None)


def test_a_login_of_another_database_cannot_connect(world, pg_server_url):
    other_db = f"desk_other_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{other_db}"'))
    other_url = make_url(pg_server_url).set(database=other_db)
    other = create_engine(other_url)
    user = f"t{uuid.uuid4().hex[:8]}_elsewhere"
    create_login_role(other, user, PASSWORD, Role.TEAM_LEAD)
    try:
        stranger = create_engine(make_url(world.url).set(username=user, password=PASSWORD))
        with pytest.raises(OperationalError, match=r"permission denied|CONNECT"), \
                stranger.connect():
            pass
        stranger.dispose()
        with world.admin_engine.connect() as conn:
            assert not conn.execute(text(
                "SELECT has_database_privilege('public', current_database(), 'CONNECT')"
            )).scalar()
    finally:
        drop_login_role(other, user)
        other.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{other_db}" WITH (FORCE)'))
        admin.dispose()


# --- 7. Plans and notes by caseload and team --------------------------------------------

def test_plans_and_notes_by_caseload_and_team(world):
    assert "pv-mine" in world.ids("coach", "plan_version")
    assert "pv-mine" in world.ids("mate", "plan_version")  # same team: reads
    assert "pv-mine" not in world.ids("other", "plan_version")  # other team: nothing
    assert "n-mine" not in world.ids("other", "customer_note")
    edit = "UPDATE plan_version SET summary = 'x' WHERE id = 'pv-mine'"
    assert world.run("other", edit) == 0
    assert world.run("mate", edit) == 0
    assert world.run("coach", edit) == 1
    assert world.run("lead", edit) == 1
    note = ("INSERT INTO customer_note (id, customer_id, kind, text, written_at, updated_at)"
            " VALUES (:id, 'c-mine', 'general', 'x', now(), now())")
    assert "row-level security" in refused(world, "mate", note, id="n-m")
    assert "row-level security" in refused(world, "other", note, id="n-o")
    world.run("coach", note, id="n-c")


# --- 8. A case's periods, facts and merges (#19) -----------------------------------------

PERIOD = ("INSERT INTO job_search_period (id, customer_id, opened_on, updated_at) "
          "VALUES (:id, :cid, current_date, now())")
CLOSE = ("UPDATE job_search_period SET closed_on = current_date, exit_reason = 'other' "
         "WHERE id = :id")
FACTS = ("INSERT INTO case_facts (id, customer_id, partial_work_ability, updated_at) "
         "VALUES (:id, :cid, true, now())")
MERGE = ("INSERT INTO customer_merge (id, from_customer_id, into_customer_id, merged_at, "
         "updated_at) VALUES (:id, :src, :dst, now(), now())")


def _cases(world):
    """Each customer's open first period; case facts of the coach's and the other
    team's customer."""
    for cid in ("c-rov", "c-ran", "c-mine", "c-other"):
        owner(world, PERIOD, id=f"jp-{cid[2:]}", cid=cid)
    owner(world, FACTS, id="cf-mine", cid="c-mine")
    owner(world, FACTS, id="cf-other", cid="c-other")


def test_the_desk_sees_whether_a_case_is_open_but_neither_closes_nor_reopens_it(world):
    _cases(world)
    assert world.ids("desk", "job_search_period") == ["jp-mine", "jp-other", "jp-rov"]
    assert world.run("desk", CLOSE, id="jp-rov") == 0
    assert "row-level security" in refused(world, "desk", PERIOD, id="jp-again",
                                           cid="c-rov")
    assert "may not close or reopen" in refused(
        world, "desk", "UPDATE customer SET active = false WHERE id = 'c-rov'")
    # The first period of a customer it registers is the desk's to open, once.
    from tests.integration.test_central_security import NEW_CUSTOMER

    world.run("desk", NEW_CUSTOMER, id="c-new", number="2001", point="sp-rov")
    closed_first = ("INSERT INTO job_search_period (id, customer_id, opened_on, closed_on, "
                    "exit_reason, updated_at) VALUES ('jp-closed', 'c-new', current_date, "
                    "current_date, 'studies', now())")
    assert "row-level security" in refused(world, "desk", closed_first)  # open, or nothing
    world.run("desk", PERIOD, id="jp-new", cid="c-new")
    assert "row-level security" in refused(world, "desk", PERIOD, id="jp-new2", cid="c-new")
    assert owner(world, "SELECT count(*) FROM job_search_period WHERE closed_on IS NOT NULL"
                 ).scalar() == 0
    assert owner(world, "SELECT bool_and(active) FROM customer").scalar()
    # Nor registers someone whose case is already closed.
    closed_customer = NEW_CUSTOMER.replace("false, true, now()", "false, false, now()")
    assert "closed case" in refused(world, "desk", closed_customer, id="c-closed",
                                    number="2002", point="sp-rov")


def test_the_desk_neither_reads_nor_writes_case_facts(world):
    _cases(world)
    assert world.ids("desk", "case_facts") == []
    assert "row-level security" in refused(world, "desk", FACTS, id="cf-rov", cid="c-rov")
    assert world.run("desk", "UPDATE case_facts SET partial_work_ability = false") == 0
    assert owner(world, "SELECT bool_and(partial_work_ability) FROM case_facts").scalar()


def test_a_coach_closes_the_cases_of_their_caseload_only(world):
    _cases(world)
    assert world.run("coach", CLOSE, id="jp-other") == 0  # another team's customer
    assert world.run("mate", CLOSE, id="jp-mine") == 0  # the team reads, does not close
    assert world.run("coach", CLOSE, id="jp-mine") == 1
    assert world.run("coach", "UPDATE customer SET active = false WHERE id = 'c-mine'") == 1
    # Reopening is a new period, the coach's to open; another team's is not.
    world.run("coach", PERIOD, id="jp-mine2", cid="c-mine")
    assert "row-level security" in refused(world, "coach", PERIOD, id="jp-other2",
                                           cid="c-other")
    assert world.ids("other", "case_facts") == ["cf-other"]
    assert world.ids("mate", "case_facts") == ["cf-mine"]  # the team reads...
    edit = "UPDATE case_facts SET subsidy_days = 120 WHERE id = 'cf-mine'"
    assert world.run("mate", edit) == 0  # ...and does not write
    assert world.run("other", edit) == 0
    assert world.run("coach", edit) == 1
    assert "row-level security" in refused(world, "other", FACTS, id="cf-x", cid="c-mine")


def test_only_whoever_may_close_the_case_flips_the_customers_open_flag(world):
    assert "may not close or reopen" in refused(
        world, "other", "UPDATE customer SET active = false WHERE id = 'c-mine'")
    assert "may not close or reopen" in refused(
        world, "mate", "UPDATE customer SET active = false WHERE id = 'c-mine'")


def test_only_a_team_lead_or_an_administrator_merges(world):
    for name in ("desk", "coach"):
        assert "row-level security" in refused(world, name, MERGE, id=f"m-{name}",
                                               src="c-rov", dst="c-mine")
    # c-ran has no open plan (c-rov's and c-mine's would collide: c0061 refuses that).
    world.run("lead", MERGE, id="m-lead", src="c-ran", dst="c-mine")
    assert world.ids("desk", "customer_merge") == ["m-lead"]  # the desk learns of it
    assert world.ids("ran_coach", "customer_merge") == []
    # Written once: the merge trail is not rewritten, not even by the one who merged.
    assert refused(world, "lead", "UPDATE customer_merge SET into_customer_id = 'c-rov'")


# --- The one source of the rights --------------------------------------------------------

def test_the_central_matrix_is_the_applications(world):
    rows = set(owner(world, "SELECT role, permission FROM role_permission").all())
    assert rows == {(role.value, p.value) for role, ps in MATRIX.items() for p in ps}


def test_staff_roles_cannot_reach_the_matrix_or_the_owner(world):
    for name in ("desk", "admin"):
        assert refused(world, name, "INSERT INTO role_permission VALUES ('desk', "
                                    "'customer.erase')")
        assert refused(world, name, "SET ROLE desk_owner")


def test_the_caseload_rule_is_the_same_in_the_application_and_the_centre(world):
    """app/rules/case_access.py and desk_case_readable / desk_case_writable answer alike
    for every staff member and customer of the world, for each case-work permission."""
    from app.models import Staff  # noqa: F401  (the models' enums)
    from app.rules import case_access
    from app.rules.permissions import Permission

    staff = {r.id: r for r in owner(world, "SELECT id, username, role, service_point_id, "
                                           "team_id FROM staff WHERE active")}
    customers = owner(world, "SELECT id, coach_id, service_point_id FROM customer").all()
    checked = 0
    for name in ("desk", "coach", "mate", "other", "ran_coach", "lead", "admin"):
        me = staff[f"staff-{name}"]
        worker = case_access.Worker(me.id, Role(me.role), me.service_point_id, me.team_id)
        with world.connect(name).connect() as conn:
            for c in customers:
                case = case_access.Case(c.coach_id, staff[c.coach_id].team_id
                                        if c.coach_id else None, c.service_point_id)
                for permission in (Permission.PLAN_READ, Permission.PLAN_EDIT,
                                   Permission.CASE_NOTES_READ, Permission.CUSTOMER_BARRIERS,
                                   Permission.CASE_CLOSE, Permission.CASE_FACTS,
                                   Permission.REFERRAL_MAKE):
                    central = conn.execute(text(
                        "SELECT desk_case_readable(:c, :p), desk_case_writable(:c, :p)"),
                        {"c": c.id, "p": permission.value}).one()
                    local = (case_access.may_read(worker, case, permission),
                             case_access.may_write(worker, case, permission))
                    assert tuple(central) == local, (name, c.id, permission)
                    checked += 1
    assert checked == 7 * 5 * 7


# --- 9. Purchased services, referrals, decisions and their follow-up (#20) ---------------

PROVIDER = ("INSERT INTO service_provider (id, name, business_id, active, updated_at) "
            "VALUES (:id, 'Valmennus Oy', '2541212-4', true, now())")
CONTRACT = ("INSERT INTO service_contract (id, provider_id, service, title, starts_on, "
            "ends_on, places, places_per, unit_price_cents, service_point_ids, updated_at) "
            "VALUES (:id, 'sp-1', 'individual_coaching', 'Valmennus', current_date, "
            "current_date + 365, 10, 'year', 90000, '', now())")
REFERRAL = ("INSERT INTO referral (id, customer_id, contract_id, state, proposed_on, "
            "updated_at) VALUES (:id, :cid, 'ct-1', 'proposed', current_date, now())")
DECISION = ("INSERT INTO support_decision (id, customer_id, kind, status, employer_name, "
            "employer_business_id, starts_on, ends_on, percentage, amount_cents, "
            "paying_municipality, updated_at) VALUES (:id, :cid, 'pay_subsidy', :status, "
            "'Rakennus Oy', '2541212-4', current_date, current_date + 180, 50, 600000, "
            "'Rovaniemi', now())")
FOLLOWUP = ("INSERT INTO effect_followup (id, customer_id, referral_id, months, due_on, "
            "situation, answered_on, updated_at) VALUES (:id, :cid, :ref, 3, current_date, "
            "'studies', current_date, now())")
CASE_WORK = ("referral", "support_decision", "effect_followup")


def _purchased(world):
    """A provider and contract; a referral, a draft and a decided decision and a follow-up
    of the coach's customer (team A), and a referral of another team's customer."""
    owner(world, PROVIDER, id="sp-1")
    owner(world, CONTRACT, id="ct-1")
    for cid in ("c-mine", "c-other", "c-rov"):
        owner(world, REFERRAL, id=f"r-{cid[2:]}", cid=cid)
    owner(world, DECISION, id="d-draft", cid="c-mine", status="draft")
    owner(world, DECISION, id="d-decided", cid="c-mine", status="decided")
    owner(world, FOLLOWUP, id=followup_id("r-mine", 3), cid="c-mine", ref="r-mine")


def test_the_purchased_tables_have_row_level_security_and_policies(world):
    rows = owner(world, "SELECT c.relname, c.relrowsecurity, (SELECT count(*) FROM "
                        "pg_policy p WHERE p.polrelid = c.oid) FROM pg_class c JOIN "
                        "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
                        " AND c.relname IN ('service_provider', 'service_contract', "
                        "'referral', 'support_decision', 'effect_followup')").all()
    assert len(rows) == 5
    for name, secured, policies in rows:
        assert secured and policies > 0, name


def test_the_desk_neither_reads_nor_writes_referrals_decisions_or_follow_ups(world):
    _purchased(world)
    for table in CASE_WORK:
        assert world.ids("desk", table) == [], table
        assert world.run("desk", f"UPDATE {table} SET updated_at = now()") == 0, table
        assert "permission denied" in refused(world, "desk", f"DELETE FROM {table}")
    assert "row-level security" in refused(world, "desk", REFERRAL, id="r-d", cid="c-rov")
    assert "row-level security" in refused(world, "desk", DECISION, id="d-d", cid="c-rov",
                                           status="draft")
    assert "row-level security" in refused(world, "desk", FOLLOWUP,
                                           id=followup_id("r-rov", 3), cid="c-rov",
                                           ref="r-rov")
    assert owner(world, "SELECT count(*) FROM referral").scalar() == 3
    # Providers and contracts are everyone's to read.
    assert world.ids("desk", "service_provider") == ["sp-1"]
    assert world.ids("desk", "service_contract") == ["ct-1"]


def test_only_a_team_lead_or_an_administrator_maintains_providers_and_contracts(world):
    _purchased(world)
    for name in ("desk", "coach"):
        assert "row-level security" in refused(world, name, PROVIDER, id=f"sp-{name}")
        assert "row-level security" in refused(
            world, name, CONTRACT.replace("'sp-1'", "'sp-x'"), id=f"ct-{name}")
        assert world.run(name, "UPDATE service_provider SET name = 'x'") == 0
        assert world.run(name, "UPDATE service_contract SET places = 99") == 0
    assert owner(world, "SELECT name FROM service_provider").scalar() == "Valmennus Oy"
    world.run("lead", PROVIDER, id="sp-lead")
    world.run("lead", CONTRACT, id="ct-lead")
    assert world.run("lead", "UPDATE service_contract SET places = 12 WHERE id = 'ct-1'") == 1
    assert world.run("admin", "UPDATE service_provider SET phone = '0401' "
                              "WHERE id = 'sp-1'") == 1
    assert sorted(owner(world, "SELECT id FROM service_contract").scalars()) \
        == ["ct-1", "ct-lead"]


def test_a_coach_refers_the_customers_of_their_caseload_only(world):
    _purchased(world)
    # c-rov has no coach yet: any coach of its point may start its case.
    assert world.ids("coach", "referral") == ["r-mine", "r-rov"]
    assert world.ids("mate", "referral") == ["r-mine", "r-rov"]  # the team reads...
    assert world.ids("other", "referral") == ["r-other", "r-rov"]  # not another team's
    assert world.ids("other", "support_decision") == []
    assert world.ids("other", "effect_followup") == []
    send = "UPDATE referral SET state = 'sent', sent_on = current_date WHERE id = :id"
    assert world.run("mate", send, id="r-mine") == 0  # ...and does not write
    assert world.run("coach", send, id="r-other") == 0
    assert world.run("coach", send, id="r-mine") == 1
    world.run("coach", REFERRAL, id="r-mine2", cid="c-mine")
    # Naming a customer the coach cannot see gives no reach, and no referral.
    assert refused(world, "coach", REFERRAL, id="r-sneak", cid="c-other")
    assert refused(world, "coach", REFERRAL, id="r-sneak2", cid="c-ran")  # Ranua's
    assert refused(world, "coach", "UPDATE referral SET customer_id = 'c-other' "
                                   "WHERE id = 'r-mine2'")
    world.run("coach", FOLLOWUP, id=followup_id("r-mine2", 3), cid="c-mine", ref="r-mine2")
    assert refused(world, "coach", FOLLOWUP, id=followup_id("r-other", 3), cid="c-other",
                   ref="r-other")
    assert sorted(owner(world, "SELECT id FROM referral WHERE customer_id = 'c-other'"
                        ).scalars()) == ["r-other"]
    assert world.ids("lead", "referral") == ["r-mine", "r-mine2", "r-other", "r-rov"]


def test_a_referral_never_moves_back(world):
    _purchased(world)
    step = "UPDATE referral SET state = :state WHERE id = :id"
    for state in ("sent", "started", "completed"):
        assert world.run("coach", step, id="r-mine", state=state) == 1
    assert "forward" in refused(world, "coach", step, id="r-mine", state="sent")
    assert "forward" in refused(world, "lead", step, id="r-mine", state="interrupted")
    for state in ("sent", "declined"):
        assert world.run("lead", step, id="r-rov", state=state) == 1
    assert "forward" in refused(world, "lead", step, id="r-rov", state="started")
    assert "forward" in refused(world, "admin", step, id="r-rov", state="proposed")
    world.run("other", step, id="r-other", state="started")
    # Declined and started are level: neither overrides the other.
    assert "forward" in refused(world, "other", step, id="r-other", state="declined")
    assert owner(world, "SELECT id, state FROM referral ORDER BY id").all() \
        == [("r-mine", "completed"), ("r-other", "started"), ("r-rov", "declined")]


def test_a_coach_drafts_a_decision_and_a_team_lead_decides_it(world):
    _purchased(world)
    assert "may not decide" in refused(world, "coach", DECISION, id="d-c", cid="c-mine",
                                       status="decided")
    world.run("coach", DECISION, id="d-c", cid="c-mine", status="draft")
    assert world.run("coach", "UPDATE support_decision SET amount_cents = 700000 "
                              "WHERE id = 'd-c'") == 1  # a draft is the coach's to edit
    decide = ("UPDATE support_decision SET status = 'decided', decided_on = current_date "
              "WHERE id = :id")
    assert "may not decide" in refused(world, "coach", decide, id="d-c")
    assert world.run("lead", decide, id="d-c") == 1
    assert owner(world, "SELECT status, amount_cents FROM support_decision WHERE id = 'd-c'"
                 ).one() == ("decided", 700000)
    world.run("admin", DECISION, id="d-a", cid="c-rov", status="decided")


def test_nobody_edits_a_decided_decision_only_ends_or_replaces_it(world):
    _purchased(world)
    for name in ("coach", "lead", "admin"):
        for change in ("amount_cents = 1", "employer_name = 'Toinen Oy'",
                       "employer_business_id = '1234567-1'", "percentage = 100"):
            assert "never edited" in refused(
                world, name, f"UPDATE support_decision SET {change} WHERE id = 'd-decided'")
    assert "forward" in refused(world, "lead", "UPDATE support_decision SET status = 'draft'"
                                               " WHERE id = 'd-decided'")
    # Replaced: the new decision is drafted, decided, and the old one points to it.
    world.run("coach", DECISION, id="d-new", cid="c-mine", status="draft")
    world.run("lead", "UPDATE support_decision SET status = 'decided' WHERE id = 'd-new'")
    replace = ("UPDATE support_decision SET status = 'replaced', replaced_by_id = 'd-new' "
               "WHERE id = 'd-decided'")
    assert "may not decide" in refused(world, "coach", replace)
    assert world.run("lead", replace) == 1
    assert "forward" in refused(world, "lead", "UPDATE support_decision SET status = "
                                               "'ended' WHERE id = 'd-decided'")
    # Ended early, with a reason: by whoever may decide, not by the coach.
    end = ("UPDATE support_decision SET status = 'ended', ended_on = current_date, "
           "end_reason = 'Työ päättyi' WHERE id = 'd-new'")
    assert "may not decide" in refused(world, "coach", end)
    assert world.run("lead", end) == 1
    assert "never edited" in refused(world, "lead", "UPDATE support_decision SET "
                                                    "amount_cents = 1 WHERE id = 'd-new'")
    assert owner(world, "SELECT id, status, amount_cents FROM support_decision "
                        "ORDER BY id").all() == [("d-decided", "replaced", 600000),
                                                 ("d-draft", "draft", 600000),
                                                 ("d-new", "ended", 600000)]


def test_a_decided_decision_s_end_signer_and_steps_cannot_be_forged(world):
    """Review of #20: the end of a decided decision is written only with the change that
    ends it; the decider is who decides; a referral's recorded steps stay; a follow-up
    answers only its own referral."""
    _purchased(world)
    for name in ("coach", "lead"):  # an end without ending it: never
        assert "never edited" in refused(
            world, name, "UPDATE support_decision SET ended_on = current_date, "
                         "end_reason = 'x' WHERE id = 'd-decided'")
        assert "never edited" in refused(
            world, name, "UPDATE support_decision SET replaced_by_id = 'd-draft' "
                         "WHERE id = 'd-decided'")
    # The lead decides, naming someone else as the decider: the centre names the lead.
    world.run("lead", "UPDATE support_decision SET status = 'decided', "
                      "decided_by = 'staff-coach' WHERE id = 'd-draft'")
    by, on = owner(world, "SELECT s.username, d.decided_on FROM support_decision d "
                          "JOIN staff s ON s.id = d.decided_by WHERE d.id = 'd-draft'").one()
    assert by.endswith("lead") and on is not None
    # A referral's recorded step is never rewritten, nor a sent one removed.
    world.run("coach", "UPDATE referral SET state = 'sent', sent_on = current_date "
                       "WHERE id = 'r-mine'")
    assert "never rewritten" in refused(
        world, "coach", "UPDATE referral SET sent_on = current_date - 30 WHERE id = 'r-mine'")
    assert "never removed" in refused(
        world, "coach", "UPDATE referral SET deleted_at = now() WHERE id = 'r-mine'")
    assert "only in a merge" in refused(
        world, "coach", "UPDATE referral SET customer_id = 'c-rov' WHERE id = 'r-mine'")
    # A follow-up of another customer's referral, filed under the coach's own customer.
    assert "names its referral" in refused(world, "coach", FOLLOWUP,
                                           id=followup_id("r-rov", 3), cid="c-mine",
                                           ref="r-rov")


# --- 10. The place ledger (#20, c0080) ----------------------------------------------------

def test_the_place_ledger_is_everyones_to_read_and_only_the_centre_writes_it(world):
    """Every referral's place is in the ledger, written by the centre's trigger: every
    active staff member reads all of it (a contract's places are counted whole on every
    desk), no login writes it, and it names no customer."""
    _purchased(world)
    assert sorted(owner(world, "SELECT id, holds_place FROM contract_place").all()) == [
        ("r-mine", False), ("r-other", False), ("r-rov", False)]  # proposed: no place
    assert world.run("coach", "UPDATE referral SET state = 'sent', sent_on = current_date "
                              "WHERE id = 'r-mine'") == 1
    for name in ("desk", "other", "ran_coach", "lead"):  # none of them reads r-mine itself
        assert world.ids(name, "contract_place") == ["r-mine", "r-other", "r-rov"], name
    assert owner(world, "SELECT holds_place, sent_on = current_date FROM contract_place "
                        "WHERE id = 'r-mine'").one() == (True, True)
    columns = set(owner(world, "SELECT column_name FROM information_schema.columns "
                               "WHERE table_name = 'contract_place'").scalars())
    assert "customer_id" not in columns
    for name in ("desk", "coach", "lead", "admin"):
        assert "permission denied" in refused(
            world, name, "UPDATE contract_place SET holds_place = false")
        assert "permission denied" in refused(
            world, name, "INSERT INTO contract_place (id, contract_id, holds_place, "
                         "updated_at) VALUES ('x', 'ct-1', true, now())")
    # Nobody is named: not the customer, not who referred.
    assert owner(world, "SELECT updated_by FROM contract_place WHERE id = 'r-mine'"
                 ).scalar() is None
    # A move re-charges the place to the customer's new municipality and point.
    owner(world, "UPDATE customer SET home_municipality = 'Inari' WHERE id = 'c-mine'")
    assert owner(world, "SELECT home_municipality FROM contract_place WHERE id = 'r-mine'"
                 ).scalar() == "Inari"
    # Declined: the place is given back, on every desk's next pull.
    assert world.run("coach", "UPDATE referral SET state = 'declined', answered_on = "
                              "current_date, end_reason = 'no_places' "
                              "WHERE id = 'r-mine'") == 1
    assert owner(world, "SELECT holds_place FROM contract_place WHERE id = 'r-mine'"
                 ).scalar() is False


def test_a_contract_with_a_sent_referral_keeps_its_service_start_and_price(world):
    _purchased(world)
    assert world.run("lead", "UPDATE service_contract SET unit_price_cents = 95000 "
                             "WHERE id = 'ct-1'") == 1  # nothing sent yet
    owner(world, "UPDATE referral SET state = 'sent', sent_on = current_date "
                 "WHERE id = 'r-mine'")
    for change in ("unit_price_cents = 99000", "service = 'group_coaching'",
                   "starts_on = starts_on - 1",
                   "unit_price_cents = NULL, lump_sum_cents = 500000"):
        assert "keeps its service" in refused(
            world, "lead", f"UPDATE service_contract SET {change} WHERE id = 'ct-1'"), change
    assert "no earlier" in refused(world, "admin", "UPDATE service_contract SET ends_on = "
                                                   "current_date - 1 WHERE id = 'ct-1'")
    assert "never removed" in refused(world, "admin", "UPDATE service_contract SET "
                                                      "deleted_at = now() WHERE id = 'ct-1'")
    assert world.run("lead", "UPDATE service_contract SET places = 14, ends_on = ends_on "
                             "+ 30 WHERE id = 'ct-1'") == 1
    # A referral sent after the end does not hold up edits that leave the end alone.
    owner(world, "UPDATE referral SET state = 'sent', sent_on = current_date + 400 "
                 "WHERE id = 'r-other'")
    assert world.run("lead", "UPDATE service_contract SET places = 15 WHERE id = 'ct-1'") == 1
    # Sent and declined, a referral holds no place and locks nothing.
    owner(world, "UPDATE referral SET state = 'declined', answered_on = current_date "
                 "WHERE id IN ('r-mine', 'r-other')")
    assert world.run("lead", "UPDATE service_contract SET unit_price_cents = 99000 "
                             "WHERE id = 'ct-1'") == 1


# --- 11. Partners and consents (#24, c0110) ----------------------------------------------

PARTNER_ORG = ("INSERT INTO partner_org (id, name, kind, active, updated_at) VALUES (:id, "
               "'Kela', 'kela', true, now())")
PARTNER_PERSON = ("INSERT INTO partner_person (id, partner_org_id, full_name, active, "
                  "updated_at) VALUES (:id, 'po-1', 'Kaisa Kelanen', true, now())")
CONSENT = ("INSERT INTO customer_consent (id, customer_id, partner_org_id, information, "
           "given_how, valid_from, updated_at) VALUES (:id, :cid, 'po-1', 'contact,plan', "
           "'in_person', desk_helsinki_today() - 1, now())")
MEETING_PARTNER = ("INSERT INTO meeting_participant (id, appointment_id, customer_id, "
                   "partner_person_id, updated_at) VALUES (:id, 'ap-m', :cid, 'pp-1', now())")


def test_a_desk_keeps_no_partner_or_consent_and_no_one_adds_a_partner_unconsented(world):
    from app.rules.partners import participant_id

    owner(world, PARTNER_ORG, id="po-1")
    owner(world, PARTNER_PERSON, id="pp-1")
    owner(world, APPOINTMENT.replace("'other'", "'multi_professional'"), id="ap-m",
          cid="c-mine", staff="staff-coach", point="sp-rov")
    # The desk: neither the register nor a consent, not even for its point's customer.
    for sql, params in ((PARTNER_ORG, {"id": "po-x"}), (PARTNER_PERSON, {"id": "pp-x"}),
                        (CONSENT, {"id": "cc-x", "cid": "c-rov"}),
                        ("UPDATE partner_person SET email = 'x@example.fi'", {}),
                        ("UPDATE customer_consent SET withdrawn_on = NULL", {})):
        assert "permission denied" in refused(world, "desk", sql, **params), sql
    # Nobody puts a partner at a customer's meeting without the customer's consent, and
    # the desk puts no one there at all.
    row = {"id": participant_id("ap-m", "pp-1"), "cid": "c-mine"}
    assert "permission denied" in refused(world, "desk", MEETING_PARTNER, **row)
    for name in ("coach", "lead", "admin"):
        assert "not consented" in refused(world, name, MEETING_PARTNER, **row), name
    # Nor under a consent the coach records for another customer, nor one recorded for
    # a customer of another point.
    world.run("coach", CONSENT, id="cc-rov", cid="c-rov")
    assert "not consented" in refused(world, "coach", MEETING_PARTNER, **row)
    assert refused(world, "ran_coach", CONSENT, id="cc-ran", cid="c-mine")
    assert owner(world, "SELECT count(*) FROM meeting_participant").scalar() == 0
    # With the customer's own consent the coach adds them.
    world.run("coach", CONSENT, id="cc-mine", cid="c-mine")
    assert world.run("coach", MEETING_PARTNER, **row) == 1
