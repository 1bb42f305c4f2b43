"""The demo's list proposals (tờ trình kèm danh sách): schools' lists in every state, their rows
with every row result, and the decision of July 2026 that publishes the rows the Council passed.

Everything goes through the workflow a school and the Department use: the list is created and
its letter and minutes attached (``workflow.dossiers``), its rows added from the register
(``workflow.proposals.rows.add_rows``), each with the achievement report the award's rules ask
for; the list is submitted and approved (its rows follow it through the engine); the Office
accepts, returns or declines ticked rows and the Council decides them with one tally
(``workflow.dossiers.bulk``, as the list page does); the decision is drafted and issued by
``workflow.publication.decisions``, which publishes the rows and records the awards.

Rows name people of the imported register (never an account holder nor a person a story
names); the Chiến sĩ thi đua cơ sở rows name teachers whose 2025–2026 Lao động tiên tiến is in
the paper-era history, as the law asks. Every pick is by register order: each load is the same.

In November the Office revokes one row's award (``workflow.publication.revocation``): the public
list shows it struck through, and its certificate's code says so on ``/v``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AwardRecord, Nomination, Person, Unit
from models.text import fold
from web.demo.nominees import collective_of, record_facts
from web.demo.organisation import DIRECTOR
from web.demo.stories import NOMINATIONS
from workflow import fire
from workflow.dossiers import bulk, evidence
from workflow.dossiers import content as dossiers
from workflow.people.register import current_people
from workflow.proposals.guards import rows_of
from workflow.proposals.rows import RowEntry, add_rows
from workflow.publication import decisions, revocation
from workflow.publication.notice import agenda_states

LOCAL = dt.timezone(dt.timedelta(hours=7))
Run = Callable[[dt.datetime], None]

R_ROW_RETURN = (
    "Tóm tắt thành tích chưa nêu kết quả đánh giá, xếp loại viên chức năm học 2025–2026; đề "
    "nghị đơn vị bổ sung và gửi lại dòng này."
)
R_ROW_RETURN_LATE = (
    "Báo cáo thành tích kèm theo là của năm học 2024–2025; đề nghị đơn vị thay bằng báo cáo "
    "năm học 2025–2026 có xác nhận của thủ trưởng đơn vị."
)
R_DECLINE = (
    "Viên chức được tuyển dụng từ tháng 01/2026, thời gian công tác trong năm học chưa đủ 10 "
    "tháng nên chưa đủ điều kiện xét danh hiệu Lao động tiên tiến."
)
R_DECLINE_LEAVE = (
    "Viên chức nghỉ không hưởng lương 04 tháng trong năm học (không thuộc trường hợp nghỉ "
    "thai sản), không đủ thời gian công tác để xét danh hiệu."
)
R_REJECT = (
    "Trong năm học có 01 lần bị nhắc nhở bằng văn bản về việc chậm hoàn thành hồ sơ chuyên môn; "
    "Hội đồng biểu quyết không thông qua."
)
R_WITHDRAW = (
    "Danh sách lập trước khi có kết quả đánh giá, xếp loại viên chức cuối năm học; đơn vị rút "
    "để lập lại danh sách theo kết quả đánh giá."
)
FIXED = (
    "Hoàn thành tốt nhiệm vụ năm học 2025–2026, được đánh giá, xếp loại viên chức “Hoàn thành "
    "tốt nhiệm vụ”; tích cực đổi mới phương pháp dạy học."
)
_ACHIEVEMENTS = (
    "Hoàn thành tốt nhiệm vụ năm học 2025–2026; tích cực đổi mới phương pháp dạy học, ứng dụng "
    "công nghệ thông tin trong giảng dạy.",
    "Hoàn thành tốt nhiệm vụ năm học 2025–2026; lớp chủ nhiệm đạt danh hiệu tập thể lớp tiên "
    "tiến, không có học sinh vi phạm kỷ luật.",
    "Hoàn thành xuất sắc nhiệm vụ năm học 2025–2026; có học sinh đạt giải trong kỳ thi, hội thi "
    "cấp thành phố.",
    "Hoàn thành tốt nhiệm vụ năm học 2025–2026; tham gia đầy đủ các phong trào thi đua, hoạt "
    "động chuyên môn của tổ và của trường.",
)
_CSTDCS = (
    "Hoàn thành xuất sắc nhiệm vụ năm học 2025–2026; đạt danh hiệu Lao động tiên tiến năm học "
    "2025–2026; sáng kiến được Hội đồng sáng kiến cấp cơ sở công nhận và áp dụng tại trường."
)
_COLLECTIVE = (
    "Tập thể hoàn thành tốt nhiệm vụ năm học 2025–2026; 100% cán bộ, giáo viên, nhân viên hoàn "
    "thành nhiệm vụ, trên 70% đạt danh hiệu Lao động tiên tiến; không có cá nhân bị kỷ luật."
)


@dataclass
class ListStory:
    """One list: its unit and rows, and the dates of what happened to it (None: not yet).

    Row results are keyed by the row's position in the list (0-based)."""

    unit: str
    number: str
    created: str
    workers: int  # Lao động tiên tiến rows
    fighters: int = 0  # Chiến sĩ thi đua cơ sở rows
    collective: str | None = None  # a Tập thể lao động tiên tiến row: the unit or its group
    submitted: str | None = None
    approved: str | None = None
    withdrawn: str | None = None
    office: str | None = None
    returns: dict[int, str] = field(default_factory=dict)
    declines: dict[int, str] = field(default_factory=dict)
    fixed: str | None = None  # returned rows corrected, sent again and accepted
    council: bool = False  # decided in session HD-02 (15/7/2026)
    rejects: dict[int, str] = field(default_factory=dict)
    without_files: bool = False  # a draft still being filled
    id: int | None = None
    rows: list[int] = field(default_factory=list)


