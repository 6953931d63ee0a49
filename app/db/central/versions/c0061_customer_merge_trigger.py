"""a customer merge reaches every desk as one operation

Revision ID: c0061
Revises: c0060

The workstation that merges a duplicate registration into the real customer moves the
rows it holds (app/services/customer_merge.py) and pushes them before the merge row. The
centre may hold more rows of the duplicate (visits, tickets, notes... that other
workstations pushed and the merging one never held): the merge row's trigger moves
those too, writes the barriers and the case facts again under the real customer's
derived ids, tombstones the duplicate's, and tombstones the duplicate, all with the
merge's own time, so that the same tombstone written by the workstation and here agrees.
Every desk then pulls the moved rows (their stamps bump their versions).

The trigger refuses (check_violation) a merge of a customer into themselves, into a
missing, removed or erased customer, of an erased one, and one that would give the real
customer a second open plan (both have a plan not removed with a draft or an accepted
version); a staff login without customer.merge is refused (the insert policy already
says so: this is the second lock). A row that still names the duplicate when it
arrives later (written offline before the desk heard of the merge) is redirected to the
real customer as it is written.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "c0061"
down_revision: str | Sequence[str] | None = "c0060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "desk_desk, desk_coach, desk_team_lead, desk_admin"
OWNER = "desk_owner"

# The namespaces of app/models/coaching.py barrier_id and app/models/customer.py
# case_facts_id (a test compares the ids made here with Python's uuid5).
BARRIER_NAMESPACE = "3b0f6a52-9d4e-4d1c-8f0e-5a2c7b9e1d64"
FACTS_NAMESPACE = "6f1d2c84-3a57-4b0e-9c61-2d8e7f4a5b93"

# RFC 4122 name-based ids (version 5, SHA-1) in PL/pgSQL: the derived ids of barrier and
# case-facts rows without an extension (pgcrypto, uuid-ossp) the centre may not have.
UUID5 = """
CREATE OR REPLACE FUNCTION desk_sha1(msg bytea) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = public, pg_temp AS $$
DECLARE
    m constant bigint := 4294967295;
    h bigint[] := ARRAY[1732584193, 4023233417, 2562383102, 271733878, 3285377520];
    w bigint[];
    len bigint := length(msg);
    padded bytea;
    a bigint; b bigint; c bigint; d bigint; e bigint; f bigint; k bigint; t bigint;
    x bigint;
    chunk integer;
    i integer;
    result bytea := ''::bytea;
BEGIN
    padded := msg || '\\x80'::bytea
        || decode(repeat('00', ((55 - len) % 64 + 64)::integer % 64), 'hex')
        || int8send(len * 8);
    FOR chunk IN 0 .. length(padded) / 64 - 1 LOOP
        w := array_fill(0::bigint, ARRAY[80]);
        FOR i IN 0 .. 15 LOOP
            w[i + 1] := (get_byte(padded, chunk * 64 + i * 4)::bigint << 24)
                | (get_byte(padded, chunk * 64 + i * 4 + 1)::bigint << 16)
                | (get_byte(padded, chunk * 64 + i * 4 + 2)::bigint << 8)
                | get_byte(padded, chunk * 64 + i * 4 + 3)::bigint;
        END LOOP;
        FOR i IN 16 .. 79 LOOP
            x := w[i - 2] # w[i - 7] # w[i - 13] # w[i - 15];
            w[i + 1] := ((x << 1) | (x >> 31)) & m;
        END LOOP;
        a := h[1]; b := h[2]; c := h[3]; d := h[4]; e := h[5];
        FOR i IN 0 .. 79 LOOP
            IF i < 20 THEN
                f := (b & c) | (((~b) & m) & d); k := 1518500249;
            ELSIF i < 40 THEN
                f := b # c # d; k := 1859775393;
            ELSIF i < 60 THEN
                f := (b & c) | (b & d) | (c & d); k := 2400959708;
            ELSE
                f := b # c # d; k := 3395469782;
            END IF;
            t := ((((a << 5) | (a >> 27)) & m) + f + e + k + w[i + 1]) & m;
            e := d; d := c; c := ((b << 30) | (b >> 2)) & m; b := a; a := t;
        END LOOP;
        h[1] := (h[1] + a) & m; h[2] := (h[2] + b) & m; h[3] := (h[3] + c) & m;
        h[4] := (h[4] + d) & m; h[5] := (h[5] + e) & m;
    END LOOP;
    FOR i IN 1 .. 5 LOOP
        result := result || decode(lpad(to_hex(h[i]), 8, '0'), 'hex');
    END LOOP;
    RETURN result;
