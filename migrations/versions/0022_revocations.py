"""revocation of a published award, and the award records it takes out of the held ones

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06

``revocation``: one row per revoked dossier (the revoking decision's number and date, the
reason, who recorded it and the public audit event). ``award_record.revocation_id``: set on the
record of a revoked award, which stays in the history but is no longer held. Written by hand;
the models are in models/decisions.py and models/awards.py.
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models


revision: str = "0022"
down_revision: Union[str, None] = "0021"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "revocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("revoked_by", sa.Integer(), nullable=False),
        sa.Column("revoked_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_revocation_dossier_id_dossier")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by"],
            ["user_account.id"],
            name=op.f("fk_revocation_revoked_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revocation")),
        sa.UniqueConstraint("dossier_id", name=op.f("uq_revocation_dossier_id")),
    )
    with op.batch_alter_table("award_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revocation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_award_record_revocation_id_revocation"),
            "revocation",
            ["revocation_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("award_record", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_award_record_revocation_id_revocation"), type_="foreignkey"
        )
        batch_op.drop_column("revocation_id")
    op.drop_table("revocation")
