"""What the administration pages share: refused forms answered with each problem under its
field, the list arguments, and the CSV upload."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from web.db import get_session
from web.support.i18n import lang, pick
from web.support.parsing import posted_version
from web.support.refusals import Refusal, commit_or_answer
from workflow.accounts.admin import AdminRefused
from workflow.accounts.admin_imports import UNREADABLE, decode
from workflow.core.errors import StaleVersion

T = TypeVar("T")
PER_PAGE = 25
# The largest CSV file an import reads (a province's units and staff fit many times over).
MAX_CSV_BYTES = 5 * 1024 * 1024


def commit_admin(
    session: Session, change: Callable[[], T], answer: Callable[[Refusal], ResponseReturnValue]
) -> T:
    """``commit_or_answer`` for the administration's own refusals; a form refused for a rule
    answers 400."""
    return commit_or_answer(
        session, change, answer, refusals=(StaleVersion, AdminRefused), rule_status=400
    )


def problems_by_field(refusal: Refusal | None) -> tuple[dict[str, list[str]], list[str]]:
    """({field: messages}, messages with no field) of a refusal."""
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    for violation in refusal.error.violations if refusal else ():
        name = violation.params.get("field")
        (fields.setdefault(name, []) if name else general).append(violation.message(lang()))
    return fields, general


def posted(names: tuple[str, ...]) -> dict[str, Any]:
    """The posted form's values of ``names`` (everything typed, to draw the form again)."""
    return {name: request.form.get(name, "") for name in names}


def uploaded_csv() -> tuple[str | None, str | None]:
    """(the text of the uploaded ``file``, or None with why it cannot be read)."""
    upload = request.files.get("file")
    data = upload.read(MAX_CSV_BYTES + 1) if upload else b""
    if not data:
        return None, pick("Vui lòng chọn tệp CSV.", "Please choose a CSV file.")
    if len(data) > MAX_CSV_BYTES:
        return None, pick("Tệp CSV quá lớn (tối đa 5 MB).", "The CSV file is too large (5 MB).")
    text = decode(data)
    return (text, None) if text is not None else (None, pick(*UNREADABLE))


def list_args() -> dict[str, str]:
    """The list's filters from the query string."""
    return {name: request.args.get(name, "").strip() for name in ("q", "kind", "role", "status")}


def save_edit(
    values: dict[str, Any],
    update: Callable[[int | None], dict],
    redraw: Callable[[dict[str, Any], Refusal], ResponseReturnValue],
    back: str,
) -> ResponseReturnValue:
    """Save an edit form: ``update(posted stamp)`` returns the diff; refused, the form is drawn
    again with what was typed (and, after a stale stamp, the current one); saved, back to
    ``back``."""

    def answer(refusal: Refusal) -> ResponseReturnValue:
        values["version"] = refusal.version(values.get("version"))
        return redraw(values, refusal)

    changes = commit_admin(get_session(), lambda: update(posted_version()), answer)
    flash(_("Đã lưu thay đổi.") if changes else _("Không có thay đổi nào."), "success")
    return redirect(back)


def save_active(
    change: Callable[[bool, int | None], bool],
    answer: Callable[[Refusal], ResponseReturnValue],
    done: tuple[str, str],
    back: str,
) -> ResponseReturnValue:
    """Deactivate or reactivate (the posted ``active``) with ``change(active, posted stamp)``;
    flash ``done`` (reactivated, deactivated) and go back to ``back``."""
    active = request.form.get("active") == "1"
    commit_admin(get_session(), lambda: change(active, posted_version()), answer)
    flash(done[0] if active else done[1], "success")
    return redirect(back)
