"""Units named under a shared head ("các Sở: Xây dựng, Y tế") each get their notice."""

from __future__ import annotations

from services.notify.notices import build_notices
from services.parse.parser import parse_directive

PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÀ TĨNH
Số: 12/KH-UBND
Hà Tĩnh, ngày 02 tháng 3 năm 2025
KẾ HOẠCH
Kiểm tra an toàn công trình mùa mưa bão
1. {units} kiểm tra an toàn công trình trước ngày 30 tháng 4 năm 2025.
Nơi nhận:
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn A
"""


def test_each_member_under_a_shared_head_is_notified(national):
    # GIVEN a plan that tasks three departments listed under one head
    directive = parse_directive(PLAN.format(units="Các Sở: Xây dựng, Công Thương, Giáo dục và Đào tạo"), national)
    # WHEN its notices are built
    notices = build_notices(directive, "doc", national)
    # THEN each department of the province gets one, none goes to review, and the plan
    # does not report the head as an unknown unit
    assert [n.unit_id for n in notices] == ["vn:42:so-xay-dung", "vn:42:so-cong-thuong", "vn:42:so-giao-duc-va-dao-tao"]
    assert all(n.deadline and n.deadline.isoformat() == "2025-04-30" for n in notices)
    assert not any("Các Sở" in w for w in directive.warnings)


def test_a_member_the_directory_does_not_know_goes_to_review_beside_the_others(national):
    directive = parse_directive(PLAN.format(units="Các Sở: Xây dựng, Năng lượng Nguyên tử"), national)
    notices = build_notices(directive, "doc", national)
    assert [n.unit_id for n in notices] == ["vn:42:so-xay-dung", None]


def test_a_heading_over_items_it_leads_tells_the_unit_once(national):
    # GIVEN a unit heading whose items say "Chủ trì": the unit is tasked and leads (two readings)
    directive = parse_directive(PLAN.replace(
        "1. {units} kiểm tra an toàn công trình trước ngày 30 tháng 4 năm 2025.",
        "1. Sở Xây dựng\n"
        "- Chủ trì, phối hợp với Sở Công Thương kiểm tra an toàn công trình trước ngày 30 tháng 4 năm 2025.\n"
        "2. Sở Y tế\n"
        "- Chủ trì tổ chức tập huấn sơ cứu cho lực lượng cứu hộ.\n"
        "- Bảo đảm thuốc, vật tư y tế tại các điểm sơ tán."), national)
    assert {(a.unit_text, a.role) for a in directive.assignments} >= {("Sở Xây dựng", "assigned"), ("Sở Xây dựng", "lead")}
    notices = build_notices(directive, "doc", national)
    told = sorted((n.unit_id, n.role) for n in notices)
    # THEN Sở Xây dựng hears once, as the lead; Sở Y tế leads one task and is tasked with another
    assert told == sorted([
        ("vn:42:so-xay-dung", "lead"), ("vn:42:so-cong-thuong", "cooperate"),
        ("vn:42:so-y-te", "lead"), ("vn:42:so-y-te", "assigned")])
