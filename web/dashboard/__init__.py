"""The Office dashboard (bảng tổng hợp) of a campaign, the lists behind its figures, exports."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from web.dashboard import reminders, views  # noqa: E402,F401
