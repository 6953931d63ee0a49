"""group services and events: rooms, events, sessions, participants, attendance, themes

Revision ID: c0100
Revises: c0095

Rooms, events, their sessions and the annual calendar's themes name no customer: every
active staff member reads them (the desk sees the week's events and the rooms); rooms
are kept by administrators (`staff.manage`), events by those who organise them
(`event.edit`: coaches and up), themes by `calendar.manage`. Participants and
attendances name a customer: the event's service point reads and writes them (the desk
registers and checks people in, `event.attend`), as do the event's organisers and whoever
may see the customer; a row names only a customer its writer can see, and its service
point is its event's (a guard), so it never widens anyone's reach.

A room is never double-booked: an appointment or a session that would hold a room
already held at that time keeps its time but not the room, and a sync_conflict row
tells the organiser (the Synchronisation page shows it; keeping the desk's value books
the room again only once it is free). Within one workstation the services refuse the
clash in the same transaction (app/services/rooms.py).

Working hours gain the service point (or remote) of the days they cover, appointments
their booked room. Each table follows docs/central-trust.md.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import central_trust as trust
from app.db.central_ddl import make_synced
from app.db.event_ddl import TABLES, add_columns, create_tables
from app.rules.events import ATTENDANCE_NAMESPACE, PARTICIPANT_NAMESPACE

revision: str = "c0100"
down_revision: str | Sequence[str] | None = "c0095"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "desk_desk, desk_coach, desk_team_lead, desk_admin"
OWNER = "desk_owner"
# app/rules/permissions.py gains these (the central copy is compared with the code).
NEW_PERMISSIONS = {
    "desk": ("event.read", "event.attend"),
    "coach": ("event.read", "event.attend", "event.edit"),
    "team_lead": ("event.read", "event.attend", "event.edit"),
    "admin": ("event.read", "event.attend", "event.edit"),
}

# The event's point, its organisers, or whoever may see the customer.
LIST_REACH = ("(desk_sees_all() OR service_point_id = desk_staff_point() "
              "OR desk_event_organiser(event_id) OR desk_customer_visible(customer_id))")
# An event is changed at its service point, by its organisers, or by those who see all:
# a coach elsewhere cannot make themselves its organiser to reach its list.
EVENT_KEEPER = ("(desk_may('event.edit') AND (desk_sees_all() "
                "OR service_point_id = desk_staff_point() OR desk_event_organiser(id)))")
SESSION_KEEPER = ("(desk_may('event.edit') AND (desk_sees_all() "
                  "OR desk_event_point(event_id) = desk_staff_point() "
                  "OR desk_event_organiser(event_id)))")
POLICIES = {
    "room": {"select": trust.ACTIVE, "write": "desk_may('staff.manage')"},
    "event": {"select": trust.ACTIVE, "insert": "desk_may('event.edit')",
              "update": EVENT_KEEPER},
    "event_session": {"select": trust.ACTIVE, "write": SESSION_KEEPER},
    "annual_theme": {"select": trust.ACTIVE, "write": "desk_may('calendar.manage')"},
    "event_participant": {"select": f"(desk_may('event.read') AND {LIST_REACH})",
                          "write": f"(desk_may('event.attend') AND {LIST_REACH})"},
    "event_attendance": {"select": f"(desk_may('event.read') AND {LIST_REACH})",
                         "write": f"(desk_may('event.attend') AND {LIST_REACH})"},
}

FUNCTIONS_SQL = """
-- Is the connected staff member one of the event's organisers?
CREATE OR REPLACE FUNCTION desk_event_organiser(eid text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM event e WHERE e.id = eid
                   AND desk_staff_id() = ANY (string_to_array(e.organiser_ids, ',')))
$$;

