"""Events through the service as the screens call it (#21): the form's validation by
field (nothing lost), capacity with the waiting list and its promotions, a series of
sessions with one list and attendance per session, check-in (walk-ins too), today's
matches at the queue on the context clock, room clashes against appointments and other
sessions, the invitation filter and who may be invited, and the desk's rights."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.dto.events import EventInput, InviteFilter, SessionInput
from app.models import (
    Appointment,
    AuditEvent,
    Customer,
    EventAttendance,
    EventParticipant,
    Plan,
    PlanVersion,
    Room,
    ServicePoint,
    Staff,
    Team,
)
from app.rules.codes import (
    AppointmentStatus,
    AppointmentType,
    Channel,
    PlanStatus,
    PlanType,
    Role,
    ServiceArea,
    ServicePointMode,
)
from app.rules.events import attendance_id, participant_id
from app.services.errors import Conflict, PermissionDenied, ValidationFailed
from tests.factories import Clock, add_people

# Tuesday 24.11.2026 10.00 in Helsinki.
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@pytest.fixture
def ev(signed_in):
    signed_in.ctx.now = Clock(START)
    signed_in.people = add_people(signed_in)
    with signed_in.ctx.session_factory.begin() as s:
        s.add_all([Room(id="room-a", service_point_id="sp-rov", name="Äijä", seats=20),
                   Room(id="room-b", service_point_id="sp-rov", name="Ounas", seats=8)])
    return signed_in


def info(day: date = TODAY + timedelta(days=7), start="13:00", end="14:30", room="room-a",
         capacity="", **kw) -> EventInput:
    return EventInput(service_point_id="sp-rov", kind=kw.pop("kind", "service_info"),
                      title=kw.pop("title", "Palveluinfo"), capacity=capacity,
                      sessions=kw.pop("sessions", (SessionInput(
                          f"{day.day}.{day.month}.{day.year}", start, end, room),)), **kw)


def audits(services, action):
    with services.ctx.session_factory() as s:
        return [json.loads(a.detail or "{}") for a in s.scalars(
            select(AuditEvent).where(AuditEvent.action == action))]


def sign_in_as(services, username):
    services.auth.sign_out()
    services.auth.sign_in(username, "demo")


def test_create_stores_helsinki_times_in_utc_with_the_signed_in_organiser(ev):
    detail = ev.events.create(info(capacity="12", language="sv",
                                   target_groups=("young",)))
    [session] = detail.sessions
    # 13.00 on a Tuesday in December in Helsinki (UTC+2) is 11.00 UTC.
    assert session.starts_at == datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    assert session.ends_at == datetime(2026, 12, 1, 12, 30, tzinfo=UTC)
    assert session.room_name == "Äijä"
    assert detail.organiser_ids == ("staff-coach",)
    assert detail.row.organiser_names == ("Pekka Ylitalo",)
    assert detail.row.capacity == 12 and detail.row.language == "sv"
    assert detail.target_groups == ("young",)
    assert audits(ev, "event.create") == [{"kind": "service_info", "sessions": 1}]
    # ISO days too, and in summer time (UTC+3).
    summer = ev.events.create(info(sessions=(SessionInput("2027-06-15", "9:00", "10:00"),)))
    assert summer.sessions[0].starts_at == datetime(2027, 6, 15, 6, 0, tzinfo=UTC)
    assert ev.events.get(detail.row.id) == detail


def test_validation_names_every_field_and_stores_nothing(ev):
    bad = EventInput(service_point_id="sp-rov", kind="party", title="  ", language="de",
                     capacity="0", online_link="ftp://x",
                     sessions=(SessionInput("31.2.2026", "10:00", "11:00"),
                               SessionInput("2.12.2026", "11:00", "10:00"),
                               SessionInput("3.12.2026", "kymmenen", "11:00")))
    with pytest.raises(ValidationFailed) as refused:
        ev.events.create(bad)
    assert set(refused.value.errors) == {"kind", "title", "language", "capacity",
                                         "online_link", "session:1", "session:2",
                                         "session:3"}
    with pytest.raises(ValidationFailed) as empty:
        ev.events.create(info(sessions=()))
    assert set(empty.value.errors) == {"sessions"}
    with pytest.raises(ValidationFailed) as unknown_room:
        ev.events.create(info(room="no-such-room"))
    assert set(unknown_room.value.errors) == {"session:1"}
    assert ev.events.list_events(TODAY, TODAY + timedelta(days=60)) == []
    assert bad.title == "  " and bad.capacity == "0"  # the form keeps what was typed


def test_capacity_waiting_list_and_promotion_on_cancel(ev):
    event = ev.events.create(info(capacity="2")).row.id
    a, b, c, d, _e = ev.people
    statuses = []
    for cid in (a, b, c, d):
        statuses.append(ev.events.register(event, cid).status)
        ev.ctx.now.advance(1)
    assert statuses == ["registered", "registered", "waiting", "waiting"]
    rows = ev.events.participants(event)
    assert [(r.customer_id, r.status, r.waiting_position) for r in rows] == [
        (a, "registered", None), (b, "registered", None), (c, "waiting", 1),
        (d, "waiting", 2)]
    # Registering again changes nothing.
    assert ev.events.register(event, c).waiting_position == 1
    cancelled = ev.events.cancel_participation(event, a)
    assert cancelled.status == "cancelled"
    rows = {r.customer_id: r for r in ev.events.participants(event)}
    assert rows[c].status == "registered" and rows[d].waiting_position == 1
    listed = ev.events.list_events(TODAY, TODAY + timedelta(days=30))
    assert [(r.registered, r.waiting) for r in listed] == [(2, 1)]
    assert audits(ev, "event.cancel_participation")[0]["promoted"] == 1
    # The cancelled one registers again: the row is updated (one row per id), waiting.
    again = ev.events.register(event, a)
    assert again.status == "waiting" and again.id == participant_id(event, a)
    with ev.ctx.session_factory() as s:
        assert s.scalar(select(EventParticipant.service_point_id).where(
            EventParticipant.id == again.id)) == "sp-rov"
        assert len(s.scalars(select(EventParticipant).where(
            EventParticipant.customer_id == a)).all()) == 1
    for row in ev.events.participants(event):
        assert "Mäkelä" not in json.dumps(audits(ev, "event.register"))
        assert row.name  # the list names them


def test_raising_capacity_seats_the_waiting_list_in_order(ev):
    form = info(capacity="1")
    event = ev.events.create(form).row.id
    for cid in ev.people[:4]:
        ev.events.register(event, cid)
        ev.ctx.now.advance(1)
    ev.events.update(event, replace(form, capacity="3"))
    rows = {r.customer_id: r.status for r in ev.events.participants(event)}
    assert [rows[c] for c in ev.people[:4]] == ["registered", "registered", "registered",
                                                 "waiting"]
    ev.events.update(event, replace(form, capacity=""))  # no limit: everyone seated
    assert {r.status for r in ev.events.participants(event)} == {"registered"}


def test_a_series_keeps_one_list_and_attendance_per_session(ev):
    first = TODAY + timedelta(days=7)
    sessions = tuple(SessionInput((first + timedelta(weeks=i)).isoformat(), "9:00", "11:00",
                                  "room-b") for i in range(6))
    detail = ev.events.create(info(kind="group_coaching", title="Ryhmävalmennus",
                                   capacity="8", sessions=sessions))
    assert [x.number for x in detail.sessions] == [1, 2, 3, 4, 5, 6]
    event = detail.row.id
    a, b = ev.people[:2]
    ev.events.register(event, a)
    ev.events.register(event, b)
    one, two = detail.sessions[0].id, detail.sessions[1].id
    ev.events.check_in(one, a)
    ev.events.check_in(one, b)
    ev.events.check_in(two, a)
    ev.events.mark_absent(two, b)
    ev.events.check_in(one, a)  # twice: still one row
    rows = {r.customer_id: r for r in ev.events.participants(event, first)}
    assert rows[a].attended_sessions == 2 and rows[b].attended_sessions == 1
    assert rows[a].attended_today and rows[b].attended_today
    assert len(ev.events.participants(event)) == 2  # one list for the series
    with ev.ctx.session_factory() as s:
        ids = set(s.scalars(select(EventAttendance.id)))
    assert ids == {attendance_id(one, a), attendance_id(one, b), attendance_id(two, a),
                   attendance_id(two, b)}
    again = ev.events.get(event)
    assert [x.attended for x in again.sessions[:2]] == [2, 1]
    # Dropping the last two sessions tombstones them; the list stays. The form sends
    # each kept session with its id.
    kept = tuple(replace(typed, session_id=stored.id)
                 for typed, stored in zip(sessions[:4], again.sessions[:4], strict=True))
    ev.events.update(event, info(kind="group_coaching", title="Ryhmävalmennus",
                                 capacity="8", sessions=kept))
    assert len(ev.events.get(event).sessions) == 4
    [timeline] = [r for r in ev.events.for_customer(a) if r.event_id == event]
    assert (timeline.sessions, timeline.attended, timeline.status) == (4, 2, "registered")


def test_check_in_adds_a_walk_in_beyond_capacity(ev):
    detail = ev.events.create(info(day=TODAY, start="11:00", end="12:00", capacity="1"))
    event, session = detail.row.id, detail.sessions[0].id
    a, b, c = ev.people[:3]
    ev.events.register(event, a)
    ev.events.register(event, b)  # waiting
    row = ev.events.check_in(session, c, via="queue")  # not on the list at all
    assert row.status == "registered" and row.attended_today
    assert ev.events.check_in(session, b).status == "registered"
    assert ev.events.get(event).row.registered == 3  # they came: seats beyond capacity
    with ev.ctx.session_factory() as s:
        via = s.scalar(select(EventAttendance.via).where(
            EventAttendance.id == attendance_id(session, c)))
    assert via == "queue"


@pytest.mark.parametrize("hour", [0, 9, 23])
def test_matches_today_follow_the_context_clock(ev, hour):
    day = date(2028, 2, 29)
    ev.ctx.now = Clock(datetime(2028, 2, 29, hour, 30, tzinfo=UTC) - timedelta(hours=2))
    early = ev.events.create(info(day=day, start="0:30", end="0:45", title="Aamu")).row.id
    late = ev.events.create(info(day=day, start="23:00", end="23:50", title="Ilta")).row.id
    other = ev.events.create(info(day=day + timedelta(days=1), title="Huomenna")).row.id
    cid = ev.people[0]
    for event in (early, late, other):
        ev.events.invite(event, [cid])
    titles = [m.title for m in ev.events.matches_today(cid)]
    # Before 1.15 the 0.30 session still takes check-ins; the late one all day.
    assert titles == (["Aamu", "Ilta"] if hour == 0 else ["Ilta"])
    assert ev.events.matches_today(ev.people[1]) == []


def test_a_room_clash_with_an_appointment_or_a_session_is_refused_naming_it(ev):
    day = TODAY + timedelta(days=2)
    with ev.ctx.session_factory.begin() as s:
        s.add(Appointment(customer_id=ev.people[0], staff_id="staff-lead",
                          service_point_id="sp-rov",
                          type=AppointmentType.JOB_SEARCH_CONVERSATION,
                          channel=Channel.SERVICE_POINT, status=AppointmentStatus.BOOKED,
                          starts_at=datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
                          ends_at=datetime(2026, 11, 26, 11, 0, tzinfo=UTC),
                          room_id="room-a"))
    with pytest.raises(Conflict) as against_appointment:
        ev.events.create(info(day=day, start="12:30", end="13:30"))
    assert against_appointment.value.params["room"] == "Äijä"
    assert against_appointment.value.params["start"] == "26.11. 12.00"
    assert against_appointment.value.params["end"] == "13.00"  # the same day: its time
    first = ev.events.create(info(day=day, start="14:00", end="15:00", title="Rekry"))
    with pytest.raises(Conflict) as against_session:
        ev.events.create(info(day=day, start="14:30", end="16:00"))
    assert against_session.value.params["what"] == "Rekry"
    # Moving the event within its own time is no clash with itself.
    ev.events.update(first.row.id, info(day=day, start="14:15", end="15:00", title="Rekry"))
    assert len(ev.events.list_events(day, day)) == 1
    # The other room is free.
    ev.events.create(info(day=day, start="14:30", end="16:00", room="room-b"))


def _second_point(services):
    with services.ctx.session_factory.begin() as s:
        s.add(ServicePoint(id="sp-ran", code="RAN", name="Ranua", municipality="Ranua",
                           mode=ServicePointMode.APPOINTMENT))
        s.add(Team(id="team-2", name="Ranua", service_area=ServiceArea.FINDING_WORK))
        s.flush()
        s.add(Staff(id="staff-ran", username="rancoach", full_name="Raija Ranua",
                    role=Role.COACH, team_id="team-2", service_point_id="sp-ran"))


def test_invite_candidates_filter_by_group_language_days_and_plan(ev):
    event = ev.events.create(info()).row.id
    a, b, c, d, e = ev.people
    with ev.ctx.session_factory.begin() as s:
        for cid in ev.people:
            s.get(Customer, cid).coach_id = "staff-coach"
        s.get(Customer, b).language = "sv"
        s.get(Customer, c).unemployed_since = TODAY - timedelta(days=20)
        s.get(Customer, d).birth_date = date(2005, 1, 1)  # young
        plan = Plan(customer_id=e, plan_type=PlanType.EMPLOYMENT)
        s.add(plan)
        s.flush()
        s.add(PlanVersion(plan_id=plan.id, status=PlanStatus.ACCEPTED, number=1,
                          accepted_at=START))
    everyone = ev.events.invite_candidates(event, InviteFilter(coach_id="staff-coach"))
    assert {x.customer_id for x in everyone} == set(ev.people)
    swedish = ev.events.invite_candidates(event, InviteFilter(language="sv"))
    assert [x.customer_id for x in swedish] == [b]
    long = ev.events.invite_candidates(event, InviteFilter(min_days_unemployed=100))
    assert c not in {x.customer_id for x in long} and a in {x.customer_id for x in long}
    young = ev.events.invite_candidates(event, InviteFilter(groups=("young",)))
    assert d in {x.customer_id for x in young} and a not in {x.customer_id for x in young}
    no_plan = ev.events.invite_candidates(event, InviteFilter(without_valid_plan=True))
    assert e not in {x.customer_id for x in no_plan} and len(no_plan) == 4
    ev.events.invite(event, [a])
    again = {x.customer_id: x for x in ev.events.invite_candidates(event, InviteFilter())}
    assert again[a].already_on_list and not again[b].already_on_list


def test_invite_refuses_customers_the_worker_cannot_see(ev):
    _second_point(ev)
    with ev.ctx.session_factory.begin() as s:
        foreign = Customer(**_foreign_customer())
        s.add(foreign)
    event = ev.events.create(info()).row.id
    result = ev.events.invite(event, [ev.people[0], ev.people[1], "cust-ran", "nobody"])
    assert (result.invited, result.already, result.refused) == (2, 0, 2)
    assert ev.events.invite(event, [ev.people[0]]).already == 1
    assert audits(ev, "event.invite")[0] == {"invited": 2, "already": 0, "refused": 2}
    assert "cust-ran" not in {x.customer_id for x in ev.events.invite_candidates(
        event, InviteFilter())}
    with pytest.raises(PermissionDenied):
        ev.events.invite_candidates(event, InviteFilter(coach_id="staff-ran"))


def _foreign_customer():
    return dict(id="cust-ran", customer_number="900001", first_names="Rauni",
                last_name="Ranualainen", sort_name="ranualainen rauni",
                home_municipality="Ranua", service_point_id="sp-ran", coach_id="staff-ran")


def test_the_desk_checks_in_but_does_not_organise(ev):
    detail = ev.events.create(info(day=TODAY, start="11:00", end="12:00"))
    sign_in_as(ev, "desk")
    with pytest.raises(PermissionDenied):
        ev.events.create(info())
    with pytest.raises(PermissionDenied):
        ev.events.invite(detail.row.id, [ev.people[0]])
    assert ev.events.check_in(detail.sessions[0].id, ev.people[0]).attended_today
    assert ev.events.list_events(TODAY, TODAY)[0].registered == 1
    assert ev.events.matches_today(ev.people[0])[0].status == "registered"


def test_cancelled_events_leave_the_lists_and_free_the_room(ev):
    day = TODAY + timedelta(days=3)
    detail = ev.events.create(info(day=day))
    ev.events.register(detail.row.id, ev.people[0])
    cancelled = ev.events.cancel(detail.row.id, "Sairastuminen")
    assert cancelled.row.status == "cancelled" and cancelled.cancel_reason == "Sairastuminen"
    assert ev.events.list_events(day, day) == []
    assert len(ev.events.list_events(day, day, include_cancelled=True)) == 1
    with pytest.raises(Conflict):
        ev.events.register(detail.row.id, ev.people[1])
    ev.events.create(info(day=day))  # the room is free again
    assert [r.status for r in ev.events.for_customer(ev.people[0])] == ["registered"]


def test_calendar_sessions_by_organiser_room_and_point(ev):
    day = TODAY + timedelta(days=1)
    mine = ev.events.create(info(day=day, start="9:00", end="10:00"))
    ev.events.create(info(day=day, start="12:00", end="13:00", room="room-b",
                          organiser_ids=("staff-lead",)))
    assert [c.event_id for c in ev.events.calendar_sessions(
        day, day, staff_ids=["staff-coach"])] == [mine.row.id]
    assert len(ev.events.calendar_sessions(day, day)) == 2
    assert [c.room_name for c in ev.events.calendar_sessions(day, day, room_id="room-b")] \
        == ["Ounas"]
    assert ev.events.calendar_sessions(day, day, service_point_id="sp-ran") == []


def test_themes_need_calendar_manage(ev):
    from app.dto.events import ThemeInput

    with pytest.raises(PermissionDenied):
        ev.events.add_theme(ThemeInput("2027", "3", "Nuorten kuukausi"))
    sign_in_as(ev, "lead")
    with pytest.raises(ValidationFailed) as bad:
        ev.events.add_theme(ThemeInput("27", "13", ""))
    assert set(bad.value.errors) == {"year", "month", "title"}
    theme = ev.events.add_theme(ThemeInput("2027", "3", "Nuorten kuukausi"))
    edited = ev.events.edit_theme(theme.id, ThemeInput("2027", "4", "Nuorten kuukausi",
                                                       service_point_id="sp-rov"))
    assert (edited.month, edited.service_point_name) == (4, "Rovaniemi – Osaamo")
    year = ev.events.annual(2027, "sp-rov")
    assert [t.title for t in year.months[3].themes] == ["Nuorten kuukausi"]
    ev.events.remove_theme(theme.id)
    assert ev.events.themes(2027) == []


def test_hostile_text_is_refused_by_field_before_anything_is_stored(ev):
    with pytest.raises(ValidationFailed) as refused:
        ev.events.create(info(title="Info\u202etxt.exe", description="ok\x1b[2J",
                              sessions=(SessionInput("1.12.2026", "10:00", "11:00",
                                                     online_link="https://x\x00"),)))
    assert set(refused.value.errors) == {"title", "description", "session:1"}
    with pytest.raises(ValidationFailed) as reason:
        ev.events.cancel(ev.events.create(info()).row.id, "syy\x07")
    assert set(reason.value.errors) == {"cancel_reason"}
    assert [r.status for r in ev.events.list_events(TODAY, TODAY + timedelta(days=30))] \
        == ["planned"]


def test_a_tombstoned_row_is_taken_up_again_not_inserted(ev):
    detail = ev.events.create(info(day=TODAY, start="11:00", end="12:00"))
    event, session, cid = detail.row.id, detail.sessions[0].id, ev.people[0]
    ev.events.check_in(session, cid)
    with ev.ctx.session_factory.begin() as s:
        s.get(EventParticipant, participant_id(event, cid)).deleted_at = START
        s.get(EventAttendance, attendance_id(session, cid)).deleted_at = START
    assert ev.events.participants(event) == []
    row = ev.events.check_in(session, cid, via="queue")
    assert row.id == participant_id(event, cid) and row.attended_sessions == 1
    with ev.ctx.session_factory() as s:
        assert len(s.scalars(select(EventParticipant)).all()) == 1
        assert len(s.scalars(select(EventAttendance)).all()) == 1


def test_the_invitation_s_sender_is_the_event_s_point_with_its_address_and_phone(ev):
    from app.models import ServicePoint

    with ev.ctx.session_factory.begin() as s:
        point = s.get(ServicePoint, "sp-rov")
        point.street_address, point.postal_code, point.phone = "Rovakatu 2", "96200", \
            "016 322 0000"
    assert ev.events.point_contact("sp-rov") == ("Rovaniemi – Osaamo",
                                                  "Rovakatu 2, 96200 Rovaniemi",
                                                  "016 322 0000")


def test_a_room_smaller_than_the_capacity_is_refused_on_its_session(ev):
    with pytest.raises(ValidationFailed) as refused:
        ev.events.create(info(capacity="12", room="room-b"))  # eight seats
    assert "fewer seats" in refused.value.errors["session:1"]
    ev.events.create(info(capacity="8", room="room-b"))


def test_removing_a_middle_session_of_a_series_keeps_the_others_and_their_attendance(ev):
    first = TODAY + timedelta(days=1)
    sessions = tuple(SessionInput((first + timedelta(weeks=i)).isoformat(), "9:00", "11:00",
                                  "room-a") for i in range(3))
    detail = ev.events.create(info(kind="group_coaching", title="Ryhmä", sessions=sessions))
    one, _two, three = detail.sessions
    ev.events.check_in(three.id, ev.people[0])
    # The form without the second session: the first and third keep their ids.
    kept = (replace(sessions[0], session_id=one.id), replace(sessions[2], session_id=three.id))
    after = ev.events.update(detail.row.id, info(kind="group_coaching", title="Ryhmä",
                                                 sessions=kept))
    assert [(x.id, x.number, x.starts_at, x.attended) for x in after.sessions] == [
        (one.id, 1, one.starts_at, 0), (three.id, 2, three.starts_at, 1)]


def test_an_event_of_another_point_is_changed_only_by_its_organisers(ev):
    _second_point(ev)
    sign_in_as(ev, "lead")  # sees all: makes a Ranua event that the Ranua coach holds
    detail = ev.events.create(replace(info(), service_point_id="sp-ran",
                                      sessions=(SessionInput("1.12.2026", "10:00", "11:00"),),
                                      organiser_ids=("staff-ran",)))
    sign_in_as(ev, "coach")  # a Rovaniemi coach: cannot take it over
    with pytest.raises(PermissionDenied):
        ev.events.update(detail.row.id, replace(info(), service_point_id="sp-ran",
                                                organiser_ids=("staff-coach",)))
    with pytest.raises(PermissionDenied):
        ev.events.cancel(detail.row.id, "")


def test_a_customer_this_workstation_does_not_hold_is_checked_in_at_the_queue(ev):
    # A customer of another point on the list, whom this desk has not looked up: the
    # centre would refuse an attendance naming them, so the desk is told what to do.
    detail = ev.events.create(info(day=TODAY, start="11:00", end="12:00"))
    for mark in (ev.events.check_in, ev.events.mark_absent):
        with pytest.raises(Conflict) as refused:
            mark(detail.sessions[0].id, "cust-of-ranua")
        assert "identify them at the queue" in refused.value.message


def test_the_queue_offers_only_its_own_point_s_events(ev):
    _second_point(ev)
    sign_in_as(ev, "lead")
    here = ev.events.create(info(day=TODAY, start="11:00", end="12:00"))
    there = ev.events.create(replace(info(), service_point_id="sp-ran", sessions=(
        SessionInput(f"{TODAY.day}.{TODAY.month}.{TODAY.year}", "12:00", "13:00"),)))
    for detail in (here, there):
        ev.events.register(detail.row.id, ev.people[0])
    assert [m.event_id for m in ev.events.matches_today(ev.people[0])] == [here.row.id]
