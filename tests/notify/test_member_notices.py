"""Units named under a shared head ("các Sở: Xây dựng, Y tế") each get their notice."""

from __future__ import annotations

import pytest

from services.notify.notices import build_notices
from services.parse.parser import parse_directive
from vanthu.directory import UnitDirectory

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


@pytest.fixture(scope="module")
def national() -> UnitDirectory:
    return UnitDirectory.national()


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
