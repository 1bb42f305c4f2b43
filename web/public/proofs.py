"""Signed checkpoints and the proofs against them: pages in words and the same as JSON.

Every answer about a bad request (not a number, an unknown or internal event, sizes in the
wrong order or with no checkpoint) is a verdict in words with a 4xx status, never an error
page of the server.
"""

from __future__ import annotations

from flask import Response, jsonify, render_template, request
from sqlalchemy import select

from models import AuditCheckpoint
from web.db import get_session
from web.public import bp
from web.support.access import public
from web.support.i18n import lang
from web.support.listing import paginate
from web.support.parsing import whole_number
from workflow.core import checkpoints
from workflow.core.checkpoints import Verdict

PER_PAGE = 50

# The HTTP status of each verdict that is not a success.
STATUS = {
    "not_a_number": 400,
    "sizes_order": 400,
    "unknown_event": 404,
    "internal_event": 403,
    "no_checkpoint": 404,
    "after_checkpoint": 404,
    "no_checkpoint_of_size": 404,
    "proof_failed": 409,
    "inconsistent": 409,
}
# Longer than any size a log reaches; a longer number is refused as not a number.
MAX_DIGITS = 15


def _open(response: Response) -> Response:
    # Public data: any monitor may fetch it from its own page, and must see it fresh.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _status(verdict: Verdict) -> int:
    return 200 if verdict.ok else STATUS.get(verdict.code, 400)


def _verifier_keys(session) -> list[str]:
    """The public keys that signed the published checkpoints, newest first."""
    rows = session.execute(
        select(AuditCheckpoint.verifier_key, AuditCheckpoint.tree_size).order_by(
            AuditCheckpoint.tree_size.desc()
        )
    )
    return list(dict.fromkeys(key for key, _ in rows))


@bp.route("/audit/checkpoints")
@public
def checkpoint_list():
    session = get_session()
    page = paginate(session, checkpoints.list_checkpoints(), PER_PAGE)
    return render_template("public/checkpoints.html", page=page, keys=_verifier_keys(session))


@bp.route("/audit/checkpoints/<int:size>.txt")
@public
def checkpoint_text(size: int):
    session = get_session()
    row = checkpoints.checkpoint_of_size(session, size) if size < 10**MAX_DIGITS else None
    if row is None:
        verdict = Verdict(False, "no_checkpoint_of_size", {"size": size})
        return _text(verdict.message(lang()) + "\n", 404)
    response = _text(row.note, 200)
    response.headers["Content-Disposition"] = f'attachment; filename="checkpoint-{size}.txt"'
    return response


@bp.route("/audit/key.txt")
@public
def checkpoint_key():
    keys = _verifier_keys(get_session())
    if not keys:
        return _text(Verdict(False, "no_checkpoint").message(lang()) + "\n", 404)
    return _text(keys[0] + "\n", 200)


def _text(body: str, status: int) -> Response:
    return _open(Response(body, status=status, content_type="text/plain; charset=utf-8"))


def _inclusion(seq_text: str) -> checkpoints.InclusionAnswer:
    seq = whole_number(seq_text, max_digits=MAX_DIGITS)
    if seq is None or seq < 1:
        return checkpoints.InclusionAnswer(Verdict(False, "not_a_number", {"value": seq_text}))
    return checkpoints.inclusion(get_session(), seq)


@bp.route("/audit/proof/<seq_text>.json")
@public
def proof_json(seq_text: str):
    answer = _inclusion(seq_text)
    response = jsonify(answer.as_json())
    response.status_code = _status(answer.verdict)
    return _open(response)


@bp.route("/audit/proof/<seq_text>")
@public
def proof(seq_text: str):
    answer = _inclusion(seq_text)
    return render_template("public/proof.html", answer=answer, seq_text=seq_text), _status(
        answer.verdict
    )


def _consistency() -> tuple[checkpoints.ConsistencyAnswer | None, dict[str, str]]:
    typed = {name: request.args.get(name, "").strip()[:40] for name in ("from", "to")}
    if not any(typed.values()):
        return None, typed
    sizes = [whole_number(typed[name], max_digits=MAX_DIGITS) for name in ("from", "to")]
    for name, size in zip(("from", "to"), sizes, strict=True):
        if size is None:
            verdict = Verdict(False, "not_a_number", {"value": typed[name]})
            return checkpoints.ConsistencyAnswer(verdict), typed
    return checkpoints.consistency(get_session(), sizes[0], sizes[1]), typed


@bp.route("/audit/consistency.json")
@public
def consistency_json():
    answer, typed = _consistency()
    if answer is None:
        answer = checkpoints.ConsistencyAnswer(Verdict(False, "not_a_number", {"value": ""}))
    response = jsonify(answer.as_json())
    response.status_code = _status(answer.verdict)
    return _open(response)


@bp.route("/audit/consistency")
@public
def consistency():
    answer, typed = _consistency()
    session = get_session()
    sizes = session.scalars(
        select(AuditCheckpoint.tree_size).order_by(AuditCheckpoint.tree_size.desc()).limit(20)
    ).all()
    status = 200 if answer is None else _status(answer.verdict)
    return render_template(
        "public/consistency.html", answer=answer, typed=typed, sizes=sizes
    ), status
