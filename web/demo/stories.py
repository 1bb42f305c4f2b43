"""The demo dossiers, each with the dated steps that moved it to where it is now (26/11/2026).

A step is (ISO date, action, options). Actions are ``create``, ``attach`` (options: name),
``edit`` (options: fields) and any trigger of the dossier's lifecycle; options carry who acts
("by": staff, head, cv1, cv2, tk), the reason, the Council session and votes, or the decision.
Every name is invented.
"""

from __future__ import annotations

from typing import Any

Step = tuple  # (date, action) or (date, action, options)

R_MINUTES = (
    "Hồ sơ thiếu biên bản họp Hội đồng Thi đua - Khen thưởng của trường có kết quả bỏ phiếu "
    "kín; đề nghị đơn vị bổ sung biên bản và gửi lại."
)
R_INITIATIVE = (
    "Sáng kiến nêu trong hồ sơ chưa có quyết định công nhận của Hội đồng sáng kiến cấp cơ sở; "
    "đề nghị đơn vị bổ sung quyết định công nhận và báo cáo hiệu quả áp dụng."
)
R_TEMPLATE = (
    "Báo cáo thành tích chưa theo mẫu quy định và chưa nêu rõ hiệu quả áp dụng sáng kiến trong "
    "năm học; đề nghị đơn vị hoàn thiện, có xác nhận của thủ trưởng đơn vị rồi gửi lại."
)
R_OVERRIDE_ADHOC = (
    "Khen thưởng đột xuất: thành tích đã được tóm tắt trong tờ trình của trường và xác nhận "
    "của UBND đặc khu Cát Hải; không yêu cầu báo cáo thành tích riêng."
)
R_OVERRIDE_QUOTA = (
    "Đơn vị có 06 Chiến sĩ thi đua cơ sở năm 2026, tỷ lệ 10% chỉ là hướng dẫn tham khảo; "
    "Văn phòng đề nghị Hội đồng xem xét vì cá nhân có 03 năm liên tục đạt Chiến sĩ thi đua cơ sở."
)
R_SIGNATURE = (
    "Báo cáo thành tích chưa có chữ ký, xác nhận của thủ trưởng đơn vị; đề nghị bổ sung bản đã ký."
)
R_COLLECTIVE = (
    "Hồ sơ chưa có số liệu tỷ lệ cá nhân hoàn thành tốt, hoàn thành xuất sắc nhiệm vụ và đạt "
    "danh hiệu thi đua theo tiêu chuẩn của danh hiệu Tập thể lao động xuất sắc; đề nghị bổ sung."
)
R_PLAN = (
    "Kế hoạch chưa xác định chỉ tiêu thi đua cụ thể gắn với nhiệm vụ trọng tâm năm học; đề nghị bổ "
    "sung chỉ tiêu về chuyển đổi số và mô hình đổi "
    "mới, sáng tạo theo mục II.2 Kế hoạch 1114/KH-SGDĐT."
)
R_REPORT = (
    "Báo cáo chưa nêu số liệu tỷ lệ giáo viên đạt chuẩn, trên chuẩn so với năm 2025 và chưa kèm "
    "minh chứng mô hình đổi mới, sáng tạo; đề nghị bổ sung trước hạn 10/12/2026."
)


def _sent(created: str, submitted: str, approved: str, *files: str) -> list[Step]:
    """Drafted with its evidence, submitted, and approved by the unit head to the Department."""
    files = files or ("Báo cáo thành tích.pdf",)
    return (
        [(created, "create")]
        + [(created, "attach", {"name": f}) for f in files]
        + [(submitted, "submit"), (approved, "unit_approve")]
    )


def _votes(session: str, votes: tuple[int, int, int] | None, **extra: Any) -> dict[str, Any]:
    """A Council decision in ``session`` with its tally (for, against, abstaining)."""
    return {"session": session, "votes": votes, **extra}


def N(
    unit: str,
    campaign: str,
    award: str,
    nominee: str,
    position: str,
    achievements: str,
    steps: list[Step],
    *,
    direct: bool = True,
) -> dict[str, Any]:
    """A nomination (ad-hoc when its campaign is the ad-hoc one)."""
    return {
        "kind": "nomination",
        "unit": unit,
        "campaign": campaign,
        "award": award,
        "nominee": nominee,
        "position": position,
        "achievements": achievements,
        "direct_worker": direct,
        "steps": steps,
    }


def P(unit: str, campaign: str, number: str, steps: list[Step]) -> dict[str, Any]:
    return {"kind": "plan", "unit": unit, "campaign": campaign, "number": number, "steps": steps}


