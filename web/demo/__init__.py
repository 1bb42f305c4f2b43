"""Demo data for ``vinhdanh demo``: the Department, schools, people, campaigns, awards and
some fifty dossiers in every state of every lifecycle.

Every dossier gets where it is through the real workflow (``dossiers.create``,
``evidence.attach``, ``engine.fire``, Council sessions opened and closed through
``workflow.council``), at dated moments through 2026, so its history and the audit chain
are real. Loading is idempotent: a marker setting says it was done, and the sign-in page
shows the demo password while the ``demo_password`` setting exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AwardType, Campaign, CouncilSession, Unit, User, get_setting, set_setting
from models.clock import utcnow
from models.passwords import hash_password
from models.text import fold
from web.auth.views import DEMO_PASSWORD_KEY
from web.demo import campaigns as demo_campaigns
from web.demo import lists as demo_lists
from web.demo.awards import load_history, purpose_of, seed_rules
from web.demo.nominees import collective_of, person_of, record_facts
from web.demo.organisation import (
    ACCOUNTS_CREATED,
    AWARDS,
    CAMPAIGNS,
    COUNCIL_POSITIONS,
    COUNCIL_TERM_STARTS,
    DECISIONS,
    DEFAULT_HEAD_POSITION,
    DEPARTMENT,
    DEPARTMENT_PEOPLE,
    DIVISIONS,
    EMAIL_DOMAIN,
    HEAD_POSITIONS,
    MEMBERS,
    OFFICE,
    QUORUM,
    SCHOOLS,
    SESSIONS,
    THEME_2026,
    THRESHOLD_SOURCES,
)
from web.demo.people import load_register
from web.demo.stories import STORIES
from workflow import Actor, fire
from workflow.accounts import council_admin
from workflow.accounts.service import create_user
from workflow.core.audit import current_head, verify
from workflow.council import sessions as councils
from workflow.dossiers import content as dossiers
from workflow.dossiers import evidence

DEMO_PASSWORD = "VinhDanh@2026"
LOADED_KEY = "demo_loaded"
LOCAL = dt.timezone(dt.timedelta(hours=7))  # Hải Phòng time, for the moments of the stories

_HEAD_TRIGGERS = frozenset({"unit_approve", "unit_return", "withdraw"})
_STAFF_ACTIONS = frozenset({"create", "attach", "edit", "submit", "resubmit"})
_FORMS = ("GK-", "BK-", "CO-")  # forms of commendation (tặng); the others are titles (công nhận)


class DemoConflict(RuntimeError):
    """The database already holds units or accounts with the demo's codes or names."""


@dataclass
class Demo:
    """What the stories refer to by key, and what loading has made so far."""

    session: Session
    upload_dir: Path
    units: dict[str, Unit] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    awards: dict[str, AwardType] = field(default_factory=dict)
    councils: dict[str, CouncilSession] = field(default_factory=dict)
    lists: list[demo_lists.ListStory] = field(default_factory=list)
    files: int = 0
    transitions: int = 0


