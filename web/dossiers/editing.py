"""Creating and editing a dossier's content (with evidence chosen on the create form)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from models import Dossier
from models.clock import today
from web.db import get_session
from web.dossiers import bp, pending
from web.dossiers.common import (
    KINDS,
    Upload,
    actor,
    attach_each,
    checked_files,
    detail_url,
    load_visible,
    max_file_bytes,
    member_units,
    posted_files,
    posted_retypes,
    slot_name,
)
from web.dossiers.forms import FORMS, DossierForm, build_form
from web.home.links import optional_url
from web.support.access import requires
from web.support.i18n import lang, pick
from web.support.parsing import whole_number
from web.support.refusals import Refusal, commit_or_answer
from web.support.uploads import limits_text, sizes_checked_by_view
from workflow.awards.rules import PURPOSES
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.core.errors import EditRefused
from workflow.core.registry import WORKFLOWS
from workflow.dossiers import checklist, evidence
from workflow.dossiers import content as dossiers
from workflow.dossiers.evidence import KIND_FILES, OTHER
from workflow.dossiers.guards import missing_fields


def _render(
    form: DossierForm,
    kind: str,
    units: list,
    dossier: Dossier | None = None,
    token: str | None = None,
    problems: list[str] | None = None,
    status: int = 200,
):
    waiting = pending.listing(token)
    if dossier is not None:
        unit_id = dossier.unit_id
    else:  # a unit not the person's (a bad choice the form answers) is none to check against
        unit_id = form.unit_id.data if form.unit_id.data in {u.id for u in units} else None
    retypes = posted_retypes(dossier) if dossier is not None else {}
    found = _checklist(kind, unit_id, form.content(), dossier, waiting, retypes)
    return render_template(
        "dossiers/form.html",
        form=form,
        kind=kind,
        units=units,
        dossier=dossier,
        token=token,
        pending=waiting,
        problems=problems or [],
        max_mb=max_file_bytes() // (1024 * 1024),
        limits=limits_text(),
        register_url=optional_url("people.import_start") or optional_url("people.index"),
        checklist=found,
        slots=form_slots(kind, found),
        checklist_url=url_for("dossiers.draft_checklist", kind=kind),
    ), status


def _checklist(
    kind: str,
    unit_id: int | None,
    values: Mapping[str, Any],
    dossier: Dossier | None,
    waiting: list[pending.PendingFile],
    retypes: Mapping[int, str],
    chosen: Iterable[str] = (),
) -> checklist.Checklist:
    """The checklist of the form holding ``values``: the files ``waiting`` to be saved with
    it, those ``chosen`` in its slots (their documents) and the saved ones it retypes count as
    if saved."""
    changes = Counter(f.purpose for f in waiting)
    changes.update(p for p in chosen if p in PURPOSES)
    for attachment in dossier.attachments if dossier is not None else ():
        if attachment.id in retypes and retypes[attachment.id] in PURPOSES:
            changes[attachment.purpose] -= 1
            changes[retypes[attachment.id]] += 1
    return checklist.checklist(
        get_session(),
        actor(),
        kind,
        unit_id,
        values,
        today(),
        dossier_id=dossier.id if dossier is not None else None,
        waiting=changes,
    )


@dataclass(frozen=True)
class FormSlot:
    """A file input of the form: the document it takes, its input's name, whether it shows
    (the documents the award chosen needs, and "Minh chứng khác") and the files it has."""

    purpose: str
    name: str
    shown: bool
    required: bool
    count: int


def form_slots(kind: str, found: checklist.Checklist) -> list[FormSlot]:
    """Every slot the form may need: the kind's documents and, for a nomination, each one an
    award may ask for (shown when the award chosen asks for it: the form's script shows the
    others when another award is chosen), then "Minh chứng khác"."""
    needed = {s.purpose: s for s in found.slots}
    candidates = list(KIND_FILES.get(kind, ()))
    if kind == "nomination":
        candidates += [p for p in PURPOSES if p not in candidates]
    candidates = [p for p in candidates if p != OTHER] + [OTHER]
    return [
        FormSlot(
            p,
            slot_name(p),
            p in needed,
            p in needed and needed[p].required,
            needed[p].count if p in needed else 0,
        )
        for p in candidates
    ]


@bp.route("/checklist/<kind>")
@requires(authz.may_draft)
def draft_checklist(kind: str):
    """The checklist of a form being filled in (its values in the query), drawn again by the
    form's script as the person types, chooses and attaches; reads only."""
    if kind not in KINDS:
        abort(404)
    session, who = get_session(), actor()
    args = request.args
    dossier = None
    dossier_id = whole_number(args.get("dossier_id"))
    if dossier_id is not None:
        dossier = load_visible(session, dossier_id, who)
        kind = dossier.kind
    # Read as the form reads a save (ids in range, ticks, line breaks), never saved.
    values = FORMS[kind](formdata=args, meta={"csrf": False}).content()
    kept = set(args.getlist("keep_pending"))
    waiting = [f for f in pending.listing(args.get("pending_token")) if f.id in kept]
    retypes = posted_retypes(dossier, args) if dossier is not None else {}
    found = _checklist(
        kind,
        whole_number(args.get("unit_id")),
        values,
        dossier,
        waiting,
        retypes,
        args.getlist("chosen"),
    )
    return render_template("dossiers/_checklist.html", checklist=found, kind=kind)


