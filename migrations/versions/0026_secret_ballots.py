"""Secret ballots that survive the database: encrypted cards, list ballots, two-officer key

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06

``ballot_box`` (plaintext running counters, linkable to the roll in a copy of the database or
its write-ahead log) gives way to ``ballot_card`` (Paillier ciphertexts, no voter column);
``ballot_list`` groups the ballots opened together and ``ballot_key`` holds each session's
public key and its private key wrapped under the chair's and the secretary's passphrases.
An open ballot's counters cannot be turned into cards, so the upgrade stops if one is open:
close it first with the previous version. Written by hand; the models are in
models/council.py.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models


revision: str = "0026"
down_revision: Union[str, None] = "0025"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _fk(table: str, column: str, target: str, **kw) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'],
                                   name=op.f(f'fk_{table}_{column}_{target}'), **kw)


def upgrade() -> None:
    still_open = op.get_bind().scalar(sa.text("SELECT count(*) FROM ballot_box"))
    if still_open:
        raise RuntimeError(
            f"{still_open} secret ballot(s) still open: close them before upgrading "
            "(their running counters cannot become encrypted cards)."
        )
    op.drop_table('ballot_box')
    op.create_table('ballot_key',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('public_n', sa.Text(), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=False),
    sa.Column('secretary_id', sa.Integer(), nullable=False),
    sa.Column('chair_salt', sa.LargeBinary(), nullable=False),
    sa.Column('secretary_salt', sa.LargeBinary(), nullable=False),
    sa.Column('nonce', sa.LargeBinary(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    _fk('ballot_key', 'session_id', 'council_session', ondelete='CASCADE'),
    _fk('ballot_key', 'chair_id', 'user_account'),
    _fk('ballot_key', 'secretary_id', 'user_account'),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_ballot_key'))
    )
    op.create_table('ballot_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('slot_bits', sa.Integer(), nullable=False),
    sa.Column('opened_by', sa.Integer(), nullable=False),
    sa.Column('opened_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('aggregate', sa.Text(), nullable=True),
    sa.Column('aggregate_r', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_ballot_list_status')),
    _fk('ballot_list', 'session_id', 'council_session', ondelete='CASCADE'),
    _fk('ballot_list', 'opened_by', 'user_account'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_list'))
    )
    with op.batch_alter_table('ballot_list', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_list_session_id'), ['session_id'], unique=False)
    op.create_table('ballot_card',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('ciphertexts', sa.Text(), nullable=False),
    _fk('ballot_card', 'list_id', 'ballot_list', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_card'))
    )
    with op.batch_alter_table('ballot_card', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_card_list_id'), ['list_id'], unique=False)
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('row', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_ballot_list_id_ballot_list'), 'ballot_list',
                                    ['list_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_ballot_list_id'), ['list_id'], unique=False)


def downgrade() -> None:
    still_open = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM ballot WHERE status = 'open'"))
    if still_open:
        raise RuntimeError(f"{still_open} secret ballot(s) still open: close them first.")
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_list_id'))
        batch_op.drop_constraint(batch_op.f('fk_ballot_list_id_ballot_list'), type_='foreignkey')
        batch_op.drop_column('row')
        batch_op.drop_column('list_id')
    with op.batch_alter_table('ballot_card', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_card_list_id'))
    op.drop_table('ballot_card')
    with op.batch_alter_table('ballot_list', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_list_session_id'))
    op.drop_table('ballot_list')
    op.drop_table('ballot_key')
    op.create_table('ballot_box',
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('approve', sa.Integer(), nullable=False),
    sa.Column('reject', sa.Integer(), nullable=False),
    sa.Column('abstain', sa.Integer(), nullable=False),
    _fk('ballot_box', 'ballot_id', 'ballot', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ballot_id', name=op.f('pk_ballot_box'))
    )
