"""The word index of ``nomination.search_key``: word-prefix search without scanning the table.

The public list reads ``models.search_terms`` instead (it needs the matches in a sort's order);
this index answers :func:`matching_ids`, the set of nominations having the words.

``search_key`` is already folded (no diacritics, casefolded: ``models.text.fold``), so the
index only has to split it into words and find words by their start:

* PostgreSQL: a GIN index on a stored generated column ``search_words``, the key's
  ``to_tsvector('simple', …)``, queried with prefix terms (``'nguy':* & 'van':*``). The
  ``simple`` configuration lowercases and keeps every word (no stemming, no stop words:
  names are not English). Punctuation is turned into spaces first, so "2025-2026" or
  "mn-hoa-sen" give the same words as the query splitter below. Chosen over pg_trgm: a
  trigram index finds substrings, so the word-start rule ("Hà" must not hit "Phạm") would
  need a second pass on every candidate, and one- or two-letter words give trigrams that
  match almost every row.
* SQLite: an FTS5 table with external content (the ``nomination`` table itself, so the text is
  not stored twice) and a prefix index for two- and three-letter starts, kept in step by
  triggers inside the same transaction as the nomination's own write.

The statements are shared by ``create_all`` (``after_create`` listeners below) and the
migration that adds them to an existing database.
"""

from __future__ import annotations

from sqlalchemy import (
    DDL,
    ColumnElement,
    Select,
    column,
    event,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.engine import Connection

from models.dossiers import Nomination

FTS_TABLE = "nomination_fts"
PG_INDEX = "ix_nomination_search_words"
# FTS5 keeps its data in shadow tables named after the virtual table.
_FTS_SHADOWS = ("data", "idx", "docsize", "config", "content")
SEARCH_TABLES = frozenset({FTS_TABLE, *(f"{FTS_TABLE}_{s}" for s in _FTS_SHADOWS)})
MAX_WORDS = 8

PG_COLUMN = "search_words"
# The words of the key as PostgreSQL's parser splits them, after turning every run of
# characters other than letters and digits into a space; stored, so that a query never
# computes them: the planner takes to_tsvector's cost at face value (a few comparisons, where
# it costs tens of microseconds a row) and would otherwise pick plans that run it on thousands
# of rows. The column is PostgreSQL's alone, outside the models (SQLite has its FTS5 table).
PG_WORDS = "to_tsvector('simple'::regconfig, regexp_replace(search_key, '[^[:alnum:]]+', ' ', 'g'))"

SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_key, content='nomination', content_rowid='id', prefix='2 3')",
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON nomination BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END",
    # External content: FTS5 removes a row's words only when told the text it indexed.
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON nomination BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); END",
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF search_key ON nomination BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END",
]
SQLITE_TRIGGERS = (f"{FTS_TABLE}_insert", f"{FTS_TABLE}_delete", f"{FTS_TABLE}_update")
# Fills the index from the rows already there (a migrated database with data).
SQLITE_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
POSTGRESQL_DDL = [
    f"ALTER TABLE nomination ADD COLUMN {PG_COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({PG_WORDS}) STORED",
    f"CREATE INDEX {PG_INDEX} ON nomination USING gin ({PG_COLUMN})",
]
DROP_DDL = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
    + [f"DROP TABLE IF EXISTS {FTS_TABLE}"],
    "postgresql": [
        f"DROP INDEX IF EXISTS {PG_INDEX}",
        f"ALTER TABLE nomination DROP COLUMN IF EXISTS {PG_COLUMN}",
    ],
}


def search_ddl(dialect: str) -> list[str]:
    """The statements that create the word index on ``dialect`` (none elsewhere)."""
    return {"sqlite": SQLITE_DDL, "postgresql": POSTGRESQL_DDL}.get(dialect, [])


def create_search_index(connection: Connection) -> None:
    """Create the word index (dropped first, so running it again is harmless) and fill it."""
    dialect = connection.dialect.name
    for statement in [*DROP_DDL.get(dialect, []), *search_ddl(dialect)]:
        connection.exec_driver_sql(statement)
    if dialect == "sqlite":
        connection.exec_driver_sql(SQLITE_REBUILD)


def missing_search_index(connection: Connection) -> list[str]:
    """The parts of the word index missing on ``connection``: a SQLite batch migration that
    rebuilds ``nomination`` drops its triggers, and the index would silently go stale."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        present = set(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE name LIKE 'nomination_fts%'"
            ).scalars()
        )
        return [name for name in (FTS_TABLE, *SQLITE_TRIGGERS) if name not in present]
    if dialect == "postgresql":
        found = connection.exec_driver_sql(f"SELECT to_regclass('{PG_INDEX}') IS NOT NULL").scalar()
        return [] if found else [PG_INDEX]
    return []


def is_search_object(name: str | None, type_: str) -> bool:
    """True for the index's own tables, column and index, which are not in the models'
    metadata (autogenerate must neither drop them nor see a difference)."""
    return (
        (type_ == "table" and name in SEARCH_TABLES)
        or (type_ == "index" and name == PG_INDEX)
        or (type_ == "column" and name == PG_COLUMN)
    )


def query_words(text: str, limit: int = MAX_WORDS) -> list[str]:
    """The words of an already folded ``text`` as the index splits them: runs of letters and
    ASCII digits; anything else (quotes, ``*``, ``:``, ``(``, ``-`` …) separates words, so
    no query syntax of either database ever reaches it."""
    cleaned = "".join(c if c.isalpha() or c in "0123456789" else " " for c in text)
    return cleaned.split()[:limit]


def matching_ids(dialect: str, words: list[str]) -> Select:
    """The ids of the nominations in which every word of ``words`` (from :func:`query_words`)
    starts some word of the search key: a SELECT to use as ``id IN (…)``, so the database
    starts from the index's few hits instead of testing every row."""
    n = Nomination.__table__
    if dialect == "postgresql":
        return select(n.c.id).where(row_matches(words))
    if dialect == "sqlite":
        query = " AND ".join(f'"{word}"*' for word in words)
        fts = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))
        return select(fts.c.rowid).where(fts.c[FTS_TABLE].op("MATCH")(query))
    # Any other database: the same word-start rule, by scanning.
    key = literal(" ") + n.c.search_key
    return select(n.c.id).where(*(key.contains(f" {word}", autoescape=True) for word in words))


def row_matches(words: list[str]) -> ColumnElement[bool]:
    """PostgreSQL: the condition on a ``nomination`` row of the query that every word of
    ``words`` starts some word of its key (a cheap test of the stored words, or the index)."""
    query = " & ".join(f"'{word}':*" for word in words)
    words_of_key = literal_column(f"nomination.{PG_COLUMN}")
    return words_of_key.op("@@")(func.to_tsquery(literal_column("'simple'::regconfig"), query))


for _statement in SQLITE_DDL:
    event.listen(Nomination.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_DDL:
    event.listen(
        Nomination.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