def R(unit: str, campaign: str, number: str, steps: list[Step]) -> dict[str, Any]:
    return {"kind": "report", "unit": unit, "campaign": campaign, "number": number, "steps": steps}


NOMINATIONS = [
    # --- published ---------------------------------------------------------------------------
    N(
        "THPT-CAT-BA",
        "DX-2026",
        "GK-GD-CN",
        "Vũ Văn Thắng",
        "Nhân viên bảo vệ",
        "Ngày 28/12/2025, trên đường đi làm, anh Vũ Văn "
        "Thắng đã dũng cảm lao xuống biển cứu 02 học "
        "sinh lớp 10 bị sóng cuốn tại bãi tắm Cát Cò 1, "
        "kịp thời sơ cứu và đưa các em vào trạm y tế an "
        "toàn. Hành động được chính quyền đặc khu Cát Hải và nhân dân địa phương ghi nhận.",
        _sent(
            "2026-01-05",
            "2026-01-05",
            "2026-01-06",
            "Tờ trình số 02-TTr-THPTCB.pdf",
            "Xác nhận của UBND đặc khu Cát Hải.pdf",
        )
        + [
            ("2026-01-08", "office_approve", {"reason": R_OVERRIDE_ADHOC}),
            ("2026-01-12", "council_approve", _votes("HD-01", (6, 0, 0))),
            ("2026-01-14", "publish", {"decision": "05"}),
        ],
    ),
    N(
        "THPT-TRAN-PHU",
        "TD-2026",
        "CSTDCS",
        "Nguyễn Thị Thu Hương",
        "Giáo viên Toán, Tổ trưởng tổ Toán - Tin",
        "Năm học 2025–2026 hoàn thành xuất sắc nhiệm vụ; "
        "bồi dưỡng đội tuyển học sinh giỏi quốc gia môn "
        "Toán đạt 01 giải Nhì, 02 giải Ba. Sáng kiến “Ứng "
        "dụng GeoGebra trong dạy học hình học không gian "
        "lớp 11” được Hội đồng sáng kiến cấp cơ sở công nhận. "
        "Hai năm liên tục đạt danh hiệu Lao động tiên tiến.",
        _sent(
            "2026-06-02",
            "2026-06-03",
            "2026-06-05",
            "Báo cáo thành tích - Nguyễn Thị Thu Hương.pdf",
            "Quyết định công nhận sáng kiến.pdf",
        )
        + [
            ("2026-06-22", "office_approve"),
            ("2026-07-15", "council_approve", _votes("HD-02", (7, 0, 0))),
            ("2026-07-24", "publish", {"decision": "1256"}),
        ],
    ),
    N(
        "TH-DINH-TIEN-HOANG",
        "TD-2026",
        "LDTT",
        "Phạm Thị Lan",
        "Giáo viên chủ nhiệm lớp 3A",
        "Hoàn thành tốt nhiệm vụ năm học 2025–2026; lớp "
        "chủ nhiệm có 100% học sinh hoàn thành chương trình "
        "lớp học, 32/35 em được khen thưởng. Đạt giáo "
        "viên dạy giỏi cấp trường; tích cực đổi mới phương "
        "pháp dạy học theo Chương trình giáo dục phổ thông 2018.",
        _sent("2026-06-01", "2026-06-02", "2026-06-03")
        + [
            ("2026-06-12", "office_return", {"by": "cv2", "reason": R_MINUTES}),
            (
                "2026-06-15",
                "attach",
                {"name": "Biên bản họp Hội đồng thi đua, khen thưởng trường.pdf"},
            ),
            ("2026-06-15", "resubmit"),
            ("2026-06-16", "unit_approve"),
            ("2026-06-25", "office_approve", {"by": "cv2"}),
            ("2026-07-15", "council_approve", _votes("HD-02", (7, 0, 0))),
            ("2026-07-24", "publish", {"decision": "1256"}),
        ],
    ),
    N(
        "MN-HOA-PHUONG",
        "TD-2026",
        "TTLDTT",
        "Trường Mầm non Hoa Phượng",
        "",
        "Tập thể hoàn thành tốt nhiệm vụ năm học 2025–2026; "
        "100% trẻ được nuôi dưỡng, chăm sóc an toàn; "
        "tỷ lệ trẻ suy dinh dưỡng giảm còn 1,2%. Trường "
        "duy trì chuẩn quốc gia mức độ 2; 85% cán bộ, giáo "
        "viên, nhân viên đạt danh hiệu Lao động tiên tiến.",
        _sent("2026-06-04", "2026-06-05", "2026-06-08", "Báo cáo thành tích tập thể.pdf")
        + [
            ("2026-06-24", "office_approve"),
            ("2026-07-15", "council_approve", _votes("HD-02", (6, 0, 1))),
            ("2026-07-24", "publish", {"decision": "1257"}),
        ],
        direct=False,
    ),
    N(
        "TH-LE-VAN-TAM",
        "CD-CDS-2026",
        "GK-GD-CN",
        "Đỗ Thị Ngọc Ánh",
        "Giáo viên Tin học",
        "Chủ trì xây dựng kho học liệu số dùng chung của "
        "trường với hơn 300 bài giảng điện tử; hướng dẫn "
        "100% giáo viên sử dụng học bạ số và sổ điểm điện "
        "tử. Mô hình “Lớp học số” được Phòng Giáo dục "
        "Phổ thông đánh giá cao và đề nghị nhân rộng.",
        _sent("2026-07-20", "2026-07-21", "2026-07-22")
        + [
            ("2026-07-30", "office_approve"),
            ("2026-08-06", "council_approve", _votes("HD-03", (5, 0, 0))),
            ("2026-08-14", "publish", {"decision": "1530"}),
        ],
    ),
    N(
        "THPT-NGUYEN-TRAI",
        "DX-2026",
        "BK-UBND-CN",
        "Trần Minh Đức",
        "Giáo viên Vật lý",
        "Trực tiếp bồi dưỡng học sinh Nguyễn Hải Nam đạt "
        "Huy chương Bạc Olympic Vật lý quốc tế năm 2026. "
        "Nhiều năm liền có học sinh đạt giải học sinh giỏi "
        "quốc gia môn Vật lý; tác giả sáng kiến về dạy "
        "học thí nghiệm ảo được công nhận cấp thành phố.",
        _sent(
            "2026-07-27",
            "2026-07-27",
            "2026-07-28",
            "Tờ trình số 31-TTr-THPTNT.pdf",
            "Báo cáo thành tích - Trần Minh Đức.pdf",
            "Biên bản họp Hội đồng thi đua, khen thưởng trường.pdf",
        )
        + [
            ("2026-07-31", "office_approve", {"by": "cv2"}),
            ("2026-08-06", "council_approve", _votes("HD-03", (5, 0, 0))),
            (
                "2026-08-07",
                "forward",
                {"by": "cv2", "submission": ("1545/TTr-SGDĐT", "2026-08-07")},
            ),
            ("2026-08-20", "record_higher_decision", {"by": "cv2", "decision": "2105"}),
        ],
    ),
    # --- approved by the Council, decision pending ---------------------------------------------
    N(
        "THCS-HONG-BANG",
        "DX-2026",
        "GK-GD-CN",
        "Lương Thị Hồng Nhung",
        "Giáo viên Khoa học tự nhiên",
        "Đạt giải Nhất Hội thi giáo viên dạy giỏi môn "
        "Khoa học tự nhiên cấp thành phố tháng 10/2026; "
        "bài dạy “Năng lượng tái tạo quanh em” được chọn làm "
        "tiết dạy mẫu chia sẻ trên kho học liệu số của ngành.",
        _sent("2026-10-28", "2026-10-29", "2026-10-30")
        + [
            ("2026-11-10", "office_approve", {"by": "cv2"}),
            ("2026-11-24", "council_approve", _votes("HD-04", (6, 0, 0))),
        ],
    ),
    N(
        "THCS-LE-THANH-NGHI",
        "TD-2026",
        "GK-GD-TT",
        "Tổ Khoa học tự nhiên, Trường THCS Lê Thanh Nghị",
        "",
        "Tổ chuyên môn có 100% giáo viên đạt chuẩn và trên "
        "chuẩn; 12 học sinh đạt giải học sinh giỏi cấp "
        "thành phố năm học 2025–2026; triển khai hiệu quả "
        "mô hình học tập STEM gắn với thực tiễn địa phương.",
        _sent("2026-09-15", "2026-09-16", "2026-09-18", "Báo cáo thành tích tập thể.pdf")
        + [
            ("2026-10-20", "office_approve"),
            ("2026-11-24", "council_approve", _votes("HD-04", (5, 1, 0))),
        ],
        direct=False,
    ),
    # --- not approved --------------------------------------------------------------------------
    N(
        "THPT-NGO-QUYEN",
        "TD-2026",
        "CSTDTP",
        "Hoàng Văn Quyết",
        "Phó Hiệu trưởng",
        "Ba năm liên tục đạt danh hiệu Chiến sĩ thi đua "
        "cơ sở (năm học 2023–2024 đến 2025–2026); chủ trì "
        "đề tài “Quản trị nhà trường trên nền tảng số” được công nhận cấp cơ sở.",
        _sent(
            "2026-06-04",
            "2026-06-06",
            "2026-06-08",
            "Báo cáo thành tích - Hoàng Văn Quyết.pdf",
            "Biên bản họp Hội đồng thi đua, khen thưởng trường.pdf",
            "Quyết định công nhận đề tài cấp cơ sở.pdf",
        )
        + [
            ("2026-06-26", "office_approve", {"reason": R_OVERRIDE_QUOTA}),
            (
                "2026-07-15",
                "council_reject",
                _votes(
                    "HD-02",
                    (5, 2, 0),
                    reason=(
                        "Kết quả bỏ phiếu kín chưa đạt tỷ lệ quy định: "
                        "5/7 thành viên đồng ý, yêu cầu từ 90% tổng "
                        "số thành viên Hội đồng; sáng kiến chưa có phạm vi ảnh hưởng cấp thành phố."
                    ),
                ),
            ),
        ],
        direct=False,
    ),
    N(
        "TH-TRAN-QUOC-TOAN",
        "TD-2026",
        "LDTT",
        "Đinh Văn Toàn",
        "Giáo viên Giáo dục thể chất",
        "Hoàn thành nhiệm vụ giảng dạy năm học 2025–2026; "
        "phụ trách đội tuyển cờ vua của trường tham gia "
        "Hội khỏe Phù Đổng cấp thành phố.",
        _sent("2026-10-05", "2026-10-06", "2026-10-07")
        + [
            ("2026-11-12", "office_approve", {"by": "cv2"}),
            (
                "2026-11-24",
                "council_reject",
                _votes(
                    "HD-04",
                    (1, 5, 0),
                    reason=(
                        "Trong năm học có 01 lần bị nhắc nhở bằng văn "
                        "bản về vi phạm quy chế chuyên môn; chưa đủ "
                        "tiêu chuẩn danh hiệu Lao động tiên tiến."
                    ),
                ),
            ),
        ],
    ),
    # --- awaiting the Council ------------------------------------------------------------------
    # (A title the city confers: approved by the Council, then forwarded to the city.)
    N(
        "THPT-THAI-PHIEN",
        "TD-2026",
        "TTLDXS",
        "Trường THPT Thái Phiên",
        "",
        "Tập thể hoàn thành xuất sắc nhiệm vụ năm học "
        "2025–2026; tỷ lệ tốt nghiệp THPT đạt 99,8%, điểm "
        "trung bình thi tốt nghiệp đứng thứ 5 toàn thành "
        "phố; hai năm liên tục đạt Tập thể lao động tiên "
        "tiến; mô hình “Trường học hạnh phúc” được nhân rộng trong ngành.",
        _sent(
            "2026-09-20",
            "2026-09-22",
            "2026-09-23",
            "Báo cáo thành tích tập thể.pdf",
            "Biên bản họp Hội đồng thi đua, khen thưởng trường.pdf",
        )
        + [
            ("2026-11-16", "office_approve"),
            ("2026-11-24", "council_approve", _votes("HD-04", (6, 0, 0))),
            (
                "2026-11-25",
                "forward",
                {"by": "cv1", "submission": ("2310/TTr-SGDĐT", "2026-11-25")},
            ),
        ],
        direct=False,
    ),
    N(
        "GDNN-GDTX-CHI-LINH",
        "TD-2026",
        "LDTT",
        "Mạc Thị Thu Trang",
        "Giáo viên dạy nghề Điện dân dụng",
        "Hoàn thành tốt nhiệm vụ năm học 2025–2026; 96% "
        "học viên lớp nghề Điện dân dụng đạt chứng chỉ; "
        "phối hợp với doanh nghiệp tại phường Chí Linh giới thiệu việc làm cho 40 học viên.",
        _sent("2026-10-10", "2026-10-12", "2026-10-13")
        + [
            ("2026-10-26", "office_return", {"reason": R_SIGNATURE}),
            ("2026-10-28", "attach", {"name": "Báo cáo thành tích (bản có xác nhận).pdf"}),
            ("2026-10-28", "resubmit"),
            ("2026-10-29", "unit_approve"),
            ("2026-11-18", "office_approve", {"by": "cv2"}),
        ],
    ),
    N(
        "PHONG-GDPT",
        "TD-2026",
        "CSTDCS",
        "Ngô Thị Phương Thảo",
        "Chuyên viên Phòng Giáo dục Phổ thông",
        "Tham mưu tổ chức kỳ thi tốt nghiệp THPT năm 2026 "
        "an toàn, nghiêm túc; sáng kiến “Số hóa quy trình "
        "đăng ký dự thi và xét tuyển lớp 10” được áp dụng tại 100% trường THCS của thành phố.",
        _sent(
            "2026-06-10",
            "2026-06-11",
            "2026-06-12",
            "Báo cáo thành tích - Ngô Thị Phương Thảo.pdf",
            "Quyết định công nhận sáng kiến.pdf",
        )
        + [
            ("2026-06-30", "office_approve"),
            (
                "2026-07-15",
                "council_defer",
                _votes(
                    "HD-02",
                    None,
                    reason=(
                        "Hội đồng đề nghị Văn phòng Sở xác minh "
                        "phạm vi áp dụng của sáng kiến trước khi xét."
                    ),
                ),
            ),
            ("2026-09-25", "office_approve"),
        ],
        direct=False,
    ),
    # --- under Office review -------------------------------------------------------------------
    N(
        "TH-THANH-MIEN",
        "TD-2026",
        "LDTT",
        "Nhữ Văn Khải",
        "Giáo viên Tiếng Anh",
        "Hoàn thành tốt nhiệm vụ năm học 2025–2026; 100% "
        "học sinh lớp 5 đạt chuẩn năng lực tiếng Anh bậc 1; "
        "tổ chức câu lạc bộ tiếng Anh miễn phí cho học sinh xã Thanh Miện.",
        _sent("2026-11-16", "2026-11-17", "2026-11-18"),
    ),
    N(
        "MN-SAO-MAI",
        "TD-2026",
        "GK-GD-CN",
        "Trịnh Thị Mai Anh",
        "Giáo viên mầm non",
        "Đạt giải Nhì Hội thi giáo viên mầm non dạy giỏi "
        "cấp thành phố; xây dựng góc trải nghiệm “Bé yêu "
        "biển đảo” được nhiều trường mầm non trong thành phố đến học tập.",
        _sent("2026-10-01", "2026-10-02", "2026-10-03")
        + [
            ("2026-11-06", "office_approve", {"by": "cv2"}),
            (
                "2026-11-24",
                "council_defer",
                _votes(
                    "HD-04",
                    None,
                    reason=(
                        "Hội đồng đề nghị Văn phòng Sở làm rõ thành "
                        "tích đã được khen thưởng ở hình thức khác trong "
                        "năm, tránh khen thưởng trùng một thành tích."
                    ),
                ),
            ),
        ],
    ),
    N(
        "THCS-LY-TU-TRONG",
        "TD-2026",
        "CSTDCS",
        "Đào Văn Mạnh",
        "Giáo viên Ngữ văn, Tổ trưởng tổ Xã hội",
        "Hai năm liên tục đạt Lao động tiên tiến; bồi dưỡng "
        "06 học sinh đạt giải học sinh giỏi Ngữ văn cấp "
        "thành phố; sáng kiến “Dạy đọc hiểu văn bản theo "
        "hướng phát triển năng lực” áp dụng trong tổ.",
        _sent("2026-09-25", "2026-09-28", "2026-09-29")
        + [
            ("2026-10-15", "office_return", {"reason": R_INITIATIVE}),
            (
                "2026-11-19",
                "attach",
                {"name": "Quyết định công nhận sáng kiến số 45-QĐ-THCSLTT.pdf"},
            ),
            ("2026-11-19", "resubmit"),
            ("2026-11-20", "unit_approve"),
        ],
    ),
    # --- returned for correction ---------------------------------------------------------------
    N(
        "THPT-VINH-BAO",
        "TD-2026",
        "CSTDCS",
        "Phạm Thị Huyền",
        "Giáo viên Hóa học",
        "Hoàn thành xuất sắc nhiệm vụ năm học 2025–2026; "
        "có 04 học sinh đạt giải học sinh giỏi môn Hóa học "
        "cấp thành phố; sáng kiến về phòng thí nghiệm an toàn đang được áp dụng tại trường.",
        _sent("2026-10-20", "2026-10-21", "2026-10-22")
        + [("2026-11-05", "office_return", {"by": "cv2", "reason": R_TEMPLATE})],
    ),
    N(
        "MN-HOA-SEN",
        "TD-2026",
        "TTLDXS",
        "Trường Mầm non Hoa Sen",
        "",
        "Tập thể hoàn thành xuất sắc nhiệm vụ năm học "
        "2025–2026; trường đạt kiểm định chất lượng giáo dục "
        "cấp độ 3; triển khai hiệu quả chuyên đề “Xây dựng trường mầm non lấy trẻ làm trung tâm”.",
        _sent("2026-10-12", "2026-10-14", "2026-10-15", "Báo cáo thành tích tập thể.pdf")
        + [("2026-11-13", "office_return", {"reason": R_COLLECTIVE})],
        direct=False,
    ),
    # --- awaiting the unit head ----------------------------------------------------------------
    N(
        "THPT-TIEN-LANG",
        "TD-2026",
        "LDTT",
        "Lê Văn Thuận",
        "Nhân viên thiết bị, thí nghiệm",
        "Bảo quản, sửa chữa thiết bị dạy học đảm bảo 100% "
        "tiết thực hành được tổ chức đúng kế hoạch; tự làm "
        "12 đồ dùng dạy học môn Vật lý.",
        [
            ("2026-11-23", "create"),
            ("2026-11-23", "attach", {"name": "Báo cáo thành tích.pdf"}),
            ("2026-11-25", "submit"),
        ],
    ),
    N(
        "TH-THCS-BACH-LONG-VI",
        "TD-2026",
        "GK-GD-CN",
        "Dương Thị Hải Yến",
        "Giáo viên Tiểu học",
        "Năm năm liên tục tình nguyện công tác tại đặc khu "
        "Bạch Long Vĩ; duy trì 100% trẻ trong độ tuổi đến "
        "trường; tổ chức lớp kỹ năng sống và bơi an toàn cho con em ngư dân.",
        [
            ("2026-11-20", "create"),
            ("2026-11-20", "attach", {"name": "Báo cáo thành tích.pdf"}),
            ("2026-11-21", "submit"),
        ],
    ),
    N(
        "PHONG-GDMN",
        "TD-2026",
        "GK-GD-CN",
        "Cao Thị Thanh Bình",
        "Chuyên viên Phòng Giáo dục Mầm non",
        "Tham mưu tổ chức Hội thi giáo viên mầm non dạy "
        "giỏi cấp thành phố năm học 2025–2026; hướng dẫn "
        "các trường triển khai chương trình giáo dục mầm non mới.",
        [
            ("2026-11-02", "create"),
            ("2026-11-02", "attach", {"name": "Báo cáo thành tích.pdf"}),
            ("2026-11-03", "submit"),
            (
                "2026-11-04",
                "unit_return",
                {
                    "reason": "Đề nghị bổ sung kết quả chỉ đạo chuyên đề “Xây dựng trường "
                    "mầm non lấy trẻ làm trung tâm” vào phần thành tích."
                },
            ),
            (
                "2026-11-06",
                "edit",
                {
                    "fields": {
                        "achievements": (
                            "Tham mưu tổ chức Hội thi giáo viên mầm non dạy "
                            "giỏi cấp thành phố năm học 2025–2026; hướng dẫn "
                            "các trường triển khai chương trình giáo dục "
                            "mầm non mới; chỉ đạo chuyên đề “Xây dựng trường "
                            "mầm non lấy trẻ làm trung tâm” tại 100% trường mầm non công lập."
                        )
                    }
                },
            ),
            ("2026-11-09", "submit"),
        ],
        direct=False,
    ),
    # --- drafts --------------------------------------------------------------------------------
    N(
        "THCS-CHU-VAN-AN",
        "TD-2026",
        "LDTT",
        "Tô Thị Kim Oanh",
        "Giáo viên Toán",
        "Hoàn thành tốt nhiệm vụ năm học 2025–2026; lớp 9A chủ "
        "nhiệm có 100% học sinh đỗ vào lớp 10 THPT công lập.",
        [("2026-11-25", "create")],
    ),
    N(
        "GDNN-GDTX-KIEN-THUY",
        "TD-2026",
        "GK-GD-CN",
        "Phí Văn Hải",
        "Giáo viên dạy văn hóa",
        "Giảng dạy chương trình giáo dục thường xuyên cấp "
        "THPT; vận động 15 học viên bỏ học quay lại lớp.",
        [
            ("2026-11-10", "create"),
            ("2026-11-10", "attach", {"name": "Báo cáo thành tích.pdf"}),
            ("2026-11-11", "submit"),
            (
                "2026-11-13",
                "unit_return",
                {
                    "reason": "Thành tích chưa có số liệu cụ thể về tỷ lệ học viên đỗ tốt "
                    "nghiệp; đề nghị bổ sung trước khi trình."
                },
            ),
        ],
    ),
    N(
        "THPT-HONG-QUANG",
        "DX-2026",
        "GK-GD-CN",
        "Vương Đình Khánh",
        "Giáo viên Giáo dục thể chất",
        "Huấn luyện đội bóng đá nữ của trường giành Huy "
        "chương Vàng Hội khỏe Phù Đổng thành phố năm 2026.",
        [
            ("2026-11-24", "create"),
            (
                "2026-11-24",
                "attach",
                {"name": "Quyết định công nhận kết quả Hội khỏe Phù Đổng.pdf"},
            ),
        ],
    ),
    # --- withdrawn -----------------------------------------------------------------------------
    N(
        "THPT-NGO-QUYEN",
        "TD-2026",
        "LDTT",
        "Đặng Quốc Bảo",
        "Giáo viên Lịch sử",
        "Hoàn thành tốt nhiệm vụ năm học 2025–2026; hướng "
        "dẫn học sinh đạt giải Ba cuộc thi Em yêu lịch sử "
        "Việt Nam cấp thành phố.",
        _sent("2026-06-05", "2026-06-06", "2026-06-08")
        + [
            (
                "2026-06-20",
                "withdraw",
                {
                    "reason": "Cá nhân được đề nghị có quyết định điều động sang đơn vị khác "
                    "từ ngày 15/6/2026; đơn vị rút hồ sơ để đơn vị mới xem xét."
                },
            )
        ],
    ),
    N(
        "TH-LE-VAN-TAM",
        "TD-2026",
        "LDTT",
        "Hà Thị Thu",
        "Giáo viên Âm nhạc",
        "Hoàn thành tốt nhiệm vụ năm học 2025–2026.",
        [
            ("2026-05-28", "create"),
            (
                "2026-05-30",
                "withdraw",
                {"reason": "Lập trùng hồ sơ; đơn vị đã lập hồ sơ khác cho cùng cá nhân."},
            ),
        ],
    ),
]


