"""report days: local-only Helsinki day, week and minute columns for the reports

Revision ID: 0075
Revises: 0070

Visits and appointments gain their start's Helsinki day and week (Monday), a visit its
minute of the day and its length, with the indexes the reports read a year from
(app.models.local_time; benchmarks/README.md, "a year's reports"). The workstation's
own: no central revision, never pushed; the pull computes them for the rows it brings.
The rows already here are filled in batches, computed in Python with zoneinfo.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.local_time import local_day, local_minute, local_week, minutes_between

revision: str = "0075"
down_revision: str | Sequence[str] | None = "0070"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000

INDEXES = (
    ("visit", "ix_visit_report_week", ["local_week", "local_day", "deleted_at",
                                       "service_point_id", "team_id", "channel",
                                       "service_area", "customer_id"]),
    ("visit", "ix_visit_report_walk_in", ["walk_in", "local_day", "deleted_at",
                                          "service_point_id", "team_id", "local_minute",
                                          "wait_minutes"]),
    ("visit", "ix_visit_report_customer", ["customer_id", "local_day", "deleted_at",
                                           "service_point_id", "team_id", "minutes"]),
    ("appointment", "ix_appointment_report_day", ["local_day", "deleted_at", "status",
                                                  "service_point_id", "staff_id",
                                                  "customer_id"]),
    ("customer", "ix_customer_municipality", ["id", "home_municipality"]),
)


def _day(value: object) -> str | None:
    day = local_day(value)
    return None if day is None else day.isoformat()


def _week(value: object) -> str | None:
    week = local_week(value)
    return None if week is None else week.isoformat()


def _fill(table: str, select: str, compute, assign: str) -> None:
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            f"SELECT rowid, {select} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (last, BATCH)).fetchall()
        if not rows:
            return
        conn.exec_driver_sql(f"UPDATE {table} SET {assign} WHERE rowid = ?",
                             [(*compute(*r[1:]), r[0]) for r in rows])
        last = rows[-1][0]


def upgrade() -> None:
    op.add_column("visit", sa.Column("local_day", sa.Date(), nullable=True))
    op.add_column("visit", sa.Column("local_week", sa.Date(), nullable=True))
    op.add_column("visit", sa.Column("local_minute", sa.Integer(), nullable=True))
    op.add_column("visit", sa.Column("minutes", sa.Float(), nullable=True))
    op.add_column("appointment", sa.Column("local_day", sa.Date(), nullable=True))
    op.add_column("appointment", sa.Column("local_week", sa.Date(), nullable=True))
    _fill("visit", "started_at, ended_at",
          lambda start, end: (_day(start), _week(start), local_minute(start),
                              minutes_between(start, end)),
          "local_day = ?, local_week = ?, local_minute = ?, minutes = ?")
    _fill("appointment", "starts_at",
          lambda start: (_day(start), _week(start)), "local_day = ?, local_week = ?")
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for table, name, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    # SQLite's own DROP COLUMN (3.35+): a batch copy of the visit table takes minutes.
    for table, columns in (("visit", ("local_day", "local_week", "local_minute", "minutes")),
                           ("appointment", ("local_day", "local_week"))):
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
