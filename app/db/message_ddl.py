"""The tables of messages to customers (#23), as both migrations create them (local
0105, central c0105): one definition, so the two schemas cannot drift. The workstation's
copy carries foreign keys; the centre's does not (rows arrive in any order there)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.db.purchased_ddl import _enum, _synced_columns
from app.rules.codes import ConsentHow, MessageChannel, MessageKind, MessageStatus

KINDS = tuple(k.value for k in MessageKind)
CHANNELS = tuple(c.value for c in MessageChannel)
STATUSES = tuple(s.value for s in MessageStatus)
HOW = tuple(h.value for h in ConsentHow)

TABLES = ("contact_preference", "message", "message_template", "messenger_heartbeat")


def create_tables(op: Any, local: bool) -> None:
    def fk(table: str, column: str, target: str) -> list[sa.ForeignKeyConstraint]:
        if not local:
            return []
        return [sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                        name=op.f(f"fk_{table}_{column}_{target}"))]

    op.create_table(
        "contact_preference",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("sms", sa.Boolean(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("given_how", _enum(HOW, "consenthow"), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=36), nullable=True),
        *_synced_columns(),
        *fk("contact_preference", "customer_id", "customer"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_preference")),
    )
    op.create_index(op.f("ix_contact_preference_customer_id"), "contact_preference",
                    ["customer_id"])
    op.create_table(
        "message",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("service_point_id", sa.String(length=36), nullable=False),
        sa.Column("kind", _enum(KINDS, "messagekind"), nullable=False),
        sa.Column("channel", _enum(CHANNELS, "messagechannel"), nullable=False),
        sa.Column("status", _enum(STATUSES, "messagestatus"), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("about_id", sa.String(length=36), nullable=True),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("about_starts_at", sa.DateTime(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("document", sa.String(length=40), nullable=True),
        sa.Column("attachment_name", sa.String(length=120), nullable=True),
        sa.Column("attachment", sa.Text(), nullable=True),
        sa.Column("secret", sa.String(length=64), nullable=True),
        sa.Column("requested_by", sa.String(length=36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=80), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("channel_ref", sa.String(length=200), nullable=True),
        sa.Column("error", sa.String(length=400), nullable=True),
        sa.Column("decided_by", sa.String(length=36), nullable=True),
        *_synced_columns(),
        *fk("message", "customer_id", "customer"),
        *fk("message", "service_point_id", "service_point"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
    )
    op.create_index(op.f("ix_message_customer_id"), "message", ["customer_id"])
    op.create_index("ix_message_due", "message", ["status", "due_at"])
    op.create_index("ix_message_about", "message", ["about_id"])
    op.create_index("ix_message_point", "message", ["service_point_id", "status"])
    op.create_table(
        "message_template",
        sa.Column("kind", _enum(KINDS, "messagekind"), nullable=False),
        sa.Column("channel", _enum(CHANNELS, "messagechannel"), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_template")),
    )
    op.create_table(
        "messenger_heartbeat",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("host", sa.String(length=120), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=400), nullable=True),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messenger_heartbeat")),
    )
