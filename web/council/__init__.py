"""Council sessions: attendance, agenda, tallies and decisions, publication."""

from flask import Blueprint

bp = Blueprint("council", __name__, url_prefix="/council")

from web.council import (  # noqa: E402,F401  (secret ballots; decisions, Tờ trình)
    ballots,
    decisions,
    views,
)
