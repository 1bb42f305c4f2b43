"""Covering indexes for a campaign's dashboard

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06

A campaign's figures (by state, award, unit; plans' and reports' submissions) read from these
indexes alone: the dossiers of one campaign, and each nomination's award and flags by id.
Written by hand.
"""
from typing import Sequence, Union

from alembic import op


revision: str = "0032"
down_revision: Union[str, None] = "0031"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index(
        'ix_dossier_campaign_kind_state', 'dossier',
        ['campaign_id', 'kind', 'state', 'unit_id', 'sent_at'], unique=False,
        postgresql_include=['id'],
    )
    op.create_index(
        'ix_nomination_figures', 'nomination',
        ['id', 'award_type_id', 'nominee_kind', 'direct_worker', 'ad_hoc'], unique=False,
    )


def downgrade() -> None:
    op.drop_index('ix_nomination_figures', table_name='nomination')
    op.drop_index('ix_dossier_campaign_kind_state', table_name='dossier')
