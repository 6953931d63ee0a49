"""messages to customers: contact preferences, messages, templates, the messenger

Revision ID: c0105
Revises: c0100

A customer's contact preferences are read by whoever sees the customer and recorded by
whoever may edit them. Messages are read (`message.read`) by whoever sees the customer;
a worker asks for a letter, the plan or its password (`message.send`; the plan and its
password also `plan.print`) and decides on a failed or held one, and nothing else: what
was sent, where and when is the messenger's to write (a guard). Templates are the area's
(`settings.edit`); the heartbeat is the messenger's alone.

The messenger is a group role of its own, `desk_messenger` (a login is made with `python
-m app.cli central messenger-login`): it reads what messages are made from (only the
contact columns of the customer) and writes messages and its heartbeat, nothing else.
The plan's password is never readable by the desk group (central_trust.WITHHELD).
Each table follows docs/central-trust.md.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import central_trust as trust
from app.db.central_ddl import make_synced
from app.db.erasure_ddl import central_trigger_sql, guard_functions
from app.db.message_ddl import TABLES, create_tables
from app.rules.erasure import SCRUB
from app.rules.messages import PREFERENCE_NAMESPACE, TEMPLATE_NAMESPACE

revision: str = "c0105"
down_revision: str | Sequence[str] | None = "c0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "desk_desk, desk_coach, desk_team_lead, desk_admin"
OWNER = "desk_owner"
MESSENGER = "desk_messenger"
NEW_PERMISSIONS = {role: ("message.read", "message.send")
                   for role in ("desk", "coach", "team_lead", "admin")}

SEES = "desk_customer_visible(customer_id)"
POLICIES = {
    "contact_preference": {"select": SEES,
                           "write": f"(desk_may('customer.edit') AND {SEES})"},
    "message": {"select": f"(desk_may('message.read') AND {SEES})",
                "write": f"(desk_may('message.send') AND {SEES})"},
    "message_template": {"select": trust.ACTIVE, "write": "desk_may('settings.edit')"},
    "messenger_heartbeat": {"select": trust.ACTIVE},
}
# What the messenger reads to make and send messages; of the customer only these columns.
MESSENGER_READS = ("contact_preference", "message", "message_template",
                   "messenger_heartbeat", "service_point", "area_setting",
                   "event_session", "event_participant", "customer_merge")
# Of these, only the columns the messenger uses (no free text: an appointment's cancel
# reason, an event's description).
COLUMNS = {
    "customer": ("id", "language", "phone", "email", "service_point_id", "active",
                 "erased_at", "deleted_at", "version", "row_tx"),
    "appointment": ("id", "customer_id", "service_point_id", "status", "starts_at",
                    "ends_at", "channel", "video_link", "rescheduled_from_id", "hlc",
                    "deleted_at", "version", "row_tx"),
    "event": ("id", "service_point_id", "status", "title", "language", "online_link",
              "deleted_at", "version", "row_tx"),
}

GUARDS_SQL = """
-- One preference per customer (its id from the customer, rules/messages.py).
CREATE OR REPLACE FUNCTION desk_guard_preference() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.id <> desk_uuid5('{PREFERENCE_NAMESPACE}', NEW.customer_id) THEN
            RAISE EXCEPTION 'a contact preference has the id of its customer'
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.customer_id IS DISTINCT FROM OLD.customer_id AND NOT desk_may('customer.merge')
            THEN
        RAISE EXCEPTION 'a contact preference moves to another customer only in a merge'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

-- One template per kind, channel and language.
CREATE OR REPLACE FUNCTION desk_guard_template() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF NEW.id <> desk_uuid5('{TEMPLATE_NAMESPACE}',
                            NEW.kind || ':' || NEW.channel || ':' || NEW.language) THEN
        RAISE EXCEPTION 'a template has the id of its kind, channel and language'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- A worker asks for a letter, the plan or its password, queued, in their own name; and
