"""The award catalogue (admin): award types and their rules, the base salary; and the
eligibility checks shown on the dossier page and in the Office queue."""

from flask import Blueprint

bp = Blueprint("awards", __name__, url_prefix="/awards")

from web.awards import base_salary, holds, views  # noqa: E402,F401
