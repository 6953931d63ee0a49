"""A merge of a duplicate registration reaches every desk as one operation: the merging
workstation moves what it holds, the centre's trigger (c0061) moves what only others
held, and every desk ends with everything under the real customer and the duplicate
gone. Also as the real staff roles: a team lead merges with their own login, a coach's
login is refused, and so is a merge that would give one customer two open plans."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app.db.central.versions import c0061_customer_merge_trigger as c0061
from app.dto.visits import VisitInput
from app.models import Customer, CustomerBarrier, OutboxEntry, Visit
from app.models.coaching import barrier_id
from app.models.customer import case_facts_id
from app.rules.codes import PlanType
from app.sync.digest import local_digest
from app.sync.engine import central_engine
from tests.factories import customer_input
from tests.integration.test_sync import (  # noqa: F401
    Desk,
    _copy_credentials,
    central,
    desks,
)

TABLES = ["customer", "visit", "customer_barrier", "customer_merge", "job_search_period"]


def contact(services, customer_id):
    return services.visits.record_contact(customer_id, "phone",
                                          VisitInput(service_area="finding_work"), 10).id


def local(services, model, **where):
    with services.ctx.session_factory() as s:
        stmt = select(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return list(s.scalars(stmt))


def not_pushed(services):
    return [(e.table_name, e.status, e.last_error) for e in local(services, OutboxEntry)]


def test_the_derived_ids_are_pythons(central):  # noqa: F811
    cid = str(uuid.uuid4())
    with central.connect() as conn:
        made = conn.execute(text("SELECT desk_uuid5(:ns, :a), desk_uuid5(:ns2, :b)"), {
            "ns": c0061.BARRIER_NAMESPACE, "a": f"{cid}:debt",
            "ns2": c0061.FACTS_NAMESPACE, "b": cid}).one()
        long = "ä" * 70  # more than one SHA-1 block
        assert conn.execute(text("SELECT desk_uuid5(:ns, :a)"), {
            "ns": c0061.FACTS_NAMESPACE, "a": long}).scalar() == str(
                uuid.uuid5(uuid.UUID(c0061.FACTS_NAMESPACE), long))
    assert tuple(made) == (barrier_id(cid, "debt"), case_facts_id(cid))


def test_a_merge_on_one_desk_moves_what_another_desk_pushed(desks, central):  # noqa: F811
    one = desks("one", seed=True)
    desk = one.sign_in("desk")
    real = desk.customers.create(customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124)).id
    dup = desk.customers.create(customer_input("Mäkelä", "Aino Maria", date(1985, 3, 12),
                                               135)).id
    one.sync()
    two = desks("two")
    two.sync()
    _copy_credentials(one, two)
    lead = two.sign_in("lead")
    # Desk one records a visit of the duplicate and a coach there ticks a barrier; the
    # merging desk never pulls them before it merges.
    visit = contact(desk, dup)
    desk.auth.sign_out()
    coach = one.sign_in("coach")
    coach.coaching.set_barriers(dup, {"debt"})
    one.sync()

    moved = dict(lead.customer_merge.merge(dup, real).moves)
    assert moved["visit"] == 0  # not held here: the centre moves it
    two.sync()
    # Desk one, not yet aware of the merge, records another contact of the duplicate:
    # the centre files it under the real customer as it arrives.
    late = contact(coach, dup)
    one.sync()
    two.sync()

    for d in (one, two):
        assert not_pushed(d.services) == []
        for visit_id in (visit, late):
            (row,) = local(d.services, Visit, id=visit_id)
            assert row.customer_id == real
        assert local(d.services, Customer, id=dup)[0].deleted_at is not None
        live = [b for b in local(d.services, CustomerBarrier) if b.deleted_at is None]
        assert [(b.id, b.customer_id) for b in live] == [(barrier_id(real, "debt"), real)]
    with central.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sync_conflict")).scalar() == 0
        for table in ("visit", "queue_ticket", "appointment", "plan", "customer_note",
                      "job_search_period", "customer_barrier"):
            left = conn.execute(text(f"SELECT count(*) FROM {table} "
                                     "WHERE customer_id = :c AND deleted_at IS NULL"),
                                {"c": dup}).scalar()
            assert left == 0, table
        assert conn.execute(text("SELECT active FROM customer WHERE id = :c"),
                            {"c": real}).scalar() is True
        assert conn.execute(text(
            "SELECT count(*) FROM job_search_period WHERE customer_id = :c "
            "AND deleted_at IS NULL AND closed_on IS NULL"), {"c": real}).scalar() == 1
    assert local_digest(one.services.ctx.engine, TABLES) == local_digest(
        two.services.ctx.engine, TABLES)






def _login(engine, user):
    url = engine.url.set(username=user, password="demo")
    return central_engine(url.render_as_string(hide_password=False))


def test_a_lead_merges_as_themselves_and_a_coach_is_refused(make_desk, staff_central):
    seeder = make_desk("seed", seed=True)
    admin = seeder.sign_in("admin")
    real = admin.customers.create(customer_input("Aikio", "Áilu", date(1978, 11, 23),
                                                 347)).id
    dup = admin.customers.create(customer_input("Aikio", "Áilu", date(1978, 11, 23),
                                                358)).id
    other = admin.customers.create(customer_input("Aikio", "Biret", date(1979, 1, 2),
                                                  369)).id
    admin.plans.create_plan(real, PlanType.EMPLOYMENT.value)
    admin.plans.create_plan(other, PlanType.EMPLOYMENT.value)
    seeder.sync()
    front = make_desk("front", as_staff=True)
    front.sign_in("desk")
    front.sync()
    desk_leads = make_desk("leads", as_staff=True)
    lead = desk_leads.sign_in("lead")
    desk_leads.sync()
    # The front desk serves the duplicate after the lead's workstation last pulled.
    visit = contact(front.services, dup)
    front.sync()

    # A coach's own login may not write a merge row (policy and trigger).
    coach = _login(staff_central, "coach")
    try:
        with pytest.raises(DBAPIError) as refused, coach.begin() as conn:
            conn.execute(text("INSERT INTO customer_merge (id, from_customer_id, "
                              "into_customer_id, merged_at, updated_at) VALUES "
                              "('m-coach', :f, :i, now(), now())"), {"f": dup, "i": real})
        assert "row-level security" in str(refused.value) or "may not" in str(refused.value)
    finally:
        coach.dispose()

    lead.customer_merge.merge(dup, real)
    desk_leads.sync()
    assert not_pushed(lead) == []
    front.sync()
    (row,) = local(front.services, Visit, id=visit)
    assert row.customer_id == real
    assert local(front.services, Customer, id=dup)[0].deleted_at is not None
    with staff_central.connect() as conn:
        merged_by = conn.execute(text(
            "SELECT s.username FROM customer_merge m JOIN staff s ON s.id = m.updated_by "
            "WHERE m.from_customer_id = :f"), {"f": dup}).scalar()
        assert merged_by == "lead"
        assert conn.execute(text("SELECT customer_id FROM visit WHERE id = :v"),
                            {"v": visit}).scalar() == real

    # Two open plans would collide: the centre refuses the lead's merge row as well.
    lead_login = _login(staff_central, "lead")
    try:
        with pytest.raises(DBAPIError) as collided, lead_login.begin() as conn:
            conn.execute(text("INSERT INTO customer_merge (id, from_customer_id, "
                              "into_customer_id, merged_at, updated_at) VALUES "
                              "('m-plans', :f, :i, now(), now())"), {"f": other, "i": real})
        assert "open plan" in str(collided.value)
    finally:
        lead_login.dispose()


def test_a_merge_moves_referrals_and_decided_decisions_held_only_elsewhere(
        make_desk, staff_central):
    """The centre's merge (c0070) moves the duplicate's referrals, support decisions and
    follow-ups that the merging workstation never held; a decided decision, never edited
    otherwise, may change customer only in a merge (a team lead's own login)."""
    from app.dto.decisions import DecisionInput
    from app.dto.providers import ContractInput, ProviderInput

    seeder = make_desk("seed", seed=True)
    admin = seeder.sign_in("admin")
    real = admin.customers.create(customer_input("Magga", "Ánte", date(1981, 4, 2), 412)).id
    dup = admin.customers.create(customer_input("Magga", "Ánte", date(1981, 4, 2), 423)).id
    seeder.sync()
    merging = make_desk("merging", as_staff=True)
    lead = merging.sign_in("lead")
    merging.sync()  # before the referral and decision exist: it never holds them

    working = make_desk("working", as_staff=True)
    other_lead = working.sign_in("lead")
    working.sync()
    today = other_lead.session.today()
    provider = other_lead.providers.save_provider(ProviderInput(
        name="Kaamos Valmennus Oy", business_id="0737546-2"))
    contract = other_lead.providers.save_contract(ContractInput(
        provider_id=provider.id, service="individual_coaching", title="Yksilövalmennus",
        starts_on=today.replace(month=1, day=1), ends_on=today.replace(month=12, day=31),
        unit_price="1200"))
    referral = other_lead.referrals.refer(dup, contract.id).id
    decision = other_lead.decisions.draft(dup, DecisionInput(
        kind="work_trial", employer_name="Ranuan Puu Oy", starts_on=today,
        ends_on=today + timedelta(days=60), hours_per_week=30.0,
        paying_municipality="Rovaniemi")).id
    other_lead.decisions.decide(decision)
    working.sync()
    assert not_pushed(other_lead) == []

    lead.customer_merge.merge(dup, real)
    merging.sync()
    assert not_pushed(lead) == []
    working.sync()
    with staff_central.connect() as conn:
        for table, row_id in (("referral", referral), ("support_decision", decision)):
            assert conn.execute(text(f"SELECT customer_id FROM {table} WHERE id = :i"),
                                {"i": row_id}).scalar() == real, table
        assert conn.execute(text("SELECT status FROM support_decision WHERE id = :i"),
                            {"i": decision}).scalar() == "decided"
    from app.models import Referral, SupportDecision

    assert local(working.services, Referral, id=referral)[0].customer_id == real
    assert local(working.services, SupportDecision, id=decision)[0].customer_id == real

    # Outside a merge, a coach's login cannot move a decided decision to someone else.
    coach = _login(staff_central, "coach")
    try:
        with pytest.raises(DBAPIError), coach.begin() as conn:
            moved = conn.execute(text("UPDATE support_decision SET customer_id = :d "
                                      "WHERE id = :i"), {"d": dup, "i": decision})
            assert moved.rowcount == 1  # else RLS hid it: nothing to refuse
    finally:
        coach.dispose()
