"""The demo organisation: the Department, its Office and divisions, schools, people,
campaigns and the award catalogue. The dossiers' stories are in ``web.demo.stories``.

Every name is invented. Localities are communes, wards and special zones (xã, phường,
đặc khu): since 01/7/2025 Hải Phòng (which absorbed Hải Dương) has no districts.
"""

from __future__ import annotations

import datetime as dt

DEPARTMENT = ("SGDDT", "Sở Giáo dục và Đào tạo thành phố Hải Phòng")
OFFICE = ("VP-SO", "Văn phòng Sở")

# code, name, kind, locality, head, staff, staff's position
SCHOOLS = [
    (
        "THPT-TRAN-PHU",
        "Trường THPT chuyên Trần Phú",
        "upper_secondary",
        "phường Gia Viên",
        "Phạm Văn Hùng",
        "Vũ Thị Minh Nguyệt",
        "Phó Hiệu trưởng",
    ),
    (
        "THPT-NGO-QUYEN",
        "Trường THPT Ngô Quyền",
        "upper_secondary",
        "phường Lê Chân",
        "Nguyễn Thị Bích Ngọc",
        "Trần Quang Huy",
        "Giáo viên, thư ký Hội đồng thi đua, khen thưởng trường",
    ),
    (
        "THPT-THAI-PHIEN",
        "Trường THPT Thái Phiên",
        "upper_secondary",
        "phường An Biên",
        "Lê Minh Tuấn",
        "Đỗ Thị Hà",
        "Phó Hiệu trưởng",
    ),
    (
        "THPT-NGUYEN-TRAI",
        "Trường THPT chuyên Nguyễn Trãi",
        "upper_secondary",
        "phường Lê Thanh Nghị",
        "Nhữ Đình Phong",
        "Phạm Thị Thu Hằng",
        "Phó Hiệu trưởng",
    ),
    (
        "THPT-HONG-QUANG",
        "Trường THPT Hồng Quang",
        "upper_secondary",
        "phường Thành Đông",
        "Đặng Văn Lợi",
        "Nguyễn Thị Phương Lan",
        "Giáo viên, thư ký Hội đồng thi đua, khen thưởng trường",
    ),
    (
        "THPT-CAT-BA",
        "Trường THPT Cát Bà",
        "upper_secondary",
        "đặc khu Cát Hải",
        "Hoàng Văn Hải",
        "Bùi Thị Ngân",
        "Phó Hiệu trưởng",
    ),
    (
        "THPT-VINH-BAO",
        "Trường THPT Vĩnh Bảo",
        "upper_secondary",
        "xã Vĩnh Bảo",
        "Trần Văn Định",
        "Vũ Thị Thảo",
        "Giáo viên, thư ký Hội đồng thi đua, khen thưởng trường",
    ),
    (
        "THPT-TIEN-LANG",
        "Trường THPT Tiên Lãng",
        "upper_secondary",
        "xã Tiên Lãng",
        "Nguyễn Văn Khương",
        "Phạm Thị Duyên",
        "Phó Hiệu trưởng",
    ),
    (
        "THCS-CHU-VAN-AN",
        "Trường THCS Chu Văn An",
        "lower_secondary",
        "phường Ngô Quyền",
        "Lê Thị Thanh Tâm",
        "Đỗ Văn Nam",
        "Phó Hiệu trưởng",
    ),
    (
        "THCS-HONG-BANG",
        "Trường THCS Hồng Bàng",
        "lower_secondary",
        "phường Hồng Bàng",
        "Ngô Thị Lan Hương",
        "Phạm Minh Châu",
        "Giáo viên, thư ký Hội đồng thi đua, khen thưởng trường",
    ),
    (
        "THCS-LE-THANH-NGHI",
        "Trường THCS Lê Thanh Nghị",
        "lower_secondary",
        "xã Gia Lộc",
        "Nguyễn Hữu Thắng",
        "Mạc Thị Hạnh",
        "Phó Hiệu trưởng",
    ),
    (
        "THCS-LY-TU-TRONG",
        "Trường THCS Lý Tự Trọng",
        "lower_secondary",
        "phường Thủy Nguyên",
        "Trần Thị Hồng Vân",
        "Lê Văn Quang",
        "Phó Hiệu trưởng",
    ),
    (
        "TH-THCS-BACH-LONG-VI",
        "Trường Tiểu học và Trung học cơ sở Bạch Long Vĩ",
        "multi_level",
        "đặc khu Bạch Long Vĩ",
        "Phạm Văn Biển",
        "Nguyễn Thị Hải",
        "Giáo viên, phụ trách công tác thi đua",
    ),
    (
        "TH-DINH-TIEN-HOANG",
        "Trường Tiểu học Đinh Tiên Hoàng",
        "primary",
        "phường Hồng Bàng",
        "Vũ Thị Kim Dung",
        "Hoàng Thị Yến",
        "Phó Hiệu trưởng",
    ),
    (
        "TH-LE-VAN-TAM",
        "Trường Tiểu học Lê Văn Tám",
        "primary",
        "phường Lê Chân",
        "Đinh Thị Thu Hà",
        "Trịnh Văn Tùng",
        "Phó Hiệu trưởng",
    ),
    (
        "TH-TRAN-QUOC-TOAN",
        "Trường Tiểu học Trần Quốc Toản",
        "primary",
        "phường Kiến An",
        "Bùi Văn Thành",
        "Lê Thị Mai",
        "Giáo viên, thư ký Hội đồng thi đua, khen thưởng trường",
    ),
    (
        "TH-THANH-MIEN",
        "Trường Tiểu học Thanh Miện",
        "primary",
        "xã Thanh Miện",
        "Phạm Văn Tiến",
        "Nguyễn Thị Thắm",
        "Phó Hiệu trưởng",
    ),
    (
        "MN-HOA-PHUONG",
        "Trường Mầm non Hoa Phượng",
        "preschool",
        "phường An Biên",
        "Trần Thị Thu Thủy",
        "Nguyễn Thị Hồng Nhung",
        "Phó Hiệu trưởng",
    ),
    (
        "MN-HOA-SEN",
        "Trường Mầm non Hoa Sen",
        "preschool",
        "phường Đồ Sơn",
        "Lê Thị Ngọc Anh",
        "Phạm Thị Hoa",
        "Phó Hiệu trưởng",
    ),
    (
        "MN-TU-KY",
        "Trường Mầm non Tứ Kỳ",
        "preschool",
        "xã Tứ Kỳ",
        "Vũ Thị Hường",
        "Đào Thị Liên",
        "Phó Hiệu trưởng",
    ),
    (
        "MN-SAO-MAI",
        "Trường Mầm non Sao Mai",
        "preschool",
        "phường Hải An",
        "Hoàng Thị Minh Phương",
        "Cao Thị Loan",
        "Phó Hiệu trưởng",
    ),
    (
        "GDNN-GDTX-KIEN-THUY",
        "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên Kiến Thụy",
        "continuing_education",
        "xã Kiến Thụy",
        "Nguyễn Văn Cường",
        "Phạm Văn Sơn",
        "Phó Giám đốc Trung tâm",
    ),
    (
        "GDNN-GDTX-CHI-LINH",
        "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên Chí Linh",
        "continuing_education",
        "phường Chí Linh",
        "Lương Văn Hòa",
        "Nguyễn Thị Thu",
        "Phó Giám đốc Trung tâm",
    ),
]

