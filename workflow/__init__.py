"""Vinh Danh's workflow: the lifecycles of dossiers, the engine that moves them, and the domains.

The public API is below; importing the package registers the lifecycles with the engine and
wires the engine's listeners. Knows nothing of Flask; usable from the CLI, scripts, tests and
benchmarks.
"""

from models.search_terms import set_public_states
from workflow import lifecycles
from workflow.core.actors import Actor
from workflow.core.authz import can_view, visible_dossiers
from workflow.core.engine import add_listener, available, fire
from workflow.core.errors import (
    EditRefused,
    NotFound,
    StaleVersion,
    TransitionRefused,
    Violation,
    WorkflowError,
)
from workflow.core.registry import public_states
from workflow.notifications.notify import notify_transition

# Every transition tells the people who may act next (in-app, and by e-mail via the outbox).
add_listener(notify_transition)
# The public list's word table keeps the words of the dossiers the public may see only.
set_public_states(public_states)

__all__ = [
    "Actor",
    "EditRefused",
    "NotFound",
    "StaleVersion",
    "TransitionRefused",
    "Violation",
    "WorkflowError",
    "available",
    "can_view",
    "fire",
    "lifecycles",
    "visible_dossiers",
]
