"""roles, grants and row-level security

Revision ID: c0040
Revises: c0010

Staff sign in to the central database with their own PostgreSQL role, a member of one
group role per application role. What a group may do to a table is a GRANT; which rows
it may see or write is a row-level-security policy keyed on the connected role
(`session_user` -> the staff row with that username). The permission matrix is in
docs/permissions.md and mirrors app/rules/permissions.py.

The group roles are cluster-wide and may already exist (another database on the same
cluster, a concurrent migration): they are created only when missing and never dropped.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.erasure_ddl import central_trigger_sql, guard_functions
from app.rules.erasure import SCRUB

# The tables the erasure scrubbed when this migration was written (later ones, such as
# job_search_period and case_facts, are added by the migration that makes them: c0060,
# c0070).
LATER_TABLES = ("job_search_period", "case_facts", "referral", "support_decision",
                "job_proposal", "message", "contact_preference", "customer_consent",
                "meeting_participant", "meeting_task", "plan_participant")
C0040_SCRUB = [entry for entry in SCRUB if entry[0] not in LATER_TABLES]

revision: str = "c0040"
down_revision: str | Sequence[str] | None = "c0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DESK, COACH, LEAD, ADMIN = "desk_desk", "desk_coach", "desk_team_lead", "desk_admin"
GROUPS = (DESK, COACH, LEAD, ADMIN)
OWNER = "desk_owner"  # owns the schema and the policy helpers; never logs in
EVERYONE = ", ".join(GROUPS)

# Tables only the administrator writes (staff management); everyone reads them.
ADMIN_WRITES = ("service_point", "team", "staff")
# Case work: the desk neither reads (policies below) nor writes these.
CASE_WORK = ("customer_note", "plan", "plan_version", "plan_goal", "plan_action",
             "plan_service", "customer_barrier")
APPEND_ONLY = ("audit_event", "feedback", "applied_mutation", "coach_assignment")

# Policies: one per table, for every command; `sees_all` = team lead or administrator.
POLICIES = {
    "customer": ("desk_customer_visible(id)",
                 "desk_sees_all() OR service_point_id = desk_staff_point() "
                 "OR coach_id = desk_staff_id() OR desk_customer_visible(id)"),
    "unemployment_period": ("desk_customer_visible(customer_id)", None),
    "customer_note": ("desk_case_worker() AND desk_customer_visible(customer_id)", None),
    "plan": ("desk_case_worker() AND desk_customer_visible(customer_id)", None),
    "plan_version": ("desk_case_worker() AND desk_plan_visible(plan_id)", None),
    "plan_goal": ("desk_case_worker() AND desk_version_visible(plan_version_id)", None),
    "plan_action": ("desk_case_worker() AND desk_version_visible(plan_version_id)", None),
    "plan_service": ("desk_case_worker() AND desk_version_visible(plan_version_id)", None),
    "appointment": ("desk_sees_all() OR service_point_id = desk_staff_point() "
                    "OR desk_customer_visible(customer_id)", None),
    "visit": ("desk_sees_all() OR service_point_id = desk_staff_point() "
              "OR desk_customer_visible(customer_id)", None),
    "queue_ticket": ("desk_sees_all() OR service_point_id = desk_staff_point()", None),
    "desk_duty": ("desk_sees_all() OR service_point_id = desk_staff_point()", None),
    # Barriers name debt and health: case work. Coach changes follow the customer.
    "customer_barrier": ("desk_case_worker() AND desk_customer_visible(customer_id)", None),
    "coach_assignment": ("desk_customer_visible(customer_id)", None),
}

FUNCTIONS = """
CREATE FUNCTION desk_staff_id() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
    SELECT id FROM staff
    WHERE username = session_user::text AND active AND deleted_at IS NULL LIMIT 1
$$;
CREATE FUNCTION desk_staff_role() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
    SELECT role FROM staff
    WHERE username = session_user::text AND active AND deleted_at IS NULL LIMIT 1
$$;
CREATE FUNCTION desk_staff_point() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
    SELECT service_point_id FROM staff
    WHERE username = session_user::text AND active AND deleted_at IS NULL LIMIT 1
$$;
CREATE FUNCTION desk_sees_all() RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_temp AS $$
    SELECT coalesce(desk_staff_role() IN ('team_lead', 'admin'), false)
$$;
CREATE FUNCTION desk_case_worker() RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_temp AS $$
    SELECT coalesce(desk_staff_role() IN ('coach', 'team_lead', 'admin'), false)
$$;
-- Mirrors the pull scope (app/sync/pull.py): a customer of the staff member's service
-- point, coached by them, or with a ticket or appointment there. Definer rights: the
-- lookups must not recurse into the policies of the tables they read.
CREATE FUNCTION desk_customer_visible(cid text) RETURNS boolean LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me text := desk_staff_id();
    point text := desk_staff_point();
