"""Files only the server's own user may read: the SQLite database, evidence, keys, backups.

Created with their final mode (0600, directories 0700) rather than chmod-ed afterwards, so
there is no moment when another local user could open them. The umask can only narrow these.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path | str) -> Path:
    """``path`` as a directory, created 0700 (with any missing parents) when it is new."""
    path = Path(path)
    if not path.is_dir():
        if not path.parent.is_dir():
            private_dir(path.parent)
        path.mkdir(mode=DIR_MODE, exist_ok=True)
    return path


def create_private(path: Path | str) -> Path:
    """Create ``path`` empty with mode 0600 if it does not exist yet (its directory too)."""
    path = Path(path)
    private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    return path


def write_private(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file, mode 0600, then move it in place,
    so a reader never sees half a file."""
    path = Path(path)
    private_dir(path.parent)
    # A name of its own: two writers of the same file never share a temporary one.
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
