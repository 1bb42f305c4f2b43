"""Refused changes: how every page runs a workflow change and answers when it is refused.

A view hands :func:`commit_or_answer` the change (a call into ``workflow``) and how to answer a
refusal. When the change goes through, the transaction commits and the view carries on with
its result. When it is refused, nothing it did is kept (rollback), and:

- a permission refusal (``is_permission``) propagates: the app's error handlers answer it
  (403, or 404 for what the person may not see), whatever the page would have drawn;
- any other refusal ends the request with the view's answer, built from a :class:`Refusal`:
  usually the form drawn again with everything typed and the messages, with status 409 when
  someone else saved first (the form then carries the record's current version, so saving
  again is a deliberate choice) or the status of a rule not met (422 unless the page says
  otherwise); forms that live on another page flash the messages and go back there
  (:func:`flash_and_redirect`).

The answer ends the request as Flask's ``abort(response)`` does, so a view reads top to bottom:
the change, then what follows a success.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, flash, make_response, redirect
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from web.support.i18n import lang
from workflow.core.errors import EditRefused, StaleVersion, TransitionRefused, WorkflowError

T = TypeVar("T")

# What a workflow change raises when it is refused (a catalogue change has its own error).
REFUSALS: tuple[type[WorkflowError], ...] = (StaleVersion, EditRefused, TransitionRefused)
# A rule not met: the request was understood, its content cannot be applied.
RULE_STATUS = 422
STALE_STATUS = 409


@dataclass(frozen=True)
class Refusal:
    """A refused change, with what the answering page needs from it."""

    error: WorkflowError
    rule_status: int = RULE_STATUS

    @property
    def stale(self) -> bool:
        """Someone else changed the record after the person's page was drawn."""
        return isinstance(self.error, StaleVersion)

    @property
    def status(self) -> int:
        """409 for a stale version, else the page's status for a rule not met."""
        return STALE_STATUS if self.stale else self.rule_status

    @property
    def messages(self) -> list[str]:
        """Why, in the person's language."""
        return self.error.messages(lang())

    def version(self, posted: str | None) -> str:
        """The version the form drawn again carries: the record's current one after a stale
        refusal (saving again then applies what was typed), else the one that was posted."""
        if isinstance(self.error, StaleVersion):
            return str(self.error.current_version)
        return posted or ""

    def flash(
        self, category: str = "error", *, stale_category: str | None = None, lead: str | None = None
    ) -> None:
        """Each message as a flash (``stale_category`` for a stale version), after ``lead``."""
        kind = stale_category if self.stale and stale_category else category
        for message in ([lead] if lead else []) + self.messages:
            flash(message, kind)


Answer = Callable[[Refusal], ResponseReturnValue]


def commit_or_answer(
    session: Session,
    change: Callable[[], T],
    answer: Answer,
    *,
    rule_status: int = RULE_STATUS,
    refusals: tuple[type[WorkflowError], ...] = REFUSALS,
) -> T:
    """Run ``change`` and commit; return what it returned. On one of ``refusals``: roll back,
    let a permission refusal propagate, else end the request with ``answer(refusal)``."""
    try:
        result = change()
        session.commit()
    except refusals as error:
        session.rollback()
        if error.is_permission:
            raise
        abort(make_response(answer(Refusal(error, rule_status))))
    return result


def flash_and_redirect(
    back: str,
    category: str = "error",
    *,
    stale_category: str | None = None,
    lead: str | None = None,
) -> Answer:
    """The answer of a form that lives on another page: the messages flashed (see
    :meth:`Refusal.flash`), and back to ``back``."""

    def answer(refusal: Refusal) -> ResponseReturnValue:
        refusal.flash(category, stale_category=stale_category, lead=lead)
        return redirect(back)

    return answer


# Pages that draw transition forms of many dossiers (the Council's session page) and can draw
# themselves again around a refused one, so that what was typed is not lost on a redirect:
# endpoint → renderer(failed, status, **the page's URL arguments), which may answer None (then
# the refusal is flashed on a redirect back, as for any other page).
Redrawer = Callable[..., ResponseReturnValue]
_REDRAWERS: dict[str, Redrawer] = {}


def redraws_refused_actions(endpoint: str) -> Callable[[Redrawer], Redrawer]:
    """Register the renderer that draws ``endpoint``'s page again with a refused action."""

    def register(renderer: Redrawer) -> Redrawer:
        _REDRAWERS[endpoint] = renderer
        return renderer

    return register


def redraw_refused_action(
    page: str, failed: dict[str, Any], status: int
) -> ResponseReturnValue | None:
    """``page`` (a local URL) drawn again around ``failed``, if that page knows how; else None."""
    try:
        endpoint, args = current_app.url_map.bind("localhost").match(
            urlsplit(page).path, method="GET"
        )
    except HTTPException:
        return None
    renderer = _REDRAWERS.get(endpoint)
    return renderer(failed, status, **args) if renderer else None
