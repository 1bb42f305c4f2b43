"""The dashboard's "Gửi nhắc nhở": the Office reminds, in one click, the units late with their
plan or report (in-app and by e-mail; at most once a day per unit)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from web.auth.user import current_actor
from web.dashboard import bp
from web.dashboard.views import campaign_of_request
from web.db import get_session
from web.home.presenters import today
from web.support.access import requires
from web.support.refusals import commit_or_answer, flash_and_redirect
from web.support.templating import kind_label
from workflow.core import authz
from workflow.notifications.reminders import KINDS, REMIND_ACTION, remind_overdue


@bp.route("/remind", methods=["POST"])
@requires(authz.may_remind_units, action=REMIND_ACTION)
def remind():
    session = get_session()
    campaign = campaign_of_request(session)
    kind = request.form.get("kind") if request.form.get("kind") in KINDS else "plan"
    back = url_for("dashboard.index", campaign=campaign.id) + "#chase"
    sent = commit_or_answer(
        session,
        lambda: remind_overdue(session, current_actor(), campaign, kind, today()),
        flash_and_redirect(back),
    )
    if sent:
        units = len(sent)
        flash(
            _("Đã gửi nhắc nhở %(kind)s tới %(n)d đơn vị.", kind=kind_label(kind).lower(), n=units),
            "success",
        )
    else:
        flash(
            _("Không có đơn vị nào cần nhắc thêm: các đơn vị quá hạn đã được nhắc hôm nay."), "info"
        )
    return redirect(back)
