"""practice version

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

Optimistic locking for practices (mô hình mới, cách làm hay): ``practice.version`` is the
ORM's version counter, as ``dossier.version`` is. Existing rows start at 1. Written by hand;
the model is in models/campaigns.py.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # A NOT NULL column with a default is a plain ALTER TABLE ADD on both SQLite and PostgreSQL.
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_column('version')
