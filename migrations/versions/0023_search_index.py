"""Word index of the nominations' search key (public search without a scan)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06

PostgreSQL: a GIN index on the words of ``nomination.search_key``; SQLite: an FTS5 table over
``nomination`` with the triggers that keep it in step, filled from the rows already there
(migrations/word_index.py; dropped again by 0030). Written by hand.
"""
from typing import Sequence, Union

from alembic import op

from migrations.word_index import create_word_index, drop_word_index


revision: str = "0023"
down_revision: Union[str, None] = "0022"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    create_word_index(op.get_bind())


def downgrade() -> None:
    drop_word_index(op.get_bind())
