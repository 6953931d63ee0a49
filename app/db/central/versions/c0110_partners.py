"""multi-professional work: partners, consents, meeting participants and tasks, plan types

Revision ID: c0110
Revises: c0105

The partner register (organisations and their people) is the area's: every active staff
member reads it, `partner.manage` keeps it. A customer's consent to share with a partner
is read by whoever sees the customer and recorded or withdrawn with `consent.record` by
whoever is in charge of the customer; a withdrawal is never undone. Meeting participants
and tasks, and a plan's participants, are case work (plan.read / plan.edit). A partner
person is added to a meeting or a plan only under the customer's consent in force that
covers plans and meetings (desk_consent_active, the same rule as app/rules/partners.py),
whatever the workstation says. Each table follows docs/central-trust.md.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import central_trust as trust
from app.db.central_ddl import make_synced
from app.db.erasure_ddl import central_trigger_sql, guard_functions
from app.db.partner_ddl import TABLES, add_plan_version_columns, create_tables
from app.rules.erasure import SCRUB
from app.rules.partners import PARTICIPANT_NAMESPACE

revision: str = "c0110"
down_revision: str | Sequence[str] | None = "c0105"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "desk_desk, desk_coach, desk_team_lead, desk_admin"
OWNER = "desk_owner"
NEW_PERMISSIONS = {role: ("partner.manage", "consent.record")
                   for role in ("coach", "team_lead", "admin")}

CASE_VERSION = "desk_version_customer(plan_version_id)"
POLICIES = {
    "partner_org": {"select": trust.ACTIVE, "write": "desk_may('partner.manage')"},
    "partner_person": {"select": trust.ACTIVE, "write": "desk_may('partner.manage')"},
    "customer_consent": {"select": "desk_customer_visible(customer_id)",
                         "write": "(desk_may('consent.record') "
                                  "AND desk_customer_in_charge(customer_id))"},
    "meeting_participant": trust._case("customer_id", "plan.read", "plan.edit"),
    "meeting_task": trust._case("customer_id", "plan.read", "plan.edit"),
    "plan_participant": trust._case(CASE_VERSION, "plan.read", "plan.edit"),
}
NAMES_CUSTOMER = ("customer_consent", "meeting_participant", "meeting_task")

GUARDS_SQL = """
-- The customer's consent to share `info` with partner organisation `org` is in force on
-- `day` (given by then, not expired, not withdrawn on or before it): rules/partners.py.
CREATE OR REPLACE FUNCTION desk_consent_active(cid text, org text, info text, day date)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM customer_consent c
                   WHERE c.customer_id = cid AND c.partner_org_id = org
                   AND c.deleted_at IS NULL
                   AND info = ANY (string_to_array(c.information, ','))
                   AND c.valid_from <= day
                   AND (c.valid_until IS NULL OR c.valid_until >= day)
                   AND (c.withdrawn_on IS NULL OR c.withdrawn_on > day))
$$;
CREATE OR REPLACE FUNCTION desk_helsinki_today() RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (now() AT TIME ZONE 'Europe/Helsinki')::date
$$;
CREATE OR REPLACE FUNCTION desk_person_org(pid text) RETURNS text LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT partner_org_id FROM partner_person WHERE id = pid
$$;

-- A consent names its customer and partner for good (a merge moves it); its recorder
-- and withdrawer are the connected staff; once withdrawn it stays so and stays as it
-- was (a new consent is a new row), but for an erasure's scrub.
CREATE OR REPLACE FUNCTION desk_guard_consent() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    mutable text[] := ARRAY['version', 'hlc', 'updated_at', 'updated_by', 'row_tx'];
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.recorded_by := desk_staff_id();
        IF NEW.withdrawn_on IS NOT NULL THEN
            NEW.withdrawn_by := desk_staff_id();
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.customer_id IS DISTINCT FROM OLD.customer_id THEN
        IF NOT desk_may('customer.merge') THEN
            RAISE EXCEPTION 'a consent moves to another customer only in a merge'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        mutable := mutable || ARRAY['customer_id'];
    END IF;
    IF NEW.partner_org_id IS DISTINCT FROM OLD.partner_org_id THEN
        RAISE EXCEPTION 'a consent is given to one partner: record a new one'
            USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.withdrawn_on IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM customer WHERE id = OLD.customer_id
                   AND erased_at IS NOT NULL) THEN
            mutable := mutable || ARRAY['purpose', 'deleted_at'];
        END IF;
        IF (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable) THEN
            RAISE EXCEPTION 'a withdrawn consent stays withdrawn: record a new one'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    -- Who recorded it stays so; who withdrew it is whoever withdraws it.
    NEW.recorded_by := OLD.recorded_by;
    IF NEW.withdrawn_on IS NOT NULL THEN
        NEW.withdrawn_by := desk_staff_id();
    ELSE
        NEW.withdrawn_by := NULL;
    END IF;
    RETURN NEW;