END $$;

CREATE OR REPLACE FUNCTION desk_uuid5(ns text, name text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = public, pg_temp AS $$
DECLARE
    hashed bytea := desk_sha1(decode(replace(ns, '-', ''), 'hex')
                              || convert_to(name, 'UTF8'));
    hex text;
BEGIN
    hashed := set_byte(hashed, 6, (get_byte(hashed, 6) & 15) | 80);
    hashed := set_byte(hashed, 8, (get_byte(hashed, 8) & 63) | 128);
    hex := encode(substring(hashed FROM 1 FOR 16), 'hex');
    RETURN substr(hex, 1, 8) || '-' || substr(hex, 9, 4) || '-' || substr(hex, 13, 4)
        || '-' || substr(hex, 17, 4) || '-' || substr(hex, 21, 12);
END $$;
"""

MERGE = f"""
CREATE OR REPLACE FUNCTION desk_open_plan(cid text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM plan p JOIN plan_version v ON v.plan_id = p.id
                   WHERE p.customer_id = cid AND p.deleted_at IS NULL
                   AND v.deleted_at IS NULL AND v.status IN ('draft', 'accepted'))
$$;

CREATE OR REPLACE FUNCTION desk_apply_customer_merge() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    dup constant text := NEW.from_customer_id;
    into_id constant text := NEW.into_customer_id;
    merged constant timestamp := NEW.merged_at;
    stamp constant timestamp := now() AT TIME ZONE 'utc';
    tbl text;
    b record;
    f record;
    facts_id text;
BEGIN
    IF desk_staff_id() IS NOT NULL AND NOT desk_may('customer.merge') THEN
        RAISE EXCEPTION 'your role may not merge customers'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF dup = into_id THEN
        RAISE EXCEPTION 'a customer is not merged into themselves'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM customer WHERE id = into_id AND deleted_at IS NULL
                   AND erased_at IS NULL) THEN
        RAISE EXCEPTION 'the customer merged into is missing, removed or erased'
            USING ERRCODE = 'check_violation';
    END IF;
    -- The duplicate may already be tombstoned: the merging desk pushed that first.
    IF NOT EXISTS (SELECT 1 FROM customer WHERE id = dup AND erased_at IS NULL) THEN
        RAISE EXCEPTION 'the duplicate is missing or erased'
            USING ERRCODE = 'check_violation';
    END IF;
    IF desk_open_plan(dup) AND desk_open_plan(into_id) THEN
        RAISE EXCEPTION 'both customers have an open plan: the merge would give one '
                        'customer two plans in force' USING ERRCODE = 'check_violation';
    END IF;

    FOREACH tbl IN ARRAY ARRAY['visit', 'queue_ticket', 'appointment', 'plan',
                               'customer_note', 'unemployment_period',
                               'job_search_period'] LOOP
        EXECUTE format('UPDATE %I SET customer_id = $1, updated_at = $3 '
                       'WHERE customer_id = $2', tbl) USING into_id, dup, stamp;
    END LOOP;

    FOR b IN SELECT id, barrier FROM customer_barrier
             WHERE customer_id = dup AND deleted_at IS NULL LOOP
        INSERT INTO customer_barrier (id, customer_id, barrier, updated_at, hlc, version)
        VALUES (desk_uuid5('{BARRIER_NAMESPACE}', into_id || ':' || b.barrier), into_id,
                b.barrier, stamp, '', 1)
        ON CONFLICT (id) DO UPDATE SET deleted_at = NULL, updated_at = stamp
            WHERE customer_barrier.deleted_at IS NOT NULL;
        UPDATE customer_barrier SET deleted_at = merged, updated_at = stamp WHERE id = b.id;
    END LOOP;

    SELECT * INTO f FROM case_facts WHERE customer_id = dup AND deleted_at IS NULL;
    IF FOUND THEN
        facts_id := desk_uuid5('{FACTS_NAMESPACE}', into_id);
        INSERT INTO case_facts (id, customer_id, partial_work_ability, updated_at, hlc,
                                version)
        VALUES (facts_id, into_id, false, stamp, '', 1)
        ON CONFLICT (id) DO NOTHING;
        UPDATE case_facts SET
            deleted_at = NULL,
            partial_work_ability = partial_work_ability OR f.partial_work_ability,
            work_ability_since = coalesce(work_ability_since, f.work_ability_since),
            work_ability_basis = coalesce(work_ability_basis, f.work_ability_basis),
            benefit = coalesce(benefit, f.benefit),
            first_benefit_on = coalesce(first_benefit_on, f.first_benefit_on),
            subsidy_days = coalesce(subsidy_days, f.subsidy_days),
            subsidy_days_on = coalesce(subsidy_days_on, f.subsidy_days_on),
            allowance_exhausted_on = coalesce(allowance_exhausted_on,
                                              f.allowance_exhausted_on),
            updated_at = stamp
        WHERE id = facts_id;
        UPDATE case_facts SET deleted_at = merged, updated_at = stamp WHERE id = f.id;
    END IF;

    -- One open job-search period at most: the one opened first stands (ties by id).
    UPDATE job_search_period SET deleted_at = merged, updated_at = stamp
    WHERE customer_id = into_id AND deleted_at IS NULL AND closed_on IS NULL
    AND id <> (SELECT id FROM job_search_period WHERE customer_id = into_id
               AND deleted_at IS NULL AND closed_on IS NULL
               ORDER BY opened_on, id LIMIT 1);
    UPDATE customer SET active = true, updated_at = stamp
    WHERE id = into_id AND NOT active AND EXISTS (
        SELECT 1 FROM job_search_period WHERE customer_id = into_id
        AND deleted_at IS NULL AND closed_on IS NULL);

    UPDATE customer SET deleted_at = merged, active = false, updated_at = stamp
    WHERE id = dup AND deleted_at IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_merge_apply AFTER INSERT ON customer_merge
    FOR EACH ROW EXECUTE FUNCTION desk_apply_customer_merge();
