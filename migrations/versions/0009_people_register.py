"""people register

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

The register of people and collectives (models/people.py): people, their periods in units,
groups, issuers of decisions, annual ratings, discipline and initiatives. Nominations, award
records and holds gain links to register entries, and the existing rows are linked: every
individual nominee, award record and name hold becomes a person of its unit (one person per unit
and folded name; an account linked to a nomination or a record goes with that person), and every
collective nomination or record names its unit's own collective. Written from Alembic's
autogenerate, the data part by hand.
"""
import datetime as dt
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models.base  # noqa: F401  (UTCDateTime in column types)
from models.text import fold


revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('issuer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('name_key', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issuer')),
    sa.UniqueConstraint('code', name=op.f('uq_issuer_code'))
    )
    with op.batch_alter_table('issuer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issuer_name_key'), ['name_key'], unique=False)

    op.create_table('collective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('name_key', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_collective_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collective')),
    sa.UniqueConstraint('unit_id', 'name_key', name='uq_collective_unit_name')
    )
    with op.batch_alter_table('collective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collective_unit_id'), ['unit_id'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=255), nullable=False),
    sa.Column('name_key', sa.String(length=255), nullable=False),
    sa.Column('gender', sa.String(length=10), nullable=True),
    sa.Column('position', sa.String(length=255), nullable=True),
    sa.Column('identity_kind', sa.String(length=20), nullable=True),
    sa.Column('identity_number', sa.String(length=40), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('collective_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['collective_id'], ['collective.id'], name=op.f('fk_person_collective_id_collective')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['person.id'], name=op.f('fk_person_merged_into_id_person')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_person_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_person_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('user_id', name=op.f('uq_person_user_id'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_identity_number'), ['identity_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_name_key'), ['name_key'], unique=False)
        batch_op.create_index('ix_person_unit_name', ['unit_id', 'name_key'], unique=False)

    op.create_table('person_discipline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('decision_number', sa.String(length=60), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_discipline_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_discipline'))
    )
    with op.batch_alter_table('person_discipline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_discipline_person_id'), ['person_id'], unique=False)

    op.create_table('person_evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('rating', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_evaluation_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_person_evaluation_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_evaluation')),
    sa.UniqueConstraint('person_id', 'year', name='uq_person_evaluation_year')
    )
    op.create_table('person_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('collective_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.String(length=255), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['collective_id'], ['collective.id'], name=op.f('fk_person_membership_collective_id_collective')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_membership_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_person_membership_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_membership'))
    )
    with op.batch_alter_table('person_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_membership_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_membership_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_membership_unit_id'), ['unit_id'], unique=False)

    op.create_table('initiative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('decision_number', sa.String(length=60), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('issuer_id', sa.Integer(), nullable=True),
    sa.Column('used_by_record_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['issuer_id'], ['issuer.id'], name=op.f('fk_initiative_issuer_id_issuer')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_initiative_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['used_by_record_id'], ['award_record.id'], name=op.f('fk_initiative_used_by_record_id_award_record'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative'))
    )
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('award_hold', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_award_hold_person_id'), ['person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_award_hold_person_id_person'), 'person', ['person_id'], ['id'])

    with op.batch_alter_table('award_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('collective_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('issuer_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_award_record_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_record_person_id'), ['person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_award_record_person_id_person'), 'person', ['person_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_award_record_issuer_id_issuer'), 'issuer', ['issuer_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_award_record_collective_id_collective'), 'collective', ['collective_id'], ['id'])

    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('collective_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_nomination_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_person_id'), ['person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_nomination_person_id_person'), 'person', ['person_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_nomination_collective_id_collective'), 'collective', ['collective_id'], ['id'])

    _link_existing_rows(op.get_bind())


