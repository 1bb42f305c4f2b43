"""How rules are declared: guards as typed objects, inputs declared once, message catalogues kept
beside the violations they word, and nothing filled into a shared table at import.

The behaviour of each guard is tested in test_guards.py; this file tests the declarations and
what the engine makes of them.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import itertools
from collections.abc import Mapping
from pathlib import Path

import pytest
from sqlalchemy import delete

from models import Attachment, CouncilSession
from tests.fixtures import ROOT
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.awards import demo_catalogue, nominate
from tests.fixtures.people import NOW, higher_award, make_council_session, make_dossier
from workflow import available
from workflow.core import engine
from workflow.core.authz import acting_role
from workflow.core.context import GuardContext
from workflow.core.errors import Violation
from workflow.core.guards import Guard, guard
from workflow.core.inputs import INPUTS, field_names, inputs_of
from workflow.core.messages import MESSAGES, Messages
from workflow.core.registry import WORKFLOWS
from workflow.core.spec import Input, TransitionDef
from workflow.council import ballot as ballots


def every_guard() -> set[Guard]:
    return {g for wdef in WORKFLOWS.values() for t in wdef.transitions for g in t.guards}


# --- guards are typed objects --------------------------------------------------------------


def test_every_guard_of_every_lifecycle_is_a_typed_guard_stated_in_both_languages():
    guards = every_guard()
    assert len(guards) >= 18
    for found in guards:
        assert isinstance(found, Guard), found
        assert found.label_vi.strip() and found.label_en.strip(), found.name
        assert found.label_vi != found.label_en, found.name


def test_a_guard_is_frozen_and_called_like_its_check():
    @guard("Luôn đạt", "Always holds")
    def always(ctx):
        return None

    assert isinstance(always, Guard) and always(None) is None and always.name == "always"
    assert not always.uses_inputs and not always.decides_applicability
    with pytest.raises(dataclasses.FrozenInstanceError):
        always.label_vi = "khác"  # type: ignore[misc]


def test_only_the_guards_that_decide_applicability_name_not_applicable_codes():
    deciding = {g.name: g.not_applicable for g in every_guard() if g.decides_applicability}
    assert deciding == {
        "department_confers": frozenset({"publish_needs_higher_decision"}),
        "higher_level_confers": frozenset({"forward_not_needed"}),
        "moves_with_its_list": frozenset({"moves_with_list"}),
    }


# --- what the engine makes of a guard's declaration ----------------------------------------


def _refusing(code: str, **declared) -> Guard:
    return Guard(lambda ctx: Violation(code), f"Quy tắc {code}", f"Rule {code}", **declared)


def _rules(guards, *, with_inputs=True, rules=True):
    tdef = dataclasses.replace(WORKFLOWS["plan"].transition("office_accept"), guards=guards)
    ctx = GuardContext(None, None, None, None, {}, NOW)  # type: ignore[arg-type]
    problems, applies = engine._rule_violations(ctx, tdef, with_inputs=with_inputs, rules=rules)
    return [p.code for p in problems], applies


def test_a_refusal_rules_a_transition_out_only_when_its_guard_says_so():
    says = _refusing("gone", not_applicable={"gone"})
    same_code_elsewhere = _refusing("gone")
    assert _rules((says,)) == (["gone"], False)
    assert _rules((same_code_elsewhere,)) == (["gone"], True)
    assert _rules((same_code_elsewhere, says)) == (["gone", "gone"], False)


def test_available_skips_the_guards_that_need_inputs_and_without_rules_runs_only_deciding_ones():
    typed = _refusing("typed", uses_inputs=True)
    plain = _refusing("plain")
    deciding = _refusing("other_kind", not_applicable={"other_kind"})
    assert _rules((typed, plain, deciding)) == (["typed", "plain", "other_kind"], False)
    assert _rules((typed, plain, deciding), with_inputs=False) == (["plain", "other_kind"], False)
    assert _rules((typed, plain, deciding), with_inputs=False, rules=False) == (
        ["other_kind"],
        False,
    )
    assert _rules((typed, plain), with_inputs=False, rules=False) == ([], True)


@pytest.mark.db
@pytest.mark.parametrize("rules", [True, False])
def test_available_hides_the_transition_that_does_not_apply(session, world, rules):
    department = make_dossier(session, world, state="approved")
    city = make_dossier(
        session, world, state="approved", award_type_id=higher_award(session, world).id
    )

    def offered(dossier, name):
        found = available(session, dossier, world.actor(name), NOW, rules=rules)
        return {t.trigger for t, _ in found}

    assert "publish" in offered(department, "secretary")
    assert "forward" not in offered(department, "reviewer")
    assert "publish" not in offered(city, "secretary")
    assert "forward" in offered(city, "reviewer")


# --- the order of a transition's guards does not matter ------------------------------------


def _outcome(session, dossier, tdef: TransitionDef, name, world, inputs, with_inputs):
    actor = world.actor(name)
    role, denied = acting_role(actor, dossier, tdef)
    assert denied is None, denied
    # A fresh context each time: facts are loaded by whichever guard asks first.
    ctx = GuardContext(session, dossier, actor, role, dict(inputs), NOW)
    problems, applies = engine._rule_violations(ctx, tdef, with_inputs=with_inputs)
    return sorted((p.code, sorted(p.params.items())) for p in problems), applies


def _council_cases(session, world):
    """(dossier, inputs) on the Council's agenda: a valid decision and most ways to refuse one."""
    council = make_council_session(session, world)
    thin = make_council_session(session, world, present=2)
    closed = make_council_session(session, world)
    closed.status = "closed"
    dossier = make_dossier(session, world, state="council_review")
    noticed = make_dossier(
        session, world, state="council_review", award_type_id=world.awards["cstdcs"].id
    )
    world.awards["cstdcs"].public_notice_days = 5
    balloted = make_dossier(session, world, state="council_review", nominee_name="Lê Bỏ Phiếu")
    open_ballot = make_dossier(session, world, state="council_review", nominee_name="Lê Còn Mở")
    secretary = world.actor("secretary")
    closed_ballot = keyed.open_ballot(session, council.id, balloted.id, secretary, now=NOW)
    for member in ("member1", "member2", "member3"):
        ballots.cast_vote(session, council.id, balloted.id, world.actor(member), "approve")
    keyed.close_ballot(session, council.id, balloted.id, secretary, now=NOW)
    still_open = keyed.open_ballot(session, council.id, open_ballot.id, secretary, now=NOW)
    session.flush()

    def vote(council_: CouncilSession, *counts, **extra):
        tally = dict(zip(("votes_for", "votes_against", "votes_abstain"), counts))
        return {"session_id": council_.id, "reason": "Lý do", **tally, **extra}

    return [
        (dossier, vote(council, 5, 0, 0)),
        (dossier, {}),
        (dossier, {"reason": "Lý do"}),
        (dossier, vote(closed, 5, 0, 0)),
        (dossier, vote(thin, 2, 0, 0)),
        (dossier, vote(council, 9, 0, 0)),
        (dossier, vote(council, 1, 4, 0)),
        (dossier, vote(council, "abc", 0, 0)),
        (noticed, vote(council, 5, 0, 0)),
        (balloted, vote(council, ballot_id=closed_ballot.id)),
        (balloted, vote(council, 5, 0, 0)),
        (open_ballot, vote(council, ballot_id=still_open.id)),
        (open_ballot, vote(thin, 1, 0, 0, ballot_id=still_open.id)),
    ]


