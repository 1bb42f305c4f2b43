"""The header menu and the home page's shortcuts: one list of links, each shown to exactly the
people the linked view lets in (its declared predicate, ``web.support.access``), so a menu
never offers a page that answers 403 and never hides one a person may open."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from web.support.access import may_open
from web.support.i18n import lang, pick
from workflow.core.actors import Actor


@dataclass(frozen=True)
class Link:
    """A link to ``endpoint`` (with ``values``): in the menu under ``menu`` (Vietnamese,
    English), among the home page's shortcuts under ``shortcut``."""

    endpoint: str
    menu: tuple[str, str] | None = None
    shortcut: Any = None  # a lazy string of the catalog
    values: dict[str, Any] = field(default_factory=dict)


# In the order they are shown, in the menu and among the shortcuts alike.
LINKS = (
    Link("home.index", menu=("Việc cần làm", "To do")),
    Link(
        "dossiers.create",
        shortcut=_l("Lập hồ sơ đề nghị khen thưởng"),
        values={"kind": "nomination"},
    ),
    Link(
        "dossiers.create",
        shortcut=_l("Lập tờ trình kèm danh sách đề nghị"),
        values={"kind": "proposal"},
    ),
    Link("dossiers.create", shortcut=_l("Lập kế hoạch thi đua"), values={"kind": "plan"}),
    Link("dossiers.create", shortcut=_l("Lập báo cáo kết quả"), values={"kind": "report"}),
    Link(
        "dossiers.unit_list",
        menu=("Hồ sơ đơn vị", "Unit dossiers"),
        shortcut=_l("Hồ sơ của đơn vị"),
    ),
    Link(
        "proposals.index",
        menu=("Tờ trình", "Lists"),
        shortcut=_l("Tờ trình và danh sách đề nghị"),
    ),
    Link(
        "people.index",
        menu=("Cá nhân, tập thể", "People"),
        shortcut=_l("Sổ cá nhân, tập thể"),
    ),
    Link(
        "office.queue",
        menu=("Thẩm định", "Review"),
        shortcut=_l("Danh sách thẩm định của Văn phòng Sở"),
    ),
    Link("council.sessions", menu=("Hội đồng", "Council"), shortcut=_l("Phiên họp Hội đồng")),
    Link("council.new_session", shortcut=_l("Mở phiên họp mới")),
    Link("office.certificates_index", shortcut=_l("In giấy khen, bằng chứng nhận")),
    Link(
        "dashboard.index",
        menu=("Tổng hợp", "Dashboard"),
        shortcut=_l("Tổng hợp thi đua, khen thưởng"),
    ),
    Link("office.jobs", shortcut=_l("Việc chạy nền: gửi thư, xuất bảng tổng hợp, tạo PDF")),
    Link("campaigns.index", menu=("Phong trào", "Campaigns")),
    Link("practices.index", menu=("Mô hình, cách làm hay", "Good practices")),
    Link("awards.index", menu=("Danh hiệu", "Awards")),
    Link("admin.accounts", menu=("Quản trị", "Administration"), shortcut=_l("Quản lý tài khoản")),
    Link("admin.units", shortcut=_l("Quản lý đơn vị")),
    Link(
        "public.outcomes",
        menu=("Kết quả công bố", "Published outcomes"),
        shortcut=_l("Kết quả khen thưởng đã công bố"),
    ),
    Link("public.notice_list", menu=("Công khai lấy ý kiến", "Public notice")),
    Link("practices.public", menu=("Mô hình tiêu biểu", "Exemplary practices")),
    Link(
        "workflow_pages.index",
        menu=("Quy trình", "Workflow"),
        shortcut=_l("Quy trình xử lý hồ sơ"),
    ),
)


def _shown(link: Link, actor: Actor | None) -> bool:
    # A part of the app that is not registered is left out rather than broken.
    return link.endpoint in current_app.view_functions and may_open(link.endpoint, actor)


# Menus and shortcuts depend only on who asks (their grants), the language and where the app
# is mounted: they are built once per such key and app, not on every page.
_CACHE_KEY = "vinhdanh.navigation"
_CACHE_LIMIT = 4096


def _links(actor: Actor | None) -> tuple[tuple, tuple]:
    """((endpoint, url, menu label), ...), ((url, shortcut label), ...) for ``actor``."""
    cache = current_app.extensions.setdefault(_CACHE_KEY, {})
    key = (actor.grants if actor is not None else None, lang(), request.script_root)
    found = cache.get(key)
    if found is None:
        shown = [link for link in LINKS if _shown(link, actor)]
        menu = tuple(
            (link.endpoint, url_for(link.endpoint, **link.values), pick(*link.menu))
            for link in shown
            if link.menu is not None
        )
        shortcut = tuple(
            (url_for(link.endpoint, **link.values), str(link.shortcut))
            for link in shown
            if link.shortcut is not None
        )
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        found = cache[key] = (menu, shortcut)
    return found


def menu_items(actor: Actor | None) -> list[tuple[str, str, bool]]:
    """(url, label, active) of the menu entries ``actor`` may open."""
    endpoint = request.endpoint
    return [(url, label, endpoint == name) for name, url, label in _links(actor)[0]]


def shortcuts(actor: Actor | None) -> list[tuple[str, str]]:
    """(url, label) of the home page's shortcuts ``actor`` may open."""
    return list(_links(actor)[1])
