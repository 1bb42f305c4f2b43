"""Dossier pages: a unit's list, create and edit, evidence, the dossier page and its actions."""

from flask import Blueprint

bp = Blueprint("dossiers", __name__, url_prefix="/dossiers")

from web.dossiers import views  # noqa: E402,F401
