"""Document numbers, dates and deadlines."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.parse.dates import find_deadline, parse_numeric_date, parse_worded_date
from services.parse.numbers import doc_type_for, parse_number

CODES = st.sampled_from(["CV", "CT", "TB", "KL", "KH", "NQ", "QĐ", "HD", "BC", "TTr", "CĐ", "GM"])
ISSUERS = st.sampled_from(["TU", "UBND", "HU", "TW", "VPTW", "CP"])


@given(st.integers(1, 99999), CODES, ISSUERS)
def test_party_numbers_round_trip(seq, code, issuer):
    # GIVEN a Party number "215-CV/TU" WHEN parsed THEN sequence, symbol and type come back
    parsed = parse_number(f"Số {seq}-{code}/{issuer}")
    assert (parsed.number, parsed.seq, parsed.symbol, parsed.system) == (f"{seq}-{code}/{issuer}", seq, f"{code}/{issuer}", "party")
    assert doc_type_for(parsed) is not None


@given(st.integers(1, 99999), st.one_of(st.none(), st.integers(1990, 2100)), CODES, ISSUERS)
def test_state_numbers_round_trip(seq, year, code, issuer):
    # GIVEN a state number "143/TB-UBND" or "30/2020/NĐ-CP" WHEN parsed THEN its parts come back
    printed = f"{seq}/{year}/{code}-{issuer}" if year else f"{seq}/{code}-{issuer}"
    parsed = parse_number(f"Số: {printed} ngày")
    assert (parsed.number, parsed.seq, parsed.year, parsed.system) == (printed, seq, year, "state")


@given(st.integers(1, 99999), CODES, st.sampled_from(["UBND", "HĐND"]))
def test_a_number_whose_hyphen_the_text_layer_lost(seq, code, issuer):
    # GIVEN "1961/QĐUBND": a PDF's text layer dropped the hyphen's glyph
    parsed = parse_number(f"Số: {seq}/{code}{issuer}")
    # WHEN parsed THEN the number is the one printed, its type read from its code
    assert parsed.number == f"{seq}/{code}-{issuer}"
    assert doc_type_for(parsed) is not None


def test_blank_number_and_state_cong_van():
    # GIVEN an unsigned copy and a state công văn WHEN parsed THEN blank seq and type Công văn
    assert parse_number("Số: /TB-UBND").seq is None
    assert doc_type_for(parse_number("575/UBND-VP7")) == "Công văn"
    assert doc_type_for(parse_number("12-TT/TU")) == "Thông tri"  # Party TT is a Thông tri
    assert parse_number("Covid-19 ngày 01/7/2021") is None


@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
def test_dates_round_trip(date):
    # GIVEN a date printed in either style WHEN parsed THEN the same date
    worded = parse_worded_date(f"Nam Định, ngày {date.day} tháng {date.month} năm {date.year}")
    assert (worded.day, worded.month, worded.year) == (date.day, date.month, date.year)
    assert parse_numeric_date(f"ngày {date.day}/{date.month}/{date.year}") == date
    assert find_deadline(f"hoàn thành trước ngày {date.day:02d}/{date.month:02d}/{date.year}", None).date == date


def test_blank_day_and_deadline_forms():
    # GIVEN a blank day and the usual deadline phrases WHEN parsed THEN known parts and ISO dates
    partial = parse_worded_date("Nam Định, ngày   tháng 9 năm 2021")
    assert (partial.day, partial.month, partial.year) == (None, 9, 2021)
    assert find_deadline("xong trước 30/9", 2021).date == dt.date(2021, 9, 30)
    assert find_deadline("trong tháng 10/2021", None).date == dt.date(2021, 10, 31)
    assert find_deadline("chậm nhất ngày 15 tháng 10 năm 2021", None).date == dt.date(2021, 10, 15)
    assert find_deadline("hoạt động 24/24 giờ", 2021) is None
    assert parse_numeric_date("31/02/2021") is None


@pytest.mark.parametrize(("phrase", "date"), [
    # a Công điện's hour before the day
    ("báo cáo Thủ tướng Chính phủ trước 16 giờ 00 ngày 26/11/2025", dt.date(2025, 11, 26)),
    ("trước 17h00, ngày 26 tháng 11 năm 2025", dt.date(2025, 11, 26)),
    # a plan's field and "no later than"
    ("thời hạn hoàn thành: ngày 10/01/2026", dt.date(2026, 1, 10)),
    ("không muộn hơn ngày 15 tháng 01 năm 2026", dt.date(2026, 1, 15)),
])
def test_deadline_phrases_of_other_issuers(phrase, date):
    assert find_deadline(phrase, 2025).date == date


@given(st.text(max_size=120))
def test_parsers_never_raise(text):
    # GIVEN arbitrary text WHEN every parser runs THEN no exception
    parse_number(text), parse_worded_date(text), parse_numeric_date(text, 2021), find_deadline(text, 2021)


def test_a_resolution_of_a_numbered_series():
    # GIVEN a Government resolution of a series, numbered "66.17/2026/NQ-CP"
    parsed = parse_number("Số: 66.17/2026/NQ-CP")
    # THEN the whole number is read, not the part after the series' dot
    assert (parsed.number, parsed.seq, parsed.year, doc_type_for(parsed)) == ("66.17/2026/NQ-CP", 66, 2026, "Nghị quyết")


@given(st.integers(1, 99999), CODES)
def test_a_tinh_uy_code_printed_with_a_horn(seq, code):
    # GIVEN a Tỉnh ủy's number whose U a font or OCR gave a horn ("445-KL/TƯ")
    parsed = parse_number(f"Số {seq}-{code}/TƯ")
    # THEN it is the committee's code "TU", as the Party writes it
    assert (parsed.number, parsed.system) == (f"{seq}-{code}/TU", "party")
