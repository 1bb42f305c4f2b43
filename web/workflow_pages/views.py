"""The lifecycle page: every definition drawn as SVG and listed transition by transition.

Everything here is read from the registered definitions, their guards' statements and the
declared inputs, so the page always shows what the engine enforces.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup

from web.support.access import public
from web.support.i18n import lang, pick
from web.workflow_pages import bp
from web.workflow_pages.diagram import svg
from workflow.core.actors import ROLE_LABELS
from workflow.core.diagram import mermaid
from workflow.core.inputs import INPUTS
from workflow.core.registry import WORKFLOWS
from workflow.core.spec import Scope, TransitionDef, WorkflowDef


@dataclass(frozen=True)
class Row:
    """One transition as the table shows it."""

    trigger: str
    label: str
    sources: list[str]
    dest: str
    roles: list[str]
    own_unit: bool
    inputs: list[str]
    guards: list[str]
    public: bool


def _row(wdef: WorkflowDef, tdef: TransitionDef) -> Row:
    state = lambda name: pick(wdef.state(name).label_vi, wdef.state(name).label_en)  # noqa: E731
    return Row(
        trigger=tdef.trigger,
        label=pick(tdef.label_vi, tdef.label_en),
        sources=[state(s) for s in tdef.sources],
        dest=state(tdef.dest),
        roles=[pick(*ROLE_LABELS[r]) for r in sorted(tdef.roles, key=lambda r: r.value)],
        own_unit=tdef.scope is Scope.OWN_UNIT,
        inputs=[pick(*INPUTS[i].labels) for i in sorted(tdef.requires, key=lambda i: i.value)],
        guards=[pick(*g.labels) for g in tdef.guards],
        public=tdef.public,
    )


@bp.route("/")
@public
def index():
    locale = lang()
    lifecycles = [
        {
            "kind": kind,
            "label": pick(wdef.label_vi, wdef.label_en),
            # svg() escapes every text it draws, so its output is safe to embed.
            "svg": Markup(svg(wdef, locale)),
            "mermaid": mermaid(wdef, locale),
            "rows": [_row(wdef, t) for t in wdef.transitions],
        }
        for kind, wdef in WORKFLOWS.items()
    ]
    return render_template("workflow_pages/index.html", lifecycles=lifecycles)
