"""The declarative language of the lifecycles: states, transitions and their rules.

A definition is pure data. The engine compiles it into a ``transitions`` machine; the
permission checks, the UI buttons, the state CHECK constraint and the diagrams all read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING

from workflow.core.actors import Role
from workflow.core.guards import Guard

if TYPE_CHECKING:
    from workflow.core.context import GuardContext


class Scope(str, Enum):
    """Which dossiers a role may act on: its own unit's, or any."""

    OWN_UNIT = "own_unit"
    ANY = "any"


class Input(str, Enum):
    """Inputs a transition requires from the person firing it."""

    REASON = "reason"
    DECISION = "decision"  # number, date and signer of a decision
    COUNCIL_VOTE = "council_vote"  # session and tally
    CLASSIFICATION = "classification"
    # A reason (the ``reason`` field) that overrides the soft eligibility warnings, needed
    # only while a warning stands (workflow.awards.guards).
    OVERRIDE = "override"
    # The Department's submission letter to the higher level: submission_number, submission_date.
    SUBMISSION = "submission"
    # A return's points to fix, one per line (the failed checks to start from), and the day
    # to fix them by; both may be left empty.
    RETURN_POINTS = "return_points"


Effect = Callable[["GuardContext"], None]


class Tone(str, Enum):
    """What a state's badge says at a glance; the style sheet colours badges by tone."""

    NEUTRAL = "neutral"  # nothing to say yet (a draft)
    INFO = "info"  # someone is working on it
    EXTERNAL = "external"  # with someone outside the Department
    WARNING = "warning"  # needs attention soon
    DANGER = "danger"  # sent back: the unit must correct it (lists show why)
    SUCCESS = "success"  # decided in the dossier's favour
    DONE = "done"  # the outcome is out, public
    CLOSED = "closed"  # ended without the outcome sought


@dataclass(frozen=True)
class QueueDef:
    """A list of the home page's "Việc cần làm"; several states may share one.

    ``order``: its place on the page (smaller first).
    """

    key: str
    label_vi: str
    label_en: str
    order: int


@dataclass(frozen=True)
class StateDef:
    """A state with its labels and what the rest of the system needs to know of it.

    ``editable``: the owning unit may change the content. ``terminal``: no one acts on it any
    more. ``public``: the outcome is published. ``queue``: the to-do list of those who may
    move a dossier forward from it (every non-terminal state has one). ``tone``: its badge.
    ``counts_toward_quota``: a nomination in it counts in its unit's quotas and same-year
    prerequisites (received by the Department and still alive). ``decided``: the Council (or
    the level above) has decided. ``retracted``: the unit took it back; it counts as neither
    sent nor proposed. ``agenda``: it awaits the Council's vote (and its public notice).
    ``shared_with_sector``: every unit of the sector may read it.
    """

    name: str
    label_vi: str
    label_en: str
    editable: bool = False
    terminal: bool = False
    public: bool = False
    queue: QueueDef | None = None
    tone: Tone = Tone.NEUTRAL
    counts_toward_quota: bool = False
    decided: bool = False
    retracted: bool = False
    agenda: bool = False
    shared_with_sector: bool = False

    @property
    def labels(self) -> tuple[str, str]:
        """(Vietnamese, English) label."""
        return self.label_vi, self.label_en


