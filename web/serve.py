"""The production server: gunicorn running the app factory, one app per worker process.

Why these choices:

- **Sync workers, ``2 × CPUs + 1`` of them** (5 on the 2-core server): gunicorn's own rule of
  thumb, one worker busy on the CPU while others wait on PostgreSQL. Each request holds a
  worker from its first byte to its last, so the app is meant to sit behind a reverse proxy
  (nginx) that buffers slow clients; ``VINHDANH_WORKERS`` or ``--workers`` sets another count.
- **No preloading**: each worker builds its own app, so no database connection made in the
  master is shared by forked processes.
- **Timeout 60 s**: generous for a large export or a DOCX→PDF conversion run inline when no
  job queue is configured; a worker stuck longer is killed and replaced.
- **The worker's start-up heap frozen, young collections rarer**: the modules, the app and its
  definitions (~250,000 objects) never become garbage, yet each full collection walked them
  all (~150 ms every ~900 requests, 4 % of a worker's CPU with the young collections, measured
  on the load city); once frozen, and with a young generation of 10,000 objects rather than
  700, the collector takes 0.3 %. Cycles of a request are still collected.
- Requests over ``MAX_CONTENT_LENGTH`` are refused by the app from their Content-Length
  before the body is read (``web/support/uploads.py``); a sync worker closes the connection
  after each response, so the rest of such a body is never read either.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication

DEFAULT_TIMEOUT = 60
YOUNG_GENERATION = 10_000  # Python's default is 700 objects


def default_workers() -> int:
    """gunicorn's advice: two workers per CPU, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


@dataclass(frozen=True)
class ServeOptions:
    """How ``vinhdanh serve`` runs gunicorn."""

    bind: str = "127.0.0.1:8000"
    workers: int = 0  # 0: default_workers()
    timeout: int = DEFAULT_TIMEOUT
    access_log: str = "-"  # "-": standard output; "": no access log

    def gunicorn_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "bind": [self.bind],
            "workers": self.workers or default_workers(),
            "worker_class": "sync",
            "timeout": self.timeout,
            "graceful_timeout": 30,
            "preload_app": False,
            "proc_name": "vinhdanh",
            # gunicorn would otherwise believe X-Forwarded-Proto from 127.0.0.1; proxy headers
            # are trusted by ProxyFix alone, for VINHDANH_PROXY_HOPS proxies.
            "forwarded_allow_ips": "",
            # Its runtime control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl):
            # two servers on one machine would take it from each other. Stop with SIGTERM.
            "control_socket_disable": True,
            # %(h)s is read after the app ran, so behind trusted proxies it is the client's
            # address as ProxyFix found it; %(M)s is the time taken, in milliseconds.
            "access_log_format": '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms',
        }
        if self.access_log:
            settings["accesslog"] = self.access_log
        return settings


class VinhDanhServer(BaseApplication):
    """gunicorn configured from :class:`ServeOptions`; each worker calls ``app_factory``."""

    def __init__(self, app_factory: Callable[[], Any], options: ServeOptions) -> None:
        self.app_factory = app_factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.gunicorn_settings().items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        app = self.app_factory()
        settle_heap()
        return app


def settle_heap() -> None:
    """Leave what the worker built at start-up out of every later collection, and collect the
    young generation less often (see the module's docstring)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, middle, old)


def serve(options: ServeOptions) -> None:
    """Run until stopped (SIGTERM or Ctrl-C: workers finish their requests first)."""
    from web import create_app

    VinhDanhServer(create_app, options).run()
