"""Accounts: the list (search, role, unit, status, sort, pages), the form to create or edit
one, deactivating and reactivating, role grants, the password reset and the CSV import.

A generated password is shown once, on the page that answers the change, and never stored in
clear; the page is not cached (signed-in pages are sent ``no-store``)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from models import User
from web.admin import bp
from web.admin.common import (
    PER_PAGE,
    commit_admin,
    list_args,
    posted,
    problems_by_field,
    save_active,
    save_edit,
    uploaded_csv,
)
from web.auth.user import current_actor
from web.db import get_session
from web.notifications import mail_enabled, send_after_response
from web.support.access import requires
from web.support.listing import paginate, sort_order
from web.support.parsing import whole_number
from web.support.refusals import Refusal
from workflow.accounts import account_admin, admin_imports, password_reset, unit_admin
from workflow.accounts.admin import ADMIN_ACTION, stamp
from workflow.core import authz
from workflow.core.actors import ROLE_LABELS

FORM_FIELDS = ("username", "full_name", "email", "phone", "position", "version")
NEW_FIELDS = FORM_FIELDS + ("role", "unit_id", "password", "password_again")
SECRET_FIELDS = ("password", "password_again")


@bp.route("/accounts")
@requires(authz.may_administer, action=ADMIN_ACTION)
def accounts():
    return _render_list()


def _render_list(import_errors: list[str] | None = None, status: int = 200):
    session, args = get_session(), list_args()
    unit_id = whole_number(request.args.get("unit"))
    sort, order = sort_order(account_admin.SORTS, "username")
    stmt = account_admin.accounts_query(args["q"], args["role"], unit_id, args["status"])
    return render_template(
        "admin/accounts.html",
        page=paginate(session, stmt.order_by(*order), PER_PAGE),
        args=args,
        unit_id=unit_id,
        sort=sort,
        roles=ROLE_LABELS,
        units=unit_admin.unit_choices(session, active_only=False),
        import_errors=import_errors or [],
    ), status


def _values_of(user: User | None) -> dict[str, Any]:
    if user is None:
        return {}
    values = account_admin.snapshot(user)
    values["version"] = stamp(values)
    return {k: "" if v is None else v for k, v in values.items()}


def _render_form(
    user: User | None,
    values: dict,
    refusal: Refusal | None = None,
    grant_values: dict | None = None,
):
    errors, problems = problems_by_field(refusal)
    for name in SECRET_FIELDS:
        values.pop(name, None)  # a password is never sent back to the browser
    return render_template(
        "admin/account_form.html",
        user=user,
        values=values,
        grant_values=grant_values or {},
        errors=errors,
        problems=problems,
        stale=refusal is not None and refusal.stale,
        roles=ROLE_LABELS,
        units=unit_admin.unit_choices(get_session()),
    ), (refusal.status if refusal else 200)


def _render_password(user: User, password: str, created: bool = False):
    return render_template("admin/password.html", user=user, password=password, created=created)


def _load(user_id: int) -> User:
    user = account_admin.get_account(get_session(), user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/accounts/new", methods=["GET", "POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def new_account():
    if request.method == "GET":
        return _render_form(None, _values_of(None))
    session, values = get_session(), posted(NEW_FIELDS)
    user, password = commit_admin(
        session,
        lambda: account_admin.create_account(session, current_actor(), values),
        lambda refusal: _render_form(None, values, refusal),
    )
    flash(_("Đã tạo tài khoản “%(name)s”.", name=user.username), "success")
    if password:
        return _render_password(user, password, created=True)
    return redirect(url_for("admin.edit_account", user_id=user.id))


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def edit_account(user_id: int):
    user = _load(user_id)
    if request.method == "GET":
        return _render_form(user, _values_of(user))
    session, values = get_session(), posted(FORM_FIELDS)
    return save_edit(
        values,
        lambda drawn: account_admin.update_account(
            session, current_actor(), user_id, values, expected_stamp=drawn
        ),
        lambda values, refusal: _render_form(_load(user_id), values, refusal),
        url_for("admin.edit_account", user_id=user_id),
    )


def _refused_on_form(user_id: int, grant_values: dict | None = None):
    """The answer of a form of the account's page: the page drawn again with the problems."""

    def answer(refusal: Refusal):
        user = _load(user_id)
        return _render_form(user, _values_of(user), refusal, grant_values)

    return answer


