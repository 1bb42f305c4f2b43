"""Stored sort keys of the public list: by name and by unit, in byte order

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06

``dossier.name_sort`` and ``dossier.unit_sort`` hold the Vietnamese order as bytes
(models.text.person_sort_bytes, vi_sort_bytes) under indexes on (state, key, id), so the list
sorted by name or unit walks an index instead of collating every row. Existing rows are filled
here; the ORM events of models/dossiers.py keep them from then on. Written by hand.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from models.dossiers import fill_sort_keys


revision: str = "0028"
down_revision: Union[str, None] = "0027"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('dossier', sa.Column('name_sort', sa.LargeBinary(length=800), nullable=True))
    op.add_column('dossier', sa.Column('unit_sort', sa.LargeBinary(length=800), nullable=True))
    fill_sort_keys(op.get_bind())
    op.create_index('ix_dossier_state_name', 'dossier', ['state', 'name_sort', 'id'], unique=False)
    op.create_index('ix_dossier_state_unit', 'dossier', ['state', 'unit_sort', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_dossier_state_unit', table_name='dossier')
    op.drop_index('ix_dossier_state_name', table_name='dossier')
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('unit_sort')
        batch_op.drop_column('name_sort')
