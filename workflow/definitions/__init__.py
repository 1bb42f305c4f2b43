"""Every lifecycle, by dossier kind."""

from workflow.definitions.nomination import NOMINATION
from workflow.definitions.plan import PLAN
from workflow.definitions.report import REPORT
from workflow.spec import WorkflowDef

WORKFLOWS: dict[str, WorkflowDef] = {w.kind: w for w in (NOMINATION, PLAN, REPORT)}


def all_state_names() -> tuple[str, ...]:
    """Every state any lifecycle names, in first-seen order (for the DB CHECK constraint)."""
    seen: dict[str, None] = {}
    for wdef in WORKFLOWS.values():
        seen.update(dict.fromkeys(wdef.state_names))
    return tuple(seen)
