"""The state-machine core of Vinh Danh: lifecycles, engine, authorization and audit chain.

Knows nothing of Flask; usable from the CLI, scripts, tests and benchmarks.
"""

from workflow import notify  # noqa: F401  (every transition notifies; see notify.py)
from workflow.authz import Actor, can_view, visible_dossiers
from workflow.engine import available, fire
from workflow.errors import (
    EditRefused,
    NotFound,
    StaleVersion,
    TransitionRefused,
    Violation,
    WorkflowError,
)

__all__ = [
    "Actor",
    "can_view",
    "visible_dossiers",
    "available",
    "fire",
    "EditRefused",
    "NotFound",
    "StaleVersion",
    "TransitionRefused",
    "Violation",
    "WorkflowError",
]
