"""The "Việc cần làm" home page: the dossiers waiting for an action of the signed-in person."""

from __future__ import annotations

from flask import render_template

from web.auth.user import current_actor
from web.db import get_session
from web.home import bp
from web.home.links import optional_url, register
from web.support.access import requires
from web.support.navigation import shortcuts
from workflow.core import authz
from workflow.council import sessions as council
from workflow.dossiers import queues
from workflow.lifecycles.common import COUNCIL_QUEUE, OFFICE_REVIEW_QUEUE

register(bp)

# How many rows a queue shows on the home page before pointing to the full list.
SHOWN_PER_QUEUE = 25


def full_list_url(queue_key: str) -> str | None:
    """Where the whole of a long queue can be seen."""
    endpoint = {
        OFFICE_REVIEW_QUEUE.key: ("office.queue", {}),
        COUNCIL_QUEUE.key: ("council.sessions", {}),
    }.get(queue_key, ("dossiers.unit_list", {}))
    return optional_url(endpoint[0], **endpoint[1])


@bp.route("/")
@requires(authz.is_signed_in)
def index():
    actor = current_actor()
    session = get_session()
    my_queues = queues.my_queues(session, actor, evaluate=SHOWN_PER_QUEUE)
    agenda_count = council.agenda_count(session, actor) if authz.may_view_council(actor) else None
    return render_template(
        "home/index.html",
        queues=my_queues,
        links=shortcuts(actor),
        shown=SHOWN_PER_QUEUE,
        full_list_url=full_list_url,
        agenda_count=agenda_count,
        roles=sorted(r.value for r in actor.roles),
    )
