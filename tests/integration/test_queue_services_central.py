"""The queue's services and a partner's desk in the central database (#24, c0120), as
each staff member's own PostgreSQL login sees them in SQL: every active staff member
reads a point's services, only an administrator keeps them; a partner's login reads and
moves forward only the tickets of its own organisation's services (never the area's or
another partner's), may not move one to another service nor make one, and keeps only
its own desk duty; a ticket that names a customer reaches a partner's service only under
the customer's consent to that partner covering contact details, whatever the
workstation says (desk_guard_ticket_partner); and the migration gives each existing
point its built-in services with the ids every workstation gives them."""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from app.db.central_roles import create_login_role, drop_login_role
from app.db.migrate import CENTRAL_SCRIPTS
from app.rules.codes import Role
from app.rules.queue import BUILT_IN_NAMES, built_in_services, service_id
from tests.integration.test_central_security import NOW, PASSWORD
from tests.integration.test_hostile_client import owner
from tests.integration.test_partner_role_central import TODAY, consent

pytestmark = pytest.mark.usefixtures("pg_url")

AREA = service_id("sp-rov", "finding_work")  # the area's own desks serve it
SCHOOL = "qs-school"  # served at REDU's desks (the partner's own organisation)
KELA = "qs-kela"      # served at Kela's desks (another partner)

SERVICE = ("INSERT INTO queue_service (id, service_point_id, code, name_fi, name_sv, "
           "name_en, service_area, partner_org_id, position, active, updated_at, hlc, "
           "version) VALUES (:id, 'sp-rov', :code, :name, :name, :name, 'skills', :org, "
           ":pos, true, now(), '', 1)")
TICKET = ("INSERT INTO queue_ticket (id, service_point_id, ticket_date, letter, number, "
          "customer_id, service_area, queue_service_id, priority, state, leg, recalls, "
          "arrived_at, updated_at, hlc, version) VALUES (:id, 'sp-rov', "
          f"{TODAY}, 'A', :n, :cid, 'finding_work', :sid, 0, 'waiting', 0, 0, now(), "
          "now(), '', 1)")
DUTY = ("INSERT INTO desk_duty (id, staff_id, service_point_id, desk, services, "
        "started_at, updated_at, hlc, version) VALUES (:id, :staff, 'sp-rov', :desk, "
        ":services, now(), now(), '', 1)")
CALL = ("UPDATE queue_ticket SET state = 'called', desk = 'REDU 1', called_at = now(), "
        "first_called_at = now(), served_by = 'staff-partner' WHERE id = :id")


def add_partner_orgs(world) -> None:
    for org, name in (("po-school", "Lapin koulutuskeskus REDU"), ("po-kela", "Kela")):
        owner(world, "INSERT INTO partner_org (id, name, kind, active, updated_at, hlc, "
                     "version) VALUES (:id, :n, 'school', true, :at, '', 1) "
                     "ON CONFLICT (id) DO NOTHING", id=org, n=name, at=NOW)


def add_services(world) -> None:
    """The area's own service, REDU's and Kela's, at Rovaniemi."""
    owner(world, SERVICE, id=AREA, code="finding_work", name="Työn löytyminen", org=None,
          pos=0)
    owner(world, SERVICE, id=SCHOOL, code="redu", name="REDU", org="po-school", pos=1)
    owner(world, SERVICE, id=KELA, code="kela", name="Kela", org="po-kela", pos=2)


def ticket(world, tid: str, number: int, sid: str | None, cid: str | None = None) -> str:
    """A ticket made by the schema owner (no staff login: the consent guard lets it be)."""
    owner(world, TICKET, id=tid, n=number, cid=cid, sid=sid)
    return tid


@pytest.fixture
def world(pg_url):
    from tests.integration.test_central_security import World

    made = World(pg_url)
    add_partner_orgs(made)
    user = f"t{uuid.uuid4().hex[:8]}_partner"
    made.users["partner"] = user
    owner(made, "INSERT INTO staff (id, username, full_name, role, service_point_id, active, "
                "partner_org_id, updated_at, hlc, version) VALUES ('staff-partner', :u, "
                "'Opo', 'partner', 'sp-rov', true, 'po-school', :at, '', 1)", u=user, at=NOW)
    create_login_role(made.admin_engine, user, PASSWORD, Role.PARTNER)
    add_services(made)
    yield made
    made.close()
    drop_login_role(made.admin_engine, user)


def refused(world, name: str, sql: str, **params) -> str:
    with pytest.raises((ProgrammingError, DBAPIError)) as caught:
        world.run(name, sql, **params)
    return str(caught.value.orig)


