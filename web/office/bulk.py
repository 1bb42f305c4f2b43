"""Bulk work on the Office queue: accept or return the selected rows, or export them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from web.auth.user import current_actor
from web.db import get_session
from web.office import bp
from web.office.views import csv_response
from web.support.access import requires
from web.support.i18n import lang
from web.support.redirects import local_target
from web.support.selection import bulk_request, ticked_ids
from workflow.core import authz
from workflow.dossiers import bulk, queues


def _back() -> str:
    return local_target(request.form.get("next"), url_for("office.queue"))


@bp.route("/bulk", methods=["POST"])
@requires(authz.may_review_in_bulk)
def bulk_action():
    action = request.form.get("action")
    ids = ticked_ids(request.form)
    if action not in bulk.ACTIONS or not ids:
        flash(_("Vui lòng chọn ít nhất một hồ sơ và một thao tác."), "error")
        return redirect(_back())
    session = get_session()
    result = bulk.run(
        session, current_actor(), bulk_request(request.form, action, ids), locale=lang()
    )
    session.commit()  # each row's savepoint was released or rolled back on its own
    back = _back()
    # Ticked on a list's page, the rows are that list's: the way back names it.
    from_list = back.startswith(url_for("proposals.index"))
    return render_template("office/bulk_result.html", result=result, back=back, from_list=from_list)


@bp.route("/selection.csv", methods=["POST"])
@requires(authz.may_use_office_queue)
def export_selection():
    ids = ticked_ids(request.form)
    if not ids:
        flash(_("Vui lòng chọn ít nhất một hồ sơ."), "error")
        return redirect(_back())
    session = get_session()
    # Only what the person's queue shows them, in the order they ticked it.
    visible = queues.office_queue(current_actor(), queues.OfficeFilter(state=None))
    allowed = set(queues.ordered_ids(session, visible.where(queues.ANY_DOSSIER.id.in_(ids))))
    dossiers = queues.iter_in_order(session, [i for i in ids if i in allowed])
    return csv_response(dossiers, "ho-so-da-chon.csv")