-- A participant is on its event's list once (its id from the event and the customer),
-- at its event's service point; it keeps its event and moves to another customer only
-- in a merge.
CREATE OR REPLACE FUNCTION desk_guard_participant() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.event_id IS DISTINCT FROM OLD.event_id THEN
        RAISE EXCEPTION 'a participant keeps its event' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.service_point_id IS DISTINCT FROM desk_event_point(NEW.event_id) THEN
        RAISE EXCEPTION 'a participant belongs to its event''s service point'
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.id <> desk_uuid5('{PARTICIPANT_NAMESPACE}', NEW.event_id || ':' || NEW.customer_id)
                THEN
            RAISE EXCEPTION 'a participant has the id of its event and customer'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.customer_id IS DISTINCT FROM OLD.customer_id AND NOT desk_may('customer.merge')
            THEN
        RAISE EXCEPTION 'a participant moves to another customer only in a merge'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

-- An attendance is one per session and customer, of the session's event and point.
CREATE OR REPLACE FUNCTION desk_guard_attendance() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
    s record;
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT * INTO s FROM desk_session_of(NEW.session_id);
    IF s.event_id IS DISTINCT FROM NEW.event_id
            OR s.service_point_id IS DISTINCT FROM NEW.service_point_id THEN
        RAISE EXCEPTION 'an attendance belongs to its session''s event and service point'
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.id <> desk_uuid5('{ATTENDANCE_NAMESPACE}', NEW.session_id || ':' || NEW.customer_id)
                THEN
            RAISE EXCEPTION 'an attendance has the id of its session and customer'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.session_id IS DISTINCT FROM OLD.session_id THEN
        RAISE EXCEPTION 'an attendance keeps its session' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.customer_id IS DISTINCT FROM OLD.customer_id AND NOT desk_may('customer.merge')
            THEN
        RAISE EXCEPTION 'an attendance moves to another customer only in a merge'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

-- A session belongs to its event's service point.
CREATE OR REPLACE FUNCTION desk_guard_session() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.event_id IS DISTINCT FROM OLD.event_id THEN
        RAISE EXCEPTION 'a session keeps its event' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.service_point_id IS DISTINCT FROM desk_event_point(NEW.event_id) THEN
        RAISE EXCEPTION 'a session belongs to its event''s service point'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- An event stays at its service point once anyone is on its list (its sessions and
-- list rows carry the point: moving it would leave them behind).
CREATE OR REPLACE FUNCTION desk_guard_event() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF NEW.service_point_id IS DISTINCT FROM OLD.service_point_id AND EXISTS (
            SELECT 1 FROM desk_event_listed(NEW.id)) THEN
        RAISE EXCEPTION 'an event with people on its list stays at its service point'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION desk_event_listed(eid text) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT id FROM event_participant WHERE event_id = eid AND deleted_at IS NULL LIMIT 1
$$;

