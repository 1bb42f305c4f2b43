"""Values kept in the process, under a key that names their version (per database, or every
input of the value)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy.orm import Session


class Kept:
    """Values kept in the process under a key, at most ``size`` entries (least recently used
    first out). The key must change when the value would: a version read from the database (an
    audit head, a count), or every input of the value, so an old entry is never served, only
    aged out."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, key: Hashable, compute: Callable[[Session], Any]) -> Any:
        """``compute(session)`` kept per database and ``key``."""
        database = session.connection().engine.url.render_as_string(hide_password=True)
        return self.value((database, key), lambda: compute(session))

    def value(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()`` kept under ``key`` alone: a key that holds every input of the value."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value
