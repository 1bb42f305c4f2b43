"""campaign targets and practices

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Campaign participation and admitted awards, emulation targets, report figures,
innovative models and good practices; an index for the public list's default order.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models.base


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('campaign_award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('award_type_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['award_type_id'], ['award_type.id'], name=op.f('fk_campaign_award_award_type_id_award_type')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_award_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_award')),
    sa.UniqueConstraint('campaign_id', 'award_type_id', name='uq_campaign_award_pair')
    )
    with op.batch_alter_table('campaign_award', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_award_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('campaign_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_unit_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_campaign_unit_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_unit')),
    sa.UniqueConstraint('campaign_id', 'unit_id', name='uq_campaign_unit_pair')
    )
    with op.batch_alter_table('campaign_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_unit_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_unit_unit_id'), ['unit_id'], unique=False)

    op.create_table('practice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('results', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('registered_by', sa.Integer(), nullable=False),
    sa.Column('registered_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('marked_by', sa.Integer(), nullable=True),
    sa.Column('marked_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('search_key', sa.String(length=800), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_practice_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['marked_by'], ['user_account.id'], name=op.f('fk_practice_marked_by_user_account')),
    sa.ForeignKeyConstraint(['registered_by'], ['user_account.id'], name=op.f('fk_practice_registered_by_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_practice_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice'))
    )
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_unit_id'), ['unit_id'], unique=False)

    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title_vi', sa.String(length=400), nullable=False),
    sa.Column('title_en', sa.String(length=400), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('comparison', sa.String(length=20), nullable=False),
    sa.Column('threshold', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_target_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target')),
    sa.UniqueConstraint('campaign_id', 'code', name='campaign_code')
    )
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('report_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('baseline', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('corrected_by', sa.Integer(), nullable=True),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['corrected_by'], ['user_account.id'], name=op.f('fk_report_figure_corrected_by_user_account')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_figure_report_id_report'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_report_figure_target_id_target'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_figure')),
    sa.UniqueConstraint('report_id', 'target_id', name='report_target')
    )
    with op.batch_alter_table('report_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_figure_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_figure_target_id'), ['target_id'], unique=False)

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('all_units', sa.Boolean(), nullable=False, server_default=sa.true()))

    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.create_index('ix_dossier_state_decision', ['state', 'decision_date', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_index('ix_dossier_state_decision')

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('all_units')

    with op.batch_alter_table('report_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_figure_target_id'))
        batch_op.drop_index(batch_op.f('ix_report_figure_report_id'))

    op.drop_table('report_figure')
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_campaign_id'))

    op.drop_table('target')
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_unit_id'))
        batch_op.drop_index(batch_op.f('ix_practice_campaign_id'))

    op.drop_table('practice')
    with op.batch_alter_table('campaign_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_unit_unit_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_unit_campaign_id'))

    op.drop_table('campaign_unit')
    with op.batch_alter_table('campaign_award', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_award_campaign_id'))

    op.drop_table('campaign_award')
