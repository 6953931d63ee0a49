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
from app.models.purchased import FOLLOWUP_NAMESPACE
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

# The same order as app/rules/referrals.py: a state moves only to one reachable from it
# (steps may be taken together offline and pushed as one change), never out of an end.
# A referral's stamped dates, end reason, and, once sent, its contract are never
# rewritten, and only a proposed one is removed. A decided decision keeps its content:
# its end (ended_on, end_reason, replaced_by_id) is written only in the change that ends
# or replaces it, by decision.decide, who is stamped as the decider. Moving either to
# another customer is a merge's (customer.merge); an erasure clears the free text.
GUARDS = """
CREATE OR REPLACE FUNCTION desk_guard_referral() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
    reach constant jsonb := '{"proposed": ["sent", "accepted", "declined", "started",
        "interrupted", "completed"], "sent": ["accepted", "declined", "started",
        "interrupted", "completed"], "accepted": ["started", "interrupted", "completed"],
        "started": ["interrupted", "completed"], "declined": [], "interrupted": [],
        "completed": []}';
    col text;
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;  -- the owner or a migration
    END IF;
    IF NEW.state IS DISTINCT FROM OLD.state AND NOT (reach -> OLD.state) ? NEW.state THEN
        RAISE EXCEPTION 'referral state may only move forward'
            USING ERRCODE = 'check_violation';
    END IF;
    FOREACH col IN ARRAY ARRAY['proposed_on', 'sent_on', 'answered_on', 'started_on',
                               'ended_on', 'end_reason'] LOOP
        IF (to_jsonb(OLD) ->> col) IS NOT NULL
                AND (to_jsonb(NEW) ->> col) IS DISTINCT FROM (to_jsonb(OLD) ->> col) THEN
            RAISE EXCEPTION 'a referral step, once recorded, is never rewritten'
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    IF OLD.state <> 'proposed' AND (NEW.contract_id IS DISTINCT FROM OLD.contract_id
            OR (NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL)) THEN
        RAISE EXCEPTION 'a sent referral keeps its contract and is never removed'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.customer_id IS DISTINCT FROM OLD.customer_id AND NOT desk_may('customer.merge')
            THEN
        RAISE EXCEPTION 'a referral moves to another customer only in a merge'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER referral_forward BEFORE UPDATE ON referral
    FOR EACH ROW EXECUTE FUNCTION desk_guard_referral();

CREATE OR REPLACE FUNCTION desk_guard_decision() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
    reach constant jsonb := '{"draft": ["decided", "ended", "replaced"],
        "decided": ["ended", "replaced"], "ended": [], "replaced": []}';
    kept text[] := ARRAY['version', 'hlc', 'updated_at', 'updated_by', 'row_tx'];
    me constant text := desk_staff_id();
BEGIN
    IF me IS NULL THEN
        RETURN NEW;  -- the owner or a migration
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN
            IF NOT desk_may('decision.decide') THEN
                RAISE EXCEPTION 'your role may not decide a support decision'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            NEW.decided_by := me;
            NEW.decided_on := coalesce(NEW.decided_on, current_date);
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT (reach -> OLD.status) ? NEW.status THEN
            RAISE EXCEPTION 'support_decision status may only move forward'
                USING ERRCODE = 'check_violation';
        END IF;
        IF NOT desk_may('decision.decide') THEN  -- decide, end early or replace
            RAISE EXCEPTION 'your role may not decide, end or replace a support decision'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.status = 'draft' THEN  -- the decider is who decides, not who says so
            NEW.decided_by := me;
            NEW.decided_on := coalesce(NEW.decided_on, current_date);
            RETURN NEW;
        END IF;
        kept := kept || ARRAY['status', 'ended_on', 'end_reason', 'replaced_by_id'];
    END IF;
    IF NEW.customer_id IS DISTINCT FROM OLD.customer_id THEN
        IF NOT desk_may('customer.merge') THEN
            RAISE EXCEPTION 'a decision moves to another customer only in a merge'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        kept := array_append(kept, 'customer_id');
    END IF;
    IF OLD.status <> 'draft' AND (to_jsonb(NEW) - kept) IS DISTINCT FROM (to_jsonb(OLD) - kept)
            AND NOT ((to_jsonb(NEW) - kept - 'note' - 'end_reason')
                     = (to_jsonb(OLD) - kept - 'note' - 'end_reason')
                     AND NEW.note IS NULL AND NEW.end_reason IS NULL) THEN
        RAISE EXCEPTION 'a decided support decision is never edited: end or replace it'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER support_decision_guard BEFORE INSERT OR UPDATE ON support_decision
    FOR EACH ROW EXECUTE FUNCTION desk_guard_decision();

-- A follow-up is the one row of its referral or decision at 3 or 6 months (its id is
-- derived, app/models/purchased.py followup_id) and names that source's customer: an
-- answer cannot be filed for someone else's service. Fires after the merge redirect.
CREATE OR REPLACE FUNCTION desk_guard_followup() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    source text := coalesce(NEW.referral_id, NEW.decision_id);
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF NEW.id <> desk_uuid5('{FOLLOWUP_NAMESPACE}', source || ':' || NEW.months) THEN
        RAISE EXCEPTION 'a follow-up has the id of its source and months'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM referral WHERE id = NEW.referral_id
                   AND customer_id = NEW.customer_id)
            AND NOT EXISTS (SELECT 1 FROM support_decision WHERE id = NEW.decision_id
                            AND customer_id = NEW.customer_id) THEN
        RAISE EXCEPTION 'a follow-up names its referral or decision and that customer'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER effect_followup_source BEFORE INSERT OR UPDATE ON effect_followup
    FOR EACH ROW EXECUTE FUNCTION desk_guard_followup();
""".replace("{FOLLOWUP_NAMESPACE}", FOLLOWUP_NAMESPACE)

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
    later = ("job_proposal", "message", "contact_preference")  # c0090's and c0105's
    op.execute(central_trigger_sql([e for e in SCRUB if e[0] not in later], replace=True))
    guards = guard_functions([e for e in SCRUB if e[0] in ("referral", "support_decision")])
    for _name, create, trigger in guards:
        op.execute(create)
        op.execute(trigger)
    for signature in ("desk_guard_referral()", "desk_guard_decision()",
                      "desk_guard_followup()",
                      "desk_apply_merge_purchased()",
                      *(name for name, _c, _t in guards)):
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {GROUPS}")


def downgrade() -> None:
    raise NotImplementedError("c0070 adds rights and guarded tables: restore the backup "
                              "taken before the upgrade")
