"""Security headers on every response (written by hand: Talisman's HTTPS redirect breaks
http://127.0.0.1). All assets are local, so the policy allows no other origin."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        _no_store_when_signed_in(response)
        return response


def _no_store_when_signed_in(response: Response) -> None:
    """A signed-in person's pages hold names, dossiers and votes: no cache, shared or in the
    browser, may keep them (the back button after sign-out, a shared computer, a proxy).
    Static files are the same for everyone and keep their caching."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    if "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "no-store"
