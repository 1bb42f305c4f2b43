"""Whole numbers out of forms and query strings: anything else (blank, "abc", "2.5", or a
digit that is not ASCII such as "²", which ``str.isdigit`` accepts and ``int`` refuses) is None."""
from __future__ import annotations

from typing import Any, Optional

from flask import request


def whole_number(value: Any) -> Optional[int]:
    """``value`` as a whole number ≥ 0, or None."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def posted_version() -> Optional[int]:
    """The version the posted form was drawn with (None from a form without one)."""
    return whole_number(request.form.get("version"))
