"""Decisions (Quyết định khen thưởng) and proposal letters (Tờ trình): the service.

A decision groups nominations the Council approved, under one number, date and signer.
Issuing it publishes every one of them in one go: ``publish`` is fired on each with the
decision's number, date and signer inside a savepoint, and if the engine refuses any one,
the savepoint is rolled back (nothing is published) and the refusals are raised, each
naming its dossier. Every change is audited as a ``decision`` event. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import fcntl
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import AwardType, Campaign, Nomination, Unit
from models.clock import local_day, utcnow
from models.decisions import DECISION_DRAFT, DECISION_ISSUED, Decision, DecisionItem
from models.private_files import create_private, write_private
from models.text import nfc, person_sort_key, vi_sort_key
from workflow.awards.catalogue import NOMINEE_LABELS, conferral
from workflow.awards.eligibility import batch
from workflow.core import audit
from workflow.core.actors import Actor
from workflow.core.authz import (
    may_run_council,
    may_view_council,
    may_write_proposal,
    refuse_unless,
    visible_dossiers,
)
from workflow.core.engine import fire
from workflow.core.errors import EditRefused, NotFound, Violation, WorkflowError
from workflow.core.inputs import DECISION_NUMBER, field_required
from workflow.core.messages import Messages
from workflow.core.registry import WORKFLOWS
from workflow.council.records import record_event
from workflow.documents import docx as documents
from workflow.publication import money, verification

DECISION_MESSAGES = Messages(
    {
        "decision_empty": (
            "Vui lòng chọn ít nhất một hồ sơ đã được Hội đồng thông qua.",
            "Please choose at least one dossier approved by the Council.",
        ),
        "decision_number_taken": (
            "Số quyết định “{number}” đã được dùng.",
            "Decision number “{number}” is already used.",
        ),
        "decision_dossier_unfit": (
            "Hồ sơ “{name}” không ở trạng thái “Hội đồng thông qua”.",
            "The dossier “{name}” is not approved by the Council.",
        ),
        "decision_dossier_taken": (
            "Hồ sơ “{name}” đã thuộc quyết định {number}.",
            "The dossier “{name}” already belongs to decision {number}.",
        ),
        "decision_not_draft": (
            "Quyết định đã ban hành: không thể thay đổi.",
            "The decision is issued and cannot change.",
        ),
        "decision_item_refused": ("“{name}”: {message}", "“{name}”: {message_en}"),
        "proposal_number_invalid": (
            "Số tờ trình “{number}” không đúng mẫu, ví dụ: 12/TTr-{unit}.",
            "Proposal number “{number}” is not in the form 12/TTr-{unit}.",
        ),
        "proposal_empty": (
            "Đơn vị chưa có hồ sơ nào được thủ trưởng duyệt và gửi Sở trong phong trào này.",
            "The unit has no nomination approved by its head and sent in this campaign.",
        ),
    }
)

ENTITY = "decision"
# Awards the Department confers (as ``AwardType.conferred_by_department``); the others are
# forwarded to the city or the Ministry and published when their decision comes back.
DEPARTMENT_AUTHORITIES = ("unit_head", "department_director")
DEFAULT_SIGNER_TITLE = documents.DIRECTOR
# A deputy signs "for" the Director (ký thay), on two lines (Nghị định 30/2020/NĐ-CP).
DEPUTY_SIGNER_TITLE = f"KT. {documents.DIRECTOR}\nPHÓ {documents.DIRECTOR}"
DEFAULT_BASES = (
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết "
    "một số điều của Luật Thi đua, khen thưởng;",
    "Căn cứ Kế hoạch số 1114/KH-SGDĐT ngày 27 tháng 02 năm 2026 của Sở Giáo dục và Đào tạo "
    "phát động phong trào thi đua năm 2026;",
    "Theo đề nghị của Hội đồng Thi đua - Khen thưởng "
    "ngành Giáo dục và Đào tạo và Chánh Văn phòng Sở.",
)
ARTICLES = (
    "Các tập thể, cá nhân có tên tại Điều 1 được nhận Giấy chứng nhận (Bằng, Giấy khen) và tiền "
    "thưởng theo quy định hiện hành.",
    "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng các phòng thuộc Sở, "
    "Thủ trưởng các đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách "
    "nhiệm thi hành Quyết định này./.",
)
# Điều 2 of a decision with its annex: the money is the annex's, and its total is named.
MONEY_ARTICLE = (
    "Các tập thể, cá nhân có tên tại Điều 1 được nhận Giấy chứng nhận (Bằng, Giấy khen) và tiền "
    "thưởng theo mức ghi tại danh sách kèm theo Quyết định này (Nghị định số 152/2025/NĐ-CP, "
    "Điều 49, 50). Tổng số tiền thưởng: {total} đồng."
)
RECIPIENTS = ("- Như Điều 3;", "- Hội đồng TĐKT ngành;", "- Lưu: VT, VP.")
PUBLISH = "publish"
# The footer of an issued decision: the audit head kept when it was issued.
ISSUED_HEAD = "tại thời điểm ban hành"


def publishable_states() -> tuple[str, ...]:
    """The nomination states a decision can publish from (the Council has approved)."""
    return WORKFLOWS["nomination"].transition(PUBLISH).sources


# What the secretary does here, as a refusal names it.
_DECIDE = ("Lập, ban hành quyết định khen thưởng", "Draft or issue decisions")


def candidates(session: Session, actor: Actor) -> list[Nomination]:
    """Approved nominations of awards the Director confers that no decision holds yet."""
    taken = select(DecisionItem.dossier_id)
    rows = session.scalars(
        select(Nomination)
        .join(AwardType, Nomination.award_type_id == AwardType.id)
        .where(
            visible_dossiers(actor),
            Nomination.state.in_(publishable_states()),
            AwardType.conferring_authority.in_(DEPARTMENT_AUTHORITIES),
            Nomination.id.not_in(taken),
        )
    )
    return sorted(rows, key=_order)


def _order(dossier: Nomination) -> tuple:
    return (
        dossier.award_type_id,
        vi_sort_key(dossier.unit.name),
        person_sort_key(dossier.nominee_name),
    )


def list_decisions(session: Session) -> list[Decision]:
    """Every decision, latest first."""
    return list(
        session.scalars(
            select(Decision)
            .options(selectinload(Decision.items))
            .order_by(Decision.decided_on.desc(), Decision.id.desc())
        )
    )


def issued_decisions(session: Session) -> list[Decision]:
    """The issued decisions, latest first: what the public may read (a draft is not one)."""
    return list(
        session.scalars(
            select(Decision)
            .where(Decision.status == DECISION_ISSUED)
            .options(selectinload(Decision.items))
            .order_by(Decision.decided_on.desc(), Decision.id.desc())
        )
    )


def issued(session: Session, decision_id: int) -> Decision:
    """An issued decision, for anyone; a draft or no such decision is NotFound."""
    decision = session.get(Decision, decision_id)
    if decision is None or decision.status != DECISION_ISSUED:
        raise NotFound()
    return decision


def issued_decision_of(session: Session, dossier_id: int) -> Decision | None:
    """The issued decision that conferred a dossier's award, if the Department issued one."""
    return session.scalars(
        select(Decision)
        .join(DecisionItem, DecisionItem.decision_id == Decision.id)
        .where(DecisionItem.dossier_id == dossier_id, Decision.status == DECISION_ISSUED)
    ).first()


