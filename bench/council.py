"""A list ballot of 30 members and N rows (default 1,000), every member voting every row:
casting one member's card, and closing and tallying the list; against plain counters in the
same run.

    .venv/bin/python bench/council.py [--n 1000] [--members 30] [--pg URL] [--sqlite-only]

* cast: each member's whole card through ``workflow.council.ballot.cast_list`` (the marks
  packed and Paillier-encrypted, the roll's flags flipped, one card stored), one commit each,
  as a member presses send. Reported: median and p95 over the members.
* floor (plain counters): the same flags flipped and, instead of a card, three counter updates
  of a scratch table ``bench_box`` (one per choice, over the rows given that choice): the
  previous design, which a copy of the database could read. Same statements, same commits.
* close: ``close_list`` with both passphrases (two scrypt derivations, the product of all cards,
  its decryption and randomness, every row's result fixed and audited), one commit. The part
  spent in the cryptography (unlocking the key and counting the cards) is timed within it.

Setup (the cast, 30 Council members, N drafts, the ballot key) is not timed. The list is put
in place as ``open_list`` leaves it (its ballots and rolls), without taking the N drafts to the
Council first: casting and closing do not look at a dossier's state. SQLite always runs on a
fresh migrated file; PostgreSQL when ``--pg`` or ``VINHDANH_TEST_DATABASE_URL`` names a server.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

# Run as a script, this folder is sys.path[0] and bench/transitions.py would shadow the
# ``transitions`` library the engine imports: put the project root there instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import Engine, bindparam, text, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.common import (  # noqa: E402
    NOW,
    PASSWORD,
    Cast,
    Progress,
    backend_parser,
    build_cast,
    create_nominations,
    fresh_database,
    on_backends,
)
from models import CouncilAttendance, CouncilSession, make_engine, make_sessionmaker  # noqa: E402
from models.council import (  # noqa: E402
    CHOICES,
    POSITION_CHAIR,
    Ballot,
    BallotList,
    BallotVoter,
    CouncilMembership,
)
from workflow import Actor  # noqa: E402
from workflow.accounts.service import create_user  # noqa: E402
from workflow.core import paillier  # noqa: E402
from workflow.council import ballot as ballots  # noqa: E402
from workflow.council import secrecy  # noqa: E402

TARGET_CAST_P95_S = 0.200
TARGET_CLOSE_S = 2.0
CHAIR_PASSPHRASE = "bench chair passphrase"
SECRETARY_PASSPHRASE = "bench secretary passphrase"


def _members(session: Session, cast: Cast, count: int) -> list[Actor]:
    """The cast's Council members plus more, to ``count``, all present; the first is chair."""
    council = session.get(CouncilSession, cast.council_id)
    present = [a.user_id for a in council.attendance]
    for i in range(len(present), count):
        user = create_user(
            session, f"member{i}", "Ngô Quang Nam", PASSWORD, [("council_member", None)]
        )
        session.flush()
        council.attendance.append(CouncilAttendance(user_id=user.id, present=True))
        present.append(user.id)
    session.add(
        CouncilMembership(
            user_id=present[0],
            position=POSITION_CHAIR,
            starts_on=NOW.date() - dt.timedelta(days=365),
        )
    )
    session.flush()
    return [Actor.from_user(a.user) for a in council.attendance]


def _put_list(session: Session, cast: Cast, dossier_ids: list[int], voters: list[int]) -> int:
    """The list as ``open_list`` leaves it: its ballots, their rolls."""
    council = session.get(CouncilSession, cast.council_id)
    ballot_list = BallotList(
        session_id=council.id,
        status="open",
        rows=len(dossier_ids),
        slot_bits=paillier.slot_bits(council.present_count),
        opened_by=cast.secretary.user_id,
        opened_at=NOW,
    )
    session.add(ballot_list)
    session.flush()
    made = [
        Ballot(
            session_id=council.id,
            dossier_id=d,
            list_id=ballot_list.id,
            row=row,
            status="open",
            eligible=len(voters),
            opened_by=cast.secretary.user_id,
            opened_at=NOW,
            written_for=0,
            written_against=0,
        )
        for row, d in enumerate(dossier_ids)
    ]
    session.add_all(made)
    session.flush()
    session.execute(
        BallotVoter.__table__.insert(),
        [{"ballot_id": b.id, "user_id": u, "voted": False} for b in made for u in voters],
    )
    # As open_list does: the key's table of powers built before the first card.
    paillier.prepare(secrecy.public_key(secrecy.key_of(session, council.id)))
    return ballot_list.id


