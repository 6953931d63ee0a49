"""Events and rooms in the central database (#21, c0100), as each role's own login sees
them in SQL: every staff member reads rooms, events, sessions and themes, only
administrators keep rooms and only event organisers (`event.edit`) write events; a
participant or attendance is read and written at the event's point, by its organisers
and by whoever may see the customer, never naming a customer its writer cannot see and
never at a point other than its event's; ids come from the event or session and the
customer; a room is never double-booked: the later booking keeps its time but loses the
room, and a conflict tells the organiser; a merge moves the lists."""

from __future__ import annotations

import pytest

from app.rules.events import attendance_id, participant_id
from tests.integration.test_hostile_client import MERGE, owner, refused

pytestmark = pytest.mark.usefixtures("pg_url")

TABLES = ("room", "event", "event_session", "event_participant", "event_attendance",
          "annual_theme")
ROOM = ("INSERT INTO room (id, service_point_id, name, seats, accessible, active, "
        "updated_at) VALUES (:id, :sp, :room_name, 12, true, true, now())")
EVENT = ("INSERT INTO event (id, service_point_id, kind, status, title, language, capacity, "
         "organiser_ids, annual, updated_at) VALUES (:id, :sp, 'service_info', 'planned', "
         "'Palveluinfo', 'fi', 20, :org, false, now())")
SESSION = ("INSERT INTO event_session (id, event_id, service_point_id, number, starts_at, "
           "ends_at, room_id, cancelled, updated_at) VALUES (:id, :eid, :sp, 1, "
           "'2030-03-04 08:00', '2030-03-04 10:00', :room, false, now())")
APPOINTMENT = ("INSERT INTO appointment (id, customer_id, staff_id, service_point_id, type, "
               "channel, status, starts_at, ends_at, room_id, updated_at) VALUES (:id, "
               "'c-rov', 'staff-desk', 'sp-rov', 'other', 'service_point', 'booked', :start, :end, "
               ":room, now())")
PARTICIPANT = ("INSERT INTO event_participant (id, event_id, customer_id, service_point_id, "
               "status, updated_at) VALUES (:id, :eid, :cid, :sp, 'registered', now())")
ATTENDANCE = ("INSERT INTO event_attendance (id, session_id, event_id, customer_id, "
              "service_point_id, attended, via, updated_at) VALUES (:id, :sid, :eid, :cid, "
              ":sp, true, 'list', now())")
THEME = ("INSERT INTO annual_theme (id, year, month, title, updated_at) "
         "VALUES (:id, 2030, 3, 'Nuorten kesätyöt', now())")


@pytest.fixture
def world(pg_url):
    from tests.integration.test_central_security import World

    made = World(pg_url)
    yield made
    made.close()


def _events(world):
    """A room at each point; an event at Rovaniemi with one session in its room, its
    list holding a Rovaniemi customer and the Ranua customer coached from Rovaniemi; an
    event at Ranua with a Ranua customer on it."""
    owner(world, ROOM, id="room-rov", sp="sp-rov", room_name="Ryhmätila 1")
    owner(world, ROOM, id="room-ran", sp="sp-ran", room_name="Neuvotteluhuone")
    owner(world, EVENT, id="ev-rov", sp="sp-rov", org="staff-coach")
    owner(world, EVENT, id="ev-ran", sp="sp-ran", org="staff-ran_coach")
    owner(world, SESSION, id="s-rov", eid="ev-rov", sp="sp-rov", room="room-rov")
    owner(world, SESSION, id="s-ran", eid="ev-ran", sp="sp-ran", room="room-ran")
    for eid, cid, sp in (("ev-rov", "c-rov", "sp-rov"), ("ev-rov", "c-ran-mine", "sp-rov"),
                         ("ev-ran", "c-ran", "sp-ran")):
        owner(world, PARTICIPANT, id=participant_id(eid, cid), eid=eid, cid=cid, sp=sp)
    owner(world, ATTENDANCE, id=attendance_id("s-ran", "c-ran"), sid="s-ran", eid="ev-ran",
          cid="c-ran", sp="sp-ran")
    owner(world, THEME, id="th-1")


def test_every_event_table_has_row_level_security_and_policies(world):
    rows = owner(world, "SELECT c.relname, c.relrowsecurity, (SELECT count(*) FROM pg_policy "
                        "p WHERE p.polrelid = c.oid) FROM pg_class c JOIN pg_namespace n ON "
                        "n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = "
                        "ANY(:tables)", tables=list(TABLES)).all()
    assert len(rows) == len(TABLES)
    for name, secured, policies in rows:
        assert secured and policies >= 3, name