def get(session: Session, decision_id: int, actor: Actor) -> Decision:
    """A decision the actor may see (the Council's secretary and members)."""
    decision = session.get(Decision, decision_id)
    if decision is None or not may_view_council(actor):
        raise NotFound()
    return decision


def dossiers_of(session: Session, decision: Decision) -> list[Nomination]:
    """The decision's nominations in the order of its list."""
    ids = [item.dossier_id for item in decision.items]
    return sorted(session.scalars(select(Nomination).where(Nomination.id.in_(ids))), key=_order)


def signer_title(decision: Decision) -> str:
    """ "GIÁM ĐỐC", or "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC" when a deputy signs."""
    return DEPUTY_SIGNER_TITLE if decision.signer_deputy else DEFAULT_SIGNER_TITLE


def default_title(dossiers: Sequence[Nomination], year: int) -> str:
    """ "Về việc công nhận danh hiệu “Lao động tiên tiến” năm 2026" (a title), "Về việc tặng
    Giấy khen của Giám đốc Sở năm 2026" (a form), or a general subject."""
    awards = {d.award_type.name_vi for d in dossiers}
    if len(awards) == 1:
        return f"Về việc {conferral(awards.pop())} năm {year}"
    return f"Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc năm {year}"


def create(
    session: Session,
    actor: Actor,
    *,
    number: str,
    decided_on: dt.date | None,
    signer: str,
    title: str,
    legal_bases: str,
    dossier_ids: Iterable[int],
    now: dt.datetime | None = None,
    signer_deputy: bool = False,
) -> Decision:
    """A draft decision of approved nominations (each in one decision at most); with
    ``signer_deputy``, a deputy signs for the Director."""
    refuse_unless(may_run_council(actor), _DECIDE)
    number, signer, title = nfc(number).strip(), nfc(signer).strip(), nfc(title).strip()
    problems = _check_heading(session, number, decided_on, signer, title)
    chosen = _load_candidates(session, actor, set(dossier_ids), problems)
    if problems:
        raise EditRefused(problems)
    now = now or utcnow()
    decision = Decision(
        number=number,
        decided_on=decided_on,
        signer=signer,
        signer_deputy=bool(signer_deputy),
        title=title,
        legal_bases=nfc(legal_bases).strip(),
        status=DECISION_DRAFT,
        created_by=actor.user_id,
        created_at=now,
    )
    decision.items = [DecisionItem(dossier_id=d.id) for d in chosen]
    session.add(decision)
    session.flush()
    record_event(
        session,
        ENTITY,
        decision,
        actor,
        "create",
        now,
        to_state=DECISION_DRAFT,
        changes={
            "number": number,
            "date": decided_on,
            "signer": signer,
            "signer_deputy": bool(signer_deputy),
            "dossiers": [d.id for d in chosen],
        },
    )
    return decision