# code, name, head, staff (the division's specialist, chuyên viên)
DIVISIONS = [
    ("PHONG-GDMN", "Phòng Giáo dục Mầm non", "Trần Thị Minh Hạnh", "Nguyễn Thị Quỳnh"),
    ("PHONG-GDPT", "Phòng Giáo dục Phổ thông", "Vũ Đức Thuận", "Lê Thị Hải Yến"),
    ("PHONG-TCCB", "Phòng Tổ chức cán bộ", "Phạm Quang Vinh", "Đỗ Thị Thu Trang"),
    ("PHONG-KHTC", "Phòng Kế hoạch - Tài chính", "Nguyễn Thị Lệ Thủy", "Hoàng Văn Dũng"),
]

HEAD_POSITIONS = {"continuing_education": "Giám đốc Trung tâm", "division": "Trưởng phòng"}
DEFAULT_HEAD_POSITION = "Hiệu trưởng"

# username: (full name, position, role)
DEPARTMENT_PEOPLE = {
    "chuyenvien.vp": (
        "Nguyễn Thị Hải Vân",
        "Chuyên viên Văn phòng Sở, phụ trách thi đua, khen thưởng",
        "office_reviewer",
    ),
    "chuyenvien2.vp": ("Trần Đức Anh", "Chuyên viên Văn phòng Sở", "office_reviewer"),
    "thuky.hd": (
        "Phạm Thị Thanh Huyền",
        "Phó Chánh Văn phòng Sở, Thư ký Hội đồng Thi đua - Khen thưởng ngành",
        "council_secretary",
    ),
    "hoidong1": ("Nguyễn Đức Thịnh", "Giám đốc Sở, Chủ tịch Hội đồng", "council_member"),
    "hoidong2": ("Bùi Thị Thu Hà", "Phó Giám đốc Sở, Phó Chủ tịch Hội đồng", "council_member"),
    "hoidong3": ("Lê Văn Khải", "Phó Giám đốc Sở, Phó Chủ tịch Hội đồng", "council_member"),
    "hoidong4": (
        "Đào Minh Tuấn",
        "Chánh Văn phòng Sở, Ủy viên thường trực Hội đồng",
        "council_member",
    ),
    "hoidong5": (
        "Vũ Thị Ngọc Lan",
        "Phó Trưởng phòng Tổ chức cán bộ, Ủy viên Hội đồng",
        "council_member",
    ),
    "hoidong6": (
        "Hoàng Văn Trường",
        "Chủ tịch Công đoàn ngành Giáo dục thành phố, Ủy viên Hội đồng",
        "council_member",
    ),
    "hoidong7": (
        "Ngô Thị Thanh Xuân",
        "Phó Trưởng phòng Giáo dục Phổ thông, Ủy viên Hội đồng",
        "council_member",
    ),
    "quantri": ("Trịnh Quốc Khánh", "Chuyên viên công nghệ thông tin, quản trị hệ thống", "admin"),
}
MEMBERS = [f"hoidong{i}" for i in range(1, 8)]
# The Council's positions (username: position), one term each from COUNCIL_TERM_STARTS.
COUNCIL_POSITIONS = {
    "hoidong1": "chair",
    "hoidong2": "vice_chair",
    "hoidong3": "vice_chair",
    "hoidong4": "member",
    "hoidong5": "member",
    "hoidong6": "member",
    "hoidong7": "member",
    "thuky.hd": "secretary",
}
COUNCIL_TERM_STARTS = dt.date(2025, 1, 2)
EMAIL_DOMAIN = "vinhdanh.example"  # reserved for examples: no demo e-mail can reach anyone
ACCOUNTS_CREATED = dt.datetime(2025, 11, 20, 1, 0, tzinfo=dt.UTC)

