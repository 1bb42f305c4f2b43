"""list proposals: a unit's tờ trình whose rows are nominations

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

``proposal`` is a dossier kind of its own (joined to ``dossier`` like the other kinds); each of
its rows is a ``nomination`` with ``proposal_id`` set, so a row keeps its own state, eligibility,
Council result and award record. Written by hand.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0014'
down_revision: Union[str, None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


OLD_STATES = ("draft", "unit_review", "office_review", "returned", "council_review", "approved",
              "rejected", "published", "withdrawn", "accepted", "classified", "forwarded")
# A list's own state once sent ("received"), and a nomination the Office does not accept.
STATES = OLD_STATES + ("received", "declined")


def _replace_state_check(states: tuple[str, ...]) -> None:
    """Drop and recreate ck_dossier_state (on SQLite, batch mode rebuilds the table)."""
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_dossier_state'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_dossier_state'), "state IN (%s)" % ", ".join(f"'{s}'" for s in states)
        )


def upgrade() -> None:
    _replace_state_check(STATES)
    op.create_table(
        'proposal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_number', sa.String(length=60), nullable=True),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('unit_vote', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(['id'], ['dossier.id'], name=op.f('fk_proposal_id_dossier'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal')),
    )
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_nomination_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_nomination_proposal_id_proposal'), 'proposal', ['proposal_id'], ['id'],
            ondelete='CASCADE',
        )


def downgrade() -> None:
    # Lists and their rows go; a downgrade keeps only what the older schema can hold.
    op.execute(
        "DELETE FROM dossier WHERE id IN (SELECT id FROM nomination WHERE proposal_id IS NOT NULL)"
    )
    op.execute("DELETE FROM dossier WHERE kind = 'proposal'")
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_nomination_proposal_id_proposal'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_nomination_proposal_id'))
        batch_op.drop_column('proposal_id')
    op.drop_table('proposal')
    # A nomination the Office did not accept goes back to being under its review.
    op.execute("UPDATE dossier SET state = 'office_review' WHERE state = 'declined'")
    _replace_state_check(OLD_STATES)