LISTS = [
    ListStory(
        "THPT-HONG-QUANG",
        "48/TTr-THPTHQ",
        "2026-06-15",
        workers=30,
        submitted="2026-06-16",
        approved="2026-06-17",
        office="2026-06-29",
        declines={7: R_DECLINE},
        council=True,
        rejects={21: R_REJECT},
    ),
    ListStory(
        "TH-DINH-TIEN-HOANG",
        "31/TTr-THĐTH",
        "2026-06-15",
        workers=26,
        collective="Trường Tiểu học Đinh Tiên Hoàng",
        submitted="2026-06-16",
        approved="2026-06-16",
        office="2026-06-30",
        returns={4: R_ROW_RETURN},
        fixed="2026-07-03",
        council=True,
    ),
    ListStory(
        "MN-HOA-PHUONG",
        "22/TTr-MNHP",
        "2026-06-16",
        workers=25,
        submitted="2026-06-17",
        approved="2026-06-18",
        office="2026-07-01",
        council=True,
        rejects={12: R_REJECT},
    ),
    ListStory(
        "THPT-TRAN-PHU",
        "57/TTr-THPTTP",
        "2026-06-17",
        workers=0,
        fighters=5,
        submitted="2026-06-18",
        approved="2026-06-18",
        office="2026-07-02",
        council=True,
    ),
    ListStory(
        "THCS-CHU-VAN-AN",
        "40/TTr-THCSCVA",
        "2026-06-17",
        workers=22,
        collective="Tổ Toán – Tin",
        submitted="2026-06-18",
        approved="2026-06-19",
        office="2026-07-02",
        council=True,
    ),
    # Sent in November: rows accepted and waiting for the Council, one returned, one declined.
    ListStory(
        "THPT-CAT-BA",
        "96/TTr-THPTCB",
        "2026-11-12",
        workers=12,
        submitted="2026-11-13",
        approved="2026-11-16",
        office="2026-11-20",
        returns={3: R_ROW_RETURN_LATE},
        declines={9: R_DECLINE_LEAVE},
    ),
    ListStory(
        "THPT-NGUYEN-TRAI",
        "102/TTr-THPTNT",
        "2026-11-20",
        workers=10,
        submitted="2026-11-24",
    ),
    ListStory("THCS-HONG-BANG", "75/TTr-THCSHB", "2026-11-25", workers=8, without_files=True),
    ListStory(
        "TH-LE-VAN-TAM",
        "26/TTr-THLVT",
        "2026-06-10",
        workers=6,
        submitted="2026-06-11",
        withdrawn="2026-06-12",
    ),
]

