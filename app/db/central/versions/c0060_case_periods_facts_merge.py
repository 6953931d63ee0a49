"""job-search periods, case facts, note history, customer merges, supplementary conversations

Revision ID: c0060
Revises: c0050

A customer's case becomes a sequence of job-search periods (closed with a coded reason,
reopened as a new one); the facts behind the statutory rules that are case work (work
ability, the benefit and its days) get a table of their own that the desk cannot read;
an edited case note supersedes the earlier one; a merge of a duplicate registration is a
row of its own. Each new table follows docs/central-trust.md.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import central_trust as trust
from app.db.case_upgrade import first_periods_and_facts
from app.db.central_ddl import make_synced
from app.db.erasure_ddl import central_trigger_sql, guard_functions
from app.rules.erasure import SCRUB

C0070_TABLES = ("referral", "support_decision", "job_proposal",  # scrubbed from c0070, c0090,
                "message", "contact_preference")  # c0105 on

revision: str = "c0060"
down_revision: str | Sequence[str] | None = "c0050"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "desk_desk, desk_coach, desk_team_lead, desk_admin"
OWNER = "desk_owner"
# app/rules/permissions.py gains these (the central copy is compared with the code).
NEW_PERMISSIONS = {
    "coach": ("case.close", "case.facts"),
    "team_lead": ("case.close", "case.facts", "customer.merge"),
    "admin": ("case.close", "case.facts", "customer.merge"),
}
APPOINTMENT_TYPES = ("initial_interview", "job_search_conversation", "plan_review",
                     "multi_professional", "supplementary_conversation", "other")


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("hlc", sa.String(length=40), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


EXIT_REASONS = ("employed_open_market", "employed_pay_subsidy", "self_employed", "studies",
                "moved_away", "other_services", "ended_by_authority", "other")
BENEFITS = ("earnings_related", "basic", "labour_market_subsidy", "none")

# Who opens and closes a period. The desk registers customers, so it opens the first
# period of a customer it is in charge of; closing, and reopening (a later period), need
# case.close and the right to write the case.
PERIOD_FUNCTIONS = """
CREATE OR REPLACE FUNCTION desk_case_has_period(cid text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM job_search_period p
                   WHERE p.customer_id = cid AND p.deleted_at IS NULL)
$$;

-- The customer's `active` flag (the case is open) follows the periods: only those who
-- may close this customer's case (case.close and the case's write access) change it
-- (and the erasure, which needs it already false).
CREATE OR REPLACE FUNCTION desk_guard_case_status() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF desk_staff_id() IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NOT NEW.active AND NOT desk_may('case.close') THEN
            RAISE EXCEPTION 'your role may not register a customer with a closed case'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.active IS DISTINCT FROM OLD.active
            AND NOT desk_case_writable(OLD.id, 'case.close')
            AND NOT (OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL) THEN
        RAISE EXCEPTION 'your role may not close or reopen a case'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER customer_guard_case_status BEFORE INSERT OR UPDATE ON customer
    FOR EACH ROW EXECUTE FUNCTION desk_guard_case_status();
