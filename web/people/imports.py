"""Imports in the browser: a template to download, a preview of every row, then confirm."""

from web.people import bp  # noqa: F401