def _office_cases(session, world):
    """(dossier, inputs) awaiting the Office: fine, and refused for each guard in turn."""
    awards = demo_catalogue(session, world)
    fine = make_dossier(session, world, state="office_review")
    by_reviewer = make_dossier(session, world, state="office_review")
    by_reviewer.author_id = world.users["reviewer"].id
    of_reviewer = make_dossier(
        session, world, state="office_review", nominee_user_id=world.users["reviewer"].id
    )
    blank = make_dossier(session, world, state="office_review")
    blank.achievements = ""
    bare = make_dossier(session, world, state="office_review")
    session.execute(delete(Attachment).where(Attachment.dossier_id == bare.id))
    warned = nominate(session, world, awards["GK-GD-CN"], "Vũ Văn Thắng", purposes=("proposal",))
    failing = nominate(session, world, awards["CSTDCS"], "Lê Văn Hải")
    session.flush()
    return [
        (fine, {}),
        (by_reviewer, {}),
        (of_reviewer, {"reason": "Vẫn trình"}),
        (blank, {}),
        (bare, {}),
        (warned, {}),
        (warned, {"reason": "Vẫn trình Hội đồng"}),
        (failing, {}),
    ]


@pytest.mark.db
@pytest.mark.slow
def test_reordering_a_transitions_guards_does_not_change_the_engines_answer(session, world):
    """Every order of the guards of council_approve, council_reject, council_defer and
    office_approve gives the same refusals (and the same "applies") as the declared order, for
    the person firing it (inputs given) and for the buttons (no inputs)."""
    nomination = WORKFLOWS["nomination"]
    cases = [
        ("council_approve", "secretary", _council_cases),
        ("council_reject", "secretary", _council_cases),
        ("council_defer", "secretary", _council_cases),
        ("office_approve", "reviewer", _office_cases),
    ]
    built: dict = {}
    seen_codes: set[str] = set()
    for trigger, name, build in cases:
        tdef = nomination.transition(trigger)
        if build not in built:
            built[build] = build(session, world)
        contexts = built[build]
        for dossier, inputs in contexts:
            for with_inputs in (True, False):
                declared = _outcome(session, dossier, tdef, name, world, inputs, with_inputs)
                seen_codes |= {code for code, _ in declared[0]}
                for order in itertools.permutations(tdef.guards):
                    shuffled = dataclasses.replace(tdef, guards=order)
                    again = _outcome(session, dossier, shuffled, name, world, inputs, with_inputs)
                    assert again == declared, (trigger, dossier.id, inputs, order)
    # The cases reach the rules they are meant to (so the comparison is not between passes).
    assert {
        "session_required",
        "session_closed",
        "quorum_not_met",
        "votes_invalid",
        "votes_not_counts",
        "threshold_not_met",
        "notice_not_over",
        "ballot_passed",
        "ballot_exists",
        "ballot_still_open",
        "reviewer_is_author",
        "reviewer_is_nominee",
        "field_required",
        "evidence_missing",
        "eligibility_failed",
        "eligibility_override_required",
    } <= seen_codes, seen_codes


