"""a public verification code on each conferred dossier of an issued decision

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

``decision_item.verify_code``: the random code printed on a certificate and looked up at
``/v/<code>``. Decisions issued before this revision get their codes here, drawn as the
application draws them (``workflow.publication.verification.new_code``; a migration keeps its own
copy of the rule so it never changes under it).
"""

import secrets
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = "0021"
down_revision: Union[str, None] = "0020"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))


def upgrade() -> None:
    with op.batch_alter_table("decision_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verify_code", sa.String(length=10), nullable=True))
        batch_op.create_unique_constraint("uq_decision_item_verify_code", ["verify_code"])
    bind = op.get_bind()
    issued = (
        bind.execute(
            sa.text(
                "SELECT i.id FROM decision_item i JOIN decision d ON d.id = i.decision_id "
                "WHERE d.status = 'issued' ORDER BY i.id"
            )
        )
        .scalars()
        .all()
    )
    taken: set[str] = set()
    for item_id in issued:
        code = new_code()
        while code in taken:
            code = new_code()
        taken.add(code)
        bind.execute(
            sa.text("UPDATE decision_item SET verify_code = :code WHERE id = :id"),
            {"code": code, "id": item_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("decision_item", schema=None) as batch_op:
        batch_op.drop_constraint("uq_decision_item_verify_code", type_="unique")
        batch_op.drop_column("verify_code")
