"""The public list's word table: each word of an outcome with its sort keys

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06

``outcome_term`` holds each word of a nomination's search key (of a report: its unit's name and
its classification) with the dossier's state, decision date and sort keys, under an index per
sort, so a search sorted any way reads an index range (models/search_terms.py). Existing rows
are filled here; the ORM events keep them from then on. Written by hand.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from models.search_terms import fill_search_terms


revision: str = "0029"
down_revision: Union[str, None] = "0028"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('outcome_term',
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.LargeBinary(length=800), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('name_sort', sa.LargeBinary(length=800), nullable=True),
    sa.Column('unit_sort', sa.LargeBinary(length=800), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_outcome_term_dossier_id_dossier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('dossier_id', 'term', name=op.f('pk_outcome_term')),
    sqlite_with_rowid=False,
    )
    fill_search_terms(op.get_bind(), every_dossier=True)
    op.create_index('ix_outcome_term_date', 'outcome_term', ['term', 'state', 'decision_date', 'dossier_id'], unique=False)
    op.create_index('ix_outcome_term_name', 'outcome_term', ['term', 'state', 'name_sort', 'dossier_id'], unique=False)
    op.create_index('ix_outcome_term_unit', 'outcome_term', ['term', 'state', 'unit_sort', 'dossier_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outcome_term_unit', table_name='outcome_term')
    op.drop_index('ix_outcome_term_name', table_name='outcome_term')
    op.drop_index('ix_outcome_term_date', table_name='outcome_term')
    op.drop_table('outcome_term')
