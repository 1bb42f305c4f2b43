"""List pages and forms are drawn by the shared macros: every list says it is empty through
``empty_state`` (class ``empty-state``), no template writes a filter bar, a pager, a sort link
or an empty state by hand, and every form control outside a table cell comes from a macro
(``macros/forms.html``; a transition's inputs from ``macros/actions.html``)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.fixtures.web import AuthActions

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
MACROS = TEMPLATES / "macros"


class EmptyStates(HTMLParser):
    """The text of each element whose class holds ``empty-state``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.depth = 0  # inside an empty state: how many elements are open

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("input", "br", "img"):
            return
        if self.depth:
            self.depth += 1
        elif "empty-state" in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1] += data


def empty_states(html: str) -> list[str]:
    parser = EmptyStates()
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.found]


@pytest.mark.parametrize(
    "username,url,message",
    [
        ("staff_a", "/", "Không có hồ sơ nào đang chờ bạn xử lý."),
        ("staff_a", "/dossiers/", "Đơn vị chưa có hồ sơ nào."),
        ("staff_a", "/dossiers/?q=zzzz", "Không có hồ sơ nào khớp bộ lọc."),
        ("staff_a", "/notifications/", "Bạn chưa có thông báo nào."),
        ("staff_a", "/practices/", "Chưa có mô hình nào."),
        ("reviewer", "/office/", "Không có hồ sơ nào khớp với bộ lọc."),
        ("reviewer", "/office/?state=all&q=zzzz", "Không có hồ sơ nào khớp với bộ lọc."),
        ("reviewer", "/office/notice-comments", "Không có ý kiến nào chờ duyệt."),
        ("reviewer", "/awards/holds", "Chưa có trường hợp nào."),
        ("secretary", "/council/", "Chưa có phiên họp nào."),
        ("secretary", "/council/decisions/", "Chưa có quyết định nào."),
        (None, "/public/", "Không có kết quả nào phù hợp."),
        (None, "/public/notice", "Hiện không có đề nghị khen thưởng nào đang được công khai."),
        (None, "/practices/public", "Chưa có mô hình tiêu biểu nào được công bố."),
        (None, "/practices/public?q=zzzz", "Không tìm thấy mô hình nào khớp “zzzz”."),
    ],
)
def test_an_empty_list_says_so_through_the_macro(client, app_world, username, url, message):
    if username:
        AuthActions(client).login(username)
    response = client.get(url)
    assert response.status_code == 200
    states = empty_states(response.get_data(as_text=True))
    assert len(states) == 1 and states[0].startswith(message), states


def test_the_dashboard_lists_say_so_through_the_macro(client, app_world):
    AuthActions(client).login("reviewer")
    campaign = app_world.campaign.id
    html = client.get(f"/dashboard/nominations?campaign={campaign}").get_data(as_text=True)
    assert empty_states(html) == ["Không có hồ sơ nào."]


def _templates() -> list[tuple[str, str]]:
    """(name, source) of every template but the macros."""
    return [
        (str(path.relative_to(TEMPLATES)), path.read_text(encoding="utf-8"))
        for path in sorted(TEMPLATES.rglob("*.html"))
        if MACROS not in path.parents
    ]


# What only macros/lists.html writes: a filter bar, the pager and count line, a sort link, an
# empty state.
LIST_MARKUP = {
    "a filter bar": re.compile(r'<form\b[^>]*class="[^"]*\bfilters\b'),
    "a pager": re.compile(r'class="[^"]*\bpager\b'),
    "a count line": re.compile(r'class="[^"]*\bcount\b'),
    "a sort link": re.compile(r"aria-sort|url_with\(sort="),
    "an empty state": re.compile(r'class="[^"]*\bempty(-state)?\b'),
    "a table of its own with sortable headers": re.compile(r"sort_link\("),
}


@pytest.mark.parametrize("what", sorted(LIST_MARKUP))
def test_no_template_writes_list_markup_by_hand(what):
    pattern = LIST_MARKUP[what]
    offenders = [name for name, source in _templates() if pattern.search(source)]
    assert offenders == [], f"{what} written by hand in {offenders}: use macros/lists.html"


CONTROL = re.compile(r"<(input|select|textarea)\b[^>]*>")
CELL_OPEN = re.compile(r"<t[dh][\s>]")
CELL_CLOSE = re.compile(r"</t[dh]>")


def _in_table_cell(source: str, at: int) -> bool:
    before = source[:at]
    opened = [m.start() for m in CELL_OPEN.finditer(before)]
    closed = [m.start() for m in CELL_CLOSE.finditer(before)]
    return bool(opened) and (not closed or opened[-1] > closed[-1])


def test_every_form_control_outside_a_table_cell_comes_from_a_macro():
    offenders = []
    for name, source in _templates():
        for match in CONTROL.finditer(source):
            if 'type="hidden"' in match.group(0) or _in_table_cell(source, match.start()):
                continue
            offenders.append(f"{name}: {match.group(0)[:60]}")
        if re.search(r'class="field[" ]', source):
            offenders.append(f"{name}: a field wrapper")
    assert offenders == [], "use the macros of macros/forms.html: " + "; ".join(offenders)
