"""Template helpers: labels from the workflow definitions, navigation by role, links."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup

from web.support.i18n import pick
from web.support.listing import query_args
from workflow.core.actors import ROLE_LABELS, Role
from workflow.core.registry import WORKFLOWS, state_def

# (endpoint, Vietnamese, English, roles that see it; None = everyone signed in;
#  "public" = visitors too). Entries whose endpoint does not exist yet are skipped.
NAVIGATION = (
    ("home.index", "Việc cần làm", "To do", None),
    ("dossiers.unit_list", "Hồ sơ đơn vị", "Unit dossiers", (Role.UNIT_STAFF, Role.UNIT_HEAD)),
    ("office.queue", "Thẩm định", "Review", (Role.OFFICE_REVIEWER, Role.ADMIN)),
    ("council.sessions", "Hội đồng", "Council", (Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER)),
    (
        "dashboard.index",
        "Tổng hợp",
        "Dashboard",
        (Role.OFFICE_REVIEWER, Role.COUNCIL_SECRETARY, Role.ADMIN),
    ),
    ("campaigns.index", "Phong trào", "Campaigns", (Role.OFFICE_REVIEWER, Role.ADMIN)),
    (
        "practices.index",
        "Mô hình, cách làm hay",
        "Good practices",
        (Role.UNIT_STAFF, Role.UNIT_HEAD, Role.OFFICE_REVIEWER, Role.ADMIN),
    ),
    ("awards.index", "Danh hiệu", "Awards", (Role.ADMIN,)),
    ("public.outcomes", "Kết quả công bố", "Published outcomes", "public"),
    ("public.notice_list", "Công khai lấy ý kiến", "Public notice", "public"),
    ("practices.public", "Mô hình tiêu biểu", "Exemplary practices", "public"),
    ("workflow_pages.index", "Quy trình", "Workflow", "public"),
)


def state_label(kind: str, state: str) -> str:
    """The state's label in the current language, from its lifecycle definition."""
    sdef = WORKFLOWS[kind].state(state)
    return pick(sdef.label_vi, sdef.label_en)


def state_tone(kind: str, state: str) -> str:
    """The state's tone (``Tone`` value), which the style sheet colours: ``tone-<value>``."""
    return WORKFLOWS[kind].state(state).tone.value


def state_badge(kind: str, state: str) -> Markup:
    """The state's badge: its label, coloured by its tone; ``data-state`` names the state."""
    return Markup('<span class="badge tone-{}" data-state="{}">{}</span>').format(
        state_tone(kind, state), state, state_label(kind, state)
    )


def kind_label(kind: str) -> str:
    wdef = WORKFLOWS[kind]
    return pick(wdef.label_vi, wdef.label_en)


def role_label(role: str | Role) -> str:
    vi, en = ROLE_LABELS[Role(role)]
    return pick(vi, en)


def nav_items() -> list[tuple[str, str, bool]]:
    """(url, label, active) of the menu entries this person may use."""
    signed_in = current_user.is_authenticated
    roles = current_user.actor.roles if signed_in else frozenset()
    items = []
    for endpoint, vi, en, allowed in NAVIGATION:
        if endpoint not in current_app.view_functions:
            continue
        if allowed == "public" or (signed_in and (allowed is None or roles & set(allowed))):
            items.append((url_for(endpoint), pick(vi, en), request.endpoint == endpoint))
    return items


def url_with(**overrides) -> str:
    """The current page's URL with some query arguments changed."""
    return url_for(request.endpoint, **(request.view_args or {}), **query_args(**overrides))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        state_label=state_label,
        state_tone=state_tone,
        state_badge=state_badge,
        state_def=state_def,
        kind_label=kind_label,
        role_label=role_label,
        nav_items=nav_items,
        url_with=url_with,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
