"""A date whose day (or month) the header leaves blank, corroborated by the document's own evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from services.parse.parser import parse_directive
from services.parse.signings import overlay_dates

HEADER = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: {number}/QĐ-UBND
Lào Cai, ngày {day} tháng {month} năm 2026
QUYẾT ĐỊNH
Về việc ủy quyền cho Giám đốc Sở Công Thương
ỦY BAN NHÂN DÂN TỈNH LÀO CAI
Điều 1. Ủy quyền cho Giám đốc Sở Công Thương thực hiện nhiệm vụ.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Tuấn Anh
"""
APPENDIX = """PHỤ LỤC
(Kèm theo Quyết định số {number}/QĐ-UBND ngày 15/5/2026 của UBND tỉnh Lào Cai)
1. Cấp giấy phép vận chuyển hàng hóa nguy hiểm.
"""


def directive(day: str, month: str, number: str = "1696", appendix: str | None = None, **kw):
    text = HEADER.format(number=number, day=day, month=month)
    if appendix is not None:
        text += APPENDIX.format(number=appendix)
    return parse_directive(text, **kw)


def test_the_signing_time_gives_a_blank_day_in_the_headers_month():
    # GIVEN a header without its day, and an e-signature signed in the header's month and year
    d = directive("", "5", signed=[dt.date(2026, 5, 15)])
    # THEN the day is the signing day
    assert d.date == dt.date(2026, 5, 15)


@pytest.mark.parametrize("signed", [dt.date(2026, 6, 2), dt.date(2025, 5, 15)])
def test_a_signing_time_in_another_month_or_year_is_not_taken(signed):
    # GIVEN a copy signed in another month (or year) than the header's
    d = directive("", "5", signed=[signed])
    # THEN the day stays unknown, the month and year read
    assert d.date is None
    assert (d.date_partial.month, d.date_partial.year, d.date_partial.day) == (5, 2026, None)


def test_a_signing_time_never_supplies_a_month():
    d = directive("", "", signed=[dt.date(2026, 5, 15)])
    assert d.date is None


def test_a_printed_day_wins_over_the_signing_time():
    # GIVEN a copy signed days after the issue
    d = directive("12", "5", signed=[dt.date(2026, 5, 15)])
    assert d.date == dt.date(2026, 5, 12)


def test_the_appendix_caption_naming_the_document_gives_its_date():
    # GIVEN a header with its day and month blank, and an appendix captioned with the same number
    d = directive("", "", appendix="1696")
    # THEN the caption's date is the document's
    assert d.date == dt.date(2026, 5, 15)


def test_a_caption_naming_another_document_is_not_taken():
    d = directive("", "", appendix="1700")
    assert d.date is None


def test_the_caption_gives_the_date_when_the_number_is_blank_too():
    # GIVEN the number's sequence left blank as well ("Số: /QĐ-UBND"): the symbol still ties them
    d = directive("", "", number="", appendix="")
    assert d.date == dt.date(2026, 5, 15)


@pytest.mark.parametrize(
    ("overlay", "expected"),
    [
        ("Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi\nThời gian ký: 18/03/2024 08:41:42", dt.date(2024, 3, 18)),
        ("Thời gian ký: 16.04.2020 09:12:00", dt.date(2020, 4, 16)),
        ("Ký bởi: Cục Cảnh sát\nThời gian ký: 2025-09-16T14:37:50+07:00", dt.date(2025, 9, 16)),
        ("Thoi gian ky: 06/04/2026", dt.date(2026, 4, 6)),  # diacritics lost by OCR
        ("Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi", None),
        # a gazette's overlay tells when it published the document, not when it was signed
        ("Trung tâm Công báo và Tin học\nttcbth@quangngai.gov.vn\n04.04.2018 14:21:14 +07:00", None),
    ],
)
def test_signing_dates_read_the_overlay(overlay, expected):
    assert overlay_dates([overlay]) == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("day", "signed", "expected"),
    [
        ("Ø3", dt.date(2026, 5, 3), dt.date(2026, 5, 3)),  # a handwritten 03 misread: its 3 fits
        ("⁄{5", dt.date(2026, 5, 15), dt.date(2026, 5, 15)),
        ("45", dt.date(2026, 5, 18), None),  # 15 misread as 45 cannot be the 18th
    ],
)
def test_the_signing_day_must_fit_what_is_legible_of_the_day(day, signed, expected):
    assert directive(day, "5", signed=[signed]).date == expected


def test_the_earliest_signature_dates_a_blank_day():
    # GIVEN the signer's signature on the 15th, and the issuing body's seal signature on the 18th
    d = directive("", "5", signed=[dt.date(2026, 5, 18), dt.date(2026, 5, 15)])
    # THEN the document is dated by the signer's: a later signature never precedes the issue
    assert d.date == dt.date(2026, 5, 15)
