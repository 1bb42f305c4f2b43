"""Sign-in and sign-out."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from models import get_setting
from web.auth import bp
from web.auth.forms import LoginForm
from web.auth.user import SignedInUser
from web.db import get_session
from web.extensions import limiter
from web.support.access import public, requires
from web.support.redirects import local_target
from workflow.accounts.service import Throttled, authenticate, sign_out
from workflow.core import authz

DEMO_PASSWORD_KEY = "demo_password"


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("10/minute;100/hour", methods=["POST"])
def login():
    form = LoginForm()
    db = get_session()
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            # The source is the client's address as the app sees it (behind a reverse proxy,
            # the proxy must pass it on; see the README).
            user = authenticate(
                db, form.username.data, form.password.data, source=request.remote_addr or ""
            )
        except Throttled as throttled:
            db.rollback()
            status, headers = 429, {"Retry-After": str(throttled.retry_after)}
            flash(
                _(
                    "Đăng nhập sai nhiều lần liên tiếp từ địa chỉ này. Vui lòng thử lại sau "
                    "%(time)s (còn %(seconds)d giây).",
                    time=format_datetime(throttled.retry_at, "HH:mm:ss dd/MM/yyyy"),
                    seconds=throttled.retry_after,
                ),
                "error",
            )
        else:
            db.commit()
            if user is not None:
                session.clear()
                login_user(SignedInUser.of(user))
                session["lang"] = user.locale
                return redirect(local_target(request.args.get("next")))
            flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
    demo_password = get_setting(db, DEMO_PASSWORD_KEY)
    page = render_template("auth/login.html", form=form, demo_password=demo_password)
    return page, status, headers


@bp.route("/logout", methods=["POST"])
@requires(authz.is_signed_in)
def logout():
    db = get_session()
    sign_out(db, current_user.id)
    db.commit()
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))
