"""The public verification of a certificate's code (no sign-in): ``/v`` and ``/v/<code>``.

Its own blueprint, outside ``/public``, so that the address printed and QR-encoded on a
certificate stays short."""

from flask import Blueprint

bp = Blueprint("verify", __name__)

from web.verify import views  # noqa: E402,F401
