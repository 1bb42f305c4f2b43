"""``vinhdanh worker``: RQ's worker and scheduler, kept working through a Redis outage.

RQ's worker retries a lost connection only while it waits for a job; the same error anywhere
else (a heartbeat, the bookkeeping around a job) ends ``Worker.work``, and RQ's scheduler
process ends at the first one and is started again only by the worker's maintenance, ten
minutes later at best. Here both wait for Redis (1 s, doubling up to 30 s) and go on.

Nothing is lost meanwhile: queued and scheduled jobs stay in Redis, and a job whose horse is
running when Redis goes away runs to its end (its missed heartbeats are only logged). A job
that RQ takes for abandoned all the same is retried, never dropped; what it sends cannot go
twice, as the e-mail outbox claims each message in the database.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from multiprocessing import get_context
from multiprocessing.process import BaseProcess
from typing import Any
from uuid import uuid4

import click
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Queue, Worker
from rq.executions import Execution
from rq.job import Job
from rq.scheduler import RQScheduler

# What a Redis that went away raises; any other error is a bug, not an outage.
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)
FIRST_WAIT, LONGEST_WAIT = 1.0, 30.0
# Waits are slept in naps this long, so that a stop signal is obeyed at once.
NAP = 0.2


class Stopped(Exception):
    """A stop signal came while waiting for Redis."""


class SteadyWorker(Worker):
    """RQ's forking worker that remembers a stop signal (the command ends, rather than starts
    a worker again) and keeps waiting for its running horse when a heartbeat cannot reach
    Redis, instead of leaving the job to be taken for abandoned."""

    max_connection_wait_time = LONGEST_WAIT
    stopping = False

    def request_stop(self, signum, frame) -> None:
        self.stopping = True
        super().request_stop(signum, frame)

    def maintain_heartbeats(self, job: Job, execution: Execution) -> None:
        try:
            super().maintain_heartbeats(job, execution)
        except REDIS_DOWN as error:
            self.log.warning("Worker %s: heartbeat of job %s missed: %s", self.name, job.id, error)


class SteadyScheduler(RQScheduler):
    """RQ's scheduler (it queues the retries that ``Retry`` delays) that remembers a stop,
    and stops when the worker that started it is gone (killed, it could not stop it)."""

    stopping = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worker_pid = os.getppid()

    def request_stop(self, signum=None, frame=None) -> None:
        self.stopping = True
        super().request_stop(signum, frame)

    def should_stop(self) -> bool:
        return self.stopping or os.getppid() != self.worker_pid

    def heartbeat(self) -> None:
        if self.should_stop():
            self.request_stop()
        super().heartbeat()


def wait_for_redis(connection: Redis, who: str, stopping: Callable[[], bool]) -> None:
    """Say once that Redis is away, then ping it with a growing wait until it answers.
    Raises :class:`Stopped` when ``stopping()`` turns true."""
    click.echo(
        f"Mất kết nối Redis: {who} chờ rồi thử lại (1 giây, gấp đôi dần, tối đa 30 giây). / "
        f"Redis is unreachable: the {who} waits and retries (1 s, doubling, up to 30 s).",
        err=True,
    )
    wait = FIRST_WAIT
    while True:
        _nap(wait, stopping)
        if _answers(connection):
            click.echo(
                f"Redis đã trả lời: {who} làm việc tiếp. / Redis answers: the {who} resumes.",
                err=True,
            )
            return
        wait = min(wait * 2, LONGEST_WAIT)


def _schedule(queue_name: str, connection: Redis, name: str) -> None:
    """The scheduler's process: RQ's scheduler loop, started again after each outage. The
    same name each time, so that it takes back its own lock at once."""
    scheduler = SteadyScheduler([queue_name], connection=connection, name=name)
    while not scheduler.should_stop():
        try:
            scheduler.work()
        except REDIS_DOWN:
            try:
                wait_for_redis(scheduler.connection, "scheduler", scheduler.should_stop)
            except Stopped:
                return


def start_scheduler(queue: Queue, name: str) -> BaseProcess:
    process = get_context("fork").Process(
        target=_schedule, args=(queue.name, queue.connection, name), name="Scheduler", daemon=True
    )
    process.start()
    return process


def work(queue: Queue, burst: bool = False) -> None:
    """Run the jobs of ``queue`` until a stop signal (or, with ``burst``, until none waits),
    through any Redis outage."""
    if burst:  # RQ queues the due retries once, then runs what waits, in this process
        _until_stopped(queue, lambda worker: worker.work(burst=True, with_scheduler=True), True)
        return
    name = f"vinhdanh-{uuid4().hex}"
    scheduler: BaseProcess | None = None

    def run(worker: SteadyWorker) -> None:
        nonlocal scheduler
        if scheduler is None or not scheduler.is_alive():
            scheduler = start_scheduler(queue, name)
        worker.work()

    try:
        _until_stopped(queue, run, False)
    finally:
        if scheduler is not None and scheduler.is_alive():
            scheduler.terminate()
            scheduler.join(10)


def _until_stopped(queue: Queue, run: Callable[[SteadyWorker], object], burst: bool) -> None:
    """Start a worker again (a new one: RQ refuses a second life under one name) each time
    one ends without being asked to, once Redis answers."""
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    while True:
        worker = SteadyWorker([queue], connection=queue.connection)
        try:
            run(worker)
            if burst or worker.stopping:
                return
        except REDIS_DOWN:
            if worker.stopping:
                return
        finally:
            _let_go(worker)
        # Ended by an error RQ has logged, most likely Redis going away meanwhile.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            if _answers(queue.connection):
                _nap(FIRST_WAIT, lambda: stopping)
            else:
                wait_for_redis(queue.connection, "worker", lambda: stopping)
        except Stopped:
            return


def _let_go(worker: SteadyWorker) -> None:
    """Stop the thread that listens for commands to a worker that ended: RQ leaves it running
    when Redis was away at the worker's end."""
    if worker.pubsub_thread is not None and worker.pubsub_thread.is_alive():
        worker.pubsub_thread.stop(timeout=0)  # it ends within a minute, unwaited


def _answers(connection: Redis) -> bool:
    try:
        return bool(connection.ping())
    except REDIS_DOWN:
        return False


def _nap(seconds: float, stopping: Callable[[], bool]) -> None:
    """Sleep, in short naps, so that a stop signal is obeyed at once."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if stopping():
            raise Stopped
        time.sleep(NAP)
