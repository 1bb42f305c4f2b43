"""the base salary (lương cơ sở) that award money is a multiple of

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

``base_salary``: one row per amount, in force from ``valid_from`` until the next row's date. A
decision's award money is the award's multiple (an award rule of kind ``bonus``) times the
amount in force on the decision's date, rounded up to tens of thousands of đồng (Nghị định
152/2025/NĐ-CP, Điều 49–50). Seeded with the amount of Nghị định 73/2024/NĐ-CP.

``decision_item.multiple``, ``base_salary``, ``amount``: a row's money, kept when its decision
is issued (empty for decisions issued before this revision, whose money is computed when read).
Written by hand.
"""

import datetime as dt
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0013'
down_revision: Union[str, None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    table = op.create_table(
        'base_salary',
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('valid_from', name=op.f('pk_base_salary')),
    )
    op.bulk_insert(
        table,
        [
            {
                'valid_from': dt.date(2024, 7, 1),
                'amount': 2_340_000,
                'source': 'Nghị định 73/2024/NĐ-CP, Điều 3: mức lương cơ sở 2.340.000 đồng/tháng '
                'từ ngày 01/7/2024',
            }
        ],
    )
    with op.batch_alter_table('decision_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('multiple', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('base_salary', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('amount', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decision_item', schema=None) as batch_op:
        batch_op.drop_column('amount')
        batch_op.drop_column('base_salary')
        batch_op.drop_column('multiple')
    op.drop_table('base_salary')