def column(world, sql: str, **params):
    with world.admin_engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


# --- the services themselves ----------------------------------------------------------

STAFF = ("desk", "coach", "lead", "admin", "ran_coach", "partner")


def test_every_active_staff_member_reads_the_services(world):
    for name in STAFF:
        assert world.ids(name, "queue_service") == sorted([AREA, SCHOOL, KELA]), name
    assert world.ids("gone", "queue_service") == []  # a deactivated account reads none


def test_only_an_administrator_keeps_the_services(world):
    new = ("INSERT INTO queue_service (id, service_point_id, code, name_fi, name_sv, "
           "name_en, service_area, position, active, updated_at, hlc, version) VALUES "
           "(:id, 'sp-rov', :code, 'Uusi', 'Ny', 'New', 'initial', 9, true, now(), '', 1)")
    rename = "UPDATE queue_service SET name_fi = :label WHERE id = :id"
    for name in ("desk", "coach", "lead", "partner"):
        message = refused(world, name, new, id=f"qs-{name}", code=f"new_{name}")
        assert "permission denied" in message or "row-level security" in message, name
        try:  # a policy hides the rows from the update; a missing grant refuses it
            assert world.run(name, rename, label=name, id=AREA) == 0, name
        except (ProgrammingError, DBAPIError) as exc:
            assert "permission denied" in str(exc.orig), name
    assert column(world, "SELECT name_fi FROM queue_service WHERE id = :id",
                  id=AREA) == "Työn löytyminen"
    world.run("admin", new, id="qs-admin", code="new_admin")
    assert world.run("admin", rename, label="Työnhaku", id=AREA) == 1
    assert world.run("admin", "UPDATE queue_service SET active = false WHERE id = :id",
                     id=KELA) == 1
    assert column(world, "SELECT name_fi FROM queue_service WHERE id = :id",
                  id=AREA) == "Työnhaku"
    assert "qs-admin" in world.ids("desk", "queue_service")
    # Never deleted, not even by an administrator: made inactive instead.
    assert "permission denied" in refused(world, "admin", "DELETE FROM queue_service")


# --- a partner's desk: its own services' tickets, its own duty -------------------------

def test_a_partner_reads_only_the_tickets_of_its_own_organisations_services(world):
    ticket(world, "t-area", 1, AREA)
    ticket(world, "t-legacy", 2, None)  # before #24: the area's desks'
    ticket(world, "t-school", 3, SCHOOL)
    ticket(world, "t-kela", 4, KELA)
    assert world.ids("partner", "queue_ticket") == ["t-school"]
    assert world.ids("desk", "queue_ticket") == ["t-area", "t-kela", "t-legacy", "t-school"]
    assert world.ids("coach", "queue_ticket") == ["t-area", "t-kela", "t-legacy", "t-school"]


def test_a_partner_calls_and_serves_its_own_tickets_only(world):
    ticket(world, "t-area", 1, AREA)
    ticket(world, "t-school", 2, SCHOOL)
    ticket(world, "t-kela", 3, KELA)
    assert world.run("partner", CALL, id="t-school") == 1
    assert world.run("partner", "UPDATE queue_ticket SET state = 'serving', "
                                "service_started_at = now() WHERE id = 't-school'") == 1
    assert world.run("partner", "UPDATE queue_ticket SET state = 'done', finished_at = now() "
                                "WHERE id = 't-school'") == 1
    with world.admin_engine.connect() as conn:
        assert conn.execute(text("SELECT state, desk, served_by FROM queue_ticket WHERE id = "
                                 "'t-school'")).one() == ("done", "REDU 1", "staff-partner")
    # The area's tickets and another partner's stay out of reach: nothing is updated.
    for other in ("t-area", "t-kela"):
        assert world.run("partner", CALL, id=other) == 0, other
        assert column(world, "SELECT state FROM queue_ticket WHERE id = :id",
                      id=other) == "waiting"


