"""People of the register: who sees whom, adding and editing a person, transfers (no Flask).

A unit's members keep their own unit's people; the Office keeps every unit's. A change locks the
person's row and may name the version the page was drawn from: someone else's change since is
refused (StaleVersion, naming who changed what) and nothing changes. Every change is an audit
event of the person; the four private fields (identity number, date of birth, phone, e-mail)
are named in it when they change, never their values.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, false, select, true
from sqlalchemy.orm import Session

from models import AuditEvent, Collective, Membership, Person, RoleGrant, Unit, User
from models.clock import today as clock_today
from models.clock import utcnow
from models.people import GENDERS, IDENTITY_KINDS
from models.text import fold, has_words, nfc, vi_sort_key, whole_number
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import (
    OFFICE,
    UNIT,
    first_role,
    may_keep_register,
    may_see_every_register,
    may_see_register_of,
    refuse_unless,
)
from workflow.core.errors import EditRefused, NotFound, Violation, refuse_if_stale
from workflow.people.messages import (
    PEOPLE_MESSAGES,
    bounded,
    choice,
    day,
    invalid,
    text,
)
from workflow.people.register import current_people, probable_duplicates, unit_collective

# field: (Vietnamese label, English label)
LABELS: dict[str, tuple[str, str]] = {
    "full_name": ("Họ và tên", "Full name"),
    "gender": ("Giới tính", "Gender"),
    "position": ("Chức vụ", "Position"),
    "collective_id": ("Tổ, phòng, khối", "Group"),
    "identity_kind": ("Loại định danh", "Kind of identity"),
    "identity_number": ("Số định danh", "Identity number"),
    "date_of_birth": ("Ngày sinh", "Date of birth"),
    "phone": ("Điện thoại", "Phone"),
    "email": ("Thư điện tử", "E-mail"),
    "user_id": ("Tài khoản sử dụng", "User account"),
    "unit_id": ("Đơn vị", "Unit"),
    "starts_on": ("Từ ngày", "From"),
}
FIELDS = tuple(k for k in LABELS if k not in ("unit_id", "starts_on"))
# Never on a public page, an export, a feed, nor as a value in the audit log.
PRIVATE = frozenset({"identity_number", "date_of_birth", "phone", "email"})
AGES = (18, 75)
_NATIONAL_ID = re.compile(r"\d{12}")
_PHONE = re.compile(r"\+?[0-9][0-9 .\-]{6,18}[0-9]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_LOCK_PERSON = (
    select(Person)
    .where(Person.id == bindparam("person_id"))
    .with_for_update(of=Person)
    .execution_options(populate_existing=True)
)


def acting_role(actor: Actor, unit_id: int | None) -> str | None:
    """The role ``actor`` keeps ``unit_id``'s register under, for the audit log."""
    role = first_role(actor, UNIT, unit_id) if unit_id else None
    role = role or first_role(actor, OFFICE)
    return role.value if role else None


def visible_people(actor: Actor | None, entity: Any = Person) -> ColumnElement[bool]:
    """WHERE clause of the people (``entity``: Person or an alias of it) ``actor`` may see:
    the Office every unit's, a unit its own."""
    if may_see_every_register(actor):
        return true()
    units = sorted(actor.unit_ids(UNIT)) if actor else []
    return entity.unit_id.in_(units) if units else false()


def _seen(person: Person | None, actor: Actor | None) -> Person:
    if person is None or not may_see_register_of(actor, person.unit_id):
        raise NotFound()
    return person


def load_person(session: Session, person_id: int, actor: Actor | None) -> Person:
    """A person ``actor`` may see (merged ones included: the page redirects); else NotFound."""
    return _seen(session.get(Person, person_id), actor)


def lock_person(session: Session, person_id: int, actor: Actor) -> Person:
    """Lock and load a current person ``actor`` may keep, refreshed from the database."""
    person = _seen(session.scalars(_LOCK_PERSON, {"person_id": person_id}).one_or_none(), actor)
    refuse_unless(may_keep_register(actor, person.unit_id))
    if person.merged_into_id is not None:
        raise EditRefused([PEOPLE_MESSAGES.violation("register_merged")])
    return person


def search(words: str) -> ColumnElement[bool]:
    """WHERE clause: every folded word of ``words`` is in the name ("huong" finds "Hương")."""
    return has_words(Person.name_key, words)


# Family, middle and given names repeat across a city's staff: their keys are computed once.
_words_key = lru_cache(maxsize=20_000)(vi_sort_key)


def _name_key(full_name: str) -> tuple:
    """``models.text.person_sort_key``, from cached keys of its parts (given name first)."""
    words = nfc(full_name).split()
    if not words:
        return ((), ())
    return (_words_key(words[-1]), _words_key(" ".join(words[:-1])))


