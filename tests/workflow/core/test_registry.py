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
