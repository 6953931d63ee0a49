"""the queue's services as data, and a partner's desk in the queue

Revision ID: c0120
Revises: c0115

Each point's queue services are rows (queue_service), kept by administrators
(staff.manage) and read by every active staff member; the built-in services of each
existing point become rows with the ids the workstations give them too (app/rules/
queue.py). A ticket names its service (queue_ticket.queue_service_id).

A partner's service is served at that partner's desks: a partner's login (desk_partner)
reads and moves forward only today's (and yesterday's) tickets waiting for its own
organisation's services, changing only their progress, and keeps only its own desk
duty. A service keeps its point, code and server for good (desk_guard_queue_service). A ticket that names a customer reaches a partner's
service only under the customer's consent to that partner covering identity and contact
details, whatever the workstation says (desk_guard_ticket_partner).

Upgraded centres also re-create the customer guard (`desk_guard_customer`), so that its
retention check sees the tables added since c0080, as a fresh install's does.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import central_trust as trust
from app.db.central_ddl import make_synced
from app.db.queue_service_ddl import create_table, seed_built_in

revision: str = "c0120"
down_revision: str | Sequence[str] | None = "c0115"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "desk_desk, desk_coach, desk_team_lead, desk_admin"
PARTNER = "desk_partner"
OWNER = "desk_owner"

FUNCTIONS_SQL = """
-- The service `sid` is the connected partner's own organisation's.
CREATE OR REPLACE FUNCTION desk_partner_service(sid text) RETURNS boolean LANGUAGE sql
STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT sid IS NOT NULL AND desk_staff_partner() IS NOT NULL AND EXISTS (
        SELECT 1 FROM queue_service WHERE id = sid
        AND partner_org_id = desk_staff_partner())
$$;

-- A ticket that names a customer goes to a partner's service only under the customer's
-- consent to that partner covering identity and contact (its desk sees who it calls).
CREATE OR REPLACE FUNCTION desk_guard_ticket_partner() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    org text;
BEGIN
    IF desk_staff_id() IS NULL OR NEW.customer_id IS NULL
            OR NEW.queue_service_id IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.queue_service_id IS NOT DISTINCT FROM OLD.queue_service_id
            AND NEW.customer_id IS NOT DISTINCT FROM OLD.customer_id THEN
        RETURN NEW;
    END IF;
    -- A merge moving the duplicate's tickets to the real customer shares nothing new
    -- (c0061 desk_apply_customer_merge, or a workstation's own merge pushed), nor does
    -- anything done to a ticket of a day gone by.
    IF TG_OP = 'UPDATE' AND NEW.queue_service_id IS NOT DISTINCT FROM OLD.queue_service_id
            AND (NEW.ticket_date < desk_helsinki_today() OR EXISTS (
                SELECT 1 FROM customer_merge WHERE from_customer_id = OLD.customer_id
                AND into_customer_id = NEW.customer_id)) THEN
        RETURN NEW;
    END IF;
    SELECT partner_org_id INTO org FROM queue_service WHERE id = NEW.queue_service_id;
    IF org IS NOT NULL AND NOT desk_consent_active(NEW.customer_id, org, 'contact',
                                                   desk_helsinki_today()) THEN
        RAISE EXCEPTION 'the customer has not consented to share with this partner'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER queue_ticket_partner_guard BEFORE INSERT OR UPDATE ON queue_ticket
    FOR EACH ROW EXECUTE FUNCTION desk_guard_ticket_partner();

-- A service keeps its point, its code (tickets and desk duties name it) and who serves it
-- (a partner's reach is its services' tickets, the earlier ones too, shared with that
-- partner only): another server is another service.
CREATE OR REPLACE FUNCTION desk_guard_queue_service() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF desk_staff_id() IS NOT NULL AND (
            NEW.service_point_id IS DISTINCT FROM OLD.service_point_id
            OR NEW.code IS DISTINCT FROM OLD.code
            OR NEW.partner_org_id IS DISTINCT FROM OLD.partner_org_id) THEN
        RAISE EXCEPTION 'a queue service keeps its point, code and server: add a new one'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER queue_service_guard BEFORE UPDATE ON queue_service
    FOR EACH ROW EXECUTE FUNCTION desk_guard_queue_service();
"""
FUNCTIONS = ("desk_partner_service(text)", "desk_guard_ticket_partner()",
             "desk_guard_queue_service()")
# What a partner's desk changes of its tickets: their progress (rules/queue.py), and the
# sync's own bookkeeping. Nothing else: not the customer, the notes, the service.
PARTNER_TICKET_COLUMNS = ("state", "leg", "recalls", "called_at", "first_called_at",
                          "service_started_at", "finished_at", "desk", "served_by",
                          "hlc", "version", "updated_at", "updated_by")


def upgrade() -> None:
    create_table(op, local=False)
    make_synced(op, "queue_service")
    seed_built_in(op)
    trust.protect_customer_rows(
        op, "queue_service", {"select": trust.ACTIVE, "write": "desk_may('staff.manage')"},
        names_customer=None)
    op.execute("REVOKE INSERT, UPDATE ON queue_service FROM desk_desk")
    op.execute("ALTER TABLE queue_service OWNER TO " + OWNER)
    op.execute(FUNCTIONS_SQL)
    for signature in FUNCTIONS:
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {GROUPS}, {PARTNER}, "
                   f"desk_messenger")
    # A partner's desk: its organisation's services' tickets, its own duty.
    op.execute(f"GRANT SELECT ON queue_service TO {PARTNER}")
    op.execute(f"GRANT SELECT ON queue_ticket TO {PARTNER}")
    op.execute(f"GRANT UPDATE ({', '.join(PARTNER_TICKET_COLUMNS)}) ON queue_ticket "
               f"TO {PARTNER}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON desk_duty TO {PARTNER}")
    # Its own services' tickets of today (and yesterday's, for a late finish pushed
    # after midnight): never the history of the service.
    op.execute(f"CREATE POLICY partner_own_service ON queue_ticket AS RESTRICTIVE FOR ALL "
               f"TO {PARTNER} USING (desk_partner_service(queue_service_id) "
               f"AND ticket_date >= desk_helsinki_today() - 1) "
               f"WITH CHECK (desk_partner_service(queue_service_id))")
    op.execute(f"CREATE POLICY partner_own_duty ON desk_duty AS RESTRICTIVE FOR ALL "
               f"TO {PARTNER} USING (staff_id = desk_staff_id()) "
               f"WITH CHECK (staff_id = desk_staff_id())")
    op.bulk_insert(sa.table("role_permission", sa.column("role"), sa.column("permission")),
                   [{"role": "partner", "permission": "queue.serve"}])
    # Upgraded centres: the customer guard's retention check made again over every
    # table the erasure rules name now (c0095 to c0115 added some), as a fresh install's.
    op.execute(trust.customer_guard_sql())


def downgrade() -> None:
    raise NotImplementedError("c0120 adds rights and a guarded table: restore the backup "
                              "taken before the upgrade")
