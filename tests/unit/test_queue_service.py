import pytest
from sqlalchemy import select

from app.dto.visits import VisitInput
from app.models import QueueTicket, Visit
from app.rules.codes import TicketState
from app.services.errors import ServiceError
from tests.factories import Clock, add_people


@pytest.fixture
def desk(signed_in):
    clock = Clock()
    signed_in.ctx.now = clock
    signed_in.clock = clock
    signed_in.queue.set_workstation("2", "A")
    signed_in.queue.start_duty()
    return signed_in


def test_numbers_per_day_and_letter(desk):
    first = desk.queue.register_walk_in(None, "information")
    second = desk.queue.register_walk_in(None, "finding_work")
    assert (first.code, second.code) == ("A 001", "A 002")
    desk.queue.set_workstation("3", "B")
    assert desk.queue.register_walk_in(None, "information").code == "B 001"
    desk.clock.advance(24 * 60)
    desk.queue.set_workstation("2", "A")
    assert desk.queue.register_walk_in(None, "information").code == "A 001"


def test_unknown_service_refused(desk):
    """The point's services are rows (#24): an inactive one, or a code the point has no
    row for, is not offered and cannot be chosen."""
    from app.models import OfferedService
    from app.rules.queue import built_in_services

    with desk.ctx.session_factory.begin() as s:
        s.add_all(OfferedService(**row) for row in built_in_services(
            "sp-rov", "information,finding_work"))
    assert desk.queue.point_services()[:2] == ["information", "finding_work"]
    assert "skills" not in desk.queue.point_services()
    for code in ("skills", "no_such_service"):
        with pytest.raises(ServiceError):
            desk.queue.register_walk_in(None, code)
    assert desk.queue.register_walk_in(None, "finding_work").service == "finding_work"


def test_full_service_records_visit_with_wait_and_service_time(desk):
    ids = add_people(desk)
    ticket = desk.queue.register_walk_in(ids[0], "finding_work", note="CV help")
    desk.clock.advance(12)
    called = desk.queue.call_next()
    assert called.id == ticket.id and called.desk == "2" and called.state == "called"
    desk.clock.advance(1)
    desk.queue.start(ticket.id)
    desk.clock.advance(14)
    done = desk.queue.finish(ticket.id, VisitInput("finding_work", topics="CV",
                                                   outcome="resolved", note="Updated CV"))
    assert done.state == "done"
    timeline = desk.visits.timeline(ids[0])
    assert len(timeline) == 1
    visit = timeline[0]
    assert (visit.wait_minutes, visit.minutes, visit.channel, visit.walk_in) == (
        12, 14, "service_point", True)
    assert visit.service_area == "finding_work" and visit.note == "Updated CV"
    stats = desk.queue.snapshot().stats
    assert (stats.waiting, stats.served_today, stats.median_wait_minutes) == (0, 1, 12)


def test_not_present_needs_a_recall_first(desk):
    ticket = desk.queue.register_walk_in(None, "information")
    desk.queue.call(ticket.id)
    with pytest.raises(ServiceError):
        desk.queue.not_present(ticket.id)
    desk.queue.recall(ticket.id)
    assert desk.queue.not_present(ticket.id).state == "left"
    with desk.ctx.session_factory() as s:
        assert s.get(QueueTicket, ticket.id).recalls == 1


def _in(lang, error):
    from app import i18n

    return error.text(lambda message: i18n.translate_in(lang, message))


def _as_another_desk_left_it(desk, ticket_id, state):
    """What a pull brings when desk 5's worker called the same customer a moment earlier
    and got further (the furthest state wins, rules.queue.merge)."""
    with desk.ctx.session_factory.begin() as s:
        ticket = s.get(QueueTicket, ticket_id)
        ticket.state, ticket.served_by, ticket.desk = state, "staff-desk", "5"


