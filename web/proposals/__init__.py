"""List proposals: the lists, one list's rows, adding rows and deciding them row by row."""

from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/lists")

from web.proposals import rows, views  # noqa: E402,F401
