"""The register's pages: people, collectives, history, duplicates and merges."""

from web.people import bp  # noqa: F401
