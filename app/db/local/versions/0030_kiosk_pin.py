"""kiosk pin: a local-only PIN verifier beside the password verifier

Revision ID: 0030
Revises: 0006
Create Date: 2026-11-28 01:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0030'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('staff_credential', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pin_verifier', sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('staff_credential', schema=None) as batch_op:
        batch_op.drop_column('pin_verifier')
