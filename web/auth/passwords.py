"""Passwords people set themselves: "Quên mật khẩu?" (a one-time link by e-mail), the link's
page, and the change of one's own password, which a one-time password from an admin forces
before anything else.

A reset e-mail carries the link's secret, so it is never queued in the outbox (a stored copy
would open the account): it is sent once the response is out, which also keeps the answer's
time the same whether or not the account exists.
"""

from __future__ import annotations

from flask import (
    Response,
    after_this_request,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user

from models import User
from web.admin.common import problems_by_field
from web.auth import bp
from web.auth.user import SignedInUser
from web.db import get_session
from web.extensions import limiter
from web.notifications import mail_enabled, send_after_response
from web.support.access import public, requires
from web.support.refusals import Refusal, commit_or_answer
from workflow.accounts import password_reset
from workflow.accounts.admin import AdminRefused
from workflow.accounts.password_reset import LinkRefused
from workflow.core import authz

SECRET_FIELDS = ("current_password", "password", "password_again")
# The pages a person who must change a one-time password may still open.
OPEN_WHILE_FORCED = {"auth.change_password", "auth.logout", "static", "i18n.switch"}


@bp.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit("5/minute;30/hour", methods=["POST"])
def forgot():
    typed = request.form.get("account", "").strip()[:255] if request.method == "POST" else ""
    if request.method == "POST":
        if not typed:
            flash(_("Vui lòng nhập tên đăng nhập hoặc địa chỉ thư điện tử."), "error")
            return render_template("auth/forgot.html", typed=typed, mail=mail_enabled()), 400
        db = get_session()
        mails = password_reset.request_link(db, typed) if mail_enabled() else []
        db.commit()
        send_after_response(mails)
        # The same words whether or not the account exists.
        return render_template("auth/forgot_sent.html")
    return render_template("auth/forgot.html", typed=typed, mail=mail_enabled())


def _link_refused(refused: LinkRefused):
    status = 404 if refused.why == "unknown" else 410
    return render_template("auth/reset_refused.html", why=refused.why), status


def _no_referrer(response: Response) -> Response:
    # The page's address holds the link's secret: never pass it on to another site.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/reset/<secret>", methods=["GET", "POST"])
@public
@limiter.limit("10/minute", methods=["POST"])
def reset(secret: str):
    after_this_request(_no_referrer)
    db = get_session()
    try:
        token = password_reset.live_link(db, secret)
    except LinkRefused as refused:
        return _link_refused(refused)
    if request.method == "GET":
        return _reset_form(token.user_id)

    def answer(refusal: Refusal):
        return _reset_form(token.user_id, refusal)

    try:
        commit_or_answer(
            db,
            lambda: password_reset.reset_with_link(db, secret, request.form),
            answer,
            refusals=(AdminRefused,),
            rule_status=400,
        )
    except LinkRefused as refused:  # spent by another tab between the two reads
        db.rollback()
        return _link_refused(refused)
    flash(_("Đã đặt mật khẩu mới. Mời bạn đăng nhập bằng mật khẩu mới."), "success")
    return redirect(url_for("auth.login"))


def _reset_form(user_id: int, refusal: Refusal | None = None):
    errors, problems = problems_by_field(refusal)
    user = get_session().get(User, user_id)
    page = render_template(
        "auth/reset.html", username=user.username, errors=errors, problems=problems
    )
    return page, (refusal.status if refusal else 200)


@bp.route("/password", methods=["GET", "POST"])
@requires(authz.is_signed_in)
def change_password():
    if request.method == "GET":
        return _change_form()
    db = get_session()
    user = commit_or_answer(
        db,
        lambda: password_reset.change_own_password(db, current_user.id, request.form),
        _change_form,
        refusals=(AdminRefused,),
        rule_status=400,
    )
    # Every session of the account ended with the change: this one goes on with the new token.
    keep = {k: session[k] for k in ("lang",) if k in session}
    session.clear()
    session.update(keep)
    login_user(SignedInUser.of(user))
    flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc."), "success")
    return redirect(url_for("home.index"))


def _change_form(refusal: Refusal | None = None):
    errors, problems = problems_by_field(refusal)
    page = render_template(
        "auth/change_password.html",
        forced=current_user.must_change_password,
        errors=errors,
        problems=problems,
    )
    return page, (refusal.status if refusal else 200)


@bp.before_app_request
def _forced_change():
    """Someone signed in with a one-time password may only change it (or sign out)."""
    if (
        request.endpoint in OPEN_WHILE_FORCED
        or not current_user.is_authenticated
        or not current_user.must_change_password
    ):
        return None
    if request.method == "GET":
        flash(_("Vui lòng đổi mật khẩu dùng một lần trước khi tiếp tục."), "warning")
    return redirect(url_for("auth.change_password"))