# The decision of the rows the Council passed at HD-02.
DECISION = ("1258/QĐ-SGDĐT", "2026-07-24")
COUNCIL = ("HD-02", "2026-07-15")
# The row of decision 1258 whose award the Office revokes (list, row), and the revoking decision.
REVOKED = ("40/TTr-THCSCVA", 0)
REVOCATION = (
    "1875/QĐ-SGDĐT",
    "2026-11-25",
    "Kết luận thanh tra số 214/KL-TTr ngày 20/11/2026: báo cáo thành tích kê khai tiết dạy "
    "chuyên đề cấp thành phố không có trong kế hoạch của Sở, kê khai không trung thực.",
)
TALLY_FOR = (7, 0, 0)
TALLY_AGAINST = (2, 5, 0)
CAMPAIGN = "TD-2026"


def _at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), LOCAL)
    return moment.astimezone(dt.UTC)


def timeline(demo: Any, pdf: Callable[[], bytes]) -> list[tuple[dt.datetime, Run]]:
    """(moment, action) of every list step and the decision, for ``web.demo`` to play in order.

    ``pdf`` gives the next placeholder file (the demo counts its files)."""
    events: list[tuple[dt.datetime, Run]] = []
    # Each load plays fresh copies: what a load makes (ids) is not kept between loads.
    demo.lists = [replace(story, rows=[]) for story in LISTS]
    for story in demo.lists:
        events += _list_events(demo, story, pdf)
    passed = [s for s in demo.lists if s.council]
    events.append((_at(COUNCIL[1], 9), _council(demo, passed)))
    events.append((_at(DECISION[1], 8), _decision(demo, passed)))
    events.append((_at(REVOCATION[1], 14), _revocation(demo)))
    return events


def _list_events(demo: Any, story: ListStory, pdf: Callable[[], bytes]) -> list:
    unit = story.unit.lower()
    staff, head = f"canbo.{unit}", f"thutruong.{unit}"
    events = [(_at(story.created, 8), _create(demo, story, pdf))]
    if story.submitted:
        events.append((_at(story.submitted, 9), _fire(demo, story, "submit", staff)))
    if story.approved:
        events.append((_at(story.approved, 15), _fire(demo, story, "unit_approve", head)))
    if story.withdrawn:
        events.append(
            (_at(story.withdrawn, 10), _fire(demo, story, "withdraw", head, reason=R_WITHDRAW))
        )
    if story.office:
        events.append((_at(story.office, 9), _office(demo, story)))
    if story.fixed:
        events.append((_at(story.fixed, 9), _fix(demo, story, pdf)))
    return events


def _create(demo: Any, story: ListStory, pdf: Callable[[], bytes]) -> Run:
    def run(when: dt.datetime) -> None:
        session: Session = demo.session
        unit = demo.units[story.unit]
        staff = demo.actors[f"canbo.{story.unit.lower()}"]
        campaign = demo.campaigns[CAMPAIGN]
        story.id = dossiers.create(
            session,
            staff,
            "proposal",
            unit.id,
            {
                "title": f"Tờ trình đề nghị công nhận danh hiệu thi đua năm học 2025–2026 – "
                f"{unit.name}",
                "campaign_id": campaign.id,
                "document_number": story.number,
                "summary": (
                    f"{unit.name} đề nghị Giám đốc Sở Giáo dục và Đào tạo xét, công nhận danh "
                    "hiệu thi đua năm học 2025–2026 cho các cá nhân, tập thể có tên trong danh "
                    "sách kèm theo, theo kết quả họp xét của Hội đồng thi đua, khen thưởng trường."
                ),
                "unit_vote": "Các dòng đều được từ 80% thành viên Hội đồng đồng ý (bỏ phiếu kín)",
            },
            now=when,
        ).id
        if not story.without_files:
            for name, purpose in (
                (f"Tờ trình số {story.number.replace('/', '-')}.pdf", "proposal"),
                ("Biên bản họp Hội đồng thi đua, khen thưởng trường.pdf", "minutes"),
            ):
                evidence.attach(
                    session,
                    story.id,
                    staff,
                    name,
                    pdf(),
                    demo.upload_dir,
                    purpose=purpose,
                    now=when,
                )
        entries = _entries(session, demo, unit, story, campaign.year)
        rows = add_rows(session, staff, story.id, entries, now=when)
        story.rows = [r.id for r in rows]
        if story.without_files:
            return
        for row in rows:
            # The award's rules ask each row for its own achievement report (and initiative).
            files = [(f"Báo cáo thành tích – {row.nominee_name}.pdf", "achievement_report")]
            if row.award_type_id == demo.awards["CSTDCS"].id:
                files.append(
                    (f"Quyết định công nhận sáng kiến – {row.nominee_name}.pdf", "initiative")
                )
            for name, purpose in files:
                evidence.attach(
                    session, row.id, staff, name, pdf(), demo.upload_dir, purpose=purpose, now=when
                )

    return run