def test_everyone_reads_rooms_events_and_themes_and_only_their_keepers_write_them(world):
    _events(world)
    for name in ("desk", "coach", "ran_coach", "lead", "admin"):
        assert world.ids(name, "room") == ["room-ran", "room-rov"], name
        assert world.ids(name, "event") == ["ev-ran", "ev-rov"], name
        assert world.ids(name, "event_session") == ["s-ran", "s-rov"], name
        assert world.ids(name, "annual_theme") == ["th-1"], name
    for table in TABLES:
        assert world.ids("gone", table) == [], table
        for name in ("desk", "coach", "lead", "admin"):
            assert "permission denied" in refused(world, name, f"DELETE FROM {table}"), table
    # The desk writes none of them.
    for table in ("room", "event", "event_session", "annual_theme"):
        assert "permission denied" in refused(
            world, "desk", f"UPDATE {table} SET updated_at = now()"), table
    # Rooms: administrators only.
    assert world.run("coach", "UPDATE room SET seats = 99") == 0
    assert world.run("lead", "UPDATE room SET seats = 99") == 0
    assert refused(world, "lead", ROOM, id="room-x", sp="sp-rov", room_name="Uusi")
    assert world.run("admin", "UPDATE room SET seats = 14 WHERE id = 'room-rov'") == 1
    # Events: made by coaches and up, anywhere in the area; changed at the event's point,
    # by its organisers or by those who see all.
    world.run("ran_coach", EVENT, id="ev-new", sp="sp-rov", org="staff-ran_coach")
    assert world.run("coach", "UPDATE event SET capacity = 30 WHERE id = 'ev-new'") == 1
    assert world.run("ran_coach", "UPDATE event SET capacity = 31 WHERE id = 'ev-new'") == 1
    # A coach elsewhere cannot make themselves an organiser to reach an event's list.
    assert world.run("coach", "UPDATE event SET organiser_ids = 'staff-coach' "
                              "WHERE id = 'ev-ran'") == 0
    assert world.run("coach", "UPDATE event_session SET room_id = NULL "
                              "WHERE id = 's-ran'") == 0
    assert refused(world, "coach", SESSION.replace("'2030-03-04", "'2030-03-06"),
                   id="s-y", eid="ev-ran", sp="sp-ran", room=None)
    assert world.run("lead", "UPDATE event SET capacity = 30 WHERE id = 'ev-ran'") == 1
    # An event with people on its list stays at its point; a session keeps its event.
    assert "stays at its service point" in refused(
        world, "coach", "UPDATE event SET service_point_id = 'sp-ran' WHERE id = 'ev-rov'")
    assert "keeps its event" in refused(
        world, "coach", "UPDATE event_session SET event_id = 'ev-new' WHERE id = 's-rov'")
    # Nobody probes which rooms are held when.
    for name in ("desk", "coach", "admin"):
        assert "permission denied" in refused(
            world, name, "SELECT desk_room_clash('room-rov', 'x', '2030-03-04 08:00', "
                         "'2030-03-04 09:00')")
    # Themes: team leads and administrators.
    assert world.run("coach", "UPDATE annual_theme SET title = 'x'") == 0
    assert world.run("lead", "UPDATE annual_theme SET title = 'Kesätyöt'") == 1


def test_an_event_list_is_read_at_its_point_by_its_organisers_and_the_customer_s_reach(
        world):
    _events(world)
    rov_list = sorted([participant_id("ev-rov", "c-rov"), participant_id("ev-rov", "c-ran-mine")])
    ran_list = [participant_id("ev-ran", "c-ran")]
    # The Rovaniemi desk reads its point's list, Ranua's not (its customer is not visible).
    assert world.ids("desk", "event_participant") == rov_list
    assert world.ids("desk", "event_attendance") == []
    # The Ranua coach: its point's list, and its organiser's; Rovaniemi's only where a
    # customer is visible to it (the coached Ranua customer is Ranua's).
    assert sorted(world.ids("ran_coach", "event_participant")) == sorted(
        [*ran_list, participant_id("ev-rov", "c-ran-mine")])
    assert world.ids("ran_coach", "event_attendance") == [attendance_id("s-ran", "c-ran")]
    assert len(world.ids("lead", "event_participant")) == 3
    # The desk checks a participant in at its point.
    world.run("desk", ATTENDANCE, id=attendance_id("s-rov", "c-rov"), sid="s-rov",
              eid="ev-rov", cid="c-rov", sp="sp-rov")
    assert world.run("desk", "UPDATE event_participant SET status = 'cancelled' "
                             "WHERE event_id = 'ev-ran'") == 0


