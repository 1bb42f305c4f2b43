"""Two gunicorn servers on one PostgreSQL database, as behind a load balancer: a session made
on one is valid on the other, uploads and transitions fired through both at once lose and
duplicate nothing, the audit chain verifies, and when one server is killed mid-run the other
keeps serving with every acknowledged action in the database."""

from __future__ import annotations

import threading
import time
import urllib.error
from collections import Counter
from collections.abc import Callable
from http.client import HTTPException

import pytest
from sqlalchemy import func, select

from models import (
    Attachment,
    AuditEvent,
    Ballot,
    BallotCard,
    BallotVoter,
    Dossier,
    make_engine,
    make_sessionmaker,
)
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.browsing import Browser
from tests.fixtures.db import PG_URL
from tests.fixtures.people import (
    MEMBERS,
    PASSWORD,
    PDF,
    build_world,
    make_council_session,
    make_dossier,
)
from tests.fixtures.servers import Server, server_env
from workflow.core.audit import verify

pytestmark = [
    pytest.mark.pg_only,
    pytest.mark.slow,
    pytest.mark.skipif(not PG_URL, reason="VINHDANH_TEST_DATABASE_URL is not set: no PostgreSQL"),
]

DOSSIERS = 16
SECRET = "two-processes-one-secret"


def _together(count: int, work: Callable[[int], None]) -> None:
    barrier = threading.Barrier(count)
    errors: list[str] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            work(i)
        except Exception as error:  # reported below, with the thread's number
            errors.append(f"{i}: {error!r}")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not errors, errors


def _events(factory, action: str) -> Counter:
    with factory() as session:
        rows = session.execute(
            select(AuditEvent.entity_id).where(
                AuditEvent.entity_type == "dossier", AuditEvent.action == action
            )
        )
        return Counter(entity_id for (entity_id,) in rows)


@pytest.fixture()
def city(db_templates, tmp_path):
    """A fresh PostgreSQL database with the cast and DOSSIERS drafts, and two servers on it."""
    url = db_templates.copy("postgresql")
    instance = tmp_path / "instance"
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with factory() as session:
        world = build_world(session, instance / "uploads")
        ids = [
            make_dossier(session, world, campaign_id=world.ad_hoc.id, title=f"Hồ sơ {n}").id
            for n in range(DOSSIERS)
        ]
        session.commit()
    env = server_env(url, instance)
    servers = [Server(env, workers=2, log=tmp_path / f"server-{n}.log") for n in range(2)]
    try:
        for server in servers:
            server.wait_ready()
        yield factory, ids, servers, world
    finally:
        for server in servers:
            server.stop()
        engine.dispose()


def test_two_servers_share_sessions_uploads_and_one_audit_chain(city):
    factory, ids, (a, b), _world = city
    started = time.monotonic()
    with factory() as session:
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))

    staff = Browser(SECRET)
    assert staff.sign_in(a.url, "staff_a", PASSWORD).status == 302
    # The cookie made by server A is a session on server B.
    assert staff.get(f"{b.url}/dossiers/{ids[0]}").status == 200

    acknowledged: Counter = Counter()
    lock = threading.Lock()

    def acked(key: tuple[str, int], answer, browser: Browser) -> None:
        flash = browser.last_flash(answer)
        if answer.status == 302 and flash and flash[0] == "success":
            with lock:
                acknowledged[key] += 1

    def upload_then_submit(i: int) -> None:
        tab, dossier_id = staff.copy(), ids[i]
        first, second = (a, b) if i % 2 else (b, a)
        token, _ = tab.form_of(f"{first.url}/dossiers/{dossier_id}")
        answer = tab.post(
            f"{first.url}/dossiers/{dossier_id}/attachments",
            {"csrf_token": token},
            {"files": (f"bien-ban-{i}.pdf", PDF + f"{i}".encode() * 50)},
        )
        acked(("upload", dossier_id), answer, tab)
        token, version = tab.form_of(f"{second.url}/dossiers/{dossier_id}")
        answer = tab.post(
            f"{second.url}/dossiers/{dossier_id}/actions/submit",
            {"csrf_token": token, "version": version},
        )
        acked(("submit", dossier_id), answer, tab)

    _together(DOSSIERS, upload_then_submit)
    assert sum(acknowledged.values()) == 2 * DOSSIERS, acknowledged

    # Every upload is readable through either server, byte for byte.
    with factory() as session:
        uploads = session.execute(
            select(Attachment.id, Attachment.original_name).where(
                Attachment.original_name.like("bien-ban-%")
            )
        ).all()
    assert len(uploads) == DOSSIERS
    for attachment_id, name in uploads:
        n = name.removeprefix("bien-ban-").removesuffix(".pdf")
        for server in (a, b):
            got = staff.get(f"{server.url}/dossiers/attachments/{attachment_id}")
            assert got.status == 200 and got.body == PDF + n.encode() * 50

    # The head approves through both while server A is killed mid-run.
    head = Browser(SECRET)
    assert head.sign_in(b.url, "head_a", PASSWORD).status == 302
    killed = threading.Event()
    refused_after_kill: list[str] = []

    def approve(i: int) -> None:
        tab, dossier_id = head.copy(), ids[i]
        target = a if i % 2 else b
        for server in (target, b):  # a person whose server died tries again elsewhere
            try:
                token, version = tab.form_of(f"{server.url}/dossiers/{dossier_id}")
                answer = tab.post(
                    f"{server.url}/dossiers/{dossier_id}/actions/unit_approve",
                    {"csrf_token": token, "version": version},
                )
            except (urllib.error.URLError, ConnectionError, HTTPException, RuntimeError) as error:
                if server is b:
                    refused_after_kill.append(f"{dossier_id}: {error!r}")
                continue
            acked(("unit_approve", dossier_id), answer, tab)
            if answer.status == 302 or server is b:
                return

    def kill_a_midway() -> None:
        while sum(n for (kind, _), n in acknowledged.items() if kind == "unit_approve") < 4:
            time.sleep(0.01)
        a.kill()
        killed.set()

    killer = threading.Thread(target=kill_a_midway)
    killer.start()
    _together(DOSSIERS, approve)
    killer.join(timeout=60)
    assert killed.is_set() and a.process.poll() is not None
    assert not refused_after_kill, refused_after_kill
    # Server B keeps serving after the kill.
    assert head.get(f"{b.url}/dossiers/{ids[0]}").status == 200

    duration = time.monotonic() - started
    for action in ("upload", "submit", "unit_approve"):
        done = {d for (kind, d), n in acknowledged.items() if kind == action}
        assert all(n == 1 for (kind, _), n in acknowledged.items() if kind == action)
        if action == "upload":
            continue
        in_db = _events(factory, action)
        # Every acknowledged action is in the database, once; none is there twice.
        assert done <= set(in_db) and all(in_db[d] == 1 for d in in_db), (action, in_db)
    with factory() as session:
        states = Counter(session.scalars(select(Dossier.state).where(Dossier.id.in_(ids))))
        events_after = session.scalar(select(func.count()).select_from(AuditEvent))
        result = verify(session)
    assert sum(states.values()) == DOSSIERS and len(states) == 1, states  # all approved
    assert result.ok, (result.bad_seq, result.problem)
    assert result.count == events_after
    # One upload, one submission and one approval per dossier: no event lost, none twice.
    assert events_after - events_before == 3 * DOSSIERS
    kinds = Counter(kind for (kind, _), n in acknowledged.items())
    print(
        f"two servers × 2 workers on PostgreSQL: {sum(acknowledged.values())} acknowledged "
        f"actions ({kinds['upload']} uploads, {kinds['submit']} submits, "
        f"{kinds['unit_approve']} approvals; server A killed after 4 approvals), "
        f"{events_after - events_before} audit events, chain of {result.count} verified, "
        f"{duration:.1f} s"
    )