@dataclass(frozen=True)
class TransitionDef:
    """One edge of a lifecycle and everything that must hold to take it."""

    trigger: str
    sources: tuple[str, ...]
    dest: str
    roles: frozenset[Role]
    label_vi: str
    label_en: str
    scope: Scope = Scope.ANY
    requires: frozenset[Input] = frozenset()
    guards: tuple[Guard, ...] = ()
    # Callables run after the guards pass; they record data (reason, decision, tally).
    effects: tuple[Effect, ...] = ()
    # Callables run once the transition is written and audited, in its transaction: they move
    # other dossiers that follow this one (a list's rows). A refusal raised by one undoes the
    # whole transition.
    then: tuple[Effect, ...] = ()
    # Whether the audit event of this transition is public (published outcomes).
    public: bool = False
    # A style hint for buttons: "primary", "danger" or "secondary".
    style: str = "primary"
    # It moves the dossier toward its outcome: the dossier is on the to-do list of those who
    # may fire it, and they are notified when it arrives in one of its sources.
    forward: bool = False
    # Whether a transition form may fire it. False: only the workflow's own operation does (a
    # nomination is published by issuing the award decision that lists it, never one by one
    # with a typed number); a form posting it is refused.
    by_form: bool = True
    # What does fire it, as the refusal names it (Vietnamese, English).
    fired_by: tuple[str, str] = ("", "")

    @cached_property
    def roles_by_name(self) -> tuple[Role, ...]:
        """``roles`` in the order a person holding several acts under the first of."""
        return tuple(sorted(self.roles, key=lambda r: r.value))


@dataclass(frozen=True)
class WorkflowDef:
    """A whole lifecycle for one dossier kind."""

    kind: str
    label_vi: str
    label_en: str
    initial: str
    states: tuple[StateDef, ...]
    transitions: tuple[TransitionDef, ...]
    _by_name: dict[str, StateDef] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # Asked per dossier of every list (what may be done with it from here): worked out once.
    _from_state: dict[str, tuple[TransitionDef, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._by_name.update({s.name: s for s in self.states})
        self._from_state.update(
            {s.name: tuple(t for t in self.transitions if s.name in t.sources) for s in self.states}
        )
        self.validate()

    def state(self, name: str) -> StateDef:
        """The state called ``name`` (KeyError if unknown)."""
        return self._by_name[name]

    @cached_property
    def state_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states)

    def transition(self, trigger: str) -> TransitionDef:
        """The transition fired by ``trigger`` (KeyError if unknown)."""
        for tdef in self.transitions:
            if tdef.trigger == trigger:
                return tdef
        raise KeyError(trigger)

    def transitions_from(self, state: str) -> tuple[TransitionDef, ...]:
        """Transitions whose sources include ``state``, in definition order."""
        return self._from_state.get(state, ())

    def validate(self) -> None:
        """Refuse a malformed definition at import time."""
        names = set(self._by_name)
        problems = []
        if self.initial not in names:
            problems.append(f"initial state {self.initial!r} is not defined")
        triggers = [t.trigger for t in self.transitions]
        if len(triggers) != len(set(triggers)):
            problems.append("a trigger is defined twice")
        for tdef in self.transitions:
            for state in (*tdef.sources, tdef.dest):
                if state not in names:
                    problems.append(f"{tdef.trigger}: unknown state {state!r}")
            if not tdef.roles:
                problems.append(f"{tdef.trigger}: no role may fire it")
            for source in tdef.sources:
                if source in names and self._by_name[source].terminal:
                    problems.append(f"{tdef.trigger}: leaves terminal state {source!r}")
        problems += self._waiting_problems()
        reachable, frontier = {self.initial}, [self.initial]
        while frontier:
            current = frontier.pop()
            for tdef in self.transitions_from(current):
                if tdef.dest not in reachable:
                    reachable.add(tdef.dest)
                    frontier.append(tdef.dest)
        problems += [f"state {s!r} is unreachable" for s in sorted(names - reachable)]
        if problems:
            raise ValueError(f"workflow {self.kind}: " + "; ".join(problems))

    def _waiting_problems(self) -> list[str]:
        """A dossier waiting in a non-terminal state must be on someone's to-do list: the
        state has a queue and a forward transition out of it; a terminal state has neither."""
        problems = []
        for state in self.states:
            forward = any(t.forward for t in self.transitions_from(state.name))
            if state.terminal and state.queue is not None:
                problems.append(f"terminal state {state.name!r} is in a to-do queue")
            if not state.terminal and state.queue is None:
                problems.append(f"state {state.name!r} is in no to-do queue")
            if not state.terminal and not forward:
                problems.append(f"no forward transition leaves state {state.name!r}")
            if state.retracted and not state.terminal:
                problems.append(f"retracted state {state.name!r} is not terminal")
        return problems