def _check_heading(
    session: Session, number: str, day: dt.date | None, signer: str, title: str
) -> list[Violation]:
    problems = []
    if not DECISION_NUMBER.match(number):
        problems.append(Violation("decision_number_invalid", {"number": number}))
    elif session.scalar(select(Decision.id).where(Decision.number == number)) is not None:
        problems.append(DECISION_MESSAGES.violation("decision_number_taken", {"number": number}))
    if day is None:
        problems.append(Violation("decision_date_missing"))
    if not signer:
        problems.append(Violation("signer_missing"))
    if not title:
        problems.append(field_required(("Trích yếu", "Subject")))
    return problems


def _load_candidates(
    session: Session, actor: Actor, ids: set[int], problems: list[Violation]
) -> list[Nomination]:
    if not ids:
        problems.append(DECISION_MESSAGES.violation("decision_empty"))
        return []
    found = {
        d.id: d
        for d in session.scalars(
            select(Nomination).where(Nomination.id.in_(sorted(ids)), visible_dossiers(actor))
        )
    }
    held = dict(
        session.execute(
            select(DecisionItem.dossier_id, Decision.number)
            .join(Decision)
            .where(DecisionItem.dossier_id.in_(sorted(ids)))
        ).all()
    )
    for dossier_id in sorted(ids):
        dossier = found.get(dossier_id)
        if dossier is None or dossier.state not in publishable_states():
            name = dossier.nominee_name if dossier else f"#{dossier_id}"
            problems.append(DECISION_MESSAGES.violation("decision_dossier_unfit", {"name": name}))
        elif dossier_id in held:
            problems.append(
                DECISION_MESSAGES.violation(
                    "decision_dossier_taken",
                    {"name": dossier.nominee_name, "number": held[dossier_id]},
                )
            )
    return sorted(found.values(), key=_order)


