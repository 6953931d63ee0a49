"""timeliness steps: the workstation's own per-customer summary of the statutory steps

Revision ID: 0090
Revises: 0085

(Filled in by the #25 speed work: local-only, never pushed.)
"""
from collections.abc import Sequence

revision: str = "0090"
down_revision: str | Sequence[str] | None = "0085"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