# --- inputs are declared once --------------------------------------------------------------


def test_every_input_is_declared_once_with_labels_fields_and_the_engines_check():
    assert set(INPUTS) == set(Input)
    for needed, declared in INPUTS.items():
        assert declared.input is needed
        assert declared.label_vi.strip() and declared.label_en.strip()
        assert declared.fields
        for f in declared.fields:
            assert f.name and f.label_vi.strip() and f.label_en.strip(), f
            assert (f.choices is not None) == (f.control == "choice"), f
    assert INPUTS[Input.REASON].check is not None and INPUTS[Input.DECISION].check is not None


def test_the_engine_checks_an_input_with_its_declared_check(monkeypatch):
    seen = []
    refusal = Violation("classification_invalid")
    monkeypatch.setitem(
        INPUTS,
        Input.CLASSIFICATION,
        dataclasses.replace(
            INPUTS[Input.CLASSIFICATION], check=lambda typed: seen.append(dict(typed)) or [refusal]
        ),
    )
    tdef = dataclasses.replace(
        WORKFLOWS["report"].transition("council_classify"),
        requires=frozenset({Input.CLASSIFICATION}),
        guards=(),
    )
    ctx = GuardContext(None, None, None, None, {"classification": "good"}, NOW)  # type: ignore[arg-type]
    assert engine._rule_violations(ctx, tdef, with_inputs=True) == ([refusal], True)
    assert seen == [{"classification": "good"}]


