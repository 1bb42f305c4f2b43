"""Vinh Danh's workflow: the lifecycles of dossiers, the engine that moves them, and the domains.

The public API is below; importing the package registers the lifecycles with the engine and
wires the engine's listeners. Knows nothing of Flask; usable from the CLI, scripts, tests and
benchmarks.
"""

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
from workflow.notifications.notify import notify_transition

# Every transition tells the people who may act next (in-app, and by e-mail via the outbox).
add_listener(notify_transition)

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
