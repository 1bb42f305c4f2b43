"""secret ballots, conflicts of interest and award decisions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

The Council's secret ballot (roll, counters, totals on close), members recused for
a conflict, and decisions (Quyết định) grouping approved dossiers. Written by hand; the
models are in models/ballots.py.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models.base


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = models.base.UTCDateTime(timezone=True)


def _fk(table: str, column: str, target: str, **kw) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'],
                                   name=op.f(f'fk_{table}_{column}_{target}'), **kw)


def upgrade() -> None:
    op.create_table('ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('eligible', sa.Integer(), nullable=False),
    sa.Column('opened_by', sa.Integer(), nullable=False),
    sa.Column('opened_at', UTC, nullable=False),
    sa.Column('closed_at', UTC, nullable=True),
    sa.Column('votes_for', sa.Integer(), nullable=True),
    sa.Column('votes_against', sa.Integer(), nullable=True),
    sa.Column('votes_abstain', sa.Integer(), nullable=True),
    sa.Column('written_for', sa.Integer(), nullable=False),
    sa.Column('written_against', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_ballot_status')),
    _fk('ballot', 'dossier_id', 'dossier', ondelete='CASCADE'),
    _fk('ballot', 'opened_by', 'user_account'),
    _fk('ballot', 'session_id', 'council_session', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot')),
    sa.UniqueConstraint('session_id', 'dossier_id', name='uq_ballot_session_dossier')
    )
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_dossier_id'), ['dossier_id'], unique=False)

    # The roll: who may vote and whether they have. No choice, no time, no surrogate id.
    op.create_table('ballot_voter',
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('voted', sa.Boolean(), nullable=False),
    _fk('ballot_voter', 'ballot_id', 'ballot', ondelete='CASCADE'),
    _fk('ballot_voter', 'user_id', 'user_account'),
    sa.PrimaryKeyConstraint('ballot_id', 'user_id', name=op.f('pk_ballot_voter'))
    )

    # Counters only (no row per vote), deleted when the ballot closes.
    op.create_table('ballot_box',
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('approve', sa.Integer(), nullable=False),
    sa.Column('reject', sa.Integer(), nullable=False),
    sa.Column('abstain', sa.Integer(), nullable=False),
    _fk('ballot_box', 'ballot_id', 'ballot', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ballot_id', name=op.f('pk_ballot_box'))
    )

    op.create_table('council_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', UTC, nullable=False),
    _fk('council_conflict', 'dossier_id', 'dossier', ondelete='CASCADE'),
    _fk('council_conflict', 'recorded_by', 'user_account'),
    _fk('council_conflict', 'session_id', 'council_session', ondelete='CASCADE'),
    _fk('council_conflict', 'user_id', 'user_account'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_conflict')),
    sa.UniqueConstraint('session_id', 'user_id', 'dossier_id', name='uq_council_conflict_member_dossier')
    )
    with op.batch_alter_table('council_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_conflict_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('signer', sa.String(length=160), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('legal_bases', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('issued_at', UTC, nullable=True),
    sa.CheckConstraint("status IN ('draft', 'issued')", name=op.f('ck_decision_status')),
    _fk('decision', 'created_by', 'user_account'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision')),
    sa.UniqueConstraint('number', name=op.f('uq_decision_number'))
    )

    op.create_table('decision_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    _fk('decision_item', 'decision_id', 'decision', ondelete='CASCADE'),
    _fk('decision_item', 'dossier_id', 'dossier', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_item')),
    sa.UniqueConstraint('dossier_id', name=op.f('uq_decision_item_dossier_id'))
    )
    with op.batch_alter_table('decision_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_item_decision_id'), ['decision_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('decision_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_item_decision_id'))
    op.drop_table('decision_item')
    op.drop_table('decision')
    with op.batch_alter_table('council_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_conflict_dossier_id'))
    op.drop_table('council_conflict')
    op.drop_table('ballot_box')
    op.drop_table('ballot_voter')
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_dossier_id'))
    op.drop_table('ballot')
