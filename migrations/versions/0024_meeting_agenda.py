"""One open session per agenda item; the quorum's legal source

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06

``council_agenda_claim`` holds one row per dossier on the agenda of an open session, keyed by
the dossier, so two sessions cannot hold the same dossier; a session's rows go when it closes.
``council_session`` gains the quorum's legal source and the day it applies from. Written by
hand; the models are in models/council.py.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models


revision: str = "0024"
down_revision: Union[str, None] = "0023"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('council_agenda_claim',
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('claimed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_council_agenda_claim_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['council_session.id'], name=op.f('fk_council_agenda_claim_session_id_council_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('dossier_id', name=op.f('pk_council_agenda_claim'))
    )
    with op.batch_alter_table('council_agenda_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_agenda_claim_session_id'), ['session_id'], unique=False)
    with op.batch_alter_table('council_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quorum_source', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('quorum_from', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('council_session', schema=None) as batch_op:
        batch_op.drop_column('quorum_from')
        batch_op.drop_column('quorum_source')
    with op.batch_alter_table('council_agenda_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_agenda_claim_session_id'))
    op.drop_table('council_agenda_claim')
