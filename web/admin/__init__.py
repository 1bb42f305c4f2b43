"""Administration in the browser: units, accounts, role grants, password resets and the CSV
imports of units and users (administrators only; the services refuse anyone else)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from web.admin import accounts, council, units  # noqa: E402,F401
