"""The timing of a task clause: a calendar deadline, or the phrase that times it.

:func:`services.parse.dates.find_deadline` reads dated phrases ("trước ngày 15/12/2025",
"trong quý IV/2025"). A task is also timed by phrases with no calendar date, which a
clerk still needs to see (CONVENTIONS.md keeps them as ``deadline_text``): a day of each
period ("trước ngày 20 hằng tháng"), a whole year ("hoàn thành trong năm 2025") and
standing work ("thực hiện thường xuyên").
"""

from __future__ import annotations

import re

from services.parse.dates import Deadline, find_deadline

_RECURRING_DAY = re.compile(
    r"(?:trước|chậm nhất|vào)\s+(?:ngày\s+)?\d{1,2}\s+(?:hằng|hàng|mỗi)\s+(?:tháng|quý|năm)", re.IGNORECASE
)
_UNDATED = re.compile(
    r"(?:(?:hoàn thành|thực hiện|triển khai)\s+)?(?:trong\s+năm\s+\d{4}|thường xuyên|trong\s+(?:quý|tháng)\s+\S+(?:\s+năm\s+\d{4})?)",
    re.IGNORECASE,
)


def task_deadline(text: str, default_year: int | None) -> Deadline | None:
    """The first timing phrase of ``text``: a dated one gives its date; a recurring day, a
    year or "thường xuyên" give the phrase with no date."""
    recurring = _RECURRING_DAY.search(text)
    dated = find_deadline(text, default_year)
    if recurring and (dated is None or recurring.start() <= text.find(dated.text)):
        return Deadline(None, recurring.group(0))
    if dated is not None:
        return dated
    undated = _UNDATED.search(text)
    return Deadline(None, undated.group(0)) if undated else None
