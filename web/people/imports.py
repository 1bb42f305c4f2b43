"""Imports in the browser: a template to download, a preview of every row, then confirm.

The uploaded file is kept under its SHA-256 in the instance folder: the preview's "confirm"
names it, so nothing is uploaded twice and a refused file is never lost. Confirming reads and
checks the file again; when the register changed since the preview (other counts), nothing is
written and the new preview is shown.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from models import Unit
from models.text import vi_sort_key, whole_number
from web.db import get_session
from web.dossiers.common import actor, max_file_bytes, member_units
from web.people import bp
from web.support.access import requires
from web.support.downloads import XLSX_CONTENT_TYPE, send_download
from web.support.refusals import commit_or_answer
from workflow.core import authz
from workflow.core.errors import EditRefused, StaleVersion
from workflow.documents.import_templates import template_csv, template_xlsx
from workflow.people.columns import KIND_LABELS, KINDS
from workflow.people.imports import (
    ImportRefused,
    Preview,
    import_file,
    keep_file,
    kept_file,
    preview_file,
)
from workflow.people.spreadsheets import MAX_ROWS, UnreadableFile

SHOWN_ROWS = 2000  # rows without problems beyond this are counted, not listed
COUNTS = ("created", "updated", "unchanged")
REFUSALS = (EditRefused, UnreadableFile, ImportRefused, StaleVersion)


def _kept_dir() -> Path:
    return Path(current_app.instance_path) / "imports"


def _units(session, who) -> list[Unit]:
    if not authz.may_see_every_register(who):
        return member_units(session, who)
    return sorted(session.scalars(select(Unit)), key=lambda u: vi_sort_key(u.name))


def _choice() -> tuple[str, int | None]:
    kind = request.values.get("kind", "people")
    if kind not in KINDS:
        kind = "people"
    return kind, whole_number(request.values.get("unit_id"))


def _start(status: int = 200, problems: list[str] | None = None):
    session, who = get_session(), actor()
    kind, unit_id = _choice()
    units = _units(session, who)
    return (
        render_template(
            "people/import_start.html",
            kinds=KIND_LABELS,
            kind=kind,
            unit_id=unit_id or (units[0].id if len(units) == 1 else None),
            units=units,
            city_wide=authz.may_see_every_register(who),
            problems=problems or [],
            limit=MAX_ROWS,
        ),
        status,
    )


def _preview(preview: Preview, status: int = 200, changed: bool = False):
    shown = [r for r in preview.rows if r.problems]
    shown += [r for r in preview.rows if not r.problems][: max(SHOWN_ROWS - len(shown), 0)]
    shown.sort(key=lambda r: r.number)
    return (
        render_template(
            "people/import_preview.html",
            preview=preview,
            counts=preview.counts(),
            rows=shown,
            hidden=len(preview.rows) - len(shown),
            kinds=KIND_LABELS,
            changed=changed,
            units=_units(get_session(), actor()),
            city_wide=authz.may_see_every_register(actor()),
            limit=MAX_ROWS,
        ),
        status,
    )


def _answer(refusal):
    if isinstance(refusal.error, ImportRefused):
        return _preview(refusal.error.preview, refusal.status)
    return _start(refusal.status, refusal.messages)


@bp.route("/import")
@requires(authz.may_keep_register)
def import_start():
    return _start()


@bp.route("/import", methods=["POST"])
@requires(authz.may_keep_register)
def import_upload():
    chosen = request.files.get("file")
    if not chosen or not chosen.filename:
        return _start(422, [_("Vui lòng chọn tệp XLSX hoặc CSV cần nhập.")])
    data = chosen.read(max_file_bytes() + 1)
    if len(data) > max_file_bytes():
        return _start(422, [_("Tệp lớn quá %(mb)s MB.", mb=max_file_bytes() // (1024 * 1024))])
    keep_file(_kept_dir(), data)  # kept before it is read: a refused file is not lost
    kind, unit_id = _choice()
    session, who = get_session(), actor()
    preview = commit_or_answer(
        session,
        lambda: preview_file(session, who, kind, data, unit_id=unit_id, file_name=chosen.filename),
        _answer,
        refusals=REFUSALS,
    )
    return _preview(preview, 200 if preview.ok else 422)


@bp.route("/import/confirm", methods=["POST"])
@requires(authz.may_keep_register)
def import_confirm():
    data = kept_file(_kept_dir(), request.form.get("sha256", ""))
    if data is None:
        return _start(422, [_("Tệp đã tải lên không còn trên máy chủ; vui lòng tải lên lại.")])
    kind, unit_id = _choice()
    session, who = get_session(), actor()
    name = request.form.get("file_name", "")[:255]
    done = commit_or_answer(
        session,
        lambda: _import_as_previewed(session, who, kind, data, unit_id, name),
        _answer,
        refusals=REFUSALS,
    )
    if done is None:
        fresh = preview_file(session, who, kind, data, unit_id=unit_id, file_name=name)
        return _preview(fresh, 409, changed=True)
    register = "people.index" in current_app.view_functions
    return render_template(
        "people/import_result.html",
        preview=done,
        counts=done.counts(),
        kinds=KIND_LABELS,
        register_url=url_for("people.index") if register else None,
    )


def _import_as_previewed(session, who, kind, data, unit_id, name) -> Preview | None:
    """Import, unless the counts differ from the preview's (then roll back: None)."""
    done = import_file(session, who, kind, data, unit_id=unit_id, file_name=name)
    counts = done.counts()
    if any(str(counts[key]) != request.form.get(key) for key in COUNTS):
        session.rollback()
        return None
    return done


@bp.route("/import/template/<what>.<fmt>")
@requires(authz.may_keep_register)
def import_template(what: str, fmt: str):
    if what not in KINDS or fmt not in ("xlsx", "csv"):
        abort(404)
    name = f"mau-nhap-{what}.{fmt}"
    if fmt == "csv":
        return send_download(template_csv(what), name, "text/csv")
    return send_download(template_xlsx(what), name, XLSX_CONTENT_TYPE)
