"""Lifecycle diagrams as Mermaid text (for the CLI and documents), drawn from the definitions."""

from __future__ import annotations

from workflow.core.actors import ROLE_LABELS
from workflow.core.spec import WorkflowDef


def _quote(text: str) -> str:
    return text.replace('"', "'").replace(":", "꞉")


def mermaid(wdef: WorkflowDef, locale: str = "vi") -> str:
    """Mermaid ``stateDiagram-v2`` text: states with labels, edges with action and roles."""
    en = locale.startswith("en")
    lines = ["stateDiagram-v2", f"    %% {wdef.label_en if en else wdef.label_vi}"]
    for state in wdef.states:
        lines.append(
            f'    state "{_quote(state.label_en if en else state.label_vi)}" as {state.name}'
        )
    lines.append(f"    [*] --> {wdef.initial}")
    for tdef in wdef.transitions:
        roles = ", ".join(
            ROLE_LABELS[r][1 if en else 0] for r in sorted(tdef.roles, key=lambda r: r.value)
        )
        label = _quote(f"{tdef.label_en if en else tdef.label_vi} ({roles})")
        for source in tdef.sources:
            lines.append(f"    {source} --> {tdef.dest}: {label}")
    for state in wdef.states:
        if state.terminal:
            lines.append(f"    {state.name} --> [*]")
    return "\n".join(lines) + "\n"
