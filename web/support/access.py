"""Who may open each page: every view declares it, with ``@requires(predicate)`` or ``@public``.

The predicates are ``workflow.core.authz``'s. A signed-out visitor of a page that needs a
predicate is sent to the sign-in page (as Flask-Login's ``login_required`` does); a person the
predicate refuses gets the 403 page; anyone else reaches the view. Whether one record may be
seen (a dossier of another unit: 404) is the workflow's to say, inside the view.

The declaration stays on the view function, so the menus (``web.support.navigation``) and the
authorization tests read the same predicate the view enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, current_app
from flask_login import current_user, login_required

from workflow.core.actors import Actor
from workflow.core.errors import Violation

Predicate = Callable[[Actor | None], bool]
View = TypeVar("View", bound=Callable[..., Any])

# The attribute of a view function that holds its declared access.
ATTRIBUTE = "access"


class Public:
    """The declared access of a page anyone may open, signed in or not."""

    def __repr__(self) -> str:
        return "public"


PUBLIC = Public()
Access = Predicate | Public

# Flask's own endpoints: the static files are public.
FLASK_ENDPOINTS = {"static": PUBLIC}


def _current_actor() -> Actor | None:
    # As web.auth.user.current_actor, which this module cannot import: web.auth's views
    # declare their access with it.
    return current_user.actor if current_user.is_authenticated else None


def requires(
    predicate: Predicate, *, action: tuple[str, str] | None = None, refusal: Any = None
) -> Callable[[View], View]:
    """Only people for whom ``predicate(actor)`` holds open the view. What the 403 page says
    besides its title: that the person's role may not do ``action`` (Vietnamese, English), as
    the workflow words it, or the text ``refusal`` (a lazy string of the catalog)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not predicate(_current_actor()):
                # Imported here, not above: web.errors imports web.support.i18n, whose language
                # switch declares its access with this module.
                from web.errors import render_error

                return render_error(403, _refusal_messages(action, refusal))
            return view(*args, **kwargs)

        checked = login_required(guarded)
        setattr(checked, ATTRIBUTE, predicate)
        return checked  # type: ignore[return-value]

    return decorate


def _refusal_messages(action: tuple[str, str] | None, refusal: Any) -> list[str]:
    from web.support.i18n import lang  # imported here for the same reason as render_error

    if action is not None:
        violation = Violation("role_not_permitted", {"action": action[0], "action_en": action[1]})
        return [violation.message(lang())]
    return [str(refusal)] if refusal is not None else []


def public(view: View) -> View:
    """The view is open to anyone, visitors included."""
    setattr(view, ATTRIBUTE, PUBLIC)
    return view


def access_of(app: Flask, endpoint: str) -> Access | None:
    """The access ``endpoint`` declares; None when it declares none."""
    if endpoint in FLASK_ENDPOINTS:
        return FLASK_ENDPOINTS[endpoint]
    view = app.view_functions.get(endpoint)
    return getattr(view, ATTRIBUTE, None) if view is not None else None


def may_open(endpoint: str, actor: Actor | None) -> bool:
    """True when ``actor`` (None: signed out) may open ``endpoint`` of the current app."""
    access = access_of(current_app, endpoint)
    if access is None:
        return False
    if isinstance(access, Public):
        return True
    return actor is not None and access(actor)
