"""returns that help: the points of a return, its day to fix by, and the unit's replies

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

Written by hand.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models.base  # noqa: F401  (UTCDateTime in column types)


revision: str = '0015'
down_revision: Union[str, None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'return_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dossier_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('fix_by', sa.Date(), nullable=True),
        sa.Column('returned_by', sa.Integer(), nullable=False),
        sa.Column('returned_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_return_request_dossier_id_dossier'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['returned_by'], ['user_account.id'], name=op.f('fk_return_request_returned_by_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_return_request')),
    )
    with op.batch_alter_table('return_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_request_dossier_id'), ['dossier_id'], unique=False)
    op.create_table(
        'return_point',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('reply', sa.Text(), nullable=True),
        sa.Column('replied_by', sa.Integer(), nullable=True),
        sa.Column('replied_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['replied_by'], ['user_account.id'], name=op.f('fk_return_point_replied_by_user_account')),
        sa.ForeignKeyConstraint(['request_id'], ['return_request.id'], name=op.f('fk_return_point_request_id_return_request'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_return_point')),
    )
    with op.batch_alter_table('return_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_point_request_id'), ['request_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('return_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_point_request_id'))
    op.drop_table('return_point')
    with op.batch_alter_table('return_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_request_dossier_id'))
    op.drop_table('return_request')
