"""Demo campaigns data: the 2026 emulation targets (Kế hoạch 1114/KH-SGDĐT, II.2), the
figures of the demo reports, one Office correction, a periodic campaign and the thematic one
with chosen units, and a few innovative models and good practices (some exemplary).

Everything goes through the services (``workflow.campaigns``), at dated moments that
``web.demo`` plays in order with the dossiers' stories, so the audit log tells it all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from workflow.campaigns import service as svc
from workflow.campaigns.guards import targets_of
from workflow.dossiers import figures as report_figures
from workflow.practices import service as practices

LOCAL = dt.timezone(dt.timedelta(hours=7))
Run = Callable[[dt.datetime], None]

# code, Vietnamese, English, kind, comparison, threshold
TARGETS_2026 = [
    (
        "KE-HOACH",
        "Xây dựng, triển khai kế hoạch thi đua gắn với nhiệm vụ trọng tâm năm học",
        "Emulation plan tied to the school year's key tasks deployed",
        "yes_no",
        "at_least",
        "",
    ),
    (
        "MO-HINH",
        "Số mô hình đổi mới, sáng tạo, hiệu quả của đơn vị (ít nhất 01)",
        "Innovative, creative, effective models of the unit (at least one)",
        "count",
        "at_least",
        "1",
    ),
    (
        "GV-CHUAN",
        "Tỷ lệ giáo viên đạt chuẩn, trên chuẩn (tăng so với năm 2025)",
        "Share of teachers meeting or exceeding standards (up on 2025)",
        "percent",
        "above_baseline",
        "",
    ),
    (
        "NEN-TANG-SO",
        "Quản lý, điều hành trên nền tảng số",
        "Managed on a digital platform",
        "yes_no",
        "at_least",
        "",
    ),
    (
        "HOAN-THANH",
        "Tỷ lệ học sinh hoàn thành chương trình lớp học, cấp học (đạt, vượt kế hoạch 95%)",
        "Share of pupils completing their grade or level (plan: 95%)",
        "percent",
        "at_least",
        "95",
    ),
    (
        "BAO-LUC",
        "Số vụ bạo lực học đường (không để xảy ra)",
        "School violence incidents (none)",
        "count",
        "at_most",
        "0",
    ),
]
PERIODIC = {
    "code": "DOT-20-11-2026",
    "kind": "periodic",
    "year": 2026,
    "active": True,
    "name": "Đợt thi đua chào mừng 44 năm Ngày Nhà giáo Việt Nam (20/11/1982 – 20/11/2026)",
    "opens_on": dt.date(2026, 10, 1),
    "closes_on": dt.date(2026, 11, 30),
    "report_due": dt.date(2026, 12, 5),
    "description": (
        "Đợt thi đua “Dạy tốt – học tốt” chào mừng Ngày Nhà giáo Việt Nam, gắn với nội dung 1.4 "
        "của Kế hoạch 1114/KH-SGDĐT; khen thưởng bằng Giấy khen của Giám đốc Sở."
    ),
}
PERIODIC_UNITS = [
    "THPT-TRAN-PHU",
    "THPT-NGO-QUYEN",
    "THCS-CHU-VAN-AN",
    "TH-DINH-TIEN-HOANG",
    "MN-HOA-PHUONG",
]
THEMATIC_UNITS = [
    "TH-LE-VAN-TAM",
    "THPT-TRAN-PHU",
    "THPT-NGUYEN-TRAI",
    "THCS-CHU-VAN-AN",
    "TH-DINH-TIEN-HOANG",
    "MN-HOA-SEN",
    "GDNN-GDTX-CHI-LINH",
]
CERTIFICATES = ["GK-GD-CN", "GK-GD-TT"]

# unit, title, summary, results, evidence, registered on, exemplary on (or None), campaign
PRACTICES = [
    (
        "THPT-TRAN-PHU",
        "Câu lạc bộ Nghiên cứu khoa học kỹ thuật học sinh",
        "Mỗi tổ chuyên môn hướng dẫn một nhóm học sinh "
        "nghiên cứu theo đề tài gắn với thực tiễn địa phương; "
        "sinh hoạt hằng tháng, có giáo viên và chuyên gia trường đại học cùng hướng dẫn.",
        "12 đề tài dự thi cấp thành phố năm học 2025–2026, "
        "4 giải Nhất; 2 đề tài dự thi cấp quốc gia.",
        "Quyết định thành lập câu lạc bộ số 35/QĐ-THPTTP; danh sách giải thưởng cấp thành phố.",
        "2026-03-20",
        "2026-04-10",
        "TD-2026",
    ),
    (
        "MN-HOA-PHUONG",
        "Góc thư viện xanh cho trẻ mầm non",
        "Mỗi lớp có một góc đọc ngoài trời bằng vật liệu tái "
        "chế; cha mẹ trẻ luân phiên đọc sách cùng trẻ vào chiều "
        "thứ Sáu.",
        "Hơn 1.500 đầu sách do cha mẹ đóng góp; 100% lớp có góc thư viện xanh.",
        "Biên bản kiểm tra của Phòng Giáo dục Mầm non ngày 12/5/2026.",
        "2026-04-15",
        "2026-05-20",
        "TD-2026",
    ),
    (
        "TH-LE-VAN-TAM",
        "Lớp học số và kho học liệu số dùng chung",
        "Giáo viên soạn bài giảng điện tử theo mẫu chung, "
        "đưa lên kho học liệu số của trường; học sinh học lại "
        "bài trên máy tính bảng của thư viện.",
        "Hơn 300 bài giảng điện tử; 100% giáo viên dùng học bạ số.",
        "Đường dẫn kho học liệu số của trường; báo cáo chuyên đề chuyển đổi số.",
        "2026-05-05",
        "2026-08-10",
        "CD-CDS-2026",
    ),
    (
        "THPT-CAT-BA",
        "Đội thanh niên tình nguyện cứu hộ biển",
        "Giáo viên Giáo dục thể chất và Đoàn trường huấn luyện "
        "kỹ năng bơi, cứu đuối cho học sinh đặc khu Cát Hải.",
        "240 học sinh biết bơi an toàn; phối hợp cứu hộ 02 vụ đuối nước mùa hè 2026.",
        "Xác nhận của Ủy ban nhân dân đặc khu Cát Hải.",
        "2026-09-02",
        None,
        "TD-2026",
    ),
    (
        "THCS-CHU-VAN-AN",
        "Sổ liên lạc điện tử kết nối gia đình – nhà trường",
        "Thông báo kết quả học tập, rèn luyện hằng tuần qua "
        "ứng dụng; giáo viên chủ nhiệm trả lời phụ huynh trong "
        "24 giờ.",
        "98% phụ huynh sử dụng; giảm 70% giấy tờ in ấn.",
        "",
        "2026-10-12",
        None,
        None,
    ),
]


def _at(day: str, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), LOCAL).astimezone(
        dt.UTC
    )


def _values(campaign: Any) -> dict[str, Any]:
    return {name: getattr(campaign, name) for name in svc.FIELDS}


def _update(demo: Any, code: str, **kw: Any) -> Run:
    """The Office edits a campaign (targets, chosen units, admitted awards)."""

    def run(when: dt.datetime) -> None:
        campaign = demo.campaigns[code]
        values = {**_values(campaign), "all_units": not kw.get("unit_ids")}
        svc.save_campaign(
            demo.session,
            demo.actors["chuyenvien.vp"],
            values,
            campaign_id=campaign.id,
            award_ids=kw.get("award_ids", ()),
            unit_ids=kw.get("unit_ids", ()),
            targets=kw.get("targets"),
            now=when,
        )

    return run


def _create_periodic(demo: Any) -> Run:
    def run(when: dt.datetime) -> None:
        demo.campaigns[PERIODIC["code"]] = svc.save_campaign(
            demo.session,
            demo.actors["chuyenvien.vp"],
            {**PERIODIC, "all_units": False},
            unit_ids=[demo.units[c].id for c in PERIODIC_UNITS],
            award_ids=[demo.awards[c].id for c in CERTIFICATES],
            targets=[
                svc.TargetRow(
                    code="TIET-DAY-TOT",
                    title_vi="Số tiết dạy tốt chào mừng 20/11",
                    title_en="Good lessons in honour of 20 November",
                    kind="count",
                    threshold="20",
                )
            ],
            now=when,
        )

    return run


def _practice(demo: Any, spec: tuple) -> list[tuple[dt.datetime, Run]]:
    unit, title, summary, results, evidence, registered, exemplary, campaign = spec
    made: dict[str, int] = {}

    def register(when: dt.datetime) -> None:
        fields = {
            "title": title,
            "summary": summary,
            "results": results,
            "evidence": evidence,
            "campaign_id": demo.campaigns[campaign].id if campaign else None,
        }
        made["id"] = practices.register_practice(
            demo.session,
            demo.actors[f"canbo.{unit.lower()}"],
            demo.units[unit].id,
            fields,
            now=when,
        ).id

    def mark(when: dt.datetime) -> None:
        practices.mark_exemplary(
            demo.session,
            made["id"],
            demo.actors["chuyenvien.vp"],
            "Mô hình hiệu quả, có thể nhân rộng trong toàn ngành.",
            now=when,
        )

    events = [(_at(registered, 10), register)]
    return events + ([(_at(exemplary, 15), mark)] if exemplary else [])


def _correct(demo: Any, stories: list[dict], unit: str, code: str, value: str, reason: str) -> Run:
    """The Office corrects one figure of a unit's 2026 report."""

    def run(when: dt.datetime) -> None:
        story = next(
            s
            for s in stories
            if s["kind"] == "report" and s["unit"] == unit and s["campaign"] == "TD-2026"
        )
        target = next(
            t for t in targets_of(demo.session, demo.campaigns["TD-2026"].id) if t.code == code
        )
        figure = report_figures.figures_of(demo.session, story["id"])[target.id]
        report_figures.correct_figure(
            demo.session, figure.id, demo.actors["chuyenvien2.vp"], value, reason, now=when
        )

    return run