def ordered_ids(session: Session, where: list[ColumnElement[bool]], sort: str) -> list[int]:
    """Ids of the current people matching ``where``: by name (given name first, Vietnamese
    order) or by the day added (``added``); ``-`` first for the reverse."""
    rows = session.execute(
        current_people().with_only_columns(Person.id, Person.full_name).where(*where)
    ).all()
    if sort.lstrip("-") == "added":
        rows.sort(key=lambda r: r.id)  # ids grow with the day added
    else:
        rows.sort(key=lambda r: (_name_key(r.full_name), r.id))
    ids = [r.id for r in rows]
    return ids[::-1] if sort.startswith("-") else ids


# Department-wide roles that act on dossiers: their holders may work in any unit (a principal
# on the Council), and the link to their register entry is what recuses them from their own.
DEPARTMENT_DECIDERS = (
    Role.OFFICE_REVIEWER.value,
    Role.COUNCIL_SECRETARY.value,
    Role.COUNCIL_MEMBER.value,
)


def accounts_of(session: Session, unit_id: int) -> list[User]:
    """The accounts that may be linked to a person of ``unit_id``: those with a role in it, and
    the Office's and the Council's, who review and decide on every unit's nominations."""
    ids = select(RoleGrant.user_id).where(
        (RoleGrant.unit_id == unit_id) | RoleGrant.role.in_(DEPARTMENT_DECIDERS)
    )
    return list(session.scalars(select(User).where(User.id.in_(ids)).order_by(User.full_name)))


def groups_of(session: Session, unit_id: int) -> list[Collective]:
    """The active groups (tổ, phòng, khối) of ``unit_id``, not the unit itself."""
    return list(
        session.scalars(
            select(Collective)
            .where(
                Collective.unit_id == unit_id,
                Collective.kind != "unit",
                Collective.active.is_(True),
            )
            .order_by(Collective.name_key)
        )
    )


def _identity(values: Mapping[str, Any], problems: list[Violation]) -> tuple[str | None, ...]:
    kind = choice(values, "identity_kind", LABELS["identity_kind"], IDENTITY_KINDS, problems, False)
    number = text(values, "identity_number") or None
    label = LABELS["identity_number"]
    if number and not kind:
        problems.append(invalid(LABELS["identity_kind"], "hãy chọn loại", "choose one"))
    elif kind and not number:
        problems.append(invalid(label, "không được để trống", "must not be empty"))
    elif kind == "national_id" and not _NATIONAL_ID.fullmatch(number or ""):
        problems.append(invalid(label, "số định danh cá nhân gồm đúng 12 chữ số", "12 digits"))
    elif number and len(number) > 40:
        problems.append(invalid(label, "dài quá 40 ký tự", "longer than 40 characters"))
    return kind, number


def _birth(values: Mapping[str, Any], today: dt.date, problems: list[Violation]) -> dt.date | None:
    label = LABELS["date_of_birth"]
    born = day(values, "date_of_birth", label, problems)
    if born is None:
        return None
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if born > today:
        problems.append(invalid(label, "không được sau hôm nay", "must not be in the future"))
    elif not AGES[0] <= age <= AGES[1]:
        problems.append(invalid(label, "tuổi cần từ 18 đến 75", "the age must be from 18 to 75"))
    return born


def _contact(values: Mapping[str, Any], problems: list[Violation]) -> tuple[str | None, ...]:
    phone = bounded(values, "phone", LABELS["phone"], 40, problems)
    if phone and not _PHONE.fullmatch(phone):
        problems.append(invalid(LABELS["phone"], "không phải số điện thoại", "not a phone number"))
    email = bounded(values, "email", LABELS["email"], 255, problems)
    if email and not _EMAIL.fullmatch(email):
        problems.append(invalid(LABELS["email"], "không phải địa chỉ thư", "not an e-mail address"))
    return phone, email


def _group(session: Session, unit_id: int, raw: Any, problems: list[Violation]) -> int | None:
    if raw in (None, ""):
        return None
    found = session.get(Collective, whole_number(raw) or 0)
    if found is None or found.unit_id != unit_id or not found.active:
        problems.append(invalid(LABELS["collective_id"], "không thuộc đơn vị", "not of the unit"))
        return None
    return found.id


