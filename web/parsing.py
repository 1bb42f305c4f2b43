"""Whole numbers out of forms and query strings (:func:`models.text.whole_number`: anything
that is not one is None), and the version a posted form was drawn with."""
from __future__ import annotations

from typing import Optional

from flask import request

from models.text import whole_number, whole_numbers

__all__ = ["posted_version", "whole_number", "whole_numbers"]


def posted_version() -> Optional[int]:
    """The version the posted form was drawn with (None from a form without one)."""
    return whole_number(request.form.get("version"))
