"""The central database trusts no workstation: the SQL that checks every write by the
connected staff member's role (central migration c0050, docs/central-trust.md).

- Who is connected: `desk_staff_id()` and friends (c0040) find the active staff row whose
  username is `session_user`; `desk_may(permission)` reads the role's permissions from
  `role_permission`, a copy of app/rules/permissions.py MATRIX (a test keeps the two equal).
- Reach: a customer is visible to their service point, their coach, team leads and
  administrators, and (identity only, for a while) to a service point that found them
  through the audited lookup `desk_find_customer(hetu)`. Rows that name a customer never
  widen reach: a ticket, appointment or visit may only name a customer already visible.
- Case work (plans, notes, barriers) by caseload: the customer's coach writes it (and any
  coach of the point while the customer has none), the coach's team reads it, team
  leads and administrators read and write all of it.
- State changes a policy cannot express are triggers: erasure (administrator, inactive
  customer, retention period over, audited centrally), coach and service-point changes,
  forward-only queue tickets and plan versions.

Every function is owned by `desk_owner` (c0040), which owns the tables and so bypasses
their policies: the definer-rights helpers see every row without recursing into policies.
"""

from __future__ import annotations

from typing import Any

from app.rules import erasure as erasure_rules

# How long a service point may see a customer it found by henkilötunnus: long enough for
# the visit and the appointments booked then.
REACH_DAYS = 30

# Who is connected, and what their role may do.
WHO = """
CREATE TABLE role_permission (
    role text NOT NULL,
    permission text NOT NULL,
    PRIMARY KEY (role, permission)
);
CREATE OR REPLACE FUNCTION desk_staff_team() RETURNS text LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT team_id FROM staff
    WHERE username = session_user::text AND active AND deleted_at IS NULL LIMIT 1
$$;
CREATE OR REPLACE FUNCTION desk_may(p text) RETURNS boolean LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM role_permission
                   WHERE role = desk_staff_role() AND permission = p)
$$;
"""

