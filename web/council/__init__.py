"""Council sessions: attendance, agenda, tallies and decisions, publication."""
from flask import Blueprint

bp = Blueprint("council", __name__, url_prefix="/council")

from web.council import views  # noqa: E402,F401
from web.council import ballots, decisions  # noqa: E402,F401  (secret ballots; decisions, Tờ trình)
