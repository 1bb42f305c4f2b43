"""What guards (rules that must hold for a transition) and effects (what a transition records)
are given: the context of one transition.

A guard returns a ``Violation`` or None, so the UI can list every failing rule at once.
Guards marked ``uses_inputs`` need what the person types; ``available()`` skips them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from models import Dossier
from models.text import nfc
from workflow.core.actors import Actor, Role

T = TypeVar("T")


@dataclass
class GuardContext:
    """What a guard or effect may look at: the dossier, who acts, what they typed, when."""

    session: Session
    dossier: Dossier
    actor: Actor
    role: Role | None
    inputs: Mapping[str, Any]
    now: dt.datetime
    # Filled by effects; becomes the audit event's ``changes``.
    changes: dict[str, Any] = field(default_factory=dict)
    _facts: dict[Callable[..., Any], Any] = field(default_factory=dict, repr=False)

    def text(self, key: str) -> str:
        return nfc(str(self.inputs.get(key) or ""))

    def fact(self, loader: Callable[[GuardContext], T]) -> T:
        """What ``loader`` reads for this transition, loaded on first use and then shared by
        every guard and effect, whatever order they run in."""
        if loader not in self._facts:
            self._facts[loader] = loader(self)
        return self._facts[loader]


def uses_inputs(guard: Callable) -> Callable:
    """Mark a guard that depends on the person's inputs."""
    guard.uses_inputs = True
    return guard


def decides_applicability(guard: Callable) -> Callable:
    """Mark a guard whose refusal means the action does not apply at all (no button), not a
    rule still to meet; ``available(..., rules=False)`` runs only these (cheap: no queries)."""
    guard.decides_applicability = True
    return guard