REACH = f"""
CREATE TABLE customer_reach (
    id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    customer_id text NOT NULL,
    service_point_id text NOT NULL,
    staff_id text NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX ix_customer_reach_customer ON customer_reach (customer_id, service_point_id);
CREATE INDEX ix_customer_reach_point ON customer_reach (service_point_id, expires_at);

-- A customer of the staff member's service point, coached by them, or found by their
-- point through the audited lookup (for REACH_DAYS); team leads and administrators: all.
CREATE OR REPLACE FUNCTION desk_customer_visible(cid text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
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
        OR EXISTS (SELECT 1 FROM customer_reach r WHERE r.customer_id = cid
                   AND r.service_point_id = point AND r.expires_at > now());
END $$;

-- Writes to the customer's own record and facts: their point, their coach, leads.
CREATE OR REPLACE FUNCTION desk_customer_in_charge(cid text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT desk_staff_id() IS NOT NULL AND (desk_sees_all() OR EXISTS (
        SELECT 1 FROM customer c WHERE c.id = cid
        AND (c.service_point_id = desk_staff_point() OR c.coach_id = desk_staff_id())))
$$;

-- Case work is read by the customer's coach and that coach's team (any coach of the
-- point while the customer has no coach), with permission `p`; leads and admins: all.
CREATE OR REPLACE FUNCTION desk_case_readable(cid text, p text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT desk_may(p) AND (desk_sees_all() OR EXISTS (
        SELECT 1 FROM customer c WHERE c.id = cid AND (
            c.coach_id = desk_staff_id()
            OR (c.coach_id IS NULL AND c.service_point_id = desk_staff_point())
            OR (desk_staff_team() IS NOT NULL AND c.coach_id IN (
                SELECT s.id FROM staff s WHERE s.team_id = desk_staff_team())))))
$$;
-- ...and written only by the customer's own coach (any coach of the point while the
-- customer has none); leads and admins: all.
CREATE OR REPLACE FUNCTION desk_case_writable(cid text, p text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT desk_may(p) AND (desk_sees_all() OR EXISTS (
        SELECT 1 FROM customer c WHERE c.id = cid AND (
            c.coach_id = desk_staff_id()
            OR (c.coach_id IS NULL AND c.service_point_id = desk_staff_point()))))
$$;
CREATE OR REPLACE FUNCTION desk_plan_customer(pid text) RETURNS text LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT customer_id FROM plan WHERE id = pid
$$;
CREATE OR REPLACE FUNCTION desk_version_customer(vid text) RETURNS text LANGUAGE sql
STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT p.customer_id FROM plan_version v JOIN plan p ON p.id = v.plan_id
    WHERE v.id = vid
$$;
CREATE OR REPLACE FUNCTION desk_feedback_point(fid text) RETURNS text LANGUAGE sql
STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT service_point_id FROM feedback WHERE id = fid
$$;

-- The one way to a customer of another service point: by henkilötunnus, identity only,
-- audited centrally; the point may then see the customer's record for {REACH_DAYS} days
-- (book, register, serve), never their case work.
CREATE OR REPLACE FUNCTION desk_find_customer(p_hetu text)
RETURNS TABLE (id text, customer_number text, hetu text, hetu_temporary boolean,
               first_names text, last_name text, sort_name text, birth_date date,
               language text, interpreter_needed boolean, home_municipality text,
               service_point_id text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me text := desk_staff_id();
    point text := desk_staff_point();
    found record;
    superuser boolean := coalesce((SELECT rolsuper FROM pg_roles
                                   WHERE rolname = session_user), false);
BEGIN
    -- A superuser (a development set-up's one shared account) sees everyone anyway.
    IF NOT superuser AND (me IS NULL
            OR NOT (desk_may('queue.register') OR desk_may('appointment.book'))) THEN
        RAISE EXCEPTION 'only active staff who register or book may look customers up'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR found IN SELECT * FROM customer c
                 WHERE c.hetu = upper(btrim(p_hetu)) AND c.erased_at IS NULL
                 AND c.deleted_at IS NULL LOOP
        IF me IS NOT NULL THEN
            INSERT INTO customer_reach (customer_id, service_point_id, staff_id, expires_at)
            VALUES (found.id, point, me, now() + interval '{REACH_DAYS} days');
            INSERT INTO audit_event (id, at, staff_id, workstation, action, entity,
                                     entity_id, updated_at, hlc, version)
            VALUES (gen_random_uuid()::text, now() AT TIME ZONE 'utc', me, 'central',
                    'customer.lookup', 'customer', found.id, now() AT TIME ZONE 'utc', '',
                    1);
        END IF;
        id := found.id; customer_number := found.customer_number; hetu := found.hetu;
        hetu_temporary := found.hetu_temporary; first_names := found.first_names;
        last_name := found.last_name; sort_name := found.sort_name;
        birth_date := found.birth_date; language := found.language;
        interpreter_needed := found.interpreter_needed;
        home_municipality := found.home_municipality;
        service_point_id := found.service_point_id;
        RETURN NEXT;
    END LOOP;
END $$;
"""

