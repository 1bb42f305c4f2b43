"""Campaign pages (the Office and administrators) and the report-figures page."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")

from web.campaigns import figures, views  # noqa: E402,F401