"""

POLICIES = {
    "job_search_period": {
        "select": "desk_customer_visible(customer_id)",
        "insert": "(desk_case_writable(customer_id, 'case.close') OR "
                  "(desk_customer_in_charge(customer_id) AND closed_on IS NULL "
                  "AND deleted_at IS NULL AND NOT desk_case_has_period(customer_id)))",
        "update": "desk_case_writable(customer_id, 'case.close')",
    },
    "case_facts": {"select": "desk_case_readable(customer_id, 'case.facts')",
                   "write": "desk_case_writable(customer_id, 'case.facts')"},
    "customer_merge": {"select": "desk_customer_visible(into_customer_id)",
                       "insert": "desk_may('customer.merge') "
                                 "AND desk_customer_visible(into_customer_id) "
                                 "AND desk_customer_visible(from_customer_id)"},
}


def upgrade() -> None:
    op.create_table(
        "job_search_period",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("exit_reason", sa.Enum(*EXIT_REASONS, name="caseexitreason",
                                         native_enum=False, create_constraint=True,
                                         length=32), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        *_synced_columns(),
        sa.CheckConstraint("closed_on IS NULL OR closed_on >= opened_on",
                           name=op.f("ck_job_search_period_ordered")),
        sa.CheckConstraint("(closed_on IS NULL) = (exit_reason IS NULL)",
                           name=op.f("ck_job_search_period_reasoned")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_search_period")),
    )
    op.create_index("ix_job_search_period_customer", "job_search_period",
                    ["customer_id", "opened_on"])
    op.create_table(
        "case_facts",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("partial_work_ability", sa.Boolean(), nullable=False),
        sa.Column("work_ability_since", sa.Date(), nullable=True),
        sa.Column("work_ability_basis", sa.String(length=200), nullable=True),
        sa.Column("benefit", sa.Enum(*BENEFITS, name="benefittype", native_enum=False,
                                     create_constraint=True, length=32), nullable=True),
        sa.Column("first_benefit_on", sa.Date(), nullable=True),
        sa.Column("subsidy_days", sa.Integer(), nullable=True),
        sa.Column("subsidy_days_on", sa.Date(), nullable=True),
        sa.Column("allowance_exhausted_on", sa.Date(), nullable=True),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_facts")),
    )
    op.create_index("ix_case_facts_customer", "case_facts", ["customer_id"], unique=True)
    op.create_table(
        "customer_merge",
        sa.Column("from_customer_id", sa.String(length=36), nullable=False),
        sa.Column("into_customer_id", sa.String(length=36), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_merge")),
    )
    op.create_index(op.f("ix_customer_merge_from_customer_id"), "customer_merge",
                    ["from_customer_id"])
    op.create_index(op.f("ix_customer_merge_into_customer_id"), "customer_merge",
                    ["into_customer_id"])
    op.add_column("customer_note", sa.Column("supersedes_id", sa.String(length=36),
                                             nullable=True))
    op.drop_constraint(op.f("ck_appointment_appointmenttype"), "appointment", type_="check")
    op.create_check_constraint(op.f("ck_appointment_appointmenttype"), "appointment",
                               sa.column("type").in_(APPOINTMENT_TYPES))
    make_synced(op, "job_search_period")
    make_synced(op, "case_facts")
    make_synced(op, "customer_merge", append_only=True)

    first_periods_and_facts(op.get_bind())
    op.execute(PERIOD_FUNCTIONS)
    for table, rules in POLICIES.items():
        names = None if table == "customer_merge" else "customer_id"
        trust.protect_customer_rows(op, table, rules, names_customer=names)
    # Nobody rewrites the merge trail or the facts' owner.
    op.execute(f"REVOKE UPDATE ON customer_merge FROM {GROUPS}")
    op.bulk_insert(sa.table("role_permission", sa.column("role"), sa.column("permission")),
                   [{"role": role, "permission": p} for role, ps in NEW_PERMISSIONS.items()
                    for p in ps])
    for table in ("job_search_period", "case_facts", "customer_merge"):
        op.execute(f"ALTER TABLE {table} OWNER TO {OWNER}")
    # An erasure scrubs the periods' outcome notes and the case facts too (app/rules/
    # erasure.py): the scrub function again, and the guards of the two new tables.
    op.execute(central_trigger_sql([e for e in SCRUB if e[0] not in C0070_TABLES],
                                   replace=True))
    guards = guard_functions([e for e in SCRUB if e[0] in ("job_search_period",
                                                           "case_facts")])
    for _name, create, trigger in guards:
        op.execute(create)
        op.execute(trigger)
    for signature in ("desk_case_has_period(text)", "desk_guard_case_status()",
                      *(name for name, _c, _t in guards)):
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        op.execute(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {GROUPS}")


def downgrade() -> None:
    raise NotImplementedError("c0060 moves data (partial work ability) and adds rights: "
                              "restore the backup taken before the upgrade")
