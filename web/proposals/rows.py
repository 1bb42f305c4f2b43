"""Changing a list's rows: adding them (picked from the register, pasted, or from a file),
removing a draft row, and the Council's decision on ticked rows. A refused change keeps
everything typed or uploaded and says why, line by line."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from models import Unit
from web.auth.user import current_actor
from web.db import get_session
from web.proposals import bp
from web.proposals.views import render_list
from web.support.access import requires
from web.support.downloads import XLSX_CONTENT_TYPE, send_download
from web.support.i18n import lang
from web.support.parsing import whole_number
from web.support.redirects import local_target
from web.support.refusals import REFUSALS, commit_or_answer, flash_and_redirect
from web.support.selection import bulk_request, ticked_ids
from workflow.core import authz
from workflow.core.errors import EditRefused
from workflow.documents.import_templates import template_xlsx
from workflow.dossiers import bulk
from workflow.people import columns as cols
from workflow.people.spreadsheets import UnreadableFile, read_table
from workflow.proposals import rows
from workflow.proposals.guards import rows_of
from workflow.proposals.rows import RowEntry

# What one file may weigh: a list of a few thousand rows is far below it.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TEXT = 200_000


def _back(proposal_id: int) -> str:
    return local_target(
        request.form.get("next"), url_for("proposals.detail", proposal_id=proposal_id)
    )


def _refused(proposal_id: int, kept: dict):
    """The answer of a refused change: the list drawn again with the messages and the input."""

    def answer(refusal):
        return render_list(proposal_id, problems=refusal.messages, kept=kept, status=422)

    return answer


def _add(proposal_id: int, entries: list[RowEntry], kept: dict):
    session, who = get_session(), current_actor()
    added = commit_or_answer(
        session,
        lambda: rows.add_rows(session, who, proposal_id, entries),
        _refused(proposal_id, kept),
    )
    flash(_("Đã thêm %(n)d dòng vào danh sách.", n=len(added)), "success")
    return redirect(_back(proposal_id))


@bp.route("/<int:proposal_id>/rows", methods=["POST"])
@requires(authz.may_draft)
def add_picked(proposal_id: int):
    form = request.form
    kept = {
        "picked": form.getlist("entry"),
        "award": form.get("award", ""),
        "achievements": form.get("achievements", "")[:MAX_TEXT],
    }
    award_id = whole_number(form.get("award"))
    entries = []
    for value in form.getlist("entry")[: rows.MAX_ROWS]:
        if value == "unit" and award_id is not None:
            # No collective named: the row is the unit itself (its entry made when needed).
            entries.append(RowEntry(award_id, kept["achievements"]))
            continue
        kind, _sep, ident = value.partition("-")
        number = whole_number(ident)
        if number is None or kind not in ("person", "collective") or award_id is None:
            continue
        key = "person_id" if kind == "person" else "collective_id"
        entries.append(RowEntry(award_id, kept["achievements"], **{key: number}))
    if not entries:
        message = _("Vui lòng chọn ít nhất một cá nhân hoặc tập thể và một danh hiệu.")
        return render_list(proposal_id, problems=[message], kept=kept, status=422)
    return _add(proposal_id, entries, kept)


def _parsed(proposal_id: int, table) -> list[RowEntry]:
    session = get_session()
    proposal = rows.load_list(session, proposal_id, current_actor())
    found = rows.parse_rows(session, session.get(Unit, proposal.unit_id), table)
    if found.problems:
        raise EditRefused(found.problems)
    return found.entries


def _paste_or_file(proposal_id: int, read, kept: dict):
    """Read the rows (``read`` gives the table) and add them, or answer with every problem."""
    session, who = get_session(), current_actor()
    rows.load_list(session, proposal_id, who)  # 404 before reading anything of a hidden list

    def change():
        return rows.add_rows(session, who, proposal_id, _parsed(proposal_id, read()))

    added = commit_or_answer(
        session,
        change,
        _refused(proposal_id, kept),
        refusals=(*REFUSALS, UnreadableFile),
    )
    flash(_("Đã thêm %(n)d dòng vào danh sách.", n=len(added)), "success")
    return redirect(_back(proposal_id))


@bp.route("/<int:proposal_id>/paste", methods=["POST"])
@requires(authz.may_draft)
def paste(proposal_id: int):
    text = request.form.get("pasted", "")[:MAX_TEXT]
    kept = {"pasted": text}
    return _paste_or_file(proposal_id, lambda: rows.table_from_paste(text), kept)


@bp.route("/<int:proposal_id>/upload", methods=["POST"])
@requires(authz.may_draft)
def upload(proposal_id: int):
    chosen = request.files.get("file")
    data = chosen.read(MAX_FILE_BYTES + 1) if chosen else b""
    name = chosen.filename if chosen else ""
    if not data:
        message = _("Vui lòng chọn tệp XLSX hoặc CSV theo mẫu.")
        return render_list(proposal_id, problems=[message], status=422)
    if len(data) > MAX_FILE_BYTES:
        message = _("Tệp lớn hơn %(mb)d MB; hãy chia nhỏ danh sách.", mb=MAX_FILE_BYTES >> 20)
        return render_list(proposal_id, problems=[message], status=422)
    # A refused file is not lost: its rows come back as text in the paste box, to fix there.
    try:
        table = read_table(data, name)
    except UnreadableFile as error:
        return render_list(proposal_id, problems=error.messages(lang()), status=422)
    kept = {"pasted": _as_text(table), "file_name": name}
    return _paste_or_file(proposal_id, lambda: table, kept)


def _as_text(table) -> str:
    lines = ["\t".join(table.header)]
    lines += ["\t".join(cols.text(v) for v in values) for _n, values in table.rows]
    return "\n".join(lines)


@bp.route("/template.xlsx")
@requires(authz.is_signed_in)
def template():
    return send_download(template_xlsx("proposal"), "mau-danh-sach-de-nghi.xlsx", XLSX_CONTENT_TYPE)


@bp.route("/<int:proposal_id>/rows/<int:row_id>/remove", methods=["POST"])
@requires(authz.may_draft)
def remove(proposal_id: int, row_id: int):
    session, who = get_session(), current_actor()
    back = _back(proposal_id)
    commit_or_answer(
        session,
        lambda: rows.remove_row(session, who, row_id, proposal_id=proposal_id),
        flash_and_redirect(back),
    )
    flash(_("Đã xóa dòng khỏi danh sách."), "success")
    return redirect(back)


# The Council's decisions on rows, and the inputs every ticked row shares.
COUNCIL_TRIGGERS = ("council_approve", "council_reject")
TALLY = ("session_id", "votes_for", "votes_against", "votes_abstain")


@bp.route("/<int:proposal_id>/council", methods=["POST"])
@requires(authz.may_run_council)
def council(proposal_id: int):
    session, who = get_session(), current_actor()
    proposal = rows.load_list(session, proposal_id, who)
    form = request.form
    trigger, ids = form.get("trigger"), ticked_ids(form)
    if trigger not in COUNCIL_TRIGGERS or not ids:
        flash(_("Vui lòng chọn ít nhất một dòng và một quyết định."), "error")
        return redirect(_back(proposal.id))
    # Only rows of this list: a forged id of another dossier is left out, not decided.
    listed = set(session.scalars(rows_of(proposal.id)))
    own = [i for i in ids if i in listed]
    shared = {k: form.get(k, "") for k in TALLY}
    request_ = bulk_request(form, trigger, own, trigger=trigger, shared=shared)
    result = bulk.run(session, who, request_, locale=lang())
    session.commit()  # each row's savepoint was released or rolled back on its own
    return render_template(
        "office/bulk_result.html", result=result, back=_back(proposal.id), from_list=True
    )
