"""Sign-in, sign-out and the signed-in person."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from web.auth import passwords, views  # noqa: E402,F401  (routes register on bp)