THEME_2026 = "Chủ động thực thi; phát huy động lực; tăng trưởng bứt phá"
CAMPAIGNS = [
    dict(
        code="TD-2025",
        kind="annual",
        year=2025,
        active=False,
        late_allowed=True,
        name="Phong trào thi đua ngành Giáo dục và Đào tạo năm 2025",
        opens_on=dt.date(2025, 2, 20),
        closes_on=dt.date(2025, 12, 31),
        plan_due=dt.date(2025, 3, 10),
        report_due=dt.date(2025, 12, 10),
        description="Phong trào thi đua thường xuyên năm 2025; đã tổng kết.",
    ),
    dict(
        code="TD-2026",
        kind="annual",
        year=2026,
        late_allowed=True,
        name=f"Phong trào thi đua ngành Giáo dục và Đào tạo năm 2026 “{THEME_2026}”",
        opens_on=dt.date(2026, 2, 27),
        closes_on=dt.date(2026, 12, 31),
        plan_due=dt.date(2026, 3, 10),
        report_due=dt.date(2026, 12, 10),
        description=(
            "Kế hoạch số 1114/KH-SGDĐT ngày 27/02/2026 của Sở Giáo dục và Đào tạo thành phố "
            "Hải Phòng phát động phong trào thi đua thực hiện thắng lợi nhiệm vụ và chủ đề năm "
            f"2026 của thành phố “{THEME_2026}”. Kế hoạch thi đua của đơn vị gửi trước ngày "
            "10/3/2026; báo cáo kết quả gửi trước ngày 10/12/2026. Khen thưởng đúng đối tượng, "
            "đúng thành tích, kịp thời, công khai, minh bạch; ưu tiên khen thưởng đột xuất và "
            "người lao động trực tiếp."
        ),
    ),
    dict(
        code="DX-2026",
        kind="ad_hoc",
        year=2026,
        name="Khen thưởng đột xuất năm 2026",
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 12, 31),
        description=(
            "Khen thưởng kịp thời tập thể, cá nhân có thành tích đột xuất, xuất sắc; "
            "hồ sơ được xét ngay, không chờ tổng kết năm."
        ),
    ),
    dict(
        code="CD-CDS-2026",
        kind="thematic",
        year=2026,
        name=(
            "Thi đua chuyên đề “Đẩy mạnh chuyển đổi số trong quản lý, dạy học và kiểm tra, "
            "đánh giá” năm học 2025–2026"
        ),
        opens_on=dt.date(2026, 4, 1),
        closes_on=dt.date(2026, 7, 31),
        description=(
            "Thi đua theo chuyên đề gắn với nội dung 1.3 của Kế hoạch 1114/KH-SGDĐT: quản lý "
            "trên nền tảng số, học bạ số, kho học liệu số dùng chung."
        ),
    ),
]

