"""The tables of group services and events (#21), as both migrations create them (local
0100, central c0100): one definition, so the two schemas cannot drift. The workstation's
copy carries foreign keys; the centre's does not (rows arrive in any order there, and
row-level security hides referenced rows). Also the columns #21 adds to working hours
(where the worker works) and appointments (the booked room)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.db.purchased_ddl import _enum, _synced_columns

KINDS = ("service_info", "recruitment", "interviews", "group_coaching", "startup_morning",
         "other")
EVENT_STATUSES = ("planned", "cancelled")
PARTICIPANT_STATUSES = ("invited", "registered", "waiting", "cancelled", "declined")
VIA = ("list", "queue")

TABLES = ("room", "event", "event_session", "event_participant", "event_attendance",
          "annual_theme")


def create_tables(op: Any, local: bool) -> None:
    def fk(table: str, column: str, target: str) -> list[sa.ForeignKeyConstraint]:
        if not local:
            return []
        return [sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                        name=op.f(f"fk_{table}_{column}_{target}"))]

    op.create_table(
        "room",
        sa.Column("service_point_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("accessible", sa.Boolean(), nullable=False),
        sa.Column("equipment", sa.String(length=400), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_synced_columns(),
        *fk("room", "service_point_id", "service_point"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room")),
    )
    op.create_index(op.f("ix_room_service_point_id"), "room", ["service_point_id"])
    op.create_table(
        "event",
        sa.Column("service_point_id", sa.String(length=36), nullable=False),
        sa.Column("kind", _enum(KINDS, "eventkind"), nullable=False),
        sa.Column("status", _enum(EVENT_STATUSES, "eventstatus"), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("target_groups", sa.String(length=200), nullable=True),
        sa.Column("organiser_ids", sa.String(length=400), nullable=False),
        sa.Column("external_organisers", sa.String(length=400), nullable=True),
        sa.Column("employer_id", sa.String(length=36), nullable=True),
        sa.Column("online_link", sa.String(length=400), nullable=True),
        sa.Column("annual", sa.Boolean(), nullable=False),
        sa.Column("cancel_reason", sa.String(length=400), nullable=True),
        *_synced_columns(),
        *fk("event", "service_point_id", "service_point"),
        *fk("event", "employer_id", "employer"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0",
                           name=op.f("ck_event_positive_capacity")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    op.create_index(op.f("ix_event_service_point_id"), "event", ["service_point_id"])
    op.create_table(
        "event_session",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("service_point_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("room_id", sa.String(length=36), nullable=True),
        sa.Column("online_link", sa.String(length=400), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        *_synced_columns(),
        *fk("event_session", "event_id", "event"),
        *fk("event_session", "service_point_id", "service_point"),
        *fk("event_session", "room_id", "room"),
        sa.CheckConstraint("ends_at > starts_at",
                           name=op.f("ck_event_session_positive_duration")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_session")),
    )
    op.create_index(op.f("ix_event_session_event_id"), "event_session", ["event_id"])
    op.create_index("ix_event_session_start", "event_session", ["starts_at"])
    op.create_index("ix_event_session_room", "event_session", ["room_id", "starts_at"])
    op.create_table(
        "event_participant",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("service_point_id", sa.String(length=36), nullable=False),
        sa.Column("status", _enum(PARTICIPANT_STATUSES, "participantstatus"), nullable=False),
        sa.Column("invited_by", sa.String(length=36), nullable=True),
        sa.Column("invited_at", sa.DateTime(), nullable=True),
        sa.Column("registered_at", sa.DateTime(), nullable=True),
        *_synced_columns(),
        *fk("event_participant", "event_id", "event"),
        *fk("event_participant", "customer_id", "customer"),
        *fk("event_participant", "service_point_id", "service_point"),
        *fk("event_participant", "invited_by", "staff"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_participant")),
    )
    op.create_index(op.f("ix_event_participant_customer_id"), "event_participant",
                    ["customer_id"])
    op.create_index("ix_event_participant_event", "event_participant", ["event_id", "status"])
    op.create_table(
        "event_attendance",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("service_point_id", sa.String(length=36), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("checked_in_by", sa.String(length=36), nullable=True),
        sa.Column("via", _enum(VIA, "checkinvia"), nullable=False),
        *_synced_columns(),
        *fk("event_attendance", "session_id", "event_session"),
        *fk("event_attendance", "event_id", "event"),
        *fk("event_attendance", "customer_id", "customer"),
        *fk("event_attendance", "service_point_id", "service_point"),
        *fk("event_attendance", "checked_in_by", "staff"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_attendance")),
    )
    op.create_index(op.f("ix_event_attendance_customer_id"), "event_attendance",
                    ["customer_id"])
    op.create_index("ix_event_attendance_session", "event_attendance", ["session_id"])
    op.create_table(
        "annual_theme",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("service_point_id", sa.String(length=36), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        *_synced_columns(),
        *fk("annual_theme", "service_point_id", "service_point"),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name=op.f("ck_annual_theme_month_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_theme")),
    )
    op.create_index("ix_annual_theme_year", "annual_theme", ["year", "month"])


def add_columns(op: Any) -> None:
    """Where a worker works (a point or remote) and an appointment's booked room: plain
    ADD COLUMNs in both schemas (SQLite keeps the tables and their triggers)."""
    op.add_column("working_hours", sa.Column("service_point_id", sa.String(length=36),
                                             nullable=True))
    op.add_column("working_hours", sa.Column("remote", sa.Boolean(), nullable=False,
                                             server_default=sa.false()))
    op.add_column("appointment", sa.Column("room_id", sa.String(length=36), nullable=True))
