"""certificates: whether an award prints one, the layouts of pre-printed blanks, deputy signers

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06

``award_type.prints_certificate``: None follows the law (forms and titles with a bằng print),
True or False is the admin's choice. ``certificate_layout``: where each field of a certificate
goes on an award's pre-printed blank, for one unit or (unit NULL) for all.
``decision.signer_deputy``: a deputy signs for the Director ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC").
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models


revision: str = "0025"
down_revision: Union[str, None] = "0024"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("signer_deputy", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("award_type", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prints_certificate", sa.Boolean(), nullable=True))
    op.create_table(
        "certificate_layout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_type_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("positions", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["award_type_id"],
            ["award_type.id"],
            name=op.f("fk_certificate_layout_award_type_id_award_type"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_certificate_layout_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["user_account.id"],
            name=op.f("fk_certificate_layout_updated_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_layout")),
        sa.UniqueConstraint(
            "award_type_id", "unit_id", name=op.f("uq_certificate_layout_award_type_id")
        ),
    )
    with op.batch_alter_table("certificate_layout", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificate_layout_award_type_id"), ["award_type_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("certificate_layout", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_layout_award_type_id"))
    op.drop_table("certificate_layout")
    with op.batch_alter_table("award_type", schema=None) as batch_op:
        batch_op.drop_column("prints_certificate")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_column("signer_deputy")