def timeline(demo: Any, stories: list[dict]) -> list[tuple[dt.datetime, Run]]:
    """(moment, action) of everything this module adds, for ``web.demo`` to play in order."""
    rows = [
        svc.TargetRow(code=c, title_vi=vi, title_en=en, kind=k, comparison=cmp, threshold=t)
        for c, vi, en, k, cmp, t in TARGETS_2026
    ]
    events = [
        (_at("2026-02-27", 14), _update(demo, "TD-2026", targets=rows)),
        (
            _at("2026-03-25", 10),
            _update(
                demo,
                "CD-CDS-2026",
                unit_ids=[demo.units[c].id for c in THEMATIC_UNITS],
                award_ids=[demo.awards[c].id for c in CERTIFICATES],
                targets=[
                    svc.TargetRow(
                        code="HOC-BA-SO",
                        title_vi="Tỷ lệ giáo viên sử dụng học bạ số",
                        title_en="Teachers using digital school records",
                        kind="percent",
                        threshold="100",
                    )
                ],
            ),
        ),
        (_at("2026-09-25", 10), _create_periodic(demo)),
        (
            _at("2026-11-17", 16),
            _correct(
                demo,
                stories,
                "GDNN-GDTX-KIEN-THUY",
                "GV-CHUAN",
                "86,4",
                "Đối chiếu biểu thống kê đội ngũ của Phòng Tổ chức cán bộ: tỷ lệ "
                "giáo viên đạt chuẩn, trên chuẩn năm 2026 là 86,4%.",
            ),
        ),
    ]
    for spec in PRACTICES:
        events += _practice(demo, spec)
    return events