END $$;

-- A partner person stays with their organisation (the consent asked when they joined a
-- meeting or a plan was for it): someone who moved is a new person there.
CREATE OR REPLACE FUNCTION desk_guard_partner_person() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF desk_staff_id() IS NOT NULL
            AND NEW.partner_org_id IS DISTINCT FROM OLD.partner_org_id THEN
        RAISE EXCEPTION 'a partner person stays with their organisation: add them to the '
                        'new one as a new person'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- A meeting's participant: its id from the meeting and the person, its customer the
-- meeting's; a partner person only under the customer's consent for their organisation
-- covering plans and meetings, on the day it is written.
CREATE OR REPLACE FUNCTION desk_guard_meeting_participant() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    appointment_customer text;
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF NEW.id <> desk_uuid5('{PARTICIPANT_NAMESPACE}', NEW.appointment_id || ':'
                            || coalesce(NEW.partner_person_id, NEW.staff_id)) THEN
        RAISE EXCEPTION 'a meeting participant has the id of its meeting and person'
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT customer_id INTO appointment_customer FROM appointment
    WHERE id = NEW.appointment_id;
    IF TG_OP = 'INSERT' AND appointment_customer IS NOT NULL THEN
        NEW.customer_id := appointment_customer;
    END IF;
    -- It stays the meeting's customer's: moved only with its meeting, or in a merge.
    IF TG_OP = 'UPDATE' AND NEW.customer_id IS DISTINCT FROM OLD.customer_id
            AND NEW.customer_id IS DISTINCT FROM appointment_customer
            AND NOT desk_may('customer.merge') THEN
        RAISE EXCEPTION 'a participant moves to another customer only with its meeting'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- The consent asked is the meeting's customer's (never one the row is pointed at).
    IF NEW.partner_person_id IS NOT NULL AND NEW.deleted_at IS NULL
            AND (TG_OP = 'INSERT' OR OLD.deleted_at IS NOT NULL)
            AND NOT desk_consent_active(coalesce(appointment_customer, NEW.customer_id),
                                        desk_person_org(NEW.partner_person_id), 'plan',
                                        desk_helsinki_today()) THEN
        RAISE EXCEPTION 'the customer has not consented to share with this partner'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

-- A task belongs to a participant of the same meeting, and to the meeting's customer.
CREATE OR REPLACE FUNCTION desk_guard_meeting_task() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    participant_meeting text;
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT appointment_id INTO participant_meeting FROM meeting_participant
    WHERE id = NEW.participant_id;
    IF participant_meeting IS DISTINCT FROM NEW.appointment_id THEN
        RAISE EXCEPTION 'a task is for a participant of its meeting'
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.customer_id := coalesce((SELECT customer_id FROM appointment
                                     WHERE id = NEW.appointment_id), NEW.customer_id);
    ELSIF NEW.customer_id IS DISTINCT FROM OLD.customer_id
            AND NEW.customer_id IS DISTINCT FROM (SELECT customer_id FROM appointment
                                                  WHERE id = NEW.appointment_id)
            AND NOT desk_may('customer.merge') THEN
        RAISE EXCEPTION 'a task moves to another customer only with its meeting'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

-- A partner person is written into a plan only under the customer's consent in force.
CREATE OR REPLACE FUNCTION desk_guard_plan_participant() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF desk_staff_id() IS NULL OR NEW.partner_person_id IS NULL
            OR NEW.deleted_at IS NOT NULL THEN
        RETURN NEW;
    END IF;
    IF (TG_OP = 'INSERT' OR OLD.deleted_at IS NOT NULL
            OR NEW.partner_person_id IS DISTINCT FROM OLD.partner_person_id
            OR NEW.plan_version_id IS DISTINCT FROM OLD.plan_version_id)
            AND NOT desk_consent_active(desk_version_customer(NEW.plan_version_id),
                                        desk_person_org(NEW.partner_person_id), 'plan',
                                        desk_helsinki_today()) THEN
        RAISE EXCEPTION 'the customer has not consented to share with this partner'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER partner_person_guard BEFORE UPDATE OF partner_org_id ON partner_person
    FOR EACH ROW EXECUTE FUNCTION desk_guard_partner_person();
CREATE TRIGGER customer_consent_guard BEFORE INSERT OR UPDATE ON customer_consent
    FOR EACH ROW EXECUTE FUNCTION desk_guard_consent();
CREATE TRIGGER meeting_participant_guard BEFORE INSERT OR UPDATE ON meeting_participant
    FOR EACH ROW EXECUTE FUNCTION desk_guard_meeting_participant();
