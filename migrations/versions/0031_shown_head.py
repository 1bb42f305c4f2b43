"""The shown head: the last audit event that can change what the public pages show

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06

``audit_head.shown_seq`` and ``shown_hash`` name the last event that is public or not about a
dossier (workflow.core.audit.shows_outside), and its chain hash; the public pages keep their
data per that pair, so a dossier's internal steps no longer empty their cache. Written by hand.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = "0031"
down_revision: Union[str, None] = "0030"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

GENESIS_HASH = "0" * 64

_LAST_SHOWN = (
    "SELECT seq, hash FROM audit_event"
    " WHERE visibility = 'public' OR entity_type <> 'dossier' ORDER BY seq DESC LIMIT 1"
)


def upgrade() -> None:
    # A plain ADD COLUMN on both databases: SQLite's batch mode would rebuild the table and
    # drop its single-row CHECK.
    op.add_column(
        "audit_head", sa.Column("shown_seq", sa.BigInteger(), nullable=False, server_default="0")
    )
    op.add_column(
        "audit_head",
        sa.Column("shown_hash", sa.String(64), nullable=False, server_default=GENESIS_HASH),
    )
    bind = op.get_bind()
    last = bind.execute(sa.text(_LAST_SHOWN)).first()
    if last is not None:
        bind.execute(
            sa.text("UPDATE audit_head SET shown_seq = :seq, shown_hash = :hash WHERE id = 1"),
            {"seq": last.seq, "hash": last.hash},
        )


def downgrade() -> None:
    op.drop_column("audit_head", "shown_hash")
    op.drop_column("audit_head", "shown_seq")
