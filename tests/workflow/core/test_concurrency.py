"""Concurrent transitions with real commits, on SQLite (BEGIN IMMEDIATE + busy_timeout) and
PostgreSQL (row locks on the dossier, practice, campaign, award type or rule and on the audit
head)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from models import AuditEvent, AwardType, Campaign, Dossier, Practice, make_sessionmaker
from tests.fixtures.people import NOW, build_world, make_dossier
from workflow import StaleVersion, TransitionRefused, fire
from workflow.awards import catalogue as awards
from workflow.campaigns import service as campaigns
from workflow.core.audit import current_head, verify
from workflow.practices import service as practices


@pytest.fixture()
def committed(fresh_engine, tmp_path):
    """A session factory on a database of the test's own, and the cast committed in it."""
    factory = make_sessionmaker(fresh_engine)
    with factory() as session:
        world = build_world(session, tmp_path / "uploads")
        session.commit()
    return factory, world


def _run_together(count: int, work: Callable[[int], str]) -> list[str]:
    """Run ``work(i)`` in ``count`` threads released at the same instant; their outcomes."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = [""] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = work(i)
        except Exception as error:
            outcomes[i] = f"error: {error!r}"

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return outcomes


def _fire_once(factory, dossier_id, trigger, actor, inputs=None, expected_version=None) -> str:
    with factory() as session:
        try:
            fire(
                session,
                dossier_id,
                trigger,
                actor,
                inputs=inputs,
                expected_version=expected_version,
                now=NOW,
            )
            session.commit()
            return "won"
        except StaleVersion:
            session.rollback()
            return "stale"
        except TransitionRefused as error:
            session.rollback()
            return error.code


@pytest.mark.db
@pytest.mark.parametrize("with_version", [True, False], ids=["expected-version", "no-version"])
def test_same_trigger_on_the_same_dossier_at_once(committed, with_version):
    factory, world = committed
    with factory() as session:
        ids = [make_dossier(session, world, state="unit_review").id for _ in range(3)]
        session.commit()
        versions = dict(
            session.execute(select(Dossier.id, Dossier.version).where(Dossier.id.in_(ids))).all()
        )
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))
    head = world.actor("head_a")
    loser = "stale" if with_version else "not_allowed_from_state"
    for dossier_id in ids:  # a few rounds, so the two really meet more than once
        version = versions[dossier_id] if with_version else None
        outcomes = _run_together(
            2,
            lambda i: _fire_once(
                factory, dossier_id, "unit_approve", head, expected_version=version
            ),
        )
        assert sorted(outcomes) == sorted(["won", loser]), outcomes
    with factory() as session:
        states = session.execute(
            select(Dossier.state, Dossier.version).where(Dossier.id.in_(ids))
        ).all()
        assert {(s, v - versions[i]) for (s, v), i in zip(states, ids)} == {("office_review", 1)}
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + len(
            ids
        )
        assert verify(session).ok


@pytest.mark.db
def test_different_triggers_on_the_same_dossier_at_once(committed):
    """The head approves and withdraws at once (a double click on two buttons): one wins."""
    factory, world = committed
    with factory() as session:
        dossier = make_dossier(session, world, state="unit_review")
        session.commit()
        version = dossier.version
    head = world.actor("head_a")
    work = [
        lambda: _fire_once(factory, dossier.id, "unit_approve", head, expected_version=version),
        lambda: _fire_once(factory, dossier.id, "withdraw", head, {"reason": "Rút hồ sơ"}, version),
    ]
    outcomes = _run_together(2, lambda i: work[i]())
    assert sorted(outcomes) == ["stale", "won"], outcomes
    with factory() as session:
        final = session.scalar(select(Dossier.state).where(Dossier.id == dossier.id))
        assert final == ("office_review" if outcomes[0] == "won" else "withdrawn")
        assert verify(session).ok


THREADS, ROUNDS = 8, 25


@pytest.mark.db
def test_many_writers_keep_a_gap_free_verifying_chain(committed):
    factory, world = committed
    with factory() as session:
        ids = [make_dossier(session, world, kind="plan").id for _ in range(THREADS)]
        session.commit()
        start_seq = current_head(session)[0]
    staff, head = world.actor("staff_a"), world.actor("head_a")

    def work(i: int) -> str:
        outcomes = Counter()
        for round_ in range(ROUNDS):
            if round_ % 2 == 0:
                outcomes[_fire_once(factory, ids[i], "submit", staff)] += 1
            else:
                outcomes[
                    _fire_once(factory, ids[i], "unit_return", head, {"reason": f"Lượt {round_}"})
                ] += 1
        return ",".join(f"{k}={v}" for k, v in sorted(outcomes.items()))

    outcomes = _run_together(THREADS, work)
    assert outcomes == [f"won={ROUNDS}"] * THREADS, outcomes
    with factory() as session:
        seqs = list(session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)))
        assert seqs == list(range(1, len(seqs) + 1))  # no gap
        assert len(seqs) == start_seq + THREADS * ROUNDS  # every success wrote one event, no more
        prevs = list(session.scalars(select(AuditEvent.prev_hash)))
        assert len(set(prevs)) == len(prevs)  # no fork
        assert current_head(session)[0] == seqs[-1]
        assert verify(session).ok
        per_dossier = Counter(
            session.scalars(select(AuditEvent.entity_id).where(AuditEvent.seq > start_seq))
        )
        assert per_dossier == Counter({i: ROUNDS for i in ids})


def _change_once(factory, change: Callable) -> str:
    """Run ``change(session)`` (an edit of a practice, campaign or award type, or a mark) in its
    own transaction; its outcome."""
    with factory() as session:
        try:
            change(session)
            session.commit()
            return "won"
        except StaleVersion:
            session.rollback()
            return "stale"


@pytest.mark.db
def test_two_edits_of_the_same_practice_at_once(committed):
    """Two people save the same practice from pages drawn at the same version: one wins."""
    factory, world = committed
    staff, head = world.actor("staff_a"), world.actor("head_a")
    with factory() as session:
        ids = [
            practices.register_practice(
                session,
                staff,
                world.units["a"].id,
                {"title": f"Mô hình số {i}", "summary": "Tóm tắt."},
                now=NOW,
            ).id
            for i in range(3)
        ]
        session.commit()
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))
    typed = ["Bản của cán bộ thi đua", "Bản của thủ trưởng"]
    for practice_id in ids:  # a few rounds, so the two really meet more than once
        outcomes = _run_together(
            2,
            lambda i: _change_once(
                factory,
                lambda s: practices.update_practice(
                    s,
                    practice_id,
                    (staff, head)[i],
                    {"title": typed[i]},
                    now=NOW,
                    expected_version=1,
                ),
            ),
        )
        assert sorted(outcomes) == ["stale", "won"], outcomes
        with factory() as session:
            row = session.execute(
                select(Practice.title, Practice.version).where(Practice.id == practice_id)
            ).one()
            assert tuple(row) == (typed[outcomes.index("won")], 2)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + len(
            ids
        )
        assert verify(session).ok


@pytest.mark.db
def test_an_edit_and_a_mark_of_the_same_practice_at_once(committed):
    """The unit edits while the Office marks the version it read: the mark never lands on
    content the reviewer did not see."""
    factory, world = committed
    staff, reviewer = world.actor("staff_a"), world.actor("reviewer")
    with factory() as session:
        practice_id = practices.register_practice(
            session,
            staff,
            world.units["a"].id,
            {"title": "Mô hình", "summary": "Tóm tắt."},
            now=NOW,
        ).id
        session.commit()
    work = [
        lambda s: practices.update_practice(
            s, practice_id, staff, {"summary": "Nội dung khác."}, now=NOW, expected_version=1
        ),
        lambda s: practices.mark_exemplary(s, practice_id, reviewer, now=NOW, expected_version=1),
    ]
    outcomes = _run_together(2, lambda i: _change_once(factory, work[i]))
    assert sorted(outcomes) == ["stale", "won"], outcomes
    with factory() as session:
        row = session.execute(
            select(Practice.summary, Practice.status, Practice.version).where(
                Practice.id == practice_id
            )
        ).one()
        expected = (
            ("Nội dung khác.", "registered") if outcomes[0] == "won" else ("Tóm tắt.", "exemplary")
        )
        assert tuple(row) == (*expected, 2)
        assert verify(session).ok


@pytest.mark.db
def test_two_saves_of_the_same_campaign_at_once(committed):
    """Two Office reviewers save the same campaign from forms drawn at version 1: one wins."""
    factory, world = committed
    campaign_id, code = world.campaign.id, world.campaign.code
    with factory() as session:
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))
    reviewers = (world.actor("reviewer"), world.actor("reviewer2"))
    typed = ["Bản của chị Hà", "Bản của anh Khoa"]
    values = {
        "code": code,
        "kind": "annual",
        "year": "2026",
        "all_units": "1",
        "active": "1",
        # The due dates as they are: moving one would need a reason.
        "plan_due": "2026-03-10",
        "report_due": "2026-12-10",
    }
    outcomes = _run_together(
        2,
        lambda i: _change_once(
            factory,
            lambda s: campaigns.save_campaign(
                s,
                reviewers[i],
                {**values, "name": typed[i]},
                campaign_id=campaign_id,
                award_ids=[world.awards["ldtt"].id],
                now=NOW,
                expected_version=1,
            ),
        ),
    )
    assert sorted(outcomes) == ["stale", "won"], outcomes
    with factory() as session:
        row = session.execute(
            select(Campaign.name, Campaign.version).where(Campaign.id == campaign_id)
        ).one()
        assert tuple(row) == (typed[outcomes.index("won")], 2)
        assert campaigns.admitted_award_ids(session, campaign_id) == [world.awards["ldtt"].id]
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + 1
        assert verify(session).ok


@pytest.mark.db
def test_two_edits_of_the_same_award_at_once(committed):
    """Two administrators save the same award type from forms drawn at version 1: one wins."""
    factory, world = committed
    admin, award_id = world.actor("admin"), world.awards["cstdcs"].id
    with factory() as session:
        values = awards.snapshot(session.get(AwardType, award_id))
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))
    thresholds = ["3/5", "7/10"]  # neither the current one: both are real changes
    outcomes = _run_together(
        2,
        lambda i: _change_once(
            factory,
            lambda s: awards.update_award(
                s,
                admin,
                award_id,
                {**values, "vote_threshold": thresholds[i]},
                now=NOW,
                expected_version=1,
            ),
        ),
    )
    assert sorted(outcomes) == ["stale", "won"], outcomes
    with factory() as session:
        row = session.execute(
            select(AwardType.vote_threshold, AwardType.version).where(AwardType.id == award_id)
        ).one()
        assert tuple(row) == (thresholds[outcomes.index("won")], 2)
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + 1
        assert verify(session).ok


@pytest.mark.db
def test_two_removals_of_the_same_rule_at_once(committed):
    """Two administrators remove the same award rule: one removes it, the other finds it gone;
    one audit event."""
    factory, world = committed
    admin, award_id = world.actor("admin"), world.awards["cstdcs"].id
    with factory() as session:
        rule_id = awards.add_rule(
            session,
            admin,
            award_id,
            {"kind": "hold", "hard": True, "source": "Nguồn kiểm thử"},
            now=NOW,
        ).id
        session.commit()
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))

    def remove(_: int) -> str:
        with factory() as session:
            try:
                awards.remove_rule(session, admin, rule_id, now=NOW)
                session.commit()
                return "won"
            except awards.CatalogueRefused as error:
                session.rollback()
                return error.code

    outcomes = _run_together(2, remove)
    assert sorted(outcomes) == ["catalogue_not_found", "won"], outcomes
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + 1
        assert verify(session).ok