def _create_with_files(
    session: Session, who: Actor, kind: str, form: DossierForm, files: list[Upload]
) -> tuple[Dossier, list[str]]:
    """The new dossier with its evidence attached, and messages about files that were refused."""
    dossier = dossiers.create(session, who, kind, form.unit_id.data, form.content())
    return dossier, attach_each(session, dossier.id, who, files)[1]


def flash_still_missing(dossier: Dossier) -> None:
    """After a draft is saved: what sending will still ask for, if anything."""
    missing = missing_fields(dossier)
    if missing:
        names = ", ".join(f"“{pick(*f.named)}”" for f in missing)
        flash(
            _("Bản nháp đã được lưu. Còn thiếu trước khi gửi đi: %(fields)s.", fields=names), "info"
        )


@bp.route("/new/<kind>", methods=["GET", "POST"])
@requires(
    authz.may_draft, refusal=_l("Chỉ cán bộ thi đua hoặc thủ trưởng đơn vị mới tạo được hồ sơ.")
)
@sizes_checked_by_view
def create(kind: str):
    if kind not in KINDS:
        abort(404)
    session, who = get_session(), actor()
    units = member_units(session, who)
    form = build_form(session, kind, units)
    del form.version
    token = request.form.get("pending_token")
    if request.method != "POST":
        return _render(form, kind, units)
    pending.keep_only(token, request.form.getlist("keep_pending"))
    uploads, file_problems = checked_files(posted_files())
    problems: list[str] = []
    if form.validate() and not file_problems:
        try:
            dossier, file_problems = _create_with_files(
                session, who, kind, form, uploads + pending.read(token)
            )
        except EditRefused as error:
            problems = error.messages(lang())
        if not problems and not file_problems:
            session.commit()
            pending.discard(token)
            flash(
                _(
                    "Đã tạo hồ sơ “%(title)s”. Kiểm tra lại nội dung, rồi gửi đi khi đã sẵn sàng.",
                    title=dossier.title or _("(chưa có tiêu đề)"),
                ),
                "success",
            )
            flash_still_missing(dossier)
            # A list is filled on its own page; every other dossier is ready to read over.
            rows_url = optional_url("proposals.detail", proposal_id=dossier.id)
            return redirect(rows_url if kind == "proposal" and rows_url else detail_url(dossier.id))
        session.rollback()
    form.files.errors = file_problems
    # Nothing typed or uploaded is lost: the valid files wait server-side for the next try.
    token = pending.stash(token, uploads)
    return _render(form, kind, units, token=token, problems=problems + file_problems)


def _not_editable(dossier: Dossier, who: Actor) -> str | None:
    """None when the person may edit now; else why not (out of scope: the 403 page)."""
    authz.refuse_unless(authz.may_edit_dossier(who, dossier))
    state = WORKFLOWS[dossier.kind].state(dossier.state)
    if state.editable:
        return None
    return dossiers.CONTENT_MESSAGES.violation(
        "not_editable", {"state": state.label_vi, "state_en": state.label_en}
    ).message(lang())


