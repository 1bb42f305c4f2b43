"""The "Việc cần làm" home page: what waits for this person."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from web.home import views  # noqa: E402,F401
