"""the centre trusts no workstation

Revision ID: c0050
Revises: c0040

Every write is checked by the connected staff member's role in the database itself
(app/db/central_trust.py says how, docs/central-trust.md is the pattern for new tables):
row-level security on every table, one policy per command with WITH CHECK; reach by the
customer's own service point and coach (and an audited lookup), never by rows that name
them; case work by caseload and team; guarded erasure, coach and service-point changes;
forward-only states; sync bookkeeping scoped like its rows; an audit trail in its
author's name; no rights for PUBLIC and CONNECT only for the area's own staff.

No way down: a downgrade would hand the rights back; restore a backup instead.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import central_trust as trust

revision: str = "c0050"
down_revision: str | Sequence[str] | None = "c0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DESK, COACH, LEAD, ADMIN = "desk_desk", "desk_coach", "desk_team_lead", "desk_admin"
GROUPS = (DESK, COACH, LEAD, ADMIN)
EVERYONE = ", ".join(GROUPS)
OWNER = "desk_owner"

# app/rules/permissions.py MATRIX as of this migration; a test compares the central copy
# with the code, so a change of the matrix comes with a migration that updates this table.
MATRIX = {
    "desk": ('appointment.book', 'customer.edit', 'customer.read', 'customer.reveal_hetu',
             'feedback.record', 'queue.register', 'queue.serve', 'sync.run', 'visit.record'),
    "coach": ('appointment.book', 'case_notes.read', 'caseload.read', 'customer.assign_coach',
              'customer.barriers', 'customer.edit', 'customer.read', 'customer.reveal_hetu',
              'feedback.read', 'feedback.record', 'feedback.reply', 'plan.edit',
              'plan.print', 'plan.read', 'queue.register', 'queue.serve', 'sync.run',
              'visit.record'),
    "team_lead": ('appointment.book', 'audit.read', 'calendar.manage', 'case_notes.read',
                  'caseload.manage', 'caseload.read', 'customer.assign_coach',
                  'customer.barriers', 'customer.edit', 'customer.extract',
                  'customer.import', 'customer.read', 'customer.reveal_hetu',
                  'feedback.read', 'feedback.record', 'feedback.reply', 'plan.edit',
                  'plan.print', 'plan.read', 'queue.register', 'queue.serve',
                  'reports.read', 'settings.edit', 'sync.run', 'visit.record'),
    "admin": ('appointment.book', 'audit.read', 'calendar.manage', 'case_notes.read',
              'caseload.manage', 'caseload.read', 'customer.assign_coach',
              'customer.barriers', 'customer.edit', 'customer.erase', 'customer.extract',
              'customer.import', 'customer.read', 'customer.reveal_hetu', 'demo.build',
              'feedback.read', 'feedback.record', 'feedback.reply', 'plan.edit',
              'plan.print', 'plan.read', 'queue.register', 'queue.serve', 'reports.read',
              'settings.edit', 'staff.manage', 'sync.run', 'visit.record'),
}
# The policies c0040 made, replaced here.
C0040_POLICIES = ("customer", "unemployment_period", "customer_note", "plan", "plan_version",
                  "plan_goal", "plan_action", "plan_service", "appointment", "visit",
                  "queue_ticket", "desk_duty", "customer_barrier", "coach_assignment")
AUDIT_COLUMNS = ("id", "at", "staff_id", "workstation", "action", "entity", "entity_id",
                 "detail", "version", "hlc", "updated_at", "updated_by", "deleted_at")
APPLIED_COLUMNS = ("mutation_id", "client_node", "table_name", "row_id", "result",
                   "applied_at")


def upgrade() -> None:
    op.execute(trust.WHO)
    op.bulk_insert(sa.table("role_permission", sa.column("role"), sa.column("permission")),
                   [{"role": role, "permission": p} for role, ps in MATRIX.items()
                    for p in ps])
    op.execute(trust.REACH)
    op.execute(trust.CONFLICT_SCOPE)
    op.execute(trust.guards_sql())
    for table in ("role_permission", "customer_reach"):
        op.execute(f"ALTER TABLE {table} OWNER TO {OWNER}")
        op.execute(f"REVOKE INSERT, UPDATE ON {table} FROM {EVERYONE}")
        op.execute(f"GRANT SELECT ON {table} TO {EVERYONE}")
    op.execute(f"""
        DO $$ DECLARE f record; BEGIN
            FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
                     JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = 'public' AND p.proname LIKE 'desk\\_%' LOOP
                EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER}', f.sig);
            END LOOP;
        END $$;
    """)
    # Who wrote: the connection's role, which no workstation can set.
    for table, columns in (("audit_event", AUDIT_COLUMNS),
                           ("applied_mutation", APPLIED_COLUMNS)):
        op.execute(f"ALTER TABLE {table} ADD COLUMN db_role text NOT NULL "
                   f"DEFAULT session_user")
        op.execute(f"REVOKE INSERT ON {table} FROM {EVERYONE}")
        op.execute(f"GRANT INSERT ({', '.join(columns)}) ON {table} TO {EVERYONE}")
    op.execute("CREATE INDEX ix_applied_mutation_role ON applied_mutation (db_role)")
    # Belt and braces beside the policies: the desk never assigns coaches.
    op.execute(f"REVOKE INSERT ON coach_assignment FROM {DESK}")
    for table in C0040_POLICIES:
        op.execute(f"DROP POLICY IF EXISTS desk_rows ON {table}")
    op.execute("DROP POLICY IF EXISTS desk_append ON audit_event")
    op.execute("DROP POLICY IF EXISTS desk_read ON audit_event")
    op.execute("DROP FUNCTION IF EXISTS desk_version_visible(text)")
    op.execute("DROP FUNCTION IF EXISTS desk_plan_visible(text)")
    for table, rules in trust.POLICIES.items():
        for statement in trust.policy_statements(table, rules):
            op.execute(statement)
    for table in trust.NAMES_A_CUSTOMER:
        op.execute(f"CREATE TRIGGER {table}_names_customer BEFORE INSERT OR UPDATE ON "
                   f"{table} FOR EACH ROW EXECUTE FUNCTION "
                   f"desk_guard_named_customer('customer_id')")
    # PUBLIC gets nothing: the database is for this area's own staff logins, each given
    # CONNECT when made (app/db/central_roles.py); the group roles are cluster-wide, so
    # CONNECT for a group would let another area's staff in.
    op.execute("""
        DO $$ DECLARE r record; BEGIN
            EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
            FOR r IN SELECT s.username FROM staff s JOIN pg_roles g ON g.rolname = s.username
            LOOP
                EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(),
                               r.username);
            END LOOP;
        END $$;
    """)
    op.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {EVERYONE}, {OWNER}")
    op.execute("REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {EVERYONE}")


def downgrade() -> None:
    raise NotImplementedError("c0050 hardens the central database's rights: there is no "
                              "way down; restore the backup taken before the upgrade")
