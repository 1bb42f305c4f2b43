"""quorum and vote thresholds as exact fractions

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

``award_type.vote_threshold_pct`` and ``council_session.quorum_pct`` (whole percentages) become
``vote_threshold`` and ``quorum``, fractions as text ("2/3"). A percentage that stood for a
fraction the law uses becomes that fraction (67 and 66 are two thirds); any other is kept
exactly (70 becomes 7/10). Written by hand.
"""
from fractions import Fraction
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0016'
down_revision: Union[str, None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The percentages written for a fraction that cannot be written as one.
MEANT = {66: Fraction(2, 3), 67: Fraction(2, 3), 33: Fraction(1, 3), 34: Fraction(1, 3)}


def _share(pct: int | None, default: str) -> str:
    if pct is None or not 1 <= pct <= 100:
        return default
    share = MEANT.get(pct, Fraction(pct, 100))
    return f"{share.numerator}/{share.denominator}"


def _convert(table: str, old: str, new: str, default: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column(new, sa.String(length=10), nullable=False, server_default=default))
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, {old} FROM {table}")).all()
    for row_id, pct in rows:
        bind.execute(
            sa.text(f"UPDATE {table} SET {new} = :share WHERE id = :id"),
            {"share": _share(pct, default), "id": row_id},
        )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_column(old)


def _back(table: str, new: str, old: str, default: int) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column(old, sa.Integer(), nullable=True))
    bind = op.get_bind()
    for row_id, text in bind.execute(sa.text(f"SELECT id, {new} FROM {table}")).all():
        numerator, _, denominator = (text or "").partition("/")
        try:
            pct = -(-int(numerator) * 100 // int(denominator))
        except ValueError:
            pct = default
        bind.execute(sa.text(f"UPDATE {table} SET {old} = :pct WHERE id = :id"), {"pct": pct, "id": row_id})
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_column(new)


def upgrade() -> None:
    _convert('award_type', 'vote_threshold_pct', 'vote_threshold', '1/2')
    _convert('council_session', 'quorum_pct', 'quorum', '2/3')


def downgrade() -> None:
    _back('award_type', 'vote_threshold', 'vote_threshold_pct', 50)
    _back('council_session', 'quorum', 'quorum_pct', 67)
