"""The public list's rows, filters and pager are drawn once per shown audit head, language and
query (``web.public.views.outcomes``): drawn again as soon as anything the public sees moves,
never served in the other language or for another query, and not for a dossier's internal step.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, template_rendered

from tests.fixtures.people import make_dossier
from tests.fixtures.web import csrf_from
from tests.web.public.test_public import PUBLISHED, html, listed, site  # noqa: F401 (fixture)

LISTING = "public/_outcome_list.html"


@contextmanager
def drawings(app: Flask) -> Iterator[list[str]]:
    """The names of the templates drawn meanwhile."""
    names: list[str] = []

    def record(sender, template, context, **extra) -> None:
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def test_the_same_list_is_drawn_once_and_each_query_its_own(app, client, site):
    with drawings(app) as drawn:
        first = html(client.get("/public/"))
        again = html(client.get("/public/"))
        searched = html(client.get("/public/?q=phu"))
    assert drawn.count(LISTING) == 2
    assert drawn.count("public/outcomes.html") == 3
    assert listed(first) == listed(again) == PUBLISHED | {"Trường Tiểu học Đặng Trần Côn"}
    assert listed(searched) == {"Trần Phú", "Đặng Văn Hải"}


def test_a_publication_is_listed_at_once_an_internal_step_draws_nothing(
    app, app_world, client, site
):
    html(client.get("/public/"))
    session = app.extensions["vinhdanh.write"]()
    try:
        # Every step up to the Council's approval is internal: the list stays as drawn.
        make_dossier(session, app_world, "nomination", "approved", nominee_name="Vũ Chờ")
        session.commit()
        with drawings(app) as drawn:
            before = html(client.get("/public/"))
        assert drawn.count(LISTING) == 0 and "Vũ Chờ" not in before
        make_dossier(session, app_world, "nomination", "published", nominee_name="Vũ Mới")
        session.commit()
    finally:
        session.close()
    with drawings(app) as drawn:
        after = html(client.get("/public/"))
    assert drawn.count(LISTING) == 1 and ">Vũ Mới</a>" in after and "Vũ Chờ" not in after


def test_each_language_has_its_own_list(client, site):
    assert "Lao động tiên tiến" in html(client.get("/public/"))
    page = client.get("/auth/login").get_data(as_text=True)
    client.post("/lang/en", data={"csrf_token": csrf_from(page), "next": "/public/"})
    english = html(client.get("/public/"))
    assert "Advanced Worker" in english and "Lao động tiên tiến" not in english
