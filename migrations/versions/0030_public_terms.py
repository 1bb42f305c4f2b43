"""The word table keeps the public's dossiers only; the older word index goes

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06

``outcome_term`` loses the rows of the dossiers the public may not see (the ORM events write
none from now on: ``models.search_terms``), and the word index of 0023, which nothing reads
any more, is dropped (the GIN index and its generated column on PostgreSQL, the FTS5 table and
its triggers on SQLite). Going down makes and fills both again. Written by hand.
"""
from typing import Sequence, Union

from alembic import op

from migrations.word_index import create_word_index, drop_word_index
from models.search_terms import fill_search_terms, prune_search_terms


revision: str = "0030"
down_revision: Union[str, None] = "0029"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The states the public saw when this revision was written: a migration keeps its own copy, so
# that what it deletes does not follow later changes to the lifecycles.
PUBLIC_STATES = {"nomination": ("published",), "report": ("published",)}


def upgrade() -> None:
    drop_word_index(op.get_bind())
    prune_search_terms(op.get_bind(), PUBLIC_STATES)


def downgrade() -> None:
    fill_search_terms(op.get_bind(), every_dossier=True)
    create_word_index(op.get_bind())
