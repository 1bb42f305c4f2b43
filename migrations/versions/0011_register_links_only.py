"""register links only

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

Nominees, award records and holds are found through their register entries alone (0009 linked
the existing rows): the nominee's account, the record's account and the hold's typed name go.
The record keeps the name as written in the decision (``person_name``, ``name_key``). The
downgrade re-adds the columns and refills them from the links.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_constraint('fk_nomination_nominee_user_id_user_account', type_='foreignkey')
        batch_op.drop_column('nominee_user_id')

    with op.batch_alter_table('award_record', schema=None) as batch_op:
        batch_op.drop_constraint('fk_award_record_user_id_user_account', type_='foreignkey')
        batch_op.drop_index('ix_award_record_user_id')
        batch_op.drop_column('user_id')

    with op.batch_alter_table('award_hold', schema=None) as batch_op:
        batch_op.drop_constraint('fk_award_hold_user_id_user_account', type_='foreignkey')
        batch_op.drop_index('ix_award_hold_user_id')
        batch_op.drop_index('ix_award_hold_name_key')
        batch_op.drop_column('user_id')
        batch_op.drop_column('person_name')
        batch_op.drop_column('name_key')


def downgrade() -> None:
    with op.batch_alter_table('award_hold', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=255), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('person_name', sa.String(length=255), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_award_hold_name_key', ['name_key'], unique=False)
        batch_op.create_index('ix_award_hold_user_id', ['user_id'], unique=False)
        batch_op.create_foreign_key('fk_award_hold_user_id_user_account', 'user_account',
                                    ['user_id'], ['id'])

    with op.batch_alter_table('award_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_award_record_user_id', ['user_id'], unique=False)
        batch_op.create_foreign_key('fk_award_record_user_id_user_account', 'user_account',
                                    ['user_id'], ['id'])

    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nominee_user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_nomination_nominee_user_id_user_account', 'user_account',
                                    ['nominee_user_id'], ['id'])

    _refill(op.get_bind())
    # The old model had no server defaults on these columns.
    with op.batch_alter_table('award_hold', schema=None) as batch_op:
        batch_op.alter_column('name_key', server_default=None)
        batch_op.alter_column('person_name', server_default=None)


def _refill(bind) -> None:
    """The dropped columns, from the register entries the rows name."""
    meta = sa.MetaData()
    person, nomination, record, hold = (
        sa.Table(name, meta, autoload_with=bind)
        for name in ('person', 'nomination', 'award_record', 'award_hold')
    )

    def of(column, link):
        return sa.select(column).where(person.c.id == link).scalar_subquery()

    bind.execute(nomination.update().values(
        nominee_user_id=of(person.c.user_id, nomination.c.person_id)))
    bind.execute(record.update().values(user_id=of(person.c.user_id, record.c.person_id)))
    bind.execute(hold.update().where(hold.c.person_id.is_not(None)).values(
        user_id=of(person.c.user_id, hold.c.person_id),
        person_name=of(person.c.full_name, hold.c.person_id),
        name_key=of(person.c.name_key, hold.c.person_id),
    ))