@bp.route("/accounts/<int:user_id>/active", methods=["POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def account_active(user_id: int):
    user, session = _load(user_id), get_session()
    return save_active(
        lambda active, drawn: account_admin.set_account_active(
            session, current_actor(), user.id, active, expected_stamp=drawn
        ),
        _refused_on_form(user_id),
        (_("Đã kích hoạt lại tài khoản."), _("Đã ngừng kích hoạt tài khoản.")),
        url_for("admin.edit_account", user_id=user_id),
    )


@bp.route("/accounts/<int:user_id>/grants", methods=["POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def add_grant(user_id: int):
    user, session = _load(user_id), get_session()
    values = posted(("role", "unit_id"))
    commit_admin(
        session,
        lambda: account_admin.add_grant(session, current_actor(), user.id, values),
        _refused_on_form(user_id, values),
    )
    flash(_("Đã cấp vai trò. Các phiên đăng nhập của tài khoản đã kết thúc."), "success")
    return redirect(url_for("admin.edit_account", user_id=user_id) + "#roles")


@bp.route("/accounts/<int:user_id>/grants/<int:grant_id>/delete", methods=["POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def remove_grant(user_id: int, grant_id: int):
    user, session = _load(user_id), get_session()
    commit_admin(
        session,
        lambda: account_admin.remove_grant(session, current_actor(), user.id, grant_id),
        _refused_on_form(user_id),
    )
    flash(_("Đã thu hồi vai trò. Các phiên đăng nhập của tài khoản đã kết thúc."), "success")
    return redirect(url_for("admin.edit_account", user_id=user_id) + "#roles")


@bp.route("/accounts/<int:user_id>/password", methods=["POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def reset_password(user_id: int):
    user, session = _load(user_id), get_session()
    values = posted(SECRET_FIELDS)
    password = commit_admin(
        session,
        lambda: account_admin.reset_password(session, current_actor(), user.id, values),
        _refused_on_form(user_id),
    )
    if password:
        return _render_password(_load(user_id), password)
    flash(_("Đã đặt mật khẩu mới. Các phiên đăng nhập của tài khoản đã kết thúc."), "success")
    return redirect(url_for("admin.edit_account", user_id=user_id))


@bp.route("/accounts/<int:user_id>/reset-link", methods=["POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def send_reset_link(user_id: int):
    user, session = _load(user_id), get_session()
    back = url_for("admin.edit_account", user_id=user_id) + "#password"
    if not mail_enabled():
        flash(_("Hệ thống chưa được cấu hình gửi thư điện tử: chưa gửi được liên kết."), "error")
        return redirect(back)
    mail = commit_admin(
        session,
        lambda: password_reset.send_link(session, current_actor(), user.id),
        _refused_on_form(user_id),
    )
    send_after_response([mail])
    flash(
        _(
            "Đã gửi liên kết đặt lại mật khẩu tới %(email)s; liên kết dùng được một lần, "
            "trong 60 phút.",
            email=mail.to_address,
        ),
        "success",
    )
    return redirect(back)


@bp.route("/accounts/import", methods=["POST"])
@requires(authz.may_administer, action=ADMIN_ACTION)
def import_accounts():
    text, unreadable = uploaded_csv()
    if text is None:
        return _render_list([unreadable], 400)
    session = get_session()
    result = admin_imports.import_users(session, current_actor(), text)
    if result.errors:
        session.rollback()
        return _render_list(result.errors, 400)
    session.commit()
    flash(
        _(
            "Đã nhập: %(c)d tài khoản mới, %(u)d tài khoản cập nhật.",
            c=result.created,
            u=result.updated,
        ),
        "success",
    )
    if result.passwords:
        return render_template("admin/imported_passwords.html", passwords=result.passwords)
    return redirect(url_for("admin.accounts"))
