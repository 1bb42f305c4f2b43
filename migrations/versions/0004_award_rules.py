"""award rules, awards history, holds and higher-level referrals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

The award catalogue's rules as data (award_rule), the awards history that
prior-title and quota checks read (award_record), holds on people and units under review
(award_hold), the nominations forwarded to the city or the Ministry (higher_referral), the
public-notice days of an award type, and the new dossier state ``forwarded`` in the state
CHECK. Written by hand (other revisions add tables at the same time).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models.base


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = models.base.UTCDateTime(timezone=True)
# Frozen here: 0001's states and the one this revision adds.
OLD_STATES = ("draft", "unit_review", "office_review", "returned", "council_review", "approved",
              "rejected", "published", "withdrawn", "accepted", "classified")
STATES = OLD_STATES + ("forwarded",)


def _state_check(states: tuple[str, ...]) -> str:
    return "state IN (%s)" % ", ".join(f"'{s}'" for s in states)


def _fk(table: str, column: str, target: str, **kw) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'],
                                   name=op.f(f'fk_{table}_{column}_{target}'), **kw)


def upgrade() -> None:
    with op.batch_alter_table('award_type', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_notice_days', sa.Integer(), nullable=False,
                                      server_default='0'))

    op.create_table('award_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_type_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('hard', sa.Boolean(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    _fk('award_rule', 'award_type_id', 'award_type', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_rule'))
    )
    with op.batch_alter_table('award_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_rule_award_type_id'), ['award_type_id'], unique=False)

    op.create_table('award_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_type_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('person_name', sa.String(length=255), nullable=False),
    sa.Column('name_key', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('decision_number', sa.String(length=60), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('basis', sa.String(length=10), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTC, nullable=False),
    _fk('award_record', 'award_type_id', 'award_type'),
    _fk('award_record', 'dossier_id', 'dossier'),
    _fk('award_record', 'unit_id', 'unit'),
    _fk('award_record', 'user_id', 'user_account'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_record')),
    sa.UniqueConstraint('dossier_id', name=op.f('uq_award_record_dossier_id'))
    )
    with op.batch_alter_table('award_record', schema=None) as batch_op:
        batch_op.create_index('ix_award_record_award_year_unit', ['award_type_id', 'year', 'unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_record_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_record_user_id'), ['user_id'], unique=False)

    op.create_table('award_hold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=255), nullable=False),
    sa.Column('name_key', sa.String(length=255), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', UTC, nullable=False),
    _fk('award_hold', 'created_by', 'user_account'),
    _fk('award_hold', 'unit_id', 'unit'),
    _fk('award_hold', 'user_id', 'user_account'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_hold'))
    )
    with op.batch_alter_table('award_hold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_hold_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_hold_user_id'), ['user_id'], unique=False)

    op.create_table('higher_referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('letter_number', sa.String(length=60), nullable=False),
    sa.Column('letter_date', sa.Date(), nullable=False),
    sa.Column('forwarded_by', sa.Integer(), nullable=False),
    sa.Column('forwarded_at', UTC, nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('answer_number', sa.String(length=60), nullable=True),
    sa.Column('answer_date', sa.Date(), nullable=True),
    sa.Column('answer_reason', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', UTC, nullable=True),
    _fk('higher_referral', 'dossier_id', 'dossier', ondelete='CASCADE'),
    _fk('higher_referral', 'forwarded_by', 'user_account'),
    _fk('higher_referral', 'recorded_by', 'user_account'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_higher_referral')),
    sa.UniqueConstraint('dossier_id', name=op.f('uq_higher_referral_dossier_id'))
    )

    _replace_state_check(STATES)


def downgrade() -> None:
    # A dossier still forwarded would break the narrower CHECK: it goes back to approved.
    op.execute("UPDATE dossier SET state = 'approved' WHERE state = 'forwarded'")
    _replace_state_check(OLD_STATES)
    op.drop_table('higher_referral')
    with op.batch_alter_table('award_hold', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_hold_user_id'))
        batch_op.drop_index(batch_op.f('ix_award_hold_name_key'))
    op.drop_table('award_hold')
    with op.batch_alter_table('award_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_record_user_id'))
        batch_op.drop_index(batch_op.f('ix_award_record_name_key'))
        batch_op.drop_index('ix_award_record_award_year_unit')
    op.drop_table('award_record')
    with op.batch_alter_table('award_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_rule_award_type_id'))
    op.drop_table('award_rule')
    with op.batch_alter_table('award_type', schema=None) as batch_op:
        batch_op.drop_column('public_notice_days')


def _replace_state_check(states: tuple[str, ...]) -> None:
    """Drop and recreate ck_dossier_state (on SQLite, batch mode rebuilds the table)."""
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_dossier_state'), type_='check')
        batch_op.create_check_constraint(op.f('ck_dossier_state'), _state_check(states))