BEGIN
    IF cid IS NULL OR me IS NULL THEN
        RETURN false;
    END IF;
    IF desk_sees_all() THEN
        RETURN true;
    END IF;
    RETURN EXISTS (SELECT 1 FROM customer c WHERE c.id = cid
                   AND (c.service_point_id = point OR c.coach_id = me))
        OR EXISTS (SELECT 1 FROM queue_ticket t WHERE t.customer_id = cid
                   AND t.service_point_id = point)
        OR EXISTS (SELECT 1 FROM appointment a WHERE a.customer_id = cid
                   AND a.service_point_id = point);
END $$;
CREATE FUNCTION desk_plan_visible(pid text) RETURNS boolean LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT desk_customer_visible(customer_id) FROM plan WHERE id = pid),
                    false)
$$;
CREATE FUNCTION desk_version_visible(vid text) RETURNS boolean LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT desk_plan_visible(plan_id) FROM plan_version WHERE id = vid),
                    false)
$$;
"""
FUNCTION_NAMES = ("desk_erase_customer()", "desk_staff_id()", "desk_staff_role()", "desk_staff_point()",
                  "desk_sees_all()", "desk_case_worker()", "desk_customer_visible(text)",
                  "desk_plan_visible(text)", "desk_version_visible(text)")


def _ensure_role(name: str, attributes: str = "NOLOGIN") -> None:
    # Concurrent migrations on one cluster may race to create the same role.
    op.execute(f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN
                CREATE ROLE {name} {attributes};
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$;
    """)


def upgrade() -> None:
    # Erasure at the end of the retention period: the marker, and the trigger that
    # scrubs every dependent row centrally (app/rules/erasure.py says what).
    op.add_column("customer", sa.Column("erased_at", sa.DateTime(), nullable=True))
    op.execute(central_trigger_sql(C0040_SCRUB))
    op.execute("CREATE TRIGGER customer_erased AFTER INSERT OR UPDATE OF erased_at "
               "ON customer FOR EACH ROW WHEN (NEW.erased_at IS NOT NULL) "
               "EXECUTE FUNCTION desk_erase_customer()")
    for _name, create, trigger in guard_functions(C0040_SCRUB):
        op.execute(create)
        op.execute(trigger)
    for group in GROUPS:
        _ensure_role(group)
    _ensure_role(OWNER)
    op.execute(FUNCTIONS)
    # The owner of the tables bypasses their policies (no FORCE), so the definer-rights
    # helpers it owns see every row; nobody logs in as it.
    op.execute(f"""
        DO $$ DECLARE t record; BEGIN
            FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                EXECUTE format('ALTER TABLE %I OWNER TO {OWNER}', t.tablename);
            END LOOP;
        END $$;
    """)
    for fn in FUNCTION_NAMES + tuple(name for name, _c, _t in guard_functions(C0040_SCRUB)):
        op.execute(f"ALTER FUNCTION {fn} OWNER TO {OWNER}")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {EVERYONE}")
    # Baseline for every table (also those later migrations add: default privileges),
    # then narrowed below. DELETE and TRUNCATE are granted to no one: rows are
    # tombstoned, never deleted.
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {EVERYONE}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
               f"GRANT SELECT, INSERT, UPDATE ON TABLES TO {EVERYONE}")
    for table in ADMIN_WRITES:
        op.execute(f"REVOKE INSERT, UPDATE ON {table} FROM {DESK}, {COACH}, {LEAD}")
    op.execute(f"REVOKE INSERT, UPDATE ON area_setting FROM {DESK}, {COACH}")
    for table in CASE_WORK:
        op.execute(f"REVOKE INSERT, UPDATE ON {table} FROM {DESK}")
    for table in APPEND_ONLY:
        op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {EVERYONE}")
    op.execute(f"REVOKE INSERT, UPDATE ON alembic_version_central FROM {EVERYONE}")
    for table, (using, check) in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY desk_rows ON {table} FOR ALL "
                   f"USING ({using}) WITH CHECK ({check or using})")
    # The audit trail: everyone appends, only team leads and administrators read; the
    # append-only trigger (c0001) refuses UPDATE and DELETE even to the owner.
    op.execute("ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY desk_append ON audit_event FOR INSERT WITH CHECK (true)")
    op.execute("CREATE POLICY desk_read ON audit_event FOR SELECT USING (desk_sees_all())")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS customer_erased ON customer")
    for name, _create, _trigger in guard_functions(C0040_SCRUB):
        op.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")
    op.drop_column("customer", "erased_at")
    op.execute("DROP POLICY IF EXISTS desk_append ON audit_event")
    op.execute("DROP POLICY IF EXISTS desk_read ON audit_event")
    op.execute("ALTER TABLE audit_event DISABLE ROW LEVEL SECURITY")
    for table in POLICIES:
        op.execute(f"DROP POLICY IF EXISTS desk_rows ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
               f"REVOKE SELECT, INSERT, UPDATE ON TABLES FROM {EVERYONE}")
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {EVERYONE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {EVERYONE}")
    op.execute("""
        DO $$ DECLARE t record; BEGIN
            FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                EXECUTE format('ALTER TABLE %I OWNER TO %I', t.tablename, current_user);
            END LOOP;
        END $$;
    """)
    for fn in reversed(FUNCTION_NAMES):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    # The cluster-wide roles stay: other databases on the cluster may use them.