# Conflicts and their rows: a conflict is seen where its row may be read (the invoker's
# own policies decide: no definer rights) and resolved by whoever may update the row.
CONFLICT_SCOPE = """
CREATE OR REPLACE FUNCTION desk_row_visible(tbl text, rid text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    found boolean;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = tbl || '_stamp') THEN
        RETURN false;  -- only synchronised tables
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE id = $1)', tbl) INTO found
        USING rid;
    RETURN found;
EXCEPTION WHEN insufficient_privilege THEN
    RETURN false;
END $$;
-- The service point a row belongs to (its own, or its customer's): a conflict carries it,
-- so that the pull fetches the conflict where the row is held.
CREATE OR REPLACE FUNCTION desk_row_point(tbl text, rid text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r jsonb;
    cid text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = tbl || '_stamp') THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT to_jsonb(t) FROM %I t WHERE id = $1', tbl) INTO r USING rid;
    IF r IS NULL THEN
        RETURN NULL;
    END IF;
    IF r ? 'service_point_id' AND tbl <> 'customer' THEN
        RETURN r ->> 'service_point_id';
    END IF;
    cid := CASE WHEN tbl = 'customer' THEN rid
                WHEN r ? 'customer_id' THEN r ->> 'customer_id'
                WHEN r ? 'plan_id' THEN desk_plan_customer(r ->> 'plan_id')
                WHEN r ? 'plan_version_id' THEN desk_version_customer(r ->> 'plan_version_id')
           END;
    IF cid IS NULL AND r ? 'feedback_id' THEN
        RETURN desk_feedback_point(r ->> 'feedback_id');
    END IF;
    RETURN (SELECT service_point_id FROM customer WHERE id = cid);
END $$;
CREATE OR REPLACE FUNCTION desk_conflict_scope() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    NEW.service_point_id := coalesce(desk_row_point(NEW.table_name, NEW.row_id),
                                     NEW.service_point_id);
    RETURN NEW;
END $$;
CREATE TRIGGER sync_conflict_scope BEFORE INSERT ON sync_conflict
    FOR EACH ROW EXECUTE FUNCTION desk_conflict_scope();
CREATE OR REPLACE FUNCTION desk_row_writable(tbl text, rid text) RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
    found boolean;
BEGIN
    IF NOT desk_row_visible(tbl, rid) THEN
        RETURN false;
    END IF;
    -- FOR UPDATE needs the UPDATE grant and passes the table's UPDATE policy.
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE id = $1 FOR UPDATE)', tbl)
        INTO found USING rid;
    RETURN found;
EXCEPTION WHEN insufficient_privilege THEN
    RETURN false;
END $$;
"""


def _retention_sql() -> str:
    """The last activity of customer OLD (its own change and every row that belongs to
    it, as app/services/rights.py counts it), for the erasure check."""
    plans = "SELECT id FROM plan WHERE customer_id = OLD.id"
    versions = f"SELECT id FROM plan_version WHERE plan_id IN ({plans})"
    where = {"customer": "customer_id = OLD.id", "plan": f"plan_id IN ({plans})",
             "version": f"plan_version_id IN ({versions})"}
    parts = ["OLD.updated_at"] + [
        f"(SELECT max(updated_at) FROM {name} WHERE {where[how]})"
        for name, how, _assign in erasure_rules.SCRUB]
    return "greatest(" + ", ".join(parts) + ")"


def customer_guard_sql() -> str:
    """Today's `desk_guard_customer` (its retention check over every table the erasure
    rules name), without its CREATE TRIGGER: for an upgraded centre's migration to make
    it again when the erasure rules gained tables (a fresh install's c0050 makes it with
    them all already)."""
    sql = guards_sql()
    start = sql.index("CREATE OR REPLACE FUNCTION desk_guard_customer()")
    end = sql.index("CREATE TRIGGER customer_guard")
    return sql[start:end]