def test_a_partner_cannot_move_a_ticket_to_another_service_nor_make_one(world):
    """Its grant covers a ticket's progress only (c0120 PARTNER_TICKET_COLUMNS): not the
    service, the customer, the notes or the priority."""
    ticket(world, "t-school", 1, SCHOOL)
    for target in (AREA, KELA, None):
        assert "permission denied" in refused(
            world, "partner", "UPDATE queue_ticket SET queue_service_id = :sid "
                              "WHERE id = 't-school'", sid=target), target
    for change in ("customer_id = NULL", "note = 'x'", "priority = 5",
                   "transfer_note = 'x'", "arrived_at = now()"):
        assert "permission denied" in refused(
            world, "partner", f"UPDATE queue_ticket SET {change} WHERE id = 't-school'"), \
            change
    assert column(world, "SELECT queue_service_id FROM queue_ticket") == SCHOOL
    assert "permission denied" in refused(world, "partner", TICKET, id="t-new", n=9,
                                          cid=None, sid=SCHOOL)
    assert "permission denied" in refused(world, "partner", "DELETE FROM queue_ticket")


def test_a_partner_keeps_only_its_own_desk_duty(world):
    owner(world, DUTY, id="d-desk", staff="staff-desk", desk="1", services="finding_work")
    world.run("partner", DUTY, id="d-partner", staff="staff-partner", desk="REDU 1",
              services="redu")
    assert world.ids("partner", "desk_duty") == ["d-partner"]
    assert world.ids("desk", "desk_duty") == ["d-desk", "d-partner"]  # the lobby's desks
    assert world.run("partner", "UPDATE desk_duty SET ended_at = now() "
                                "WHERE id = 'd-partner'") == 1
    assert world.run("partner", "UPDATE desk_duty SET ended_at = now() "
                                "WHERE id = 'd-desk'") == 0
    assert column(world, "SELECT ended_at FROM desk_duty WHERE id = 'd-desk'") is None
    assert "row-level security" in refused(world, "partner", DUTY, id="d-forged",
                                           staff="staff-desk", desk="REDU 1",
                                           services="redu")
    assert "row-level security" in refused(
        world, "partner", "UPDATE desk_duty SET staff_id = 'staff-desk' "
                          "WHERE id = 'd-partner'")


# --- the consent guard ----------------------------------------------------------------

NO_CONSENT = "has not consented"


def test_a_ticket_naming_a_customer_reaches_a_partners_service_only_with_consent(world):
    # Without any consent: refused, whether made there or moved there.
    assert NO_CONSENT in refused(world, "desk", TICKET, id="t-1", n=1, cid="c-rov",
                                 sid=SCHOOL)
    world.run("desk", TICKET, id="t-area", n=2, cid="c-rov", sid=AREA)
    move = "UPDATE queue_ticket SET queue_service_id = :sid, leg = leg + 1 WHERE id = :id"
    assert NO_CONSENT in refused(world, "desk", move, sid=SCHOOL, id="t-area")
    # Another organisation's consent, or one without contact details, is not enough.
    consent(world, "c-rov", org="po-kela", information="contact")
    consent(world, "c-rov", information="plan")
    assert NO_CONSENT in refused(world, "desk", move, sid=SCHOOL, id="t-area")
    assert column(world, "SELECT queue_service_id FROM queue_ticket WHERE id = 't-area'"
                  ) == AREA
    # A ticket without a customer goes anywhere.
    world.run("desk", TICKET, id="t-anon", n=3, cid=None, sid=SCHOOL)
    # The customer's consent to REDU covering contact: accepted.
    given = consent(world, "c-rov", information="contact")
    world.run("desk", TICKET, id="t-2", n=4, cid="c-rov", sid=SCHOOL)
    assert world.run("desk", move, sid=SCHOOL, id="t-area") == 1
    # Withdrawn: refused again.
    owner(world, f"UPDATE customer_consent SET withdrawn_on = {TODAY} WHERE id = :id",
          id=given)
    assert NO_CONSENT in refused(world, "desk", TICKET, id="t-3", n=5, cid="c-rov",
                                 sid=SCHOOL)
    world.run("desk", TICKET, id="t-area2", n=6, cid="c-rov", sid=AREA)
    assert NO_CONSENT in refused(world, "desk", move, sid=SCHOOL, id="t-area2")
    # A ticket already there moves forward (its call, its end) without asking again.
    assert world.run("desk", "UPDATE queue_ticket SET state = 'called', desk = '1', "
                             "called_at = now() WHERE id = 't-2'") == 1
    assert sorted(world.ids("desk", "queue_ticket")) == ["t-2", "t-anon", "t-area",
                                                         "t-area2"]


def test_the_guard_holds_for_every_staff_login(world):
    """A coach's (or a lead's) workstation is held to the same line as the desk's."""
    for n, name in enumerate(("coach", "lead")):
        assert NO_CONSENT in refused(world, name, TICKET, id=f"t-{name}", n=n + 1,
                                     cid="c-rov", sid=SCHOOL), name
    consent(world, "c-rov", information="contact")
    world.run("coach", TICKET, id="t-coach", n=5, cid="c-rov", sid=SCHOOL)


