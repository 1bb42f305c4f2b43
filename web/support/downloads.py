"""What every download says about itself."""

from __future__ import annotations

import io
from urllib.parse import quote

from flask import Response, send_file

from models.text import without_diacritics

# Given whole as ``content_type``: passed as a mimetype, Werkzeug would add a second charset.
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def disposition(name: str, kind: str = "attachment") -> str:
    """An attachment called ``name``: in UTF-8 for browsers that read it, and for the others an
    ASCII name that keeps every letter ("Đ" becomes "D" instead of disappearing)."""
    fallback = without_diacritics(name).encode("ascii", "ignore").decode().replace('"', "")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def inline_disposition(name: str) -> str:
    """A file the browser shows rather than saves; saved, it is called ``name``."""
    return disposition(name, "inline")


def send_download(data: bytes, name: str, mimetype: str) -> Response:
    """``data`` as a file to save, called ``name``."""
    response = send_file(
        io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name
    )
    response.headers["Content-Disposition"] = disposition(name)
    return response
