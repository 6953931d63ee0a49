"""outbox entries carry their author

Revision ID: 0050
Revises: 0040
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0050"
down_revision: str | Sequence[str] | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("author", sa.String(36), nullable=True))
        batch.create_index("ix_outbox_author", ["author"], unique=False)
    # Entries written before: every patch carries who made it (`updated_by`; an audit
    # row's `staff_id`). What names nobody stays NULL: pushed by any online session.
    op.execute(
        "UPDATE outbox SET author = CASE WHEN table_name = 'audit_event' "
        "THEN json_extract(fields, '$.staff_id') "
        "ELSE json_extract(fields, '$.updated_by') END "
        "WHERE json_valid(fields)"
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_author")
        batch.drop_column("author")