-- later only decides on it (rules/messages.py PERSON_MOVES). What was sent, where and
-- when is the messenger's (its login has no staff row: the guard lets it pass).
CREATE OR REPLACE FUNCTION desk_guard_message() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    mutable text[] := ARRAY['status', 'decided_by', 'due_at', 'error', 'version',
                                     'hlc', 'updated_at', 'updated_by', 'row_tx'];
    moves boolean;
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.kind NOT IN ('letter', 'plan', 'password') OR NEW.status <> 'queued'
                OR NEW.attempts <> 0 OR NEW.sent_at IS NOT NULL
                OR NEW.delivered_at IS NOT NULL OR NEW.channel_ref IS NOT NULL
                OR NEW.claimed_by IS NOT NULL OR NEW.recipient IS NOT NULL
                OR (NEW.kind = 'password') <> (NEW.channel = 'sms')
                OR (NEW.kind <> 'password' AND NEW.channel <> 'email') THEN
            RAISE EXCEPTION 'a worker asks only for a letter, the plan or its password, '
                'queued' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.kind IN ('plan', 'password') AND NOT desk_may('plan.print') THEN
            RAISE EXCEPTION 'the plan is sent only by those who may print it'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        NEW.requested_by := desk_staff_id();
        RETURN NEW;
    END IF;
    IF NEW.customer_id IS DISTINCT FROM OLD.customer_id THEN
        IF NOT desk_may('customer.merge') THEN
            RAISE EXCEPTION 'a message moves to another customer only in a merge'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        mutable := mutable || ARRAY['customer_id'];
    END IF;
    -- An erasure (desk_erase_customer, in the erasing administrator's session) clears
    -- where it went and what it said (rules/erasure.py SCRUB). Security definer: the
    -- customer row is read whoever writes.
    IF EXISTS (SELECT 1 FROM customer WHERE id = OLD.customer_id
               AND erased_at IS NOT NULL) THEN
        mutable := mutable || ARRAY['recipient', 'subject', 'body', 'attachment',
                                    'attachment_name', 'secret'];
    END IF;
    IF (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable) THEN
        RAISE EXCEPTION 'only the messenger records what was sent'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        moves := CASE
            WHEN OLD.channel = 'print' THEN OLD.status = 'queued'
                                            AND NEW.status IN ('printed', 'cancelled')
            WHEN OLD.status = 'failed' THEN NEW.status IN ('queued', 'cancelled')
            WHEN OLD.status = 'held' THEN NEW.status IN ('queued', 'sent', 'cancelled')
            WHEN OLD.status = 'queued' THEN NEW.status = 'cancelled'
            ELSE false END;
        IF NOT moves THEN
            RAISE EXCEPTION 'a message cannot go from % to %', OLD.status, NEW.status
                USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.kind IN ('plan', 'password') AND NOT desk_may('plan.print') THEN
            RAISE EXCEPTION 'the plan''s messages are handled only by those who may print it'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        NEW.decided_by := desk_staff_id();
    END IF;
    -- A person moves the time only to send again now.
    IF NEW.due_at IS DISTINCT FROM OLD.due_at AND NEW.status <> 'queued' THEN
        RAISE EXCEPTION 'a message''s time changes only when it is queued again'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER contact_preference_guard BEFORE INSERT OR UPDATE ON contact_preference
    FOR EACH ROW EXECUTE FUNCTION desk_guard_preference();
CREATE TRIGGER message_template_guard BEFORE INSERT OR UPDATE ON message_template
    FOR EACH ROW EXECUTE FUNCTION desk_guard_template();
CREATE TRIGGER message_guard BEFORE INSERT OR UPDATE ON message
    FOR EACH ROW EXECUTE FUNCTION desk_guard_message();

-- A customer merge (c0061) moves the duplicate's messages to the real customer and
-- keeps the real customer's preferences (the duplicate's when the real one has none).
CREATE OR REPLACE FUNCTION desk_apply_merge_messages() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    stamp timestamp := now() AT TIME ZONE 'utc';
BEGIN
    UPDATE message SET customer_id = NEW.into_customer_id, updated_at = stamp
    WHERE customer_id = NEW.from_customer_id;
    INSERT INTO contact_preference AS t (id, customer_id, sms, email, opted_out, language,
                                         given_how, given_on, recorded_by, updated_at,
                                         hlc, version)
    SELECT desk_uuid5('{PREFERENCE_NAMESPACE}', NEW.into_customer_id), NEW.into_customer_id,
           p.sms, p.email, p.opted_out, p.language, p.given_how, p.given_on, p.recorded_by,
           stamp, '', 1
    FROM contact_preference p
    WHERE p.customer_id = NEW.from_customer_id AND p.deleted_at IS NULL
    ON CONFLICT (id) DO UPDATE SET
        -- A tombstoned one takes the duplicate's; a live one is kept, with the
        -- duplicate's opt-out if it had one (no one is messaged who said no).
        sms = CASE WHEN t.deleted_at IS NOT NULL THEN EXCLUDED.sms
                   ELSE t.sms AND NOT EXCLUDED.opted_out END,
        email = CASE WHEN t.deleted_at IS NOT NULL THEN EXCLUDED.email
                     ELSE t.email AND NOT EXCLUDED.opted_out END,
        opted_out = CASE WHEN t.deleted_at IS NOT NULL THEN EXCLUDED.opted_out
                         ELSE t.opted_out OR EXCLUDED.opted_out END,
        language = CASE WHEN t.deleted_at IS NOT NULL THEN EXCLUDED.language
                        ELSE t.language END,
        given_how = CASE WHEN t.deleted_at IS NOT NULL THEN EXCLUDED.given_how
                         ELSE t.given_how END,
        given_on = CASE WHEN t.deleted_at IS NOT NULL THEN EXCLUDED.given_on
                        ELSE t.given_on END,
        recorded_by = CASE WHEN t.deleted_at IS NOT NULL THEN EXCLUDED.recorded_by
                           ELSE t.recorded_by END,
        deleted_at = NULL, updated_at = stamp;
    UPDATE contact_preference SET deleted_at = stamp, updated_at = stamp
    WHERE customer_id = NEW.from_customer_id AND deleted_at IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_merge_apply_messages AFTER INSERT ON customer_merge
    FOR EACH ROW EXECUTE FUNCTION desk_apply_merge_messages();
