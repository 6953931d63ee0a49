"""the partner role: a partner organisation's worker with a limited staff account

Revision ID: c0115
Revises: c0110

A partner who works at the service point (a school's career counsellor at Osaamo) signs
in with a staff account of role `partner`, a member of the group role `desk_partner`. The
group reads only the area's reference data, the partner register, and customers and their
plans: a customer only while the customer's consent to share with the partner's own
organisation is in force and covers identity and contact details; their plans, meetings
and plan participants only when it also covers plans and meetings; of the consents only
those given to their own organisation. It writes nothing but its own trail (the audit of
what it opened) and its sync bookkeeping. The consent is checked by the policies
themselves (desk_partner_consents), so the line holds whatever the workstation does.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import central_trust as trust

revision: str = "c0115"
down_revision: str | Sequence[str] | None = "c0110"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTNER = "desk_partner"
GROUPS = "desk_desk, desk_coach, desk_team_lead, desk_admin"
OWNER = "desk_owner"
ROLES = ("desk", "coach", "team_lead", "admin", "partner")
PERMISSIONS = ("sync.run", "partner.read")
# What the group reads (row-level security narrows the customer's rows further).
READS = ("service_point", "team", "staff", "area_setting", "role_permission",
         "partner_org", "partner_person", "customer", "customer_consent", "plan",
         "plan_version", "plan_goal", "plan_action", "plan_service", "plan_participant",
         "meeting_participant", "meeting_task", "applied_mutation", "sync_conflict",
         "customer_reach")
APPENDS = ("audit_event", "applied_mutation", "sync_conflict")

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION desk_staff_partner() RETURNS text LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT partner_org_id FROM staff
    WHERE username = session_user::text AND active AND deleted_at IS NULL
    AND role = 'partner' LIMIT 1
$$;
-- The connected partner's organisation holds the customer's consent, in force today
-- (Helsinki), covering `info` (rules/partners.py in_force).
CREATE OR REPLACE FUNCTION desk_partner_consents(cid text, info text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT desk_staff_partner() IS NOT NULL
        AND desk_consent_active(cid, desk_staff_partner(), info, desk_helsinki_today())
$$;

-- As c0050 (central_trust.REACH), with the partner's reach by consent first.
CREATE OR REPLACE FUNCTION desk_customer_visible(cid text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me text := desk_staff_id();
    point text := desk_staff_point();
BEGIN
    IF cid IS NULL OR me IS NULL THEN
        RETURN false;
    END IF;
    IF desk_staff_role() = 'partner' THEN
        RETURN desk_partner_consents(cid, 'contact');
    END IF;
    IF desk_sees_all() THEN
        RETURN true;
    END IF;
    RETURN EXISTS (SELECT 1 FROM customer c WHERE c.id = cid
                   AND (c.service_point_id = point OR c.coach_id = me))
        OR EXISTS (SELECT 1 FROM customer_reach r WHERE r.customer_id = cid
                   AND r.service_point_id = point AND r.expires_at > now());
END $$;
-- A partner never is in charge of a customer's record.
CREATE OR REPLACE FUNCTION desk_customer_in_charge(cid text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT desk_staff_id() IS NOT NULL AND desk_staff_role() <> 'partner'
        AND (desk_sees_all() OR EXISTS (
        SELECT 1 FROM customer c WHERE c.id = cid
        AND (c.service_point_id = desk_staff_point() OR c.coach_id = desk_staff_id())))
$$;
-- Case work: a partner reads a customer's plans only under a consent covering both the
-- customer's identity and plans; never anything else, and writes none.
CREATE OR REPLACE FUNCTION desk_case_readable(cid text, p text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT CASE WHEN desk_staff_role() = 'partner' THEN
        p = 'plan.read' AND desk_may('partner.read') AND desk_partner_consents(cid, 'contact')
        AND desk_partner_consents(cid, 'plan')
    ELSE desk_may(p) AND (desk_sees_all() OR EXISTS (
        SELECT 1 FROM customer c WHERE c.id = cid AND (
            c.coach_id = desk_staff_id()
            OR (c.coach_id IS NULL AND c.service_point_id = desk_staff_point())
            OR (desk_staff_team() IS NOT NULL AND c.coach_id IN (
                SELECT s.id FROM staff s WHERE s.team_id = desk_staff_team()))))) END
$$;
CREATE OR REPLACE FUNCTION desk_case_writable(cid text, p text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT desk_may(p) AND desk_staff_role() <> 'partner' AND (desk_sees_all() OR EXISTS (
        SELECT 1 FROM customer c WHERE c.id = cid AND (
            c.coach_id = desk_staff_id()
            OR (c.coach_id IS NULL AND c.service_point_id = desk_staff_point()))))
$$;
"""
NEW_FUNCTIONS = ("desk_staff_partner()", "desk_partner_consents(text, text)")