def guards_sql() -> str:
    return f"""
-- The customer record: who may change its coach and service point, and erasure.
CREATE OR REPLACE FUNCTION desk_guard_customer() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me text := desk_staff_id();
    last timestamp;
    years integer;
BEGIN
    IF me IS NULL THEN
        RETURN NEW;  -- the owner or a migration; any other login is kept out by policies
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.coach_id IS NOT NULL AND NOT desk_may('customer.assign_coach') THEN
            RAISE EXCEPTION 'your role may not assign a coach'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.erased_at IS NOT NULL THEN
            RAISE EXCEPTION 'a customer is erased only by an erasure'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.coach_id IS DISTINCT FROM OLD.coach_id
            AND NOT desk_may('customer.assign_coach') THEN
        RAISE EXCEPTION 'your role may not change the coach'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.service_point_id IS DISTINCT FROM OLD.service_point_id
            AND NOT desk_may('caseload.manage') THEN
        RAISE EXCEPTION 'your role may not move a customer to another service point'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.erased_at IS NOT NULL AND NEW.erased_at IS DISTINCT FROM OLD.erased_at THEN
        RAISE EXCEPTION 'an erasure is never undone' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL THEN
        IF NOT desk_may('customer.erase') THEN
            RAISE EXCEPTION 'only an administrator erases a customer'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.active THEN
            RAISE EXCEPTION 'the customer must be inactive before erasure'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        years := coalesce((SELECT value::integer FROM area_setting
                           WHERE key = 'retention_years' AND deleted_at IS NULL
                           AND value ~ '^[0-9]+$' LIMIT 1), 5);
        last := {_retention_sql()};
        -- A day's leeway: the workstation counts in Helsinki days.
        IF last + make_interval(years => years) > (now() AT TIME ZONE 'utc') + interval '1 day'
        THEN
            RAISE EXCEPTION 'the retention period has not ended'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        INSERT INTO audit_event (id, at, staff_id, workstation, action, entity, entity_id,
                                 detail, updated_at, hlc, version)
        VALUES (gen_random_uuid()::text, now() AT TIME ZONE 'utc', me, 'central',
                'customer.erase.central', 'customer', OLD.id,
                json_build_object('last_activity', last, 'retention_years', years)::text,
                now() AT TIME ZONE 'utc', '', 1);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER customer_guard BEFORE INSERT OR UPDATE ON customer
    FOR EACH ROW EXECUTE FUNCTION desk_guard_customer();

-- A row that names a customer names one its writer may already see (no reach gained by
-- creating rows). TG_ARGV[0]: the column.
CREATE OR REPLACE FUNCTION desk_guard_named_customer() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
    cid text := to_jsonb(NEW) ->> TG_ARGV[0];
BEGIN
    IF cid IS NULL OR desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND cid IS NOT DISTINCT FROM (to_jsonb(OLD) ->> TG_ARGV[0]) THEN
        RETURN NEW;
    END IF;
    IF NOT desk_customer_visible(cid) THEN
        RAISE EXCEPTION '% may only name a customer you can see', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

-- Forward-only states stay forward-only: a queue ticket's (leg, state), a plan version's
-- status (the merge keeps the furthest; a workstation sending less is refused).
CREATE OR REPLACE FUNCTION desk_guard_forward() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
    ranks constant jsonb := '{{"queue_ticket": {{"waiting": 0, "called": 1, "serving": 2,
        "left": 3, "done": 4}}, "plan_version": {{"draft": 0, "accepted": 1,
        "superseded": 2}}}}';
    col text := TG_ARGV[0];
    before_rank integer := (ranks -> TG_TABLE_NAME ->> (to_jsonb(OLD) ->> col))::integer;
    after_rank integer := (ranks -> TG_TABLE_NAME ->> (to_jsonb(NEW) ->> col))::integer;
    before_leg integer := coalesce((to_jsonb(OLD) ->> 'leg')::integer, 0);
    after_leg integer := coalesce((to_jsonb(NEW) ->> 'leg')::integer, 0);
BEGIN
    IF (after_leg, after_rank) < (before_leg, before_rank) THEN
        RAISE EXCEPTION '% % may only move forward', TG_TABLE_NAME, col
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER queue_ticket_forward BEFORE UPDATE OF state, leg ON queue_ticket
    FOR EACH ROW EXECUTE FUNCTION desk_guard_forward('state');
CREATE TRIGGER plan_version_forward BEFORE UPDATE OF status ON plan_version
    FOR EACH ROW EXECUTE FUNCTION desk_guard_forward('status');

-- Every synchronised row carries who wrote it: the connected staff member, not what the
-- workstation says (the owner and migrations keep the value sent).
CREATE OR REPLACE FUNCTION desk_stamp_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.row_tx := pg_current_xact_id();
    IF TG_OP = 'INSERT' THEN
        NEW.version := 1;
    ELSE
        NEW.version := OLD.version + 1;
    END IF;
    NEW.updated_by := coalesce(desk_staff_id(), NEW.updated_by);
    RETURN NEW;
END $$;
"""