def load_demo(
    session: Session,
    password: str,
    *,
    upload_dir: str | Path,
    progress: Callable[[str], Any] = print,
) -> bool:
    """Load the demo data in the caller's transaction; False (and nothing done) when it is there.

    Never commits. Raises ``DemoConflict`` when real data would clash with the demo's.
    """
    if (
        get_setting(session, LOADED_KEY) is not None
        or get_setting(session, DEMO_PASSWORD_KEY) is not None
    ):
        return False
    _refuse_clash(session)
    demo = Demo(session, Path(upload_dir))
    _add_units(demo)
    progress(
        f"Đơn vị / units: {len(demo.units)} (Sở, Văn phòng Sở, {len(DIVISIONS)} phòng, "
        f"{len(SCHOOLS)} trường và trung tâm)"
    )
    progress("Đang tạo tài khoản (băm mật khẩu) / creating accounts…")
    _add_people(demo, password)
    progress(f"Tài khoản / accounts: {len(demo.actors)}")
    _add_catalogue(demo)
    progress(
        f"Phong trào / campaigns: {len(demo.campaigns)}; danh hiệu, hình thức khen thưởng / "
        f"awards: {len(demo.awards)}"
    )
    rules = seed_rules(session, demo.actors["quantri"], demo.awards)
    history = load_history(session, demo.units, demo.awards)
    progress(
        f"Điều kiện khen thưởng / award rules: {rules}; "
        "lịch sử khen thưởng nhập từ các năm trước và "
        f"tạm dừng xét / imported history and holds: {history}"
    )
    register = load_register(session, demo.actors)
    progress(
        "Sổ theo dõi, nhập qua chức năng nhập dữ liệu / register, through the importer: "
        + ", ".join(f"{kind} {count}" for kind, count in register.items())
    )
    _play(demo, progress)
    for values in CAMPAIGNS:
        demo.campaigns[values["code"]].active = values.get("active", True)
    set_setting(session, LOADED_KEY, utcnow().isoformat())
    set_setting(session, DEMO_PASSWORD_KEY, password)
    session.flush()
    result = verify(session)
    if not result.ok:
        raise RuntimeError(
            f"demo data broke the audit chain at event {result.bad_seq}: {result.problem}"
        )
    seq, digest = current_head(session)
    progress(
        f"Nhật ký kiểm toán / audit log: {result.count} sự "
        f"kiện, toàn vẹn; đầu chuỗi / head {seq}:{digest}"
    )
    progress(f"Mật khẩu chung của mọi tài khoản mẫu / demo password: {password}")
    progress(
        "Bắt đầu với / start with: canbo.thpt-tran-phu, thutruong.thpt-tran-phu, chuyenvien.vp, "
        "thuky.hd, hoidong1, quantri"
    )
    return True


def _refuse_clash(session: Session) -> None:
    codes = [DEPARTMENT[0], OFFICE[0]] + [s[0] for s in SCHOOLS] + [d[0] for d in DIVISIONS]
    taken = session.scalar(select(func.count()).select_from(Unit).where(Unit.code.in_(codes)))
    names = list(DEPARTMENT_PEOPLE) + [
        f"{p}.{c.lower()}" for c in codes for p in ("canbo", "thutruong")
    ]
    taken += session.scalar(select(func.count()).select_from(User).where(User.username.in_(names)))
    if taken:
        raise DemoConflict(
            "Cơ sở dữ liệu đã có đơn vị hoặc tài khoản trùng mã với dữ liệu mẫu; không nạp. / "
            "The database already has units or accounts with the demo's codes; nothing loaded."
        )


def _unit(
    demo: Demo,
    code: str,
    name: str,
    kind: str,
    locality: str | None = None,
    parent: Unit | None = None,
) -> Unit:
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        locality=locality,
        parent_id=parent.id if parent else None,
        email=f"{code.lower()}@{EMAIL_DOMAIN}",
        search_key=fold(f"{name} {code} {locality or ''}"),
    )
    demo.session.add(unit)
    demo.session.flush()
    demo.units[code] = unit
    return unit


def _add_units(demo: Demo) -> None:
    department = _unit(demo, *DEPARTMENT, "department")
    _unit(demo, *OFFICE, "office", parent=department)
    for code, name, *_ in DIVISIONS:
        _unit(demo, code, name, "division", parent=department)
    for code, name, kind, locality, *_ in SCHOOLS:
        _unit(demo, code, name, kind, locality, parent=department)


def _person(
    demo: Demo,
    username: str,
    full_name: str,
    position: str,
    password_hash: str,
    role: str,
    unit_id: int | None = None,
) -> None:
    user = create_user(
        demo.session,
        username,
        full_name,
        None,
        [(role, unit_id)],
        password_hash=password_hash,
        position=position,
        email=f"{username}@{EMAIL_DOMAIN}",
        created_at=ACCOUNTS_CREATED,
    )
    demo.session.flush()
    demo.actors[username] = Actor.from_user(user)


