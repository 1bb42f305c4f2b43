"""The "Việc cần làm" home page: each person's queues are exactly what the engine lets them do."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import Dossier, Nomination
from tests.fixtures.people import PATHS, higher_award, make_council_session, make_dossier
from tests.fixtures.web import app_db
from workflow import available
from workflow.dossiers.queues import my_queues

SECTION = re.compile(r'<section class="queue" id="queue-([a-z_]+)">(.*?)</section>', re.S)

ROW = re.compile(r'<tr data-dossier="(\d+)"')

STAT = re.compile(r'data-queue="([a-z_]+)">\s*<span class="number">(\d+)</span>')


def every_state(app, world) -> dict[tuple[str, str, str], int]:
    """One dossier of each kind in each state, for units a and b: {(kind, state, unit): id}."""
    made = {}
    with app_db(app) as session:
        council = make_council_session(session, world)
        for unit in ("a", "b"):
            for kind, paths in PATHS.items():
                for state in paths:
                    dossier = make_dossier(
                        session,
                        world,
                        kind,
                        state,
                        unit=unit,
                        council=council,
                        title=f"{kind} {state} {unit}",
                    )
                    made[(kind, state, unit)] = dossier.id
                    if kind == "proposal" and state == "received":
                        # Its row is under the Office's review, on its own from now on.
                        row = session.scalars(
                            select(Nomination.id).where(Nomination.proposal_id == dossier.id)
                        ).one()
                        made[("row", "office_review", unit)] = row
    return made


def queues_on_page(html: str) -> dict[str, list[int]]:
    """{queue key: dossier ids} as the home page lists them."""
    return {key: [int(i) for i in ROW.findall(body)] for key, body in SECTION.findall(html)}


def engine_todo(app, actor) -> set[int]:
    """Brute force over every dossier: those where the engine offers the actor a forward action."""
    with app_db(app) as session:
        return {
            d.id
            for d in session.scalars(select(Dossier))
            if any(t.forward for t, _ in available(session, d, actor))
        }


def test_visitor_is_sent_to_sign_in(client, app_world):
    response = client.get("/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


EXPECTED = {
    # username: {queue: [(kind, state, unit), ...]}
    "staff_a": {
        "returned": [
            ("nomination", "returned", "a"),
            ("plan", "returned", "a"),
            ("report", "returned", "a"),
        ],
        "draft": [
            ("nomination", "draft", "a"),
            ("plan", "draft", "a"),
            ("report", "draft", "a"),
            ("proposal", "draft", "a"),
        ],
    },
    "head_b": {
        "returned": [
            ("nomination", "returned", "b"),
            ("plan", "returned", "b"),
            ("report", "returned", "b"),
        ],
        "draft": [
            ("nomination", "draft", "b"),
            ("plan", "draft", "b"),
            ("report", "draft", "b"),
            ("proposal", "draft", "b"),
        ],
        "unit_review": [
            ("nomination", "unit_review", "b"),
            ("plan", "unit_review", "b"),
            ("report", "unit_review", "b"),
            ("proposal", "unit_review", "b"),
        ],
    },
    "reviewer": {
        "office_review": [
            (k, "office_review", u) for u in "ab" for k in ("nomination", "plan", "report", "row")
        ],
        # Awards the city confers: the Office records the higher level's answer.
        "forwarded": [("nomination", "forwarded", u) for u in "ab"],
    },
    "secretary": {
        "council_review": [
            (k, "council_review", u) for u in "ab" for k in ("nomination", "report")
        ],
        "to_publish": [("nomination", "approved", u) for u in "ab"]
        + [("report", "classified", u) for u in "ab"],
    },
    "member1": {},
    "admin": {},
}


@pytest.mark.parametrize("username", list(EXPECTED))
def test_queues_list_exactly_what_the_engine_allows(app, app_world, client, auth, username):
    made = every_state(app, app_world)
    auth.login(username)
    html = client.get("/").get_data(as_text=True)
    shown = queues_on_page(html)
    expected = {queue: sorted(made[k] for k in keys) for queue, keys in EXPECTED[username].items()}
    assert {q: sorted(ids) for q, ids in shown.items()} == expected
    # The same set as asking the engine about every dossier in the database.
    assert {i for ids in shown.values() for i in ids} == engine_todo(app, app_world.actor(username))
    # Counts in the summary cards match the rows.
    assert {k: int(n) for k, n in STAT.findall(html)} == {
        q: len(ids) for q, ids in expected.items()
    }


def test_returned_reason_and_blocking_rules_are_shown(app, app_world, client, auth):
    with app_db(app) as session:
        make_dossier(session, app_world, "nomination", "returned", title="Hồ sơ bị trả")
        make_dossier(
            session,
            app_world,
            "nomination",
            "draft",
            evidence_files=0,
            title="Nháp thiếu minh chứng",
        )
    auth.login("staff_a")
    html = client.get("/").get_data(as_text=True)
    assert "Lý do trả lại:" in html and "Lý do kiểm thử" in html
    assert "Hồ sơ chưa có tệp minh chứng nào." in html
    assert "Gửi thủ trưởng duyệt" in html and "Gửi lại" in html


def test_empty_state_and_quick_links(app, app_world, client, auth):
    auth.login("admin")
    html = client.get("/").get_data(as_text=True)
    assert "Không có hồ sơ nào đang chờ bạn xử lý." in html
    assert 'href="/office/"' in html and 'href="/council/"' not in html
    auth.logout()
    auth.login("secretary")
    html = client.get("/").get_data(as_text=True)
    assert (
        'href="/council/"' in html
        and 'href="/council/new"' in html
        and 'href="/office/"' not in html
    )
    auth.logout()
    auth.login("member1")
    html = client.get("/").get_data(as_text=True)
    assert "Hồ sơ đang chờ Hội đồng xét: 0." in html and 'href="/council/new"' not in html


def test_english_labels(app, app_world, client, auth):
    with app_db(app) as session:
        make_dossier(session, app_world, "nomination", "unit_review")
    auth.login("head_a")
    page = client.get("/")
    client.post(
        "/lang/en",
        data={
            "csrf_token": re.search(
                r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)
            ).group(1)
        },
    )
    html = client.get("/").get_data(as_text=True)
    assert "Awaiting your approval" in html and "Chờ bạn duyệt" not in html


@pytest.mark.db
def test_my_queues_on_both_databases(session, world):
    """The service narrows by state and visibility, and agrees with ``available`` everywhere."""
    council = make_council_session(session, world)
    for unit in ("a", "b"):
        for kind, paths in PATHS.items():
            for state in paths:
                make_dossier(session, world, kind, state, unit=unit, council=council)
    # Approved, for an award conferred above the Department: forwarded, never published.
    make_dossier(
        session,
        world,
        "nomination",
        "approved",
        council=council,
        award_type_id=higher_award(session, world).id,
    )
    everything = session.scalars(select(Dossier)).all()
    for username in (
        "staff_a",
        "head_a",
        "staff_b",
        "head_b",
        "reviewer",
        "secretary",
        "member1",
        "admin",
    ):
        actor = world.actor(username)
        full = my_queues(session, actor)
        listed = {r.dossier.id for q in full for r in q.rows}
        brute = {
            d.id for d in everything if any(t.forward for t, _ in available(session, d, actor))
        }
        assert listed == brute, username
        # Rules checked for the first row of each queue only: the same rows, the same first rows.
        lazy = my_queues(session, actor, evaluate=1)
        assert [[r.dossier.id for r in q.rows] for q in lazy] == [
            [r.dossier.id for r in q.rows] for q in full
        ]
        for lazy_queue, full_queue in zip(lazy, full):
            assert lazy_queue.rows[0] == full_queue.rows[0], username
            assert all(r.blocking is None for r in lazy_queue.rows[1:]), username
    head = {q.key: len(q.rows) for q in my_queues(session, world.actor("head_a"))}
    # A list is one entry however many rows it has (its rows move with it).
    assert head == {"returned": 3, "draft": 4, "unit_review": 4}


def test_each_dossier_is_judged_once_when_a_page_shows_the_first_rows(app, app_world, monkeypatch):
    """``my_queues(evaluate=n)`` asks ``available`` once per dossier: with the rules while its
    queue has room, without them after; the rows and their verdicts are those of two passes."""
    from workflow.dossiers import queues

    every_state(app, app_world)
    asked: list[tuple[int, bool]] = []
    real = queues.available

    def counted(session, dossier, actor, now=None, *, rules=True):
        asked.append((dossier.id, rules))
        return real(session, dossier, actor, now, rules=rules)

    monkeypatch.setattr(queues, "available", counted)
    with app_db(app) as session:
        for username in ("staff_a", "head_a", "reviewer", "secretary"):
            actor = app_world.actor(username)
            asked.clear()
            lazy = queues.my_queues(session, actor, evaluate=1)
            ids = [i for i, _ in asked]
            assert len(ids) == len(set(ids)), username
            listed = {r.dossier.id for q in lazy for r in q.rows}
            evaluated = {i for i, rules in asked if rules}
            assert evaluated & listed == {q.rows[0].dossier.id for q in lazy}, username
            full = queues.my_queues(session, actor)
            for lazy_queue, full_queue in zip(lazy, full, strict=True):
                assert lazy_queue.rows[0] == full_queue.rows[0], username
                assert [r.dossier.id for r in lazy_queue.rows] == [
                    r.dossier.id for r in full_queue.rows
                ], username
                assert all(r.blocking is None for r in lazy_queue.rows[1:]), username
