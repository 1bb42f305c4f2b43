"""Council membership: each member's position and term

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

``council_membership`` holds one row per term of an account on the Council (position, first
and last day); terms are ended, never deleted. Written by hand; the model is in
models/council.py.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models


revision: str = '0020'
down_revision: Union[str, None] = '0019'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('council_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_council_membership_term_order')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_council_membership_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_membership'))
    )
    with op.batch_alter_table('council_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_membership_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('council_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_membership_user_id'))
    op.drop_table('council_membership')
