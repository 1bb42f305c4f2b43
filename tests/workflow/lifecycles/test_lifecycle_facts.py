"""The lifecycle facts on the states and transitions: what they say, and the rules that keep a
lifecycle consistent (a dossier waiting somewhere is always on someone's to-do list)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from workflow.awards.rules import counted_states, decided_states
from workflow.core import registry
from workflow.core.registry import WORKFLOWS, queues, state_def, states_where
from workflow.core.spec import QueueDef, StateDef, TransitionDef, WorkflowDef
from workflow.dossiers.queues import office_default_state
from workflow.lifecycles.common import OFFICE
from workflow.publication.decisions import publishable_states
from workflow.publication.notice import agenda_states
from workflow.reporting.dashboard import closed_states, published_state
from workflow.reporting.exports import listed_out

TOY_QUEUE = QueueDef("toy_todo", "Việc thử", "Toy work", 101)


def toy(
    open_queue: QueueDef | None = TOY_QUEUE,
    forward: bool = True,
    done_queue: QueueDef | None = None,
    **open_facts,
) -> WorkflowDef:
    """A two-state lifecycle: "open" (on a to-do list) → "done" (terminal)."""
    return WorkflowDef(
        "toy",
        "Thử",
        "Toy",
        "open",
        (
            StateDef("open", "Mở", "Open", queue=open_queue, **open_facts),
            StateDef("done", "Xong", "Done", terminal=True, queue=done_queue),
        ),
        (TransitionDef("finish", ("open",), "done", OFFICE, "Xong", "Finish", forward=forward),),
    )


@pytest.fixture()
def registry_restored() -> Iterator[None]:
    saved = dict(WORKFLOWS)
    yield
    WORKFLOWS.clear()
    registry.register(*saved.values())  # also drops what was derived from the toy


def test_a_consistent_lifecycle_is_accepted():
    assert toy().state("open").queue == TOY_QUEUE


@pytest.mark.parametrize(
    "changes,problem",
    [
        ({"open_queue": None}, "state 'open' is in no to-do queue"),
        ({"forward": False}, "no forward transition leaves state 'open'"),
        ({"done_queue": TOY_QUEUE}, "terminal state 'done' is in a to-do queue"),
        ({"retracted": True}, "retracted state 'open' is not terminal"),
    ],
)
def test_validate_refuses_a_state_no_one_would_see_waiting(changes, problem):
    with pytest.raises(ValueError, match=problem):
        toy(**changes)


def test_the_registry_refuses_queues_that_disagree(registry_restored):
    before = dict(WORKFLOWS)
    other_labels = QueueDef("draft", "Nháp khác", "Other drafts", 101)
    with pytest.raises(ValueError, match="two different queues are called 'draft'"):
        registry.register(toy(open_queue=other_labels))
    same_order = QueueDef("toy_todo", "Việc thử", "Toy work", 1)
    with pytest.raises(ValueError, match="two queues share a display order"):
        registry.register(toy(open_queue=same_order))
    assert before == WORKFLOWS  # a refused registration changes nothing
    registry.register(toy())
    assert queues()[-1] == TOY_QUEUE


def test_queues_are_the_home_pages_lists_in_their_order():
    members: dict[str, set[str]] = {}
    for wdef in WORKFLOWS.values():
        for state in wdef.states:
            if state.queue is not None:
                members.setdefault(state.queue.key, set()).add(state.name)
    assert [(q.key, sorted(members[q.key]), q.label_vi, q.label_en) for q in queues()] == [
        ("returned", ["returned"], "Bị trả lại, cần bổ sung", "Returned for correction"),
        (
            "draft",
            ["draft"],
            "Hồ sơ nháp cần hoàn thiện và gửi duyệt",
            "Drafts to complete and submit",
        ),
        ("unit_review", ["unit_review"], "Chờ bạn duyệt và gửi Sở", "Awaiting your approval"),
        ("office_review", ["office_review"], "Chờ thẩm định", "To review"),
        ("council_review", ["council_review"], "Chờ Hội đồng xét", "Awaiting the Council"),
        (
            "to_publish",
            ["approved", "classified"],
            "Đã thông qua, chờ công bố",
            "Approved, awaiting publication",
        ),
        (
            "forwarded",
            ["forwarded"],
            "Đã trình cấp trên, chờ ghi nhận kết quả",
            "Forwarded, awaiting the higher level's answer",
        ),
    ]


def test_forward_transitions_are_those_toward_the_outcome():
    forward = {t.trigger for w in WORKFLOWS.values() for t in w.transitions if t.forward}
    assert forward == {
        "submit",
        "unit_approve",
        "resubmit",
        "office_approve",
        "office_accept",
        "council_approve",
        "council_classify",
        "publish",
        "forward",
        "record_higher_decision",
    }
    # Returning, withdrawing, rejecting and deferring are not; the forward ones keep the
    # main button's style.
    assert all(t.style == "primary" for w in WORKFLOWS.values() for t in w.transitions if t.forward)


def test_the_facts_say_what_the_domains_need():
    assert counted_states() == (
        "office_review",
        "council_review",
        "approved",
        "forwarded",
        "published",
    )
    assert decided_states() == ("approved", "forwarded", "published")
    assert set(closed_states()) == {"rejected", "declined", "published", "withdrawn"}
    assert set(listed_out()) == {"rejected", "declined", "withdrawn"}
    assert published_state() == "published"
    assert agenda_states() == ("council_review",)
    assert publishable_states() == ("approved",)
    assert office_default_state() == "office_review"
    assert states_where(lambda s: s.shared_with_sector) == {
        "nomination": (),
        "plan": ("accepted",),
        "report": (),
        "proposal": (),
    }
    assert states_where(lambda s: s.retracted) == {k: ("withdrawn",) for k in WORKFLOWS}
    # A list is edited as a draft only; once sent, its rows are returned and fixed one by one.
    assert states_where(lambda s: s.editable) == {
        **{k: ("draft", "returned") for k in WORKFLOWS},
        "proposal": ("draft",),
    }


def test_state_def_is_none_for_what_no_lifecycle_defines():
    assert state_def("plan", "accepted").shared_with_sector
    assert state_def("plan", "approved") is None
    assert state_def("no_such_kind", "draft") is None
