"""Sign-in and sign-out."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from models import get_setting
from web.auth import bp
from web.auth.forms import LoginForm
from web.auth.user import SignedInUser
from web.db import get_session
from web.extensions import limiter
from web.support.access import public, requires
from web.support.redirects import local_target
from workflow.accounts.service import LOCKOUT, MAX_FAILED_LOGINS, authenticate
from workflow.core import authz

DEMO_PASSWORD_KEY = "demo_password"


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("10/minute;100/hour", methods=["POST"])
def login():
    form = LoginForm()
    db = get_session()
    if form.validate_on_submit():
        user = authenticate(db, form.username.data, form.password.data)
        db.commit()
        if user is not None:
            session.clear()
            login_user(SignedInUser.of(user))
            session["lang"] = user.locale
            return redirect(local_target(request.args.get("next")))
        flash(
            _(
                "Tên đăng nhập hoặc mật khẩu không đúng. Sau %(n)d lần sai liên tiếp, "
                "tài khoản tạm khóa %(m)d phút.",
                n=MAX_FAILED_LOGINS,
                m=int(LOCKOUT.total_seconds() // 60),
            ),
            "error",
        )
    demo_password = get_setting(db, DEMO_PASSWORD_KEY)
    return render_template("auth/login.html", form=form, demo_password=demo_password)


@bp.route("/logout", methods=["POST"])
@requires(authz.is_signed_in)
def logout():
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))
