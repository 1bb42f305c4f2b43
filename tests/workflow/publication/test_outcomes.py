"""The public query functions: only published outcomes, folded search, filters, order, feed."""

import unicodedata

import pytest
from sqlalchemy import func, select, update

from models import Campaign, Dossier
from models.dossiers import fill_sort_keys
from models.text import person_sort_bytes, vi_sort_bytes
from tests.fixtures.people import NOMINATION_PATHS, NOW, make_dossier
from workflow import fire
from workflow.core import audit
from workflow.core.audit import current_head
from workflow.publication.outcomes import (
    OutcomeFilter,
    audit_head,
    facets,
    get_outcome,
    iter_outcomes,
    load_outcomes,
    outcome_ids,
    public_events,
    public_record,
    publication_event,
    search,
)

pytestmark = pytest.mark.db


def publish(session, world, date="2026-06-05", number="05/QĐ-SGDĐT", kind="nomination", **fields):
    """A dossier published through the engine with its own decision date and number."""
    dossier = make_dossier(
        session, world, kind, "approved" if kind == "nomination" else "classified", **fields
    )
    fire(
        session,
        dossier.id,
        "publish",
        world.actor("secretary"),
        now=NOW,
        inputs={
            "decision_number": number,
            "decision_date": date,
            "decision_signer": "Nguyễn Văn Giám",
        },
    )
    return dossier


def names(session, filters=OutcomeFilter(), sort="-date"):
    ids = session.scalars(outcome_ids(session, filters, sort)).all()
    return [o.name for o in load_outcomes(session, ids)]


@pytest.fixture()
def outcomes(session, world):
    """Published outcomes of both units, and one dossier in every other nomination state."""
    made = {
        "phu": publish(session, world, "2026-06-05", nominee_name="Trần Phú", position="Giáo viên"),
        "hai": publish(
            session,
            world,
            "2026-06-07",
            "07/QĐ-SGDĐT",
            nominee_name="Đặng Văn Hải",
            position="Tổ trưởng chuyên môn",
            award_type_id=world.awards["cstdcs"].id,
        ),
        "bao": publish(
            session, world, "2026-06-06", "06/QĐ-SGDĐT", unit="b", nominee_name="Lê Văn Bảo"
        ),
        "report": publish(session, world, "2026-06-08", "08/QĐ-SGDĐT", kind="report", unit="b"),
    }
    for state in NOMINATION_PATHS:
        if state != "published":
            made[state] = make_dossier(
                session, world, "nomination", state, nominee_name=f"Chưa công bố {state}"
            )
    made["classified"] = make_dossier(session, world, "report", "classified")
    return made


def test_only_published_outcomes(session, world, outcomes):
    assert sorted(names(session)) == sorted(
        ["Trần Phú", "Đặng Văn Hải", "Lê Văn Bảo", world.units["b"].name]
    )
    for key, dossier in outcomes.items():
        found = get_outcome(session, dossier.id)
        assert (found is not None) == (key in ("phu", "hai", "bao", "report")), key


def test_outcome_carries_only_public_fields(session, world, outcomes):
    item = get_outcome(session, outcomes["hai"].id)
    assert (item.name, item.position, item.unit_name) == (
        "Đặng Văn Hải",
        "Tổ trưởng chuyên môn",
        world.units["a"].name,
    )
    assert (item.award("vi"), item.award("en")) == (
        "Chiến sĩ thi đua cơ sở",
        "Grassroots Emulation Fighter",
    )
    assert (item.campaign_name, item.year) == (world.campaign.name, 2026)
    assert (item.decision_number, item.decision_date.isoformat()) == ("07/QĐ-SGDĐT", "2026-06-07")
    report = get_outcome(session, outcomes["report"].id)
    assert report.kind == "report" and report.award("vi") == "Hoàn thành xuất sắc nhiệm vụ"
    assert report.position is None