def _floor_cast(session: Session, ballot_ids: list[int], user_id: int, marks: list[str]) -> None:
    """The previous design's vote: flags and plaintext counters, no encryption."""
    session.execute(
        update(BallotVoter)
        .where(
            BallotVoter.ballot_id.in_(ballot_ids),
            BallotVoter.user_id == user_id,
            BallotVoter.voted.is_(False),
        )
        .values(voted=True)
        .execution_options(synchronize_session=False)
    )
    for choice in CHOICES:
        rows = [b for b, m in zip(ballot_ids, marks, strict=True) if m == choice]
        if rows:
            session.execute(
                text(
                    f"UPDATE bench_box SET {choice} = {choice} + 1 WHERE ballot_id IN :ids"
                ).bindparams(bindparam("ids", expanding=True)),
                {"ids": rows},
            )


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench(backend: str, n: int, members: int, pg_url: str | None) -> dict[str, float]:
    print(f"\n== {backend} ({members} members, {n} rows) ==")
    rng = random.Random(2026)
    with fresh_database(backend, pg_url) as url, tempfile.TemporaryDirectory() as uploads:
        engine: Engine = make_engine(url)
        factory = make_sessionmaker(engine)
        try:
            with factory() as session:
                cast = build_cast(session, Path(uploads))
                session.commit()
            create_nominations(engine, cast, "list", n, Path(uploads))
            create_nominations(engine, cast, "floor", n, Path(uploads))
            with factory() as session:
                actors = _members(session, cast, members)
                ballots.create_key(
                    session, cast.council_id, cast.secretary, CHAIR_PASSPHRASE, SECRETARY_PASSPHRASE
                )
                voters = [a.user_id for a in actors]
                list_id = _put_list(session, cast, [d for d, _ in cast.sets["list"]], voters)
                floor_id = _put_list(session, cast, [d for d, _ in cast.sets["floor"]], voters)
                session.execute(
                    text(
                        "CREATE TABLE bench_box (ballot_id INTEGER PRIMARY KEY, approve INTEGER, "
                        "reject INTEGER, abstain INTEGER)"
                    )
                )
                floor_ballots = [b.id for b in session.get(BallotList, floor_id).ballots]
                session.execute(
                    text("INSERT INTO bench_box VALUES (:b, 0, 0, 0)"),
                    [{"b": b} for b in floor_ballots],
                )
                session.commit()
            cards = {a.user_id: [rng.choice(CHOICES) for _ in range(n)] for a in actors}
            list_rows = [d for d, _ in cast.sets["list"]]
            cast_s, floor_s = [], []
            progress = Progress("members voting", len(actors))
            for done, actor in enumerate(actors, 1):
                marks = cards[actor.user_id]
                with factory() as session:
                    start = time.perf_counter()
                    _floor_cast(session, floor_ballots, actor.user_id, marks)
                    session.commit()
                    floor_s.append(time.perf_counter() - start)
                with factory() as session:
                    start = time.perf_counter()
                    ballots.cast_list(
                        session,
                        cast.council_id,
                        list_id,
                        actor,
                        dict(zip(list_rows, marks, strict=True)),
                    )
                    session.commit()
                    cast_s.append(time.perf_counter() - start)
                progress.step(done)
            crypto_s = 0.0
            unlock, count = secrecy.unlock, secrecy.count

            def timed(fn):
                def run(*args, **kwargs):
                    nonlocal crypto_s
                    start = time.perf_counter()
                    try:
                        return fn(*args, **kwargs)
                    finally:
                        crypto_s += time.perf_counter() - start

                return run

            with (
                factory() as session,
                mock.patch.object(secrecy, "unlock", timed(unlock)),
                mock.patch.object(secrecy, "count", timed(count)),
            ):
                start = time.perf_counter()
                closed = ballots.close_list(
                    session,
                    cast.council_id,
                    list_id,
                    cast.secretary,
                    passphrases=(CHAIR_PASSPHRASE, SECRETARY_PASSPHRASE),
                )
                session.commit()
                close_s = time.perf_counter() - start
                expected = [sum(cards[u][row] == "approve" for u in cards) for row in range(n)]
                assert [b.votes_for for b in closed.ballots] == expected, "wrong totals"
                data = secrecy.published(session, closed, secrecy.key_of(session, cast.council_id))
            start = time.perf_counter()
            assert secrecy.verify_published(data)
            verify_s = time.perf_counter() - start
        finally:
            engine.dispose()
    shape = secrecy.layout(paillier.PublicKey((1 << 2047) + 1), n, paillier.slot_bits(members))
    result = {
        "cast_median_s": statistics.median(cast_s),
        "cast_p95_s": _p95(cast_s),
        "floor_median_s": statistics.median(floor_s),
        "floor_p95_s": _p95(floor_s),
        "close_s": close_s,
        "crypto_close_s": crypto_s,
        "verify_s": verify_s,
        "ciphertexts": shape.plaintexts,
    }
    print(
        f"  card: {n} rows × 2 counters of {paillier.slot_bits(members)} bits = "
        f"{shape.plaintexts} ciphertexts of 4,096 bits"
    )
    print(
        f"  cast one member's list: median {result['cast_median_s'] * 1000:.0f} ms, "
        f"p95 {result['cast_p95_s'] * 1000:.0f} ms"
    )
    print(
        f"  plain counters (floor): median {result['floor_median_s'] * 1000:.0f} ms, "
        f"p95 {result['floor_p95_s'] * 1000:.0f} ms"
    )
    ratio = result["cast_median_s"] / result["floor_median_s"]
    print(f"  cost of secrecy when casting: × {ratio:.1f} (median against median)")
    print(
        f"  close and tally: {close_s:.2f} s, of which unlock + count {crypto_s:.2f} s "
        f"(× {close_s / max(close_s - crypto_s, 1e-9):.2f} against the same close without them)"
    )
    print(f"  anyone's check of the published proof: {verify_s:.2f} s")
    print(f"  load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="rows of the list (default 1000)")
    parser.add_argument("--members", type=int, default=30, help="Council members (default 30)")
    args = parser.parse_args(argv)
    results = on_backends(args, lambda backend, url: bench(backend, args.n, args.members, url))
    sqlite = results["sqlite"]
    for what, spent, target in (
        ("casting one member's list, p95", sqlite["cast_p95_s"], TARGET_CAST_P95_S),
        ("closing and tallying the list", sqlite["close_s"], TARGET_CLOSE_S),
    ):
        verdict = "met" if spent <= target else "NOT met"
        print(f"Target on SQLite, {what} ≤ {target:g} s: {spent:.3f} s, {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