# Tables whose rows name a customer in `customer_id` without being case work (which has
# its own, stricter check): creating one must not widen reach.
NAMES_A_CUSTOMER = ("queue_ticket", "appointment", "visit", "coach_assignment",
                    "unemployment_period")

ACTIVE = "desk_staff_id() IS NOT NULL"

# Columns a group may not read on rows it otherwise reads (row-level security cannot hide
# a column): SELECT on the table is revoked from the group and granted on every other
# column (central c0095). The pull and the push read only the columns the connection may
# (app/sync/columns.py), so a desk never fetches them. A migration that adds a column to
# such a table grants it to the group unless it too is withheld.
WITHHELD: dict[str, dict[str, tuple[str, ...]]] = {
    # Why a case ended, in the coach's words: case work (the desk sees the reason code).
    "job_search_period": {"desk_desk": ("outcome_note",)},
    # The plan's password on its way to the customer by SMS (#23): the desk never sends
    # the plan, and never reads its password.
    "message": {"desk_desk": ("secret",)},
    # A partner's login (#24, c0115) reads a consented customer's identity and contact
    # details, not their jobseeker facts. (partial_work_ability is still readable: the
    # workstation's column has no default for a pull to leave it out; the application
    # never shows it to a partner.)
    "customer": {"desk_partner": ("jobseeker_registered_on", "unemployed_since",
                                  "first_residence_permit_on")},
}
HERE = "(desk_sees_all() OR service_point_id = desk_staff_point())"


def _case(column: str, read: str, write: str) -> dict[str, str]:
    return {"select": f"desk_case_readable({column}, '{read}')",
            "write": f"desk_case_writable({column}, '{write}')"}


