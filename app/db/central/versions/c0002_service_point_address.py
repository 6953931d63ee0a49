"""service point address

Revision ID: c0002
Revises: c0001
Create Date: 2026-11-28 00:42:31.551346

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'c0002'
down_revision: Union[str, Sequence[str], None] = 'c0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Service points get the address printed on plans."""
    op.add_column('service_point', sa.Column('street_address', sa.String(length=200), nullable=True))
    op.add_column('service_point', sa.Column('postal_code', sa.String(length=10), nullable=True))
    op.add_column('service_point', sa.Column('phone', sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column('service_point', 'phone')
    op.drop_column('service_point', 'postal_code')
    op.drop_column('service_point', 'street_address')
