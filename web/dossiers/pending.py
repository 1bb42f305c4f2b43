"""Evidence chosen on a create form that could not be saved yet (another field was wrong).

The files wait in the instance folder under a random token. The token travels in the
form, and only tokens recorded in this browser's session are honoured, so nobody can
pick up another person's files. Leftovers older than a day are swept away.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app, session

from models.private_files import private_dir, write_private
from web.dossiers.common import Upload
from workflow.dossiers.evidence import OTHER

SESSION_KEY = "pending_uploads"
MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class PendingFile:
    """A checked file waiting for its dossier, and the document its slot takes."""

    id: str
    name: str
    size: int
    purpose: str = OTHER


def _root() -> Path:
    configured = current_app.config.get("PENDING_UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "pending_uploads"


def owned(token: str | None) -> str | None:
    """``token`` when it is well formed and belongs to this browser session, else None."""
    if token and _TOKEN.match(token) and token in session.get(SESSION_KEY, []):
        return token
    return None


def _index(token: str) -> list[PendingFile]:
    path = _root() / token / "index.json"
    if not path.exists():
        return []
    return [PendingFile(**item) for item in json.loads(path.read_text("utf-8"))]


def _write_index(token: str, files: list[PendingFile]) -> None:
    path = _root() / token / "index.json"
    write_private(path, json.dumps([asdict(f) for f in files], ensure_ascii=False).encode())


def listing(token: str | None) -> list[PendingFile]:
    """The files waiting under ``token`` (none for a foreign or unknown token)."""
    token = owned(token)
    return _index(token) if token else []


def stash(token: str | None, files: Iterable[Upload]) -> str | None:
    """Keep ``files`` under ``token`` (a new one if needed); returns the token."""
    files = list(files)
    token = owned(token)
    if not files:
        return token
    if token is None:
        _sweep()
        token = secrets.token_urlsafe(24)
        private_dir(_root() / token)
        session[SESSION_KEY] = [*session.get(SESSION_KEY, [])[-9:], token]
    index = _index(token)
    for name, data, purpose in files:
        ident = uuid.uuid4().hex
        write_private(_root() / token / ident, data)
        index.append(PendingFile(ident, name, len(data), purpose))
    _write_index(token, index)
    return token


def keep_only(token: str | None, kept_ids: Iterable[str]) -> None:
    """Drop the waiting files the person unticked."""
    token = owned(token)
    if token is None:
        return
    kept = set(kept_ids)
    index = _index(token)
    for item in index:
        if item.id not in kept:
            (_root() / token / item.id).unlink(missing_ok=True)
    _write_index(token, [item for item in index if item.id in kept])


def read(token: str | None) -> list[Upload]:
    """Every file waiting under ``token``."""
    token = owned(token)
    if token is None:
        return []
    return [
        Upload(item.name, (_root() / token / item.id).read_bytes(), item.purpose)
        for item in _index(token)
    ]


def discard(token: str | None) -> None:
    """Forget ``token`` and its files (after the dossier was saved)."""
    token = owned(token)
    if token is None:
        return
    shutil.rmtree(_root() / token, ignore_errors=True)
    session[SESSION_KEY] = [t for t in session.get(SESSION_KEY, []) if t != token]


def _sweep() -> None:
    root = _root()
    if not root.exists():
        return
    limit = time.time() - MAX_AGE_SECONDS
    for child in root.iterdir():
        if child.is_dir() and child.stat().st_mtime < limit:
            shutil.rmtree(child, ignore_errors=True)