def _accepted(
    unit: str, number: str, created: str, submitted: str, accepted: str, by: str = "cv1"
) -> dict:
    """A 2026 plan sent on time and accepted by the Office."""
    document = f"Kế hoạch số {number.replace('/', '-')}.pdf"
    return P(
        unit,
        "TD-2026",
        number,
        [
            (created, "create"),
            (created, "attach", {"name": document}),
            (submitted, "submit"),
            (submitted, "unit_approve"),
            (accepted, "office_accept", {"by": by}),
        ],
    )


PLANS = [
    _accepted("THPT-TRAN-PHU", "18/KH-THPTTP", "2026-03-02", "2026-03-03", "2026-03-12"),
    _accepted("THCS-CHU-VAN-AN", "09/KH-THCSCVA", "2026-03-02", "2026-03-04", "2026-03-12", "cv2"),
    _accepted("TH-DINH-TIEN-HOANG", "12/KH-THĐTH", "2026-03-03", "2026-03-05", "2026-03-13"),
    _accepted("MN-HOA-PHUONG", "07/KH-MNHP", "2026-03-03", "2026-03-06", "2026-03-13", "cv2"),
    _accepted("THPT-CAT-BA", "15/KH-THPTCB", "2026-03-04", "2026-03-06", "2026-03-16"),
    _accepted(
        "GDNN-GDTX-KIEN-THUY", "06/KH-TTGDNN-GDTX", "2026-03-05", "2026-03-09", "2026-03-16", "cv2"
    ),
    _accepted("THPT-NGUYEN-TRAI", "21/KH-THPTNT", "2026-03-05", "2026-03-09", "2026-03-17"),
    P(
        "THCS-HONG-BANG",
        "TD-2026",
        "10/KH-THCSHB",
        [
            ("2026-03-03", "create"),
            ("2026-03-04", "submit"),
            (
                "2026-03-05",
                "withdraw",
                {"reason": "Kế hoạch gửi nhầm bản dự thảo; đơn vị rút để gửi bản chính thức."},
            ),
        ],
    ),
    _accepted("THCS-HONG-BANG", "11/KH-THCSHB", "2026-03-06", "2026-03-09", "2026-03-18", "cv2"),
    P(
        "TH-THANH-MIEN",
        "TD-2026",
        "05/KH-THTM",
        [
            ("2026-03-06", "create"),
            ("2026-03-09", "submit"),
            ("2026-03-09", "unit_approve"),
            ("2026-03-16", "office_return", {"reason": R_PLAN}),
        ],
    ),
    P(
        "MN-TU-KY",
        "TD-2026",
        "04/KH-MNTK",
        [("2026-11-19", "create"), ("2026-11-20", "submit"), ("2026-11-20", "unit_approve")],
    ),
    P(
        "THPT-TIEN-LANG",
        "TD-2026",
        "27/KH-THPTTL",
        [("2026-11-23", "create"), ("2026-11-24", "submit")],
    ),
    P("TH-THCS-BACH-LONG-VI", "TD-2026", "03/KH-TH&THCSBLV", [("2026-11-23", "create")]),
    P(
        "TH-LE-VAN-TAM",
        "CD-CDS-2026",
        "14/KH-THLVT",
        [
            ("2026-04-06", "create"),
            ("2026-04-07", "submit"),
            ("2026-04-08", "unit_approve"),
            ("2026-04-15", "office_accept"),
        ],
    ),
]


