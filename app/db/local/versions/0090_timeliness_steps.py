"""timeliness steps: the workstation's own per-customer summary of the statutory steps

Revision ID: 0090
Revises: 0085

The five statutory timeliness reports read each customer's steps (the initial interviews,
job-search conversations, plan reviews, activation and integration plans, each with its
due day and the day it was held) from `timeliness_step`, recomputed for the customers in
`timeliness_dirty` only (app.services.reports.timeliness_steps). The triggers below mark a
customer dirty on every insert, update or delete of a row their steps are made of, so
the write path, the sync pull, a merge and an erasure alike keep the summary right.

Derived data of this workstation: no model in app.models (so never in the central
schema, the outbox, the seed or the digest), never pushed, rebuilt from the synchronised
rows at any time. Every existing customer starts dirty: the first report computes all.
"""
from collections.abc import Callable, Sequence

from alembic import op

revision: str = "0090"
down_revision: str | Sequence[str] | None = "0085"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    # One statutory step of a customer: `kind` interview, conversation, review, activation
    # or integration; `seq` its order among the customer's steps of that kind; dates as
    # ISO text. `group_bits`: the customer's report groups on the due day (bits of
    # timeliness.GROUP_BITS); `service_point_id`, `coach_id`, `registered_on`: the
    # customer's, for the report's filters. `reach_on` (activation): the day the count
    # reaches the limit (the clock's horizon decides whether it is seen today);
    # `review_on`/`accepted` (review): the version's review date and the order it was
    # accepted in; `open`: the case open on the due day.
    """CREATE TABLE timeliness_step (
        kind VARCHAR(12) NOT NULL,
        due_on VARCHAR(10) NOT NULL,
        customer_id VARCHAR(36) NOT NULL,
        seq INTEGER NOT NULL,
        held_on VARCHAR(10),
        group_bits INTEGER NOT NULL,
        service_point_id VARCHAR(36),
        coach_id VARCHAR(36),
        registered_on VARCHAR(10),
        reach_on VARCHAR(10),
        review_on VARCHAR(10),
        accepted VARCHAR(80),
        open INTEGER NOT NULL DEFAULT 1,
        CONSTRAINT pk_timeliness_step PRIMARY KEY (kind, due_on, customer_id, seq)
    ) WITHOUT ROWID""",
    # Stored in the order a report reads it (a kind's steps by due day, no lookups).
    "CREATE INDEX ix_timeliness_step_customer ON timeliness_step (customer_id)",
    "CREATE INDEX ix_timeliness_step_review ON timeliness_step (kind, review_on)",
    # The customers whose steps are to be computed again.
    """CREATE TABLE timeliness_dirty (
        customer_id VARCHAR(36) NOT NULL,
        CONSTRAINT pk_timeliness_dirty PRIMARY KEY (customer_id)
    ) WITHOUT ROWID""",
    # Customers to compute again after a day (the activation plan's count looks two
    # years ahead of today), and the rules the summary was computed by.
    """CREATE TABLE timeliness_recheck (
        customer_id VARCHAR(36) NOT NULL,
        after VARCHAR(10) NOT NULL,
        CONSTRAINT pk_timeliness_recheck PRIMARY KEY (customer_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE timeliness_meta (
        key VARCHAR(40) NOT NULL,
        value TEXT NOT NULL,
        CONSTRAINT pk_timeliness_meta PRIMARY KEY (key)
    )""",
)

# The tables whose rows make a customer's steps, by the column naming the customer.
SOURCES = ("appointment", "job_search_period", "case_facts", "unemployment_period",
           "customer_barrier", "plan")


# Never a conflict to resolve: a trigger fired by an upsert (the pull's INSERT ... ON
# CONFLICT DO UPDATE) takes the outer statement's conflict policy, not its own OR IGNORE.
def _mark(row: str, column: str) -> str:
    return (f"INSERT INTO timeliness_dirty (customer_id) SELECT {row}.{column} "
            f"WHERE {row}.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
            f"timeliness_dirty WHERE customer_id = {row}.{column});")


def _version_mark(row: str) -> str:
    return ("INSERT INTO timeliness_dirty (customer_id) SELECT p.customer_id FROM plan p "
            f"WHERE p.id = {row}.plan_id AND p.customer_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM timeliness_dirty d WHERE d.customer_id = p.customer_id);")


def triggers() -> list[str]:
    found = []

    def add(table: str, mark: Callable[[str], str]) -> None:
        found.append(f"CREATE TRIGGER trg_{table}_steps_ins AFTER INSERT ON {table} "
                     f"BEGIN {mark('NEW')} END")
        found.append(f"CREATE TRIGGER trg_{table}_steps_upd AFTER UPDATE ON {table} "
                     f"BEGIN {mark('OLD')} {mark('NEW')} END")
        found.append(f"CREATE TRIGGER trg_{table}_steps_del AFTER DELETE ON {table} "
                     f"BEGIN {mark('OLD')} END")

    add("customer", lambda row: _mark(row, "id"))
    for table in SOURCES:
        add(table, lambda row: _mark(row, "customer_id"))
    add("plan_version", _version_mark)
    return found


def trigger_names() -> list[str]:
    return [f"trg_{table}_steps_{op_}" for table in ("customer", *SOURCES, "plan_version")
            for op_ in ("ins", "upd", "del")]


def upgrade() -> None:
    for ddl in TABLES:
        op.execute(ddl)
    for ddl in triggers():
        op.execute(ddl)
    op.execute("INSERT INTO timeliness_dirty (customer_id) SELECT id FROM customer")


def downgrade() -> None:
    for name in trigger_names():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("timeliness_meta", "timeliness_recheck", "timeliness_dirty",
                  "timeliness_step"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
