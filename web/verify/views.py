"""``/v``: type a certificate's code; ``/v/<code>``: what the code stands for, in words.

A code is 10 random symbols of Crockford's base 32: 2^50 (about 10^15) codes, of which a
decision issues a few hundred. Lookups are rate-limited per client (``LIMIT``, shared by both
pages), so guessing a valid code would take one client millions of years; the page of a code
shows only what the public outcome list already shows.
"""

from __future__ import annotations

import segno
from flask import redirect, render_template, request, url_for
from markupsafe import Markup

from web.db import get_session
from web.extensions import limiter
from web.support.access import public
from web.verify import bp
from workflow.publication import verification

# Per client address, across /v and /v/<code>: enough for a person checking a pile of
# certificates, far too few to sweep a space of 2^50 codes.
LIMIT = "30/minute;300/hour"
_lookups = limiter.shared_limit(LIMIT, scope="verify")


def qr_svg(url: str) -> Markup:
    """The QR code of ``url`` as inline SVG (medium error correction: survives a smudge)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, title=url)
    return Markup(svg)  # segno's own markup, with the URL escaped in its title


@bp.route("/v")
@public
@_lookups
def form():
    typed = request.args.get("code", "")[:60]
    if not typed.strip():
        return render_template("verify/form.html", typed="", unknown=False)
    code = verification.normalise(typed)
    if code is not None and verification.find(get_session(), code) is not None:
        return redirect(url_for("verify.page", code=code))
    return render_template("verify/form.html", typed=typed, unknown=True), 404


@bp.route("/v/<code>")
@public
@_lookups
def page(code: str):
    found = verification.verify(get_session(), code[:60])
    if found is None:
        return render_template("verify/form.html", typed=code[:60], unknown=True), 404
    canonical = found.code.replace("-", "")
    if code != canonical:  # typed by hand: one address per certificate, the printed one
        return redirect(url_for("verify.page", code=canonical), 301)
    url = url_for("verify.page", code=canonical, _external=True)
    return render_template("verify/page.html", v=found, url=url, qr=qr_svg(url))