def _classified(grade: str, created: str, sent: str, reviewed: str) -> list[Step]:
    return [
        (created, "create"),
        (sent, "submit"),
        (sent, "unit_approve"),
        (reviewed, "office_approve"),
        ("2026-01-12", "council_classify", _votes("HD-01", (6, 0, 0), classification=grade)),
    ]


REPORTS = [
    R(
        "THPT-TRAN-PHU",
        "TD-2025",
        "102/BC-THPTTP",
        _classified("excellent", "2025-12-01", "2025-12-03", "2025-12-15")
        + [("2026-01-20", "publish", {"decision": "15"})],
    ),
    R(
        "MN-HOA-PHUONG",
        "TD-2025",
        "45/BC-MNHP",
        _classified("good", "2025-12-02", "2025-12-05", "2025-12-16")
        + [("2026-01-20", "publish", {"decision": "15"})],
    ),
    R(
        "THCS-LY-TU-TRONG",
        "TD-2025",
        "38/BC-THCSLTT",
        [
            ("2026-10-01", "create"),
            ("2026-10-05", "submit"),
            ("2026-10-05", "unit_approve"),
            ("2026-11-09", "office_approve", {"by": "cv2"}),
            (
                "2026-11-24",
                "council_classify",
                _votes("HD-04", (6, 0, 0), classification="completed"),
            ),
        ],
    ),
    R(
        "GDNN-GDTX-KIEN-THUY",
        "TD-2026",
        "41/BC-TTGDNN-GDTX",
        [
            ("2026-11-02", "create"),
            ("2026-11-03", "submit"),
            ("2026-11-04", "unit_approve"),
            ("2026-11-18", "office_approve", {"by": "cv2"}),
        ],
    ),
    R(
        "THPT-CAT-BA",
        "TD-2026",
        "88/BC-THPTCB",
        [("2026-11-16", "create"), ("2026-11-17", "submit"), ("2026-11-18", "unit_approve")],
    ),
    R(
        "TH-TRAN-QUOC-TOAN",
        "TD-2026",
        "52/BC-THTQT",
        [
            ("2026-11-05", "create"),
            ("2026-11-06", "submit"),
            ("2026-11-06", "unit_approve"),
            ("2026-11-19", "office_return", {"reason": R_REPORT}),
        ],
    ),
    R(
        "THCS-CHU-VAN-AN",
        "TD-2026",
        "77/BC-THCSCVA",
        [("2026-11-24", "create"), ("2026-11-25", "submit")],
    ),
    R("THPT-TRAN-PHU", "TD-2026", "115/BC-THPTTP", [("2026-11-25", "create")]),
    R("MN-HOA-SEN", "TD-2026", "33/BC-MNHS", [("2026-11-20", "create")]),
    R(
        "TH-DINH-TIEN-HOANG",
        "TD-2026",
        "60/BC-THĐTH",
        [
            ("2026-11-10", "create"),
            ("2026-11-11", "submit"),
            ("2026-11-12", "unit_approve"),
            (
                "2026-11-13",
                "withdraw",
                {
                    "reason": "Báo cáo gửi khi chưa cập nhật số liệu học kỳ I; đơn vị rút để "
                    "hoàn thiện và gửi lại trước hạn 10/12/2026."
                },
            ),
        ],
    ),
]

STORIES = NOMINATIONS + PLANS + REPORTS
