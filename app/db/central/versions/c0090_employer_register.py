"""employer register: employers, contact persons, contacts, vacancies, job proposals

Revision ID: c0090
Revises: c0080

Employers and their vacancies are the area's register: every active staff member reads
them (the desk looks employers up), coaches, team leads and administrators
(`employer.edit`) write them. Contact persons are people and contacts carry notes about
them: only `employer.edit` reads or writes them, never the desk. A job proposal (a job
tip) is the customer's case work: read by the case's readers, written for one's own
caseload (`desk_case_writable(customer_id, 'employer.edit')`), like referrals.

An employer's id is derived from its business ID (app/rules/employers.py employer_id),
so two desks that register the same company offline write one row; the guard refuses a
row whose id does not match (a second row for the same company, or a changed business
ID). A proposal's id comes from its vacancy and customer when it is made. Each table
follows docs/central-trust.md.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import central_trust as trust
from app.db.central_ddl import make_synced
from app.db.employer_ddl import TABLES, create_tables
from app.db.erasure_ddl import central_trigger_sql, guard_functions
from app.rules.employers import EMPLOYER_NAMESPACE, PROPOSAL_NAMESPACE
from app.rules.erasure import SCRUB

revision: str = "c0090"
down_revision: str | Sequence[str] | None = "c0080"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "desk_desk, desk_coach, desk_team_lead, desk_admin"
OWNER = "desk_owner"
# app/rules/permissions.py gains these (the central copy is compared with the code).
NEW_PERMISSIONS = {
    "desk": ("employer.read",),
    "coach": ("employer.read", "employer.edit"),
    "team_lead": ("employer.read", "employer.edit"),
    "admin": ("employer.read", "employer.edit"),
}

EDIT = "desk_may('employer.edit')"
POLICIES = {
    "employer": {"select": trust.ACTIVE, "write": EDIT},
    "vacancy": {"select": trust.ACTIVE, "write": EDIT},
    "employer_person": {"select": EDIT, "write": EDIT},
    "employer_contact": {"select": EDIT, "write": EDIT},
    "job_proposal": {"select": "desk_case_readable(customer_id, 'plan.read')",
                     "write": "desk_case_writable(customer_id, 'employer.edit')"},
}

GUARDS = """
CREATE OR REPLACE FUNCTION desk_guard_employer() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;  -- the owner or a migration
    END IF;
    IF NEW.id <> desk_uuid5('{EMPLOYER_NAMESPACE}', NEW.business_id) THEN
        RAISE EXCEPTION 'an employer has the id of its business ID'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER employer_id_of_business_id BEFORE INSERT OR UPDATE ON employer
    FOR EACH ROW EXECUTE FUNCTION desk_guard_employer();

-- A proposal is made once per vacancy and customer (its id is derived from them); it
-- moves to another customer only in a merge (the merge keeps its id).
CREATE OR REPLACE FUNCTION desk_guard_proposal() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.id <> desk_uuid5('{PROPOSAL_NAMESPACE}', NEW.vacancy_id || ':' || NEW.customer_id)
                THEN
            RAISE EXCEPTION 'a job proposal has the id of its vacancy and customer'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.vacancy_id IS DISTINCT FROM OLD.vacancy_id THEN
        RAISE EXCEPTION 'a job proposal keeps its vacancy' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.customer_id IS DISTINCT FROM OLD.customer_id AND NOT desk_may('customer.merge')
            THEN
        RAISE EXCEPTION 'a job proposal moves to another customer only in a merge'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER job_proposal_guard BEFORE INSERT OR UPDATE ON job_proposal
    FOR EACH ROW EXECUTE FUNCTION desk_guard_proposal();

-- A customer merge (c0061) moves the duplicate's job proposals to the real customer.
CREATE OR REPLACE FUNCTION desk_apply_merge_employer() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE job_proposal SET customer_id = NEW.into_customer_id,
                            updated_at = now() AT TIME ZONE 'utc'
    WHERE customer_id = NEW.from_customer_id;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_merge_apply_employer AFTER INSERT ON customer_merge
    FOR EACH ROW EXECUTE FUNCTION desk_apply_merge_employer();
CREATE TRIGGER job_proposal_merged_into BEFORE INSERT OR UPDATE OF customer_id
    ON job_proposal FOR EACH ROW WHEN (NEW.customer_id IS NOT NULL)
    EXECUTE FUNCTION desk_redirect_merged();
""".replace("{EMPLOYER_NAMESPACE}", EMPLOYER_NAMESPACE).replace(
    "{PROPOSAL_NAMESPACE}", PROPOSAL_NAMESPACE)


def upgrade() -> None:
    create_tables(op, local=False)
    for table in TABLES:
        make_synced(op, table)
    op.execute(GUARDS)
    for table, rules in POLICIES.items():
        names = "customer_id" if table == "job_proposal" else None
        trust.protect_customer_rows(op, table, rules, names_customer=names)
    # The desk reads the register but never writes it (its policies show it no contact
    # person, contact or proposal; SELECT stays granted so its pull reads them empty).
    op.execute("REVOKE INSERT, UPDATE ON employer, vacancy, employer_person, "
               "employer_contact, job_proposal FROM desk_desk")
    op.bulk_insert(sa.table("role_permission", sa.column("role"), sa.column("permission")),
                   [{"role": role, "permission": p} for role, ps in NEW_PERMISSIONS.items()
                    for p in ps])
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} OWNER TO {OWNER}")
    # An erasure clears what was shared with an employer about the job seeker.
    op.execute(central_trigger_sql(
        [e for e in SCRUB if e[0] not in ("message", "contact_preference")],  # c0105's
        replace=True))
    guards = guard_functions([e for e in SCRUB if e[0] == "job_proposal"])
    for _name, create, trigger in guards:
        op.execute(create)
        op.execute(trigger)
    for signature in ("desk_guard_employer()", "desk_guard_proposal()",
                      "desk_apply_merge_employer()", *(name for name, _c, _t in guards)):
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {GROUPS}")


def downgrade() -> None:
    raise NotImplementedError("c0090 adds rights and guarded tables: restore the backup "
                              "taken before the upgrade")
