"""The lifecycle diagrams, drawn from the workflow definitions."""

from flask import Blueprint

bp = Blueprint("workflow_pages", __name__, url_prefix="/workflow")

from web.workflow_pages import views  # noqa: E402,F401
