"""The public site (no sign-in): published outcomes and the audit log's head."""

from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix="/public")

from web.public import feeds, notice, proofs, views  # noqa: E402,F401
