"""The home page's to-do list ("Việc cần làm") for the Office reviewer with N dossiers waiting.

    .venv/bin/python bench/home.py [--n 1000] [--repeat 7] [--pg URL]

N nominations are moved to "Văn phòng Sở thẩm định" (office_review) through the engine (not
timed). Timed, alternating, REPEAT times each (median and best printed):
* queues: ``workflow.dossiers.queues.my_queues`` for the reviewer in a new ORM session, as the page
  calls it (the queues, their counts, and the rules still blocking the rows shown);
* page: ``GET /`` through the Flask test client, signed in as the reviewer (with the template);
* floor: one SQL statement selecting the same dossiers' ids in the same order, no rules.
SQLite always runs on a fresh migrated file; PostgreSQL when ``--pg`` or
``VINHDANH_TEST_DATABASE_URL`` names a server (a fresh database is created and dropped).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # see transitions.py
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import select  # noqa: E402

from bench.common import NOW, PASSWORD, Progress, fresh_database, setup  # noqa: E402
from models import Dossier, make_sessionmaker  # noqa: E402
from workflow import fire  # noqa: E402
from workflow.dossiers.queues import my_queues  # noqa: E402
from workflow.lifecycles.common import OFFICE_REVIEW  # noqa: E402


def _to_office(engine, cast) -> None:
    factory = make_sessionmaker(engine)
    progress = Progress("move to office_review", len(cast.sets["home"]))
    for done, (dossier_id, unit_id) in enumerate(cast.sets["home"], 1):
        with factory() as session:
            fire(session, dossier_id, "submit", cast.staff[unit_id], now=NOW)
            fire(session, dossier_id, "unit_approve", cast.head[unit_id], now=NOW)
            session.commit()
        progress.step(done)


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def bench(backend: str, n: int, repeat: int, pg_url: str | None) -> None:
    print(f"\n== {backend} (N = {n} dossiers awaiting the Office) ==")
    with fresh_database(backend, pg_url) as url, tempfile.TemporaryDirectory() as uploads:
        engine, cast = setup(url, n, Path(uploads), ("home",))
        _to_office(engine, cast)
        from web import create_app
        from web.home.views import SHOWN_PER_QUEUE

        app = create_app(
            {
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "DATABASE_URL": url,
                "RATELIMIT_ENABLED": False,
            }
        )
        factory = make_sessionmaker(engine)
        floor_stmt = (
            select(Dossier.id)
            .where(Dossier.state == OFFICE_REVIEW.name)
            .order_by(Dossier.updated_at, Dossier.id)
        )

        def queues() -> None:
            with factory() as session:
                found = my_queues(session, cast.reviewer, now=NOW, evaluate=SHOWN_PER_QUEUE)
                assert sum(q.count for q in found) == n, [q.count for q in found]

        def floor() -> None:
            with engine.connect() as conn:
                assert len(conn.execute(floor_stmt).all()) == n

        client = app.test_client()
        signed_in = client.post("/auth/login", data={"username": "reviewer", "password": PASSWORD})
        assert signed_in.status_code == 302, signed_in.status_code

        def page() -> None:
            response = client.get("/")
            assert response.status_code == 200 and b"queue-office" in response.data, (
                response.status_code
            )

        results = {name: [] for name in ("queues", "page", "floor")}
        for _ in range(repeat):
            for name, fn in (("queues", queues), ("page", page), ("floor", floor)):
                results[name] += _timed(fn, 1)
        engine.dispose()
    base = statistics.median(results["floor"])
    for name, times in results.items():
        med = statistics.median(times)
        print(
            f"  {name:7} median {med * 1000:8.1f} ms  best {min(times) * 1000:8.1f} ms  "
            f"ratio to floor {med / base:7.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pg", default=os.environ.get("VINHDANH_TEST_DATABASE_URL"))
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args(argv)
    bench("sqlite", args.n, args.repeat, None)
    if args.pg and not args.sqlite_only:
        bench("postgresql", args.n, args.repeat, args.pg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
