"""public notice comments

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

Comments the public sends on names posted for public notice before the Council,
moderated by the Office. Written by hand; the model is in models/notice.py.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models.base


revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('notice_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=True),
    sa.Column('contact', sa.String(length=160), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('moderated_by', sa.Integer(), nullable=True),
    sa.Column('moderation_reason', sa.Text(), nullable=True),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('moderated_at', UTC, nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_notice_comment_status')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_notice_comment_dossier_id_dossier'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['moderated_by'], ['user_account.id'],
                            name=op.f('fk_notice_comment_moderated_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_comment'))
    )
    with op.batch_alter_table('notice_comment', schema=None) as batch_op:
        batch_op.create_index('ix_notice_comment_dossier_status', ['dossier_id', 'status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notice_comment', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_comment_dossier_status')
    op.drop_table('notice_comment')
