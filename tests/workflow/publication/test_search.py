"""The public search: word starts, folding, every word, the capped count, and queries that must
never raise (the word table's own tests: test_outcome_terms.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models import Nomination
from models.search import query_words
from models.text import fold
from tests.fixtures.people import NOW, make_dossier
from tests.workflow.publication.test_outcomes import publish
from workflow import fire
from workflow.publication import outcomes
from workflow.publication.outcomes import OutcomeFilter, facets, search

pytestmark = pytest.mark.db


def found(session, query: str, sort: str = "-date") -> set[str]:
    return {o.name for o in search(session, OutcomeFilter(q=query), sort, 1, 100).items}


@pytest.fixture()
def people(session, world):
    """Published nominees whose names share letters but not word starts."""
    for name in ("Nguyễn Thu Hà", "Phạm Văn Long", "Nguyen Van Ha", "Thạch Hương", "Hà Quang Nam"):
        publish(session, world, nominee_name=name, position="Giáo viên")
    return world


@pytest.mark.parametrize(
    "query,expected",
    [
        # "ha" is inside "Phạm" and "Thạch" but starts none of their words.
        ("Hà", {"Nguyễn Thu Hà", "Nguyen Van Ha", "Hà Quang Nam"}),
        ("ha", {"Nguyễn Thu Hà", "Nguyen Van Ha", "Hà Quang Nam"}),
        ("nguy", {"Nguyễn Thu Hà", "Nguyen Van Ha"}),  # a prefix
        ("Nguyễn", {"Nguyễn Thu Hà", "Nguyen Van Ha"}),  # typed with marks, stored without
        ("nguyen", {"Nguyễn Thu Hà", "Nguyen Van Ha"}),  # typed without, stored with
        ("ham", set()),
        ("ach", set()),
        ("nguyen ha", {"Nguyễn Thu Hà", "Nguyen Van Ha"}),  # every word must match
        ("nguyen long", set()),
        ("ha nam", {"Hà Quang Nam"}),
        ("huong thach", {"Thạch Hương"}),  # in any order
        ("HƯƠNG", {"Thạch Hương"}),
    ],
)
def test_words_match_at_their_start_folded_and_all_of_them(session, people, query, expected):
    assert found(session, query) == expected
    assert found(session, query, "name") == expected


def test_unpublished_nominations_are_never_listed(session, world):
    make_dossier(session, world, nominee_name="Vũ Thị Chưa Công Bố")
    approved = make_dossier(session, world, "nomination", "approved", nominee_name="Vũ Văn Duyệt")
    assert found(session, "vu") == set()
    fire(
        session,
        approved.id,
        "publish",
        world.actor("secretary"),
        now=NOW,
        inputs={
            "decision_number": "09/QĐ-SGDĐT",
            "decision_date": "2026-06-09",
            "decision_signer": "Nguyễn Văn Giám",
        },
    )
    assert found(session, "vu") == {"Vũ Văn Duyệt"}


def test_the_count_stops_at_the_cap_and_the_next_page_is_still_found(session, people, monkeypatch):
    monkeypatch.setattr(outcomes, "COUNT_CAP", 2)
    first = search(session, OutcomeFilter(), "-date", 1, 2)
    assert (first.total, first.capped, first.has_next, len(first.items)) == (2, True, True, 2)
    last = search(session, OutcomeFilter(), "-date", 3, 2)
    assert (last.capped, last.has_next, len(last.items)) == (True, False, 1)
    every = [o.id for p in (1, 2, 3) for o in search(session, OutcomeFilter(), "-date", p, 2).items]
    assert len(every) == len(set(every)) == 5
    exact = search(session, OutcomeFilter(q="nguyen"), "-date", 1, 2)
    assert (exact.total, exact.capped, exact.has_next) == (2, False, False)


def test_facets_are_kept_per_audit_head(session, people, world):
    before = facets(session)
    assert facets(session) is before  # the same head: the same object, no query
    assert world.units["b"].id not in {uid for uid, _ in before.units}
    publish(session, world, unit="b", nominee_name="Mạc Thị Mới")  # an audit event: a new head
    after = facets(session)
    assert after is not before and world.units["b"].id in {uid for uid, _ in after.units}


HOSTILE = [
    '"a OR b*',
    "NEAR(",
    "NEAR(a b, 2)",
    "a:*",
    "nguyen & !ha | (x)",
    "'",
    "''",
    '"',
    "*",
    "^ha",
    "-ha",
    "ha AND",
    "OR NOT",
    "\\",
    "%_",
    "\x00",
    "a" * 300,
    "½ ² ³ ⅓",
    "ǅ ß ﬁ",
    "\u0301\u0303",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_query_syntax_is_never_passed_on(session, people, query):
    page = search(session, OutcomeFilter(q=query), "name", 1, 25)
    assert page.total == len(page.items) <= 5


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.text(max_size=40))
@example(query='"a OR b*')
@example(query="NEAR(")
def test_any_text_searches_without_error(session, people, query):
    for sort in ("-date", "name"):
        page = search(session, OutcomeFilter(q=query), sort, 1, 25)
        assert len(page.items) <= 5
    # Whatever it matched, every word of it starts a word of each name found.
    words = query_words(fold(query))
    if words and page.items:
        keys = session.scalars(
            select(Nomination.search_key).where(Nomination.id.in_([o.id for o in page.items]))
        )
        for key in keys:
            key_words = query_words(key, limit=1000)
            assert all(any(k.startswith(w) for k in key_words) for w in words)
