"""Machine-readable public data: the audit head and events (JSON), the outcome list (CSV)."""

from __future__ import annotations

import io
from collections.abc import Iterator

from flask import Response, jsonify, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from web.db import get_session
from web.public import bp
from web.public.views import read_filters, read_sort
from web.support.access import public
from web.support.downloads import CSV_CONTENT_TYPE
from web.support.i18n import date_vn, lang
from web.support.parsing import whole_number
from workflow.documents import cells
from workflow.publication.outcomes import (
    EVENTS_MAX,
    Outcome,
    audit_head,
    iter_outcomes,
    public_events,
)


def _open(response: Response) -> Response:
    # Public data: any monitor may read it from its own page, and must see it fresh.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _bad_request(message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = 400
    return _open(response)


@bp.route("/audit/head.json")
@public
def audit_head_json():
    head = audit_head(get_session())
    return _open(jsonify({"seq": head.seq, "hash": head.hash}))


@bp.route("/audit/events.json")
@public
def audit_events_json():
    after, limit = request.args.get("after", "0"), request.args.get("limit", str(EVENTS_MAX))
    after_seq, limit_number = whole_number(after), whole_number(limit, max_digits=9)
    if after_seq is None or limit_number is None:
        return _bad_request("after and limit must be whole numbers (after ≥ 0, 1 ≤ limit ≤ 1000)")
    size = max(1, min(limit_number, EVENTS_MAX))
    session = get_session()
    head = audit_head(session)
    events = public_events(session, after_seq, size)
    last = events[-1]["seq"] if events else after_seq
    more = last < head.seq
    return _open(
        jsonify(
            {
                "head": {"seq": head.seq, "hash": head.hash},
                "events": events,
                "next": url_for(".audit_events_json", after=last, limit=size, _external=True)
                if more
                else None,
            }
        )
    )


_COLUMNS = (
    _l("Danh hiệu, hình thức khen thưởng"),
    _l("Họ tên / tên tập thể"),
    _l("Chức vụ"),
    _l("Đơn vị"),
    _l("Phong trào"),
    _l("Năm"),
    _l("Số quyết định"),
    _l("Ngày quyết định"),
    _l("Đường dẫn"),
    _l("Thu hồi"),
)


@bp.route("/outcomes.csv")
@public
def export():
    """The filtered list as CSV (UTF-8 with a BOM, so spreadsheet programs read Vietnamese)."""
    session = get_session()
    filters, sort, locale = read_filters(), read_sort(), lang()
    head = audit_head(session)
    headers = [str(c) for c in _COLUMNS]

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = cells.CsvWriter(buffer)
        writer.writerow(headers)
        yield "\ufeff" + _drain(buffer)
        for item in iter_outcomes(session, filters, sort):
            writer.writerow(
                [
                    item.award(locale),
                    item.name,
                    item.position or "",
                    item.unit_name,
                    item.campaign_name,
                    item.year,
                    item.decision_number or "",
                    date_vn(item.decision_date),
                    url_for(".outcome", dossier_id=item.id, _external=True),
                    revoked_text(item),
                ]
            )
            yield _drain(buffer)

    response = Response(stream_with_context(rows()), content_type=CSV_CONTENT_TYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="ket-qua-khen-thuong-{head.seq}.csv"'
    )
    # The head at the time of export, so the file can later be checked against the log.
    response.headers["X-Audit-Head"] = f"{head.seq}:{head.hash}"
    return response


def revoked_text(item: Outcome) -> str:
    """ "Đã thu hồi theo Quyết định số … ngày …" for a revoked award, else nothing."""
    if not item.revoked:
        return ""
    return _(
        "Đã thu hồi theo Quyết định số %(n)s ngày %(d)s",
        n=item.revoked_number,
        d=date_vn(item.revoked_date),
    )


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
