"""``Server-Timing`` on every answer when ``SERVER_TIMING`` is set: the CPU the app's process
spent on the request until its answer was ready, for the load bench (which adds it up per kind
of request) and for a browser's developer tools.

Off by default: how long a page took to draw says something of what it holds (a search that
matched against one that did not). The figure is the process's CPU time (``process_time``), so
it is the request's own under gunicorn's sync workers, which serve one request at a time; it
leaves out what follows the answer (closing the request's session, writing the response).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request

HEADER = "Server-Timing"
_START = "vinhdanh.cpu_start"


def init_app(app: Flask) -> None:
    """Time every request when ``SERVER_TIMING`` is set; register before any other
    ``after_request`` hook, so that this one runs last and counts theirs."""
    if not app.config.get("SERVER_TIMING"):
        return
    inner = app.wsgi_app

    def started(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        # Before Flask opens the request (its session, the URL's rule): all of it is counted.
        environ[_START] = time.process_time()
        return inner(environ, start_response)

    app.wsgi_app = started  # type: ignore[method-assign]

    @app.after_request
    def _timing(response: Response) -> Response:
        start = request.environ.get(_START)
        if start is not None:
            spent = (time.process_time() - start) * 1000
            response.headers[HEADER] = f'app;desc="CPU";dur={spent:.2f}'
        return response


def cpu_ms(header: str | None) -> float | None:
    """The app's CPU in milliseconds from a ``Server-Timing`` header this module wrote."""
    for metric in (header or "").split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        if name == "app":
            for param in params:
                key, _, value = param.partition("=")
                if key == "dur":
                    try:
                        return float(value)
                    except ValueError:
                        return None
    return None
