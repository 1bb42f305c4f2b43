"""The word table the public search reads: the same pages as the plain query, in every sort and
past the cap, and its rows kept in step by every write (engine, ORM, renames, deletes, fills)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from models import Dossier, Nomination
from models.audit import mark_audited
from models.search import query_words
from models.search_terms import (
    OutcomeTerm,
    code_term,
    dossier_written,
    fill_search_terms,
    prune_search_terms,
)
from models.text import fold, person_sort_bytes, vi_sort_bytes
from tests.fixtures.people import make_dossier
from tests.workflow.publication.test_outcomes import publish
from workflow.dossiers import content as dossiers
from workflow.publication import outcome_terms, outcomes
from workflow.publication.outcomes import OutcomeFilter, outcome_ids

pytestmark = pytest.mark.db

NAMES = [
    "Nguyễn Thu Hà",
    "Nguyễn Văn Hải",
    "Nguyen Van Ha",
    "Trần Thị Hạnh",
    "Phạm Văn Long",
    "Hà Quang Nam",
    "Nguyễn Hà Trang",
    "Trần Trang",
]


@pytest.fixture()
def listed(session, world):
    """Published nominees in both units on distinct dates, a published report, and drafts
    having the same words (never listed)."""
    for i, name in enumerate(NAMES):
        publish(
            session,
            world,
            f"2026-06-{10 + i % 3:02d}",
            f"{10 + i:02d}/QĐ-SGDĐT",
            unit="ab"[i % 2],
            nominee_name=name,
            position="Giáo viên",
        )
    publish(session, world, "2026-06-20", "30/QĐ-SGDĐT", kind="report", unit="a")
    make_dossier(session, world, nominee_name="Nguyễn Thu Hà Nháp")
    return world


QUERIES = ["ha", "nguy", "nguyen ha", "tran", "tr", "giao", "h", "hoan", "zz", "van ha", "t n"]
SORTS = ["-date", "date", "name", "-name", "unit", "-unit"]


def pages(session, query: str, sort: str, per_page: int = 2) -> list[list[int]]:
    """Every page, read afresh (the cache per audit head would not see a write without one)."""
    found, page = [], 1
    while True:
        result = outcomes.search_page(session, OutcomeFilter(q=query), sort, page, per_page)
        found.append([o.id for o in result.items])
        if not result.has_next:
            return found
        page += 1


def plain(session, query: str, sort: str, per_page: int = 2) -> list[list[int]]:
    ids = session.scalars(outcome_ids(session, OutcomeFilter(q=query), sort)).all()
    chunks = [list(ids[i : i + per_page]) for i in range(0, len(ids), per_page)]
    return chunks or [[]]


@pytest.mark.parametrize("cap", [2, 1000])
@pytest.mark.parametrize("vocabulary", [1, 24])
def test_every_page_is_the_plain_query_s_page(session, listed, monkeypatch, cap, vocabulary):
    """Under the cap (sorted matches), past it (term by term, merged), and for a word starting
    too many terms (the plain query's walk): the same rows in the same order."""
    monkeypatch.setattr(outcomes, "COUNT_CAP", cap)
    monkeypatch.setattr(outcome_terms, "VOCABULARY_MAX", vocabulary)
    for query in QUERIES:
        for sort in SORTS:
            assert pages(session, query, sort) == plain(session, query, sort), (query, sort)


def test_the_plain_query_matches_word_starts_only(session, listed):
    """Every word starts a word of a nomination's key; a report's words are its unit's name
    and its classification."""
    keys = dict(session.execute(select(Nomination.id, Nomination.search_key)).all())
    listed_ids = set(session.scalars(outcome_ids(session, OutcomeFilter())))
    for query in QUERIES:
        words = query_words(fold(query))
        expected = {
            i
            for i, key in keys.items()
            if i in listed_ids and all(any(k.startswith(w) for k in key.split()) for w in words)
        }
        found = set(session.scalars(outcome_ids(session, OutcomeFilter(q=query))))
        assert found - {i for i in found if i not in keys} == expected, query
    report = {o.id for o in outcomes.load_outcomes(session, list(listed_ids)) if o.kind == "report"}
    assert report <= set(session.scalars(outcome_ids(session, OutcomeFilter(q="hoan"))))
    assert not report & set(session.scalars(outcome_ids(session, OutcomeFilter(q="nguy"))))


def terms(session, dossier_id: int) -> dict[bytes, tuple]:
    rows = session.execute(
        select(
            OutcomeTerm.term,
            OutcomeTerm.state,
            OutcomeTerm.decision_date,
            OutcomeTerm.name_sort,
            OutcomeTerm.unit_sort,
        ).where(OutcomeTerm.dossier_id == dossier_id)
    )
    return {row.term: tuple(row[1:]) for row in rows}


def test_the_word_table_follows_every_write(session, world):
    draft = make_dossier(session, world, nominee_name="Lò Văn Cũ")
    assert terms(session, draft.id) == {}  # the public may not see it: no terms
    dossiers.edit(session, draft.id, world.actor("staff_a"), {"nominee_name": "Lò Thị Mới"})
    session.flush()
    assert terms(session, draft.id) == {}

    published = publish(session, world, "2026-06-05", nominee_name="Trần Phú")
    rows = terms(session, published.id)
    assert {row[:3] for row in rows.values()} == {
        ("published", published.decision_date, person_sort_bytes("Trần Phú"))
    }
    report = publish(session, world, "2026-06-08", "08/QĐ-SGDĐT", kind="report", unit="b")
    assert code_term(report.classification) in terms(session, report.id)

    unit = world.units["b"]
    unit.name = "Trường Ánh Dương"
    session.flush()
    renamed = terms(session, report.id)
    assert b"anh" in renamed and b"duong" in renamed
    assert {row[2:] for row in renamed.values()} == {
        (person_sort_bytes("Trường Ánh Dương"), vi_sort_bytes("Trường Ánh Dương"))
    }

    before = {d: terms(session, d) for d in (draft.id, published.id, report.id)}
    session.execute(delete(OutcomeTerm))
    assert fill_search_terms(session.connection()) == sum(len(t) for t in before.values())
    assert {d: terms(session, d) for d in before} == before
    assert fill_search_terms(session.connection()) == 0  # nothing left missing
    # Every dossier's terms (the table before it kept the public's only), then pruned again.
    assert fill_search_terms(session.connection(), every_dossier=True) == len(
        terms_of_key(session, draft.id)
    )
    assert b"moi" in terms(session, draft.id)
    assert prune_search_terms(session.connection()) == len(terms_of_key(session, draft.id))
    assert {d: terms(session, d) for d in before} == before
    # States named by the caller (a migration's own copy) rather than the registered ones.
    public_nominations = {"nomination": ("published",)}
    assert prune_search_terms(session.connection(), public_nominations) == len(before[report.id])
    assert terms(session, report.id) == {} and terms(session, published.id) == before[published.id]
    assert fill_search_terms(session.connection()) == len(before[report.id])

    session.delete(session.get(Nomination, draft.id))
    session.flush()
    assert terms(session, draft.id) == {}
    assert session.get(Dossier, published.id) is not None


def terms_of_key(session, dossier_id: int) -> set[str]:
    return set(query_words(session.get(Nomination, dossier_id).search_key, limit=1000))


def test_a_dossier_moving_into_and_out_of_public_view(session, listed):
    """Transitions the public never sees write no terms; publishing writes them, leaving a
    public state (through the ORM or the engine's hook) deletes them; the pages stay the
    plain query's all along."""

    def same_pages() -> None:
        for query in ("nguy", "vu", "giao"):
            for sort in ("-date", "name"):
                assert pages(session, query, sort) == plain(session, query, sort), (query, sort)

    moved = make_dossier(session, listed, "nomination", "office_review", nominee_name="Vũ Mới")
    assert terms(session, moved.id) == {}
    dossier = publish(session, listed, nominee_name="Vũ Văn Duyệt", position="Giáo viên")
    assert b"vu" in terms(session, dossier.id)
    same_pages()
    assert dossier.id in {i for page in pages(session, "vu", "name") for i in page}

    published = dossier.state
    dossier.state = "approved"
    mark_audited(session, "dossier", dossier.id, dossier.state)  # no transition leaves it
    session.flush()
    assert terms(session, dossier.id) == {}
    same_pages()
    assert dossier.id not in {i for page in pages(session, "vu", "name") for i in page}

    dossier.state = published
    mark_audited(session, "dossier", dossier.id, dossier.state)
    session.flush()
    assert b"vu" in terms(session, dossier.id)
    # The engine's hook, called after its Core UPDATE, the object's state not yet committed.
    dossier.state = "approved"
    table = Dossier.__table__
    session.connection().execute(
        update(table).where(table.c.id == dossier.id).values(state=dossier.state)
    )
    dossier_written(session.connection(), dossier, ["state"])
    session.expire(dossier)  # the write is the hook's test only, not the flush's
    assert terms(session, dossier.id) == {}