@bp.route("/<int:dossier_id>/edit", methods=["GET", "POST"])
@requires(authz.is_signed_in)
@sizes_checked_by_view
def edit(dossier_id: int):
    session, who = get_session(), actor()
    dossier = load_visible(session, dossier_id, who)
    refusal = _not_editable(dossier, who)
    if refusal is not None and request.method == "GET":
        flash(refusal, "warning")
        return redirect(detail_url(dossier.id))
    form = build_form(session, dossier.kind, [dossier.unit], dossier)
    del form.unit_id
    token = request.form.get("pending_token")
    if refusal is not None:  # sent on meanwhile: show the refusal, and keep what was typed
        chosen = [f.filename for f, _purpose in posted_files() if f and f.filename]
        chosen += [f.name for f in pending.listing(token)]
        not_attached = (
            [
                _(
                    "Các tệp bạn chọn chưa được đính kèm: %(names)s.",
                    names=", ".join(f"“{name}”" for name in chosen),
                )
            ]
            if chosen
            else []
        )
        return _render(
            form,
            dossier.kind,
            [dossier.unit],
            dossier,
            problems=[
                refusal,
                _(
                    "Nội dung bạn vừa nhập vẫn được giữ bên dưới "
                    "để bạn sao chép; hồ sơ chỉ sửa được khi "
                    "ở trạng thái “Nháp” hoặc “Trả lại bổ sung”."
                ),
                *not_attached,
            ],
            status=409,
        )
    if request.method != "POST":
        return _render(form, dossier.kind, [dossier.unit], dossier)
    # The files chosen on this form are saved with it, or the save is refused naming them;
    # the good ones wait (``pending``) so that nothing chosen has to be chosen again.
    pending.keep_only(token, request.form.getlist("keep_pending"))
    uploads, file_problems = checked_files(posted_files())
    retypes = posted_retypes(dossier)
    if not form.validate() or file_problems:
        form.files.errors = file_problems
        token = pending.stash(token, uploads)
        return _render(
            form, dossier.kind, [dossier.unit], dossier, token=token, problems=file_problems
        )
    files = uploads + pending.read(token)

    def answer(refused: Refusal):
        form.version.data = refused.version(form.version.data)
        kept = [
            _(
                "Nội dung bạn vừa nhập vẫn được giữ bên dưới. Hãy xem bản hiện tại của hồ sơ; "
                "nếu vẫn muốn lưu nội dung này, bấm “Lưu thay đổi” lần nữa."
            )
        ]
        problems = refused.messages + (kept if refused.stale else [])
        return _render(
            form,
            dossier.kind,
            [dossier.unit],
            dossier,
            token=pending.stash(token, uploads),
            problems=problems,
            status=refused.status,
        )

    expected = whole_number(form.version.data)
    changed, attached = commit_or_answer(
        session,
        lambda: _edit_with_files(session, dossier_id, who, form, expected, files, retypes),
        answer,
        rule_status=409,
    )
    pending.discard(token)
    flash(
        _("Đã lưu thay đổi.") if changed or attached else _("Không có thay đổi nào để lưu."),
        "success" if changed or attached else "info",
    )
    if attached:
        names = ", ".join(f"“{name}”" for name in attached)
        flash(_("Đã đính kèm: %(names)s.", names=names), "success")
    flash_still_missing(session.get(Dossier, dossier_id))
    return redirect(detail_url(dossier_id))


class _FilesRefused(EditRefused):
    """Files the workflow refused on a save, each message naming its file."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__([])
        self._messages = messages

    def messages(self, locale: str = "vi") -> list[str]:
        return self._messages


def _edit_with_files(
    session: Session,
    dossier_id: int,
    who: Actor,
    form: DossierForm,
    expected: int | None,
    files: list[Upload],
    retypes: Mapping[int, str],
) -> tuple[bool, list[str]]:
    """The content saved, every file attached and every file retyped, in one transaction:
    whether the content or a file's type changed and the names attached; any file refused
    refuses the whole save."""
    changed = dossiers.edit(session, dossier_id, who, form.content(), expected_version=expected)
    saved, problems = attach_each(session, dossier_id, who, files)
    if problems:
        raise _FilesRefused(problems)
    retyped = [evidence.set_purpose(session, i, who, p) for i, p in retypes.items()]
    return bool(changed) or any(retyped), saved
