"""The register of people and collectives: a unit keeps its own, the Office sees every unit's;
imports of staff lists, ratings and award history; history pages."""

from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/register")

from web.people import groups, imports, issuers, merge, public, records, views  # noqa: E402,F401
