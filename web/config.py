"""Configuration from VINHDANH_* environment variables, with safe defaults."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from models import database_url, instance_dir
from models.private_files import write_private


def _secret_key(instance: Path) -> str:
    """VINHDANH_SECRET_KEY, or a key generated once into ``instance/secret_key``."""
    if os.environ.get("VINHDANH_SECRET_KEY"):
        return os.environ["VINHDANH_SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        write_private(path, secrets.token_hex(32).encode())
    return path.read_text().strip()


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in ("1", "true", "yes", "on")


def _megabytes(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default))) * 1024 * 1024


def _whole(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default


def from_environment() -> dict:
    """The app's configuration as a dict; tests pass overrides on top of it."""
    instance = instance_dir()
    return {
        "SECRET_KEY": _secret_key(instance),
        "DATABASE_URL": database_url(),
        "UPLOAD_DIR": os.environ.get("VINHDANH_UPLOAD_DIR") or str(instance / "uploads"),
        "MAX_UPLOAD_BYTES": _megabytes("VINHDANH_MAX_UPLOAD_MB", 10),
        # What may be sent at once (a few files); the dossier forms refuse more by name, with
        # everything typed kept, and every other page answers 413 (web/support/uploads.py).
        "MAX_REQUEST_BYTES": _megabytes("VINHDANH_MAX_REQUEST_MB", 25),
        # What Werkzeug reads at all: above the request limit, so that a form sent with too
        # large a file is still read and can be drawn again; beyond it, the 413 page.
        "MAX_CONTENT_LENGTH": _megabytes(
            "VINHDANH_MAX_PARSE_MB", 4 * int(os.environ.get("VINHDANH_MAX_REQUEST_MB", "25"))
        ),
        # One text field read into memory: far above any text limit (20,000 characters are at
        # most 80 kB), so that a huge paste is refused by the form with its length named and
        # the text kept, not by Werkzeug's 413 before the form can be read (default 500 kB).
        "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
        "SMTP_HOST": os.environ.get("VINHDANH_SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("VINHDANH_SMTP_PORT", "25")),
        "SMTP_USER": os.environ.get("VINHDANH_SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("VINHDANH_SMTP_PASSWORD", ""),
        "SMTP_SENDER": os.environ.get("VINHDANH_SMTP_SENDER", "vinhdanh@localhost"),
        "SMTP_STARTTLS": _flag("VINHDANH_SMTP_STARTTLS"),
        # The site's address (https://vinhdanh.example.vn) for links in e-mails sent by cron.
        "PUBLIC_URL": os.environ.get("VINHDANH_PUBLIC_URL", ""),
        # The official Quốc huy artwork (PNG or JPEG) for certificates; none: its place is left
        # empty, never drawn from an imitation.
        "EMBLEM_IMAGE": os.environ.get("VINHDANH_EMBLEM_IMAGE", ""),
        # The Ed25519 key that signs audit checkpoints: outside the database, so neither a
        # backup nor a copy of the database can sign (web/support/checkpoints.py).
        "CHECKPOINT_KEY_FILE": os.environ.get("VINHDANH_CHECKPOINT_KEY")
        or str(instance / "checkpoint-ed25519.pem"),
        "CHECKPOINT_ORIGIN": os.environ.get("VINHDANH_CHECKPOINT_ORIGIN", ""),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        # A nomination form can take long to fill in; the token is bound to the session.
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("VINHDANH_SECURE_COOKIES"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": _flag("VINHDANH_SECURE_COOKIES"),
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=8),
        # With Redis, every app process counts the same sign-in attempts; without it each
        # process counts its own (the database throttle of failed sign-ins is shared anyway).
        "RATELIMIT_STORAGE_URI": os.environ.get("VINHDANH_REDIS_URL") or "memory://",
        # Keys of this site in a Redis that other sites (or test runs) share.
        "RATELIMIT_KEY_PREFIX": os.environ.get("VINHDANH_REDIS_PREFIX", "vinhdanh"),
        # Redis for the limiter's counts and the background job queue; empty: jobs run inline.
        "REDIS_URL": os.environ.get("VINHDANH_REDIS_URL", ""),
        # How many reverse proxies in front of the app set X-Forwarded-*: 0 trusts none of
        # these headers (a client could otherwise pick its own address and dodge the limits).
        "PROXY_HOPS": _whole("VINHDANH_PROXY_HOPS", 0),
        "RATELIMIT_ENABLED": _flag("VINHDANH_RATELIMIT", True),
        "PAGE_SIZE": 20,
        # Seconds the Office dashboard may show figures read earlier while dossiers move (it
        # says as of when); 0 counts them on every view.
        "DASHBOARD_MAX_AGE": _whole("VINHDANH_DASHBOARD_MAX_AGE", 30),
        # A Server-Timing header with the CPU each request took (web/support/timing.py).
        "SERVER_TIMING": _flag("VINHDANH_SERVER_TIMING"),
    }
