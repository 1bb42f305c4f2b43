"""a closed ballot keeps its result; the roll shows who was recused; thresholds have a source

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

``ballot`` gets the result fixed at its close (threshold, base kind, its source and date, base,
approvals needed, passed); ballots closed before are given the result of the award's threshold
as it stands now, the only one known (no source). ``ballot_voter.recusal`` marks a member
present but recused when the ballot opened. ``award_type`` gets the threshold's legal source
and the day it applies from. Written by hand.
"""
from fractions import Fraction
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0017'
down_revision: Union[str, None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_CLOSED = sa.text(
    "SELECT b.id, b.eligible, b.votes_for, b.written_for, a.vote_threshold, a.threshold_base, "
    "(SELECT COUNT(*) FROM council_attendance c WHERE c.session_id = b.session_id) "
    "FROM ballot b JOIN nomination n ON n.id = b.dossier_id "
    "JOIN award_type a ON a.id = n.award_type_id WHERE b.status = 'closed'"
)


def _share(text: str | None) -> Fraction:
    numerator, _, denominator = (text or "").partition("/")
    try:
        return Fraction(int(numerator), int(denominator))
    except (ValueError, ZeroDivisionError):
        return Fraction(1, 2)


def upgrade() -> None:
    with op.batch_alter_table('award_type', schema=None) as batch_op:
        batch_op.add_column(sa.Column('threshold_source', sa.String(length=400), nullable=True))
        batch_op.add_column(sa.Column('threshold_from', sa.Date(), nullable=True))
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('threshold', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('threshold_base', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('threshold_source', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('threshold_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('base', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('needed', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('passed', sa.Boolean(), nullable=True))
    with op.batch_alter_table('ballot_voter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recusal', sa.String(length=10), nullable=True))
    bind = op.get_bind()
    for row in bind.execute(_CLOSED).all():
        ballot_id, eligible, votes_for, written_for, text, base_kind, members = row
        share = _share(text)
        all_members = base_kind == 'all_members'
        base = members if all_members else eligible
        needed = -(-base * share.numerator // share.denominator)
        approvals = (votes_for or 0) + ((written_for or 0) if all_members else 0)
        bind.execute(
            sa.text(
                "UPDATE ballot SET threshold = :threshold, threshold_base = :base_kind, "
                "base = :base, needed = :needed, passed = :passed "
                "WHERE id = :id"
            ),
            {
                "threshold": f"{share.numerator}/{share.denominator}",
                "base_kind": 'all_members' if all_members else 'present',
                "base": base,
                "needed": needed,
                "passed": approvals >= needed,
                "id": ballot_id,
            },
        )


def downgrade() -> None:
    with op.batch_alter_table('ballot_voter', schema=None) as batch_op:
        batch_op.drop_column('recusal')
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        for column in (
            'passed', 'needed', 'base', 'threshold_from', 'threshold_source', 'threshold_base',
            'threshold',
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table('award_type', schema=None) as batch_op:
        batch_op.drop_column('threshold_from')
        batch_op.drop_column('threshold_source')
