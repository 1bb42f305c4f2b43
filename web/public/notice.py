"""Public notice before the Council (công khai lấy ý kiến): the names posted, and a form
anyone may use to comment on one (no sign-in; CSRF on; rate-limited per address)."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from models import Nomination
from models.clock import utcnow
from models.notice import CONTACT_MAX, NAME_MAX, TEXT_MAX
from web.auth.user import current_actor
from web.db import get_session
from web.extensions import limiter
from web.public import bp
from web.support.access import public
from web.support.refusals import Refusal, commit_or_answer
from workflow.core import authz
from workflow.publication import notice


def _now() -> dt.datetime:
    return utcnow()


@bp.route("/notice")
@public
def notice_list():
    names = notice.posted_names(get_session(), _now())
    return render_template(
        "public/notice.html",
        names=names,
        limits={"text": TEXT_MAX, "name": NAME_MAX, "contact": CONTACT_MAX},
    )


@bp.route("/notice/<int:dossier_id>/comments", methods=["POST"])
@public
@limiter.limit("5/hour", methods=["POST"])
def notice_comment(dossier_id: int):
    session = get_session()
    back = url_for("public.notice_list") + f"#notice-{dossier_id}"

    def answer(refusal: Refusal):
        if any(v.code == "notice_not_posted" for v in refusal.error.violations):
            abort(404)
        refusal.flash()
        return redirect(back)

    commit_or_answer(
        session,
        lambda: notice.add_comment(
            session,
            dossier_id,
            request.form.get("text"),
            request.form.get("name"),
            request.form.get("contact"),
            now=_now(),
        ),
        answer,
    )
    flash(
        _("Cảm ơn bạn đã góp ý. Ý kiến sẽ được Văn phòng Sở xem xét trước khi hiển thị."), "success"
    )
    return redirect(back)


@bp.app_template_global()
def notice_info(dossier) -> dict | None:
    """For the Council and the Office: the nomination's notice, its approved comments and the
    number still pending; None for other people, or when no comment and no notice applies."""
    actor = current_actor()
    if not isinstance(dossier, Nomination) or not authz.may_see_notice_comments(actor):
        return None
    session = get_session()
    comments = notice.approved_comments(session, dossier.id)
    pending = notice.pending_count(session, dossier.id)
    window = notice.notice_window(session, dossier)
    if window is None and not comments and not pending:
        return None
    return {
        "window": window,
        "comments": comments,
        "pending": pending,
        "over": window.over(notice.local_day(_now())) if window else True,
    }


@bp.app_template_global()
def public_notice_comments(dossier_id: int):
    """The approved comments on a posted name (the public page shows only these)."""
    return notice.approved_comments(get_session(), dossier_id)


@bp.app_template_global()
def can_moderate_notice() -> bool:
    return authz.may_moderate_notice_comments(current_actor())
