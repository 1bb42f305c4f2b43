"""Each guard and required input of the lifecycles refuses what it must, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest

from models import AwardType
from tests.fixtures.people import (
    NOW,
    PDF,
    add_person,
    make_council_session,
    make_dossier,
    register_person,
)
from tests.fixtures.snapshots import assert_refused, snapshot
from workflow import fire
from workflow.dossiers import content as dossiers
from workflow.dossiers import evidence

REASON = {"reason": "Hồ sơ cần bổ sung"}


def _vote(council, votes_for, against=0, abstain=0, **extra):
    return {
        "session_id": council.id,
        "votes_for": votes_for,
        "votes_against": against,
        "votes_abstain": abstain,
        **extra,
    }


def _submit(session, world, dossier, actor="staff_a", now=NOW):
    return fire(session, dossier.id, "submit", world.actor(actor), now=now)


# --- content: evidence, fields, award kind -----------------------------------------------


@pytest.mark.db
def test_missing_evidence_refuses_submit_and_resubmit(session, world):
    bare = make_dossier(session, world, evidence_files=0)
    error = assert_refused(
        session, bare.id, lambda: _submit(session, world, bare), "evidence_missing"
    )
    assert error.messages("vi") == ["Hồ sơ chưa có tệp minh chứng nào."]

    returned = make_dossier(session, world, state="returned")
    evidence.detach(session, returned.attachments[0].id, world.actor("staff_a"), now=NOW)
    assert_refused(
        session,
        returned.id,
        lambda: fire(session, returned.id, "resubmit", world.actor("staff_a"), now=NOW),
        "evidence_missing",
    )


@pytest.mark.db
@pytest.mark.parametrize(
    "field,label,code",
    [
        ("title", "Tiêu đề", "field_required"),
        # Chosen from the register, never typed: "please choose".
        ("nominee_name", "Người hoặc tập thể được đề nghị", "field_not_chosen"),
        ("achievements", "Thành tích", "field_required"),
    ],
)
@pytest.mark.parametrize("blank", ["", "   \n"])
def test_missing_fields_refuse_submit(session, world, field, label, code, blank):
    if field == "nominee_name":
        # Copied from the register, never typed: an entry without a name is the only way.
        dossier = make_dossier(session, world)
        dossier.nominee_name = blank
        session.flush()
    else:
        dossier = make_dossier(session, world, **{field: blank})
    error = assert_refused(session, dossier.id, lambda: _submit(session, world, dossier), code)
    assert f"“{label}”" in error.messages("vi")[0]


@pytest.mark.db
def test_award_kind_mismatch(session, world):
    wrong = make_dossier(session, world, nominee_kind="collective", nominee_name="Tổ Toán - Tin")
    error = assert_refused(
        session, wrong.id, lambda: _submit(session, world, wrong), "award_kind_mismatch"
    )
    assert "Lao động tiên tiến" in error.messages("vi")[0] and "tập thể" in error.messages("vi")[0]
    right = make_dossier(
        session,
        world,
        nominee_kind="collective",
        nominee_name="Tổ Toán - Tin",
        award_type_id=world.awards["ttldtt"].id,
    )
    assert _submit(session, world, right).to_state == "unit_review"


# --- the campaign window -----------------------------------------------------------------


def _day(y, m, d):
    return dt.datetime(y, m, d, 9, 0, tzinfo=dt.UTC)


@pytest.mark.db
@pytest.mark.parametrize("day", [_day(2026, 2, 28), _day(2026, 12, 11), _day(2027, 1, 5)])
def test_campaign_window_closed_refuses_submit(session, world, day):
    dossier = make_dossier(session, world)
    error = assert_refused(
        session, dossier.id, lambda: _submit(session, world, dossier, now=day), "campaign_closed"
    )
    assert "01/03/2026 – 10/12/2026" in error.messages("vi")[0]


@pytest.mark.db
@pytest.mark.parametrize("day", [_day(2026, 3, 1), _day(2026, 12, 10)])
def test_campaign_window_bounds_are_inclusive(session, world, day):
    dossier = make_dossier(session, world)
    assert _submit(session, world, dossier, now=day).to_state == "unit_review"


@pytest.mark.db
@pytest.mark.parametrize(
    "moment,accepted",
    [
        (dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC), True),  # 06:30 on 1/3 in Hải Phòng
        (dt.datetime(2026, 2, 28, 16, 59, tzinfo=dt.UTC), False),  # 23:59 on 28/2 in Hải Phòng
        (dt.datetime(2026, 12, 10, 16, 59, tzinfo=dt.UTC), True),  # 23:59 on 10/12
        (dt.datetime(2026, 12, 10, 17, 0, tzinfo=dt.UTC), False),  # 00:00 on 11/12
    ],
)
def test_campaign_window_counts_hai_phong_days(session, world, moment, accepted):
    dossier = make_dossier(session, world)
    if accepted:
        assert _submit(session, world, dossier, now=moment).to_state == "unit_review"
    else:
        assert_refused(
            session,
            dossier.id,
            lambda: _submit(session, world, dossier, now=moment),
            "campaign_closed",
        )


@pytest.mark.db
def test_ad_hoc_nominations_are_accepted_outside_the_window(session, world):
    closed = _day(2027, 1, 5)
    flagged = make_dossier(session, world, ad_hoc=True)
    assert _submit(session, world, flagged, now=closed).to_state == "unit_review"
    in_ad_hoc_campaign = make_dossier(session, world, campaign_id=world.ad_hoc.id)
    assert _submit(session, world, in_ad_hoc_campaign, now=closed).to_state == "unit_review"


@pytest.mark.db
def test_inactive_campaign_refuses_even_ad_hoc(session, world):
    dossier = make_dossier(session, world, ad_hoc=True)
    world.campaign.active = False
    session.flush()
    assert_refused(
        session, dossier.id, lambda: _submit(session, world, dossier), "campaign_inactive"
    )


@pytest.mark.db
def test_window_applies_to_first_submission_only(session, world):
    returned = make_dossier(session, world, state="returned")
    event = fire(session, returned.id, "resubmit", world.actor("staff_a"), now=_day(2027, 1, 5))
    assert event.to_state == "unit_review"


# --- reasons -----------------------------------------------------------------------------

REASON_ROWS = [
    ("unit_return", "unit_review", "head_a"),
    ("office_return", "office_review", "reviewer"),
    ("withdraw", "draft", "head_a"),
    ("council_reject", "council_review", "secretary"),
    ("council_defer", "council_review", "secretary"),
]


@pytest.mark.db
@pytest.mark.parametrize("trigger,source,actor", REASON_ROWS)
@pytest.mark.parametrize("reason", [None, "", "   ", "\t\n "])
def test_reason_required(session, world, trigger, source, actor, reason):
    council = make_council_session(session, world)
    dossier = make_dossier(session, world, state=source, council=council)
    inputs = _vote(council, 0, 5) if trigger == "council_reject" else {}
    if reason is not None:
        inputs["reason"] = reason
    error = assert_refused(
        session,
        dossier.id,
        lambda: fire(session, dossier.id, trigger, world.actor(actor), inputs=inputs, now=NOW),
        "reason_required",
    )
    assert "Vui lòng nhập lý do." in error.messages("vi")


# --- separation of duties ----------------------------------------------------------------


@pytest.mark.db
def test_reviewer_who_is_the_nominee_is_refused(session, world):
    dossier = make_dossier(
        session, world, state="office_review", nominee_user_id=world.users["reviewer"].id
    )
    assert_refused(
        session,
        dossier.id,
        lambda: fire(session, dossier.id, "office_approve", world.actor("reviewer"), now=NOW),
        "reviewer_is_nominee",
    )
    assert (
        fire(session, dossier.id, "office_approve", world.actor("reviewer2"), now=NOW).to_state
        == "council_review"
    )


@pytest.mark.db
@pytest.mark.parametrize(
    "kind,trigger",
    [("nomination", "office_approve"), ("plan", "office_accept"), ("report", "office_approve")],
)
def test_reviewer_who_is_the_author_is_refused(session, world, kind, trigger):
    both = add_person(
        session, world, "kiemnhiem", "Mạc Thị Yến", [("office_reviewer", None), ("unit_staff", "a")]
    )
    fields = {
        "title": "Hồ sơ do người kiêm nhiệm lập",
        "campaign_id": world.campaign.id,
        "summary": "Nội dung.",
    }
    if kind == "nomination":
        fields = {k: v for k, v in fields.items() if k != "summary"}
        fields.update(
            nominee_kind="individual",
            person_id=register_person(session, world, "Vũ Thị Hạnh").id,
            achievements="Dạy giỏi.",
            award_type_id=world.awards["ldtt"].id,
        )
    dossier = dossiers.create(session, both, kind, world.units["a"].id, fields, now=NOW)
    if kind == "nomination":
        evidence.attach(session, dossier.id, both, "Minh chứng.pdf", PDF, world.upload_dir, now=NOW)
    fire(session, dossier.id, "submit", both, now=NOW)
    fire(session, dossier.id, "unit_approve", world.actor("head_a"), now=NOW)
    error = assert_refused(
        session,
        dossier.id,
        lambda: fire(session, dossier.id, trigger, both, now=NOW),
        "reviewer_is_author",
    )
    assert error.is_permission
    assert (
        fire(session, dossier.id, trigger, world.actor("reviewer"), now=NOW).actor_role
        == "office_reviewer"
    )


# --- the Council -------------------------------------------------------------------------


@pytest.mark.db
@pytest.mark.parametrize("trigger", ["council_approve", "council_reject"])
def test_quorum_not_met(session, world, trigger):
    council = make_council_session(session, world, present=3)  # 3 of 5 < ceil(5 × 67%) = 4
    dossier = make_dossier(session, world, state="council_review")
    error = assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session,
            dossier.id,
            trigger,
            world.actor("secretary"),
            inputs=_vote(council, 3, **REASON),
            now=NOW,
        ),
        "quorum_not_met",
    )
    assert "có mặt 3/5, cần ít nhất 4" in error.messages("vi")[0]
    enough = make_council_session(session, world, present=4)
    votes = (
        _vote(enough, 3, 1, **REASON)
        if trigger == "council_approve"
        else _vote(enough, 0, 4, **REASON)
    )
    assert fire(session, dossier.id, trigger, world.actor("secretary"), inputs=votes, now=NOW)


@pytest.mark.db
def test_council_session_required_and_open(session, world):
    dossier = make_dossier(session, world, state="council_review")
    secretary = world.actor("secretary")
    for inputs in (
        {},
        {"session_id": "abc", "votes_for": 5},
        {"session_id": 10**8, "votes_for": 5},
    ):
        assert_refused(
            session,
            dossier.id,
            lambda: fire(session, dossier.id, "council_approve", secretary, inputs=inputs, now=NOW),
            "session_required",
        )
    council = make_council_session(session, world)
    council.status = "closed"
    session.flush()
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session, dossier.id, "council_approve", secretary, inputs=_vote(council, 5), now=NOW
        ),
        "session_closed",
    )


@pytest.mark.db
@pytest.mark.parametrize(
    "trigger", ["council_approve", "council_reject", "council_defer", "council_classify"]
)
@pytest.mark.parametrize(
    "tally,code",
    [
        ((6, 0, 0), "votes_invalid"),
        ((3, 2, 1), "votes_invalid"),
        ((-1, 3, 0), "votes_not_counts"),
        ((2, -1, 0), "votes_not_counts"),
        (("abc", 0, 0), "votes_not_counts"),
        (("2.5", 0, 0), "votes_not_counts"),
    ],
)
def test_impossible_tally_is_refused(session, world, trigger, tally, code):
    """Whatever the outcome, a tally the session cannot have given is refused, never recorded."""
    council = make_council_session(session, world)  # 5 present
    kind = "report" if trigger == "council_classify" else "nomination"
    dossier = make_dossier(session, world, kind=kind, state="council_review")
    inputs = _vote(council, *tally, classification="good", **REASON)
    error = assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session, dossier.id, trigger, world.actor("secretary"), inputs=inputs, now=NOW
        ),
        code,
    )
    assert not error.is_permission


@pytest.mark.db
@pytest.mark.parametrize("trigger", ["council_reject", "council_defer", "council_classify"])
def test_possible_tally_is_recorded(session, world, trigger):
    council = make_council_session(session, world)
    kind = "report" if trigger == "council_classify" else "nomination"
    dossier = make_dossier(session, world, kind=kind, state="council_review")
    event = fire(
        session,
        dossier.id,
        trigger,
        world.actor("secretary"),
        now=NOW,
        inputs=_vote(council, " 2", "1", "", classification="good", **REASON),
    )
    assert '"votes":[2,1,0]' in event.changes


def _award(session, code, share, base):
    award = AwardType(
        code=code,
        name_vi=f"Danh hiệu {code}",
        name_en=code,
        nominee_kind="individual",
        conferring_authority="department_director",
        vote_threshold=share,
        threshold_base=base,
    )
    session.add(award)
    session.flush()
    return award


@pytest.mark.db
def test_threshold_base_present_versus_all_members(session, world):
    council = make_council_session(session, world, present=4)
    on_present = make_dossier(
        session,
        world,
        state="council_review",
        award_type_id=_award(session, "T75P", "3/4", "present").id,
    )
    on_all = make_dossier(
        session,
        world,
        state="council_review",
        award_type_id=_award(session, "T75A", "3/4", "all_members").id,
    )
    secretary = world.actor("secretary")
    # 3 of 4 present reaches 75%; 3 of all 5 members does not (4 needed).
    assert fire(
        session, on_present.id, "council_approve", secretary, inputs=_vote(council, 3, 1), now=NOW
    )
    error = assert_refused(
        session,
        on_all.id,
        lambda: fire(
            session, on_all.id, "council_approve", secretary, inputs=_vote(council, 3, 1), now=NOW
        ),
        "threshold_not_met",
    )
    expected = "3/5 phiếu đồng ý, cần ít nhất 4/5 — ba phần tư tổng số thành viên"
    assert expected in error.messages("vi")[0]
    assert fire(session, on_all.id, "council_approve", secretary, inputs=_vote(council, 4), now=NOW)


@pytest.mark.db
def test_threshold_of_the_catalogue_awards(session, world):
    council = make_council_session(session, world, present=4)
    ldtt = make_dossier(session, world, state="council_review")  # 50% of those present: 2 of 4
    secretary = world.actor("secretary")
    assert_refused(
        session,
        ldtt.id,
        lambda: fire(
            session, ldtt.id, "council_approve", secretary, inputs=_vote(council, 1, 3), now=NOW
        ),
        "threshold_not_met",
    )
    assert fire(
        session, ldtt.id, "council_approve", secretary, inputs=_vote(council, 2, 2), now=NOW
    )
    # 90% of all five members: 5 needed, impossible with 4 present.
    cstd = make_dossier(
        session, world, state="council_review", award_type_id=world.awards["cstdcs"].id
    )
    assert_refused(
        session,
        cstd.id,
        lambda: fire(
            session, cstd.id, "council_approve", secretary, inputs=_vote(council, 4), now=NOW
        ),
        "threshold_not_met",
    )


@pytest.mark.db
def test_nominee_who_is_a_present_member_is_recused(session, world):
    council = make_council_session(session, world)  # five present, member1 among them
    dossier = make_dossier(
        session, world, state="council_review", nominee_user_id=world.users["member1"].id
    )
    secretary = world.actor("secretary")
    error = assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session, dossier.id, "council_approve", secretary, inputs=_vote(council, 5), now=NOW
        ),
        "votes_invalid",
    )
    assert "chỉ có 4 thành viên được bỏ phiếu" in error.messages("vi")[0]
    # Quorum still counts the nominee as present; the threshold is on the four voters.
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session, dossier.id, "council_approve", secretary, inputs=_vote(council, 1, 3), now=NOW
        ),
        "threshold_not_met",
    )
    assert fire(
        session, dossier.id, "council_approve", secretary, inputs=_vote(council, 2, 2), now=NOW
    )


# --- publication and classification ------------------------------------------------------

DECISION = {"decision_date": "2026-06-05", "decision_signer": "Nguyễn Văn Giám"}


@pytest.mark.db
@pytest.mark.parametrize("number", ["05/QĐ-SGDĐT", "123/QĐ-SGDĐT", "10/QĐ-UBND"])
def test_decision_number_accepted(session, world, number):
    dossier = make_dossier(session, world, state="approved")
    event = fire(
        session,
        dossier.id,
        "publish",
        world.actor("secretary"),
        inputs={"decision_number": number, **DECISION},
        now=NOW,
    )
    assert dossier.decision_number == number and event.to_state == "published"


@pytest.mark.db
@pytest.mark.parametrize(
    "number",
    [
        "5/QĐ-SGDĐT",
        "05 / QĐ-SGDĐT",
        "05/QĐ - SGDĐT",
        "00/QĐ-SGDĐT",
        "05/QD-SGDDT",
        "05/QĐ-",
        "",
        "QĐ-SGDĐT",
    ],
)
def test_decision_number_format_refused(session, world, number):
    dossier = make_dossier(session, world, state="approved")
    error = assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session,
            dossier.id,
            "publish",
            world.actor("secretary"),
            inputs={"decision_number": number, **DECISION},
            now=NOW,
        ),
        "decision_number_invalid",
    )
    assert "ví dụ: 05/QĐ-SGDĐT" in error.messages("vi")[0]


@pytest.mark.db
@pytest.mark.parametrize(
    "change,code",
    [
        ({"decision_date": ""}, "decision_date_missing"),
        ({"decision_date": "2026-13-01"}, "date_format"),
        ({"decision_date": "31/02/2026"}, "date_format"),
        ({"decision_signer": "  "}, "signer_missing"),
    ],
)
def test_decision_date_and_signer_required(session, world, change, code):
    dossier = make_dossier(session, world, state="approved")
    inputs = {"decision_number": "05/QĐ-SGDĐT", **DECISION, **change}
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session, dossier.id, "publish", world.actor("secretary"), inputs=inputs, now=NOW
        ),
        code,
    )


@pytest.mark.db
def test_decision_date_given_as_datetime_is_stored_as_a_date(session, world):
    dossier = make_dossier(session, world, state="approved")
    event = fire(
        session,
        dossier.id,
        "publish",
        world.actor("secretary"),
        now=NOW,
        inputs={
            "decision_number": "05/QĐ-SGDĐT",
            "decision_signer": "Nguyễn Văn Giám",
            "decision_date": dt.datetime(2026, 6, 5, 10, 30, tzinfo=dt.UTC),
        },
    )
    session.expire(dossier)
    assert dossier.decision_date == dt.date(2026, 6, 5)
    assert '"decision_date":"2026-06-05"' in event.changes


@pytest.mark.db
@pytest.mark.parametrize("classification", [None, "", "bogus", "Excellent"])
def test_classification_invalid(session, world, classification):
    council = make_council_session(session, world)
    report = make_dossier(session, world, kind="report", state="council_review")
    inputs = _vote(council, 5)
    if classification is not None:
        inputs["classification"] = classification
    before = snapshot(session, report.id)
    assert_refused(
        session,
        report.id,
        lambda: fire(
            session, report.id, "council_classify", world.actor("secretary"), inputs=inputs, now=NOW
        ),
        "classification_invalid",
    )
    assert report.classification is None and snapshot(session, report.id) == before


@pytest.mark.db
def test_defer_in_a_closed_session_is_refused_and_without_a_session_allowed(session, world):
    from workflow.core.errors import TransitionRefused

    council = make_council_session(session, world)
    council.status = "closed"
    first = make_dossier(session, world, "nomination", "council_review")
    with pytest.raises(TransitionRefused) as refused:
        fire(
            session,
            first.id,
            "council_defer",
            world.actor("secretary"),
            inputs={"reason": "Cần xác minh thêm", "session_id": council.id},
        )
    assert refused.value.code == "session_closed" and first.state == "council_review"
    fire(
        session,
        first.id,
        "council_defer",
        world.actor("secretary"),
        inputs={"reason": "Cần xác minh thêm"},
    )
    assert first.state == "office_review"
