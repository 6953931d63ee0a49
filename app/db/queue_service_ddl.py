"""The queue's services as data (#24), as both migrations create them (local 0120,
central c0120): one definition, so the two schemas cannot drift. The workstation's copy
carries foreign keys; the centre's does not (rows arrive in any order there)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from app.db.purchased_ddl import _enum, _synced_columns
from app.rules.codes import ServiceArea
from app.rules.queue import built_in_services

AREAS = tuple(a.value for a in ServiceArea)


def create_table(op: Any, local: bool) -> None:
    fks = [
        sa.ForeignKeyConstraint(["service_point_id"], ["service_point.id"],
                                name=op.f("fk_queue_service_service_point_id_service_point")),
        sa.ForeignKeyConstraint(["partner_org_id"], ["partner_org.id"],
                                name=op.f("fk_queue_service_partner_org_id_partner_org")),
    ] if local else []
    op.create_table(
        "queue_service",
        sa.Column("service_point_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_fi", sa.String(length=80), nullable=False),
        sa.Column("name_sv", sa.String(length=80), nullable=False),
        sa.Column("name_en", sa.String(length=80), nullable=False),
        sa.Column("service_area", _enum(AREAS, "servicearea"), nullable=False),
        sa.Column("partner_org_id", sa.String(length=36), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_synced_columns(),
        *fks,
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_service")),
    )
    op.create_index("ix_queue_service_point", "queue_service",
                    ["service_point_id", "position"])
    # Plain ADD COLUMN on both sides: no table rebuild, so the ticket's triggers stay.
    op.add_column("queue_ticket", sa.Column("queue_service_id", sa.String(length=36),
                                            nullable=True))


def seed_built_in(op: Any) -> None:
    """Each existing point's built-in services as rows (rules/queue.py), the same ids and
    values on every workstation and at the centre: a later pull finds them equal."""
    conn = op.get_bind()
    points = conn.execute(sa.text(
        "SELECT id, coalesce(queue_services, '') FROM service_point")).all()
    table = sa.table("queue_service", *[sa.column(c) for c in (
        "id", "service_point_id", "code", "name_fi", "name_sv", "name_en", "service_area",
        "partner_org_id", "position", "active", "version", "hlc", "updated_at")])
    stamp = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    rows = [{**row, "version": 0, "hlc": "", "updated_at": stamp}
            for point_id, configured in points
            for row in built_in_services(point_id, configured)]
    if rows:
        op.bulk_insert(table, rows)
