"""Values kept in the process, per database and key, for data whose key names its version."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy.orm import Session


class Kept:
    """``compute(session)`` kept per database and ``key``, at most ``size`` entries (least
    recently used first out). The key must change when the value would: a version read from
    the database (an audit head, a count), so an old entry is never served, only aged out."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, key: Hashable, compute: Callable[[Session], Any]) -> Any:
        full = (session.connection().engine.url.render_as_string(hide_password=True), key)
        with self._lock:
            if full in self._values:
                self._values.move_to_end(full)
                return self._values[full]
        value = compute(session)
        with self._lock:
            self._values[full] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value
