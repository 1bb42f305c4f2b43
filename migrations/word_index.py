"""The former word index of ``nomination.search_key``, made by migration 0023, dropped by 0030.

The public search reads the word table (``models.search_terms``) instead; these statements
stay for the migrations that make and drop the index, going up and down.

* PostgreSQL: a GIN index on a stored generated column ``search_words``, the key's
  ``to_tsvector('simple', …)`` after turning every run of characters other than letters and
  digits into a space.
* SQLite: an FTS5 table with external content (the ``nomination`` table itself) and a prefix
  index for two- and three-letter starts, kept in step by triggers.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

FTS_TABLE = "nomination_fts"
PG_INDEX = "ix_nomination_search_words"
PG_COLUMN = "search_words"
SQLITE_TRIGGERS = (f"{FTS_TABLE}_insert", f"{FTS_TABLE}_delete", f"{FTS_TABLE}_update")
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
# Fills the index from the rows already there.
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


def create_word_index(connection: Connection) -> None:
    """Create the word index (dropped first, so running it again is harmless) and fill it."""
    dialect = connection.dialect.name
    creates = {"sqlite": SQLITE_DDL, "postgresql": POSTGRESQL_DDL}.get(dialect, [])
    for statement in [*DROP_DDL.get(dialect, []), *creates]:
        connection.exec_driver_sql(statement)
    if dialect == "sqlite":
        connection.exec_driver_sql(SQLITE_REBUILD)


def drop_word_index(connection: Connection) -> None:
    for statement in DROP_DDL.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


def missing_word_index(connection: Connection) -> list[str]:
    """The parts of the word index missing on ``connection``."""
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
