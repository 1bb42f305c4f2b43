"""What is derived from the lifecycles follows them when a lifecycle is registered anew."""

from __future__ import annotations

from dataclasses import replace

from workflow.core import registry
from workflow.core.engine import machine
from workflow.lifecycles import PLAN


def test_derived_facts_and_machines_follow_a_lifecycle_registered_anew():
    calls: list[str] = []

    @registry.derived
    def plan_label() -> str:
        calls.append("computed")
        return registry.workflow("plan").label_vi

    compiled = machine("plan")
    assert plan_label() == PLAN.label_vi and plan_label() == PLAN.label_vi
    assert calls == ["computed"]  # memoised
    try:
        registry.register(replace(PLAN, label_vi="Kế hoạch thi đua (thử)"))
        assert plan_label() == "Kế hoạch thi đua (thử)"
        assert machine("plan") is not compiled
    finally:
        registry.register(PLAN)
    assert plan_label() == PLAN.label_vi


def test_the_transitions_leaving_a_state_follow_the_definition_of_each_lifecycle():
    reordered = replace(PLAN, transitions=tuple(reversed(PLAN.transitions)))
    for wdef in (*registry.WORKFLOWS.values(), reordered):
        assert wdef.state_names == tuple(s.name for s in wdef.states)
        for state in wdef.state_names:
            leaving = tuple(t for t in wdef.transitions if state in t.sources)
            assert wdef.transitions_from(state) == leaving
    assert reordered.transitions_from("draft") == tuple(reversed(PLAN.transitions_from("draft")))
    assert PLAN.transitions_from("no-such-state") == ()
    named = (n for wdef in registry.WORKFLOWS.values() for n in wdef.state_names)
    assert registry.all_state_names() == tuple(dict.fromkeys(named))
