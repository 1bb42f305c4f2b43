"""Who may see and who may run the Council's pages (the rules are in workflow.council)."""

from flask import abort

from web.auth.user import current_actor
from workflow.core.actors import Actor
from workflow.council import sessions as council


def council_viewer() -> Actor:
    """The signed-in secretary or member; anyone else gets 403."""
    actor = current_actor()
    if not council.can_see(actor):
        abort(403)
    return actor


def council_manager() -> Actor:
    """The signed-in secretary; anyone else gets 403."""
    actor = current_actor()
    if not council.can_manage(actor):
        abort(403)
    return actor