def test_a_customer_another_desk_took_is_said_so(desk):
    """Two desks calling within a sync of each other call the same customer (make
    bench-load: 88 of 928 serves): the one refused learns which desk has them, not that
    a step is missing."""
    ticket = desk.queue.register_walk_in(None, "information")
    desk.queue.call(ticket.id)
    desk.queue.start(ticket.id)
    _as_another_desk_left_it(desk, ticket.id, TicketState.DONE)
    with pytest.raises(ServiceError) as refused:
        desk.queue.finish(ticket.id, VisitInput("information"))
    assert _in("en", refused.value) == "A 001 was already served at desk 5."
    assert _in("fi", refused.value) == "A 001 on jo palveltu tiskillä 5."

    second = desk.queue.register_walk_in(None, "information")
    _as_another_desk_left_it(desk, second.id, TicketState.CALLED)
    with pytest.raises(ServiceError) as refused:
        desk.queue.call(second.id)
    assert _in("sv", refused.value) == "A 002 har redan ropats upp till disk 5."

    third = desk.queue.register_walk_in(None, "information")
    desk.queue.call(third.id)  # called here: the step's own message, as before
    with pytest.raises(ServiceError) as refused:
        desk.queue.finish(third.id, VisitInput("information"))
    assert _in("en", refused.value) == "Start the service before finishing it."


def test_transfer_to_service_starts_new_leg_and_keeps_number(desk):
    ticket = desk.queue.register_walk_in(None, "information")
    desk.queue.call(ticket.id)
    desk.queue.start(ticket.id)
    moved = desk.queue.transfer(ticket.id, "skills", None, "Wants training advice")
    assert (moved.state, moved.leg, moved.service_area, moved.code) == (
        "waiting", 1, "skills", ticket.code)
    assert moved.transfer_note == "Wants training advice"
    # The part already served is on record as a visit.
    with desk.ctx.session_factory() as s:
        assert s.scalar(select(Visit.outcome).where(Visit.ticket_id == ticket.id)) == "transferred"


def test_transfer_to_named_worker_only_they_call_it(desk):
    ticket = desk.queue.register_walk_in(None, "information")
    moved = desk.queue.transfer(ticket.id, None, "staff-lead", "Employer question")
    assert moved.transferred_to_name == "Liisa Lead"
    assert desk.queue.call_next() is None  # not mine
    desk.auth.sign_in("lead", "demo")
    desk.queue.start_duty()
    assert desk.queue.call_next().id == ticket.id


def test_own_coach_first(desk):
    ids = add_people(desk)
    from app.models import Customer

    with desk.ctx.session_factory.begin() as s:
        s.get(Customer, ids[1]).coach_id = "staff-coach"
    desk.queue.register_walk_in(ids[0], "information")
    desk.clock.advance(5)
    mine = desk.queue.register_walk_in(ids[1], "skills")
    assert desk.queue.call_next().id == mine.id


def test_call_next_needs_duty(signed_in):
    with pytest.raises(ServiceError):
        signed_in.queue.call_next()


def test_queue_survives_restart(desk, tmp_path):
    from app.services.registry import Services

    ticket = desk.queue.register_walk_in(None, "information")
    desk.queue.call(ticket.id)
    desk.close()
    again = Services.open(tmp_path / "desk.sqlite3", "test-ws")
    again.ctx.now = desk.clock
    again.auth.sign_in("coach", "demo")
    snap = again.queue.snapshot()
    assert [r.code for r in snap.serving] == ["A 001"] and snap.duty is not None
    again.close()


def test_lobby_shows_codes_and_desks_only(desk):
    ids = add_people(desk)
    ticket = desk.queue.register_walk_in(ids[0], "information")
    desk.queue.call(ticket.id)
    calls = desk.queue.lobby()
    assert [(c.code, c.desk, c.calling) for c in calls] == [("A 001", "2", True)]
    assert set(vars(calls[0])) == {"code", "desk", "called_at", "calling"}
    desk.queue.start(ticket.id)
    assert [(c.code, c.calling) for c in desk.queue.lobby()] == [("A 001", False)]


def test_phone_contact_recorded_without_ticket(desk):
    ids = add_people(desk)
    row = desk.visits.record_contact(ids[2], "phone", VisitInput("skills", topics="Course"), 9)
    assert (row.channel, row.minutes, row.walk_in) == ("phone", 9, False)
    with desk.ctx.session_factory() as s:
        assert s.scalar(select(Visit.ticket_id).where(Visit.id == row.id)) is None
    assert desk.queue.snapshot().stats.waiting == 0


def test_ticket_states_are_in_the_outbox(desk):
    import json

    from app.models import OutboxEntry

    ticket = desk.queue.register_walk_in(None, "information")
    desk.queue.call(ticket.id)
    with desk.ctx.session_factory() as s:
        patches = [json.loads(e.fields) for e in s.scalars(select(OutboxEntry).where(
            OutboxEntry.row_id == ticket.id))]
    assert patches[0]["state"] == "waiting" and patches[1]["state"] == "called"
    assert TicketState(patches[1]["state"]) is TicketState.CALLED
