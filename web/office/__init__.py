"""The Office's review queue."""

from flask import Blueprint

bp = Blueprint("office", __name__, url_prefix="/office")

from web.office import bulk, certificates, jobs, notice, revocation, views  # noqa: E402,F401
