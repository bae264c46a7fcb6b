"""The five directives read from image-only scans parse like their text versions.

Each scan is made by the tests (300 dpi, mild noise and skew) and read by the real OCR
stage; this is the parser's tolerance of real Tesseract output, end to end."""

from __future__ import annotations

import pytest

from examples.render import example_texts, scan_pdf
from services.ocr.pipeline import extract
from services.parse.parser import parse_directive
from vanthu.settings import OcrOptions

STEMS = sorted(example_texts())


@pytest.fixture(scope="module")
def scanned_texts() -> dict[str, str]:
    return {stem: extract(scan_pdf(text, seed=5), OcrOptions()).text for stem, text in example_texts().items()}


@pytest.mark.parametrize("stem", STEMS)
def test_a_scan_parses_like_its_text(stem, scanned_texts, directory):
    # GIVEN a directive as text and as an OCR'd scan
    text = parse_directive(example_texts()[stem], directory)
    scan = parse_directive(scanned_texts[stem], directory)
    # WHEN their structures are compared
    # THEN the header facts are the same ...
    for field in ("number", "doc_type", "date", "issuer"):
        assert getattr(scan, field) == getattr(text, field), field
    assert scan.signer.name == text.signer.name
    # ... and at least 90% of the (unit, role, section) assignments are found again
    triples = {(a.unit_id or a.unit_text, a.role, a.section) for a in text.assignments}
    found = {(a.unit_id or a.unit_text, a.role, a.section) for a in scan.assignments}
    assert len(triples & found) >= 0.9 * len(triples), sorted(triples - found)[:10]
