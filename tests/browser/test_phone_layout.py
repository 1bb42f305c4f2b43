"""At phone size (390×844): the menu collapses behind a button, nothing makes the page wider
than the screen (home, the Office queue, the public outcomes), tables become cards, charts fit,
and a focused header link shows a ring that stands out on the red header."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, shot
from tests.fixtures.people import make_dossier

WIDTH = PHONE[0]


@pytest.fixture()
def published(live_server):
    """Dossiers in the Office queue and on the public list, so both tables have rows."""
    session = live_server.session()
    for unit in ("a", "b"):
        make_dossier(session, live_server.world, "nomination", "office_review", unit)
        make_dossier(session, live_server.world, "nomination", "published", unit)
    session.commit()
    session.close()


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize(
    "username,url,name",
    [
        ("staff_a", "/", "home-staff"),
        ("reviewer", "/", "home-office"),
        ("reviewer", "/office/?state=all", "office-queue"),
        (None, "/public/", "public-outcomes"),
        ("reviewer", "/dashboard/", "dashboard"),
    ],
)
def test_no_page_is_wider_than_a_phone(new_page, published, username, url, name):
    page = new_page(username, viewport=PHONE)
    page.goto(url)
    assert page_width(page) <= WIDTH, (url, page_width(page))
    shot(page, f"phone-{name}")


def test_the_menu_collapses_behind_a_button(new_page, published):
    page = new_page("reviewer", viewport=PHONE)
    menu = page.get_by_role("button", name="Trình đơn")
    link = page.get_by_role("link", name="Thẩm định", exact=True)
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_hidden()
    header = page.locator(".site-header").bounding_box()["height"]
    assert header < 120, header
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(link).to_be_visible()
    shot(page, "phone-menu-open")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thẩm định")


def test_the_menu_is_always_open_on_a_desktop(new_page):
    page = new_page("reviewer")
    expect(page.get_by_role("button", name="Trình đơn")).to_be_hidden()
    expect(page.get_by_role("link", name="Thẩm định", exact=True)).to_be_visible()


def test_queue_rows_become_cards_on_a_phone(new_page, published):
    page = new_page("reviewer", viewport=PHONE)
    page.goto("/office/?state=all")
    row = page.locator("tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    # Each cell says which column it was: its header, as a label.
    cell = row.locator("td").nth(1)
    assert cell.evaluate("c => getComputedStyle(c, '::before').content") not in ("none", "")


def test_a_focused_header_link_shows_a_visible_ring(new_page):
    page = new_page("reviewer")
    link = page.get_by_role("link", name="Thẩm định", exact=True)
    link.focus()
    outline = link.evaluate(
        "a => getComputedStyle(a).outlineStyle + ' ' + getComputedStyle(a).outlineColor"
    )
    assert outline.startswith("solid") and "255, 216, 77" in outline  # the gold of the header


def test_charts_fit_the_phone(new_page, published):
    page = new_page("reviewer", viewport=PHONE)
    page.goto("/dashboard/")
    widths = page.eval_on_selector_all(
        ".chart-figure svg", "svgs => svgs.map(s => s.getBoundingClientRect().width)"
    )
    assert widths and max(widths) <= WIDTH