def test_council_members_vote_through_both_servers_at_once(city):
    """Five members vote on one ballot at the same instant, alternating servers: five cards
    stored and counted, each member once (a second try on the other server is refused), the
    chain whole."""
    factory, _ids, (a, b), world = city
    with factory() as session:
        council = make_council_session(session, world)
        dossier = make_dossier(
            session,
            world,
            "nomination",
            "council_review",
            council=council,
            nominee_name="Vũ Thị Hạnh",
        )
        keyed.ensure_key(session, council.id, world.actor("secretary"))
        session.commit()
        council_id, dossier_id = council.id, dossier.id
    secretary = Browser(SECRET)
    assert secretary.sign_in(a.url, "secretary", PASSWORD).status == 302
    token, _ = secretary.form_of(f"{a.url}/council/{council_id}/ballots")
    opened = secretary.post(
        f"{b.url}/council/{council_id}/ballots/{dossier_id}/open", {"csrf_token": token}
    )
    assert opened.status == 302

    voters = {name: Browser(SECRET) for name in MEMBERS}
    for n, (name, browser) in enumerate(voters.items()):
        assert browser.sign_in((a, b)[n % 2].url, name, PASSWORD).status == 302
    outcomes: dict[str, tuple[int, int]] = {}
    names = list(voters)

    def cast(i: int) -> None:
        browser, here, there = voters[names[i]], (a, b)[i % 2], (b, a)[i % 2]
        page = f"/council/{council_id}/vote/{dossier_id}"
        token, _ = browser.form_of(here.url + page)
        first = browser.post(here.url + page, {"csrf_token": token, "choice": "approve"})
        token, _ = browser.form_of(there.url + page)
        second = browser.post(there.url + page, {"csrf_token": token, "choice": "reject"})
        outcomes[names[i]] = (first.status, second.status)

    _together(len(names), cast)
    assert outcomes == dict.fromkeys(names, (302, 409)), outcomes
    with factory() as session:
        ballot = session.scalars(
            select(Ballot).where(Ballot.session_id == council_id, Ballot.dossier_id == dossier_id)
        ).one()
        cards = session.scalar(
            select(func.count()).select_from(BallotCard).where(BallotCard.list_id == ballot.list_id)
        )
        voted = session.scalar(
            select(func.count())
            .select_from(BallotVoter)
            .where(BallotVoter.ballot_id == ballot.id, BallotVoter.voted.is_(True))
        )
        keyed.close_ballot(session, council_id, dossier_id, world.actor("secretary"))
        session.commit()
        counted = (ballot.votes_for, ballot.votes_against, ballot.votes_abstain)
        result = verify(session)
    assert (cards, voted, counted) == (5, 5, (5, 0, 0))
    assert result.ok, (result.bad_seq, result.problem)
