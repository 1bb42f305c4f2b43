"""Who signed award decisions: the Office lists, adds and edits issuers."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from models import Issuer
from models.people import ISSUER_KINDS
from web.db import get_session
from web.people import bp
from web.people.common import actor, typed
from web.support.access import requires
from web.support.i18n import date_vn
from web.support.refusals import Refusal, commit_or_answer
from workflow.core import authz
from workflow.core.errors import NotFound
from workflow.people import issuers

FIELDS = tuple(issuers.LABELS)


def _render(
    session: Session,
    values: dict[str, Any],
    issuer: Issuer | None = None,
    refusal: Refusal | None = None,
):
    return render_template(
        "people/issuers.html",
        rows=issuers.all_issuers(session),
        values=values,
        issuer=issuer,
        kinds=ISSUER_KINDS,
        labels=issuers.LABELS,
        problems=refusal.messages if refusal else [],
    ), (refusal.status if refusal else 200)


@bp.route("/issuers", methods=["GET", "POST"])
@requires(authz.may_manage_issuers)
def issuers_page():
    who, session = actor(), get_session()
    if request.method == "GET":
        return _render(session, {})
    values = typed(*FIELDS)
    issuer = commit_or_answer(
        session,
        lambda: issuers.add_issuer(session, who, values),
        lambda refusal: _render(session, values, refusal=refusal),
    )
    flash(_("Đã thêm “%(name)s”.", name=issuer.name), "success")
    return redirect(url_for("people.issuers_page"))


@bp.route("/issuers/<int:issuer_id>", methods=["GET", "POST"])
@requires(authz.may_manage_issuers)
def issuer(issuer_id: int):
    who, session = actor(), get_session()
    found = session.get(Issuer, issuer_id)
    if found is None:
        raise NotFound()
    if request.method == "GET":
        values = {k: getattr(found, k) or "" for k in FIELDS}
        values |= {k: date_vn(getattr(found, k)) for k in ("valid_from", "valid_to")}
        return _render(session, values, found)
    values = typed(*FIELDS)
    commit_or_answer(
        session,
        lambda: issuers.change_issuer(session, issuer_id, who, values),
        lambda refusal: _render(session, values, found, refusal),
    )
    flash(_("Đã lưu thay đổi."), "success")
    return redirect(url_for("people.issuers_page"))
