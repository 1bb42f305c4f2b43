"""campaign and award type version

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26

Optimistic locking for campaigns (phong trào thi đua) and award types (danh hiệu, hình thức
khen thưởng): ``campaign.version`` and ``award_type.version`` are the ORM's version counters,
as ``practice.version`` is. Existing rows start at 1. Written by hand; the models are in
models/catalog.py.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ('campaign', 'award_type')


def upgrade() -> None:
    # A NOT NULL column with a default is a plain ALTER TABLE ADD on both SQLite and PostgreSQL.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
