"""The benchmark scripts still run against the current code (tiny N; nothing is timed here)."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest

from models import Campaign, make_engine, make_sessionmaker
from models.clock import clock_at, today
from tests.fixtures.db import PG_URL


@pytest.mark.parametrize(
    "script,argv,printed",
    [
        ("bench.transitions", ["--n", "6", "--sqlite-only"], "ratio to floor"),
        ("bench.home", ["--n", "4", "--repeat", "1", "--sqlite-only"], "ratio to floor"),
        ("bench.people", ["--n", "60", "--sqlite-only"], "ratio to floor"),
        ("bench.decision_docx", ["--n", "40", "--repeat", "1"], "ratio to floor"),
        ("bench.certificates", ["--n", "8", "--repeat", "1", "--sqlite-only"], "ratio to floor"),
        ("bench.lists", ["--n", "4", "--sqlite-only"], "ratio list / single"),
        ("bench.pages", ["--requests", "1", "--runs", "1", "--sqlite-only"], "static file"),
        ("bench.audit", ["--n", "300", "--verify-n", "50", "--sqlite-only"], "ratio verify"),
    ],
)
def test_bench_script_runs(script, argv, printed, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("VINHDANH_INSTANCE_DIR", str(tmp_path))
    assert importlib.import_module(script).main(argv) == 0
    out = capsys.readouterr().out
    assert printed in out


def test_the_casts_campaign_takes_nominations_whatever_the_year(tmp_path):
    """The benches submit into the cast's campaign: it is open on the clock's day, in 2027 too."""
    common = importlib.import_module("bench.common")
    try:
        with clock_at(dt.datetime(2027, 3, 1, 2, 0, tzinfo=dt.UTC)):
            common = importlib.reload(common)
            with common.fresh_database("sqlite") as url:
                engine = make_engine(url)
                with make_sessionmaker(engine)() as session:
                    cast = common.build_cast(session, tmp_path)
                    campaign = session.get(Campaign, cast.campaign_id)
                    assert campaign.year == 2027 and campaign.window_open(today())
                engine.dispose()
    finally:
        importlib.reload(common)  # the real clock's day again, for the benches run after


@pytest.mark.pg_only
@pytest.mark.skipif(not PG_URL, reason="VINHDANH_TEST_DATABASE_URL is not set: no PostgreSQL")
def test_the_pages_bench_times_the_load_city(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("VINHDANH_INSTANCE_DIR", str(tmp_path))
    argv = ["--city", "--pg", PG_URL, "--scale", "0.002", "--requests", "2", "--runs", "1"]
    assert importlib.import_module("bench.pages").main(argv) == 0
    out = capsys.readouterr().out
    for label in ("static file (floor)", "an outcome at random", "unit head: home"):
        assert label in out
    # Signed in, before a page's own work: the account and the header's unread count.
    assert re.search(r"signed in: the shell \(a 404\)\s+/\S+\s+[\d.]+\s+[\d.]+\s+2\s", out)
    parts = out.split("where the dearest signed-in pages spend it", 1)[1]
    for part in ("the to-do list", "drawing the page", "the rows' eligibility"):
        assert re.search(rf"{part}\s+(?!0\.00)\d+\.\d\d\n", parts), part  # timed, not 0
    # A visitor's outcome not kept yet: the audit head and the record, one statement each.
    assert re.search(r"an outcome at random\s+\(each a new one\)\s+[\d.]+\s+[\d.]+\s+2\s", out)
