"""Support decisions through a real central PostgreSQL. In plain SQL with each role's own
login: a coach drafts but can neither insert a decided decision nor make one decided;
nobody edits a decided decision's amount; a team lead decides; the status never moves
back nor leaves an end; the desk sees and writes none. Through workstations syncing as
the staff's own logins: a coach's draft, the lead's decision and its replacement
(the old one replaced in the same push) reach the centre and the coach's desk."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from app.dto.decisions import DecisionInput
from app.models import SupportDecision
from tests.factories import customer_input
from tests.integration.test_central_security import World
from tests.integration.test_hostile_client import owner, refused

DECISION = ("INSERT INTO support_decision (id, customer_id, kind, status, employer_name, "
            "starts_on, ends_on, amount_cents, paying_municipality, updated_at) VALUES "
            "(:id, :cid, 'pay_subsidy', :status, 'Lapin Kone Oy', current_date, "
            "current_date + 180, 600000, 'Rovaniemi', now())")


@pytest.fixture
def world(pg_url):
    made = World(pg_url)
    owner(made, DECISION, id="d-draft", cid="c-mine", status="draft")
    owner(made, DECISION, id="d-decided", cid="c-mine", status="decided")
    owner(made, DECISION, id="d-other", cid="c-other", status="draft")
    yield made
    made.close()


def status(world, decision_id):
    return owner(world, "SELECT status, amount_cents FROM support_decision WHERE id = :id",
                 id=decision_id).one()


def test_a_coach_drafts_but_never_decides(world):
    assert world.ids("coach", "support_decision") == ["d-decided", "d-draft"]
    world.run("coach", DECISION, id="d-new", cid="c-mine", status="draft")
    assert "may not decide" in refused(world, "coach", DECISION, id="d-x", cid="c-mine",
                                       status="decided")
    assert "may not decide" in refused(
        world, "coach", "UPDATE support_decision SET status = 'decided', "
                        "decided_on = current_date WHERE id = 'd-new'")
    # A draft's content is the coach's to change.
    assert world.run("coach", "UPDATE support_decision SET amount_cents = 700000 "
                              "WHERE id = 'd-draft'") == 1
    assert tuple(status(world, "d-draft")) == ("draft", 700000)
    assert tuple(status(world, "d-new")) == ("draft", 600000)
    # Another team's customer: not this coach's to draft for.
    assert "row-level security" in refused(world, "coach", DECISION, id="d-y",
                                           cid="c-other", status="draft")


def test_nobody_edits_a_decided_decisions_amount(world):
    for name in ("coach", "lead", "admin"):
        message = refused(world, name, "UPDATE support_decision SET amount_cents = 1 "
                                       "WHERE id = 'd-decided'")
        assert "never edited" in message, (name, message)
    assert "never edited" in refused(world, "lead", "UPDATE support_decision SET "
                                                    "employer_name = 'Toinen Oy' "
                                                    "WHERE id = 'd-decided'")
    assert tuple(status(world, "d-decided")) == ("decided", 600000)


def test_a_lead_decides_and_the_status_never_moves_back(world):
    assert world.run("lead", "UPDATE support_decision SET status = 'decided', "
                             "decided_on = current_date, decided_by = 'staff-lead' "
                             "WHERE id = 'd-draft'") == 1
    assert status(world, "d-draft")[0] == "decided"
    assert "only move forward" in refused(world, "lead", "UPDATE support_decision SET "
                                                         "status = 'draft' "
                                                         "WHERE id = 'd-draft'")
    # Ended early (the end and its reason may still be written on a decided one).
    assert world.run("lead", "UPDATE support_decision SET status = 'ended', "
                             "ended_on = current_date, end_reason = 'x' "
                             "WHERE id = 'd-decided'") == 1
    for back in ("decided", "draft", "replaced"):
        assert "only move forward" in refused(
            world, "admin", f"UPDATE support_decision SET status = '{back}' "
                            "WHERE id = 'd-decided'"), back
    assert status(world, "d-decided")[0] == "ended"


def test_the_desk_sees_and_writes_no_decision(world):
    assert world.ids("desk", "support_decision") == []
    assert refused(world, "desk", DECISION, id="d-desk", cid="c-rov", status="draft")
    assert world.run("desk", "UPDATE support_decision SET note = 'x'") == 0


def test_drafted_decided_and_replaced_through_the_sync(make_desk, staff_central):
    seeder = make_desk("seed", seed=True)
    card = seeder.sign_in("admin").customers.create(
        customer_input("Mäkelä", "Aino", date(1985, 3, 12), 124))
    seeder.sync()
    laptop = make_desk("laptop", as_staff=True)
    coach = laptop.sign_in("coach")
    laptop.sync()
    today = coach.ctx.today()
    draft = coach.decisions.draft(card.id, DecisionInput(
        kind="pay_subsidy", employer_name="Lapin Kone Oy", employer_business_id="2077474-0",
        starts_on=today, ends_on=today + timedelta(days=180), hours_per_week=30.0,
        percentage=50, amount_cents=600000, paying_municipality="Rovaniemi"))
    laptop.sync()

    office = make_desk("office", as_staff=True)
    lead = office.sign_in("lead")
    office.sync()
    lead.decisions.decide(draft.id)
    office.sync()
    replacement = lead.decisions.replace(draft.id)
    lead.decisions.edit(replacement.id, DecisionInput(
        **{**replacement.as_input().__dict__, "percentage": 70, "amount_cents": 840000}))
    lead.decisions.decide(replacement.id)
    office.sync()
    with staff_central.connect() as conn:
        rows = {r.id: r for r in conn.execute(text(
            "SELECT id, status, amount_cents, replaced_by_id, replaces_id, decided_by "
            "FROM support_decision"))}
    assert (rows[draft.id].status, rows[draft.id].replaced_by_id,
            rows[draft.id].amount_cents) == ("replaced", replacement.id, 600000)
    assert (rows[replacement.id].status, rows[replacement.id].replaces_id,
            rows[replacement.id].amount_cents) == ("decided", draft.id, 840000)
    assert rows[replacement.id].decided_by == "staff-lead"

    laptop.sync()
    listed = coach.decisions.list_for_customer(card.id)
    assert {(r.id, r.status) for r in listed.rows} == {(draft.id, "replaced"),
                                                        (replacement.id, "decided")}
    front = make_desk("front", as_staff=True)
    front.sign_in("desk")
    front.sync()
    with front.services.ctx.session_factory() as s:
        assert s.query(SupportDecision).count() == 0
