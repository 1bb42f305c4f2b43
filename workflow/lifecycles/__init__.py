"""Every lifecycle, by dossier kind: the composition root above the domains.

Importing this package registers the lifecycles with the engine (``workflow.core.registry``);
the ``workflow`` package does so when it is loaded.
"""

from workflow.core.registry import register
from workflow.lifecycles.nomination import NOMINATION
from workflow.lifecycles.plan import PLAN
from workflow.lifecycles.proposal import PROPOSAL
from workflow.lifecycles.report import REPORT

register(NOMINATION, PLAN, REPORT, PROPOSAL)

__all__ = ["NOMINATION", "PLAN", "PROPOSAL", "REPORT"]
