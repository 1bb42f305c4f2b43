"""Innovative models and good practices: units register, the Office marks exemplary, the
public sees the exemplary ones."""

from flask import Blueprint

bp = Blueprint("practices", __name__, url_prefix="/practices")

from web.practices import views  # noqa: E402,F401
