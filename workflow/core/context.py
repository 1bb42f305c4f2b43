"""What guards (rules that must hold for a transition) and effects (what a transition records)
are given: the context of one transition.

A guard (``workflow.core.guards.Guard``) returns a ``Violation`` or None, so the UI can list
every failing rule at once. What several guards and effects read is loaded once, as a fact.
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