_LAW = "Luật Thi đua, khen thưởng 2022 (số 06/2022/QH15)"
_DIRECTOR = f"{_LAW}, Điều 80 khoản 1: Giám đốc Sở quyết định tặng"
_CITY = f"{_LAW}, Chương IV: Chủ tịch UBND thành phố quyết định tặng; Nghị định 152/2025/NĐ-CP"
# code, Vietnamese name, English name, nominee kind, conferring authority, share of votes
# needed (an exact fraction), base, source
AWARDS = [
    (
        "LDTT",
        "Lao động tiên tiến",
        "Advanced Worker",
        "individual",
        "department_director",
        "1/2",
        "present",
        _DIRECTOR,
    ),
    (
        "CSTDCS",
        "Chiến sĩ thi đua cơ sở",
        "Grassroots Emulation Fighter",
        "individual",
        "department_director",
        "4/5",
        "all_members",
        _DIRECTOR,
    ),
    (
        "CSTDTP",
        "Chiến sĩ thi đua cấp thành phố",
        "City Emulation Fighter",
        "individual",
        "city_chairman",
        "9/10",
        "all_members",
        _CITY,
    ),
    (
        "TTLDTT",
        "Tập thể lao động tiên tiến",
        "Advanced Collective",
        "collective",
        "department_director",
        "1/2",
        "present",
        _DIRECTOR,
    ),
    (
        "TTLDXS",
        "Tập thể lao động xuất sắc",
        "Excellent Collective",
        "collective",
        "city_chairman",
        "4/5",
        "present",
        _CITY,
    ),
    (
        "CO-UBND",
        "Cờ thi đua của Ủy ban nhân dân thành phố",
        "Emulation Flag of the City People's Committee",
        "collective",
        "city_chairman",
        "4/5",
        "all_members",
        _CITY,
    ),
    (
        "GK-GD-CN",
        "Giấy khen của Giám đốc Sở",
        "Certificate of Merit of the Director",
        "individual",
        "department_director",
        "1/2",
        "present",
        _DIRECTOR,
    ),
    (
        "GK-GD-TT",
        "Giấy khen của Giám đốc Sở (tập thể)",
        "Certificate of Merit of the Director (collective)",
        "collective",
        "department_director",
        "1/2",
        "present",
        _DIRECTOR,
    ),
    (
        "BK-UBND-CN",
        "Bằng khen của Chủ tịch Ủy ban nhân dân thành phố",
        "Certificate of Commendation of the Chairman of the City People's Committee",
        "individual",
        "city_chairman",
        "4/5",
        "present",
        _CITY,
    ),
    (
        "BK-UBND-TT",
        "Bằng khen của Chủ tịch Ủy ban nhân dân thành phố (tập thể)",
        "Certificate of Commendation of the Chairman of the City People's Committee (collective)",
        "collective",
        "city_chairman",
        "4/5",
        "present",
        _CITY,
    ),
]