def _account(
    session: Session, unit_id: int, raw: Any, person_id: int | None, problems: list[Violation]
) -> int | None:
    if raw in (None, ""):
        return None
    user_id = whole_number(raw)
    label = LABELS["user_id"]
    if user_id not in {u.id for u in accounts_of(session, unit_id)}:
        problems.append(
            invalid(
                label,
                "không có vai trò trong đơn vị, Văn phòng Sở hay Hội đồng",
                "has no role in the unit, the Office or the Council",
            )
        )
        return None
    holder = session.scalar(current_people().where(Person.user_id == user_id))
    if holder is not None and holder.id != person_id:
        problems.append(
            invalid(
                label,
                f"đã gắn với {holder.full_name} trong sổ",
                f"already linked to {holder.full_name}",
            )
        )
        return None
    return user_id


def clean_person(
    session: Session,
    unit_id: int,
    values: Mapping[str, Any],
    person_id: int | None = None,
    today: dt.date | None = None,
) -> tuple[dict[str, Any], list[Violation]]:
    """The person's fields from typed ``values``, and every problem with them."""
    today = today or clock_today()
    problems: list[Violation] = []
    name = bounded(values, "full_name", LABELS["full_name"], 255, problems, required=True)
    kind, number = _identity(values, problems)
    phone, email = _contact(values, problems)
    cleaned = {
        "full_name": name or "",
        "gender": choice(values, "gender", LABELS["gender"], GENDERS, problems, False),
        "position": bounded(values, "position", LABELS["position"], 255, problems),
        "collective_id": _group(session, unit_id, values.get("collective_id"), problems),
        "identity_kind": kind,
        "identity_number": number,
        "date_of_birth": _birth(values, today, problems),
        "phone": phone,
        "email": email,
        "user_id": _account(session, unit_id, values.get("user_id"), person_id, problems),
    }
    return cleaned, problems


def _refuse_duplicates(
    session: Session, cleaned: dict[str, Any], person_id: int | None, confirmed: bool
) -> None:
    if confirmed:
        return
    found = probable_duplicates(
        session,
        cleaned["full_name"],
        cleaned["date_of_birth"],
        cleaned["identity_number"],
        exclude_id=person_id,
    )
    if found:
        names = ", ".join(f"{p.full_name} (#{p.id})" for p in found[:5])
        raise EditRefused(
            [PEOPLE_MESSAGES.violation("register_duplicate_unconfirmed", {"names": names})]
        )


def _audited(changes: Mapping[str, Any]) -> dict[str, Any]:
    # The audit log is kept for ever and parts of it are public: a private value written there
    # could never be taken back, so only the name of a private field that changed is kept.
    return {k: ("private" if k in PRIVATE else v) for k, v in changes.items()}


def create_person(
    session: Session,
    actor: Actor,
    unit_id: int,
    values: Mapping[str, Any],
    *,
    confirmed: bool = False,
    now: dt.datetime | None = None,
) -> Person:
    """Add a person to ``unit_id``'s register, with a period in the unit from today. A probable
    duplicate is refused unless ``confirmed``. Audited ("create"). Never commits."""
    now = now or utcnow()
    refuse_unless(may_keep_register(actor, unit_id) and session.get(Unit, unit_id) is not None)
    cleaned, problems = clean_person(session, unit_id, values, today=now.date())
    if problems:
        raise EditRefused(problems)
    _refuse_duplicates(session, cleaned, None, confirmed)
    unit_collective(session, unit_id)
    person = Person(unit_id=unit_id, name_key=fold(cleaned["full_name"]), **cleaned)
    person.memberships.append(
        Membership(
            unit_id=unit_id,
            collective_id=cleaned["collective_id"],
            position=cleaned["position"],
            starts_on=now.date(),
        )
    )
    session.add(person)
    session.flush()
    audit.append(
        session,
        entity_type="person",
        entity_id=person.id,
        action="create",
        actor_id=actor.user_id,
        actor_role=acting_role(actor, unit_id),
        unit_id=unit_id,
        changes=_audited({k: v for k, v in cleaned.items() if v is not None}),
        now=now,
    )
    return person


def last_change(session: Session, person_id: int) -> tuple[str, str]:
    """Who last changed the person, and what (Vietnamese, English), for a stale refusal."""
    event = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "person", AuditEvent.entity_id == person_id)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    if event is None:
        return "", ""
    who = session.get(User, event.actor_id) if event.actor_id else None
    name = who.full_name if who else ""
    fields = json.loads(event.changes or "{}")
    vi = ", ".join(LABELS.get(k, (k, k))[0].lower() for k in fields if k in LABELS)
    en = ", ".join(LABELS.get(k, (k, k))[1].lower() for k in fields if k in LABELS)
    return f"{name}: {vi or event.action}", f"{name}: {en or event.action}"