def _create_group() -> None:
    """A group role, as the staff groups (c0040): roles are the cluster's, so another
    area's database may have made it already."""
    op.execute(f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PARTNER}') THEN
                CREATE ROLE {PARTNER} NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$;
    """)


def upgrade() -> None:
    op.execute("ALTER TABLE staff ADD COLUMN partner_org_id varchar(36)")
    op.execute("ALTER TABLE staff DROP CONSTRAINT ck_staff_role")
    roles = ", ".join(f"'{r}'" for r in ROLES)
    op.execute(f"ALTER TABLE staff ADD CONSTRAINT ck_staff_role CHECK (role IN ({roles}))")
    op.execute("ALTER TABLE staff ADD CONSTRAINT ck_staff_partner_has_org "
               "CHECK (role <> 'partner' OR partner_org_id IS NOT NULL)")
    _create_group()
    op.execute(FUNCTIONS_SQL)
    for signature in NEW_FUNCTIONS:
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {GROUPS}, desk_messenger")
    # Whatever the staff groups may call (policy helpers, the stamp, the guards), the
    # partner group may call too: its policies and triggers run the same functions.
    op.execute(f"""
        DO $$ DECLARE f record; BEGIN
            FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
                     JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = 'public'
                       AND has_function_privilege('desk_desk', p.oid, 'EXECUTE') LOOP
                EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO {PARTNER}', f.sig);
            END LOOP;
        END $$;
    """)
    op.execute(f"GRANT USAGE ON SCHEMA public TO {PARTNER}")  # c0050 took it from PUBLIC
    for table in READS:
        op.execute(f"GRANT SELECT ON {table} TO {PARTNER}")
    # Of the customer, not the jobseeker facts (central_trust.WITHHELD): every other
    # column, one by one.
    conn = op.get_bind()
    for table, groups in trust.WITHHELD.items():
        hidden = groups.get(PARTNER)
        if not hidden:
            continue
        columns = conn.execute(sa.text(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "'public' AND table_name = :t ORDER BY ordinal_position"), {"t": table}).scalars()
        shown = ", ".join(f'"{c}"' for c in columns if c not in hidden)
        op.execute(f"REVOKE SELECT ON {table} FROM {PARTNER}")
        op.execute(f"GRANT SELECT ({shown}) ON {table} TO {PARTNER}")
    for table in APPENDS:
        op.execute(f"GRANT INSERT ON {table} TO {PARTNER}")
    # Of the consents, only those given to the partner's own organisation: all of them,
    # withdrawn and expired too, so that a withdrawal reaches the partner's workstation
    # (the customer then falls out of its reach there as at the centre).
    op.execute(f"CREATE POLICY partner_own ON customer_consent AS RESTRICTIVE FOR SELECT "
               f"TO {PARTNER} USING (partner_org_id = desk_staff_partner())")
    op.execute(f"CREATE POLICY partner_read ON customer_consent FOR SELECT TO {PARTNER} "
               f"USING (partner_org_id = desk_staff_partner())")
    # The pull's scope reads the audited lookups' reach (app/sync/pull.py): readable, but
    # none of its rows (a partner never looks customers up).
    op.execute(f"CREATE POLICY partner_none ON customer_reach AS RESTRICTIVE FOR SELECT "
               f"TO {PARTNER} USING (false)")
    op.bulk_insert(sa.table("role_permission", sa.column("role"), sa.column("permission")),
                   [{"role": "partner", "permission": p} for p in PERMISSIONS])


def downgrade() -> None:
    raise NotImplementedError("c0115 adds a role with rights: restore the backup taken "
                              "before the upgrade")
