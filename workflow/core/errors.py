"""Typed errors of the engine. They carry codes and parameters; ``messages`` words them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workflow.core.messages import Messages

# The core's codes that mean "this person may not do this", as opposed to "not now". A domain
# declares its own in its catalogue (``Messages.permission``) and its violations carry the flag.
PERMISSION_CODES = frozenset({"role_not_permitted", "out_of_scope", "not_visible"})


@dataclass(frozen=True)
class Violation:
    """One rule that does not hold, with the values its message needs.

    ``wording`` is the (Vietnamese, English) message of a domain's code, given by the domain's
    own catalogue (``messages.Messages``); without it the code is one of the core's.
    ``permission`` is set by that catalogue when the code refuses the person, not the moment.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    wording: tuple[str, str] | None = field(default=None, compare=False, repr=False)
    permission: bool = field(default=False, compare=False, repr=False)

    @property
    def is_permission(self) -> bool:
        return self.permission or self.code in PERMISSION_CODES

    def message(self, locale: str = "vi") -> str:
        from workflow.core.messages import render

        return render(self.code, self.params, locale, self.wording)


class WorkflowError(Exception):
    """Base of every refusal. Nothing was changed when one is raised."""

    def __init__(self, violations: tuple[Violation, ...] | list[Violation]) -> None:
        self.violations = tuple(violations)
        super().__init__("; ".join(v.message("en") for v in self.violations))

    @property
    def code(self) -> str:
        return self.violations[0].code

    @property
    def is_permission(self) -> bool:
        """True when any violation is about who acts (the web answers 403, else 409)."""
        return any(v.is_permission for v in self.violations)

    def messages(self, locale: str = "vi") -> list[str]:
        return [v.message(locale) for v in self.violations]


class TransitionRefused(WorkflowError):
    """The trigger is unknown, not allowed from this state, not permitted, or a guard failed."""


class EditRefused(WorkflowError):
    """A content change is not allowed (wrong state, person or input)."""


class StaleVersion(WorkflowError):
    """Someone else changed the record (a dossier, or with its own ``code`` worded by its
    domain's ``messages``, a practice, a campaign or an award type) after this person's page
    was drawn."""

    def __init__(
        self,
        current_version: int,
        current_state: str,
        current_state_en: str = "",
        code: str = "stale_version",
        messages: Messages | None = None,
    ) -> None:
        self.current_version = current_version
        self.current_state = current_state
        params = {"state": current_state, "state_en": current_state_en or current_state}
        worded = messages.violation(code, params) if messages else Violation(code, params)
        super().__init__([worded])


def refuse_if_stale(
    current_version: int,
    expected_version: int | None,
    code: str,
    state: tuple[str, str],
    messages: Messages | None = None,
) -> None:
    """StaleVersion (``code``, worded by ``messages`` or else the core, with the record's
    ``state`` in Vietnamese and English) when the record moved on from the version the
    person's page was drawn with; no check without one."""
    if expected_version is not None and current_version != expected_version:
        raise StaleVersion(current_version, *state, code=code, messages=messages)


class NotFound(WorkflowError):
    """No such record, or not one this person may see (the two are not told apart)."""

    def __init__(self) -> None:
        super().__init__([Violation("not_found")])
