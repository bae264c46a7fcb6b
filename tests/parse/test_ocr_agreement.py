"""The five directives read from image-only scans parse to their hand-checked events.

Each scan is made by the tests (300 dpi, mild noise and skew) and read by the real OCR
stage; this is the parser's tolerance of real Tesseract output, end to end. The scan is
compared with ``expected/NNN.yaml`` (checked against the documents), not with the parse
of the text version: two wrong readings that agree must not pass."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from examples.render import example_texts, scan_pdf
from services.ocr.pipeline import extract
from services.parse.parser import parse_directive
from vanthu.settings import OcrOptions

STEMS = sorted(example_texts())
EXPECTED = Path(__file__).parent / "expected"


@pytest.fixture(scope="module")
def scanned_texts() -> dict[str, str]:
    return {stem: extract(scan_pdf(text, seed=5), OcrOptions()).text for stem, text in example_texts().items()}


@pytest.mark.parametrize("stem", STEMS)
def test_a_scan_parses_to_the_checked_event(stem, scanned_texts, directory):
    # GIVEN a directive's hand-checked event and its OCR'd scan
    expected = yaml.safe_load((EXPECTED / f"{stem[:3]}.yaml").read_text(encoding="utf-8"))
    # WHEN the scan is parsed
    scan = parse_directive(scanned_texts[stem], directory).model_dump(mode="json")
    # THEN the header facts are the checked ones ...
    for field in ("number", "doc_type", "date", "issuer"):
        assert scan[field] == expected[field], field
    assert scan["signer"]["name"] == expected["signer"]["name"]
    # ... and at least 90% of the checked (unit, role, section) assignments are found
    triples = {(a["unit_id"] or a["unit_text"], a["role"], a["section"]) for a in expected["assignments"]}
    found = {(a["unit_id"] or a["unit_text"], a["role"], a["section"]) for a in scan["assignments"]}
    assert len(triples & found) >= 0.9 * len(triples), sorted(triples - found)[:10]
