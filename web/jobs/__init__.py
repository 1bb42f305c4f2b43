"""Background work on a real queue (RQ on Redis) when ``VINHDANH_REDIS_URL`` is set, and in
the request, as before, when it is not: ``make run`` needs no Redis.

What runs here: sending the e-mail outbox, the reminders of due dates, the campaign's
consolidated workbook (a large export), the PDF copy of an issued decision (LibreOffice
takes seconds), and a whole decision's certificates (a page per awardee). The work itself
lives in ``workflow``; this module only decides where it runs.

When Redis cannot be reached at the moment of enqueueing, :func:`submit` runs the job inline
instead (logged): nothing is lost. Jobs already in Redis wait there and run when it answers
again. E-mail cannot go out twice either way: the outbox rows are claimed in the database
(``workflow/notifications/mailer.py``), whoever sends them, a job, a request or cron.

Failed jobs are retried by RQ with a growing delay (``RETRY``); the worker runs RQ's scheduler
for that. Each job keeps its kind, who asked, and its progress (rows done of total) in its
``meta``, which the Office's page ``/office/jobs`` reads from RQ's registries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from redis import Redis
from redis.client import Pipeline
from redis.exceptions import RedisError, WatchError
from rq import Callback, Queue, Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from workflow.core.errors import WorkflowError

log = logging.getLogger(__name__)

QUEUE_NAME = "vinhdanh"
# Three more tries, after 10 s, 1 min and 5 min: an SMTP or LibreOffice hiccup passes.
RETRY_INTERVALS = (10, 60, 300)
# Finished and failed jobs stay listed on the Office's page for a week.
KEEP_SECONDS = 7 * 24 * 3600
# A worker slower than this on one job is stopped, and the job retried.
JOB_TIMEOUT = 30 * 60
# How long to wait for Redis before running a job inline instead.
CONNECT_TIMEOUT = 2
# A job still to run, or running (a retry awaited is one too).
UNFINISHED = frozenset(
    {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
)


def redis_connection(app: Flask | None = None) -> Redis | None:
    """The app's Redis, or None when no ``REDIS_URL`` is configured."""
    app = app or current_app
    url = app.config.get("REDIS_URL") or ""
    if not url:
        return None
    connection = app.extensions.get("vinhdanh.redis")
    if connection is None:
        connection = Redis.from_url(
            url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=CONNECT_TIMEOUT * 5
        )
        app.extensions["vinhdanh.redis"] = connection
    return connection


def job_queue(app: Flask | None = None) -> Queue | None:
    connection = redis_connection(app)
    return Queue(QUEUE_NAME, connection=connection) if connection is not None else None


@dataclass(frozen=True)
class Submitted:
    """Where a job went: ``job_id`` when queued, else it ran (or was skipped) inline."""

    job_id: str | None
    result: Any = None
    # The same person's unfinished job for the same work, given back instead of a second.
    again: bool = False

    @property
    def queued(self) -> bool:
        return self.job_id is not None


def submit(
    kind: str,
    func: Callable[..., Any],
    *args: Any,
    user_id: int | None = None,
    inline: bool = True,
    app: Flask | None = None,
    meta: Mapping[str, Any] | None = None,
    target: str | None = None,
) -> Submitted:
    """Queue ``func(*args)`` (a module-level function of ``web.jobs.tasks``) as a job of
    ``kind``, or run it now when there is no queue or Redis does not answer. ``inline=False``
    skips work that is only worth doing ahead of time (it is done on demand anyway), or that
    the caller does in its own way. ``meta``: more for the pages that show the job.
    ``target``: what the work is about (a decision and mode, a campaign); while this person's
    job of this kind for it is unfinished, asking again gives that job back (``again``)."""
    app = app or current_app._get_current_object()
    queue = job_queue(app)
    if queue is not None:

        def enqueue(pipeline: Pipeline | None = None) -> Job:
            return queue.enqueue_call(
                func,
                args=args,
                timeout=JOB_TIMEOUT,
                result_ttl=KEEP_SECONDS,
                failure_ttl=KEEP_SECONDS,
                retry=Retry(max=len(RETRY_INTERVALS), interval=list(RETRY_INTERVALS)),
                meta={**(meta or {}), "kind": kind, "user_id": user_id, "done": 0, "total": 0},
                description=kind,
                on_failure=Callback(remember_error),
                pipeline=pipeline,
            )

        try:
            if target is None:
                return Submitted(enqueue().id)
            return _once(queue, f"{QUEUE_NAME}:once:{kind}:{user_id}:{target}", enqueue)
        except RedisError:
            log.warning("Redis unavailable: job %s runs inline", kind, exc_info=True)
    if not inline:
        return Submitted(None)
    return Submitted(None, func(*args))


def _once(queue: Queue, key: str, enqueue: Callable[[Pipeline], Job]) -> Submitted:
    """Queue a job unless ``key`` names one still unfinished. The key is watched and written
    in the same transaction as the new job, so two requests at once queue one job; a job that
    ended (or that RQ forgot) frees the key, which needs no release that a crash could skip."""
    with queue.connection.pipeline() as pipe:
        while True:
            try:
                pipe.watch(key)
                held = pipe.get(key)
                earlier = _job(queue, held.decode()) if held else None
                if earlier is not None and earlier.get_status() in UNFINISHED:
                    return Submitted(earlier.id, again=True)
                pipe.multi()
                job = enqueue(pipe)
                pipe.set(key, job.id, ex=KEEP_SECONDS)
                pipe.execute()
                return Submitted(job.id)
            except WatchError:  # another request queued it meanwhile: theirs is given back
                continue


def _job(queue: Queue, job_id: str) -> Job | None:
    try:
        return Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return None


def remember_error(
    job: Job, connection: Redis, exc_type: type, exc_value: BaseException, tb
) -> None:
    """RQ's failure callback: keep the error in the job's meta, where the Office's page reads
    it (RQ keeps no result of a failure that it will retry). A refusal of the workflow keeps
    its own words, in both languages."""
    job.meta["error"] = f"{exc_type.__name__}: {exc_value}"[:1000]
    if isinstance(exc_value, WorkflowError):
        job.meta["refusal"] = {locale: exc_value.messages(locale) for locale in ("vi", "en")}
    job.save_meta()


def report_progress(done: int, total: int) -> None:
    """Record a job's progress where the Office's page reads it; nothing when run inline."""
    job = get_current_job()
    if job is None:
        return
    job.meta.update(done=done, total=total)
    try:
        job.save_meta()
    except RedisError:  # the work goes on; only the progress bar lags
        log.warning("could not save the progress of job %s", job.id, exc_info=True)


def fetch(job_id: str, app: Flask | None = None) -> Job | None:
    connection = redis_connection(app)
    if connection is None:
        return None
    try:
        return Job.fetch(job_id, connection=connection)
    except Exception:  # rq raises NoSuchJobError or a Redis error: both mean "not here"
        return None