@pytest.mark.parametrize(
    "query,expected",
    [
        ("tran phu", {"Trần Phú", "Đặng Văn Hải"}),  # unit a is "Trường THPT Chuyên Trần Phú"
        ("TRAN PHU", {"Trần Phú", "Đặng Văn Hải"}),
        ("phu tran", {"Trần Phú", "Đặng Văn Hải"}),  # every word, in any order
        ("hai", {"Đặng Văn Hải"}),
        ("dang van", {"Đặng Văn Hải", "Lê Văn Bảo"}),  # Bảo's unit is "… Đặng Trần Côn"
        ("Đặng Văn", {"Đặng Văn Hải", "Lê Văn Bảo"}),
        (unicodedata.normalize("NFD", "Đặng Văn Hải"), {"Đặng Văn Hải"}),
        ("đang", {"Đặng Văn Hải", "Lê Văn Bảo", "Trường Tiểu học Đặng Trần Côn"}),  # đ folds to d
        ("bao", {"Lê Văn Bảo"}),
        ("tổ trưởng", {"Đặng Văn Hải"}),  # position
        ("chien si", {"Đặng Văn Hải"}),  # award
        ("xuat sac", {"Trường Tiểu học Đặng Trần Côn"}),  # a report's classification
        ("tran xyz", set()),
        ("50%", set()),  # LIKE wildcards are literal
        ("_", set()),
    ],
)
def test_search_folds_diacritics_and_case(session, world, outcomes, query, expected):
    assert set(names(session, OutcomeFilter(q=query))) == expected


def test_filters(session, world, outcomes):
    old = Campaign(code="DX-2025", name="Khen thưởng đột xuất năm 2025", kind="ad_hoc", year=2025)
    session.add(old)
    session.flush()
    publish(
        session,
        world,
        "2025-11-20",
        "20/QĐ-SGDĐT",
        nominee_name="Vũ Thị Lan",
        campaign_id=old.id,
        ad_hoc=True,
    )
    assert names(session, OutcomeFilter(year=2025)) == ["Vũ Thị Lan"]
    assert "Vũ Thị Lan" not in names(session, OutcomeFilter(year=2026))
    assert names(session, OutcomeFilter(campaign_id=old.id)) == ["Vũ Thị Lan"]
    assert names(session, OutcomeFilter(award=str(world.awards["cstdcs"].id))) == ["Đặng Văn Hải"]
    assert names(session, OutcomeFilter(award="excellent")) == [world.units["b"].name]
    assert names(session, OutcomeFilter(award="good")) == []
    assert set(names(session, OutcomeFilter(unit_id=world.units["b"].id))) == {
        "Lê Văn Bảo",
        world.units["b"].name,
    }
    assert names(session, OutcomeFilter(q="bao", unit_id=world.units["a"].id)) == []
    seen = facets(session)
    assert seen.years == [2026, 2025]
    assert [c[0] for c in seen.campaigns][-1] == old.id  # newest year first
    assert {a[0] for a in seen.awards} == {a.id for a in world.awards.values()}
    assert [c[0] for c in seen.classifications] == [
        "excellent",
        "good",
        "completed",
        "not_completed",
    ]
    # Only units with a published outcome (not the Department).
    assert {u[0] for u in seen.units} == {world.units["a"].id, world.units["b"].id}


def test_sorted_by_decision_date_then_vietnamese_names(session, world, outcomes):
    unit_b = world.units["b"].name
    assert names(session) == [unit_b, "Đặng Văn Hải", "Lê Văn Bảo", "Trần Phú"]
    assert names(session, sort="date") == ["Trần Phú", "Lê Văn Bảo", "Đặng Văn Hải", unit_b]
    # Given name first (Bảo < Côn < Hải < Phú), in the Vietnamese alphabet.
    assert names(session, sort="name") == ["Lê Văn Bảo", unit_b, "Đặng Văn Hải", "Trần Phú"]
    assert names(session, sort="-name") == ["Trần Phú", "Đặng Văn Hải", unit_b, "Lê Văn Bảo"]


def test_name_order_follows_the_vietnamese_alphabet(session, world):
    for name in ("Hoàng Thị Dung", "Phạm Văn Đạt", "Nguyễn Văn An", "Trần Thị Ánh", "Lê Đức Bình"):
        publish(session, world, nominee_name=name)
    # d before đ, a before á (tone marks count after letters): the whole list, not one page.
    assert names(session, sort="name") == [
        "Nguyễn Văn An",
        "Trần Thị Ánh",
        "Lê Đức Bình",
        "Hoàng Thị Dung",
        "Phạm Văn Đạt",
    ]


def test_export_streams_the_filtered_list(session, world, outcomes):
    rows = list(iter_outcomes(session, OutcomeFilter(unit_id=world.units["a"].id), "name"))
    assert [r.name for r in rows] == ["Đặng Văn Hải", "Trần Phú"]


