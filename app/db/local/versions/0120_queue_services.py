"""the queue's services as data

Revision ID: 0120
Revises: 0115

The workstation's side of central c0120: the queue_service table (app/db/
queue_service_ddl.py), each point's built-in services as rows with the ids the centre
gives them too, and the ticket's queue_service_id.
"""
from collections.abc import Sequence

from alembic import op

from app.db.queue_service_ddl import create_table, seed_built_in

revision: str = "0120"
down_revision: str | Sequence[str] | None = "0115"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_table(op, local=True)
    seed_built_in(op)


def downgrade() -> None:
    with op.batch_alter_table("queue_ticket") as batch:
        batch.drop_column("queue_service_id")
    op.drop_index("ix_queue_service_point", "queue_service")
    op.drop_table("queue_service")