def _link_existing_rows(bind) -> None:
    """Register entries for the nominees, records and holds already in the database."""
    meta = sa.MetaData()
    tables = {
        name: sa.Table(name, meta, autoload_with=bind)
        for name in (
            'unit', 'person', 'person_membership', 'collective', 'nomination', 'dossier',
            'award_record', 'award_type', 'award_hold',
        )
    }
    unit, person, membership, collective = (
        tables['unit'], tables['person'], tables['person_membership'], tables['collective'],
    )
    nomination, dossier = tables['nomination'], tables['dossier']
    record, award_type, hold = tables['award_record'], tables['award_type'], tables['award_hold']
    now = dt.datetime.now(dt.UTC)
    people: dict[tuple, int] = {}
    accounts: set[int] = set()
    collectives: dict[int, int] = {}

    def person_of(unit_id, name, user_id=None, position=None) -> int:
        key = (unit_id, fold(name))
        if key not in people:
            # An account belongs to one person: the first nominee or record naming it.
            linked = user_id if user_id and user_id not in accounts else None
            if linked:
                accounts.add(linked)
            people[key] = bind.execute(
                person.insert().returning(person.c.id),
                dict(full_name=name, name_key=fold(name), unit_id=unit_id, user_id=linked,
                     position=position, created_at=now, version=1),
            ).scalar_one()
            if unit_id is not None:
                bind.execute(membership.insert(), dict(
                    person_id=people[key], unit_id=unit_id, position=position))
        return people[key]

    def collective_of(unit_id) -> int:
        if unit_id not in collectives:
            name = bind.execute(sa.select(unit.c.name).where(unit.c.id == unit_id)).scalar_one()
            collectives[unit_id] = bind.execute(
                collective.insert().returning(collective.c.id),
                dict(unit_id=unit_id, name=name, name_key=fold(name), kind='unit', active=True,
                     created_at=now),
            ).scalar_one()
        return collectives[unit_id]

    rows = bind.execute(
        sa.select(nomination.c.id, nomination.c.nominee_kind, nomination.c.nominee_name,
                  nomination.c.nominee_user_id, nomination.c.position, dossier.c.unit_id)
        .join(dossier, dossier.c.id == nomination.c.id).order_by(nomination.c.id)
    ).all()
    for row in rows:
        if row.nominee_kind == 'collective':
            values = dict(collective_id=collective_of(row.unit_id))
        else:
            values = dict(person_id=person_of(
                row.unit_id, row.nominee_name, row.nominee_user_id, row.position))
        bind.execute(nomination.update().where(nomination.c.id == row.id).values(**values))
    rows = bind.execute(
        sa.select(record.c.id, record.c.person_name, record.c.user_id, record.c.unit_id,
                  award_type.c.nominee_kind)
        .join(award_type, award_type.c.id == record.c.award_type_id).order_by(record.c.id)
    ).all()
    for row in rows:
        if row.nominee_kind == 'collective' and row.unit_id is not None:
            values = dict(collective_id=collective_of(row.unit_id))
        else:
            values = dict(person_id=person_of(row.unit_id, row.person_name, row.user_id))
        bind.execute(record.update().where(record.c.id == row.id).values(**values))
    rows = bind.execute(
        sa.select(hold.c.id, hold.c.person_name, hold.c.user_id, hold.c.unit_id)
        .where(hold.c.name_key != '').order_by(hold.c.id)
    ).all()
    for row in rows:
        bind.execute(hold.update().where(hold.c.id == row.id).values(
            person_id=person_of(row.unit_id, row.person_name, row.user_id)))


def downgrade() -> None:
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_nomination_collective_id_collective'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_nomination_person_id_person'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_nomination_person_id'))
        batch_op.drop_index(batch_op.f('ix_nomination_collective_id'))
        batch_op.drop_column('collective_id')
        batch_op.drop_column('person_id')

    with op.batch_alter_table('award_record', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_award_record_collective_id_collective'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_award_record_issuer_id_issuer'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_award_record_person_id_person'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_award_record_person_id'))
        batch_op.drop_index(batch_op.f('ix_award_record_collective_id'))
        batch_op.drop_column('issuer_id')
        batch_op.drop_column('collective_id')
        batch_op.drop_column('person_id')

    with op.batch_alter_table('award_hold', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_award_hold_person_id_person'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_award_hold_person_id'))
        batch_op.drop_column('person_id')

    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_person_id'))

    op.drop_table('initiative')
    with op.batch_alter_table('person_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_membership_unit_id'))
        batch_op.drop_index(batch_op.f('ix_person_membership_person_id'))
        batch_op.drop_index(batch_op.f('ix_person_membership_collective_id'))

    op.drop_table('person_membership')
    op.drop_table('person_evaluation')
    with op.batch_alter_table('person_discipline', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_discipline_person_id'))

    op.drop_table('person_discipline')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_unit_name')
        batch_op.drop_index(batch_op.f('ix_person_name_key'))
        batch_op.drop_index(batch_op.f('ix_person_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_person_identity_number'))

    op.drop_table('person')
    with op.batch_alter_table('collective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collective_unit_id'))

    op.drop_table('collective')
    with op.batch_alter_table('issuer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issuer_name_key'))

    op.drop_table('issuer')