def _entries(
    session: Session, demo: Any, unit: Unit, story: ListStory, year: int
) -> list[RowEntry]:
    entries = []
    for number, person in enumerate(_workers(session, unit, story.workers)):
        achievements = _ACHIEVEMENTS[(person.id + number) % len(_ACHIEVEMENTS)]
        record_facts(session, person, year, achievements)
        entries.append(RowEntry(demo.awards["LDTT"].id, achievements, person_id=person.id))
    for person in _fighters(session, unit, story.fighters, year):
        record_facts(session, person, year, _CSTDCS)
        entries.append(RowEntry(demo.awards["CSTDCS"].id, _CSTDCS, person_id=person.id))
    if story.collective:
        collective = collective_of(session, unit, story.collective)
        entries.append(RowEntry(demo.awards["TTLDTT"].id, _COLLECTIVE, collective_id=collective.id))
    return entries


def _story_names() -> set[str]:
    """The stories' nominees: never list rows, so no story's check sees a second nomination."""
    return {fold(n["nominee"]) for n in NOMINATIONS}


def _workers(session: Session, unit: Unit, count: int) -> list[Person]:
    """The first ``count`` imported staff of the unit without an account, in register order."""
    if not count:
        return []
    people = session.scalars(
        current_people()
        .where(
            Person.unit_id == unit.id,
            Person.identity_number.is_not(None),
            Person.user_id.is_(None),
        )
        .order_by(Person.id)
    )
    return _first_unnamed(people, count, unit, "people")


def _fighters(session: Session, unit: Unit, count: int, year: int) -> list[Person]:
    """People with the year's Lao động tiên tiến in the history (Luật Điều 23 chooses among
    them), not named by a story."""
    if not count:
        return []
    people = session.scalars(
        select(Person)
        .join(AwardRecord, AwardRecord.person_id == Person.id)
        .where(
            AwardRecord.unit_id == unit.id,
            AwardRecord.year == year,
            AwardRecord.award_type.has(code="LDTT"),
            Person.user_id.is_(None),
        )
        .order_by(AwardRecord.id)
    )
    return _first_unnamed(people, count, unit, "fighters")


def _first_unnamed(people: Iterable[Person], count: int, unit: Unit, what: str) -> list[Person]:
    """The first ``count`` of ``people`` whom no story names (the demo cannot do with fewer)."""
    taken = _story_names()
    chosen = [p for p in people if p.name_key not in taken][:count]
    if len(chosen) < count:
        raise ValueError(f"demo list of {unit.code}: only {len(chosen)} {what} to name")
    return chosen


def _fire(demo: Any, story: ListStory, trigger: str, who: str, **inputs: str) -> Run:
    def run(when: dt.datetime) -> None:
        fire(demo.session, story.id, trigger, demo.actors[who], inputs=inputs, now=when)
        demo.transitions += 1

    return run


def _bulk(demo: Any, who: str, request: bulk.BulkRequest, when: dt.datetime) -> None:
    result = bulk.run(demo.session, demo.actors[who], request, now=when)
    if result.refused:
        raise RuntimeError(f"demo list rows refused: {[r.messages for r in result.refused]}")
    demo.transitions += len(result.done)


def _office(demo: Any, story: ListStory) -> Run:
    """The Office returns and declines rows with their reasons, then accepts the others."""

    def run(when: dt.datetime) -> None:
        for index, reason in story.returns.items():
            request = bulk.BulkRequest(bulk.RETURN, (story.rows[index],), reason=reason)
            _bulk(demo, "chuyenvien.vp", request, when)
        for index, reason in story.declines.items():
            request = bulk.BulkRequest(bulk.DECLINE, (story.rows[index],), reason=reason)
            _bulk(demo, "chuyenvien.vp", request, when)
        others = {story.rows[i] for i in (*story.returns, *story.declines)}
        ids = tuple(r for r in story.rows if r not in others)
        _bulk(demo, "chuyenvien.vp", bulk.BulkRequest(bulk.ACCEPT, ids), when)

    return run