def test_inputs_of_keeps_the_form_order_and_field_names_lists_each_field_once():
    order = list(INPUTS)
    chosen = inputs_of({Input.REASON, Input.COUNCIL_VOTE})
    assert [d.input for d in chosen] == sorted((Input.REASON, Input.COUNCIL_VOTE), key=order.index)
    names = field_names()
    assert len(names) == len(set(names))
    assert set(names) == {f.name for d in INPUTS.values() for f in d.fields}
    assert "ballot_id" not in names  # set by the ballot's result, never typed in a form


# --- message catalogues beside their violations; no shared table filled at import -------------

_MUTATORS = {"update", "setdefault", "append", "extend", "add", "insert", "__setitem__"}


def _sources(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


def _imported_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _module_level(statements: list[ast.stmt]):
    """The statements that run when the module is imported (not those of functions or classes)."""
    for statement in statements:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        yield statement
        for block in ("body", "orelse", "finalbody"):
            yield from _module_level(getattr(statement, block, []))
        for handler in getattr(statement, "handlers", []):
            yield from _module_level(handler.body)


def test_no_module_fills_another_modules_table_when_imported():
    """Registries are handed what they hold by the composition root (register, add_listener),
    never filled by a module importing them (``MESSAGES.update(...)`` at import, say)."""
    found = []
    for path in _sources("workflow", "web", "models"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imported_names(tree)
        for statement in _module_level(tree.body):
            call = statement.value if isinstance(statement, ast.Expr) else None
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr in _MUTATORS
                and _root_name(call.func.value) in imported
            ):
                found.append(f"{path.relative_to(ROOT)}:{statement.lineno}")
            targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
            for target in targets:
                if (
                    isinstance(target, ast.Subscript | ast.Attribute)
                    and _root_name(target) in imported
                ):
                    found.append(f"{path.relative_to(ROOT)}:{statement.lineno}")
    assert found == []


# Calls that raise a refusal of a literal code besides ``Violation`` and ``X.violation``: where
# their code and their catalogue (``messages``) are given, by position or by keyword.
_STALE_RAISERS = {"refuse_if_stale": (2, 4), "StaleVersion": (3, 4)}


@dataclasses.dataclass(frozen=True)
class Raised:
    """A refusal of a literal ``code`` raised at ``where``, worded by ``catalogue`` (the source of
    the catalogue expression) or, with none, by the core's MESSAGES."""

    code: str
    where: str
    catalogue: str | None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _raised_in(tree: ast.AST, where: str):
    """Every refusal of a literal code in ``tree``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in ("Violation", "violation"):
            code, catalogue = (node.args[0] if node.args else None), None
            if isinstance(func, ast.Attribute) and name == "violation":
                catalogue = func.value
        elif name in _STALE_RAISERS:
            position, messages_at = _STALE_RAISERS[name]
            code = _argument(node, position, "code")
            catalogue = _argument(node, messages_at, "messages")
        else:
            continue
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            worded_by = ast.unparse(catalogue) if catalogue is not None else None
            yield Raised(code.value, f"{where}:{node.lineno}", worded_by)


def _raised(*packages: str) -> dict[str, list[Raised]]:
    """The refusals raised by each module of ``packages``, by module name."""
    found = {}
    for path in _sources(*packages):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found[module] = list(_raised_in(tree, str(path.relative_to(ROOT))))
    return found


def test_a_bare_violation_names_a_core_code_and_a_domain_code_comes_from_its_catalogue():
    """``Violation("code")`` is worded by the core's MESSAGES; a domain's code is raised through
    its own catalogue (``CATALOGUE.violation("code")``, or a stale version's ``messages``),
    which words it."""
    bare, worded = [], []
    for module, raised in _raised("workflow", "web").items():
        for refusal in raised:
            if refusal.catalogue is None:
                if refusal.code not in MESSAGES:
                    bare.append((refusal.where, refusal.code))
                continue
            namespace = vars(importlib.import_module(module))
            catalogue = eval(refusal.catalogue, namespace)
            assert isinstance(catalogue, Messages), refusal.where
            if refusal.code not in catalogue:
                worded.append((refusal.where, refusal.code))
    assert bare == [] and worded == []


def _worded_for_others(raised: dict[str, list[Raised]], table: Mapping[str, object]) -> list[str]:
    """The codes ``table`` (the core's MESSAGES) words that only modules outside the core raise."""
    in_core, outside = set(), set()
    for module, refusals in raised.items():
        codes = {r.code for r in refusals}
        if module == "workflow.core" or module.startswith("workflow.core."):
            in_core |= codes
        else:
            outside |= codes
    return sorted(code for code in table if code in outside - in_core)


def test_the_core_words_no_code_that_only_a_domain_raises():
    """A code raised only outside ``workflow.core`` is a domain's: its catalogue words it, the
    core's MESSAGES does not."""
    assert _worded_for_others(_raised("workflow", "web"), MESSAGES) == []


def test_a_domain_code_worded_by_the_core_is_found():
    """The check above can fail: a domain raising a bare code the core words is reported, while
    a code the core raises too, or raises alone, is not."""
    domain = ast.parse(
        'Violation("reviewer_is_nominee")\n'
        'refuse_if_stale(v, e, "thing_stale_version", labels)\n'
        'Violation("reason_required")\n'
    )
    core = ast.parse('Violation("reason_required")\nStaleVersion(1, "x", code="stale_version")\n')
    raised = {
        "workflow.dossiers.guards": list(_raised_in(domain, "workflow/dossiers/guards.py")),
        "workflow.core.inputs": list(_raised_in(core, "workflow/core/inputs.py")),
    }
    table = dict.fromkeys(
        ("reviewer_is_nominee", "thing_stale_version", "reason_required", "stale_version")
    )
    assert _worded_for_others(raised, table) == ["reviewer_is_nominee", "thing_stale_version"]


def test_a_permission_refusal_is_declared_by_its_catalogue_and_carried_by_the_violation():
    """The core lists only its own permission codes; a domain's are declared by its catalogue."""
    from workflow.core.errors import PERMISSION_CODES

    assert set(MESSAGES).issuperset(PERMISSION_CODES)  # so none only a domain raises (above)
    catalogue = Messages(
        {"not_yours": ("Không phải của bạn.", "Not yours."), "later": ("Sau.", "Later.")},
        permission=frozenset({"not_yours"}),
    )
    assert catalogue.violation("not_yours").is_permission
    assert not catalogue.violation("later").is_permission
    assert not Violation("not_yours").is_permission  # the flag comes with the wording
    with pytest.raises(ValueError):
        Messages({"later": ("Sau.", "Later.")}, permission=frozenset({"not_yours"}))


def test_a_catalogues_violation_carries_its_wording_in_both_languages():
    catalogue = Messages({"things_missing": ("Thiếu {what}.", "Missing {what_en}.")})
    violation = catalogue.violation("things_missing", {"what": "tệp", "what_en": "files"})
    assert violation.message("vi") == "Thiếu tệp." and violation.message("en") == "Missing files."
    assert violation == Violation("things_missing", {"what": "tệp", "what_en": "files"})
    with pytest.raises(KeyError):
        catalogue.violation("not_in_this_catalogue")
    assert "things_missing" not in MESSAGES