def test_a_list_names_only_a_visible_customer_at_its_event_s_point_under_derived_ids(world):
    _events(world)
    # A customer the writer cannot see: refused (no reach from a row one creates).
    assert "may only name a customer you can see" in refused(
        world, "desk", PARTICIPANT, id=participant_id("ev-rov", "c-ran"), eid="ev-rov",
        cid="c-ran", sp="sp-rov")
    # A row claiming another point than its event's, to be read there: refused.
    assert "event's service point" in refused(
        world, "coach", PARTICIPANT, id=participant_id("ev-ran", "c-mine"), eid="ev-ran",
        cid="c-mine", sp="sp-rov")
    # An id of one's own: refused (two desks must write one row per event and customer).
    assert "id of its event and customer" in refused(
        world, "coach", PARTICIPANT, id="p-forged", eid="ev-rov", cid="c-mine", sp="sp-rov")
    world.run("coach", PARTICIPANT, id=participant_id("ev-rov", "c-mine"), eid="ev-rov",
              cid="c-mine", sp="sp-rov")
    # Moved to another customer or event: refused.
    assert refused(world, "coach", "UPDATE event_participant SET customer_id = 'c-rov' "
                                   "WHERE id = :id", id=participant_id("ev-rov", "c-mine"))
    assert "keeps its event" in refused(
        world, "coach", "UPDATE event_participant SET event_id = 'ev-ran' WHERE id = :id",
        id=participant_id("ev-rov", "c-mine"))
    # An attendance: of its session's event and point, under its derived id.
    assert "session's event" in refused(
        world, "coach", ATTENDANCE, id=attendance_id("s-rov", "c-mine"), sid="s-rov",
        eid="ev-ran", cid="c-mine", sp="sp-rov")
    assert "id of its session and customer" in refused(
        world, "coach", ATTENDANCE, id="a-forged", sid="s-rov", eid="ev-rov", cid="c-mine",
        sp="sp-rov")
    # A session at another point than its event's.
    assert "event's service point" in refused(
        world, "coach", SESSION.replace("'2030-03-04 08:00'", "'2030-03-05 08:00'")
        .replace("'2030-03-04 10:00'", "'2030-03-05 10:00'"), id="s-x", eid="ev-rov",
        sp="sp-ran", room=None)


def test_a_room_is_never_double_booked_the_later_booking_loses_the_room_and_is_a_conflict(
        world):
    _events(world)
    # An appointment over the session in the same room: kept, without the room.
    world.run("desk", APPOINTMENT, id="ap-1", start="2030-03-04 09:00",
              end="2030-03-04 09:45", room="room-rov")
    assert owner(world, "SELECT room_id FROM appointment WHERE id = 'ap-1'").scalar() is None
    conflicts = owner(world, "SELECT table_name, row_id, field, central_value, client_value, "
                             "service_point_id, status FROM sync_conflict").all()
    assert conflicts == [("appointment", "ap-1", "room_id", "null", '"room-rov"', "sp-rov",
                          "open")]
    # The desk that booked it sees the conflict (it may read the appointment).
    assert world.ids("desk", "sync_conflict") != []
    # Before or after the session, or another room: booked.
    world.run("desk", APPOINTMENT, id="ap-2", start="2030-03-04 10:00",
              end="2030-03-04 10:45", room="room-rov")
    assert owner(world, "SELECT room_id FROM appointment WHERE id = 'ap-2'").scalar() == \
        "room-rov"
    # A session moved onto a booked appointment loses the room too.
    world.run("coach", "UPDATE event_session SET starts_at = '2030-03-04 10:30', "
                       "ends_at = '2030-03-04 11:30' WHERE id = 's-rov'")
    assert owner(world, "SELECT room_id FROM event_session WHERE id = 's-rov'").scalar() \
        is None
    assert owner(world, "SELECT count(*) FROM sync_conflict WHERE row_id = 's-rov'").scalar() \
        == 1
    # A cancelled appointment frees the room; the session can have it back.
    world.run("desk", "UPDATE appointment SET status = 'cancelled' WHERE id = 'ap-2'")
    world.run("coach", "UPDATE event_session SET room_id = 'room-rov' WHERE id = 's-rov'")
    assert owner(world, "SELECT room_id FROM event_session WHERE id = 's-rov'").scalar() == \
        "room-rov"


def test_a_merge_makes_the_duplicate_s_places_the_real_customer_s_once(world):
    _events(world)
    # Both records on the Rovaniemi event: the duplicate registered, the real one invited.
    owner(world, "UPDATE event_participant SET status = 'invited' WHERE id = :id",
          id=participant_id("ev-rov", "c-rov"))
    owner(world, ATTENDANCE, id=attendance_id("s-rov", "c-ran-mine"), sid="s-rov",
          eid="ev-rov", cid="c-ran-mine", sp="sp-rov")
    world.run("lead", MERGE, id="m-1", src="c-ran-mine", dst="c-rov")
    live = owner(world, "SELECT id, event_id, status FROM event_participant WHERE "
                        "customer_id = 'c-rov' AND deleted_at IS NULL").all()
    # Once on the list, under the real customer's id, with the stronger state.
    assert live == [(participant_id("ev-rov", "c-rov"), "ev-rov", "registered")]
    assert owner(world, "SELECT deleted_at IS NOT NULL FROM event_participant WHERE id = :id",
                 id=participant_id("ev-rov", "c-ran-mine")).scalar()
    assert owner(world, "SELECT id, attended FROM event_attendance WHERE customer_id = "
                        "'c-rov' AND deleted_at IS NULL").all() == [
        (attendance_id("s-rov", "c-rov"), True)]
