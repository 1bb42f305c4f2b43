"""The "Việc cần làm" home page: what the signed-in person owes and what waits for them: the
plans and reports their units owe with their due dates (before any dossier exists), the
returned dossiers whose day to fix them by is near or past, the dossiers waiting for their
action, the ballots waiting for their vote, the comments waiting for moderation."""

from __future__ import annotations

from typing import Any

from flask import render_template
from sqlalchemy.orm import Session

from web.auth.user import current_actor
from web.db import get_session
from web.home import bp
from web.home.links import optional_url, register
from web.home.presenters import days_since, due_text, fix_by_text, today
from web.support.access import requires
from web.support.navigation import shortcuts
from workflow.campaigns.obligations import obligations
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.council import sessions as council
from workflow.dossiers import queues, returns
from workflow.lifecycles.common import COUNCIL_QUEUE, OFFICE_REVIEW_QUEUE
from workflow.publication import notice
from workflow.reporting.todo import ballots_awaiting

register(bp)

# How many rows a queue shows on the home page before pointing to the full list: the next
# things to do at a glance, each with what still blocks it (rules read per row); the full list
# pages, sorts and filters the rest.
SHOWN_PER_QUEUE = 10


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
        due_text=due_text,
        fix_by_text=fix_by_text,
        days_since=days_since,
        **_owed_and_waiting(session, actor),
    )


def _owed_and_waiting(session: Session, actor: Actor) -> dict[str, Any]:
    """What the person owes or is awaited for besides the dossier queues, by role."""
    units = actor.unit_ids() if authz.may_draft(actor) else ()
    moderate = authz.may_moderate_notice_comments(actor)
    return {
        "obligations": obligations(session, units, today()),
        "fix_by": returns.fix_by_reminders(session, units, today()),
        "ballots": ballots_awaiting(session, actor) if authz.may_vote(actor) else [],
        "comments": notice.pending_comment_count(session) if moderate else 0,
    }