CREATE TRIGGER message_merged_into BEFORE INSERT OR UPDATE OF customer_id
    ON message FOR EACH ROW WHEN (NEW.customer_id IS NOT NULL)
    EXECUTE FUNCTION desk_redirect_merged();
""".replace("{PREFERENCE_NAMESPACE}", PREFERENCE_NAMESPACE).replace(
    "{TEMPLATE_NAMESPACE}", TEMPLATE_NAMESPACE)

FUNCTIONS = ("desk_guard_preference()", "desk_guard_template()", "desk_guard_message()",
             "desk_apply_merge_messages()")


def _create_messenger_role() -> None:
    """A group role, as the staff groups (c0040): roles are the cluster's, so another
    area's database may have made it already."""
    op.execute(f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{MESSENGER}') THEN
                CREATE ROLE {MESSENGER} NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$;
    """)


def _messenger_rights() -> None:
    op.execute(f"GRANT USAGE ON SCHEMA public TO {MESSENGER}")  # c0050 took it from PUBLIC
    for table in MESSENGER_READS:
        op.execute(f"GRANT SELECT ON {table} TO {MESSENGER}")
        op.execute(f"CREATE POLICY messenger_read ON {table} FOR SELECT TO {MESSENGER} "
                   f"USING (true)")
    for table, columns in COLUMNS.items():
        op.execute(f"GRANT SELECT ({', '.join(columns)}) ON {table} TO {MESSENGER}")
        op.execute(f"CREATE POLICY messenger_read ON {table} FOR SELECT TO {MESSENGER} "
                   f"USING (true)")
    for table in ("message", "messenger_heartbeat"):
        op.execute(f"GRANT INSERT, UPDATE ON {table} TO {MESSENGER}")
        op.execute(f"CREATE POLICY messenger_insert ON {table} FOR INSERT TO {MESSENGER} "
                   f"WITH CHECK (true)")
        op.execute(f"CREATE POLICY messenger_update ON {table} FOR UPDATE TO {MESSENGER} "
                   f"USING (true) WITH CHECK (true)")
    # The policy helpers and triggers its writes run (the stamp, the guards) call the
    # same functions as the staff groups' writes do.
    op.execute(f"""
        DO $$ DECLARE f record; BEGIN
            FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
                     JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = 'public'
                       AND has_function_privilege('desk_desk', p.oid, 'EXECUTE') LOOP
                EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO {MESSENGER}', f.sig);
            END LOOP;
        END $$;
    """)
    database = op.get_bind().exec_driver_sql("SELECT current_database()").scalar()
    op.execute(f'GRANT CONNECT ON DATABASE "{database}" TO {MESSENGER}')


def upgrade() -> None:
    _create_messenger_role()
    create_tables(op, local=False)
    for table in TABLES:
        make_synced(op, table)
    op.execute(GUARDS_SQL)
    for table, rules in POLICIES.items():
        names = "customer_id" if table in ("contact_preference", "message") else None
        trust.protect_customer_rows(op, table, rules, names_customer=names)
    # The heartbeat is the messenger's alone; templates are kept by settings.edit (the
    # desk group lacks it: its grants go too).
    op.execute(f"REVOKE INSERT, UPDATE ON messenger_heartbeat FROM {GROUPS}")
    op.execute("REVOKE INSERT, UPDATE ON message_template FROM desk_desk")
    # The plan's password: never readable by the desk group (central_trust.WITHHELD).
    conn = op.get_bind()
    for table, groups in trust.WITHHELD.items():
        if table not in TABLES:
            continue
        columns = [c for c in conn.execute(sa.text(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "'public' AND table_name = :t ORDER BY ordinal_position"), {"t": table}).scalars()]
        for group, hidden in groups.items():
            shown = ", ".join(f'"{c}"' for c in columns if c not in hidden)
            op.execute(f"REVOKE SELECT ON {table} FROM {group}")
            op.execute(f"GRANT SELECT ({shown}) ON {table} TO {group}")
    op.bulk_insert(sa.table("role_permission", sa.column("role"), sa.column("permission")),
                   [{"role": role, "permission": p} for role, ps in NEW_PERMISSIONS.items()
                    for p in ps])
    # An erasure clears where messages went and what they said, and the preferences.
    op.execute(central_trigger_sql(SCRUB, replace=True))
    guards = guard_functions([e for e in SCRUB if e[0] in ("message", "contact_preference")])
    for _name, create, trigger in guards:
        op.execute(create)
        op.execute(trigger)
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} OWNER TO {OWNER}")
    for signature in FUNCTIONS + tuple(name for name, _c, _t in guards):
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {GROUPS}, {MESSENGER}")
    _messenger_rights()


def downgrade() -> None:
    raise NotImplementedError("c0105 adds rights and guarded tables: restore the backup "
                              "taken before the upgrade")
