"""The app's checkpoint signer: the key file from the configuration, the log's name.

The name (the checkpoint's origin line and the key's name) is VINHDANH_CHECKPOINT_ORIGIN, else
the public address's host and path with "/audit" (``vinhdanh.example.vn/audit``), else
"vinhdanh/audit"; it must not change once checkpoints are published under it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app
from sqlalchemy.orm import Session

from workflow.core.checkpoints import Signed, Signer, load_key, sign_checkpoint


def origin(app: Flask) -> str:
    """The log's name in its checkpoints."""
    if app.config.get("CHECKPOINT_ORIGIN"):
        return app.config["CHECKPOINT_ORIGIN"]
    address = urlsplit(app.config.get("PUBLIC_URL") or "")
    if address.hostname:
        return f"{address.hostname}{address.path.rstrip('/')}/audit"
    return "vinhdanh/audit"


def signer(app: Flask | None = None, create: bool = False) -> Signer | None:
    """The signer, when the key file exists (or is made now, with ``create``)."""
    app = app or current_app
    key = load_key(app.config["CHECKPOINT_KEY_FILE"], create=create)
    return Signer(origin(app), key) if key is not None else None


def sign_if_keyed(session: Session) -> Signed | None:
    """Sign a checkpoint of the log as it is now, when the key exists; commits it. Called after
    a decision is issued, so each decision's publication is covered by a signed head at once.
    Never makes the key: only ``vinhdanh audit checkpoint`` does, on purpose."""
    found = signer()
    if found is None:
        return None
    signed = sign_checkpoint(session, found)
    session.commit()
    return signed
