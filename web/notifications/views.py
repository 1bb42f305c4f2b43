"""The person's notifications: the list (newest first), and marking one or all read."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from web.db import get_session
from web.notifications import bp, unread_counted
from web.support.access import requires
from web.support.i18n import lang
from web.support.listing import paginate
from web.support.redirects import local_target
from workflow.core import authz
from workflow.notifications import notify


@bp.route("/")
@requires(authz.is_signed_in)
def index():
    session = get_session()
    page = paginate(session, notify.inbox(current_user.id), current_app.config["PAGE_SIZE"])
    rows = [(n, *notify.render_notification(n, lang())) for n in page.items]
    return render_template(
        "notifications/index.html",
        page=page,
        rows=rows,
        unread=unread_counted(notify.unread_count(session, current_user.id)),
    )


@bp.route("/<int:notification_id>/read", methods=["POST"])
@requires(authz.is_signed_in)
def mark_read(notification_id: int):
    session = get_session()
    notification = notify.mark_read(session, current_user.id, notification_id)  # 404 if not theirs
    session.commit()
    listing = url_for("notifications.index")
    if request.form.get("open") == "1":  # the title was clicked: go to what it is about
        return redirect(local_target(notification.link, listing))
    return redirect(local_target(request.form.get("next"), listing))


@bp.route("/read-all", methods=["POST"])
@requires(authz.is_signed_in)
def mark_all_read():
    session = get_session()
    count = notify.mark_all_read(session, current_user.id)
    session.commit()
    flash(_("Đã đánh dấu %(n)d thông báo là đã đọc.", n=count), "success")
    return redirect(url_for("notifications.index"))
