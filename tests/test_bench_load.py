"""``bench/load.py`` runs end to end at a tiny scale, with both faults: one of two servers
killed and Redis stopped mid-run; nothing acknowledged is lost, every e-mail goes once."""

from __future__ import annotations

import re
import shutil

import pytest

from bench import load
from tests.fixtures.db import PG_URL

pytestmark = [
    pytest.mark.pg_only,
    pytest.mark.slow,
    pytest.mark.skipif(not PG_URL, reason="VINHDANH_TEST_DATABASE_URL is not set: no PostgreSQL"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server"),
]


def test_load_bench_survives_both_faults(capsys):
    argv = ["--pg", PG_URL, "--scale", "0.002", "--duration", "3", "--users", "5"]
    argv += ["--workers", "1", "--kill-one-at", "1", "--stop-redis-at", "1.5", "--redis-down", "1"]
    assert load.main(argv) == 0
    out = capsys.readouterr().out
    assert "killed with SIGKILL" in out and "Redis stopped" in out
    assert "lost: 0, recorded twice: 0" in out
    assert "never delivered: 0, delivered twice or unknown: 0" in out
    assert "memory after the run: server 1: master" in out
    assert "the server's CPU per request, the app's plus" in out and "signed in " in out
    assert "the machine: " in out and "Little's law: 5 users at" in out
    assert "the app's CPU (Server-Timing): " in out
    # The signed-in people's floor: every request of it answered "not found", as expected.
    shell = re.search(r"signed in: a page not found\s+(\d+)\s+(?:[\d.]+\s+){3}(\d+)\s", out)
    assert shell and int(shell.group(1)) > 0 and shell.group(2) == "0"
    assert "mix / a page not found signed in: " in out