def _add_people(demo: Demo, password: str) -> None:
    password = hash_password(password)  # one shared password: hash it once
    units = [
        (code, kind, head, staff, position) for code, _, kind, _, head, staff, position in SCHOOLS
    ]
    units += [(code, "division", head, staff, "Chuyên viên") for code, _, head, staff in DIVISIONS]
    for code, kind, head, staff, position in units:
        unit_id = demo.units[code].id
        _person(demo, f"canbo.{code.lower()}", staff, position, password, "unit_staff", unit_id)
        _person(
            demo,
            f"thutruong.{code.lower()}",
            head,
            HEAD_POSITIONS.get(kind, DEFAULT_HEAD_POSITION),
            password,
            "unit_head",
            unit_id,
        )
    for username, (full_name, position, role) in DEPARTMENT_PEOPLE.items():
        _person(demo, username, full_name, position, password, role)
    _seat_council(demo)


def _seat_council(demo: Demo) -> None:
    """The Council's members in their positions, through the audited administration."""
    for username, position in COUNCIL_POSITIONS.items():
        values = {
            "user_id": demo.actors[username].user_id,
            "position": position,
            "starts_on": COUNCIL_TERM_STARTS.isoformat(),
        }
        council_admin.add_member(demo.session, demo.actors["quantri"], values, ACCOUNTS_CREATED)


def _add_catalogue(demo: Demo) -> None:
    for values in CAMPAIGNS:
        # Active while its dossiers are made; a closed campaign is deactivated after the stories.
        demo.campaigns[values["code"]] = Campaign(**{**values, "active": True})
    for code, name_vi, name_en, kind, authority, share, base, source in AWARDS:
        demo.awards[code] = AwardType(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            nominee_kind=kind,
            conferring_authority=authority,
            vote_threshold=share,
            threshold_base=base,
            threshold_source=THRESHOLD_SOURCES[code][0],
            threshold_from=THRESHOLD_SOURCES[code][1],
            legal_source=source,
        )
    demo.session.add_all([*demo.campaigns.values(), *demo.awards.values()])
    demo.session.flush()


# --- the timeline -------------------------------------------------------------------------


def _moment(day: dt.date | str, minutes: int) -> dt.datetime:
    """``minutes`` after 07:30 Hải Phòng time on ``day``, in UTC."""
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    local = dt.datetime.combine(day, dt.time(7, 30), LOCAL) + dt.timedelta(minutes=minutes)
    return local.astimezone(dt.UTC)


def _play(demo: Demo, progress: Callable[[str], Any]) -> None:
    """Run every session opening/closing and every story step in the order they happened."""
    events: list[tuple[dt.datetime, int, Callable[[dt.datetime], None]]] = []
    for key, (title, day, place, absent, closed) in SESSIONS.items():
        events.append((_moment(day, 0), len(events), _opener(demo, key, title, day, place, absent)))
        if closed:
            events.append((_moment(day, 10 * 60), len(events), _closer(demo, key)))
    for index, story in enumerate(STORIES):
        previous = None
        for number, step in enumerate(story["steps"]):
            when = _moment(step[0], 30 + (index % 12) * 13 + number * 20)
            if previous and when < previous:
                raise ValueError(f"demo story {index} goes back in time at step {number}")
            previous = when
            events.append((when, len(events), _stepper(demo, story, step)))
    for when, run in demo_campaigns.timeline(demo, STORIES):  # targets, figures, practices
        events.append((when, len(events), run))
    for when, run in demo_lists.timeline(demo, lambda: _next_pdf(demo)):
        events.append((when, len(events), run))
    for when, _, run in sorted(events, key=lambda e: (e[0], e[1])):
        run(when)
    counts = {
        kind: sum(1 for s in STORIES if s["kind"] == kind)
        for kind in ("nomination", "plan", "report")
    }
    rows = sum(len(s.rows) for s in demo.lists)
    progress(
        f"Tờ trình kèm danh sách / list proposals: {len(demo.lists)}, {rows} dòng; "
        f"quyết định {demo_lists.DECISION[0]} công nhận các dòng Hội đồng thông qua"
    )
    progress(
        f"Hồ sơ / dossiers: {len(STORIES)} ({counts['nomination']} đề nghị khen thưởng, "
        f"{counts['plan']} kế hoạch, {counts['report']} báo cáo), {demo.transitions} lần chuyển "
        f"trạng thái, {demo.files} tệp minh chứng; {len(SESSIONS)} phiên họp Hội đồng"
    )


