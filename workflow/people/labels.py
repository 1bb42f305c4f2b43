"""Vietnamese and English labels of the register's coded values (models/people.py)."""

from __future__ import annotations

GENDER_LABELS = {"female": ("Nữ", "Female"), "male": ("Nam", "Male")}
IDENTITY_KIND_LABELS = {
    "national_id": ("Số định danh cá nhân (căn cước)", "Personal ID number"),
    "unit_code": ("Mã do đơn vị cấp", "Unit-issued code"),
}
COLLECTIVE_KIND_LABELS = {
    "unit": ("Đơn vị", "Unit"),
    "team": ("Tổ", "Team (tổ)"),
    "office": ("Phòng", "Office (phòng)"),
    "block": ("Khối", "Block (khối)"),
}
ISSUER_KIND_LABELS = {
    "department": ("Giám đốc Sở Giáo dục và Đào tạo", "Director of the Department"),
    "unit": ("Thủ trưởng đơn vị", "Head of the unit"),
    "commune": ("Chủ tịch UBND xã, phường, đặc khu", "Chairman of a commune or ward"),
    "former_district": (
        "UBND huyện, Phòng Giáo dục và Đào tạo (trước 01/7/2025)",
        "Former district (before 1 July 2025)",
    ),
    "former_department": (
        "Sở Giáo dục và Đào tạo Hải Dương (trước 01/7/2025)",
        "Former Hải Dương Department (before 1 July 2025)",
    ),
    "city": ("Chủ tịch UBND thành phố", "Chairman of the City"),
    "ministry": ("Bộ trưởng Bộ Giáo dục và Đào tạo", "Minister of Education and Training"),
    "government": ("Thủ tướng Chính phủ", "Prime Minister"),
}
RATING_LABELS = {
    "excellent": ("Hoàn thành xuất sắc nhiệm vụ", "Completed tasks excellently"),
    "good": ("Hoàn thành tốt nhiệm vụ", "Completed tasks well"),
    "complete": ("Hoàn thành nhiệm vụ", "Completed tasks"),
    "incomplete": ("Không hoàn thành nhiệm vụ", "Did not complete tasks"),
}
DISCIPLINE_LABELS = {
    "reprimand": ("Khiển trách", "Reprimand"),
    "warning": ("Cảnh cáo", "Warning"),
    "demotion": ("Hạ bậc lương", "Salary demotion"),
    "downgrade": ("Giáng chức", "Downgrading"),
    "removal": ("Cách chức", "Removal from post"),
    "dismissal": ("Buộc thôi việc", "Dismissal"),
}
INITIATIVE_KIND_LABELS = {
    "initiative": ("Sáng kiến", "Initiative"),
    "research": ("Đề tài nghiên cứu khoa học", "Research project"),
}
INITIATIVE_LEVEL_LABELS = {
    "unit": ("Cấp cơ sở", "Unit level"),
    "department": ("Cấp Sở", "Department level"),
    "city": ("Cấp thành phố", "City level"),
    "ministry": ("Cấp Bộ", "Ministry level"),
}
