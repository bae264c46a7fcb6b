"""Dates as Vietnamese directives print them, and deadlines inside task text.

Every function takes printed text and returns ``None`` (or an empty result) rather than
raising when the text holds no valid date: "ngày 31/02/2021" is no date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from vanthu.events import PartialDate

from vanthu.normalize import fold

# "ngày 14 tháng 6 năm 2021"; any part may be left blank on an unsigned copy
# ("ngày   tháng 9 năm 2021"). Searched on folded text.
_WORDED = re.compile(r"(?<![^\W\d_])nga[yi]\s*:?\s*(\d{1,2})?\s*thang\s*(\d{1,2})?\s*nam\s*(\d{4})?")
# "14/6/2021", "14-6-2021", "14.6.2021"; the year may be missing ("30/9").
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?(?![\d/])")


def make_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    """A real calendar date, or None."""
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def worded_dates(text: str) -> Iterator[tuple[int, int, PartialDate]]:
    """Every "ngày .. tháng .. năm .." in ``text`` as (start, end, date), blank parts None.

    The parts may be broken over lines ("Hà Nội, ngày" / "02 tháng 12 năm 2025"); offsets
    are those of ``text``. Impossible days and months are skipped.
    """
    for m in _WORDED.finditer(fold(text)):
        day, month, year = (int(g) if g else None for g in m.groups())
        if day is not None and not 1 <= day <= 31 or month is not None and not 1 <= month <= 12:
            continue
        yield m.start(), m.end(), PartialDate(day=day, month=month, year=year)


# "Hà Nội, ngày 28/11/2025": the place line's date in figures, as some issuers print it.
_DAY_IN_FIGURES = re.compile(r"(?<![^\W\d_])ngay\s*:?\s*(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")


def dates_in_figures(text: str) -> Iterator[tuple[int, int, PartialDate]]:
    """Every "ngày dd/mm/yyyy" in ``text`` as (start, end, date); offsets those of ``text``."""
    for m in _DAY_IN_FIGURES.finditer(fold(text)):
        if make_date(int(m.group(4)), int(m.group(3)), int(m.group(1))):
            yield m.start(), m.end(), PartialDate(day=int(m.group(1)), month=int(m.group(3)), year=int(m.group(4)))


def parse_worded_date(text: str) -> PartialDate | None:
    """The first "ngày .. tháng .. năm .." in ``text``, with blank parts left None."""
    return next((date for _, _, date in worded_dates(text)), None)


def parse_numeric_date(text: str, default_year: int | None = None) -> dt.date | None:
    """The first "dd/mm/yyyy" (or "dd/mm" with ``default_year``) in ``text`` that is a real date."""
    for m in _NUMERIC.finditer(text):
        year = _year(m.group(4)) or default_year
        date = make_date(year, int(m.group(3)), int(m.group(1)))
        if date:
            return date
    return None


def parse_any_date(text: str, default_year: int | None = None) -> dt.date | None:
    """A worded or numeric date, whichever the text holds first."""
    worded = parse_worded_date(text)
    if worded and worded.day:
        return make_date(worded.year or default_year, worded.month, worded.day)
    return parse_numeric_date(text, default_year)


@dataclass(frozen=True)
class Deadline:
    date: dt.date | None
    text: str


_DEADLINE_LEAD = (
    r"(?:(?:hoàn thành|xong|thực hiện)\s+)?(?:trước|chậm nhất|muộn nhất|không quá|không muộn hơn|hạn chót|đến"
    r"|(?:thời hạn|hạn|thời gian)(?:\s+(?:hoàn thành|thực hiện|báo cáo|gửi))?)"
)
# An hour before the day ("trước 16 giờ 00 ngày 26/11/2025", "trước 17h00, ngày ...").
_HOUR = r"(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{2}(?:\s*phút)?)?\s*,?\s*)?"
_DATE_WORDS = r"(?:ngày\s*)?\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?"
_DEADLINE_DAY = re.compile(
    rf"{_DEADLINE_LEAD}\s*(?:là\s*)?:?\s*{_HOUR}(?:ngày\s*)?:?\s*(?:{_DATE_WORDS})", re.IGNORECASE
)
_ROMAN_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DEADLINE_PERIOD = re.compile(
    r"(?:trong|trước|hết|cuối|xong trong)\s+(?:(tháng)\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})"
    r"|(quý)\s+(IV|III|II|I|[1-4])\s*(?:/|năm)\s*(\d{4}))",
    re.IGNORECASE,
)


_DIGIT = re.compile(r"\d")


def find_deadline(text: str, default_year: int | None) -> Deadline | None:
    """The first deadline phrase in task text.

    "trước ngày 01/10/2021", "chậm nhất ngày 15 tháng 10 năm 2021", "xong trước 30/9"
    (year from ``default_year``) give that day; "trong tháng 10/2021" and "trong quý
    IV/2021" give the last day of the period. ``text`` keeps the phrase as printed.
    """
    if not _DIGIT.search(text):
        return None  # every deadline phrase has a figure; most task text has none
    m = _DEADLINE_DAY.search(text)
    if m:
        return Deadline(parse_any_date(m.group(0), default_year), m.group(0))
    m = _DEADLINE_PERIOD.search(text)
    if m:
        if m.group(1):
            year, month = int(m.group(3)), int(m.group(2))
        else:
            year, month = int(m.group(6)), 3 * _ROMAN_QUARTER[m.group(5).lower()]
        if not 1 <= month <= 12:
            return Deadline(None, m.group(0))
        return Deadline(dt.date(year, month, calendar.monthrange(year, month)[1]), m.group(0))
    return None


_RECURRENCE = re.compile(
    r"(?:định kỳ\s+)?(?:hằng|hàng|mỗi)\s+(?:ngày|tuần|tháng|quý|năm)"
    r"|định kỳ\s+(?:\d+\s+)?(?:ngày|tuần|tháng|quý|năm)(?:\s+một lần)?",
    re.IGNORECASE,
)


def find_recurrence(text: str) -> str | None:
    """"hằng tuần", "định kỳ hằng tháng", "định kỳ 6 tháng" ... as printed."""
    m = _RECURRENCE.search(text)
    return m.group(0) if m else None
