"""The unit's reply to a point of the Office's return."""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_babel import gettext as _

from models import ReturnPoint
from web.db import get_session
from web.dossiers import bp
from web.dossiers.common import actor, detail_url, load_visible
from web.dossiers.views import render_detail
from web.support.access import requires
from web.support.refusals import commit_or_answer
from workflow.core import authz
from workflow.dossiers import returns


@bp.route("/points/<int:point_id>/reply", methods=["POST"])
@requires(authz.may_draft)
def reply(point_id: int):
    session, who = get_session(), actor()
    point = session.get(ReturnPoint, point_id)
    if point is None:
        abort(404)
    dossier_id = point.request.dossier_id
    text = request.form.get("reply", "")

    def answer(refusal):
        typed = {"point": point_id, "text": text, "messages": refusal.messages}
        dossier = load_visible(session, dossier_id, who)
        return render_detail(session, dossier, who, status=refusal.status, failed_reply=typed)

    commit_or_answer(session, lambda: returns.reply(session, who, point_id, text), answer)
    flash(_("Đã gửi trả lời."), "success")
    return redirect(f"{detail_url(dossier_id)}#point-{point_id}")
