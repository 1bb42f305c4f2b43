"""The jobs as the Office's page shows them, read from RQ's registries (the queue, started,
scheduled for a retry, finished, failed): what, in which state, how far, and what went wrong
in words."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from redis.exceptions import RedisError
from rq import Queue
from rq.job import Job, JobStatus

from web.jobs import UNFINISHED
from web.support.i18n import lang
from web.support.listing import Page

# Jobs listed a page; RQ forgets finished and failed jobs after a week.
SHOWN = 50

KIND_LABELS = {
    "mail": _l("Gửi thư điện tử"),
    "reminders": _l("Nhắc hạn kế hoạch, báo cáo"),
    "export": _l("Xuất bảng tổng hợp của đợt thi đua"),
    "pdf": _l("Tạo bản PDF của quyết định"),
    "certificates": _l("In giấy khen, bằng chứng nhận"),
}
# The jobs whose result is a file to download.
DOWNLOADABLE = frozenset({"export", "certificates"})
CERTIFICATE_MODES = {"full": _l("giấy trắng"), "preprinted": _l("phôi in sẵn")}

STATE_LABELS = {
    JobStatus.QUEUED: _l("Đang chờ"),
    JobStatus.STARTED: _l("Đang chạy"),
    JobStatus.SCHEDULED: _l("Chờ thử lại"),
    JobStatus.DEFERRED: _l("Đang chờ"),
    JobStatus.FINISHED: _l("Xong"),
    JobStatus.FAILED: _l("Lỗi"),
    JobStatus.STOPPED: _l("Đã dừng"),
    JobStatus.CANCELED: _l("Đã hủy"),
}


@dataclass(frozen=True)
class JobLine:
    id: str
    kind: str
    label: str
    status: str
    state_label: str
    done: int
    total: int
    enqueued_at: dt.datetime | None
    ended_at: dt.datetime | None
    error: str
    retries_left: int
    user_id: int | None = None

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED

    @property
    def downloadable(self) -> bool:
        return self.kind in DOWNLOADABLE and self.status == JobStatus.FINISHED


def error_in_words(exc_string: str) -> str:
    """The last line of a job's traceback, as a person can act on it."""
    lines = [line for line in (exc_string or "").splitlines() if line.strip()]
    last = lines[-1].strip() if lines else ""
    if not last:
        return ""
    if "LibreOffice" in last:
        return _("Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF.")
    if "JobTimeoutException" in last:
        return _("Việc chạy quá lâu nên đã bị dừng; vui lòng thử lại hoặc báo quản trị.")
    if last.startswith("LookupError"):
        return _("Dữ liệu của việc này không còn nữa (đã bị xóa).")
    if "OperationalError" in last or "ConnectionError" in last:
        return _("Không kết nối được cơ sở dữ liệu hoặc máy chủ thư; việc sẽ được thử lại.")
    return _("Việc gặp lỗi: %(error)s", error=last[:300])


def _label(kind: str, meta: dict) -> str:
    """What the job is: its kind, and for certificates, whose and in which mode."""
    label = str(KIND_LABELS.get(kind, kind))
    if kind == "certificates" and meta.get("decision_number"):
        mode = CERTIFICATE_MODES.get(str(meta.get("mode")), "")
        return _(
            "%(label)s: Quyết định số %(number)s (%(mode)s)",
            label=label,
            number=meta["decision_number"],
            mode=mode,
        )
    return label


def _error(job: Job, meta: dict) -> str:
    refusal = meta.get("refusal")
    if isinstance(refusal, dict):  # the workflow's own words, in the reader's language
        return " ".join(refusal.get(lang()) or refusal.get("vi") or [])
    text = str(meta.get("error") or "")
    if not text:
        result = job.latest_result()
        text = str(getattr(result, "exc_string", "") or "") if result else ""
    return error_in_words(text)


def _line(job: Job) -> JobLine:
    status = JobStatus(job.get_status(refresh=False) or JobStatus.QUEUED)
    meta = job.meta or {}
    kind = str(meta.get("kind") or job.description or "")
    error = ""
    if status in (JobStatus.FAILED, JobStatus.SCHEDULED, JobStatus.STOPPED):
        error = _error(job, meta)
    return JobLine(
        id=job.id,
        kind=kind,
        label=_label(kind, meta),
        status=status.value,
        state_label=str(STATE_LABELS.get(status, status)),
        done=int(meta.get("done") or 0),
        total=int(meta.get("total") or 0),
        enqueued_at=job.enqueued_at,
        ended_at=job.ended_at,
        error=error,
        retries_left=job.retries_left or 0,
        user_id=meta.get("user_id"),
    )


def job_line(job: Job) -> JobLine | None:
    """One job as its own page shows it; None when Redis stopped answering."""
    try:
        return _line(job)
    except RedisError:
        return None


def recent_jobs(
    queue: Queue,
    page: int = 1,
    *,
    kind: str | None = None,
    user_id: int | None = None,
) -> Page | None:
    """One page of ``SHOWN`` jobs of every state, newest first (only those of ``kind`` asked
    for by ``user_id``, when given); None when Redis is down."""
    try:
        ids = set(queue.get_job_ids())
        for registry in (
            queue.started_job_registry,
            queue.scheduled_job_registry,
            queue.deferred_job_registry,
            queue.finished_job_registry,
            queue.failed_job_registry,
        ):
            ids.update(registry.get_job_ids())
        jobs = [job for job in Job.fetch_many(sorted(ids), connection=queue.connection) if job]
    except RedisError:
        return None
    if kind is not None:
        jobs = [job for job in jobs if _of(job, kind, user_id)]
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    jobs.sort(key=lambda job: _aware(job.enqueued_at) or oldest, reverse=True)
    page = min(max(page, 1), max(1, math.ceil(len(jobs) / SHOWN)))
    shown = jobs[(page - 1) * SHOWN : page * SHOWN]
    return Page([_line(job) for job in shown], len(jobs), page, SHOWN)


def _of(job: Job, kind: str, user_id: int | None) -> bool:
    meta = job.meta or {}
    return (meta.get("kind") or job.description) == kind and meta.get("user_id") == user_id


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)
