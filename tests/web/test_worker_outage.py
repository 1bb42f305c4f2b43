"""``vinhdanh worker`` through Redis outages: the real command on a Redis of the test's own,
stopped and started again on the same port with its append-only file, so that the jobs
queued or scheduled before an outage are still there after it, as on a real server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue, Retry
from rq.job import JobStatus

from tests.fixtures.queue import private_redis  # noqa: F401  (a fixture)
from tests.fixtures.servers import ROOT
from web.jobs import QUEUE_NAME

pytestmark = pytest.mark.slow

# The retry waits longer than the first outage lasts: it comes due after Redis is back.
RETRY_AFTER = 6
OUTAGE = 3


def note(path: str, text: str, seconds: float = 0) -> None:
    """A job: wait ``seconds``, then add a line to ``path``."""
    time.sleep(seconds)
    with open(path, "a", encoding="utf-8") as file:
        file.write(text + "\n")


def fail_once(path: str) -> None:
    """A job that fails on its first run and succeeds on its retry."""
    first = not os.path.exists(path)
    note(path, "failed" if first else "ran")
    if first:
        raise RuntimeError("first run fails")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split() if path.exists() else []


def _until(condition, seconds: float, worker: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert worker.poll() is None, f"the worker died:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"timed out:\n{log.read_text()[-3000:]}"
        time.sleep(0.1)


@pytest.fixture()
def worker(private_redis, tmp_path):
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "VINHDANH_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}",
        "VINHDANH_UPLOAD_DIR": str(tmp_path / "uploads"),
        "VINHDANH_SECRET_KEY": "test",
        "VINHDANH_REDIS_URL": private_redis.url,
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "web.cli", "worker"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    yield process, log
    # RQ's worker may take a minute to stop (its listening thread naps that long); a killed
    # worker's scheduler stops by itself.
    process.kill()
    process.wait(10)


def test_the_worker_outlives_redis_outages_and_loses_no_job(private_redis, worker, tmp_path):
    process, log = worker
    queue = Queue(QUEUE_NAME, connection=Redis.from_url(private_redis.url))
    first, retried, slow, waiting = (tmp_path / name for name in ("a", "r", "s", "w"))

    def until(condition, seconds=15.0):
        _until(condition, seconds, process, log)

    queue.enqueue(note, str(first), "done")
    until(lambda: _lines(first) == ["done"])
    queue.enqueue(fail_once, str(retried), retry=Retry(max=1, interval=RETRY_AFTER))
    until(lambda: _lines(retried) == ["failed"])

    private_redis.stop()  # the worker is idle, the retry scheduled
    time.sleep(OUTAGE)
    assert process.poll() is None, log.read_text()[-3000:]
    private_redis.start()

    # One job running and one queued behind it when Redis goes away again.
    running = queue.enqueue(note, str(slow), "done", 4)
    queue.enqueue(note, str(waiting), "done")
    until(lambda: running.get_status() == JobStatus.STARTED)
    private_redis.stop()
    time.sleep(2)
    private_redis.start()

    until(lambda: _lines(waiting) == ["done"] and _lines(slow) == ["done"])
    until(lambda: _lines(retried) == ["failed", "ran"])
    text = log.read_text()
    assert "Redis is unreachable: the scheduler waits" in text
    assert "Redis answers: the scheduler resumes." in text

    queue.enqueue(note, str(first), "again")
    until(lambda: _lines(first) == ["done", "again"])
