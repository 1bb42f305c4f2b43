"""Browser tests: the app served on 127.0.0.1 in a thread, driven by Debian's Chromium.

No browser is downloaded: Playwright launches /usr/bin/chromium (VINHDANH_CHROMIUM to
change it). Screenshots of the main pages go to test-output/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from werkzeug.serving import make_server

from tests.fixtures import ROOT
from tests.fixtures.browser import NOMINEE
from tests.fixtures.people import PASSWORD, World, make_dossier, register_person
from tests.fixtures.web import world_copy
from web import create_app
from workflow.dossiers.queues import office_default_state

CHROMIUM = os.environ.get("VINHDANH_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-output" / "screenshots"
# Without these, Chromium keeps calling home, which this network refuses.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


class LiveServer:
    """The app on a free port of 127.0.0.1, its committed database and the cast."""

    def __init__(self, app, world: World) -> None:
        self.app, self.world = app, world
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def session(self):
        """A write session on the served database (for setting up data)."""
        return self.app.extensions["vinhdanh.write"]()

    def dossier_at_office(self, title: str) -> int:
        """A nomination of unit a waiting in the Office's queue, committed; its id."""
        session = self.session()
        try:
            dossier = make_dossier(
                session, self.world, "nomination", office_default_state(), title=title
            )
            session.commit()
            return dossier.id
        finally:
            session.close()


def _nominees(session, world: World) -> None:
    """The teachers the stories nominate, in school a's register."""
    register_person(session, world, NOMINEE, position="Giáo viên Vật lý, tổ trưởng chuyên môn")
    register_person(session, world, "Lê Thị Ánh")


@pytest.fixture()
def live_server(db_templates, tmp_path) -> Iterator[LiveServer]:
    uploads = tmp_path / "uploads"
    url, world = world_copy(db_templates, uploads, "browser-world", _nominees)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "browser-test",
            "UPLOAD_DIR": str(uploads),
            "RATELIMIT_ENABLED": False,
        }
    )
    server = LiveServer(app, world)
    server.thread.start()
    yield server
    server.server.shutdown()
    app.extensions["vinhdanh.engine"].dispose()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


DESKTOP = (1280, 900)
PHONE = (390, 844)
SIZES = pytest.mark.parametrize(
    "viewport", [DESKTOP, PHONE], ids=["desktop", "phone"], indirect=True
)
# Run in every page the browser opens: a page wider than the window is reported as an error
# (checked once loaded and again when the test ends, after scripts have changed the page).
OVERFLOW_CHECK = """
addEventListener("load", () => {
  const wide = document.documentElement.scrollWidth;
  if (wide > innerWidth) console.error(`overflow: ${location.pathname} is ${wide}px wide`);
});
"""


@pytest.fixture()
def viewport(request) -> tuple[int, int]:
    """The window's size: a desktop unless a test is parametrized with ``SIZES``."""
    return getattr(request, "param", DESKTOP)


@pytest.fixture()
def new_page(browser, live_server, viewport):
    """Open a fresh browser context (its own cookies) per person; CSP errors fail the test, and
    so does, at phone size, any page visited that is wider than the screen."""
    contexts, phones, problems = [], [], []

    def make(
        username: str | None = None,
        viewport: tuple[int, int] = viewport,
        locale: str = "vi-VN",
    ):
        context = browser.new_context(
            locale=locale,
            base_url=live_server.url,
            viewport={"width": viewport[0], "height": viewport[1]},
        )
        contexts.append(context)
        phone = viewport[0] <= PHONE[0]
        if phone:
            context.add_init_script(OVERFLOW_CHECK)
        page = context.new_page()
        if phone:
            phones.append(page)
        page.set_default_timeout(15000)
        page.on(
            "console",
            lambda msg: (
                problems.append(msg.text)
                if msg.type == "error"
                and ("Content Security Policy" in msg.text or msg.text.startswith("overflow:"))
                else None
            ),
        )
        if username:
            sign_in(page, username)
        return page

    yield make
    for page in phones:
        if not page.is_closed() and page.url.startswith(live_server.url) and not settles(page):
            problems.append(f"overflow: {page.url} by {horizontal_overflow(page)}px")
    for context in contexts:
        context.close()
    assert not problems, f"Problems in the pages: {problems}"


def open_menu(page) -> None:
    """On a phone the menu is folded behind a button: open it (a desktop shows it always)."""
    toggle = page.get_by_role("button", name="Trình đơn")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


def settles(page, timeout_ms: int = 3000) -> bool:
    """The page fits its window once it has finished loading: a page caught mid-navigation,
    before its styles apply, may be wider for a moment, and that is not an overflow."""
    try:
        page.wait_for_load_state("load")
        page.wait_for_function(
            "document.documentElement.scrollWidth <= window.innerWidth", timeout=timeout_ms
        )
    except PlaywrightTimeout:
        return False
    return True


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than its viewport (0: nothing sticks out)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def shot(page, name: str) -> None:
    """Save a full-page screenshot for people to look at (a phone's named as such)."""
    size = page.viewport_size
    if size and size["width"] <= PHONE[0] and not name.startswith("phone-"):
        name = f"phone-{name}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