def update_person(
    session: Session,
    person_id: int,
    actor: Actor,
    values: Mapping[str, Any],
    *,
    confirmed: bool = False,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> AuditEvent | None:
    """Change a person's details. Audited ("edit", the changed fields); None when nothing
    changed. Never commits."""
    now = now or utcnow()
    person = lock_person(session, person_id, actor)
    refuse_if_stale(
        person.version,
        expected_version,
        "person_stale_version",
        last_change(session, person.id),
        PEOPLE_MESSAGES,
    )
    cleaned, problems = clean_person(session, person.unit_id or 0, values, person.id, now.date())
    if problems:
        raise EditRefused(problems)
    changed = {k: [getattr(person, k), v] for k, v in cleaned.items() if getattr(person, k) != v}
    if not changed:
        return None
    if PRIVATE.intersection(changed) or "full_name" in changed:
        _refuse_duplicates(session, cleaned, person.id, confirmed)
    for name, (_, new) in changed.items():
        setattr(person, name, new)
    person.name_key = fold(person.full_name)
    current = _open_membership(person)
    if current is not None and ("collective_id" in changed or "position" in changed):
        current.collective_id, current.position = person.collective_id, person.position
    session.flush()
    return audit.append(
        session,
        entity_type="person",
        entity_id=person.id,
        action="edit",
        actor_id=actor.user_id,
        actor_role=acting_role(actor, person.unit_id),
        unit_id=person.unit_id,
        changes=_audited(changed),
        now=now,
    )


def _open_membership(person: Person) -> Membership | None:
    return next((m for m in person.memberships if m.ends_on is None), None)


def transfer_person(
    session: Session,
    person_id: int,
    actor: Actor,
    values: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Person:
    """Move a person to another unit from a day (``unit_id``, ``starts_on``, optionally
    ``collective_id`` of the new unit), or record that they left (no ``unit_id``): the open
    period ends the day before, a new one opens. The history stays with the person. The
    person's current unit or the Office does it. Audited ("transfer"). Never commits."""
    now = now or utcnow()
    person = lock_person(session, person_id, actor)
    refuse_if_stale(
        person.version,
        expected_version,
        "person_stale_version",
        last_change(session, person.id),
        PEOPLE_MESSAGES,
    )
    problems: list[Violation] = []
    starts = day(values, "starts_on", LABELS["starts_on"], problems)
    target = whole_number(values.get("unit_id"))
    if target is not None and session.get(Unit, target) is None:
        problems.append(invalid(LABELS["unit_id"], "không tồn tại", "does not exist"))
    if target is not None and target == person.unit_id:
        problems.append(invalid(LABELS["unit_id"], "người này đang ở đơn vị này", "already there"))
    current = _open_membership(person)
    if starts is None and not problems:
        problems.append(invalid(LABELS["starts_on"], "không được để trống", "must not be empty"))
    elif starts and current and current.starts_on and starts <= current.starts_on:
        problems.append(
            invalid(
                LABELS["starts_on"],
                "cần sau ngày bắt đầu của giai đoạn hiện tại",
                "must be after the start of the current period",
            )
        )
    group = _group(session, target, values.get("collective_id"), problems) if target else None
    if problems:
        raise EditRefused(problems)
    assert starts is not None
    if current is not None:
        current.ends_on = starts - dt.timedelta(days=1)
    before = person.unit_id
    person.unit_id, person.collective_id = target, group
    if target is not None:
        unit_collective(session, target)
        person.memberships.append(
            Membership(
                unit_id=target, collective_id=group, position=person.position, starts_on=starts
            )
        )
    session.flush()
    audit.append(
        session,
        entity_type="person",
        entity_id=person.id,
        action="transfer" if target else "leave",
        actor_id=actor.user_id,
        actor_role=acting_role(actor, before),
        unit_id=before,
        changes={"unit_id": [before, target], "collective_id": group, "starts_on": starts},
        now=now,
    )
    return person


def duplicates_for(
    session: Session, values: Mapping[str, Any], person_id: int | None = None
) -> list[Person]:
    """The probable duplicates of what was typed (a date of birth that is no date is left out),
    to show them at entry."""
    born = day(values, "date_of_birth", LABELS["date_of_birth"], [])
    number = text(values, "identity_number") or None
    return probable_duplicates(session, text(values, "full_name"), born, number, person_id)


def form_values(person: Person) -> dict[str, str]:
    """A person's fields as a form shows them (dates dd/mm/yyyy)."""
    values = {name: getattr(person, name) for name in FIELDS}
    born = person.date_of_birth
    values["date_of_birth"] = born.strftime("%d/%m/%Y") if born else ""
    return {k: "" if v is None else str(v) for k, v in values.items()}
