"""timeliness indexes: local-only covering indexes for the statutory timeliness reports

Revision ID: 0085
Revises: 0080

The five timeliness reports read a year's customers, their job-search periods, barriers,
subsidy periods and the meetings held (by their local day, migration 0075) from these
indexes alone (app.services.reports.timeliness). The workstation's own: no central
revision, never pushed (app.models.local_time.LOCAL_INDEX).
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0085"
down_revision: str | Sequence[str] | None = "0080"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("customer", "ix_customer_report_clock",
     ["id", "deleted_at", "jobseeker_registered_on", "birth_date", "unemployed_since",
      "first_residence_permit_on", "active", "service_point_id", "coach_id"]),
    ("customer_barrier", "ix_customer_barrier_report", ["customer_id", "deleted_at"]),
    ("job_search_period", "ix_job_search_period_report",
     ["customer_id", "deleted_at", "opened_on", "closed_on"]),
    ("appointment", "ix_appointment_report_held",
     ["status", "type", "local_day", "customer_id", "deleted_at"]),
    ("unemployment_period", "ix_unemployment_period_report",
     ["benefit", "deleted_at", "customer_id", "starts_on", "ends_on"]),
    ("case_facts", "ix_case_facts_report",
     ["customer_id", "deleted_at", "partial_work_ability", "subsidy_days",
      "subsidy_days_on", "allowance_exhausted_on"]),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for table, name, _columns in INDEXES:
        op.drop_index(name, table_name=table)
