"""Roles, grants and row-level security in the real central PostgreSQL: each test
connects as a staff member of each role and shows what they can and cannot read and
write. PostgreSQL roles are cluster-wide: unique names per test, dropped afterwards."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError

from app.db.central_roles import create_login_role, drop_login_role
from app.db.central_schema import central_table
from app.db.migrate import upgrade_central
from app.rules.codes import Role
from app.sync.engine import central_engine

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PASSWORD = "Salainen-1"


def _row(**values):
    return {"updated_at": NOW, "hlc": "", **values}


def customer(cid, point, number, coach=None, hetu=None):
    return _row(id=cid, customer_number=number, hetu=hetu, hetu_temporary=False,
                first_names="Aino",
                last_name=f"Asiakas {cid}", sort_name=f"asiakas {cid}", language="fi",
                interpreter_needed=False, home_municipality="Rovaniemi",
                service_point_id=point, coach_id=coach, partial_work_ability=False,
                active=True)


def note(nid, cid, kind):
    return _row(id=nid, customer_id=cid, kind=kind, text=f"{kind} note", written_at=NOW)


class World:
    """A central database with two service points, one staff member per role (and a
    coach at the other point), customers, notes, a plan, tickets and an audit row."""

    def __init__(self, url: str) -> None:
        upgrade_central(url)
        self.url = url
        self.admin_engine = central_engine(url)
        tag = uuid.uuid4().hex[:8]
        # coach, mate: team A at Rovaniemi; other: team B there; gone: deactivated.
        self.users = {name: f"t{tag}_{name}" for name in
                      ("desk", "coach", "lead", "admin", "ran_coach", "mate", "other",
                       "gone")}
        roles = {"desk": Role.DESK, "coach": Role.COACH, "lead": Role.TEAM_LEAD,
                 "admin": Role.ADMIN, "ran_coach": Role.COACH, "mate": Role.COACH,
                 "other": Role.COACH, "gone": Role.DESK}
        teams = {"coach": "team-a", "mate": "team-a", "other": "team-b"}
        rows = {
            "service_point": [
                _row(id="sp-rov", code="ROV", name="Rovaniemi", municipality="Rovaniemi",
                     mode="walk_in", queue_services=""),
                _row(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                     mode="appointment", queue_services="")],
            "team": [_row(id="team-a", name="A", service_area="finding_work"),
                     _row(id="team-b", name="B", service_area="finding_work")],
            "staff": [
                _row(id=f"staff-{name}", username=user, full_name=name, role=roles[name],
                     service_point_id="sp-ran" if name == "ran_coach" else "sp-rov",
                     team_id=teams.get(name), active=name != "gone")
                for name, user in self.users.items()],
            "customer": [customer("c-rov", "sp-rov", "1001"),
                         customer("c-ran", "sp-ran", "1002", hetu="010185-902F"),
                         customer("c-ran-mine", "sp-ran", "1003", coach="staff-coach"),
                         customer("c-mine", "sp-rov", "1004", coach="staff-coach"),
                         customer("c-other", "sp-rov", "1005", coach="staff-other")],
            "customer_note": [note("n-gen", "c-rov", "general"),
                              note("n-wa", "c-rov", "work_ability"),
                              note("n-ran", "c-ran", "work_ability"),
                              note("n-mine", "c-mine", "general"),
                              note("n-other", "c-other", "general")],
            "plan": [_row(id="p-rov", customer_id="c-rov", plan_type="employment"),
                     _row(id="p-mine", customer_id="c-mine", plan_type="employment"),
                     _row(id="p-other", customer_id="c-other", plan_type="employment")],
            # Barriers name debt and health: case work, like the notes.
            "customer_barrier": [_row(id="b-rov", customer_id="c-rov", barrier="debt"),
                                 _row(id="b-ran", customer_id="c-ran", barrier="health")],
            "plan_version": [_row(id="pv-rov", plan_id="p-rov", number=1, status="draft"),
                             _row(id="pv-mine", plan_id="p-mine", number=1, status="draft",
                                  summary="Oma suunnitelma"),
                             _row(id="pv-other", plan_id="p-other", number=1,
                                  status="draft")],
            "plan_goal": [_row(id="pg-rov", plan_version_id="pv-rov", kind="work",
                               text="Kokki", position=0)],
            "audit_event": [_row(id="a-1", at=NOW, staff_id="staff-coach",
                                 workstation="ws", action="customer.open",
                                 entity="customer", entity_id="c-rov")],
        }
        with self.admin_engine.begin() as conn:
            for table, values in rows.items():
                conn.execute(insert(central_table(table)), values)
        for name, user in self.users.items():
            create_login_role(self.admin_engine, user, PASSWORD, roles[name])
        self.engines = {}

    def connect(self, name):
        if name not in self.engines:
            url = make_url(self.url).set(username=self.users[name], password=PASSWORD)
            self.engines[name] = create_engine(url)
        return self.engines[name]

    def ids(self, name, table):
        with self.connect(name).connect() as conn:
            return sorted(conn.execute(text(f"SELECT id FROM {table}")).scalars())

    def run(self, name, sql, **params):
        with self.connect(name).begin() as conn:
            return conn.execute(text(sql), params).rowcount

    def close(self):
        for engine in self.engines.values():
            engine.dispose()
        for user in self.users.values():
            drop_login_role(self.admin_engine, user)
        self.admin_engine.dispose()


@pytest.fixture
def world(pg_url):
    made = World(pg_url)
    yield made
    made.close()


def denied(world, name, sql, **params):
    with pytest.raises(ProgrammingError) as caught:
        world.run(name, sql, **params)
    return str(caught.value.orig)


NEW_NOTE = ("INSERT INTO customer_note (id, customer_id, kind, text, written_at, updated_at)"
            " VALUES (:id, :cid, 'general', 'x', now(), now())")
NEW_CUSTOMER = ("INSERT INTO customer (id, customer_number, hetu_temporary, first_names, "
                "last_name, sort_name, language, interpreter_needed, home_municipality, "
                "service_point_id, partial_work_ability, active, updated_at) VALUES "
                "(:id, :number, false, 'Uusi', 'Asiakas', 'asiakas', 'fi', false, "
                "'Rovaniemi', :point, false, true, now())")
NEW_AUDIT = ("INSERT INTO audit_event (id, at, staff_id, workstation, action, entity, "
             "updated_at) VALUES (:id, now(), :staff, 'ws', 'customer.open', 'customer', "
             "now())")


def test_the_desk_sees_identity_and_the_queue_not_case_work(world):
    assert world.ids("desk", "customer") == ["c-mine", "c-other", "c-rov"]  # its point
    assert world.ids("desk", "customer_note") == []  # neither general nor work ability
    for table in ("plan", "plan_version", "plan_goal", "customer_barrier"):
        assert world.ids("desk", table) == []
    assert world.ids("desk", "audit_event") == []
    assert len(world.ids("desk", "staff")) == 8
    # Writes: a customer at its own point, not elsewhere; never notes, plans, staff.
    world.run("desk", NEW_CUSTOMER, id="c-new", number="2001", point="sp-rov")
    assert "row-level security" in denied(world, "desk", NEW_CUSTOMER, id="c-new2",
                                          number="2002", point="sp-ran")
    assert "permission denied" in denied(world, "desk", NEW_NOTE, id="n-x", cid="c-rov")
    assert "permission denied" in denied(
        world, "desk", "INSERT INTO customer_barrier (id, customer_id, barrier, updated_at) "
        "VALUES ('b-x', 'c-rov', 'age', now())")
    assert "permission denied" in denied(world, "desk",
                                         "UPDATE staff SET full_name = 'x'")
    assert world.run("desk", "UPDATE customer SET phone = '040' WHERE id = 'c-ran'") == 0


def test_a_coach_works_with_the_customers_of_their_service_point(world):
    assert world.ids("coach", "customer") == ["c-mine", "c-other", "c-ran-mine", "c-rov"]
    # Case work: their own caseload and the point's customers without a coach.
    assert world.ids("coach", "customer_note") == ["n-gen", "n-mine", "n-wa"]
    assert world.ids("coach", "plan_goal") == ["pg-rov"]
    assert world.ids("coach", "customer_barrier") == ["b-rov"]
    assert world.ids("ran_coach", "customer_barrier") == ["b-ran"]
    assert world.ids("ran_coach", "customer") == ["c-ran", "c-ran-mine"]
    assert world.ids("ran_coach", "customer_note") == ["n-ran"]
    assert world.ids("ran_coach", "plan") == []
    world.run("coach", NEW_NOTE, id="n-new", cid="c-rov")
    assert "row-level security" in denied(world, "coach", NEW_NOTE, id="n-x", cid="c-ran")
    assert world.ids("coach", "audit_event") == []
    assert "permission denied" in denied(world, "coach",
                                         "UPDATE staff SET full_name = 'x'")


def test_a_team_lead_reads_the_audit_trail_and_the_whole_area(world):
    assert world.ids("lead", "audit_event") == ["a-1"]
    assert world.ids("lead", "customer") == ["c-mine", "c-other", "c-ran", "c-ran-mine",
                                             "c-rov"]
    assert world.run("lead", "UPDATE area_setting SET value = value") == 0  # granted
    assert "permission denied" in denied(world, "lead", "UPDATE staff SET full_name = 'x'")
    assert "permission denied" in denied(world, "coach", "UPDATE area_setting SET value = ''")


def test_an_administrator_manages_staff(world):
    assert world.run("admin", "UPDATE staff SET title = 'Ohjaaja' WHERE id = 'staff-desk'") == 1
    world.run("admin", "INSERT INTO staff (id, username, full_name, role, service_point_id, "
                       "active, updated_at) VALUES ('s-new', 'uusi', 'Uusi', 'desk', "
                       "'sp-rov', true, now())")
    assert "s-new" in world.ids("desk", "staff")


@pytest.mark.parametrize("name", ["desk", "coach", "lead", "admin"])
def test_nobody_updates_or_deletes_an_audit_row(world, name):
    world.run(name, NEW_AUDIT, id=f"a-{name}", staff=f"staff-{name}")  # in their own name
    for sql in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event",
                "TRUNCATE audit_event"):
        assert "permission denied" in denied(world, name, sql)
    for sql in ("DELETE FROM customer", "DELETE FROM queue_ticket"):
        assert "permission denied" in denied(world, name, sql)


def test_not_even_the_schema_owner_rewrites_the_audit_trail(world):
    with pytest.raises(DBAPIError, match="append-only"), world.admin_engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET action = 'x'"))
    with pytest.raises(DBAPIError, match="append-only"), world.admin_engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))


def test_an_unknown_login_sees_no_personal_data(world, pg_url):
    """A role in a group but without a staff row (left, renamed) sees nothing."""
    user = f"t{uuid.uuid4().hex[:8]}_ghost"
    create_login_role(world.admin_engine, user, PASSWORD, Role.TEAM_LEAD)
    try:
        engine = create_engine(make_url(pg_url).set(username=user, password=PASSWORD))
        with engine.connect() as conn:
            for table in ("customer", "customer_note", "audit_event", "queue_ticket"):
                assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
        engine.dispose()
    finally:
        drop_login_role(world.admin_engine, user)


def test_staff_add_creates_the_role_and_its_owner_syncs_with_it(pg_url, tmp_path,
                                                                  monkeypatch):
    """`staff add --central` makes a PostgreSQL LOGIN role in the right group; the new
    staff member's own connection then pushes and pulls within their scope."""
    import io

    from app import cli
    from app.services.registry import Services
    from app.sync.engine import SyncEngine
    from tests.factories import customer_input, seed_org

    upgrade_central(pg_url)
    admin = central_engine(pg_url)
    db = tmp_path / "ws.sqlite3"
    services = Services.open(db, "ws")
    seed_org(services)
    SyncEngine(services.ctx.engine, admin, "ws", "ROV").sync_once()  # the org, centrally
    services.close()
    user = f"t{uuid.uuid4().hex[:8]}_desk"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    try:
        assert cli.main(["staff", "add", user, "--full-name", "Tiina Tiski", "--role", "desk",
                         "--service-point", "ROV", "--db", str(db), "--central", pg_url,
                         "--password-stdin"]) == 0
        with admin.connect() as conn:
            assert conn.execute(text(
                "SELECT pg_has_role(:u, 'desk_desk', 'MEMBER') "
                "AND NOT pg_has_role(:u, 'desk_coach', 'MEMBER')"), {"u": user}).scalar()
            assert conn.execute(text("SELECT role FROM staff WHERE username = :u"),
                                {"u": user}).scalar() == "desk"
        own = central_engine(make_url(pg_url).set(username=user, password=PASSWORD)
                             .render_as_string(hide_password=False))
        services = Services.open(db, "ws")
        services.auth.sign_in(user, PASSWORD)
        card = services.customers.create(customer_input("Mäkelä", "Aino",
                                                        datetime(1985, 3, 12).date(), 124))
        report = SyncEngine(services.ctx.engine, own, "ws", "ROV").sync_once()
        assert report.pushed >= 2 and report.rejected == 0  # the customer and the audit
        with own.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM customer WHERE id = :i"),
                                {"i": card.id}).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar() == 0
        with admin.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_event WHERE staff_id = "
                                     "(SELECT id FROM staff WHERE username = :u)"),
                                {"u": user}).scalar() >= 1
        own.dispose()
        services.close()
    finally:
        drop_login_role(admin, user)
        admin.dispose()