# Where each vote threshold above comes from and the day it applies from (award code: source,
# day). The decree's shares are on all the Council's members, absent members voting in writing;
# Nghị định 152/2025/NĐ-CP replaced it on 01/7/2025 and is taken to keep them until checked.
_ARTICLE_30 = "Nghị định 98/2023/NĐ-CP, Điều 30"
_MAJORITY = "Quy chế hoạt động của Hội đồng: biểu quyết theo đa số (mặc định, cấu hình được)"
THRESHOLD_SOURCES: dict[str, tuple[str, dt.date | None]] = {
    "CSTDCS": (_ARTICLE_30, dt.date(2024, 1, 1)),
    "CSTDTP": (_ARTICLE_30, dt.date(2024, 1, 1)),
    "CO-UBND": (_ARTICLE_30, dt.date(2024, 1, 1)),
    **{
        code: (_MAJORITY, None)
        for code in ("LDTT", "TTLDTT", "TTLDXS", "GK-GD-CN", "GK-GD-TT", "BK-UBND-CN", "BK-UBND-TT")
    },
}

_ROOM = "Phòng họp tầng 3, Sở Giáo dục và Đào tạo"
# key: (title, day, place, absent members, closed) — decisions happen on the day itself.
SESSIONS = {
    "HD-01": (
        "Phiên họp Hội đồng Thi đua - Khen thưởng ngành: tổng kết năm 2025 và khen thưởng đột xuất",
        dt.date(2026, 1, 12),
        _ROOM,
        ["hoidong7"],
        True,
    ),
    "HD-02": (
        "Phiên họp Hội đồng Thi đua - Khen thưởng ngành xét khen thưởng năm học 2025–2026",
        dt.date(2026, 7, 15),
        _ROOM,
        [],
        True,
    ),
    "HD-03": (
        "Phiên họp Hội đồng Thi đua - Khen thưởng ngành xét khen thưởng đột xuất và chuyên đề",
        dt.date(2026, 8, 6),
        "Phòng họp trực tuyến của Sở",
        ["hoidong4", "hoidong6"],
        True,
    ),
    "HD-04": (
        "Phiên họp Hội đồng Thi đua - Khen thưởng ngành tháng 11/2026",
        dt.date(2026, 11, 24),
        _ROOM,
        ["hoidong5"],
        False,
    ),
}
QUORUM = "2/3"

DIRECTOR = "Nguyễn Đức Thịnh – Giám đốc Sở"
DEPUTY = "Bùi Thị Thu Hà – Phó Giám đốc Sở"
CITY_SIGNER = "Phạm Văn Lâm – Phó Chủ tịch UBND thành phố"
# number, date, signer
DECISIONS = {
    "05": ("05/QĐ-SGDĐT", "2026-01-14", DEPUTY),
    "15": ("15/QĐ-SGDĐT", "2026-01-20", DIRECTOR),
    "1256": ("1256/QĐ-SGDĐT", "2026-07-24", DIRECTOR),
    "1257": ("1257/QĐ-SGDĐT", "2026-07-24", DIRECTOR),
    "1530": ("1530/QĐ-SGDĐT", "2026-08-14", DIRECTOR),
    "2105": ("2105/QĐ-UBND", "2026-08-20", CITY_SIGNER),
}
