"""Where a redirect may go when the target comes from the request: a path of this site only.

A browser drops tabs and newlines from a URL and reads a backslash as a slash, so
"/<tab>/evil.example/" or "/<backslash>evil.example" would leave the site; such values are
refused whole, not cleaned, since what they meant cannot be known.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def _is_local_path(target: str) -> bool:
    # Control characters (tab, CR, LF…) and spaces: the browser strips or folds them.
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in target) or "\\" in target:
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def local_target(target: str | None, default: str | None = None) -> str:
    """``target`` when it is a path of this site, else ``default`` (the home page if none)."""
    if target and _is_local_path(target):
        return target
    return default if default is not None else url_for("home.index")
