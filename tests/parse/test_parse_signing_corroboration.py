"""A day written by hand that OCR could not read is taken from a signing time only when
the ink of the day's blank supports it (services/parse/signings.py)."""

from __future__ import annotations

import datetime as dt

from services.parse.signings import signing_dates
from tests.parse.test_parse_date_evidence import directive
from vanthu.events import BlankInk, DigitalSignature, PageText, TextArtifact


def _glyph(probable: dict[int, float]) -> list[float]:
    """A glyph's digit probabilities: ``probable`` ones, the rest of 1 spread over the others."""
    rest = (1 - sum(probable.values())) / (10 - len(probable))
    return [probable.get(digit, rest) for digit in range(10)]


def _artifact(signed: list[dt.date], ink: list[list[float]] | None, line: tuple[str, float] | None = None) -> TextArtifact:
    read = {"line": line[0], "line_confidence": line[1]} if line else {}
    page = PageText(number=1, text="Lào Cai, ngày tháng 5 năm 2026", source="ocr",
                    blanks=[BlankInk(field="day", glyphs=ink, **read)] if ink is not None else [])
    return TextArtifact(document_id="x", media_type="application/pdf", pages=[page], signatures=[
        DigitalSignature(signer="Nguyễn Tuấn Anh", signed_at=dt.datetime.combine(day, dt.time(9), dt.UTC)) for day in signed])


# A hand's "15" the reader was not sure of: its "1" may be a "7", its "5" a "3".
FIFTEEN = [_glyph({1: 0.6, 7: 0.3}), _glyph({5: 0.5, 3: 0.3})]


def test_the_signing_day_the_ink_supports_is_taken_not_the_earliest():
    # GIVEN a day's blank whose ink looks like "15" and signing times on the 13th, 15th and 18th
    signed = signing_dates(_artifact([dt.date(2026, 5, 18), dt.date(2026, 5, 13), dt.date(2026, 5, 15)], FIFTEEN))
    # WHEN the header's blank day is parsed with them
    d = directive("", "5", signed=signed)
    # THEN the day is the 15th, which the ink supports, not the earliest signing day
    assert d.date == dt.date(2026, 5, 15)


def test_a_signing_day_the_ink_does_not_support_leaves_the_day_blank():
    # GIVEN a day's blank whose ink looks like "15" and a copy signed on the 18th only
    signed = signing_dates(_artifact([dt.date(2026, 5, 18)], FIFTEEN))
    d = directive("", "5", signed=signed)
    # THEN the day is left blank (month and year read), with a warning for the clerk
    assert d.date is None
    assert (d.date_partial.month, d.date_partial.year, d.date_partial.day) == (5, 2026, None)
    assert d.warnings


def test_a_day_below_ten_may_be_written_with_one_digit_or_two():
    one = signing_dates(_artifact([dt.date(2026, 5, 3), dt.date(2026, 5, 8)], [_glyph({3: 0.8})]))
    two = signing_dates(_artifact([dt.date(2026, 5, 3), dt.date(2026, 5, 8)], [_glyph({0: 0.9}), _glyph({3: 0.8})]))
    assert one == two == [dt.date(2026, 5, 3)]


def test_without_the_ink_every_signing_day_is_a_candidate():
    # GIVEN no ink kept for the day (a text layer, a blank OCR found nothing written in)
    signed = signing_dates(_artifact([dt.date(2026, 5, 18), dt.date(2026, 5, 15)], None))
    # THEN the earliest signing day is taken, as before
    assert directive("", "5", signed=signed).date == dt.date(2026, 5, 15)


def test_a_day_whose_second_digit_was_lost_is_matched_by_its_first():
    # GIVEN a day's blank where only the "2" of "27" was found, and signing times on the 18th and 27th
    signed = signing_dates(_artifact([dt.date(2026, 5, 18), dt.date(2026, 5, 27)], [_glyph({2: 0.9})]))
    # THEN the 27th, which the "2" fits, is the candidate
    assert signed == [dt.date(2026, 5, 27)]


# A Vietnamese clerk's "13", its "1" with a long lead-in stroke: the classifier takes that "1" for no digit.
LEAD_IN_THIRTEEN = [_glyph({1: 0.02, 7: 0.01}), _glyph({3: 0.98})]


def test_a_day_the_second_reader_read_is_supported_where_the_classifier_barely_saw_it():
    # GIVEN that ink, signing times on the 13th and 18th, and the line reader reading "13" there, unsure
    dates = [dt.date(2026, 5, 18), dt.date(2026, 5, 13)]
    assert signing_dates(_artifact(dates, LEAD_IN_THIRTEEN)) == []
    signed = signing_dates(_artifact(dates, LEAD_IN_THIRTEEN, ("13", 0.35)))
    # THEN the 13th is the day
    assert directive("", "5", signed=signed).date == dt.date(2026, 5, 13)


def test_the_second_reader_reading_another_day_supports_no_signing_day():
    # GIVEN the same ink read "15" by the line reader, and signing times on the 13th and 18th
    signed = signing_dates(_artifact([dt.date(2026, 5, 18), dt.date(2026, 5, 13)], LEAD_IN_THIRTEEN, ("15", 0.9)))
    # THEN neither is taken: the day stays blank
    assert signed == []
