"""Upload sizes: the limits people are told, and who enforces them.

Three figures, from the configuration (``web/config.py``):

- ``MAX_UPLOAD_BYTES``: one file (10 MB);
- ``MAX_REQUEST_BYTES``: everything sent at once (25 MB);
- ``MAX_CONTENT_LENGTH``: what Werkzeug will read at all (by default four times the request
  limit). Beyond it Werkzeug refuses while parsing, before any field can be read, so nothing
  typed can be shown again: the 413 page then says what happened and how to go back.

Between the request limit and that ceiling, the form is parsed: a view that draws its form
again with the limits named and everything typed kept (``sizes_checked_by_view``) checks the
sizes itself; every other view is answered 413 here, as it would have been before. The browser
checks sizes before sending (``js/upload-limits.js``), so most people never reach either.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, current_app, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from web.support.i18n import lang

MB = 1024 * 1024
F = TypeVar("F", bound=Callable)
_VIEWS_CHECKING_SIZES: set[str] = set()


def max_file_bytes() -> int:
    return int(current_app.config.get("MAX_UPLOAD_BYTES") or 10 * MB)


def max_request_bytes() -> int:
    """What may be sent at once: the request limit, never above what Werkzeug reads."""
    limit = int(current_app.config.get("MAX_REQUEST_BYTES") or 25 * MB)
    ceiling = current_app.config.get("MAX_CONTENT_LENGTH")
    return min(limit, int(ceiling)) if ceiling else limit


def megabytes(size: int) -> str:
    """A size in MB as people read it: "30,5" (one decimal; a whole number without it),
    rounded up, so that a file just over a limit never reads as the limit itself."""
    return format_decimal(math.ceil(size * 10 / MB) / 10, format="#,##0.#")


# Every page states the limits (twice, in base.html): worded once per language and limits.
_LIMITS_TEXTS: dict[tuple[str, int, int], str] = {}


def limits_text() -> str:
    """The limits, as every message about sizes states them."""
    key = (lang(), max_file_bytes(), max_request_bytes())
    text = _LIMITS_TEXTS.get(key)
    if text is None:
        text = _LIMITS_TEXTS[key] = _(
            "tối đa %(file)s MB mỗi tệp, %(request)s MB mỗi lần gửi",
            file=megabytes(key[1]),
            request=megabytes(key[2]),
        )
    return text


def size_of(upload: FileStorage) -> int:
    """The size of an uploaded file, without reading it into memory."""
    stream = upload.stream
    position = stream.tell()
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(position)
    return size


def sizes_checked_by_view(view: F) -> F:
    """Mark a view that checks upload sizes itself and draws its form again when they are too
    large (the request is then parsed up to ``MAX_CONTENT_LENGTH``)."""
    _VIEWS_CHECKING_SIZES.add(f"{view.__module__}.{view.__qualname__}")
    return view


def _checks_sizes(endpoint: str | None) -> bool:
    view = current_app.view_functions.get(endpoint or "")
    inner = getattr(view, "__wrapped__", view)
    return inner is not None and f"{inner.__module__}.{inner.__qualname__}" in (
        _VIEWS_CHECKING_SIZES
    )


def init_app(app: Flask) -> None:
    # Registered first, so that a request over the limit is answered before anything reads it.
    @app.before_request
    def _refuse_over_the_request_limit():
        length = request.content_length
        if length and length > max_request_bytes() and not _checks_sizes(request.endpoint):
            abort(413)

    app.jinja_env.globals.update(
        max_file_bytes=max_file_bytes,
        max_request_bytes=max_request_bytes,
        upload_limits=limits_text,
    )
