"""Whole numbers out of forms and query strings (:func:`models.text.whole_number`: anything
that is not one is None), and the version a posted form was drawn with."""

from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter, Map

from models.text import whole_number, whole_numbers

__all__ = ["RecordId", "posted_version", "whole_number", "whole_numbers"]

# The largest id a database integer holds (BIGINT; SQLite's INTEGER is 64-bit too).
MAX_ID = 2**63 - 1


class RecordId(IntegerConverter):
    """``<int:…>`` in every route: a number no database integer holds is no page (404), not a
    driver overflow (500)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def posted_version() -> int | None:
    """The version the posted form was drawn with (None from a form without one)."""
    return whole_number(request.form.get("version"))
