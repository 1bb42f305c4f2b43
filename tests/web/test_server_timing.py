"""``Server-Timing`` (web/support/timing.py): off by default; when set, every answer says the
CPU the app spent on it, which the load bench adds up per kind of request."""

from __future__ import annotations

import pytest

from web import create_app
from web.support.timing import HEADER, cpu_ms


def test_off_by_default(client, app_world):
    assert HEADER not in client.get("/public/").headers


@pytest.fixture()
def timed_app(app):
    # The test app's settings (its database, with the standard cast), timed.
    timed = create_app({**app.config, "SERVER_TIMING": True})
    yield timed
    timed.extensions["vinhdanh.engine"].dispose()


@pytest.mark.parametrize("path", ["/public/", "/auth/login", "/static/app.css", "/nope"])
def test_every_answer_says_its_cpu(timed_app, app_world, path):
    answer = timed_app.test_client().get(path)
    spent = cpu_ms(answer.headers.get(HEADER))
    assert spent is not None and 0 < spent < 60_000, answer.headers.get(HEADER)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('app;desc="CPU";dur=12.50', 12.5),
        ("db;dur=3, app;dur=4", 4.0),
        ("app;dur=abc", None),
        ("other;dur=1", None),
        ("", None),
        (None, None),
    ],
)
def test_the_figure_is_read_back(header, expected):
    assert cpu_ms(header) == expected