# Reports whose unit has only begun filling in the figures (the rest are complete).
PARTIAL = {"MN-HOA-SEN": ("KE-HOACH", "MO-HINH")}


def fill_figures(demo: Any, story: dict[str, Any], when: dt.datetime) -> None:
    """The unit's figures for its new report, right after creating it (when its campaign has
    targets)."""
    targets = targets_of(demo.session, demo.campaigns[story["campaign"]].id)
    if story["kind"] != "report" or not targets:
        return
    seed = sum(map(ord, story["unit"]))
    base = 84 + seed % 12
    values = {
        "KE-HOACH": {
            "value": "1",
            "evidence": f"Kế hoạch thi đua số {seed % 40 + 1:02d}/KH đã gửi Sở.",
        },
        "MO-HINH": {
            "value": str(seed % 3),
            "evidence": "Quyết định công nhận mô hình của Hội đồng trường.",
        },
        "GV-CHUAN": {
            "value": f"{base + 1 + seed % 3},5",
            "baseline": str(base),
            "evidence": "Biểu thống kê đội ngũ năm 2025 và năm 2026.",
        },
        "NEN-TANG-SO": {
            "value": "0" if seed % 5 == 0 else "1",
            "evidence": "Học bạ số, sổ điểm điện tử.",
        },
        "HOAN-THANH": {
            "value": f"{96 + seed % 4},{seed % 10}",
            "evidence": "Báo cáo tổng kết năm học 2025–2026.",
        },
        "BAO-LUC": {"value": "0", "evidence": "Báo cáo công tác an ninh trường học."},
    }
    keep = PARTIAL.get(story["unit"])
    figures = {
        t.id: values[t.code]
        for t in targets
        if t.code in values and (keep is None or t.code in keep)
    }
    report_figures.save_figures(
        demo.session, story["id"], demo.actors[f"canbo.{story['unit'].lower()}"], figures, now=when
    )
