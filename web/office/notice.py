"""Moderation of the public's comments on names posted for notice (Office reviewers only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from web.auth.user import current_actor
from web.db import get_session
from web.office import bp
from web.support.access import requires
from web.support.refusals import commit_or_answer, flash_and_redirect
from workflow.core import authz
from workflow.core.errors import NotFound
from workflow.publication import notice


@bp.route("/notice-comments")
@requires(authz.may_moderate_notice_comments)
def notice_comments():
    return render_template(
        "office/notice_comments.html", pending=notice.pending_comments(get_session())
    )


@bp.route("/notice-comments/<int:comment_id>/<any(approve, reject):decision>", methods=["POST"])
@requires(authz.may_moderate_notice_comments)
def moderate_comment(comment_id: int, decision: str):
    actor = current_actor()
    session = get_session()
    back = url_for("office.notice_comments")
    reason = request.form.get("reason")
    try:
        commit_or_answer(
            session,
            lambda: notice.moderate(session, actor, comment_id, decision, reason),
            flash_and_redirect(back),
        )
    except NotFound:  # the plain 404 page: the workflow's message speaks of a dossier
        abort(404)
    flash(
        _("Đã duyệt ý kiến.") if decision == "approve" else _("Đã không duyệt ý kiến."), "success"
    )
    return redirect(back)