def _fix(demo: Any, story: ListStory, pdf: Callable[[], bytes]) -> Run:
    """The unit corrects its returned rows on their own pages and sends them again; the head
    approves them and the Office accepts them an hour later."""

    def run(when: dt.datetime) -> None:
        session = demo.session
        unit = story.unit.lower()
        staff, head = demo.actors[f"canbo.{unit}"], demo.actors[f"thutruong.{unit}"]
        ids = tuple(story.rows[i] for i in story.returns)
        for row_id in ids:
            dossiers.edit(session, row_id, staff, {"achievements": FIXED}, now=when)
            name = session.get(Nomination, row_id).nominee_name
            evidence.attach(
                session,
                row_id,
                staff,
                f"Báo cáo thành tích (bổ sung xếp loại) – {name}.pdf",
                pdf(),
                demo.upload_dir,
                purpose="achievement_report",
                now=when,
            )
            fire(session, row_id, "resubmit", staff, now=when)
            fire(session, row_id, "unit_approve", head, now=when + dt.timedelta(minutes=30))
            demo.transitions += 2
        later = when + dt.timedelta(hours=1)
        _bulk(demo, "chuyenvien.vp", bulk.BulkRequest(bulk.ACCEPT, ids), later)

    return run


def _tally(demo: Any, votes: tuple[int, int, int]) -> dict[str, str]:
    session_id = demo.councils[COUNCIL[0]].id
    keys = ("votes_for", "votes_against", "votes_abstain")
    return {"session_id": str(session_id), **{k: str(v) for k, v in zip(keys, votes)}}


def _council(demo: Any, stories: list[ListStory]) -> Run:
    """The Council rejects the rows it does not pass, each with its tally and reason, and passes
    every other row of the lists with one tally, as the list page does."""

    def run(when: dt.datetime) -> None:
        against = _tally(demo, TALLY_AGAINST)
        for story in stories:
            for index, reason in story.rejects.items():
                request = bulk.BulkRequest(
                    "council_reject",
                    (story.rows[index],),
                    reason=reason,
                    trigger="council_reject",
                    shared=against,
                )
                _bulk(demo, "thuky.hd", request, when)
            rejected = {story.rows[i] for i in story.rejects}
            ids = tuple(r for r in _accepted(demo, story) if r not in rejected)
            request = bulk.BulkRequest(
                "council_approve", ids, trigger="council_approve", shared=_tally(demo, TALLY_FOR)
            )
            _bulk(demo, "thuky.hd", request, when + dt.timedelta(minutes=5))

    return run


def _accepted(demo: Any, story: ListStory) -> list[int]:
    waiting = agenda_states()
    ids = demo.session.scalars(rows_of(story.id).where(Nomination.state.in_(waiting))).all()
    return list(ids)


def _decision(demo: Any, stories: list[ListStory]) -> Run:
    """The Director's decision for every row the Council passed, drafted and issued."""

    def run(when: dt.datetime) -> None:
        session, secretary = demo.session, demo.actors["thuky.hd"]
        ids = [
            row
            for story in stories
            for row in session.scalars(
                rows_of(story.id).where(Nomination.state.in_(decisions.publishable_states()))
            )
        ]
        number, day = DECISION
        decision = decisions.create(
            session,
            secretary,
            number=number,
            decided_on=dt.date.fromisoformat(day),
            signer=DIRECTOR,
            title="Về việc công nhận danh hiệu thi đua năm học 2025–2026",
            legal_bases="\n".join(decisions.DEFAULT_BASES),
            dossier_ids=ids,
            now=when,
        )
        decisions.issue(session, decision.id, secretary, now=when + dt.timedelta(hours=2))
        demo.transitions += len(ids)

    return run


def _revocation(demo: Any) -> Run:
    """The Office revokes the award of one published row, by a later decision with a reason."""

    def run(when: dt.datetime) -> None:
        story = next(s for s in demo.lists if s.number == REVOKED[0])
        number, day, reason = REVOCATION
        revocation.revoke(
            demo.session,
            story.rows[REVOKED[1]],
            demo.actors["chuyenvien.vp"],
            number=number,
            decided_on=dt.date.fromisoformat(day),
            reason=reason,
            now=when,
        )

    return run