def _opener(
    demo: Demo, key: str, title: str, day: dt.date, place: str, absent: list[str]
) -> Callable[[dt.datetime], None]:
    def run(when: dt.datetime) -> None:
        present = [demo.actors[m].user_id for m in MEMBERS if m not in absent]
        demo.councils[key] = councils.open_session(
            demo.session,
            demo.actors["thuky.hd"],
            title=title,
            held_on=day,
            place=place,
            quorum=QUORUM,
            present_ids=present,
            now=when,
        )

    return run


def _closer(demo: Demo, key: str) -> Callable[[dt.datetime], None]:
    def run(when: dt.datetime) -> None:
        councils.close_session(
            demo.session, demo.councils[key].id, demo.actors["thuky.hd"], now=when
        )

    return run


def _stepper(demo: Demo, story: dict[str, Any], step: tuple) -> Callable[[dt.datetime], None]:
    def run(when: dt.datetime) -> None:
        action, options = step[1], (step[2] if len(step) > 2 else {})
        actor = demo.actors[_who(story, action, options)]
        if action == "create":
            unit_id = demo.units[story["unit"]].id
            story["id"] = dossiers.create(
                demo.session, actor, story["kind"], unit_id, _fields(demo, story), now=when
            ).id
            demo_campaigns.fill_figures(demo, story, when)
        elif action == "attach":
            demo.files += 1
            evidence.attach(
                demo.session,
                story["id"],
                actor,
                options["name"],
                _pdf(demo.files),
                demo.upload_dir,
                purpose=purpose_of(options["name"]),
                now=when,
            )
        elif action == "edit":
            dossiers.edit(demo.session, story["id"], actor, options["fields"], now=when)
        else:
            fire(demo.session, story["id"], action, actor, inputs=_inputs(demo, options), now=when)
            demo.transitions += 1

    return run


def _who(story: dict[str, Any], action: str, options: dict[str, Any]) -> str:
    unit = story["unit"].lower()
    if action in _STAFF_ACTIONS:
        return f"canbo.{unit}"
    if action in _HEAD_TRIGGERS:
        return f"thutruong.{unit}"
    default = "cv1" if action.startswith("office_") else "tk"
    return {"cv1": "chuyenvien.vp", "cv2": "chuyenvien2.vp", "tk": "thuky.hd"}[
        options.get("by", default)
    ]


def _inputs(demo: Demo, options: dict[str, Any]) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    if "reason" in options:
        inputs["reason"] = options["reason"]
    if "session" in options:
        inputs["session_id"] = demo.councils[options["session"]].id
    if options.get("votes"):
        inputs.update(zip(("votes_for", "votes_against", "votes_abstain"), options["votes"]))
    if "classification" in options:
        inputs["classification"] = options["classification"]
    if "decision" in options:
        number, day, signer = DECISIONS[options["decision"]]
        inputs.update(decision_number=number, decision_date=day, decision_signer=signer)
    if "submission" in options:  # the Department's letter forwarding to the city
        inputs.update(zip(("submission_number", "submission_date"), options["submission"]))
    return inputs


