"""purchased services: providers, contracts, referrals, support decisions, follow-ups

Revision ID: c0070
Revises: c0061

Providers and contracts are reference data: every active staff member reads them, team
leads and administrators (`provider.manage`) write them. Referrals, support decisions
and effect follow-ups are case work: the desk sees none of it, coaches their caseload's
(their team's to read), team leads and administrators all of their area. Referrals and
decisions move forward only; a decided decision is never edited, only ended or replaced,
and only `decision.decide` decides one. Each table follows docs/central-trust.md.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import central_trust as trust
from app.db.central_ddl import make_synced
from app.db.erasure_ddl import central_trigger_sql, guard_functions
from app.db.purchased_ddl import TABLES, create_tables
from app.rules.erasure import SCRUB

revision: str = "c0070"
down_revision: str | Sequence[str] | None = "c0061"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "desk_desk, desk_coach, desk_team_lead, desk_admin"
OWNER = "desk_owner"
# app/rules/permissions.py gains these (the central copy is compared with the code).
NEW_PERMISSIONS = {
    "coach": ("referral.make",),
    "team_lead": ("referral.make", "provider.manage", "decision.decide"),
    "admin": ("referral.make", "provider.manage", "decision.decide"),
}

CASE_READ = "desk_case_readable(customer_id, 'plan.read')"
CASE_WRITE = "desk_case_writable(customer_id, 'referral.make')"
POLICIES = {
    "service_provider": {"select": trust.ACTIVE, "write": "desk_may('provider.manage')"},
    "service_contract": {"select": trust.ACTIVE, "write": "desk_may('provider.manage')"},
    "referral": {"select": CASE_READ, "write": CASE_WRITE},
    "support_decision": {"select": CASE_READ, "write": CASE_WRITE},
    "effect_followup": {"select": CASE_READ, "write": CASE_WRITE},
}

# The same order as app/rules/referrals.py. A referral or decision never moves back,
# never leaves an end state, and never jumps between two states of the same rank
# (declined and started); a decided decision keeps its content, and only those who may
# decide make a draft decided (or write one decided from the start).
GUARDS = """
CREATE OR REPLACE FUNCTION desk_guard_referral_state() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
    ranks constant jsonb := '{"proposed": 0, "sent": 1, "accepted": 2, "declined": 3,
        "started": 3, "interrupted": 4, "completed": 4}';
BEGIN
    IF NEW.state IS DISTINCT FROM OLD.state AND (
            OLD.state IN ('declined', 'interrupted', 'completed')
            OR (ranks ->> NEW.state)::integer <= (ranks ->> OLD.state)::integer) THEN
        RAISE EXCEPTION 'referral state may only move forward'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER referral_forward BEFORE UPDATE ON referral
    FOR EACH ROW EXECUTE FUNCTION desk_guard_referral_state();

CREATE OR REPLACE FUNCTION desk_guard_decision() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
    ranks constant jsonb := '{"draft": 0, "decided": 1, "ended": 2, "replaced": 2}';
    kept text[] := ARRAY['status', 'ended_on', 'end_reason', 'replaced_by_id',
        'version', 'hlc', 'updated_at', 'updated_by', 'row_tx'];
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;  -- the owner or a migration
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' AND NOT desk_may('decision.decide') THEN
            RAISE EXCEPTION 'your role may not decide a support decision'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF OLD.status IN ('ended', 'replaced')
                OR (ranks ->> NEW.status)::integer <= (ranks ->> OLD.status)::integer THEN
            RAISE EXCEPTION 'support_decision status may only move forward'
                USING ERRCODE = 'check_violation';
        END IF;
        IF NOT desk_may('decision.decide') THEN  -- decide, end early or replace
            RAISE EXCEPTION 'your role may not decide, end or replace a support decision'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    -- Moving a decision to the real customer is a merge's (customer.merge: the merging
    -- desk pushes the moved rows before its merge row); an erasure clears the note.
    IF desk_may('customer.merge') THEN
        kept := array_append(kept, 'customer_id');
    END IF;
    IF OLD.status <> 'draft' AND (to_jsonb(NEW) - kept) IS DISTINCT FROM (to_jsonb(OLD) - kept)
            AND NOT (OLD.note IS NOT NULL AND NEW.note IS NULL
                     AND (to_jsonb(NEW) - kept - 'note') = (to_jsonb(OLD) - kept - 'note'))
            THEN
        RAISE EXCEPTION 'a decided support decision is never edited: end or replace it'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER support_decision_guard BEFORE INSERT OR UPDATE ON support_decision
    FOR EACH ROW EXECUTE FUNCTION desk_guard_decision();
"""

# A customer merge (c0061) moves the duplicate's referrals, decisions and follow-ups to
# the real customer too (the follow-ups' ids come from their referral or decision, not
# from the customer), and a row that names a merged duplicate later is redirected.
MERGED = ("referral", "support_decision", "effect_followup")
MERGE = """
CREATE OR REPLACE FUNCTION desk_apply_merge_purchased() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    tbl text;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['referral', 'support_decision', 'effect_followup'] LOOP
        EXECUTE format('UPDATE %I SET customer_id = $1, updated_at = $3 '
                       'WHERE customer_id = $2', tbl)
            USING NEW.into_customer_id, NEW.from_customer_id, now() AT TIME ZONE 'utc';
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_merge_apply_purchased AFTER INSERT ON customer_merge
    FOR EACH ROW EXECUTE FUNCTION desk_apply_merge_purchased();
"""


def upgrade() -> None:
    create_tables(op, local=False)
    op.add_column("plan_service", sa.Column("referral_id", sa.String(length=36),
                                            nullable=True))
    for table in TABLES:
        make_synced(op, table)
    op.execute(GUARDS)
    op.execute(MERGE)
    for table in MERGED:
        op.execute(f"CREATE TRIGGER {table}_merged_into BEFORE INSERT OR UPDATE OF "
                   f"customer_id ON {table} FOR EACH ROW WHEN (NEW.customer_id IS NOT NULL) "
                   f"EXECUTE FUNCTION desk_redirect_merged()")
    for table, rules in POLICIES.items():
        names = None if table.startswith("service_") else "customer_id"
        trust.protect_customer_rows(op, table, rules, names_customer=names)
    op.bulk_insert(sa.table("role_permission", sa.column("role"), sa.column("permission")),
                   [{"role": role, "permission": p} for role, ps in NEW_PERMISSIONS.items()
                    for p in ps])
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} OWNER TO {OWNER}")
    # An erasure scrubs the referrals' and decisions' notes too (app/rules/erasure.py).
    op.execute(central_trigger_sql(SCRUB, replace=True))
    guards = guard_functions([e for e in SCRUB if e[0] in ("referral", "support_decision")])
    for _name, create, trigger in guards:
        op.execute(create)
        op.execute(trigger)
    for signature in ("desk_guard_referral_state()", "desk_guard_decision()",
                      "desk_apply_merge_purchased()",
                      *(name for name, _c, _t in guards)):
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {GROUPS}")


def downgrade() -> None:
    raise NotImplementedError("c0070 adds rights and guarded tables: restore the backup "
                              "taken before the upgrade")
