"""When the document was signed, as its digital signatures and their overlays say.

Evidence for a date the header leaves blank or unreadable (services/parse/parser.py,
``_set_date``): the signing times of the PDF's signature fields (exact, read by the OCR
stage, services/ocr/pdf_signatures.py) and of the portal overlays the OCR stage set aside
("Ký bởi: ... Thời gian ký: 18/03/2024 08:41:42", read with OCR's damage). A gazette's
signature ("Trung tâm Công báo", "Công báo điện tử") is left out: it records when the
document was published, after it was issued, never when it was signed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from services.parse.dates import make_date
from vanthu.events import TextArtifact
from vanthu.normalize import fold

_SIGNING_TIME = re.compile(
    r"(?<!\d)(?:(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})|(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2}))(?!\d)"
)
_GAZETTE = re.compile(r"\bcong bao\b")


def signing_dates(artifact: TextArtifact) -> list[dt.date]:
    """The dates ``artifact``'s signatures were made on (their own local date), PDF
    signature fields first, then overlays; publishing gazettes' left out."""
    fields = [s.signed_at.date() for s in artifact.signatures if not _GAZETTE.search(fold(s.signer or ""))]
    return fields + overlay_dates(artifact.aside_texts("e-signature"))


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
