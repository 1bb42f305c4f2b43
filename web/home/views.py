"""The "Việc cần làm" home page: the dossiers waiting for an action of the signed-in person."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from web.auth.user import current_actor
from web.db import get_session
from web.home import bp
from web.home.links import optional_url, register
from workflow.core.actors import Actor, Role
from workflow.council import sessions as council
from workflow.dossiers import queues
from workflow.lifecycles.common import COUNCIL_QUEUE, OFFICE_REVIEW_QUEUE
from workflow.reporting import dashboard

register(bp)

# How many rows a queue shows on the home page before pointing to the full list.
SHOWN_PER_QUEUE = 25


def quick_links(actor: Actor) -> list[tuple[str, str]]:
    """(url, label) of the shortcuts this person's roles use."""
    roles = actor.roles
    wanted = []
    if roles & {Role.UNIT_STAFF, Role.UNIT_HEAD}:
        wanted += [
            (("dossiers.create", {"kind": "nomination"}), _l("Lập hồ sơ đề nghị khen thưởng")),
            (("dossiers.create", {"kind": "plan"}), _l("Lập kế hoạch thi đua")),
            (("dossiers.create", {"kind": "report"}), _l("Lập báo cáo kết quả")),
            (("dossiers.unit_list", {}), _l("Hồ sơ của đơn vị")),
        ]
    if queues.can_use_office_queue(actor):
        wanted.append((("office.queue", {}), _l("Danh sách thẩm định của Văn phòng Sở")))
    if dashboard.can_see(actor):
        wanted.append((("dashboard.index", {}), _l("Tổng hợp thi đua, khen thưởng")))
    if council.can_see(actor):
        wanted.append((("council.sessions", {}), _l("Phiên họp Hội đồng")))
    if council.can_manage(actor):
        wanted.append((("council.new_session", {}), _l("Mở phiên họp mới")))
    wanted += [
        (("public.outcomes", {}), _l("Kết quả khen thưởng đã công bố")),
        (("workflow_pages.index", {}), _l("Quy trình xử lý hồ sơ")),
    ]
    links = []
    for (endpoint, values), label in wanted:
        url = optional_url(endpoint, **values)
        if url:
            links.append((url, str(label)))
    return links


def full_list_url(queue_key: str) -> str | None:
    """Where the whole of a long queue can be seen."""
    endpoint = {
        OFFICE_REVIEW_QUEUE.key: ("office.queue", {}),
        COUNCIL_QUEUE.key: ("council.sessions", {}),
    }.get(queue_key, ("dossiers.unit_list", {}))
    return optional_url(endpoint[0], **endpoint[1])


@bp.route("/")
@login_required
def index():
    actor = current_actor()
    session = get_session()
    my_queues = queues.my_queues(session, actor, evaluate=SHOWN_PER_QUEUE)
    agenda_count = council.agenda_count(session, actor) if council.can_see(actor) else None
    return render_template(
        "home/index.html",
        queues=my_queues,
        links=quick_links(actor),
        shown=SHOWN_PER_QUEUE,
        full_list_url=full_list_url,
        agenda_count=agenda_count,
        roles=sorted(r.value for r in actor.roles),
    )
