"""When the document was signed, as its digital signatures and their overlays say.

Evidence for a date the header leaves blank or unreadable (services/parse/parser.py,
``_set_date``): the signing times of the PDF's signature fields (exact, read by the OCR
stage, services/ocr/pdf_signatures.py) and of the portal overlays the OCR stage set aside
("Ký bởi: ... Thời gian ký: 18/03/2024 08:41:42", read with OCR's damage). A gazette's
signature ("Trung tâm Công báo", "Công báo điện tử") is left out: it records when the
document was published, after it was issued, never when it was signed.

An office may sign a scan days after the paper was signed, so a signing day is only a
candidate for a day written by hand that OCR could not read surely: when the OCR stage
kept that blank's ink (``PageText.blanks``: each glyph's digit probabilities, and what the
second reader read there), only the candidates whose day the ink supports best, and at
least :data:`SUPPORTED`, are kept; none when it supports none, and the day stays blank.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable

from services.parse.dates import make_date
from vanthu.events import BlankInk, TextArtifact
from vanthu.normalize import fold

SUPPORTED = 0.05  # the least probability of a day's digits for its ink to support a signing day

_SIGNING_TIME = re.compile(
    r"(?<!\d)(?:(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})|(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2}))(?!\d)"
)
_GAZETTE = re.compile(r"\bcong bao\b")


def signing_dates(artifact: TextArtifact) -> list[dt.date]:
    """The dates ``artifact``'s signatures were made on (their own local date), PDF
    signature fields first, then overlays; publishing gazettes' left out; when the first
    page kept the ink of its day's blank, only those whose day it supports (see above)."""
    fields = [s.signed_at.date() for s in artifact.signatures if not _GAZETTE.search(fold(s.signer or ""))]
    dates = fields + overlay_dates(artifact.aside_texts("e-signature"))
    ink = next((b for b in (artifact.pages[0].blanks if artifact.pages else []) if b.field == "day"), None)
    return dates if ink is None else supported(dates, ink)


def supported(dates: list[dt.date], ink: BlankInk) -> list[dt.date]:
    """Those of ``dates`` whose day the ink of a day's blank supports best, when at least
    :data:`SUPPORTED`: its glyphs' probabilities of the day's digits (:func:`day_support`),
    or the second reader's confidence when it read the day's digits there, the greater."""
    support = {date: max(day_support(ink.glyphs, date.day),
                         ink.line_confidence if ink.line in (f"{date.day:02d}", str(date.day)) else 0.0)
               for date in dates}
    best = max(support.values(), default=0.0)
    return [date for date in dates if support[date] >= max(best, SUPPORTED)]


def day_support(glyphs: list[list[float]], day: int) -> float:
    """The probability that the glyphs of a day's blank are ``day``, written with two
    digits as Decree 30/2020 has it ("05") or a day below 10 with one: the product of each
    glyph's probability of its digit. Fewer glyphs than digits are matched to the digits
    they may be, in order (a digit lost at the blank's side); more give 0."""
    if not glyphs:
        return 0.0
    return max((math.prod(g[int(c)] for g, c in zip(glyphs, digits[start:start + len(glyphs)], strict=True))
                for digits in {f"{day:02d}", str(day)} for start in range(len(digits) - len(glyphs) + 1)), default=0.0)


def overlay_dates(overlays: Iterable[str]) -> list[dt.date]:
    """The signing dates in the texts of e-signature overlays, in order (a gazette's overlay left out)."""
    found = []
    for text in overlays:
        folded = fold(text)
        if _GAZETTE.search(folded):
            continue
        for m in _SIGNING_TIME.finditer(folded):
            day, month, year = (m["d"], m["m"], m["y"]) if m["d"] else (m["d2"], m["m2"], m["y2"])
            if date := make_date(int(year), int(month), int(day)):
                found.append(date)
    return found
