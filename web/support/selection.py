"""Rows ticked on a list page (the Office queue, a list's rows) and what was typed with them."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from models.text import whole_number
from workflow.dossiers import bulk

# What a row's reason may hold; a longer one is cut (the audit log keeps a sentence, not a file).
MAX_REASON = 2000


def ticked_ids(form: MultiDict[str, str]) -> list[int]:
    """The ticked rows' ids, in page order, each once; what is not an id is dropped."""
    ids = (whole_number(v) for v in form.getlist("ids"))
    return list(dict.fromkeys(i for i in ids if i))[: bulk.MAX_ROWS]


def bulk_request(
    form: MultiDict[str, str], action: str, ids: list[int], **extra: Any
) -> bulk.BulkRequest:
    """The request for ``ids``: the versions each row was drawn with, the shared reason and
    the reasons typed on single rows; ``extra`` for a named trigger and its shared inputs."""
    versions = {i: v for i in ids if (v := whole_number(form.get(f"version-{i}"))) is not None}
    reasons = {i: form.get(f"reason-{i}", "")[:MAX_REASON] for i in ids}
    return bulk.BulkRequest(
        action,
        tuple(ids),
        versions=versions,
        reason=form.get("reason", "")[:MAX_REASON],
        reasons={i: r for i, r in reasons.items() if r.strip()},
        **extra,
    )