CREATE OR REPLACE FUNCTION desk_event_point(eid text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT service_point_id FROM event WHERE id = eid
$$;
CREATE OR REPLACE FUNCTION desk_session_of(sid text,
    OUT event_id text, OUT service_point_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT event_id, service_point_id FROM event_session WHERE id = sid
$$;

-- A room is never double-booked. An appointment or session that would hold a room at a
-- time it is already held keeps its time but not the room; the sync_conflict row tells
-- whoever may see it (the Synchronisation page) so the organiser books another room or
-- settles it. The earlier booking keeps the room.
CREATE OR REPLACE FUNCTION desk_room_clash(rid text, self text, starts timestamp,
    ends timestamp) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT 'appointment:' || a.id FROM appointment a
    WHERE a.room_id = rid AND a.id <> self AND a.deleted_at IS NULL
      AND a.status IN ('booked', 'arrived', 'done')
      AND a.starts_at < ends AND a.ends_at > starts
    UNION ALL
    SELECT 'event_session:' || s.id FROM event_session s JOIN event e ON e.id = s.event_id
    WHERE s.room_id = rid AND s.id <> self AND s.deleted_at IS NULL AND NOT s.cancelled
      AND e.status = 'planned' AND e.deleted_at IS NULL
      AND s.starts_at < ends AND s.ends_at > starts
    LIMIT 1
$$;
CREATE OR REPLACE FUNCTION desk_guard_room() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    holds boolean;
    clash text;
BEGIN
    IF NEW.room_id IS NULL OR NEW.deleted_at IS NOT NULL THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'appointment' THEN
        holds := NEW.status IN ('booked', 'arrived', 'done');
    ELSE
        holds := NOT NEW.cancelled AND EXISTS (
            SELECT 1 FROM event e WHERE e.id = NEW.event_id AND e.status = 'planned'
              AND e.deleted_at IS NULL);
    END IF;
    IF NOT holds THEN
        RETURN NEW;
    END IF;
    -- Two desks' pushes booking one room at once: the second waits for the first to
    -- commit, then sees its booking (a new snapshot per statement in this function).
    PERFORM pg_advisory_xact_lock(hashtext('desk-room:' || NEW.room_id));
    clash := desk_room_clash(NEW.room_id, NEW.id, NEW.starts_at, NEW.ends_at);
    IF clash IS NULL THEN
        RETURN NEW;
    END IF;
    INSERT INTO sync_conflict (id, table_name, row_id, field, central_value, client_value,
                               client_node, client_hlc, service_point_id, status, hlc,
                               updated_at, version)
    VALUES (desk_uuid5('{PARTICIPANT_NAMESPACE}', 'room-clash:' || NEW.id || ':' || NEW.hlc
                       || ':' || NEW.room_id),
            TG_TABLE_NAME, NEW.id, 'room_id', 'null', to_jsonb(NEW.room_id)::text,
            session_user::text, NEW.hlc, NEW.service_point_id, 'open', NEW.hlc,
            now() AT TIME ZONE 'utc', 1)
    ON CONFLICT (id) DO NOTHING;
    NEW.room_id := NULL;
    RETURN NEW;
END $$;
CREATE TRIGGER appointment_room_free BEFORE INSERT OR UPDATE ON appointment
    FOR EACH ROW EXECUTE FUNCTION desk_guard_room();
CREATE TRIGGER event_session_room_free BEFORE INSERT OR UPDATE ON event_session
    FOR EACH ROW EXECUTE FUNCTION desk_guard_room();
CREATE TRIGGER event_participant_guard BEFORE INSERT OR UPDATE ON event_participant
    FOR EACH ROW EXECUTE FUNCTION desk_guard_participant();
CREATE TRIGGER event_attendance_guard BEFORE INSERT OR UPDATE ON event_attendance
    FOR EACH ROW EXECUTE FUNCTION desk_guard_attendance();
CREATE TRIGGER event_session_guard BEFORE INSERT OR UPDATE ON event_session
    FOR EACH ROW EXECUTE FUNCTION desk_guard_session();
CREATE TRIGGER event_guard BEFORE UPDATE ON event
    FOR EACH ROW EXECUTE FUNCTION desk_guard_event();

-- A customer merge (c0061): the duplicate's places on event lists and attendances become
-- the real customer's rows under their derived ids (folded into the real customer's own
-- row when there is one: the stronger state wins), the duplicate's rows tombstoned, so a
-- person is still on a list once.
CREATE OR REPLACE FUNCTION desk_participant_rank(st text) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
    SELECT CASE st WHEN 'registered' THEN 4 WHEN 'waiting' THEN 3 WHEN 'invited' THEN 2
                   WHEN 'cancelled' THEN 1 ELSE 0 END
$$;
CREATE OR REPLACE FUNCTION desk_apply_merge_events() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    stamp timestamp := now() AT TIME ZONE 'utc';
BEGIN
    INSERT INTO event_participant AS t (id, event_id, customer_id, service_point_id, status,
                                        invited_by, invited_at, registered_at, updated_at,
                                        hlc, version)
    SELECT desk_uuid5('{PARTICIPANT_NAMESPACE}', p.event_id || ':' || NEW.into_customer_id),
           p.event_id, NEW.into_customer_id, p.service_point_id, p.status, p.invited_by,
           p.invited_at, p.registered_at, stamp, '', 1
    FROM event_participant p
    WHERE p.customer_id = NEW.from_customer_id AND p.deleted_at IS NULL
    ON CONFLICT (id) DO UPDATE SET
        status = CASE WHEN t.deleted_at IS NOT NULL OR desk_participant_rank(EXCLUDED.status)
                           > desk_participant_rank(t.status) THEN EXCLUDED.status
                      ELSE t.status END,
        registered_at = CASE WHEN t.deleted_at IS NOT NULL THEN EXCLUDED.registered_at
                             ELSE least(t.registered_at, EXCLUDED.registered_at) END,
        deleted_at = NULL, updated_at = stamp;
    UPDATE event_participant SET deleted_at = stamp, updated_at = stamp
    WHERE customer_id = NEW.from_customer_id AND deleted_at IS NULL;
    INSERT INTO event_attendance AS t (id, session_id, event_id, customer_id,
                                       service_point_id, attended, checked_in_at,
                                       checked_in_by, via, updated_at, hlc, version)
    SELECT desk_uuid5('{ATTENDANCE_NAMESPACE}', a.session_id || ':' || NEW.into_customer_id),
           a.session_id, a.event_id, NEW.into_customer_id, a.service_point_id, a.attended,
           a.checked_in_at, a.checked_in_by, a.via, stamp, '', 1
    FROM event_attendance a
    WHERE a.customer_id = NEW.from_customer_id AND a.deleted_at IS NULL
    ON CONFLICT (id) DO UPDATE SET
        attended = (t.attended AND t.deleted_at IS NULL) OR EXCLUDED.attended,
        deleted_at = NULL, updated_at = stamp;
    UPDATE event_attendance SET deleted_at = stamp, updated_at = stamp
    WHERE customer_id = NEW.from_customer_id AND deleted_at IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_merge_apply_events AFTER INSERT ON customer_merge
    FOR EACH ROW EXECUTE FUNCTION desk_apply_merge_events();
CREATE TRIGGER event_participant_merged_into BEFORE INSERT OR UPDATE OF customer_id
    ON event_participant FOR EACH ROW WHEN (NEW.customer_id IS NOT NULL)
    EXECUTE FUNCTION desk_redirect_merged();
CREATE TRIGGER event_attendance_merged_into BEFORE INSERT OR UPDATE OF customer_id
    ON event_attendance FOR EACH ROW WHEN (NEW.customer_id IS NOT NULL)
    EXECUTE FUNCTION desk_redirect_merged();
""".replace("{PARTICIPANT_NAMESPACE}", PARTICIPANT_NAMESPACE).replace(
    "{ATTENDANCE_NAMESPACE}", ATTENDANCE_NAMESPACE)

FUNCTIONS = ("desk_event_organiser(text)", "desk_guard_participant()",
             "desk_guard_attendance()", "desk_guard_session()", "desk_event_point(text)",
             "desk_session_of(text)", "desk_guard_room()", "desk_apply_merge_events()",
             "desk_guard_event()", "desk_event_listed(text)",
             "desk_participant_rank(text)")
# Called only by desk_guard_room (as the owner): granted to nobody, so no login can probe
# which rooms are held when, or by which rows of other points.
PRIVATE = ("desk_room_clash(text, text, timestamp, timestamp)",)


def upgrade() -> None:
    create_tables(op, local=False)
    add_columns(op)
    op.create_index("ix_appointment_room", "appointment", ["room_id", "starts_at"])
    for table in TABLES:
        make_synced(op, table)
    op.execute(FUNCTIONS_SQL)
    for table, rules in POLICIES.items():
        names = "customer_id" if table in ("event_participant", "event_attendance") else None
        trust.protect_customer_rows(op, table, rules, names_customer=names)
    # The desk reads rooms, events, sessions and themes but never writes them.
    op.execute("REVOKE INSERT, UPDATE ON room, event, event_session, annual_theme "
               "FROM desk_desk")
    op.bulk_insert(sa.table("role_permission", sa.column("role"), sa.column("permission")),
                   [{"role": role, "permission": p} for role, ps in NEW_PERMISSIONS.items()
                    for p in ps])
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} OWNER TO {OWNER}")
    for signature in FUNCTIONS + PRIVATE:
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
    for signature in FUNCTIONS:
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {GROUPS}")


def downgrade() -> None:
    raise NotImplementedError("c0100 adds rights and guarded tables: restore the backup "
                              "taken before the upgrade")