def issue(
    session: Session, decision_id: int, actor: Actor, now: dt.datetime | None = None
) -> list[audit.AppendedEvent]:
    """Publish every dossier of a draft decision, or none: the refusals name their dossiers."""
    refuse_unless(may_run_council(actor), _DECIDE)
    decision = _draft(session, decision_id, actor)
    now = now or utcnow()
    inputs = {
        "decision_number": decision.number,
        "decision_date": decision.decided_on.isoformat(),
        "decision_signer": decision.signer,
    }
    problems: list[Violation] = []
    events: list[audit.AppendedEvent] = []
    dossiers = dossiers_of(session, decision)
    savepoint = session.begin_nested()
    with batch(session, local_day(now), [d.id for d in dossiers]):
        for dossier in dossiers:
            try:
                events.append(fire(session, dossier.id, PUBLISH, actor, inputs=inputs, now=now))
            except WorkflowError as refused:
                problems += [
                    DECISION_MESSAGES.wrapping(
                        "decision_item_refused", v, {"name": dossier.nominee_name}
                    )
                    for v in refused.violations
                ]
    if problems:
        savepoint.rollback()
        raise EditRefused(problems)
    savepoint.commit()
    total = _keep_money(session, decision, dossiers)
    verification.assign_codes(session, decision)
    decision.status, decision.issued_at = DECISION_ISSUED, now
    record_event(
        session,
        ENTITY,
        decision,
        actor,
        "issue",
        now,
        from_state=DECISION_DRAFT,
        to_state=DECISION_ISSUED,
        changes={
            "number": decision.number,
            "dossiers": [e.entity_id for e in events],
            "total": total,
        },
    )
    # Every later copy of the issued decision prints this head, not the chain's head of the
    # day it is downloaded.
    decision.audit_seq, decision.audit_hash = audit.current_head(session)
    session.flush()
    return events


def _keep_money(session: Session, decision: Decision, dossiers: Sequence[Nomination]) -> int:
    """Write each row's money on its item, as signed; returns the total."""
    annex = money.annex(session, dossiers, decision.decided_on)
    lines = {line.dossier_id: line.money for line in annex.lines}
    for item in decision.items:
        row = lines[item.dossier_id]
        item.multiple = None if row.multiple is None else format(row.multiple.normalize(), "f")
        item.base_salary, item.amount = row.base_salary, row.amount
    return annex.total


def _kept_money(decision: Decision) -> dict[int, money.RowMoney]:
    """The money kept on an issued decision's items (a row issued without money has none
    kept: it is computed when read, so a multiple added afterwards fills it)."""
    if decision.status != DECISION_ISSUED:
        return {}
    return {
        item.dossier_id: money.RowMoney(Decimal(item.multiple), item.base_salary, item.amount)
        for item in decision.items
        if item.amount is not None and item.multiple is not None
    }


def discard(
    session: Session, decision_id: int, actor: Actor, now: dt.datetime | None = None
) -> None:
    """Delete a draft decision; its dossiers become free for another."""
    refuse_unless(may_run_council(actor), _DECIDE)
    decision = _draft(session, decision_id, actor)
    record_event(
        session,
        ENTITY,
        decision,
        actor,
        "discard",
        now or utcnow(),
        from_state=DECISION_DRAFT,
        changes={"number": decision.number},
    )
    session.delete(decision)
    session.flush()


