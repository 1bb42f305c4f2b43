"""Revocation of a published award (thu hồi khen thưởng): the Office's reviewers record the
revoking decision and the reason. The workflow refuses everyone else and every bad input; a
refused form is drawn again with what was typed and why."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from models import Dossier
from web.auth.user import current_actor
from web.db import get_session
from web.office import bp
from web.support.access import requires
from web.support.refusals import Refusal, commit_or_answer
from workflow.core import authz
from workflow.core.errors import NotFound
from workflow.publication import revocation
from workflow.publication.outcomes import get_outcome

ACTION = ("Thu hồi khen thưởng", "Revoke an award")


@bp.route("/dossiers/<int:dossier_id>/revoke", methods=["GET", "POST"])
@requires(authz.may_revoke_award, action=ACTION)
def revoke(dossier_id: int):
    session, actor = get_session(), current_actor()
    form = request.form
    typed = {
        "number": form.get("number", ""),
        "decided_on": form.get("decided_on", ""),
        "reason": form.get("reason", ""),
    }

    def page(errors: list[str] | None = None) -> str:
        outcome = get_outcome(session, dossier_id)
        if outcome is None or outcome.kind != revocation.KIND:
            abort(404)  # not a published award: nothing to revoke, nothing to show
        return render_template(
            "office/revoke.html",
            outcome=outcome,
            revoked=revocation.revocation_of(session, dossier_id),
            typed=typed,
            errors=errors or [],
        )

    if request.method != "POST":
        dossier = session.get(Dossier, dossier_id)
        if dossier is not None:
            revocation.refuse_own_award(actor, dossier)  # 403: not one's own award
        return page()

    def answer(refusal: Refusal):
        return page(refusal.messages), refusal.status

    try:
        made = commit_or_answer(
            session,
            lambda: revocation.revoke(
                session,
                dossier_id,
                actor,
                number=typed["number"],
                decided_on=typed["decided_on"],
                reason=typed["reason"],
            ),
            answer,
        )
    except NotFound:
        abort(404)
    flash(_("Đã thu hồi khen thưởng theo Quyết định số %(n)s.", n=made.number), "success")
    return redirect(url_for("dossiers.detail", dossier_id=dossier_id))
