"""the place ledger; a contract with sent referrals keeps its terms; the retention check
counts the newer case rows

Revision ID: c0080
Revises: c0070

A workstation holds the referrals of its own customers only (the pull scope), and a
coach's copy is narrowed further to their caseload and team (row-level security), so no
desk can count a contract's places from its own referrals. The centre keeps a ledger of
every referral's place (`contract_place`: the referral's id, the contract, the day it was
sent, whether it holds a place, and the municipality and service point the place is
charged to; no customer), written only by a trigger on `referral` and readable by every
active staff member; every workstation pulls it whole and counts it together with the
referrals it holds (app/services/providers.py `sent_days`).

Once a referral holding a place has been sent on a contract, its service, start and price
are what was bought and are no longer changed (past places and euros would change with
them), its end does not move before such a referral was sent, and it is not removed; an
amendment is a new contract. The ledger names nobody: not the customer, and not the
staff member who wrote the referral (updated_by is cleared).

Upgraded centres also re-create the customer guard (`desk_guard_customer`) so that its
retention check sees the tables added since c0050 (job-search periods, case facts,
referrals, decisions, follow-ups), as a fresh install's does.
"""
from collections.abc import Sequence

from alembic import op

from app.db import central_trust as trust
from app.db.central_ddl import make_synced
from app.db.purchased_ddl import create_place_ledger

revision: str = "c0080"
down_revision: str | Sequence[str] | None = "c0070"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "desk_desk, desk_coach, desk_team_lead, desk_admin"
OWNER = "desk_owner"
# app/rules/contracts.py USES_A_PLACE
HOLDS = "('sent', 'accepted', 'started', 'interrupted', 'completed')"

LEDGER = f"""
CREATE OR REPLACE FUNCTION desk_place_ledger() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO contract_place AS p (id, contract_id, sent_on, holds_place,
                                     home_municipality, service_point_id, updated_at, hlc,
                                     version)
    SELECT NEW.id, NEW.contract_id, NEW.sent_on,
           NEW.deleted_at IS NULL AND NEW.sent_on IS NOT NULL AND NEW.state IN {HOLDS},
           c.home_municipality, c.service_point_id, now() AT TIME ZONE 'utc', '', 1
    FROM (SELECT 1) AS one LEFT JOIN customer c ON c.id = NEW.customer_id
    ON CONFLICT (id) DO UPDATE SET
        contract_id = EXCLUDED.contract_id, sent_on = EXCLUDED.sent_on,
        holds_place = EXCLUDED.holds_place, home_municipality = EXCLUDED.home_municipality,
        service_point_id = EXCLUDED.service_point_id, updated_at = EXCLUDED.updated_at
    WHERE (p.contract_id, p.sent_on, p.holds_place, p.home_municipality,
           p.service_point_id)
          IS DISTINCT FROM (EXCLUDED.contract_id, EXCLUDED.sent_on, EXCLUDED.holds_place,
                            EXCLUDED.home_municipality, EXCLUDED.service_point_id);
    RETURN NULL;
END $$;
CREATE TRIGGER referral_place_ledger AFTER INSERT OR UPDATE ON referral
    FOR EACH ROW EXECUTE FUNCTION desk_place_ledger();

-- The place is charged to the customer's municipality and point as they are now: a move
-- re-charges the customer's places (as the workstation counts its own referrals).
CREATE OR REPLACE FUNCTION desk_place_ledger_customer() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE contract_place
    SET home_municipality = NEW.home_municipality, service_point_id = NEW.service_point_id,
        updated_at = now() AT TIME ZONE 'utc'
    WHERE id IN (SELECT id FROM referral WHERE customer_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER customer_place_ledger AFTER UPDATE OF home_municipality, service_point_id
    ON customer FOR EACH ROW
    WHEN (NEW.home_municipality IS DISTINCT FROM OLD.home_municipality
          OR NEW.service_point_id IS DISTINCT FROM OLD.service_point_id)
    EXECUTE FUNCTION desk_place_ledger_customer();

-- Nobody is named in the ledger: the stamp (desk_stamp_row) writes the connected staff
-- member into updated_by, which would tell every desk who referred; this trigger fires
-- after it (triggers fire in name order) and clears it.
CREATE OR REPLACE FUNCTION desk_place_ledger_unsigned() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_by := NULL;
    RETURN NEW;
END $$;
CREATE TRIGGER contract_place_unsigned BEFORE INSERT OR UPDATE ON contract_place
    FOR EACH ROW EXECUTE FUNCTION desk_place_ledger_unsigned();
"""

BACKFILL = f"""
INSERT INTO contract_place (id, contract_id, sent_on, holds_place, home_municipality,
                            service_point_id, updated_at, hlc, version)
SELECT r.id, r.contract_id, r.sent_on,
       r.deleted_at IS NULL AND r.sent_on IS NOT NULL AND r.state IN {HOLDS},
       c.home_municipality, c.service_point_id, now() AT TIME ZONE 'utc', '', 1
FROM referral r LEFT JOIN customer c ON c.id = r.customer_id
ON CONFLICT (id) DO NOTHING;
"""

CONTRACT_GUARD = """
CREATE OR REPLACE FUNCTION desk_guard_contract() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    last_sent date;
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;  -- the owner or a migration
    END IF;
    SELECT max(sent_on) INTO last_sent FROM contract_place
    WHERE contract_id = OLD.id AND holds_place AND sent_on IS NOT NULL;
    IF last_sent IS NULL THEN
        RETURN NEW;
    END IF;
    IF NEW.service IS DISTINCT FROM OLD.service OR NEW.starts_on IS DISTINCT FROM OLD.starts_on
            OR NEW.unit_price_cents IS DISTINCT FROM OLD.unit_price_cents
            OR NEW.lump_sum_cents IS DISTINCT FROM OLD.lump_sum_cents
            OR NEW.provider_id IS DISTINCT FROM OLD.provider_id THEN
        RAISE EXCEPTION 'a contract with sent referrals keeps its service, start and price'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.ends_on IS DISTINCT FROM OLD.ends_on AND NEW.ends_on < last_sent THEN
        RAISE EXCEPTION 'a contract ends no earlier than its last sent referral'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
        RAISE EXCEPTION 'a contract with sent referrals is never removed'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER service_contract_terms BEFORE UPDATE ON service_contract
    FOR EACH ROW EXECUTE FUNCTION desk_guard_contract();
"""


def customer_guard() -> str:
    """Today's `desk_guard_customer`, without its CREATE TRIGGER: the trigger exists
    since c0050."""
    return trust.customer_guard_sql()


def upgrade() -> None:
    create_place_ledger(op)
    make_synced(op, "contract_place")
    op.execute(f"ALTER TABLE contract_place OWNER TO {OWNER}")
    # Read by every active staff member; written by no one but the trigger (no write
    # policy, and no write grant either).
    trust.protect_customer_rows(op, "contract_place", {"select": trust.ACTIVE},
                                names_customer=None)
    op.execute(f"REVOKE INSERT, UPDATE, DELETE ON contract_place FROM {GROUPS}")
    op.execute(f"GRANT SELECT ON contract_place TO {GROUPS}")
    op.execute(LEDGER)
    op.execute(BACKFILL)
    op.execute(CONTRACT_GUARD)
    op.execute(customer_guard())
    for signature in ("desk_place_ledger()", "desk_place_ledger_customer()",
                      "desk_place_ledger_unsigned()", "desk_guard_contract()",
                      "desk_guard_customer()"):
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {GROUPS}")


def downgrade() -> None:
    raise NotImplementedError("c0080 adds a guarded ledger: restore the backup taken "
                              "before the upgrade")
