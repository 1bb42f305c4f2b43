"""the audit chain's head kept on a decision when it is issued

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

``decision.audit_seq`` and ``decision.audit_hash``: the head of the audit chain right after the
decision's ``issue`` event, printed in the footer of every later copy of the issued decision
(a download must not carry a head newer than the decision). Written by hand; the model is in
models/decisions.py.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0019'
down_revision: Union[str, None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('audit_hash', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_column('audit_hash')
        batch_op.drop_column('audit_seq')
