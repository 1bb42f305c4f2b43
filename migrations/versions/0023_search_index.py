"""Word index of the nominations' search key (public search without a scan)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06

PostgreSQL: a GIN index on the words of ``nomination.search_key``; SQLite: an FTS5 table over
``nomination`` with the triggers that keep it in step, filled from the rows already there.
The statements are the ones ``create_all`` runs (models/search.py). Written by hand.
"""
from typing import Sequence, Union

from alembic import op

from models.search import DROP_DDL, create_search_index


revision: str = "0023"
down_revision: Union[str, None] = "0022"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    create_search_index(op.get_bind())


def downgrade() -> None:
    for statement in DROP_DDL.get(op.get_bind().dialect.name, []):
        op.execute(statement)