"""

# A row that names a merged duplicate after the merge (written offline by a desk that had
# not yet heard of it) names the real customer instead, so nothing is left behind under a
# removed record; the desk pulls the row back as the centre holds it. Fires before the
# check that the named customer is visible ("merged" sorts before "names"). Barriers and
# case facts are not redirected: their ids are derived from the customer's.
REDIRECTED = ("visit", "queue_ticket", "appointment", "plan", "customer_note",
              "unemployment_period", "job_search_period")
REDIRECT = """
CREATE OR REPLACE FUNCTION desk_redirect_merged() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    target text;
    hops integer := 0;
BEGIN
    LOOP  -- a merge of a merged record's real one: follow the chain (not for ever)
        SELECT into_customer_id INTO target FROM customer_merge
        WHERE from_customer_id = NEW.customer_id ORDER BY merged_at DESC LIMIT 1;
        EXIT WHEN target IS NULL OR hops >= 10;
        NEW.customer_id := target;
        hops := hops + 1;
    END LOOP;
    RETURN NEW;
END $$;
"""

FUNCTIONS = ("desk_sha1(bytea)", "desk_uuid5(text, text)", "desk_open_plan(text)",
             "desk_apply_customer_merge()", "desk_redirect_merged()")


def upgrade() -> None:
    op.execute(UUID5)
    op.execute(MERGE)
    op.execute(REDIRECT)
    for table in REDIRECTED:
        op.execute(f"CREATE TRIGGER {table}_merged_into BEFORE INSERT OR UPDATE OF "
                   f"customer_id ON {table} FOR EACH ROW WHEN (NEW.customer_id IS NOT NULL) "
                   f"EXECUTE FUNCTION desk_redirect_merged()")
    for signature in FUNCTIONS:
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {GROUPS}")


def downgrade() -> None:
    op.execute("DROP TRIGGER customer_merge_apply ON customer_merge")
    for table in REDIRECTED:
        op.execute(f"DROP TRIGGER {table}_merged_into ON {table}")
    for signature in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {signature}")
