"""Template helpers: labels from the workflow definitions, the menu, links."""

from __future__ import annotations

from flask import Flask, request, url_for

from web.auth.user import current_actor
from web.support.i18n import pick
from web.support.listing import query_args
from web.support.navigation import menu_items
from workflow.core.actors import ROLE_LABELS, Role
from workflow.core.registry import WORKFLOWS


def state_label(kind: str, state: str) -> str:
    """The state's label in the current language, from its lifecycle definition."""
    sdef = WORKFLOWS[kind].state(state)
    return pick(sdef.label_vi, sdef.label_en)


def kind_label(kind: str) -> str:
    wdef = WORKFLOWS[kind]
    return pick(wdef.label_vi, wdef.label_en)


def role_label(role: str | Role) -> str:
    vi, en = ROLE_LABELS[Role(role)]
    return pick(vi, en)


def nav_items() -> list[tuple[str, str, bool]]:
    """(url, label, active) of the menu entries this person may open."""
    return menu_items(current_actor())


def url_with(**overrides) -> str:
    """The current page's URL with some query arguments changed."""
    return url_for(request.endpoint, **(request.view_args or {}), **query_args(**overrides))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        state_label=state_label,
        kind_label=kind_label,
        role_label=role_label,
        nav_items=nav_items,
        url_with=url_with,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