def _fields(demo: Demo, story: dict[str, Any]) -> dict[str, Any]:
    unit, campaign = demo.units[story["unit"]], demo.campaigns[story["campaign"]]
    if story["kind"] == "nomination":
        award = demo.awards[story["award"]]
        verb = "Đề nghị tặng" if award.code.startswith(_FORMS) else "Đề nghị công nhận danh hiệu"
        if award.nominee_kind == "collective":
            entry = {"collective_id": collective_of(demo.session, unit, story["nominee"]).id}
        else:
            person = person_of(demo.session, unit, story["nominee"], story["position"])
            record_facts(demo.session, person, campaign.year, story["achievements"])
            entry = {"person_id": person.id}
        return {
            "title": f"{verb} “{award.name_vi}” – {story['nominee']}",
            "campaign_id": campaign.id,
            "nominee_kind": award.nominee_kind,
            **entry,
            "award_type_id": award.id,
            "achievements": story["achievements"],
            "ad_hoc": campaign.kind == "ad_hoc",
            "direct_worker": story["direct_worker"],
        }
    seed = sum(map(ord, unit.code))
    if story["kind"] == "plan":
        thematic = campaign.kind == "thematic"
        title = (
            f"Kế hoạch thi đua chuyên đề chuyển đổi số – {unit.name}"
            if thematic
            else f"Kế hoạch thi đua năm {campaign.year} – {unit.name}"
        )
        summary = (_THEMATIC_PLAN if thematic else _PLAN).format(unit=unit.name, theme=THEME_2026)
    else:
        title = f"Báo cáo kết quả thực hiện phong trào thi đua năm {campaign.year} – {unit.name}"
        summary = _REPORT.format(
            unit=unit.name, year=campaign.year, good=80 + seed % 16, models=1 + seed % 4
        )
    return {
        "title": title,
        "campaign_id": campaign.id,
        "document_number": story["number"],
        "summary": summary,
    }


_PLAN = (
    "Căn cứ Kế hoạch số 1114/KH-SGDĐT ngày 27/02/2026 của Sở Giáo dục và Đào tạo, {unit} phát động "
    "phong trào thi đua năm 2026 với chủ đề “{theme}”.\n"
    "Chỉ tiêu: 100% cán bộ, giáo viên, nhân viên đăng "
    "ký thi đua; mỗi tổ chuyên môn có ít nhất một mô "
    "hình đổi mới, sáng tạo; 100% hồ sơ, sổ sách quản "
    "lý trên nền tảng số; tỷ lệ giáo viên đạt chuẩn, "
    "trên chuẩn tăng so với năm 2025.\n"
    "Sơ kết vào tháng 6/2026, tổng kết vào tháng 12/2026; khen thưởng kịp thời, ưu tiên người lao "
    "động trực tiếp."
)
_THEMATIC_PLAN = (
    "{unit} triển khai thi đua chuyên đề chuyển đổi số: 100% giáo viên sử dụng học bạ số và "
    "sổ điểm điện tử; xây dựng kho học liệu số của trường; mỗi khối lớp có ít nhất một tiết "
    "dạy ứng dụng công nghệ số được chia sẻ trong ngành."
)
_REPORT = (
    "{unit} báo cáo kết quả thực hiện phong trào thi đua năm {year}: 100% cán bộ, giáo viên, nhân "
    "viên hoàn thành nhiệm vụ, trong đó {good}% hoàn thành tốt trở lên; {models} mô hình đổi mới, "
    "sáng tạo được công nhận cấp trường; 100% hồ sơ quản lý trên nền tảng số.\n"
    "Kèm theo biểu tổng hợp chỉ tiêu thi đua và minh chứng."
)


def _next_pdf(demo: Demo) -> bytes:
    demo.files += 1
    return _pdf(demo.files)


def _pdf(number: int) -> bytes:
    """A small, valid one-page PDF (a placeholder for a scanned document)."""
    text = f"Vinh Danh - demo evidence file no. {number} (sample data, not a real document)"
    stream = f"BT /F1 12 Tf 56 780 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (index, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