CREATE TRIGGER meeting_task_guard BEFORE INSERT OR UPDATE ON meeting_task
    FOR EACH ROW EXECUTE FUNCTION desk_guard_meeting_task();
CREATE TRIGGER plan_participant_guard BEFORE INSERT OR UPDATE ON plan_participant
    FOR EACH ROW EXECUTE FUNCTION desk_guard_plan_participant();

-- A customer merge (c0061) moves the duplicate's consents, meeting participants and
-- tasks to the real customer (plan participants follow their plans).
CREATE OR REPLACE FUNCTION desk_apply_merge_partners() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    stamp timestamp := now() AT TIME ZONE 'utc';
BEGIN
    UPDATE customer_consent SET customer_id = NEW.into_customer_id, updated_at = stamp
    WHERE customer_id = NEW.from_customer_id;
    UPDATE meeting_participant SET customer_id = NEW.into_customer_id, updated_at = stamp
    WHERE customer_id = NEW.from_customer_id;
    UPDATE meeting_task SET customer_id = NEW.into_customer_id, updated_at = stamp
    WHERE customer_id = NEW.from_customer_id;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_merge_apply_partners AFTER INSERT ON customer_merge
    FOR EACH ROW EXECUTE FUNCTION desk_apply_merge_partners();
CREATE TRIGGER customer_consent_merged_into BEFORE INSERT OR UPDATE OF customer_id
    ON customer_consent FOR EACH ROW WHEN (NEW.customer_id IS NOT NULL)
    EXECUTE FUNCTION desk_redirect_merged();
CREATE TRIGGER meeting_participant_merged_into BEFORE INSERT OR UPDATE OF customer_id
    ON meeting_participant FOR EACH ROW WHEN (NEW.customer_id IS NOT NULL)
    EXECUTE FUNCTION desk_redirect_merged();
CREATE TRIGGER meeting_task_merged_into BEFORE INSERT OR UPDATE OF customer_id
    ON meeting_task FOR EACH ROW WHEN (NEW.customer_id IS NOT NULL)
    EXECUTE FUNCTION desk_redirect_merged();
""".replace("{PARTICIPANT_NAMESPACE}", PARTICIPANT_NAMESPACE)

FUNCTIONS = ("desk_consent_active(text, text, text, date)", "desk_helsinki_today()",
             "desk_person_org(text)", "desk_guard_consent()", "desk_guard_partner_person()",
             "desk_guard_meeting_participant()", "desk_guard_meeting_task()",
             "desk_guard_plan_participant()", "desk_apply_merge_partners()")
# Asked only by the guards (with their owner's rights): called straight by a staff login
# it would tell whether a customer they do not see consented to share with a partner.
GUARDS_ONLY = ("desk_consent_active(text, text, text, date)",)
SCRUBBED = ("customer_consent", "meeting_participant", "meeting_task", "plan_participant",
            "plan_version")


def upgrade() -> None:
    create_tables(op, local=False)
    add_plan_version_columns(op)
    for table in TABLES:
        make_synced(op, table)
    op.execute(GUARDS_SQL)
    for table, rules in POLICIES.items():
        names = "customer_id" if table in NAMES_CUSTOMER else None
        trust.protect_customer_rows(op, table, rules, names_customer=names)
    # The register is kept with partner.manage, consents with consent.record: the desk
    # group has neither, so its grants go too (its policies would refuse anyway).
    for table in ("partner_org", "partner_person", "customer_consent",
                  "meeting_participant", "meeting_task", "plan_participant"):
        op.execute(f"REVOKE INSERT, UPDATE ON {table} FROM desk_desk")
    op.bulk_insert(sa.table("role_permission", sa.column("role"), sa.column("permission")),
                   [{"role": role, "permission": p} for role, ps in NEW_PERMISSIONS.items()
                    for p in ps])
    # An erasure scrubs consents, tasks, what a participant said and each plan type's
    # own text (rules/erasure.py SCRUB).
    op.execute(central_trigger_sql(SCRUB, replace=True))
    guards = guard_functions([e for e in SCRUB if e[0] in SCRUBBED and e[0] != "plan_version"])
    for _name, create, trigger in guards:
        op.execute(create)
        op.execute(trigger)
    # plan_version's scrub guard (c0050) is made again with its new columns.
    (_name, create, _trigger), = guard_functions([e for e in SCRUB if e[0] == "plan_version"])
    op.execute(create.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} OWNER TO {OWNER}")
    for signature in FUNCTIONS + tuple(name for name, _c, _t in guards):
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
        if signature in GUARDS_ONLY:
            continue
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {GROUPS}, desk_messenger")


def downgrade() -> None:
    raise NotImplementedError("c0110 adds rights and guarded tables: restore the backup "
                              "taken before the upgrade")
