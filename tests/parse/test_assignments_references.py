"""References cited in lists under one type and in footnotes after the signature
(../shared/corpus/CONVENTIONS.md: every document cited with a number and symbol)."""

from __future__ import annotations

from services.parse.references import find_references


def _numbers(text: str) -> list[str]:
    return [r.number for r in find_references(text)]


def test_numbers_listed_under_one_type_are_each_cited():
    text = (
        "Các công điện: số 217/CĐ-TTg ngày 16/11/2025; số 218/CĐ-TTg ngày 17/11/2025. "
        "Theo các văn bản số: 10894/VPCP-CN ngày 8/11/2025, 8563/VPCP-CN ngày 12/9/2025 của Văn phòng Chính phủ "
        "và Thông báo số 49/TB-VPCP ngày 07 tháng 02 năm 2024 và số 160/TB-VPCP ngày 24 tháng 4 năm 2023."
    )
    assert _numbers(text) == ["217/CĐ-TTg", "218/CĐ-TTg", "10894/VPCP-CN", "8563/VPCP-CN", "49/TB-VPCP", "160/TB-VPCP"]


def test_a_law_named_at_length_before_its_number_is_cited():
    assert _numbers("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;") == ["72/2025/QH15"]


def test_a_list_does_not_run_into_plain_numbers():
    assert _numbers("Nghị quyết số 68/NQ-CP ngày 01/7/2021, 15 địa phương đã thực hiện.") == ["68/NQ-CP"]
