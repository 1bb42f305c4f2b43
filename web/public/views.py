"""The public site's pages (no sign-in): the outcome list, one outcome, the audit head."""

from __future__ import annotations

import re
from pathlib import Path

from flask import abort, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from web.db import get_session
from web.errors import render_error
from web.public import bp
from web.support.access import public
from web.support.downloads import send_download
from web.support.i18n import lang
from web.support.listing import Page, page_number, query_args
from web.support.parsing import whole_number
from workflow.core.errors import NotFound
from workflow.core.inputs import CLASSIFICATIONS
from workflow.core.kept import Kept
from workflow.documents import docx as documents
from workflow.publication import decisions
from workflow.publication.outcomes import (
    DEFAULT_SORT,
    SORTS,
    Head,
    OutcomeFilter,
    audit_head,
    facets,
    public_record,
    search,
)

PER_PAGE = 25
# Drawn lists of the public outcomes (a city's, with its units' choices, ~110 KB each).
_listings = Kept(64)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def decision_file_name(number: str, suffix: str = ".docx") -> str:
    """ "QD-05-QĐ-SGDĐT.docx": the number without its slash."""
    return re.sub(r"[^\w.-]+", "-", number).strip("-") + suffix


def _number(name: str) -> int | None:
    return whole_number(request.args.get(name), max_digits=9)


def read_filters() -> OutcomeFilter:
    """The visitor's filters from the query string; anything malformed is ignored."""
    award = request.args.get("award", "").strip()
    if whole_number(award, max_digits=9) is None and award not in CLASSIFICATIONS:
        award = ""
    return OutcomeFilter(
        q=request.args.get("q", "")[:200],
        year=_number("year"),
        campaign_id=_number("campaign"),
        award=award or None,
        unit_id=_number("unit"),
    )


def read_sort() -> str:
    """``?sort=`` among ``SORTS`` (with "-" for descending), else newest decisions first."""
    key = request.args.get("sort", DEFAULT_SORT)
    return key if key.lstrip("-") in SORTS else DEFAULT_SORT


def request_head() -> Head:
    """The audit head, read once per request: it keys what is cached of the public data, and
    every public page shows it."""
    found = g.get("public_audit_head")
    if found is None:
        found = g.public_audit_head = audit_head(get_session())
    return found


@bp.context_processor
def _audit_head():
    # Every public page shows the chain's head, so anyone can note it and check it later.
    return {"audit_head": request_head()}


@bp.route("/")
@public
def outcomes():
    session, head = get_session(), request_head()
    # What the list shows changes only with the shown head (workflow.publication.outcomes), so
    # its drawn HTML is kept by that head, the language and the query, like the data it draws.
    key = ("outcomes", head.shown, lang(), request.script_root, request.query_string)
    listing = _listings.get(session, key, lambda s: _draw_listing(s, head))
    return render_template(
        "public/outcomes.html", listing=listing, export_args=query_args(page=None)
    )


def _draw_listing(session: Session, head: Head) -> Markup:
    filters, sort = read_filters(), read_sort()
    found = search(session, filters, sort, page_number(), PER_PAGE, head)
    page = Page(
        found.items, found.total, found.page, PER_PAGE, capped=found.capped, more=found.has_next
    )
    drawn = render_template(
        "public/_outcome_list.html",
        page=page,
        filters=filters,
        sort=sort,
        facets=facets(session, head),
    )
    return Markup(drawn)


@bp.route("/outcomes/<int:dossier_id>")
@public
def outcome(dossier_id: int):
    record = public_record(get_session(), dossier_id, request_head())
    if record is None:  # not published (or no such dossier): the public sees nothing of it
        abort(404)
    return render_template(
        "public/outcome.html",
        outcome=record.outcome,
        event=record.event,
        decision_id=record.decision_id,
        decision_number=record.decision_number,
        entry_url=_entry_url(record.entry),
        pdf=_pdf_offered(),
    )


# The public page of each kind of register entry, and the name of its id in the address.
ENTRY_PAGES = {
    "person": ("people.public_person", "person_id"),
    "collective": ("people.public_collective", "collective_id"),
}


def _entry_url(entry: tuple[str, int] | None) -> str | None:
    """The public page of the register entry an outcome names (its other published awards)."""
    if entry is None:
        return None
    kind, entry_id = entry
    endpoint, argument = ENTRY_PAGES[kind]
    return url_for(endpoint, **{argument: entry_id})


@bp.route("/decisions")
@public
def decision_list():
    return render_template(
        "public/decisions.html",
        decisions=decisions.issued_decisions(get_session()),
        pdf=_pdf_offered(),
    )


@bp.route("/decisions/<int:decision_id>.docx")
@public
def decision_file(decision_id: int):
    session = get_session()
    try:
        decision = decisions.issued(session, decision_id)
    except NotFound:
        abort(404)
    # The same document the Council's secretary issued: names, units and awards, all public.
    data = decisions.decision_docx(session, decision)
    return send_download(data, decision_file_name(decision.number), DOCX)


def _pdf_offered() -> bool:
    """The PDF is offered where the server can make it (LibreOffice installed)."""
    return documents.pdf_converter() is not None


def decision_cache_dir() -> Path:
    """Where issued decisions' PDFs are kept once made: beside the evidence, not in it (the
    backup takes the evidence's hashed files only; a lost PDF is simply made again)."""
    return Path(current_app.config["UPLOAD_DIR"]) / "decisions"


@bp.route("/decisions/<int:decision_id>.pdf")
@public
def decision_pdf(decision_id: int):
    session = get_session()
    try:
        decision = decisions.issued(session, decision_id)
    except NotFound:
        abort(404)
    pdf = decisions.issued_pdf(session, decision, decision_cache_dir())
    if pdf is None:
        return render_error(
            409, [_("Máy chủ chưa tạo được bản PDF của quyết định; vui lòng tải bản DOCX.")]
        )
    return send_download(pdf, decision_file_name(decision.number, ".pdf"), "application/pdf")


@bp.route("/audit")
@public
def audit():
    return render_template("public/audit.html")
