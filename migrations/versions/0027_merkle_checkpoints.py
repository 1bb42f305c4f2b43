"""Merkle tree nodes over the audit leaves, and signed checkpoints

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06

``audit_tree_node`` keeps the hash of every complete subtree (levels 1 and up) of the RFC 9162
tree over ``audit_event.leaf_hash``; ``audit_checkpoint`` keeps every signed tree head as
published. Written by hand; the models are in models/audit.py.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import models


revision: str = "0027"
down_revision: Union[str, None] = "0026"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('audit_tree_node',
    sa.Column('level', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('position', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('level', 'position', name=op.f('pk_audit_tree_node'))
    )
    op.create_table('audit_checkpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tree_size', sa.BigInteger(), nullable=False),
    sa.Column('root_hash', sa.String(length=64), nullable=False),
    sa.Column('signed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('verifier_key', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoint')),
    sa.UniqueConstraint('tree_size', name=op.f('uq_audit_checkpoint_tree_size'))
    )


def downgrade() -> None:
    op.drop_table('audit_checkpoint')
    op.drop_table('audit_tree_node')