def _draft(session: Session, decision_id: int, actor: Actor) -> Decision:
    decision = session.scalars(
        select(Decision)
        .where(Decision.id == decision_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if decision is None or not may_view_council(actor):
        raise NotFound()
    if decision.status != DECISION_DRAFT:
        raise EditRefused([DECISION_MESSAGES.violation("decision_not_draft")])
    return decision


def _rows(dossiers: Sequence[Nomination]) -> list[documents.Awardee]:
    return [
        documents.Awardee(d.nominee_name, d.position or "", d.unit.name, d.award_type.name_vi)
        for d in dossiers
    ]


def decision_annex(
    session: Session, decision: Decision, dossiers: Sequence[Nomination] | None = None
) -> money.Annex:
    """The decision's rows (``dossiers``: already read) in annex order, each with its money:
    as kept when the decision was issued, or on the decision's date for a draft."""
    if dossiers is None:
        dossiers = dossiers_of(session, decision)
    return money.annex(session, dossiers, decision.decided_on, _kept_money(decision))


def annex_rows(annex: money.Annex) -> list[documents.AnnexRow]:
    """The annex's table: per award a heading (I, II …), its individuals then its collectives
    under their own headings, each numbered from 1, the award's total; then the grand total."""
    rows = []
    for number, block in enumerate(annex.blocks, start=1):
        rows.append(documents.AnnexRow("heading", (f"{_roman(number)}. {block.award_vi}",)))
        for group in block.groups:
            label = NOMINEE_LABELS.get(group.nominee_kind, (group.nominee_kind,))[0]
            rows.append(documents.AnnexRow("heading", (label,)))
            rows += [
                documents.AnnexRow(
                    "row",
                    (
                        str(line.number),
                        line.name,
                        line.position if line.nominee_kind == "individual" else "",
                        line.unit,
                        money.dong(line.amount),
                    ),
                )
                for line in group.lines
            ]
        rows.append(
            documents.AnnexRow("total", (f"Cộng {block.award_vi}", money.dong(block.total)))
        )
    rows.append(documents.AnnexRow("total", ("Tổng cộng", money.dong(annex.total))))
    return rows


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _roman(number: int) -> str:
    """4 → "IV": the awards of an annex are numbered as its parts."""
    out = ""
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out += letters * count
    return out


def decision_letter(session: Session, decision: Decision) -> documents.Letter:
    """The decision as the document's plain data: the articles, and the annex with the money."""
    annex = decision_annex(session, decision)
    day = decision.decided_on
    return documents.Letter(
        agency_parent=documents.PARENT_AGENCY,
        agency=documents.AGENCY,
        number=decision.number,
        day=day,
        kind_title="QUYẾT ĐỊNH",
        subject=decision.title,
        authority="GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        bases=[line.strip() for line in decision.legal_bases.splitlines() if line.strip()],
        intro=first_article(annex),
        rows=[],
        articles=(MONEY_ARTICLE.format(total=money.dong(annex.total)), *ARTICLES[1:]),
        signer=decision.signer,
        signer_title=signer_title(decision),
        recipients=RECIPIENTS,
        audit_head=printed_head(session, decision),
        draft=decision.status != DECISION_ISSUED,
        audit_when=ISSUED_HEAD if decision.audit_seq is not None else documents.MADE_HEAD,
        annex=documents.Annex(
            title="DANH SÁCH CÁC TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
            subtitle=f"(Kèm theo Quyết định số {decision.number} {documents.day_words(day)} "
            "của Giám đốc Sở Giáo dục và Đào tạo)",
            rows=annex_rows(annex),
        ),
    )


def printed_head(session: Session, decision: Decision) -> tuple[int, str]:
    """The audit head a copy prints: kept at issue for an issued decision, else the current."""
    if decision.status == DECISION_ISSUED and decision.audit_seq is not None:
        return decision.audit_seq, decision.audit_hash or ""
    return audit.current_head(session)


def _kind_rank(kind: str) -> int:
    return money.NOMINEE_ORDER.index(kind) if kind in money.NOMINEE_ORDER else 99


def _counted(kind: str, count: int) -> str:
    return f"{count} {NOMINEE_LABELS.get(kind, (kind,))[0].lower()}"


def first_article(annex: money.Annex) -> str:
    """Điều 1: the individuals' awards, then the collectives', each "công nhận danh hiệu “…”"
    (a title) or "tặng …" (a form) with its count; the names are in the annex."""
    groups = [(block, group) for block in annex.blocks for group in block.groups]
    groups.sort(key=lambda pair: _kind_rank(pair[1].nominee_kind))  # stable: award order kept
    parts = [
        f"{conferral(block.award_vi)} cho {_counted(group.nominee_kind, len(group.lines))}"
        for block, group in groups
    ]
    text = "; ".join(parts) + ", có tên trong danh sách kèm theo Quyết định này."
    return text[:1].upper() + text[1:]


def decision_docx(session: Session, decision: Decision) -> bytes:
    """The decision as a DOCX, with its annex and the audit chain's head in its footer."""
    return documents.decision_docx(decision_letter(session, decision))


UNIT_APPROVE = "unit_approve"


def _not_passed() -> tuple[str, ...]:
    # What the unit's Council has not passed (its head approves and sends what it passed):
    # drafts, dossiers awaiting the head or returned for correction, and those taken back.
    wdef = WORKFLOWS["nomination"]
    open_ = (s.name for s in wdef.states if s.editable or s.retracted)
    return (wdef.initial, *open_, *wdef.transition(UNIT_APPROVE).sources)


def proposal_nominations(
    session: Session, actor: Actor, unit_id: int, campaign_id: int
) -> list[Nomination]:
    """A unit's nominations in a campaign that its Council passed (the head approved and sent
    them), by award, individuals before collectives."""
    if not may_write_proposal(actor, unit_id):
        raise NotFound()
    rows = session.scalars(
        select(Nomination).where(
            Nomination.unit_id == unit_id,
            Nomination.campaign_id == campaign_id,
            Nomination.state.not_in(_not_passed()),
        )
    )
    return sorted(rows, key=money.annex_order)


def proposal_docx(
    session: Session,
    actor: Actor,
    *,
    unit_id: int,
    campaign_id: int,
    number: str,
    day: dt.date | None,
    signer: str,
) -> bytes:
    """The unit's Tờ trình listing its nominations of a campaign."""
    unit, campaign = session.get(Unit, unit_id), session.get(Campaign, campaign_id)
    if unit is None or campaign is None:
        raise NotFound()
    dossiers = proposal_nominations(session, actor, unit_id, campaign_id)
    number, signer = nfc(number).strip(), nfc(signer).strip()
    problems = []
    if not documents.PROPOSAL_NUMBER.match(number):
        problems.append(
            DECISION_MESSAGES.violation(
                "proposal_number_invalid", {"number": number, "unit": unit.code.upper()}
            )
        )
    if day is None:
        problems.append(Violation("decision_date_missing"))
    if not signer:
        problems.append(Violation("signer_missing"))
    if not dossiers:
        problems.append(DECISION_MESSAGES.violation("proposal_empty"))
    if problems:
        raise EditRefused(problems)
    school = unit.kind not in ("department", "office", "division", "other")
    letter = documents.Letter(
        agency_parent=documents.DEPARTMENT_FOR_UNITS,
        agency=unit.name.upper(),
        number=number,
        day=day,
        kind_title="TỜ TRÌNH",
        subject=f"Về việc đề nghị khen thưởng năm {campaign.year}",
        addressee="Kính gửi: Sở Giáo dục và Đào tạo thành phố Hải Phòng",
        bases=[
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            f"Căn cứ {documents.quoted(campaign.name)} của Sở Giáo dục và Đào tạo;",
            f"Căn cứ kết quả họp xét của Hội đồng Thi đua - Khen thưởng {unit.name},",
        ],
        intro=f"{unit.name} kính trình Sở Giáo dục và Đào tạo xem xét, khen thưởng cho "
        f"{_proposal_counts(dossiers)} sau:",
        rows=_rows(dossiers),
        closing="(Có hồ sơ đề nghị kèm theo.) Kính đề nghị Sở Giáo dục và Đào tạo "
        "xem xét, quyết định./.",
        columns=("STT", "Họ và tên / Tập thể", "Chức vụ", "Đơn vị", "Danh hiệu đề nghị"),
        signer=signer,
        signer_title="HIỆU TRƯỞNG" if school else "THỦ TRƯỞNG ĐƠN VỊ",
        recipients=("- Như trên;", "- Lưu: VT."),
        audit_head=audit.current_head(session),
    )
    return documents.proposal_docx(letter)


def _proposal_counts(dossiers: Sequence[Nomination]) -> str:
    """ "3 cá nhân và 1 tập thể" of a proposal's rows."""
    kinds = dict.fromkeys(sorted({d.nominee_kind for d in dossiers}, key=_kind_rank))
    for kind in kinds:
        kinds[kind] = sum(1 for d in dossiers if d.nominee_kind == kind)
    return " và ".join(_counted(kind, n) for kind, n in kinds.items())


def issued_pdf(session: Session, decision: Decision, cache_dir: Path) -> bytes | None:
    """An issued decision as PDF, made once and kept in ``cache_dir`` (LibreOffice takes
    seconds; a public page may be downloaded often). None without LibreOffice. Its footer
    carries the audit chain's head of the moment it was made, as any printed copy does.

    A lock file per decision makes concurrent first downloads wait for one conversion
    instead of each running LibreOffice."""
    if decision.status != DECISION_ISSUED:
        raise NotFound()
    path = Path(cache_dir) / f"{decision.id}.pdf"
    if path.is_file():
        return path.read_bytes()
    if documents.pdf_converter() is None:
        return None
    lock = create_private(path.with_suffix(".lock"))
    with lock.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if path.is_file():  # another request made it while this one waited
                return path.read_bytes()
            pdf = documents.to_pdf(decision_docx(session, decision))
            if pdf is not None:
                write_private(path, pdf)
            return pdf
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
