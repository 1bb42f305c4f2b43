"""The public list's search over HTTP: word starts, the capped count and its pager, hostile
queries that keep what was typed."""

import pytest
from markupsafe import escape

import web.public.views
from tests.fixtures.web import csrf_from
from tests.web.public.test_public import PUBLISHED, html, listed, site  # noqa: F401 (fixture)
from workflow.publication import outcomes

REPORT = "Trường Tiểu học Đặng Trần Côn"


def test_a_word_matches_at_word_starts_only(client, site):
    # "an" is inside "Trần", "Đặng" and "Văn" but starts no word of Hải's or Phú's outcome.
    assert listed(html(client.get("/public/?q=an"))) == set()
    assert listed(html(client.get("/public/?q=ph"))) == {"Trần Phú", "Đặng Văn Hải"}
    assert listed(html(client.get("/public/?q=đặ+hả"))) == {"Đặng Văn Hải"}


def test_over_the_cap_the_count_says_more_than_and_the_pager_still_walks(
    client,
    site,
    monkeypatch,
):
    monkeypatch.setattr(outcomes, "COUNT_CAP", 2)
    monkeypatch.setattr(web.public.views, "PER_PAGE", 1)
    first = html(client.get("/public/"))
    assert "Hiển thị 1–1 trong hơn 2 kết quả" in first
    assert "Trang 1" in first and "Trang 1/" not in first and 'rel="next"' in first
    seen = []
    for number in range(1, 5):
        page = html(client.get(f"/public/?page={number}"))
        seen += sorted(listed(page))
        assert ('rel="next"' in page) == (number < 4)
    assert set(seen) == PUBLISHED | {REPORT} and len(seen) == 4
    # Under the cap the count is exact, as before.
    exact = html(client.get("/public/?q=van"))
    assert "Hiển thị 1–1 trên 2" in exact and "Trang 1/2" in exact


def test_the_capped_count_in_english(client, site, monkeypatch):
    monkeypatch.setattr(outcomes, "COUNT_CAP", 2)
    page = client.get("/auth/login").get_data(as_text=True)
    client.post("/lang/en", data={"csrf_token": csrf_from(page), "next": "/public/"})
    assert "Showing 1–4 of more than 2 results" in html(client.get("/public/"))


@pytest.mark.parametrize("query", ['"a OR b*', "NEAR(", "tran:* & !phu", "'", "*", "%_"])
def test_hostile_queries_list_nothing_and_keep_what_was_typed(client, site, query):
    page = html(client.get("/public/", query_string={"q": query}))
    assert listed(page) <= PUBLISHED | {REPORT}
    assert f'value="{escape(query)}"' in page
