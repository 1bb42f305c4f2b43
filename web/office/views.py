"""The Office's review queue (danh sách thẩm định) and its CSV export."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping

from flask import Response, current_app, render_template, request, url_for
from flask_babel import gettext as _

from models import Dossier
from web.auth.user import current_actor
from web.db import get_session
from web.home.links import register
from web.office import bp
from web.support.access import requires
from web.support.downloads import CSV_CONTENT_TYPE
from web.support.i18n import datetime_vn, pick
from web.support.listing import Page, page_number, query_args
from web.support.parsing import whole_number
from web.support.templating import kind_label, state_label
from workflow.core import authz
from workflow.core.registry import WORKFLOWS, all_state_names
from workflow.documents import cells
from workflow.dossiers import queues, returns

register(bp)

DEFAULT_SORT = "sent"
ALL_STATES = "all"


def parse_filters(args: Mapping[str, str]) -> queues.OfficeFilter:
    """The queue's filters from the query string; unknown values are ignored."""
    state = args.get("state") or queues.office_default_state()
    if state == ALL_STATES:
        state = None
    elif state not in all_state_names():
        state = queues.office_default_state()
    kind = args.get("kind") if args.get("kind") in WORKFLOWS else None
    return queues.OfficeFilter(
        campaign_id=whole_number(args.get("campaign")),
        award_type_id=whole_number(args.get("award")),
        unit_id=whole_number(args.get("unit")),
        state=state,
        kind=kind,
        text=(args.get("q") or "").strip()[:200],
        answered=args.get("answered") == "1",
    )


def _filtered():
    """(filters, sort name, descending, statement) of this request."""
    actor = current_actor()
    filters = parse_filters(request.args)
    sort = request.args.get("sort", DEFAULT_SORT)
    if sort.lstrip("-") not in queues.OFFICE_SORTS:
        sort = DEFAULT_SORT
    return filters, sort, queues.office_queue(actor, filters)


def _ids(session, filters, sort: str, stmt) -> list[int]:
    return queues.ordered_ids(session, stmt, sort.lstrip("-"), sort.startswith("-"), filters.text)


def _page_of_ids(session, ids: list[int], per_page: int) -> Page:
    page = min(page_number(), max(1, math.ceil(len(ids) / per_page)))
    start = (page - 1) * per_page
    return Page(
        queues.load_in_order(session, ids[start : start + per_page]), len(ids), page, per_page
    )


@bp.route("/")
@requires(authz.may_use_office_queue)
def queue():
    filters, sort, stmt = _filtered()
    session = get_session()
    per_page = current_app.config["PAGE_SIZE"]
    column = queues.SQL_SORTS.get(sort.lstrip("-"))
    if column is not None and not filters.text:
        # The database sorts, pages and counts this one; no need to fetch every row.
        found = queues.office_page(
            session, stmt, page_number(), per_page, column, sort.startswith("-")
        )
        page = Page(found.dossiers, found.total, found.page, per_page)
        answered = found.answered
    else:
        page = _page_of_ids(session, _ids(session, filters, sort, stmt), per_page)
        answered = returns.answered_ids(session, [d.id for d in page.items])
    return render_template(
        "office/queue.html",
        page=page,
        filters=filters,
        sort_key=sort,
        state_arg=filters.state or ALL_STATES,
        default_state=queues.office_default_state(),
        options=queues.office_filter_options(session),
        export_url=url_for("office.export", **query_args(page=None)),
        may_bulk=authz.may_review_in_bulk(current_actor()),
        answered=answered,
    )


def csv_row(dossier: Dossier) -> list[str]:
    """One line of the export."""
    nomination = dossier.kind == "nomination"
    award = pick(dossier.award_type.name_vi, dossier.award_type.name_en) if nomination else ""
    yes = _("Có")
    return [
        "" if v is None else str(v)
        for v in (
            dossier.id,
            kind_label(dossier.kind),
            dossier.title,
            dossier.nominee_name if nomination else "",
            dossier.position if nomination else "",
            dossier.unit.name,
            award,
            dossier.campaign.name,
            state_label(dossier.kind, dossier.state),
            datetime_vn(dossier.sent_at),
            yes if nomination and dossier.ad_hoc else "",
            yes if nomination and dossier.direct_worker else "",
        )
    ]


def csv_header() -> list[str]:
    return [
        _("Mã hồ sơ"),
        _("Loại hồ sơ"),
        _("Tiêu đề"),
        _("Cá nhân / tập thể được đề nghị"),
        _("Chức vụ"),
        _("Đơn vị"),
        _("Danh hiệu, hình thức khen thưởng"),
        _("Phong trào"),
        _("Trạng thái"),
        _("Ngày gửi Sở"),
        _("Khen thưởng đột xuất"),
        _("Người lao động trực tiếp"),
    ]


@bp.route("/export.csv")
@requires(authz.may_use_office_queue)
def export():
    filters, sort, stmt = _filtered()
    session = get_session()
    ids = _ids(session, filters, sort, stmt)
    return csv_response(queues.iter_in_order(session, ids), "ho-so-tham-dinh.csv")


def csv_response(dossiers: Iterable[Dossier], filename: str) -> Response:
    """The export of ``dossiers``, one line each, as a download named ``filename``."""
    out = io.StringIO()
    writer = cells.CsvWriter(out)
    writer.writerow(csv_header())
    for dossier in dossiers:
        writer.writerow(csv_row(dossier))
    # The BOM tells Excel the file is UTF-8, so Vietnamese letters open correctly.
    body = "\ufeff" + out.getvalue()
    return Response(
        body.encode("utf-8"),
        content_type=CSV_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
