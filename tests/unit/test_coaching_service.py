"""Coaching use cases: barriers, coach changes with history, caseloads, the worklist and
the customer's clock, each through the services as the application calls them."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.models import AuditEvent, CoachAssignment, CustomerBarrier, Staff
from app.rules import clock
from app.rules.codes import Role
from app.services.errors import PermissionDenied, ValidationFailed
from tests.factories import Clock, customer_input

TODAY_UTC = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 24.11.2026 in Helsinki


@pytest.fixture
def coach(signed_in):
    signed_in.ctx.now = Clock(TODAY_UTC)
    with signed_in.ctx.session_factory.begin() as s:
        s.add(Staff(id="staff-coach2", username="coach2", full_name="Kaisa Toinen",
                    role=Role.COACH, team_id="team-1", service_point_id="sp-rov"))
    return signed_in


def new_customer(services, individual, **kw):
    return services.customers.create(customer_input("Testi", "Asiakas", date(1990, 1, 1),
                                                    individual, **kw)).id


def audits(services, action):
    with services.ctx.session_factory() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_barriers_tick_untick_and_tick_again(coach):
    cid = new_customer(coach, 201)
    coach.coaching.set_barriers(cid, {"debt", "health", "skills"})
    assert coach.clock.customer_clock(cid).barriers == ["debt", "health", "skills"]
    assert "many_barriers" in coach.clock.customer_clock(cid).groups
    coach.coaching.set_barriers(cid, {"debt"})
    coach.coaching.set_barriers(cid, {"debt", "health"})
    with coach.ctx.session_factory() as s:
        rows = s.scalars(select(CustomerBarrier).where(CustomerBarrier.customer_id == cid)).all()
    # One row per barrier, ever: unticking tombstones, ticking again revives.
    assert sorted((r.barrier, r.deleted_at is None) for r in rows) == [
        ("debt", True), ("health", True), ("skills", False)]
    assert len(audits(coach, "customer.barriers")) == 3
    with pytest.raises(ValidationFailed):
        coach.coaching.set_barriers(cid, {"laziness"})


def test_the_desk_does_not_see_or_set_barriers(services):
    services.auth.sign_in("desk", "demo")
    with pytest.raises(PermissionDenied):
        services.coaching.set_barriers("x", {"debt"})
    with pytest.raises(PermissionDenied):
        services.clock.worklist()


def test_changing_the_coach_needs_a_reason_and_keeps_history(coach):
    cid = new_customer(coach, 202)
    with pytest.raises(ValidationFailed) as failed:
        coach.coaching.assign(cid, "staff-coach", "  ")
    assert "reason" in failed.value.errors
    with pytest.raises(ValidationFailed):
        coach.coaching.assign(cid, "staff-desk", "Not a coach")
    coach.coaching.assign(cid, "staff-coach", "Alkuhaastattelu")
    coach.coaching.assign(cid, "staff-coach2", "Toimialan vaihto")
    history = coach.coaching.history(cid)
    assert [(h.previous_coach_name, h.coach_name, h.reason) for h in history] == [
        ("Pekka Ylitalo", "Kaisa Toinen", "Toimialan vaihto"),
        (None, "Pekka Ylitalo", "Alkuhaastattelu")]
    assert coach.customers.get(cid).coach_name == "Kaisa Toinen"
    assert [a.entity_id for a in audits(coach, "customer.assign_coach")] == [cid, cid]


def test_caseloads_warn_above_the_cap_and_suggest_moves_in_the_team(coach):
    ids = [new_customer(coach, 210 + i) for i in range(5)]
    for cid in ids:
        coach.coaching.assign(cid, "staff-coach", "Alkuhaastattelu")
    coach.coaching.set_barriers(ids[0], {"debt", "health", "age"})
    loads = coach.coaching.caseloads(cap=3)
    rows = {r.full_name: r for r in loads.coaches}
    assert rows["Pekka Ylitalo"].active == 5 and rows["Pekka Ylitalo"].over
    assert rows["Pekka Ylitalo"].many_barriers == 1
    assert not rows["Kaisa Toinen"].over
    assert [(m.from_name, m.to_name, m.count) for m in loads.suggestions] == [
        ("Pekka Ylitalo", "Kaisa Toinen", 2)]
    only_many = coach.coaching.caseload_customers("staff-coach", many_barriers_only=True)
    assert [c.id for c in only_many] == [ids[0]]
    assert len(coach.coaching.caseload_customers("staff-coach")) == 5
    with pytest.raises(PermissionDenied):  # applying moves is for team leads
        coach.coaching.apply_move("staff-coach", "staff-coach2", 2, "Tasaus")
    coach.auth.sign_in("lead", "demo")
    assert coach.coaching.apply_move("staff-coach", "staff-coach2", 2, "Tasaus") == 2
    moved = coach.coaching.reassign_all("staff-coach", "Valmentaja lopettaa")
    assert moved == {"staff-coach2": 3}
    after = {r.full_name: r.active for r in coach.coaching.caseloads(cap=3).coaches}
    assert after == {"Pekka Ylitalo": 0, "Kaisa Toinen": 5}
    with coach.ctx.session_factory() as s:
        assert len(s.scalars(select(CoachAssignment)).all()) == 10


def test_worklist_lists_what_is_due_this_week(coach):
    due_today = new_customer(coach, 221, jobseeker_registered_on=date(2026, 11, 10))
    later = new_customer(coach, 222, jobseeker_registered_on=date(2026, 11, 20))
    since, _last = clock.since_range_reaching_mark(date(2026, 11, 24), date(2026, 12, 8))
    nearing = new_customer(coach, 223, unemployed_since=since)
    quiet = new_customer(coach, 224, jobseeker_registered_on=date(2026, 6, 1))
    someone_elses = new_customer(coach, 225, jobseeker_registered_on=date(2026, 6, 1))
    for cid in (due_today, later, nearing, quiet):
        coach.coaching.assign(cid, "staff-coach", "Alkuhaastattelu")
    coach.coaching.assign(someone_elses, "staff-coach2", "Alkuhaastattelu")
    items = {(i.customer_id, i.kind): i for i in coach.clock.worklist()}
    # 10.11. + ten working days = Tue 24.11., today: due, not overdue.
    assert items[(due_today, "initial_interview")].due_on == date(2026, 11, 24)
    assert not items[(due_today, "initial_interview")].overdue
    assert not any(cid == later for cid, _k in items)  # due 4.12., next week
    assert (nearing, "hundred_days") in items
    assert items[(quiet, "initial_interview")].overdue
    assert (quiet, "not_contacted") in items
    assert not any(cid == someone_elses for cid, _k in items)
    assert "380/2023" in items[(quiet, "initial_interview")].source


def test_customer_clock_names_sources(coach):
    cid = new_customer(coach, 231, jobseeker_registered_on=date(2025, 12, 22),
                       unemployed_since=date(2025, 12, 1))
    result = coach.clock.customer_clock(cid)
    assert result.days_unemployed == clock.days_unemployed(date(2025, 12, 1),
                                                           date(2026, 11, 24))
    # Benefit days from Mon 1.12.2025 (was working days, 28.4.): the 100th is Fri 17.4.2026,
    # estimated ("about") without a first benefit day.
    assert (result.hundred_day_date, result.hundred_day_approximate) == (date(2026, 4, 17),
                                                                          True)
    interview = next(d for d in result.deadlines if d.key == "initial_interview")
    assert interview.due_on == date(2026, 1, 2) and "380/2023" in interview.source
    assert "past_100_days" in result.groups
    assert audits(coach, "customer.clock")
