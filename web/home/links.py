"""Links into other areas of the app, by the URL contract between the areas.

The dossier pages belong to the dossiers blueprint; while an endpoint is not registered
(parts of the app land separately) the contract's path is used, so these pages still render.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request, url_for


def endpoint_url(endpoint: str, fallback: str, **values: Any) -> str:
    """``url_for(endpoint)`` when the endpoint exists, else the contract's ``fallback`` path."""
    if endpoint in current_app.view_functions:
        return url_for(endpoint, **values)
    return fallback


def _id_argument(endpoint: str) -> str:
    # The contract names the argument ``id``; accept the rule's own name for it.
    for rule in current_app.url_map.iter_rules(endpoint):
        for name in ("id", "dossier_id"):
            if name in rule.arguments:
                return name
    return "id"


# An id no dossier has, whose digits cannot be mistaken for anything else of an address.
_SAMPLE_ID = 987654321
_ID_URLS = "vinhdanh.id_urls"


def _around_id(endpoint: str) -> tuple[str, str] | None:
    """What ``url_for(endpoint, id=…)`` writes before and after the id, built once per
    endpoint and mount point: lists link every row, and ``url_for`` walks the URL map each
    time. None when the sample id does not appear exactly once."""
    cache = current_app.extensions.setdefault(_ID_URLS, {})
    key = (endpoint, request.script_root)
    if key not in cache:
        url = url_for(endpoint, **{_id_argument(endpoint): _SAMPLE_ID})
        before, found, after = url.partition(str(_SAMPLE_ID))
        cache[key] = (before, after) if found and str(_SAMPLE_ID) not in after else None
    return cache[key]


def dossier_url(dossier_id: int) -> str:
    """The dossier page (``dossiers.detail``)."""
    if "dossiers.detail" not in current_app.view_functions:
        return f"/dossiers/{dossier_id}"
    parts = _around_id("dossiers.detail") if type(dossier_id) is int else None
    if parts is None:
        return url_for("dossiers.detail", **{_id_argument("dossiers.detail"): dossier_id})
    return f"{parts[0]}{dossier_id}{parts[1]}"


def fire_url(dossier_id: int, trigger: str) -> str:
    """Where a transition's form posts (``dossiers.fire``)."""
    if "dossiers.fire" not in current_app.view_functions:
        return f"/dossiers/{dossier_id}/actions/{trigger}"
    return url_for("dossiers.fire", trigger=trigger, **{_id_argument("dossiers.fire"): dossier_id})


def optional_url(endpoint: str, **values: Any) -> str | None:
    """The URL of ``endpoint``, or None when that part of the app is not there."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def helpers() -> dict[str, Any]:
    """The link helpers, by the names templates use."""
    return {"dossier_url": dossier_url, "fire_url": fire_url, "optional_url": optional_url}


def register(bp: Blueprint) -> None:
    """Make the link helpers available to ``bp``'s templates."""
    bp.context_processor(helpers)