def test_publication_event_and_head(session, world, outcomes):
    event = publication_event(session, outcomes["phu"].id)
    assert (
        event.action == "publish" and event.visibility == "public" and event.to_state == "published"
    )
    assert publication_event(session, outcomes["approved"].id) is None
    head = audit_head(session)
    assert (head.seq, head.hash) == current_head(session)
    assert head.occurred_at is not None


def test_pages_and_records_are_kept_per_audit_head(session, world, outcomes):
    first = search(session)
    assert search(session) is first  # the same head: the page is not read again
    record = public_record(session, outcomes["phu"].id)
    assert record.outcome == get_outcome(session, outcomes["phu"].id)
    assert record.event.seq == publication_event(session, outcomes["phu"].id).seq
    assert public_record(session, outcomes["approved"].id) is None
    publish(session, world, "2026-06-09", "09/QĐ-SGDĐT", nominee_name="Vũ Văn Mới")
    assert search(session).items[0].name == "Vũ Văn Mới"  # a new head: read again
    assert search(session).total == first.total + 1


def test_a_dossiers_internal_steps_keep_the_pages_an_outside_event_renews_them(
    session, world, outcomes
):
    first = search(session)
    record = public_record(session, outcomes["phu"].id)
    seq, _ = current_head(session)
    fire(session, outcomes["draft"].id, "submit", world.actor("staff_a"), now=NOW)
    fire(session, outcomes["unit_review"].id, "unit_approve", world.actor("head_a"), now=NOW)
    assert current_head(session)[0] == seq + 2  # the chain moved on...
    assert search(session) is first  # ...but nothing the public sees did: kept
    assert public_record(session, outcomes["phu"].id) is record
    assert audit_head(session).seq == seq + 2  # the head shown on every page is still current
    audit.append(
        session,
        entity_type="unit",
        entity_id=world.units["b"].id,
        action="update",
        actor_id=None,
        actor_role=None,
    )  # a unit renamed: its name is on the public list
    assert search(session) is not first
    assert search(session) == first


def test_public_events_hide_internal_content(session, world, outcomes):
    events = public_events(session, 0, 1000)
    seq, _ = current_head(session)
    assert [e["seq"] for e in events] == list(range(1, seq + 1))
    publish_seq = publication_event(session, outcomes["phu"].id).seq
    for record in events:
        assert set(record) >= {"seq", "occurred_at", "leaf_hash", "prev_hash", "hash"}
        assert ("canonical" in record) == (record["visibility"] == "public")
    assert "canonical" in events[publish_seq - 1]
    assert "Giáo viên dạy giỏi" not in str([e for e in events if "canonical" in e])
    page = public_events(session, after=3, limit=2)
    assert [e["seq"] for e in page] == [4, 5]
    assert len(public_events(session, 0, 5000)) == min(seq, 1000)


def test_the_stored_sort_keys_follow_names_and_renamed_units(session, world, outcomes):
    hai, unit_b = outcomes["hai"], world.units["b"]
    report = outcomes["report"]
    assert hai.name_sort == person_sort_bytes("Đặng Văn Hải")
    assert hai.unit_sort == vi_sort_bytes(world.units["a"].name)
    assert report.name_sort == person_sort_bytes(unit_b.name)
    # A new nominee name moves the nomination; a renamed unit moves its report and dossiers.
    hai.nominee_name = "Đặng Văn Yên"
    unit_b.name = "Trường Ánh Dương"
    session.flush()
    session.expire_all()
    assert hai.name_sort == person_sort_bytes("Đặng Văn Yên")
    assert report.name_sort == person_sort_bytes("Trường Ánh Dương")
    assert report.unit_sort == vi_sort_bytes("Trường Ánh Dương")
    assert names(session, sort="name") == [
        "Lê Văn Bảo",
        "Trường Ánh Dương",
        "Trần Phú",
        "Đặng Văn Yên",
    ]
    assert names(session, sort="unit")[0] == "Trường Ánh Dương"


def test_fill_sort_keys_writes_the_keys_of_rows_written_without_the_orm(session, world, outcomes):
    table = Dossier.__table__
    session.execute(update(table).values(name_sort=None, unit_sort=None))
    assert fill_sort_keys(session.connection()) == session.scalar(select(func.count(table.c.id)))
    phu = outcomes["phu"]
    session.expire_all()
    assert phu.name_sort == person_sort_bytes("Trần Phú")
    assert phu.unit_sort == vi_sort_bytes(world.units["a"].name)
    assert fill_sort_keys(session.connection()) == 0  # nothing left missing
