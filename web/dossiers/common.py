"""What the dossier views share: loading in scope, the person's units, uploads, redirects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, with_polymorphic
from sqlalchemy.orm.util import identity_key
from werkzeug.datastructures import FileStorage

from models import Dossier, Unit
from models.text import vi_sort_key
from web.support.i18n import lang
from web.support.uploads import (
    limits_text,
    max_file_bytes,
    max_request_bytes,
    megabytes,
    size_of,
)
from workflow.awards.rules import PURPOSES
from workflow.core.actors import Actor
from workflow.core.authz import can_view
from workflow.core.errors import EditRefused, NotFound
from workflow.dossiers import evidence
from workflow.dossiers.evidence import OTHER, check_file, clean_name

KINDS = ("nomination", "plan", "report", "proposal")


def actor() -> Actor:
    """The signed-in person's actor (the views require a signed-in person)."""
    return current_user.actor


def load_visible(
    session: Session, dossier_id: int, who: Actor, *, nominee: bool = False
) -> Dossier:
    """The dossier if ``who`` may see it; NotFound (404) otherwise, never telling which.
    ``nominee``: a nomination's person from the register is read with it (the dossier page's
    rules and history read it)."""
    if identity_key(Dossier, dossier_id) in session.identity_map:
        dossier = session.get(Dossier, dossier_id)
    else:
        query = _WITH_NOMINEE if nominee else _VISIBLE
        dossier = session.scalars(query, {"dossier_id": dossier_id}).unique().one_or_none()
    if dossier is None or not can_view(who, dossier):
        raise NotFound()
    return dossier


# Every kind's columns in one statement (outer joins), not the base row then its kind's.
_ANY_KIND = with_polymorphic(Dossier, "*")
_VISIBLE = select(_ANY_KIND).where(_ANY_KIND.id == bindparam("dossier_id"))
_WITH_NOMINEE = _VISIBLE.options(joinedload(_ANY_KIND.Nomination.person))


def member_units(session: Session, who: Actor) -> list[Unit]:
    """The units in which ``who`` is a unit officer or head, by Vietnamese name."""
    ids = who.unit_ids()
    if not ids:
        return []
    units = session.scalars(select(Unit).where(Unit.id.in_(sorted(ids)))).all()
    return sorted(units, key=lambda u: vi_sort_key(u.name))


def detail_url(dossier_id: int) -> str:
    return url_for("dossiers.detail", dossier_id=dossier_id)


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


class Upload(NamedTuple):
    """A file chosen on a form: its original name, its bytes and what it is (its slot)."""

    name: str
    data: bytes
    purpose: str = OTHER


def chosen_files(files: Iterable[FileStorage], purpose: str = OTHER) -> list[Upload]:
    """The files actually chosen in a file input, each taken as ``purpose``."""
    return [Upload(clean_name(f.filename), f.read(), purpose) for f in files if f and f.filename]


def slot_name(purpose: str) -> str:
    """The name of the file input of a document's slot ("Minh chứng khác": ``files``)."""
    return "files" if purpose == OTHER else f"files_{purpose}"


def posted_files() -> list[tuple[FileStorage, str]]:
    """Every file posted in the form's slots, with the document its slot takes."""
    return [
        (upload, purpose)
        for purpose in PURPOSES
        for upload in request.files.getlist(slot_name(purpose))
    ]


def checked_files(files: Iterable[tuple[FileStorage, str]]) -> tuple[list[Upload], list[str]]:
    """Split the chosen files (each with its document) into those that may be attached and
    messages about the others.

    A file over the per-file limit is refused unread; files are taken in the order chosen
    while their total stays within what may be sent at once, and each one after that is
    refused by name (it can be sent with the next save)."""
    good, problems, total = [], [], 0
    for upload, purpose in files:
        if not upload or not upload.filename:
            continue
        name, size = clean_name(upload.filename), size_of(upload)
        if size > max_file_bytes():
            problems.append(
                _(
                    "Tệp “%(name)s” (%(size)s MB) quá lớn: %(limits)s.",
                    name=name,
                    size=megabytes(size),
                    limits=limits_text(),
                )
            )
            continue
        if total + size > max_request_bytes():
            problems.append(
                _(
                    "Tệp “%(name)s” chưa được nhận: các tệp gửi cùng lúc vượt quá giới hạn "
                    "(%(limits)s). Hãy lưu trước, rồi chọn lại tệp này ở lần lưu sau.",
                    name=name,
                    limits=limits_text(),
                )
            )
            continue
        data = upload.read()
        violations = check_file(name, data, max_file_bytes())
        if violations:
            problems += [v.message(lang()) for v in violations]
        else:
            good.append(Upload(name, data, purpose))
            total += size
    return good, problems


def posted_purpose() -> str:
    """What the uploaded files are (tờ trình, biên bản, báo cáo thành tích…); default "Minh
    chứng khác"."""
    chosen = request.form.get("purpose", OTHER)
    return chosen if chosen in PURPOSES else OTHER


def posted_retypes(dossier: Dossier, posted: Mapping[str, str] | None = None) -> dict[int, str]:
    """{attachment id: document} of the dossier's files whose type the edit form changes
    (``posted``: the values sent, the request's form by default)."""
    posted = request.form if posted is None else posted
    return {
        a.id: posted[f"purpose_{a.id}"]
        for a in dossier.attachments
        if posted.get(f"purpose_{a.id}", a.purpose) != a.purpose
    }


def named(name: str, message: str) -> str:
    """A message about a file that says which file, once."""
    return message if name in message else f"“{name}”: {message}"


def attach_each(
    session: Session, dossier_id: int, who: Actor, files: Iterable[Upload]
) -> tuple[list[str], list[str]]:
    """Attach each file as its document: the names attached, and messages naming the files
    refused (each is checked before anything of it is written, so the others still go in). A
    refusal of the person, not of a file, propagates."""
    saved, problems = [], []
    for name, data, purpose in files:
        try:
            evidence.attach(
                session,
                dossier_id,
                who,
                name,
                data,
                upload_dir(),
                max_bytes=max_file_bytes(),
                purpose=purpose,
            )
            saved.append(name)
        except EditRefused as error:
            if error.is_permission:
                raise
            problems += [named(name, m) for m in error.messages(lang())]
    return saved, problems
