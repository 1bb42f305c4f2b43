"""Award rule kinds are one class each (``workflow.awards.rules``): every kind round-trips
clean → describe → check from its declared inputs, refuses what they do not allow, and the
catalogue and the checks dispatch on the registered kinds alone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.awards import TODAY, nominate
from workflow.awards import catalogue, rules
from workflow.awards.eligibility import check
from workflow.awards.rules import AWARDS, PARAM_FIELDS, RULE_KINDS, CheckResult, RuleKind

# What every rule has besides its kind's inputs (the rule form's other fields).
COMMON = {"kind", "hard", "source", "valid_from", "valid_to"}


def _defaults(kind: RuleKind, award_code: str) -> dict[str, Any]:
    """The values the rule form starts with for ``kind``: each input's default or first choice."""
    values: dict[str, Any] = {"kind": kind.code, "hard": True, "source": "Nguồn kiểm thử"}
    for field in kind.inputs:
        if field.input == "choice":
            values[field.name] = (
                award_code if field.choices == AWARDS else next(iter(field.choices))
            )
        elif field.input == "decimal" and field.default is None:
            values[field.name] = "0,5"  # typed the Vietnamese way
        else:
            values[field.name] = field.default
    return values


def test_kinds_are_registered_once_with_labels_and_distinct_inputs():
    codes = [kind.code for kind in RULE_KINDS]
    assert len(set(codes)) == len(codes) and set(codes) == set(rules.KINDS)
    names = [field.name for field in PARAM_FIELDS]
    assert len(set(names)) == len(names) and not set(names) & COMMON  # the form is flat
    for kind in RULE_KINDS:
        assert all(kind.label) and (kind.asks is not None) == bool(kind.inputs)
        for field in kind.inputs:
            assert all(field.label)
            if field.input == "choice":
                assert field.choices and all(field.missing)
            if field.input == "number":
                assert field.low <= int(field.default) <= field.high


@pytest.mark.parametrize("kind", RULE_KINDS, ids=lambda k: k.code)
def test_each_kind_round_trips_clean_describe_check(session, world, kind):
    award = world.awards["ldtt"]
    rule = catalogue.add_rule(
        session, world.actor("admin"), award.id, _defaults(kind, world.awards["cstdcs"].code)
    )
    assert rule.kind == kind.code and set(rule.values) == {f.name for f in kind.inputs}
    names = {a.code: (a.name_vi, a.name_en) for a in world.awards.values()}
    vi, en = catalogue.describe(rule, names)
    assert vi and en and (vi, en) == kind.describe(rule.values, names)
    nomination = nominate(session, world, award)
    found = [r for r in check(session, nomination, TODAY) if r.rule_id == rule.id]
    if not kind.checked:  # it sets a value (the award money): never a condition
        assert found == [] and not catalogue.is_condition(rule)
        return
    [result] = found
    assert isinstance(result, CheckResult) and result.code.startswith(kind.code)
    assert result.message_vi and result.message_en and result.source == "Nguồn kiểm thử"


@pytest.mark.parametrize("kind", [k for k in RULE_KINDS if k.inputs], ids=lambda k: k.code)
def test_each_input_refuses_what_it_does_not_allow(session, world, kind):
    for field in kind.inputs:
        if field.input == "check":
            continue
        values = _defaults(kind, world.awards["cstdcs"].code)
        values[field.name] = "" if field.input == "choice" else field.high + 1
        _, problems = catalogue.clean_rule(session, values)
        assert [p.params["field"] for p in problems] == [field.name]


def test_a_registered_kind_is_cleaned_described_and_checked_with_nothing_else(
    session, world, monkeypatch
):
    class Always(RuleKind):
        code = "always"
        label = ("Luôn đạt", "Always met")

        def check(self, rule, nomination, facts):
            return CheckResult("always", rule.hard, True, "Đạt.", "Met.", rule.source, rule.id)

    monkeypatch.setitem(rules.KINDS, "always", Always())
    award = world.awards["ldtt"]
    rule = catalogue.add_rule(
        session, world.actor("admin"), award.id, {"kind": "always", "source": "Nguồn"}
    )
    assert catalogue.describe(rule, {}) == ("Luôn đạt", "Always met")
    assert [r.code for r in check(session, nominate(session, world, award), TODAY)] == ["always"]
