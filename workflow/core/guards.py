"""A guard: one rule that must hold for a transition, as a typed object.

The check is written in its domain module and declared there, with ``@guard``, together with
the rule in words (shown on the workflow page) and how the engine must treat it. The engine
reads these attributes; nothing is looked up by the function's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from workflow.core.context import GuardContext
    from workflow.core.errors import Violation

# A check finds nothing (None), one problem, or several (e.g. every required field left empty).
Check = Callable[["GuardContext"], Union["Violation", Sequence["Violation"], None]]


@dataclass(frozen=True)
class Guard:
    """A rule of a transition: its check, the rule in Vietnamese and English, and its kind."""

    check: Check
    label_vi: str
    label_en: str
    # Depends on what the person types: ``available()`` cannot judge it before the form is sent.
    uses_inputs: bool = False
    # Codes of this guard's refusals that mean "this transition does not apply to this dossier"
    # (no button at all), not "not yet". Such a guard must be cheap (no queries):
    # ``available(..., rules=False)`` runs only these.
    not_applicable: frozenset[str] = frozenset()

    def __call__(self, ctx: GuardContext) -> Violation | Sequence[Violation] | None:
        return self.check(ctx)

    def violations(self, ctx: GuardContext) -> list[Violation]:
        """Every problem the check finds, as a list (empty: the rule holds)."""
        found = self.check(ctx)
        if found is None:
            return []
        return list(found) if isinstance(found, Sequence) else [found]

    @property
    def name(self) -> str:
        return self.check.__name__

    @property
    def labels(self) -> tuple[str, str]:
        """(Vietnamese, English) statement of the rule."""
        return self.label_vi, self.label_en

    @property
    def decides_applicability(self) -> bool:
        return bool(self.not_applicable)

    def rules_out(self, violation: Violation) -> bool:
        """True when ``violation`` (one of this guard's) means the transition does not apply."""
        return violation.code in self.not_applicable


def guard(
    label_vi: str,
    label_en: str,
    *,
    uses_inputs: bool = False,
    not_applicable: Iterable[str] = (),
) -> Callable[[Check], Guard]:
    """Declare the decorated check as a ``Guard`` stating the rule ``label_vi`` / ``label_en``."""

    def declare(check: Check) -> Guard:
        return Guard(check, label_vi, label_en, uses_inputs, frozenset(not_applicable))

    return declare