# Per table: "select" (USING of SELECT), "insert" (WITH CHECK), "update" (USING and WITH
# CHECK of UPDATE; "update_check" when the new row is held to something else), "write"
# (insert and update alike). No table has a DELETE policy: rows are tombstoned.
POLICIES: dict[str, dict[str, str]] = {
    # Reference data: every active staff member reads it; the grants say who writes.
    "service_point": {"select": ACTIVE, "write": "desk_may('staff.manage')"},
    "team": {"select": ACTIVE, "write": "desk_may('staff.manage')"},
    "staff": {"select": ACTIVE, "write": "desk_may('staff.manage')"},
    "area_setting": {"select": ACTIVE, "write": "desk_may('settings.edit')"},
    "role_permission": {"select": ACTIVE},
    "working_hours": {"select": ACTIVE, "write": "(staff_id = desk_staff_id() "
                      "OR desk_may('calendar.manage'))"},
    "calendar_override": {"select": ACTIVE, "write": "desk_may('calendar.manage')"},
    # The customer and the facts of their case that the desk keeps.
    "customer": {"select": "desk_customer_visible(id)", "insert": HERE,
                 "update": "(desk_sees_all() OR service_point_id = desk_staff_point() "
                           "OR coach_id = desk_staff_id())"},
    "unemployment_period": {"select": "desk_customer_visible(customer_id)",
                            "write": "desk_customer_in_charge(customer_id)"},
    "coach_assignment": {"select": "desk_customer_visible(customer_id)",
                         "insert": "desk_may('customer.assign_coach') "
                                   "AND desk_customer_in_charge(customer_id)"},
    # Case work, by caseload and team.
    "customer_note": _case("customer_id", "case_notes.read", "plan.edit"),
    "customer_barrier": _case("customer_id", "customer.barriers", "customer.barriers"),
    "plan": _case("customer_id", "plan.read", "plan.edit"),
    "plan_version": _case("desk_plan_customer(plan_id)", "plan.read", "plan.edit"),
    "plan_goal": _case("desk_version_customer(plan_version_id)", "plan.read", "plan.edit"),
    "plan_action": _case("desk_version_customer(plan_version_id)", "plan.read",
                         "plan.edit"),
    "plan_service": _case("desk_version_customer(plan_version_id)", "plan.read",
                          "plan.edit"),
    # The day at the desk: the service point's own rows.
    "queue_ticket": {"select": HERE, "write": HERE},
    "desk_duty": {"select": HERE, "write": HERE},
    "visit": {"select": f"({HERE} OR desk_customer_visible(customer_id))", "write": HERE},
    # Any desk books anyone's time: at the worker's point, for a customer it can see.
    "appointment": {"select": f"({HERE} OR desk_customer_visible(customer_id))",
                    "write": f"({HERE} OR staff_id = desk_staff_id() "
                             f"OR desk_customer_visible(customer_id))"},
    "feedback": {"select": f"(desk_may('feedback.read') AND {HERE})", "insert": HERE},
    "feedback_reply_request": {
        "select": "(desk_may('feedback.reply') AND (desk_sees_all() "
                  "OR desk_feedback_point(feedback_id) = desk_staff_point()))",
        "insert": "(desk_sees_all() OR desk_feedback_point(feedback_id) = desk_staff_point())",
        "update": "(desk_may('feedback.reply') AND (desk_sees_all() "
                  "OR desk_feedback_point(feedback_id) = desk_staff_point()))"},
    # The trail: everyone appends in their own name; leads and admins read.
    "audit_event": {"select": "desk_may('audit.read')", "insert": "staff_id = desk_staff_id()"},
    # Sync bookkeeping, scoped like the rows it is about.
    "applied_mutation": {"select": "db_role = session_user::text",
                         "insert": f"db_role = session_user::text AND {ACTIVE}"},
    "sync_conflict": {"select": "desk_row_visible(table_name, row_id)",
                      "insert": "desk_row_visible(table_name, row_id)",
                      "update": "desk_row_visible(table_name, row_id)",
                      "update_check": "desk_row_writable(table_name, row_id)"},
    "customer_reach": {"select": "(desk_sees_all() OR service_point_id = desk_staff_point())"},
}

# Tables that hold no personal data and no customer ids, exempt from row-level security.
NO_POLICY = ("alembic_version_central",)


def policy_statements(table: str, rules: dict[str, str]) -> list[str]:
    """ENABLE ROW LEVEL SECURITY and one policy per command for `table`."""
    out = [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"]
    select = rules["select"]
    out.append(f"CREATE POLICY desk_read ON {table} FOR SELECT USING ({select})")
    insert = rules.get("insert", rules.get("write"))
    if insert:
        out.append(f"CREATE POLICY desk_insert ON {table} FOR INSERT WITH CHECK ({insert})")
    update = rules.get("update", rules.get("write"))
    if update:
        check = rules.get("update_check", update)
        out.append(f"CREATE POLICY desk_update ON {table} FOR UPDATE "
                   f"USING ({select} AND {update}) WITH CHECK ({check})")
    return out


def protect_customer_rows(op: Any, table: str, rules: dict[str, str],
                          names_customer: str | None = "customer_id") -> None:
    """For a migration that adds a table (docs/central-trust.md): its policies, and, when
    its rows name a customer, the check that they name only a visible one."""
    for statement in policy_statements(table, rules):
        op.execute(statement)
    if names_customer:
        op.execute(f"CREATE TRIGGER {table}_names_customer BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION desk_guard_named_customer('{names_customer}')")