# --- the built-in services of the points that existed before c0120 ---------------------

def _upgrade(engine, revision: str) -> None:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(CENTRAL_SCRIPTS))
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, revision)


def test_the_migration_gives_each_point_its_built_in_services(pg_url):
    """The World makes its points after migrating: this centre is upgraded to c0115,
    given two points (one that offered two services in its old list, one that offered
    all), then upgraded to c0120."""
    engine = create_engine(pg_url)
    try:
        _upgrade(engine, "c0115")
        with engine.begin() as conn:
            for pid, code, configured in (("sp-rov", "ROV", "work_ability,initial"),
                                          ("sp-ran", "RAN", "")):
                conn.execute(text(
                    "INSERT INTO service_point (id, code, name, municipality, mode, "
                    "queue_services, updated_at, hlc, version) VALUES (:id, :code, :code, "
                    "'Rovaniemi', 'walk_in', :q, now(), '', 1)"),
                    {"id": pid, "code": code, "q": configured})
        _upgrade(engine, "c0120")
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT id, service_point_id, code, name_fi, name_sv, name_en, "
                "service_area, partner_org_id, position, active FROM queue_service")).all()
    finally:
        engine.dispose()
    held = {(r.service_point_id, r.code): r for r in rows}
    assert len(rows) == 2 * len(BUILT_IN_NAMES)
    for point, configured in (("sp-rov", "work_ability,initial"), ("sp-ran", "")):
        for code in BUILT_IN_NAMES:
            row = held[(point, code)]
            assert row.id == service_id(point, code)
            assert row.partner_org_id is None and row.service_area == code
            assert (row.name_fi, row.name_sv, row.name_en) == BUILT_IN_NAMES[code]
        expected = {r["code"]: (r["position"], r["active"])
                    for r in built_in_services(point, configured)}
        assert {code: (held[(point, code)].position, held[(point, code)].active)
                for code in BUILT_IN_NAMES} == expected
    # The point's old list: those first and active in its order, the others inactive.
    assert [r.code for r in sorted((r for r in rows if r.service_point_id == "sp-rov"),
                                   key=lambda r: r.position)][:2] == ["work_ability",
                                                                      "initial"]
    assert sum(r.active for r in rows if r.service_point_id == "sp-rov") == 2
    assert all(r.active for r in rows if r.service_point_id == "sp-ran")


def test_a_service_keeps_its_point_code_and_server(world):
    """Another server is another service (desk_guard_queue_service): a partner's reach
    is its services' tickets, shared with it only; names and the offer may change."""
    for change in ("partner_org_id = 'po-school'", "code = 'neuvonta'",
                   "service_point_id = 'sp-ran'"):
        assert "keeps its point, code and server" in refused(
            world, "admin", f"UPDATE queue_service SET {change} WHERE id = :id",
            id=AREA), change
    assert "keeps its point, code and server" in refused(
        world, "admin", "UPDATE queue_service SET partner_org_id = NULL WHERE id = :id",
        id=SCHOOL)
    assert world.run("admin", "UPDATE queue_service SET name_fi = 'Työnhaku', "
                              "active = false WHERE id = :id", id=AREA) == 1


def test_a_partner_reads_today_and_yesterday_never_the_services_history(world):
    for tid, days in (("t-today", 0), ("t-yesterday", 1), ("t-old", 2)):
        owner(world, TICKET.replace(TODAY, f"{TODAY} - {days}"), id=tid, n=days + 1,
              cid=None, sid=SCHOOL)
    assert world.ids("partner", "queue_ticket") == ["t-today", "t-yesterday"]
    assert world.run("partner", CALL, id="t-old") == 0


def test_a_merge_moves_a_partners_ticket_without_asking_consent_again(world):
    """The duplicate consented to REDU, the real record did not: the merge moving the
    ticket to the real customer shares nothing new (the merge's triggers move tickets and
    consents in an order of their own), so the guard lets it pass."""
    consent(world, "c-ran-mine", information="contact")
    ticket(world, "t-dup", 1, SCHOOL, cid="c-ran-mine")
    world.run("lead", "INSERT INTO customer_merge (id, from_customer_id, into_customer_id, "
                      "merged_at, updated_at) VALUES ('m-1', 'c-ran-mine', 'c-rov', now(), "
                      "now())")
    assert column(world, "SELECT customer_id FROM queue_ticket WHERE id = 't-dup'") == \
        "c-rov"
