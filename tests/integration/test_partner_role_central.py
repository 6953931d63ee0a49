"""The partner role in the central database (#24, c0115), as a partner's own PostgreSQL
login sees it in SQL: a customer only while their consent to share with the partner's
organisation is in force and covers identity and contact details; their plans only when
it also covers plans and meetings; of the consents only its own organisation's; of the
queue only its own organisation's services' tickets (c0120); nothing of visits, notes or
barriers; it writes nothing but its own trail."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from app.db.central_roles import create_login_role, drop_login_role
from app.rules.codes import Role
from tests.integration.test_central_security import NOW, PASSWORD
from tests.integration.test_hostile_client import owner

pytestmark = pytest.mark.usefixtures("pg_url")

TODAY = "(now() AT TIME ZONE 'Europe/Helsinki')::date"


@pytest.fixture
def world(pg_url):
    from tests.integration.test_central_security import World

    made = World(pg_url)
    for org, name in (("po-school", "Lapin koulutuskeskus REDU"), ("po-kela", "Kela")):
        owner(made, "INSERT INTO partner_org (id, name, kind, active, updated_at, hlc, "
                    "version) VALUES (:id, :n, 'school', true, :at, '', 1)",
              id=org, n=name, at=NOW)
    user = f"t{uuid.uuid4().hex[:8]}_partner"
    made.users["partner"] = user
    owner(made, "INSERT INTO staff (id, username, full_name, role, service_point_id, active, "
                "partner_org_id, updated_at, hlc, version) VALUES ('staff-partner', :u, "
                "'Opo', 'partner', 'sp-rov', true, 'po-school', :at, '', 1)", u=user, at=NOW)
    create_login_role(made.admin_engine, user, PASSWORD, Role.PARTNER)
    yield made
    made.close()
    drop_login_role(made.admin_engine, user)


def consent(world, cid: str, org: str = "po-school", information: str = "contact,plan",
            withdrawn_today: bool = False, valid_until: date | None = None) -> str:
    cons_id = str(uuid.uuid4())
    owner(world, "INSERT INTO customer_consent (id, customer_id, partner_org_id, purpose, "
                 "information, given_how, valid_from, valid_until, withdrawn_on, "
                 "updated_at, hlc, version) VALUES (:id, :cid, :org, 'Uraohjaus', :info, "
                 "'signed', DATE '2000-01-01', :until, "
                 f"CASE WHEN :gone THEN {TODAY} END, :at, '', 1)",
          id=cons_id, cid=cid, org=org, info=information, until=valid_until,
          gone=withdrawn_today, at=NOW)
    return cons_id


def denied(world, sql: str, **params) -> None:
    with pytest.raises((ProgrammingError, DBAPIError)) as caught, \
            world.connect("partner").begin() as conn:
        conn.execute(text(sql), params)
    assert "permission denied" in str(caught.value) or "row-level security" in str(caught.value)


def test_without_consent_a_partner_sees_no_customer_and_no_plan(world):
    assert world.ids("partner", "customer") == []
    assert world.ids("partner", "plan") == []
    assert world.ids("partner", "customer_consent") == []
    # The area's reference data and the partner register are read as by all staff.
    assert "sp-rov" in world.ids("partner", "service_point")
    assert world.ids("partner", "partner_org") == ["po-kela", "po-school"]


def test_a_consent_covering_contact_shows_the_customer_not_their_plan(world):
    consent(world, "c-rov", information="contact")
    assert world.ids("partner", "customer") == ["c-rov"]
    assert world.ids("partner", "plan") == []
    assert world.ids("partner", "plan_version") == []


def test_a_consent_covering_plans_shows_the_plan_its_versions_and_goals(world):
    consent(world, "c-rov")
    assert world.ids("partner", "customer") == ["c-rov"]
    assert world.ids("partner", "plan") == ["p-rov"]
    assert world.ids("partner", "plan_version") == ["pv-rov"]
    assert world.ids("partner", "plan_goal") == ["pg-rov"]
    # A plan consent without contact details does not open the plan either.
    assert world.ids("partner", "plan") == ["p-rov"]


def test_plans_need_contact_too(world):
    consent(world, "c-mine", information="plan")
    assert world.ids("partner", "customer") == []
    assert world.ids("partner", "plan") == []


def test_another_organisations_consent_and_a_withdrawn_or_expired_one_give_nothing(world):
    consent(world, "c-rov", org="po-kela")
    withdrawn = consent(world, "c-mine", withdrawn_today=True)
    expired = consent(world, "c-other", valid_until=date(2001, 1, 1))
    assert world.ids("partner", "customer") == []
    # The consents the partner sees are its own organisation's only, all of them (so a
    # withdrawal reaches its workstation), never another organisation's.
    assert world.ids("partner", "customer_consent") == sorted([withdrawn, expired])
    mine = consent(world, "c-rov")
    assert world.ids("partner", "customer_consent") == sorted([withdrawn, expired, mine])


def test_withdrawal_takes_effect_at_once(world):
    cons = consent(world, "c-rov")
    assert world.ids("partner", "plan") == ["p-rov"]
    owner(world, f"UPDATE customer_consent SET withdrawn_on = {TODAY} WHERE id = :id", id=cons)
    assert world.ids("partner", "customer") == []
    assert world.ids("partner", "plan") == []


def test_a_partner_reads_nothing_of_visits_notes_or_barriers_nor_the_areas_queue(world):
    """Of the queue, since c0120, only the tickets of its own organisation's services
    (tests/integration/test_queue_services_central.py: the rest of its desk)."""
    from tests.integration import test_queue_services_central as q

    consent(world, "c-rov", information="contact,plan,work_ability,benefits")
    for table in ("customer_note", "customer_barrier", "visit", "appointment",
                  "case_facts", "referral", "message", "contact_preference"):
        denied(world, f"SELECT id FROM {table}")
    q.add_services(world)
    q.ticket(world, "t-area", 1, q.AREA, "c-rov")
    q.ticket(world, "t-legacy", 2, None, "c-rov")  # before c0120: the area's desks'
    q.ticket(world, "t-kela", 3, q.KELA)
    assert world.ids("partner", "queue_ticket") == []
    q.ticket(world, "t-school", 4, q.SCHOOL, "c-rov")
    assert world.ids("partner", "queue_ticket") == ["t-school"]


def test_a_partner_writes_nothing_but_its_own_trail(world):
    consent(world, "c-rov")
    denied(world, "UPDATE customer SET phone = '0401' WHERE id = 'c-rov'")
    denied(world, "INSERT INTO customer_consent (id, customer_id, partner_org_id, information, "
                  "given_how, valid_from, updated_at, hlc, version) VALUES ('x', 'c-rov', "
                  "'po-school', 'plan', 'signed', DATE '2000-01-01', :at, '', 1)", at=NOW)
    denied(world, "UPDATE plan_version SET summary = 'x' WHERE id = 'pv-rov'")
    denied(world, "INSERT INTO partner_org (id, name, kind, active, updated_at, hlc, version) "
                  "VALUES ('po-x', 'X', 'kela', true, :at, '', 1)", at=NOW)
    world.run("partner", "INSERT INTO audit_event (id, at, staff_id, workstation, action, "
                         "entity, entity_id, updated_at, hlc, version) VALUES "
                         "(:id, :at, 'staff-partner', 'ws', 'customer.read', 'customer', "
                         "'c-rov', :at, '', 1)", id=str(uuid.uuid4()), at=NOW)
    # Nor in another's name.
    denied(world, "INSERT INTO audit_event (id, at, staff_id, workstation, action, entity, "
                  "entity_id, updated_at, hlc, version) VALUES (:id, :at, 'staff-coach', "
                  "'ws', 'x', 'customer', 'c-rov', :at, '', 1)", id=str(uuid.uuid4()), at=NOW)


def test_a_partner_cannot_look_customers_up_by_identity_code(world):
    consent(world, "c-rov")
    with pytest.raises((ProgrammingError, DBAPIError)), \
            world.connect("partner").begin() as conn:
        conn.execute(text("SELECT * FROM desk_find_customer('010185-902F')"))


def test_staff_reach_is_unchanged_by_the_partner_branch(world):
    consent(world, "c-rov")
    assert "c-rov" in world.ids("desk", "customer")
    assert world.ids("coach", "plan") == ["p-mine", "p-rov"]
    assert world.ids("desk", "plan") == []


def test_a_partners_workstation_pulls_only_what_the_consents_cover(world, tmp_path):
    """The pull reads every table the login may and skips the rest (visits, notes: no
    grant; of the queue only its own services' tickets, none here), so a partner's first
    sync finishes with only the consented customer and, the consent covering plans,
    their plan."""
    from sqlalchemy import select

    from app.db import migrate
    from app.db.engine import local_engine
    from app.models import Customer, CustomerConsent, Plan, PlanGoal
    from app.sync.pull import pull

    consent(world, "c-rov")
    consent(world, "c-mine", information="contact")
    local = local_engine(tmp_path / "partner.db", key=None)
    migrate.upgrade(local)
    result = pull(local, world.connect("partner"), "sp-rov")
    assert result.rows > 0
    with local.connect() as conn:
        assert sorted(conn.execute(select(Customer.id)).scalars()) == ["c-mine", "c-rov"]
        assert list(conn.execute(select(Plan.id)).scalars()) == ["p-rov"]
        assert list(conn.execute(select(PlanGoal.id)).scalars()) == ["pg-rov"]
    # A withdrawal reaches the partner's workstation (found by the review: the withdrawn
    # row had become unreadable to the partner, so its copy stayed in force for good).
    owner(world, f"UPDATE customer_consent SET withdrawn_on = {TODAY} "
                 "WHERE customer_id = 'c-rov'")
    # A consent given later brings the customer's record and plans written before it
    # (the cursors had passed them while they were out of reach).
    consent(world, "c-other")
    pull(local, world.connect("partner"), "sp-rov")
    with local.connect() as conn:
        assert conn.execute(select(CustomerConsent.withdrawn_on).where(
            CustomerConsent.customer_id == "c-rov")).scalar() is not None
        assert "c-other" in conn.execute(select(Customer.id)).scalars().all()
        assert "p-other" in conn.execute(select(Plan.id)).scalars().all()
    local.dispose()


def test_a_partner_reads_identity_and_contact_not_the_jobseeker_facts(world):
    consent(world, "c-rov")
    with world.connect("partner").connect() as conn:
        assert conn.execute(text("SELECT last_name, phone FROM customer")).all()
    for column in ("unemployed_since", "jobseeker_registered_on",
                   "first_residence_permit_on"):
        denied(world, f"SELECT {column} FROM customer")


def test_a_partners_pull_stopped_after_a_new_consent_still_brings_the_customer(world,
                                                                             tmp_path):
    """The consent arrives in a pull that stops right after it (a sign-out, a lost
    connection): the next pull still reads the newly reached customer, whose row the
    cursors had passed (a second review: the signal lived only in the stopped pull)."""
    from sqlalchemy import select

    from app.db import migrate
    from app.db.engine import local_engine
    from app.models import Customer, CustomerConsent
    from app.sync.pull import pull

    consent(world, "c-rov")
    local = local_engine(tmp_path / "partner.db", key=None)
    migrate.upgrade(local)
    pull(local, world.connect("partner"), "sp-rov")
    pull(local, world.connect("partner"), "sp-rov")  # settled: nothing new to re-read
    consent(world, "c-other")

    def consent_arrived() -> bool:
        with local.connect() as conn:
            return bool(conn.execute(select(CustomerConsent.id).where(
                CustomerConsent.customer_id == "c-other")).first())

    stopped = pull(local, world.connect("partner"), "sp-rov", should_stop=consent_arrived)
    assert stopped.stopped
    with local.connect() as conn:
        assert "c-other" not in conn.execute(select(Customer.id)).scalars().all()
    pull(local, world.connect("partner"), "sp-rov")
    with local.connect() as conn:
        assert "c-other" in conn.execute(select(Customer.id)).scalars().all()
    local.dispose()
